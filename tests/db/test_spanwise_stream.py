"""A Spanwise export imported a document at a time: the same result as before, and a file
refused at its last document leaves the database as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from db.errors import ImportRefused
from db.formats.batch_import import import_paths
from db.formats.spanwise_json import export_json, save_export
from db.import_consent import TRUSTED
from db.schema.label_schema import load_schema
from db.store import Store
from tests.bench import data
from tests.robust.helpers import dump

DOCUMENTS = 2000


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2,000 documents by two annotators, exported by Spanwise (one document a line)."""
    folder = tmp_path_factory.mktemp("corpus")
    store = Store(folder / "source.db")
    try:
        store.import_batch([], [(load_schema(), data.corpus(DOCUMENTS, per_annotator=20))])
        save_export(export_json(store), folder / "corpus.json")
    finally:
        store.close()
    return folder / "corpus.json"


def _documents(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["documents"]


def test_a_2000_document_export_imports_into_the_same_export(exported: Path, tmp_path: Path):
    store = Store(tmp_path / "copy.db")
    try:
        summary = import_paths(store, [exported], consent=TRUSTED)
        again = tmp_path / "again.json"
        save_export(export_json(store), again)
    finally:
        store.close()
    assert summary.documents_new == DOCUMENTS
    assert _documents(again) == _documents(exported)


def test_a_file_refused_at_its_last_document_imports_nothing(exported: Path, tmp_path: Path):
    lines = exported.read_text(encoding="utf-8").splitlines(keepends=True)
    last = max(i for i, line in enumerate(lines) if line.startswith("  {"))
    broken = json.loads(lines[last])
    broken["annotations"][0]["start"] = -1
    lines[last] = json.dumps(broken, ensure_ascii=False) + "\n"
    path = tmp_path / "broken.json"
    path.write_text("".join(lines), encoding="utf-8")
    store = Store(tmp_path / "target.db")
    before = dump(store.path)
    try:
        with pytest.raises(ImportRefused) as refused:
            import_paths(store, [path], consent=TRUSTED)
    finally:
        store.close()
    message = str(refused.value)
    assert message.startswith(str(path)) and f"document '{broken['id']}'" in message
    assert "outside the text" in message
    assert dump(tmp_path / "target.db") == before


def _head_last(exported: Path, target: Path, keys: tuple[str, ...]) -> Path:
    """The same export with `keys` written after the documents (valid JSON all the same)."""
    whole = json.loads(exported.read_text(encoding="utf-8"))
    moved = {key: whole.pop(key) for key in keys}
    target.write_text(json.dumps({**whole, **moved}), encoding="utf-8")
    return target


def test_labels_written_after_the_documents_are_read_first(exported: Path, tmp_path: Path):
    path = _head_last(exported, tmp_path / "late.json", ("labels", "relation_types"))
    store = Store(tmp_path / "late.db")
    try:
        assert import_paths(store, [path], consent=TRUSTED).documents_new == DOCUMENTS
    finally:
        store.close()


def test_a_schema_key_alone_after_the_documents_is_refused_by_name(exported: Path, tmp_path: Path):
    path = _head_last(exported, tmp_path / "late.json", ("relation_types",))
    store = Store(tmp_path / "late.db")
    try:
        with pytest.raises(ImportRefused, match="'relation_types' comes after 'documents'"):
            import_paths(store, [path], consent=TRUSTED)
        assert store.documents("ana") == []
    finally:
        store.close()
