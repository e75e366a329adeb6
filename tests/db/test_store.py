"""The store API: edits are on disk when the call returns, and bad edits store nothing."""

from __future__ import annotations

import contextlib
import dataclasses
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from db.errors import InvalidAnnotation, SpanwiseError
from db.records import AnnotationData
from db.store import Store
from seeds import seed_paths
from tests.db.conftest import OpenStore
from tests.store_edits import delete_annotation, restore_annotation, update_annotation

NEWS_LABELS = ["Quote", "Speaker", "Cue", "Event", "Participant", "Time", "Place"]


def _seed_text() -> str:
    [path] = seed_paths()
    return path.read_bytes().decode("utf-8")


def _find(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


# -- the database file -------------------------------------------------------------------------


def test_database_uses_wal_and_foreign_keys(store: Store, db_path: Path) -> None:
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    # WAL is a property of the file: any other program opening it sees it too.
    with contextlib.closing(sqlite3.connect(db_path)) as other:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_foreign_keys_are_enforced(store: Store) -> None:
    with store.engine.connect() as connection, pytest.raises(IntegrityError):
        connection.exec_driver_sql(
            "INSERT INTO document_status (document_id, annotator_id, status) "
            "VALUES ('no-such-document', 12345, 'done')"
        )


def test_new_database_offers_the_news_labels(store: Store) -> None:
    labels = store.labels()
    assert [label.name for label in labels] == NEWS_LABELS
    quote = labels[0]
    assert quote.attributes == {"kind": ["direct", "indirect", "mixed"]}
    assert quote.shortcut == "1"
    assert quote.colour.startswith("#")


def test_custom_label_schema(open_store: OpenStore, tmp_path: Path) -> None:
    schema = '{"labels": [{"name": "Claim", "colour": "#123456", "attributes": {"x": ["a"]}}]}'
    store = open_store(tmp_path / "custom.db", schema_text=schema)
    assert [label.name for label in store.labels()] == ["Claim"]
    assert store.labels()[0].attributes == {"x": ["a"]}


# -- importing the seed ------------------------------------------------------------------------


def test_seed_article_imports_exactly(store: Store, seed_doc: str) -> None:
    document = store.document(seed_doc)
    assert document.text == _seed_text()
    assert document.source == seed_paths()[0].name
    assert document.title.startswith("Ukrainian President Volodymyr Zelensky claimed")
    assert len(document.title) <= 120
    [summary] = store.documents("alice")
    assert (summary.id, summary.status, summary.annotation_count) == (seed_doc, "new", 0)
    assert store.document_count() == 1


def test_unknown_document_is_a_clear_error(store: Store) -> None:
    with pytest.raises(SpanwiseError, match="no document with id nope"):
        store.document("nope")


# -- annotations survive quitting and coming back ---------------------------------------------


def test_every_committed_edit_survives_reopening(
    open_store: OpenStore, store: Store, seed_doc: str
) -> None:
    text = store.document(seed_doc).text
    quote_span = _find(text, "While they were being trained")
    zelensky_span = _find(text, "Zelensky")
    wrote_span = _find(text, "wrote")
    burn_span = _find(text, "burn")

    quote = store.add_annotation(
        seed_doc, "alice", "Quote", *quote_span, {"kind": "direct"}, note="opening quote"
    )
    speaker = store.add_annotation(seed_doc, "alice", "Speaker", *zelensky_span)
    cue = store.add_annotation(seed_doc, "alice", "Cue", *wrote_span)
    event = store.add_annotation(seed_doc, "alice", "Event", *burn_span, {"type": "attack"})

    updated = update_annotation(
        store, quote.id, attributes={"kind": "mixed"}, note="reworded, mixed quote"
    )
    relabelled = update_annotation(store, speaker.id, label="Participant")
    delete_annotation(store, cue.id)
    deleted_event = delete_annotation(store, event.id)
    restore_annotation(store, deleted_event)  # undo of the delete
    before = store.annotations(seed_doc, "alice")
    store.close()

    again = open_store()
    after = again.annotations(seed_doc, "alice")
    assert after == before
    by_id = {record.id: record for record in after}
    assert set(by_id) == {quote.id, speaker.id, event.id}
    assert by_id[quote.id].attributes == {"kind": "mixed"}
    assert by_id[quote.id].note == "reworded, mixed quote"
    assert by_id[quote.id].modified == updated.modified
    assert by_id[speaker.id].label == "Participant" == relabelled.label
    assert by_id[event.id] == deleted_event
    assert again.annotation(cue.id) is None
    assert [doc.annotation_count for doc in again.documents("alice")] == [3]
    assert again.status(seed_doc, "alice") == "in progress"
    for record in after:
        assert record.document_id == seed_doc
        assert text[record.start : record.end]


def test_annotations_come_in_text_order(store: Store, seed_doc: str) -> None:
    store.add_annotation(seed_doc, "alice", "Event", 50, 60)
    store.add_annotation(seed_doc, "alice", "Speaker", 10, 20)
    store.add_annotation(seed_doc, "alice", "Quote", 10, 40)
    spans = [(a.start, a.end) for a in store.annotations(seed_doc)]
    # Earlier first; at the same start the longer (enclosing) span first.
    assert spans == [(10, 40), (10, 20), (50, 60)]


def test_undo_of_an_update_restores_the_previous_state(
    open_store: OpenStore, store: Store, seed_doc: str
) -> None:
    original = store.add_annotation(
        seed_doc, "alice", "Quote", 0, 30, {"kind": "indirect"}, note="first"
    )
    update_annotation(store, original.id, label="Event", attributes={"type": "policy"}, note="x")
    restore_annotation(store, original)
    assert store.annotation(original.id) == original
    store.close()
    assert open_store().annotation(original.id) == original


def test_note_can_be_cleared(open_store: OpenStore, store: Store, seed_doc: str) -> None:
    record = store.add_annotation(seed_doc, "alice", "Quote", 0, 10, note="a note")
    assert update_annotation(store, record.id, note="").note is None
    update_annotation(store, record.id, note="again")
    update_annotation(store, record.id, clear_note=True)
    store.close()
    assert open_store().annotation(record.id).note is None


def test_attribute_can_be_left_empty(store: Store, seed_doc: str) -> None:
    record = store.add_annotation(seed_doc, "alice", "Quote", 0, 10, {"kind": ""})
    assert store.annotation(record.id).attributes == {"kind": ""}


def test_deleting_an_unknown_annotation_is_refused(store: Store, seed_doc: str) -> None:
    with pytest.raises(InvalidAnnotation, match="no annotation"):
        delete_annotation(store, "does-not-exist")
    with pytest.raises(InvalidAnnotation, match="no annotation"):
        update_annotation(store, "does-not-exist", note="x")


# -- invalid annotations store nothing ---------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "start", "end", "attributes", "message"),
    [
        ("Quote", 5, 5, {}, "outside the text"),
        ("Quote", 9, 5, {}, "outside the text"),
        ("Quote", -1, 5, {}, "outside the text"),
        ("Quote", 0, 10**6, {}, "outside the text"),
        ("Gossip", 0, 5, {}, "unknown label 'Gossip'"),
        ("Quote", 0, 5, {"kind": "sarcastic"}, "Quote.kind must be one of"),
        ("Event", 0, 5, {"type": "party"}, "Event.type must be one of"),
    ],
    ids=["empty", "reversed", "negative", "past-end", "label", "quote-kind", "event-type"],
)
def test_invalid_annotation_is_refused_and_stores_nothing(
    open_store: OpenStore,
    store: Store,
    seed_doc: str,
    label: str,
    start: int,
    end: int,
    attributes: dict[str, str],
    message: str,
) -> None:
    with pytest.raises(InvalidAnnotation, match=message):
        store.add_annotation(seed_doc, "alice", label, start, end, attributes)
    assert store.annotations(seed_doc) == []
    # A refused edit does not count as starting work on the document either.
    assert store.status(seed_doc, "alice") == "new"
    store.close()
    assert open_store().annotations(seed_doc) == []


def test_span_may_end_exactly_at_the_end_of_the_text(store: Store, seed_doc: str) -> None:
    length = len(store.document(seed_doc).text)
    record = store.add_annotation(seed_doc, "alice", "Place", length - 5, length)
    assert store.annotation(record.id) == record


def test_annotation_on_unknown_document_is_refused(store: Store, seed_doc: str) -> None:
    with pytest.raises(InvalidAnnotation, match="no document"):
        store.add_annotation("nope", "alice", "Quote", 0, 5)
    assert store.annotators() == []


def test_invalid_update_changes_nothing(store: Store, seed_doc: str) -> None:
    record = store.add_annotation(seed_doc, "alice", "Quote", 0, 20, {"kind": "direct"})
    with pytest.raises(InvalidAnnotation):
        update_annotation(store, record.id, attributes={"kind": "sarcastic"})
    with pytest.raises(InvalidAnnotation, match="unknown label"):
        update_annotation(store, record.id, label="Gossip", note="lost")
    assert store.annotation(record.id) == record


def test_putting_an_existing_annotation_again_is_refused_clearly(
    store: Store, seed_doc: str
) -> None:
    record = store.add_annotation(seed_doc, "alice", "Quote", 0, 20)
    with pytest.raises(InvalidAnnotation, match="exists"):
        store.put_annotation(record)


# -- status and the document list ------------------------------------------------------------


def test_status_follows_the_work(open_store: OpenStore, store: Store, seed_doc: str) -> None:
    assert store.status(seed_doc, "alice") == "new"
    store.add_annotation(seed_doc, "alice", "Speaker", 0, 9)
    assert store.status(seed_doc, "alice") == "in progress"
    store.set_status(seed_doc, "alice", "done")
    assert store.status(seed_doc, "alice") == "done"
    # More work on a finished document does not silently re-open it.
    store.add_annotation(seed_doc, "alice", "Speaker", 10, 19)
    assert store.status(seed_doc, "alice") == "done"
    store.close()
    again = open_store()
    [summary] = again.documents("alice")
    assert (summary.status, summary.annotation_count) == ("done", 2)


def test_unknown_status_is_refused(store: Store, seed_doc: str) -> None:
    with pytest.raises(SpanwiseError, match="status must be one of"):
        store.set_status(seed_doc, "alice", "finished")
    assert store.status(seed_doc, "alice") == "new"


def test_status_of_unknown_document_is_a_clear_error(store: Store) -> None:
    with pytest.raises(SpanwiseError, match="nope"):
        store.set_status("nope", "alice", "done")


def test_two_annotators_see_only_their_own_work(
    open_store: OpenStore, store: Store, seed_doc: str, tmp_path: Path
) -> None:
    other = tmp_path / "second.txt"
    other.write_text("A second article.\nThe minister said nothing.\n", encoding="utf-8")
    store.import_texts([other])
    second = next(doc.id for doc in store.documents("x") if doc.id != seed_doc)

    for start in (0, 20, 40):
        store.add_annotation(seed_doc, "alice", "Speaker", start, start + 5)
    store.add_annotation(seed_doc, "bob", "Quote", 0, 50)
    store.add_annotation(second, "bob", "Speaker", 2, 8)
    store.set_status(seed_doc, "bob", "done")
    store.close()

    again = open_store()
    alice = {doc.id: (doc.status, doc.annotation_count) for doc in again.documents("alice")}
    bob = {doc.id: (doc.status, doc.annotation_count) for doc in again.documents("bob")}
    carol = {doc.id: (doc.status, doc.annotation_count) for doc in again.documents("carol")}
    assert alice == {seed_doc: ("in progress", 3), second: ("new", 0)}
    assert bob == {seed_doc: ("done", 1), second: ("in progress", 1)}
    assert carol == {seed_doc: ("new", 0), second: ("new", 0)}
    assert len(again.annotations(seed_doc)) == 4
    assert {a.annotator for a in again.annotations(seed_doc, "bob")} == {"bob"}
    assert again.annotators() == ["alice", "bob"]


def test_documents_keep_their_import_order(store: Store, tmp_path: Path) -> None:
    names = ["zulu.txt", "alpha.txt", "mike.txt"]
    for name in names:
        path = tmp_path / name
        path.write_text(f"Article {name}\n", encoding="utf-8")
        store.import_texts([path])
    assert [doc.source for doc in store.documents("alice")] == names


# -- annotators and settings -------------------------------------------------------------------


def test_annotator_names_are_trimmed_and_required(store: Store) -> None:
    assert store.ensure_annotator("  alice  ") == "alice"
    assert store.ensure_annotator("alice") == "alice"
    assert store.annotators() == ["alice"]
    with pytest.raises(SpanwiseError, match="needs a name"):
        store.ensure_annotator("   ")


def test_settings_survive_reopening(open_store: OpenStore, store: Store) -> None:
    assert store.setting("current_annotator") is None
    store.set_setting("current_annotator", "alice")
    store.set_setting("current_annotator", "bob")
    store.close()
    assert open_store().setting("current_annotator") == "bob"


def test_restored_record_is_identical(store: Store, seed_doc: str) -> None:
    record = AnnotationData(
        id="fixed-id",
        document_id=seed_doc,
        annotator="alice",
        label="Time",
        start=3,
        end=12,
        attributes={},
        note="kept",
        created="2020-01-01T00:00:00.000Z",
        modified="2020-01-02T00:00:00.000Z",
    )
    restore_annotation(store, record)
    assert store.annotation("fixed-id") == record


def test_records_read_in_bulk_are_ordinary_immutable_records(store: Store, seed_doc: str) -> None:
    """Opening a long document builds its records without the frozen __init__; they must
    still compare equal, print the same and refuse changes like any other record."""
    pieces = ((3, 7), (9, 12))
    record = AnnotationData(
        "bulk-id", seed_doc, "alice", "Quote", 3, 12, {"kind": "direct"}, None, "c", "m", pieces
    )
    restore_annotation(store, record)
    (read,) = store.annotations(seed_doc, "alice")
    assert read == record
    assert repr(read) == repr(record)
    assert read.spans == pieces
    with pytest.raises(dataclasses.FrozenInstanceError):
        read.start = 0  # type: ignore[misc]
