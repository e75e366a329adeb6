"""Reviewing colleagues' work in the window: their exports imported, shown side by side,
compared, and adjudicated into a gold version with the keyboard."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from db.changes import Change, added
from db.formats.spanwise_json import export_json
from db.records import RelationData
from db.store import Store, new_id
from desktop.cli.main import main as cli
from seeds import seed_paths


def _colleague_export(tmp_path: Path, who: str, spans: list[tuple[str, str, dict]]) -> Path:
    """A colleague annotates the seed article in their own database and exports it."""
    store = Store(tmp_path / f"{who}.db")
    store.import_texts(seed_paths())
    doc_id = store.documents(who)[0].id
    text = store.document(doc_id).text
    made = {}
    for piece, label, attributes in spans:
        start = text.index(piece)
        made[piece] = store.add_annotation(
            doc_id, who, label, start, start + len(piece), attributes
        )
    quote = made["While they were being trained"]
    speaker = made.get("Zelensky wrote") or made.get("Zelensky")
    if speaker is not None:
        link = RelationData(new_id(), doc_id, who, "speaker", quote.id, speaker.id)
        store.apply(Change("link", relations=(added(link),)))
    target = tmp_path / f"{who}.json"
    target.write_text(json.dumps(export_json(store, who), ensure_ascii=False), encoding="utf-8")
    store.close()
    return target


@pytest.fixture
def reviewed(make_window, tmp_path):
    ana = _colleague_export(
        tmp_path,
        "ana",
        [
            ("While they were being trained", "Quote", {"kind": "direct"}),
            ("Zelensky", "Speaker", {}),
            ("claimed", "Cue", {}),
            ("placed on alert", "Event", {}),
        ],
    )
    ben = _colleague_export(
        tmp_path,
        "ben",
        [
            ("While they were being trained", "Quote", {"kind": "indirect"}),
            ("Zelensky", "Speaker", {}),
            ("claimed", "Cue", {}),
            ("On Dec. 13", "Time", {}),
        ],
    )
    db = tmp_path / "review.db"
    assert cli(["--db", str(db), "import", str(ana), str(ben)]) == 0
    window = make_window(database=db, annotator="rev")
    return window


def test_colleagues_work_is_shown_read_only_and_underlined(reviewed, qtbot):
    window = reviewed
    names = [window.annotator_list.item(i).text() for i in range(window.annotator_list.count())]
    assert names == ["ana", "ben", "rev (you)"]
    assert len(window.doc) == 0
    window.annotator_list.item(0).setCheckState(Qt.CheckState.Checked)
    assert {r.annotator for r in window.doc.records()} == {"ana"}
    assert window.annotation_model.rowCount() == 4
    other = window.doc.records()[0]
    window.select_annotation(other)
    window.delete_current()
    assert window.store.annotation(other.id) is not None
    assert "ana's" in window.statusBar().currentMessage()
    window.annotation_panel.annotator_filter.setCurrentText("ben")
    assert window.annotation_proxy.rowCount() == 0


def test_compare_view_classes_items_and_f8_walks_disagreements(reviewed, qtbot):
    window = reviewed
    qtbot.keyClick(
        window.article,
        Qt.Key.Key_R,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    view = window.compare_view
    assert window.pages.currentWidget() is view and view.isVisible()
    assert (view.annotator_a.currentText(), view.annotator_b.currentText()) == ("ana", "ben")
    states = sorted(view.table.item(r, 0).text() for r in range(view.table.rowCount()))
    assert states == [
        "agreed, not accepted yet",
        "agreed, not accepted yet",
        "disagreed",
        "incomplete",
        "incomplete",
    ]
    assert view.progress.text() == "0 of 3 disagreements resolved"
    view.table.setFocus()
    view.table.setCurrentCell(0, 0)
    seen = []
    for _ in range(3):
        qtbot.keyClick(view.table, Qt.Key.Key_F8)
        seen.append(view.current_item().kind.value)
    assert all(kind != "agreed" for kind in seen)
    quote_row = next(
        r for r in range(view.table.rowCount()) if view.items[r].differences == ("attribute kind",)
    )
    assert view.table.item(quote_row, 5).text() == "kind: direct ×1 · indirect ×1"


def test_adjudicating_with_keys_builds_gold_and_undo_takes_it_back(reviewed, qtbot, tmp_path):
    window = reviewed
    window.toggle_review()
    view = window.compare_view
    view.table.setFocus()
    qtbot.keyClick(
        view.table,
        Qt.Key.Key_A,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )  # accept all agreed
    quote_row = next(r for r, i in enumerate(view.items) if i.a and i.a.label == "Quote")
    view.table.setCurrentCell(quote_row, 0)
    qtbot.keyClick(view.table, Qt.Key.Key_B)  # ben's kind: indirect
    for _ in range(2):  # the two one-sided items: accept the Event, reject the Time
        item = view.current_item()
        qtbot.keyClick(view.table, Qt.Key.Key_A if item.a else Qt.Key.Key_R)
    assert view.progress.text() == "3 of 3 disagreements resolved"
    doc_id = window.doc.document_id
    gold = {a.label: a for a in window.store.annotations(doc_id, "gold")}
    assert sorted(gold) == ["Cue", "Event", "Quote", "Speaker"]
    assert gold["Quote"].attributes == {"kind": "indirect", "provenance": "ben"}
    assert gold["Cue"].attributes["provenance"] == "ana, ben"
    [link] = window.store.relations(doc_id, "gold")
    assert (link.type, link.target) == ("speaker", gold["Speaker"].id)
    assert window.store.annotations(doc_id, "ana")[0].attributes.get("provenance") is None
    window.actions_by_name["undo"].trigger()
    assert view.progress.text() == "2 of 3 disagreements resolved"
    target = tmp_path / "gold.json"
    assert (
        cli(["--db", str(window.store.path), "export", "--annotator", "gold", "-o", str(target)])
        == 0
    )
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert {a["annotator"] for d in exported["documents"] for a in d["annotations"]} == {"gold"}


def test_edit_switches_to_annotating_the_gold_copy(reviewed, qtbot):
    window = reviewed
    window.toggle_review()
    view = window.compare_view
    quote_row = next(r for r, i in enumerate(view.items) if i.a and i.a.label == "Quote")
    view.table.setCurrentCell(quote_row, 0)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_E)
    assert not window.reviewing
    assert window.annotator == "gold" and "gold" in window.windowTitle()
    assert window.doc.current is not None and window.doc.current.label == "Quote"
    assert window.doc.mine(window.doc.current)


def test_agreement_dialog_shows_numbers_charts_and_saves_the_report(reviewed, qtbot, tmp_path):
    window = reviewed
    window.toggle_review()
    dialog = window.show_agreement()
    qtbot.addWidget(dialog)
    assert dialog.chosen() == ["ana", "ben"]
    labels = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert "Quote" in labels and labels[-1] == "overall"
    quote = labels.index("Quote")
    assert dialog.table.item(quote, 1).text() == "1.000"  # same span, other kind: exact match
    assert "Same speaker for" in dialog.summary.text()
    assert "Token alpha (one value per token: its label or none)" in dialog.summary.text()
    assert dialog.bars.renderer().isValid() and dialog.confusion.renderer().isValid()
    target = tmp_path / "report.html"
    window.dialogs.save_paths.append(str(target))
    dialog.save.click()
    html = target.read_text(encoding="utf-8")
    assert "<svg" in html and "ana" in html and "ben" in html
