"""Large edits ("Accept all" on a long document, and its undo) are written in bulk: the
database ends up exactly as record-by-record writing leaves it, and a bad record still
refuses the whole edit."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

import db.storage.bulk_writer
from db.changes import Change
from db.errors import InvalidAnnotation
from db.files.text_files import TextFile
from db.formats.spanwise_json import parse_export
from db.storage.bulk_writer import is_bulk
from db.store import Store
from db.suggest import suggest
from db.suggest.accept import accept_all_change
from tests.db.conftest import OpenStore

GOLD = sorted((Path(__file__).resolve().parents[1] / "gold").rglob("*.spanwise.json"))


def _gold_text() -> str:
    documents = [parse_export(json.loads(p.read_text("utf-8")), p.name)[1][0] for p in GOLD]
    return "\n\n".join(item.document.text for item in documents)


def _document(store: Store, text: str) -> str:
    store.import_batch([TextFile(Path("long.txt"), "long", text)], [])
    [doc] = store.documents("ana")
    return doc.id


def _contents(store: Store, doc: str) -> tuple:
    return (
        store.annotations(doc, "ana"),
        sorted(store.relations(doc, "ana"), key=lambda r: r.id),
        sorted(store.entities(doc, "ana"), key=lambda e: e.id),
        [(d.id, d.status, d.annotation_count) for d in store.documents("ana")],
    )


def _accept_all(store: Store, doc: str, text: str) -> Change:
    return accept_all_change(suggest(text, doc, "ana"), [], [], [])


def test_accept_all_and_its_undo_in_bulk_equal_record_by_record(
    open_store: OpenStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _gold_text()
    bulk, single = open_store(tmp_path / "bulk.db"), open_store(tmp_path / "single.db")
    doc = _document(bulk, text)
    assert _document(single, text) == doc
    change = _accept_all(bulk, doc, text)
    assert is_bulk(change) and is_bulk(change.inverse())
    bulk.apply(change)
    with monkeypatch.context() as patch:
        patch.setattr(db.storage.bulk_writer, "BULK_RECORDS", 10**9)  # the record-by-record path
        single.apply(change)
    assert _contents(bulk, doc) == _contents(single, doc)
    assert len(bulk.annotations(doc, "ana")) > 400 and len(bulk.entities(doc, "ana")) > 20
    bulk.apply(change.inverse())
    assert _contents(bulk, doc)[:3] == ([], [], [])


def test_a_bad_record_refuses_the_whole_bulk_edit(store: Store) -> None:
    text = _gold_text()
    doc = _document(store, text)
    change = _accept_all(store, doc, text)
    pairs = list(change.annotations)
    wrong = dataclasses.replace(pairs[-1].after, end=len(text) + 5)
    last = dataclasses.replace(pairs[-1], after=wrong)
    bad = dataclasses.replace(change, annotations=(*pairs[:-1], last))
    with pytest.raises(InvalidAnnotation, match="outside the text"):
        store.apply(bad)
    assert store.annotations(doc, "ana") == []
    orphan = dataclasses.replace(change, annotations=change.annotations[1:])
    with pytest.raises(InvalidAnnotation, match="does not exist"):
        store.apply(orphan)  # a link or an entity points at the annotation left out
    assert store.annotations(doc, "ana") == [] and store.relations(doc, "ana") == []


def test_a_bulk_removal_refuses_to_leave_links_pointing_at_nothing(store: Store) -> None:
    text = _gold_text()
    doc = _document(store, text)
    change = _accept_all(store, doc, text)
    store.apply(change)
    before = _contents(store, doc)
    undo = change.inverse()
    keep_links = dataclasses.replace(undo, relations=())  # the links would point at nothing
    with pytest.raises(InvalidAnnotation, match="still has a link"):
        store.apply(keep_links)
    assert _contents(store, doc) == before
    with pytest.raises(InvalidAnnotation, match="exists already"):
        store.apply(change)  # the same additions again
    assert _contents(store, doc) == before
