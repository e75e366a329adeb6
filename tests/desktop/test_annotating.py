"""Annotating through the real window: keys, mouse, selections, undo, persistence."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from db.formats.spanwise_json import export_json
from db.store import Store

UNICODE_TEXT = (
    "Emoji 👩‍👩‍👧 and 😀 first.\r\n"
    "Cafe\u0301 au lait, nai\u0308ve.\r\n"
    "Tab\tseparated\tcolumns.\n"
    "Arabic: قال الرئيس إن السلام ممكن.\r\n"
    "Hebrew: הוא אמר שלום. End 🇺🇦 flag."
)


def qt_select(window, start: int, end: int) -> None:
    """Select code points [start, end) in articleView the way a user's drag would."""
    window.article.select_span(start, end)


def reopen(path: Path) -> Store:
    return Store(path)


def test_labels_in_unicode_text_keep_code_point_offsets(make_window, qtbot, tmp_path):
    window = make_window({"unicode.txt": UNICODE_TEXT})
    text = window.doc.text
    assert text == UNICODE_TEXT  # stored exactly, CRLF and all
    wanted = ["😀", "Cafe\u0301", "nai\u0308ve", "separated", "الرئيس", "אמר", "🇺🇦", "columns"]
    for piece in wanted:
        start = text.index(piece)
        view = window.article
        cursor = QTextCursor(view.document())
        cursor.setPosition(window.doc.positions.to_qt(start))
        cursor.setPosition(
            window.doc.positions.to_qt(start + len(piece)), QTextCursor.MoveMode.KeepAnchor
        )
        view.setTextCursor(cursor)
        window.findChild(type(window.actions_by_name["label:Quote"]), "label:Quote").trigger()
    store = reopen(tmp_path / "spanwise.db")
    data = export_json(store)
    store.close()
    document = data["documents"][0]
    assert document["text"] == UNICODE_TEXT
    spans = sorted(document["text"][a["start"] : a["end"]] for a in document["annotations"])
    assert spans == sorted(wanted)
    for annotation in document["annotations"]:
        assert document["text"][annotation["start"] : annotation["end"]] == annotation["text"]


def test_keyboard_selection_is_snapped_to_whole_words(make_window, qtbot):
    window = make_window({"a.txt": "Zelensky wrote on his Telegram channel."})
    view = window.article
    view.setFocus()
    view.place_cursor(2)  # inside "Zelensky"
    for _ in range(8):  # ends inside "wrote"
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(view, Qt.Key.Key_2)
    [record] = window.doc.records()
    assert (record.label, window.doc.text[record.start : record.end]) == (
        "Speaker",
        "Zelensky wrote",
    )


def test_alt_keeps_the_exact_selection(make_window, qtbot):
    window = make_window({"a.txt": "Zelensky wrote on his Telegram channel."})
    view = window.article
    view.setFocus()
    qt_select(window, 2, 6)
    qtbot.keyClick(view, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    [record] = window.doc.records()
    assert window.doc.text[record.start : record.end] == "lens"


def test_double_click_a_word_then_label_key(make_window, qtbot):
    window = make_window({"a.txt": "Andriy Kovalenko commented on the report."})
    view = window.article
    rect = view.cursorRect(_cursor_at(view, window.doc.positions.to_qt(20)))
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.keyClick(view, Qt.Key.Key_3)
    [record] = window.doc.records()
    assert (record.label, window.doc.text[record.start : record.end]) == ("Cue", "commented")


def test_whitespace_is_trimmed_and_blank_selection_refused(make_window, qtbot):
    window = make_window({"a.txt": "one   two   three"})
    qt_select(window, 3, 10)  # "   two "
    window.actions_by_name["label:Quote"].trigger()
    [record] = window.doc.records()
    assert window.doc.text[record.start : record.end] == "two"
    qt_select(window, 9, 11)  # only spaces
    window.actions_by_name["label:Quote"].trigger()
    assert len(window.doc) == 1
    assert "white space" in window.statusBar().currentMessage()


def test_undo_and_redo_are_persisted(make_window, qtbot, tmp_path):
    window = make_window({"a.txt": "He added that the losses were hidden."})
    view = window.article
    view.setFocus()
    qt_select(window, 0, 8)
    qtbot.keyClick(view, Qt.Key.Key_1)
    db = tmp_path / "spanwise.db"

    def stored() -> list[str]:
        store = reopen(db)
        try:
            doc = store.documents("ana")[0]
            return [a.label for a in store.annotations(doc.id, "ana")]
        finally:
            store.close()

    assert stored() == ["Quote"]
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored() == [] and len(window.doc) == 0
    qtbot.keyClick(
        view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert stored() == ["Quote"] and len(window.doc) == 1


def test_delete_key_in_list_removes_and_undo_restores_same_annotation(make_window, qtbot):
    window = make_window({"a.txt": "Kovalenko said rumors were exaggerated."})
    qt_select(window, 0, 9)
    window.actions_by_name["label:Speaker"].trigger()
    [created] = window.doc.records()
    table = window.annotation_list
    table.setFocus()
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert len(window.doc) == 0
    assert window.store.annotation(created.id) is None
    window.actions_by_name["undo"].trigger()
    assert window.store.annotation(created.id) == created
    assert window.annotation_model.rowCount() == 1


def test_clicking_a_list_row_selects_and_shows_it_in_the_article(make_window, qtbot):
    text = "\n".join(f"Paragraph {i} with some words to fill a line or two." for i in range(300))
    window = make_window({"long.txt": text})
    last = text.rindex("Paragraph 299")
    qt_select(window, last, last + 13)
    window.actions_by_name["label:Place"].trigger()
    qt_select(window, 0, 9)
    window.actions_by_name["label:Time"].trigger()
    window.article.place_cursor(0)
    window.article.verticalScrollBar().setValue(0)
    table = window.annotation_list
    index = window.annotation_proxy.index(1, 1)
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center()
    )
    assert window.doc.current is not None and window.doc.current.label == "Place"
    assert window.article.verticalScrollBar().value() > 0
    assert window.doc.current.id in window.article.decorated_ids()


def test_clicking_a_highlight_selects_it_and_shows_its_attributes(make_window, qtbot):
    window = make_window({"a.txt": "“We will win,” the President said."})
    qt_select(window, 0, 14)
    window.actions_by_name["label:Quote"].trigger()
    window.clear_selection()
    view = window.article
    rect = view.cursorRect(_cursor_at(view, 3))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.doc.current is not None and window.doc.current.label == "Quote"
    combo = window.attribute_panel.editor("kind")
    assert combo.objectName() == "attribute:kind"
    combo.setCurrentText("direct")
    combo.activated.emit(combo.currentIndex())
    assert window.store.annotation(window.doc.current.id).attributes == {"kind": "direct"}
    window.actions_by_name["undo"].trigger()
    assert window.store.annotation(window.doc.current.id).attributes == {}


def test_note_is_saved_when_leaving_the_field(make_window, qtbot):
    window = make_window({"a.txt": "The ministry said the trucks were disguised."})
    qt_select(window, 0, 12)
    window.actions_by_name["label:Speaker"].trigger()
    note = window.attribute_panel.note
    note.setFocus()
    qtbot.keyClicks(note, "check the <b>source</b>")
    window.article.setFocus()
    record = window.store.annotation(window.doc.current.id)
    assert record.note == "check the <b>source</b>"


def test_tab_moves_between_annotations(make_window, qtbot):
    window = make_window({"a.txt": "alpha beta gamma delta"})
    for start, end in ((0, 5), (11, 16), (17, 22)):
        qt_select(window, start, end)
        window.actions_by_name["label:Event"].trigger()
    window.clear_selection()
    view = window.article
    view.setFocus()
    view.place_cursor(0)
    seen = []
    for _ in range(3):
        qtbot.keyClick(view, Qt.Key.Key_Tab)
        seen.append(window.doc.text[window.doc.current.start : window.doc.current.end])
    qtbot.keyClick(view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    seen.append(window.doc.text[window.doc.current.start : window.doc.current.end])
    assert seen == ["alpha", "gamma", "delta", "gamma"]  # from the caret at 0, alpha first


def test_relabel_current_annotation_with_another_label_key(make_window, qtbot):
    window = make_window({"a.txt": "On Dec. 13, the troops were placed on alert."})
    qt_select(window, 0, 10)
    window.actions_by_name["label:Place"].trigger()
    window.article.setTextCursor(window.article.textCursor())  # keep current, no selection
    window.clear_selection()
    window.select_annotation(window.doc.records()[0])
    window.article.place_cursor(window.doc.records()[0].end)
    window.actions_by_name["label:Time"].trigger()
    assert [r.label for r in window.doc.records()] == ["Time"]


def test_ctrl_enter_marks_done_and_opens_next_not_done(make_window, qtbot):
    window = make_window({"1.txt": "First article.", "2.txt": "Second article.", "3.txt": "Third."})
    window.store.set_status(window.document_model.document(1).id, "ana", "done")
    window.refresh_documents()
    first = window.doc.document_id
    qtbot.keyClick(window.article, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.store.status(first, "ana") == "done"
    assert window.doc.text == "Third."
    assert window.document_model.document(0).status == "done"


def test_find_selects_the_match(make_window, qtbot):
    window = make_window({"a.txt": "Some text, then Kursk, then more Kursk."})
    qtbot.keyClick(window.article, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.find_bar.isVisible()
    qtbot.keyClicks(window.find_bar.field, "Kursk")
    assert window.article.selected_span() == (16, 21)
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_Return)
    assert window.article.selected_span() == (33, 38)
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible()


def test_status_bar_and_title_tell_the_state(make_window, qtbot):
    window = make_window({"a.txt": "Headline here\n\nBody text."})
    assert "ana" in window.windowTitle() and "Headline here" in window.windowTitle()
    qt_select(window, 0, 8)
    window.actions_by_name["label:Event"].trigger()
    assert window.count_label.text() == "1 annotation"
    assert window.save_label.text().startswith("All changes saved")
    assert window.document_model.document(0).annotation_count == 1
    assert window.document_model.document(0).status == "in progress"


def test_export_current_document_from_the_menu(make_window, qtbot, tmp_path):
    window = make_window({"a.txt": "Alpha.", "b.txt": "Beta."})
    qt_select(window, 0, 5)
    window.actions_by_name["label:Quote"].trigger()
    target = tmp_path / "out.json"
    window.dialogs.save_paths.append(str(target))
    window.actions_by_name["exportDocument"].trigger()
    data = json.loads(target.read_text(encoding="utf-8"))
    assert [d["text"] for d in data["documents"]] == ["Alpha."]
    assert data["documents"][0]["annotations"][0]["text"] == "Alpha"


def test_refused_import_from_the_menu_changes_nothing(make_window, qtbot, tmp_path):
    window = make_window({"a.txt": "Alpha."})
    good = tmp_path / "good.txt"
    good.write_text("A fine article.", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xe9 au lait")
    window.dialogs.files.append([str(good), str(bad)])
    window.actions_by_name["importText"].trigger()
    assert window.store.document_count() == 1
    [(title, message)] = window.dialogs.errors
    assert "bad.txt" in message and "byte 3" in message


def test_import_folder_from_the_menu(make_window, qtbot, tmp_path):
    window = make_window()
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "one.txt").write_text("One article.", encoding="utf-8")
    (folder / "two.md").write_text("# Two\n\nSecond.", encoding="utf-8")
    window.dialogs.folders.append(str(folder))
    window.actions_by_name["importFolder"].trigger()
    assert window.document_model.rowCount() == 2
    assert window.doc.document is not None


def test_last_document_is_remembered(make_window, qtbot, tmp_path):
    window = make_window({"1.txt": "First.", "2.txt": "Second."})
    window.open_row(1)
    window.close()
    window.store.close()
    again = make_window()
    assert again.doc.text == "Second."


def _cursor_at(view, qt_position: int) -> QTextCursor:
    cursor = QTextCursor(view.document())
    cursor.setPosition(qt_position)
    return cursor


def test_the_same_label_on_the_same_text_is_not_made_twice(make_window, qtbot):
    window = make_window({"a.txt": "Zelensky wrote on his Telegram channel."})
    for _ in range(2):
        qt_select(window, 0, 8)
        window.actions_by_name["label:Speaker"].trigger()
    assert len(window.doc) == 1
    assert "already" in window.statusBar().currentMessage()
    assert window.doc.current is not None and window.doc.current.label == "Speaker"
