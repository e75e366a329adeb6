"""Broken and hostile Spanwise JSON imports: every one is refused as a whole, in one line that
names the file, the document and the field; the database is exactly as it was."""

from __future__ import annotations

import copy
import json
import random
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from db.errors import ImportRefused
from db.formats.batch_import import import_paths
from db.formats.spanwise_json import load_export_file
from db.store import Store
from seeds import seed_paths
from tests.robust.helpers import TRICKY_TEXT, document_json, dump, news_export

Mutation = Callable[[dict[str, Any]], None]


def _valid_export() -> dict[str, Any]:
    rng = random.Random(3)
    return news_export(
        [
            document_json(TRICKY_TEXT, "Tricky", rng, 8),
            document_json("Second article, plain.\n" * 5, "Second", rng, 4),
        ]
    )


VALID = _valid_export()
DOC = VALID["documents"][0]["id"]
AT = f"document '{DOC}'"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with work in it (built once, copied for each test)."""
    path = tmp_path_factory.mktemp("template") / "spanwise.db"
    store = Store(path)
    try:
        store.import_texts(seed_paths())
        [doc] = store.documents("ana")
        store.add_annotation(doc.id, "ana", "Quote", 0, 9, {"kind": "direct"}, note="kept")
    finally:
        store.close()
    return path


@pytest.fixture
def busy_store(template: Path, tmp_path: Path) -> Any:
    path = tmp_path / "spanwise.db"
    shutil.copyfile(template, path)
    store = Store(path)
    yield store
    store.close()


def _refused(store: Store, path: Path, *fragments: str) -> str:
    before = dump(store.path)
    with pytest.raises(ImportRefused) as refused:
        import_paths(store, [path])
    message = str(refused.value)
    assert message.startswith(str(path)), message
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message, message
    assert dump(store.path) == before
    return message


def _set(*path: Any, value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        target = data
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return mutate


def _delete(*path: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        target = data
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]

    return mutate


def _ann(index: int, key: str, value: Any) -> Mutation:
    return _set("documents", 0, "annotations", index, key, value=value)


def _duplicate_annotation(data: dict[str, Any]) -> None:
    annotations = data["documents"][0]["annotations"]
    annotations.append(copy.deepcopy(annotations[0]))


def _annotation_id_of_another_document(data: dict[str, Any]) -> None:
    """The second document's first annotation takes the first one's id, its links and
    entities following it (a file consistent in itself but for the repeat)."""
    second = data["documents"][1]
    old, new = second["annotations"][0]["id"], data["documents"][0]["annotations"][0]["id"]
    second["annotations"][0]["id"] = new
    for link in second["relations"]:
        for end in ("source", "target"):
            link[end] = new if link[end] == old else link[end]
    for entity in second["entities"]:
        entity["mentions"] = [new if m == old else m for m in entity["mentions"]]


def _relation_id_like_an_annotation(data: dict[str, Any]) -> None:
    document = data["documents"][0]
    document["relations"][0]["id"] = document["annotations"][3]["id"]


def _duplicate_document(data: dict[str, Any]) -> None:
    data["documents"].append(copy.deepcopy(data["documents"][0]))


def _start_after_end(data: dict[str, Any]) -> None:
    item = data["documents"][0]["annotations"][0]
    item["start"], item["end"] = item["end"], item["start"]


CASES: list[tuple[str, Mutation, tuple[str, ...]]] = [
    ("wrong-format", _set("format", value="brat"), ("format",)),
    ("format-missing", _delete("format"), ("format",)),
    ("future-version", _set("version", value=2), ("version 2", "newer")),
    ("version-zero", _set("version", value=0), ("version",)),
    ("version-string", _set("version", value="1"), ("'version' must be int",)),
    ("version-bool", _set("version", value=True), ("'version' has the wrong type",)),
    ("version-float", _set("version", value=1.0), ("'version' must be int",)),
    ("documents-missing", _delete("documents"), ("missing field 'documents'",)),
    ("documents-object", _set("documents", value={}), ("'documents' must be list",)),
    ("labels-missing", _delete("labels"), ("'labels'",)),
    ("document-not-object", _set("documents", 0, value=[1]), ("documents[0]", "object")),
    ("document-id-missing", _delete("documents", 0, "id"), ("documents[0]", "'id'")),
    ("text-missing", _delete("documents", 0, "text"), (AT, "missing field 'text'")),
    ("text-number", _set("documents", 0, "text", value=5), (AT, "'text' must be str")),
    ("text-empty", _set("documents", 0, "text", value=""), (AT, "'text'")),
    ("sha-mismatch", _set("documents", 0, "sha256", value="0" * 64), (AT, "'sha256'")),
    ("sha-missing", _delete("documents", 0, "sha256"), (AT, "'sha256'")),
    ("status-list", _set("documents", 0, "status", value=[]), (AT, "'status'")),
    ("status-unknown", _set("documents", 0, "status", "ana", value="finished"), (AT, "'status'")),
    ("title-missing", _delete("documents", 0, "title"), (AT, "'title'")),
    ("annotations-object", _set("documents", 0, "annotations", value={}), (AT, "'annotations'")),
    ("annotation-list", _set("documents", 0, "annotations", 0, value=[]), (AT, "annotations[0]")),
    ("start-missing", _delete("documents", 0, "annotations", 2, "start"), (AT, "'start'")),
    ("start-string", _ann(2, "start", "3"), (AT, "annotations[2]", "'start' must be int")),
    ("start-float", _ann(2, "start", 3.0), (AT, "annotations[2]", "'start' must be int")),
    ("start-bool", _ann(2, "start", False), (AT, "annotations[2]", "'start'")),
    ("start-negative", _ann(2, "start", -1), (AT, "annotations[2]", "outside the text")),
    ("end-past-text", _ann(2, "end", 10_000), (AT, "annotations[2]", "outside the text")),
    ("end-huge", _ann(2, "end", 10**40), (AT, "annotations[2]", "outside the text")),
    ("start-after-end", _start_after_end, (AT, "annotations[0]", "outside the text")),
    ("span-text-differs", _ann(1, "text", "something else"), (AT, "annotations[1]", "'text'")),
    ("label-unknown", _ann(1, "label", "Villain"), (AT, "annotations[1]", "'Villain'")),
    ("attributes-list", _ann(0, "attributes", []), (AT, "annotations[0]", "'attributes'")),
    ("attribute-bad", _ann(0, "attributes", {"kind": "shouted"}), (AT, "'attributes'")),
    ("note-number", _ann(0, "note", 5), (AT, "annotations[0]", "'note'")),
    ("annotator-empty", _ann(0, "annotator", " "), (AT, "annotations[0]", "'annotator'")),
    ("id-empty", _ann(0, "id", ""), (AT, "annotations[0]", "'id'")),
    ("fragments-bad", _ann(0, "fragments", [[0, 1]]), (AT, "annotations[0]", "'fragments'")),
    ("fragments-strings", _ann(0, "fragments", ["a"]), (AT, "annotations[0]", "'fragments'")),
    ("duplicate-annotation", _duplicate_annotation, (AT, "duplicate id")),
    ("duplicate-across-docs", _annotation_id_of_another_document, ("duplicate id",)),
    ("relation-id-taken", _relation_id_like_an_annotation, (AT, "duplicate id")),
    ("duplicate-document", _duplicate_document, (AT, "duplicate document id")),
    (
        "relation-to-nothing",
        _set("documents", 0, "relations", 0, "target", value="nobody"),
        (AT, "relations[0]", "'target' 'nobody'"),
    ),
    (
        "relation-type-unknown",
        _set("documents", 0, "relations", 0, "type", value="loves"),
        (AT, "relations[0]", "'type' 'loves'"),
    ),
    (
        "relation-wrong-labels",
        _set("documents", 0, "relations", 0, "type", value="cue"),
        (AT, "relations[0]", "'type' 'cue'"),
    ),
    (
        "relation-missing-source",
        _delete("documents", 0, "relations", 0, "source"),
        (AT, "relations[0]", "'source'"),
    ),
    (
        "entity-mention-of-nothing",
        _set("documents", 0, "entities", 0, "mentions", value=["nobody"]),
        (AT, "entities[0]", "'nobody'"),
    ),
    (
        "entity-mentions-string",
        _set("documents", 0, "entities", 0, "mentions", value="x"),
        (AT, "entities[0]", "'mentions'"),
    ),
    (
        "entity-mentions-nested",
        _set("documents", 0, "entities", 0, "mentions", value=[["a"], {"b": 1}]),
        (AT, "entities[0]", "'mentions' must be a list of annotation ids"),
    ),
    ("note-surrogate", _ann(0, "note", "\ud800"), (AT, "annotations[0], 'note'", "surrogate")),
    (
        "attribute-key-surrogate",
        _ann(1, "attributes", {"\udfff": "x"}),
        (AT, "annotations[1], 'attributes'", "surrogate"),
    ),
    ("title-surrogate", _set("documents", 0, "title", value="a\ud83d"), (AT, "'title'", "surr")),
]


@pytest.mark.parametrize(("mutate", "fragments"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_broken_export_is_refused_whole_naming_document_and_field(
    busy_store: Store, tmp_path: Path, mutate: Mutation, fragments: tuple[str, ...]
) -> None:
    data = copy.deepcopy(VALID)
    mutate(data)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data, ensure_ascii=True), encoding="utf-8")
    _refused(busy_store, path, *fragments)


def test_the_unbroken_export_imports(busy_store: Store, tmp_path: Path) -> None:
    """The cases above differ from a file that imports only by what each one breaks."""
    path = tmp_path / "valid.json"
    path.write_text(json.dumps(VALID), encoding="utf-8")
    summary = import_paths(busy_store, [path])
    assert summary.documents_new == 2
    assert summary.annotations_added == 12


VALID_BYTES = json.dumps(VALID).encode()


@pytest.mark.parametrize(
    ("raw", "fragments"),
    [
        (b"", ("empty",)),
        (b"this is not JSON\n", ("not valid JSON", "line 1")),
        (VALID_BYTES[: len(VALID_BYTES) // 2], ("not valid JSON",)),
        (VALID_BYTES[:-1], ("not valid JSON",)),
        (b"[1, 2, 3]", ("JSON object",)),
        (b'"spanwise"', ("JSON object",)),
        (b"\xff\xfe{\x00}\x00", ("not UTF-8",)),
        (b'{"format": "spanwise", "version": NaN}', ("NaN",)),
        (b'{"format": "spanwise", "version": Infinity}', ("Infinity",)),
        (b'{"format": "spanwise", "version": ' + b"9" * 5000 + b"}", ("digits",)),
        (b'{"format": "spanwise", "version": 1, "labels": [], "documents": [] ', ("not valid",)),
        (b'{"format": "spanwise"}\n{"format": "spanwise"}', ("Extra data",)),
    ],
    ids=[
        "empty",
        "not-json",
        "truncated-half",
        "truncated-last-brace",
        "array",
        "string",
        "utf-16",
        "nan",
        "infinity",
        "5000-digit-number",
        "unclosed",
        "two-objects",
    ],
)
def test_a_file_that_is_not_a_json_export_is_refused(
    busy_store: Store, tmp_path: Path, raw: bytes, fragments: tuple[str, ...]
) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(raw)
    _refused(busy_store, path, *fragments)


@pytest.fixture(scope="module")
def nested_100_mb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("nested") / "nested.json"
    depth = 50 * 1024 * 1024
    with path.open("wb") as handle:
        handle.write(b'{"format": "spanwise", "version": 1, "labels": [], "documents": ')
        for chunk in (b"[" * (1 << 20), b"]" * (1 << 20)):
            for _ in range(depth >> 20):
                handle.write(chunk)
        handle.write(b"}")
    assert path.stat().st_size > 100 * 1024 * 1024
    return path


def test_100_mb_of_nesting_is_refused_by_the_spanwise_reader(nested_100_mb: Path) -> None:
    with pytest.raises(ImportRefused, match="nested too deeply") as refused:
        load_export_file(nested_100_mb)
    assert str(refused.value).startswith(str(nested_100_mb))


def test_100_mb_of_nesting_is_refused_by_the_import(busy_store: Store, nested_100_mb: Path) -> None:
    _refused(busy_store, nested_100_mb, "nested too deeply")


def test_deep_nesting_that_json_can_read_is_refused_by_the_checks(
    busy_store: Store, tmp_path: Path
) -> None:
    data = copy.deepcopy(VALID)
    data["documents"][0]["annotations"][1]["attributes"] = {"x": json.loads("[" * 500 + "]" * 500)}
    path = tmp_path / "deep.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    _refused(busy_store, path, AT, "annotations[1]", "'attributes'")


def test_a_bad_file_among_good_ones_imports_nothing(busy_store: Store, tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(VALID), encoding="utf-8")
    article = tmp_path / "article.txt"
    article.write_text("A good article.\n", encoding="utf-8")
    broken = copy.deepcopy(VALID)
    broken["documents"][1]["annotations"][0]["end"] = 10**6
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(broken), encoding="utf-8")
    before = dump(busy_store.path)
    with pytest.raises(ImportRefused, match="bad.json"):
        import_paths(busy_store, [good, article, bad])
    assert dump(busy_store.path) == before
