"""Another process (a second window, the command line) works on the same database."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from db.store import Store


def test_window_shows_annotations_added_by_another_process_when_it_gets_focus(
    make_window, qtbot, tmp_path
):
    window = make_window({"a.txt": "Bo said hello to Ann."})
    doc_id = window.doc.document_id
    other = Store(tmp_path / "spanwise.db")  # its own connection, as another process has
    try:
        other.add_annotation(doc_id, "ana", "Speaker", 0, 2)
        other.add_annotation(doc_id, "ana", "Cue", 3, 7)
    finally:
        other.close()
    assert len(window.doc) == 0
    QApplication.sendEvent(window, QEvent(QEvent.Type.ActivationChange))
    assert [r.label for r in window.doc.records()] == ["Speaker", "Cue"]
    assert window.document_model.document(0).annotation_count == 2
    assert "outside this window" in window.statusBar().currentMessage()


def test_both_sides_keep_working_and_nothing_is_lost(make_window, qtbot, tmp_path):
    window = make_window({"a.txt": "Bo said hello to Ann."})
    doc_id = window.doc.document_id
    other = Store(tmp_path / "spanwise.db")
    try:
        window.article.select_span(0, 2)
        window.actions_by_name["label:Speaker"].trigger()
        other.add_annotation(doc_id, "ana", "Speaker", 17, 20)
        window.article.select_span(3, 7)
        window.actions_by_name["label:Cue"].trigger()
        assert len(other.annotations(doc_id, "ana")) == 3
    finally:
        other.close()
    # the window took in the other side's span before making its own edit
    assert len(window.doc) == 3
    assert not window.notice_outside_changes()  # nothing new since
