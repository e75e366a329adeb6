"""The first paint (a plain sqlite3 read, before SQLAlchemy loads) shows what the store would:
the same text, the same annotations, the same labels, from the same tables."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from db.storage.database import head_revision
from db.storage.first_paint import PAINT_REVISION, TABLE_COLUMNS, read_first_paint
from db.storage.models import Base
from db.store import Store

# emoji (two UTF-16 units), CRLF, combining marks, a tab and right-to-left text
TEXT = "Maria said:\r\n“We stay 🚩.”\tThe café (cafe\u0301) opened.\r\n\u05e9\u05dc\u05d5\u05dd.\n"


def _database(path: Path) -> tuple[Store, str]:
    source = path.parent / "story.txt"
    source.write_bytes(TEXT.encode("utf-8"))
    other = path.parent / "another.txt"
    other.write_text("Another article, listed first.", encoding="utf-8")
    store = Store(path)
    store.import_texts([source, other])
    doc_id = next(d.id for d in store.documents("ana") if d.source == "story.txt")
    emoji = TEXT.index("🚩")
    store.add_annotation(doc_id, "ana", "Quote", TEXT.index("“"), emoji + 3, {"kind": "direct"})
    store.add_annotation(doc_id, "ana", "Speaker", 0, 5, note="Maria 🚩 e\u0301")
    cafe = TEXT.index("cafe\u0301")
    store.add_annotation(doc_id, "ana", "Event", cafe, cafe + 5)
    store.add_annotation(
        doc_id, "ana", "Cue", 6, emoji + 1, fragments=((6, 10), (emoji, emoji + 1))
    )
    store.add_annotation(doc_id, "ben", "Place", TEXT.index("\u05e9"), len(TEXT) - 2)
    store.set_setting("current_annotator", "ana")
    return store, doc_id


def test_the_tables_and_columns_read_are_those_of_the_models():
    assert head_revision() == PAINT_REVISION, "check first_paint.py against the migration"
    for table, columns in TABLE_COLUMNS.items():
        assert table in Base.metadata.tables, table
        assert set(columns) <= set(Base.metadata.tables[table].columns.keys()), table


def test_the_first_paint_and_the_store_agree(tmp_path):
    store, doc_id = _database(tmp_path / "spanwise.db")
    try:
        first = read_first_paint(store.path, None, doc_id, 10_000, 1000)
        assert first is not None
        assert first.annotator == "ana"
        assert first.document == store.document(doc_id)
        assert first.document.text == TEXT  # CRLF kept, as stored
        assert first.annotations == store.annotations(doc_id, "ana")
        assert len(first.annotations) == 4
        assert first.labels == store.labels()
        assert first.link_types == [r.name for r in store.schema().relation_types]
        # the top of the document: the same rows as the window's own first screens
        top = read_first_paint(store.path, "ana", doc_id, 6, 2)
        assert top is not None
        assert top.annotations == store.annotations_near_start(doc_id, "ana", 6, 2)
        other = read_first_paint(store.path, "ben", doc_id, 10_000, 1000)
        assert other is not None and other.annotations == store.annotations(doc_id, "ben")
    finally:
        store.close()


def test_a_document_gone_since_gives_the_first_in_list_order(tmp_path):
    store, _ = _database(tmp_path / "spanwise.db")
    listed_first = store.documents("ana")[0]
    store.close()
    first = read_first_paint(tmp_path / "spanwise.db", None, "gone", 10_000, 1000)
    assert first is not None and first.document.id == listed_first.id


def test_what_the_first_paint_cannot_show_is_left_to_the_store(tmp_path):
    missing = tmp_path / "new.db"
    assert read_first_paint(missing, "ana", None, 10_000, 1000) is None
    assert not missing.exists()  # reading never creates a database
    empty = tmp_path / "empty.db"
    Store(empty).close()
    assert read_first_paint(empty, "ana", None, 10_000, 1000) is None  # the welcome pane
    store, _ = _database(tmp_path / "old.db")
    store.close()
    connection = sqlite3.connect(tmp_path / "old.db")
    with connection:
        connection.execute("DELETE FROM setting WHERE key = 'current_annotator'")
    assert read_first_paint(tmp_path / "old.db", None, None, 10_000, 1000) is None  # who?
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = '0004_suggestion_models'")
    connection.close()
    assert read_first_paint(tmp_path / "old.db", "ana", None, 10_000, 1000) is None  # upgrade
    not_sqlite = tmp_path / "notes.db"
    not_sqlite.write_text("not a database", encoding="utf-8")
    assert read_first_paint(not_sqlite, "ana", None, 10_000, 1000) is None
