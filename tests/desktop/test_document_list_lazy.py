"""A long document list is read as it scrolls into view, and still behaves as a whole list:
the keyboard reaches its end, the last document opened is opened again at the next start,
and every row shows its own status and count."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from db.files.text_files import text_sha256
from db.records import AnnotationData, DocumentData, ExportedDocument
from db.schema.label_schema import load_schema
from db.store import Store
from desktop.widgets.document_list import PAGE

COUNT = PAGE * 2 + 200
STAMP = "2026-12-05T00:00:00.000Z"


def _corpus(path: Path) -> None:
    documents = []
    for index in range(COUNT):
        text = f"Article {index}: the mayor said the bridge would reopen."
        doc = DocumentData(
            f"doc{index}", f"Article {index}", f"a{index}.txt", text, text_sha256(text), STAMP
        )
        annotations = []
        statuses = {}
        if index == COUNT - 1:  # the last one is done, with two annotations
            statuses = {"ana": "done"}
            annotations = [
                AnnotationData(
                    f"x{index}-{n}", "", "ana", "Speaker", 4 + n, 5 + n, {}, None, STAMP, STAMP
                )
                for n in range(2)
            ]
        documents.append(ExportedDocument(doc, statuses, annotations, [], []))
    store = Store(path)
    try:
        store.import_documents(load_schema(), documents)
    finally:
        store.close()


def test_the_keyboard_reaches_the_end_of_a_long_list_with_its_status_and_count(
    make_window, qtbot, tmp_path
):
    database = tmp_path / "spanwise.db"
    _corpus(database)
    window = make_window(database=database, focus_article=False)
    listing = window.document_list
    listing.setFocus()
    assert window.document_model.rowCount() < COUNT  # only what can be seen soon is read
    for _ in range(COUNT):  # End, as often as the list grows under it
        qtbot.keyClick(listing, Qt.Key.Key_End)
        QApplication.processEvents()
        if listing.currentIndex().row() == COUNT - 1:
            break
    model = window.document_model
    assert model.rowCount() == COUNT
    assert window.doc.document is not None and window.doc.document.title == f"Article {COUNT - 1}"
    last = COUNT - 1
    assert [model.data(model.index(last, column)) for column in range(3)] == [
        f"Article {last}",
        "done",
        2,
    ]
    assert model.data(model.index(last - 1, 1)) == "new"


def test_the_document_open_at_closing_is_opened_again_even_far_down_the_list(make_window, tmp_path):
    database = tmp_path / "spanwise.db"
    _corpus(database)
    window = make_window(database=database)
    far = f"doc{COUNT - 5}"
    window.open_document(far)
    assert window.doc.document_id == far
    window.close()
    again = make_window(database=database)
    assert again.doc.document_id == far
    row = again.document_model.row_of(far)
    assert again.document_list.currentIndex().row() == row == COUNT - 5


def test_done_and_next_goes_past_the_rows_read_so_far(make_window, tmp_path):
    database = tmp_path / "spanwise.db"
    _corpus(database)
    window = make_window(database=database)
    store = window.store
    for index in range(1, COUNT - 2):  # only the last but one, far down, is left to do
        store.set_status(f"doc{index}", "ana", "done")
    window.open_document("doc0")
    window.mark_done_and_next()
    assert window.doc.document_id == f"doc{COUNT - 2}"
