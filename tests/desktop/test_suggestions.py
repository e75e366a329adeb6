"""Suggestions in the window: asked for, walked, accepted as one step, rejected for good."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QToolBar

from db.formats.spanwise_json import export_json

TEXT = (
    "“We will rebuild the bridge by spring,” Mayor Ana Souza said on Monday.\n\n"
    "The transport ministry said that the repairs would cost more than planned.\n\n"
    "Souza added that “nobody will be left behind.”"
)


def shortcut(qtbot, view, key, modifiers=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(view, key, modifiers)


def test_suggestions_are_shown_apart_and_accepted_in_one_undoable_step(make_window, qtbot):
    window = make_window({"a.txt": TEXT})
    view = window.article
    shortcut(
        qtbot,
        view,
        Qt.Key.Key_S,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    hints = window.suggestions
    assert len(hints.items) == 3 and hints.current is not None
    assert len(window.doc) == 0  # nothing is an annotation until accepted
    assert view.suggested and view.suggested_current == hints.current.quote.spans
    assert "Suggestion 1 of 3" in window.statusBar().currentMessage()
    assert QGuiApplication.overrideCursor() is None  # the wait cursor is gone again
    shortcut(qtbot, view, Qt.Key.Key_Return)
    labels = sorted(r.label for r in window.doc.records())
    assert labels == ["Cue", "Quote", "Speaker"]
    quote = next(r for r in window.doc.records() if r.label == "Quote")
    assert quote.attributes["origin"] == "suggested" and "rule" in quote.attributes
    assert window.doc.text_of(window.doc.link_target(quote.id, "speaker")) == "Mayor Ana Souza"
    assert len(hints.items) == 2
    undo = window.actions_by_name["undo"]
    toolbar = window.findChild(QToolBar, "labelToolbar")
    assert "Accept direct quote" in undo.text() and "Accept direct quote" in undo.toolTip()
    assert toolbar.widgetForAction(undo).text() == "Undo"  # the toolbar keeps its width
    undo.trigger()
    assert len(window.doc) == 0  # the whole suggestion was one step


def test_rejected_suggestions_do_not_come_back(make_window, qtbot):
    window = make_window({"a.txt": TEXT})
    view = window.article
    hints = window.suggestions
    hints.request()
    rejected = hints.current.key
    shortcut(qtbot, view, Qt.Key.Key_Backspace)
    assert len(hints.items) == 2
    hints.request()
    assert rejected not in {s.key for s in hints.items}
    assert len(hints.items) == 2


def test_n_walks_and_accept_all_makes_everything_in_one_step(make_window, qtbot):
    window = make_window({"a.txt": TEXT})
    view = window.article
    hints = window.suggestions
    hints.request()
    first = hints.current
    shortcut(qtbot, view, Qt.Key.Key_N)
    assert hints.current is not first
    shortcut(qtbot, view, Qt.Key.Key_N, Qt.KeyboardModifier.ShiftModifier)
    assert hints.current is first
    window.actions_by_name["acceptAllSuggestions"].trigger()
    assert QGuiApplication.overrideCursor() is None
    data = export_json(window.store)
    document = data["documents"][0]
    assert sum(a["label"] == "Quote" for a in document["annotations"]) == 3
    [entity] = [e for e in document["entities"] if len(e["mentions"]) > 1]
    assert "Souza" in entity["name"]
    assert not hints.items and not view.suggested
    window.actions_by_name["undo"].trigger()
    assert len(window.doc) == 0
    assert len(hints.items) == 3 and hints.current is not None  # all back, to review again


def test_undo_puts_an_accepted_or_rejected_suggestion_back_in_the_list(make_window, qtbot):
    window = make_window({"a.txt": TEXT})
    view = window.article
    hints = window.suggestions
    hints.request()
    rejected = hints.current.key
    shortcut(qtbot, view, Qt.Key.Key_Backspace)
    assert len(hints.items) == 2 and hints.current.key != rejected
    window.actions_by_name["undo"].trigger()
    assert len(hints.items) == 3 and hints.current.key == rejected  # back, and shown again
    shortcut(qtbot, view, Qt.Key.Key_Return)
    assert len(hints.items) == 2
    window.actions_by_name["undo"].trigger()
    assert len(hints.items) == 3 and len(window.doc) == 0


def test_an_accepted_suggestion_agrees_with_the_same_span_made_by_hand(make_window, qtbot):
    from db.review.compare import Agreement, Side, compare

    window = make_window({"a.txt": TEXT})
    window.suggestions.request()
    window.suggestions.accept()
    doc_id = window.doc.document_id
    store = window.store
    for record in store.annotations(doc_id, "ana"):
        attributes = {k: v for k, v in record.attributes.items() if k == "kind"}
        store.add_annotation(doc_id, "ben", record.label, record.start, record.end, attributes)
    items = compare(
        Side("ana", store.annotations(doc_id, "ana")), Side("ben", store.annotations(doc_id, "ben"))
    )
    assert {item.kind for item in items} == {Agreement.AGREED}


def test_automatic_suggestions_for_new_documents_only(make_window, qtbot, tmp_path):
    window = make_window({"a.txt": TEXT, "b.txt": TEXT.replace("Souza", "Lopes")})
    hints = window.suggestions
    first = window.doc.document_id
    second = next(d.id for d in window.store.documents("ana") if d.id != first)
    window.store.add_annotation(second, "ana", "Quote", 1, 20, {})  # work has begun there
    assert not hints.items
    menu_action = window.actions_by_name["autoSuggest"]
    assert menu_action.isCheckable() and not menu_action.isChecked()
    menu_action.trigger()  # on: the open, untouched document gets its suggestions at once
    assert len(hints.items) == 3 and hints.current is not None
    window.open_document(second)
    QCoreApplication.processEvents()  # the suggestion pass is queued after the opening
    assert not hints.items and not window.article.suggested
    assert "Suggestion" not in window.statusBar().currentMessage()  # nothing stale
    window.open_document(first)
    qtbot.waitUntil(lambda: len(hints.items) == 3)
    again = make_window(database=tmp_path / "spanwise.db")  # the option is remembered
    assert again.actions_by_name["autoSuggest"].isChecked()
    qtbot.waitUntil(lambda: len(again.suggestions.items) == 3)


def test_a_suggestion_scrolled_out_of_sight_is_shown_before_any_key_acts_on_it(make_window, qtbot):
    filler = "The council met again on Tuesday and the meeting went on late.\n\n" * 150
    window = make_window({"a.txt": TEXT + "\n\n" + filler + TEXT.replace("Souza", "Lopes")})
    view = window.article
    hints = window.suggestions
    hints.request()
    first = hints.current
    assert first.quote.start < 100
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())  # to the end
    shortcut(qtbot, view, Qt.Key.Key_Return)
    assert len(window.doc) == 0 and hints.current is first  # shown, not accepted
    assert "press the key once more" in window.statusBar().currentMessage()
    assert view.visible_offsets()[0] <= first.quote.start
    shortcut(qtbot, view, Qt.Key.Key_Return)
    assert len(window.doc) > 0  # seen now: accepted
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    shortcut(qtbot, view, Qt.Key.Key_N)  # goes on from what is on screen, not from the top
    assert hints.current.quote.start > len(TEXT) + len(filler)


def test_enter_and_backspace_say_what_to_do_when_no_suggestion_is_current(make_window, qtbot):
    window = make_window({"a.txt": TEXT})
    view = window.article
    shortcut(qtbot, view, Qt.Key.Key_Return)
    assert window.statusBar().currentMessage() == "No suggestions: Ctrl+Shift+S asks for them."
    shortcut(qtbot, view, Qt.Key.Key_Backspace)
    assert window.statusBar().currentMessage() == "No suggestions: Ctrl+Shift+S asks for them."
    assert len(window.doc) == 0
