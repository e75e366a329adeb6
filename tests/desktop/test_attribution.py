"""Quote attribution, entities, events and fragments through the keyboard and mouse."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

from db.formats.spanwise_json import export_json


def caret_point(view, offset: int) -> QPoint:
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.doc.positions.to_qt(offset))
    return view.cursorRect(cursor).center()


def click(qtbot, view, offset: int) -> None:
    """Click inside the character at `offset` (a caret placed just after its left edge)."""
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=caret_point(view, offset) + QPoint(2, 0)
    )


def select(qtbot, view, piece: str, after: str = "") -> tuple[int, int]:
    """Select `piece` (first found after `after`) by clicking before it and Shift+Right."""
    text = view.doc.text
    start = text.index(piece, text.index(after) if after else 0)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=caret_point(view, start) + QPoint(1, 0)
    )
    view.place_cursor(start)  # the click lands on the boundary nearest the point
    for _ in range(len(piece)):
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert view.selected_span() == (start, start + len(piece))
    return start, start + len(piece)


def key(qtbot, view, name: str) -> None:
    qtbot.keyClick(view, name)


def set_attribute(window, name: str, value: str) -> None:
    combo = window.attribute_panel.editor(name)
    combo.setCurrentText(value)
    combo.activated.emit(combo.currentIndex())


def test_seed_article_attribution_entities_and_event(make_window, qtbot):
    window = make_window(seed=True)
    view = window.article
    text = window.doc.text
    dialogs = window.dialogs

    # The President as a named speaker, in a new entity (E, type a name, Enter).
    select(qtbot, view, "Ukrainian President Volodymyr Zelensky")
    key(qtbot, view, "2")
    dialogs.entity_answers.append(("Volodymyr Zelensky", None))
    key(qtbot, view, "e")

    # The Telegram quote: Quote, kind direct, S + select "Zelensky" + 2, C + select + 3.
    telegram = "While they were being trained, they were forbidden even to show their faces."
    select(qtbot, view, telegram)
    key(qtbot, view, "1")
    set_attribute(window, "kind", "direct")
    key(qtbot, view, "s")
    assert window.links.picking
    select(qtbot, view, "Zelensky", after="North Korean soldiers,”")
    key(qtbot, view, "2")
    assert not window.links.picking
    key(qtbot, view, "c")
    select(qtbot, view, "wrote", after="North Korean soldiers,”")
    key(qtbot, view, "3")
    # That "Zelensky" is the President too: click it, E, choose the entity.
    zelensky = text.index("Zelensky", text.index("North Korean soldiers,”"))
    window.clear_selection()
    click(qtbot, view, zelensky + 2)
    assert window.doc.current is not None and window.doc.current.label == "Speaker"
    dialogs.entity_answers.append(("Volodymyr Zelensky", None))
    key(qtbot, view, "e")

    # "He added that ...": indirect; He is a coreferent mention of the President.
    select(qtbot, view, "that Ukraine’s Defense Forces and intelligence are working to uncover")
    key(qtbot, view, "1")
    set_attribute(window, "kind", "indirect")
    key(qtbot, view, "s")
    select(qtbot, view, "He", after="Advertisement")
    key(qtbot, view, "2")
    key(qtbot, view, "c")
    select(qtbot, view, "added", after="Advertisement")
    key(qtbot, view, "3")
    he = text.index("He added")
    window.clear_selection()
    click(qtbot, view, he)
    dialogs.entity_answers.append(("Volodymyr Zelensky", None))
    key(qtbot, view, "e")

    # Kovalenko: the speaker exists first, and is linked by clicking it in pick mode.
    select(qtbot, view, "Andriy Kovalenko")
    key(qtbot, view, "2")
    select(qtbot, view, "As of now, it is not worth exaggerating")
    key(qtbot, view, "1")
    set_attribute(window, "kind", "direct")
    key(qtbot, view, "s")
    click(qtbot, view, text.index("Andriy Kovalenko") + 3)
    key(qtbot, view, "c")
    select(qtbot, view, "commented")
    key(qtbot, view, "3")

    # The event "placed on alert": A, role time -> On Dec. 13; A, role patient -> the troops.
    select(qtbot, view, "placed on alert")
    key(qtbot, view, "4")
    dialogs.roles += ["time", "patient"]
    key(qtbot, view, "a")
    select(qtbot, view, "On Dec. 13")
    key(qtbot, view, "6")
    key(qtbot, view, "a")
    select(qtbot, view, "the troops", after="On Dec. 13")
    key(qtbot, view, "5")

    assert dialogs.errors == []
    data = export_json(window.store)
    [document] = data["documents"]
    by_id = {a["id"]: a for a in document["annotations"]}

    def linked(source_text: str, relation: str) -> str:
        source = next(a for a in by_id.values() if a["text"].startswith(source_text))
        [link] = [
            r
            for r in document["relations"]
            if r["source"] == source["id"] and r["type"] == relation
        ]
        return by_id[link["target"]]["text"]

    assert linked("While they were being trained", "speaker") == "Zelensky"
    assert linked("While they were being trained", "cue") == "wrote"
    assert linked("that Ukraine’s Defense", "speaker") == "He"
    assert linked("that Ukraine’s Defense", "cue") == "added"
    assert linked("As of now", "speaker") == "Andriy Kovalenko"
    assert linked("As of now", "cue") == "commented"
    assert linked("placed on alert", "time") == "On Dec. 13"
    assert linked("placed on alert", "patient") == "the troops"
    kinds = {
        a["text"][:12]: a["attributes"].get("kind") for a in by_id.values() if a["label"] == "Quote"
    }
    assert kinds == {"While they w": "direct", "that Ukraine": "indirect", "As of now, i": "direct"}
    [entity] = document["entities"]
    assert entity["name"] == "Volodymyr Zelensky"
    assert sorted(by_id[m]["text"] for m in entity["mentions"]) == [
        "He",
        "Ukrainian President Volodymyr Zelensky",
        "Zelensky",
    ]
    for annotation in document["annotations"]:
        assert document["text"][annotation["start"] : annotation["end"]] == annotation["text"]

    # The entity list counts mentions and quotes; choosing it emphasises all of them.
    model = window.entity_panel.model
    assert (
        model.data(model.index(0, 0)),
        model.data(model.index(0, 2)),
        model.data(model.index(0, 3)),
    ) == ("Volodymyr Zelensky", 3, 2)
    window.entity_list.selectRow(0)
    assert set(entity["mentions"]) <= view.emphasised_ids()


def _quote_and_speakers(window, qtbot):
    view = window.article
    select(qtbot, view, "“We will win,”")
    key(qtbot, view, "1")
    quote = window.doc.current
    return view, quote


def test_tab_and_enter_pick_the_nearest_speaker(make_window, qtbot):
    window = make_window({"a.txt": "Ana said hello. “We will win,” Bo said. Cy laughed."})
    view = window.article
    for name in ("Ana", "Bo", "Cy"):
        select(qtbot, view, name)
        key(qtbot, view, "2")
    view, quote = _quote_and_speakers(window, qtbot)
    key(qtbot, view, "s")
    qtbot.keyClick(view, Qt.Key.Key_Tab)  # nearest first
    assert window.doc.get(view.candidate_id).start == window.doc.text.index("Bo")
    qtbot.keyClick(view, Qt.Key.Key_Return)
    speaker = window.doc.link_target(quote.id, "speaker")
    assert speaker is not None and window.doc.text_of(speaker) == "Bo"


def test_relinking_replaces_the_speaker_and_undo_restores_it(make_window, qtbot):
    window = make_window({"a.txt": "Ana said hello. “We will win,” Bo said."})
    view = window.article
    for name in ("Ana", "Bo"):
        select(qtbot, view, name)
        key(qtbot, view, "2")
    view, quote = _quote_and_speakers(window, qtbot)
    key(qtbot, view, "s")
    click(qtbot, view, window.doc.text.index("Bo"))
    key(qtbot, view, "s")
    click(qtbot, view, window.doc.text.index("Ana") + 1)
    assert window.doc.text_of(window.doc.link_target(quote.id, "speaker")) == "Ana"
    assert len(window.store.relations(window.doc.document_id)) == 1
    window.actions_by_name["undo"].trigger()
    assert window.doc.text_of(window.doc.link_target(quote.id, "speaker")) == "Bo"
    [stored] = window.store.relations(window.doc.document_id)
    assert window.store.annotation(stored.target).start == window.doc.text.index("Bo")


def test_escape_cancels_and_a_wrong_label_is_not_linked(make_window, qtbot):
    window = make_window({"a.txt": "“We will win,” Bo said."})
    view = window.article
    select(qtbot, view, "said")
    key(qtbot, view, "3")
    view, quote = _quote_and_speakers(window, qtbot)
    key(qtbot, view, "s")
    click(qtbot, view, window.doc.text.index("said") + 1)  # a Cue is not a speaker
    assert window.links.picking and "Cue" in window.statusBar().currentMessage()
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert not window.links.picking
    assert window.store.relations(window.doc.document_id) == []


def test_deleting_a_linked_speaker_asks_once_and_undo_restores_everything(make_window, qtbot):
    window = make_window({"a.txt": "“We will win,” Bo said."})
    view = window.article
    view, quote = _quote_and_speakers(window, qtbot)
    key(qtbot, view, "s")
    select(qtbot, view, "Bo")
    key(qtbot, view, "2")
    window.clear_selection()
    click(qtbot, view, window.doc.text.index("Bo"))
    window.dialogs.entity_answers.append(("Bo Berg", None))
    key(qtbot, view, "e")
    speaker = window.doc.current
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert len(window.dialogs.confirmations) == 1
    assert "1 link" in window.dialogs.confirmations[0]
    assert window.store.annotation(speaker.id) is None
    assert window.store.relations(window.doc.document_id) == []
    assert window.store.entities(window.doc.document_id) == []
    window.actions_by_name["undo"].trigger()
    assert window.store.annotation(speaker.id) == speaker
    assert window.doc.link_target(quote.id, "speaker") == speaker
    [entity] = window.store.entities(window.doc.document_id)
    assert entity.name == "Bo Berg" and entity.mentions == (speaker.id,)


def test_declining_the_delete_question_keeps_everything(make_window, qtbot):
    window = make_window({"a.txt": "“We will win,” Bo said."})
    view, quote = _quote_and_speakers(window, qtbot)
    key(qtbot, view, "s")
    select(qtbot, view, "Bo")
    key(qtbot, view, "2")
    window.dialogs.confirm_answer = False
    window.select_annotation(window.doc.link_target(quote.id, "speaker"))
    window.actions_by_name["deleteAnnotation"].trigger()
    assert len(window.store.annotations(window.doc.document_id)) == 2
    assert len(window.store.relations(window.doc.document_id)) == 1


def test_merge_split_and_rename_entities(make_window, qtbot):
    window = make_window({"a.txt": "Marta Lindqvist spoke. Lindqvist smiled. She left."})
    view = window.article
    for piece, name in (("Marta Lindqvist", "Marta"), ("Lindqvist", "Lindqvist"), ("She", "She")):
        select(qtbot, view, piece, after="" if piece != "Lindqvist" else "spoke")
        key(qtbot, view, "2")
        window.dialogs.entity_answers.append((name, None))
        key(qtbot, view, "e")
    assert len(window.doc.entities) == 3
    window.entity_list.selectAll()
    qtbot.keyClick(view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    [entity] = window.store.entities(window.doc.document_id)
    assert len(entity.mentions) == 3
    window.dialogs.texts.append("Marta Lindqvist")
    window.entity_panel.select_entity(entity.id)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    assert window.store.entities(window.doc.document_id)[0].name == "Marta Lindqvist"
    she = next(r for r in window.doc.records() if window.doc.text_of(r) == "She")
    window.select_annotation(she)
    qtbot.keyClick(
        view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    names = sorted((e.name, len(e.mentions)) for e in window.store.entities(window.doc.document_id))
    assert names == [("Marta Lindqvist", 2), ("She", 1)]
    window.actions_by_name["undo"].trigger()
    window.actions_by_name["undo"].trigger()
    [entity] = window.store.entities(window.doc.document_id)
    assert entity.name != "Marta Lindqvist" and len(entity.mentions) == 3


def test_a_quote_in_two_fragments_is_one_annotation(make_window, qtbot):
    text = "“The losses are high,” Zelensky wrote, “and they are hidden.”"
    window = make_window({"a.txt": text})
    view = window.article
    select(qtbot, view, "The losses are high,")
    key(qtbot, view, "1")
    key(qtbot, view, "f")  # hold the quote...
    select(qtbot, view, "and they are hidden.")
    key(qtbot, view, "f")  # ...and add the next part
    [quote] = window.doc.records()
    assert [text[s:e] for s, e in quote.fragments] == [
        "The losses are high,",
        "and they are hidden.",
    ]
    assert (quote.start, quote.end) == (text.index("The"), text.index("hidden.") + 7)
    cell = window.annotation_proxy.index(0, 1)
    assert window.annotation_proxy.data(cell) == "The losses are high, … and they are hidden."
    assert window.store.annotation(quote.id).fragments == quote.fragments
    decorated = [s.cursor.selectedText() for s in view.extraSelections()]
    assert "Zelensky wrote" not in " ".join(decorated)


def test_label_filter_and_grouping_by_entity(make_window, qtbot):
    window = make_window({"a.txt": "Zed spoke. “Yes,” Ann said. Ann left. Zed too."})
    view = window.article
    for piece, after, name in (
        ("Zed", "", "Zed"),
        ("Ann", "", "Ann"),
        ("Ann", "said", "Ann"),
        ("Zed", "left", "Zed"),
    ):
        select(qtbot, view, piece, after=after)
        key(qtbot, view, "2")
        window.dialogs.entity_answers.append((name, None))
        key(qtbot, view, "e")
    select(qtbot, view, "“Yes,”")
    key(qtbot, view, "1")
    window.annotation_panel.label_filter.setCurrentText("Speaker")
    assert window.annotation_list.model().rowCount() == 4
    window.annotation_panel.group.setChecked(True)
    shown = window.annotation_list.model()
    entities = [shown.data(shown.index(row, 3)) for row in range(shown.rowCount())]
    assert entities == ["Ann", "Ann", "Zed", "Zed"]
    window.annotation_panel.label_filter.setCurrentText("All labels")
    assert window.annotation_list.model().rowCount() == 5


def test_an_edit_the_links_forbid_is_refused_in_the_status_bar(make_window, qtbot):
    window = make_window({"a.txt": "“We will win,” Bo said."})
    view, quote = _quote_and_speakers(window, qtbot)
    key(qtbot, view, "s")
    select(qtbot, view, "Bo")
    key(qtbot, view, "2")
    speaker = window.doc.link_target(quote.id, "speaker")
    window.select_annotation(speaker)
    window.article.place_cursor(speaker.end)
    key(qtbot, view, "3")  # a Cue cannot be a quote's speaker
    assert window.store.annotation(speaker.id).label == "Speaker"
    assert "not possible" in window.statusBar().currentMessage()
    assert window.dialogs.errors == []
    assert window.save_label.text().startswith("All changes saved")
