"""Spanwise JSON v1: exports that round-trip exactly, and imports refused before any write."""

from __future__ import annotations

import contextlib
import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from db.changes import Change, added
from db.errors import ImportRefused, SpanwiseError
from db.files.text_files import text_sha256
from db.formats.spanwise_json import (
    export_json,
    import_export,
    load_export_file,
    save_export,
)
from db.records import EntityData, RelationData
from db.store import Store, new_id
from seeds import seed_paths
from tests.db.conftest import OpenStore

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "resources" / "export.schema.json"

EMOJI_TEXT = (
    "Breaking 🇺🇦: Zelensky said “we 👨\u200d👩\u200d👧 stand”.\r\n"
    "Second line with e\u0301 and שלום 😀.\r\n"
    "Third\rline.\n"
)

Export = dict[str, Any]


def _span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def _content(data: Export) -> Export:
    """An export without the one thing that changes on every export."""
    data = copy.deepcopy(data)
    del data["exported_at"]
    return data


def _snapshot(store: Store) -> Export:
    return _content(export_json(store))


def _annotation_count(data: Export) -> int:
    return sum(len(doc["annotations"]) for doc in data["documents"])


@pytest.fixture
def schema() -> dict[str, Any]:
    loaded = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(loaded)
    return loaded


@pytest.fixture
def rich(open_store: OpenStore, tmp_path: Path) -> Store:
    """Two documents, three annotators, attributes, notes and every status."""
    store = open_store(tmp_path / "rich.db")
    _fill_rich(store, tmp_path)
    return store


def _fill_rich(store: Store, tmp_path: Path) -> None:
    store.import_texts(seed_paths())
    emoji_file = tmp_path / "emoji.txt"
    emoji_file.write_bytes(EMOJI_TEXT.encode("utf-8"))
    store.import_texts([emoji_file])
    seed_id, emoji_id = (doc.id for doc in store.documents("alice"))
    seed_text = store.document(seed_id).text

    quote = _span(seed_text, "There is no reason for Koreans to fight and die for Putin.")
    store.add_annotation(seed_id, "alice", "Quote", *quote, {"kind": "direct"}, note="key quote")
    store.add_annotation(seed_id, "alice", "Speaker", *_span(seed_text, "Zelensky"))
    store.add_annotation(seed_id, "bob", "Quote", *quote, {"kind": "indirect"})
    store.set_status(seed_id, "bob", "done")

    emoji_quote = _span(EMOJI_TEXT, "we 👨\u200d👩\u200d👧 stand")
    store.add_annotation(
        emoji_id, "alice", "Quote", *emoji_quote, {"kind": "mixed"}, note="😀 two\nlines"
    )
    store.add_annotation(emoji_id, "alice", "Place", *_span(EMOJI_TEXT, "🇺🇦"))
    across_crlf = _span(EMOJI_TEXT, "stand”.\r\nSecond line with e\u0301")
    store.add_annotation(emoji_id, "bob", "Event", *across_crlf, {"type": "statement"})
    store.add_annotation(emoji_id, "bob", "Time", *_span(EMOJI_TEXT, "Third\rline"))
    store.set_status(emoji_id, "carol", "new")
    store.set_status(seed_id, "alice", "done")


@pytest.fixture
def exported(rich: Store) -> Export:
    return export_json(rich)


@pytest.fixture
def target(open_store: OpenStore, tmp_path: Path) -> Store:
    """Another user's database: the seed article and some work of their own."""
    store = open_store(tmp_path / "target.db")
    store.import_texts(seed_paths())
    [doc] = store.documents("dave")
    store.add_annotation(doc.id, "dave", "Cue", 0, 10)
    return store


# -- export ------------------------------------------------------------------------------------


def test_export_has_the_documented_shape(rich: Store, exported: Export) -> None:
    assert exported["format"] == "spanwise"
    assert exported["version"] == 1
    assert exported["exported_at"].endswith("Z")
    assert [label["name"] for label in exported["labels"]][:2] == ["Quote", "Speaker"]
    assert {label["name"] for label in exported["labels"] if label["entities"]} == {
        "Speaker",
        "Participant",
    }
    assert [r["name"] for r in exported["relation_types"]] == [
        "speaker",
        "cue",
        "agent",
        "patient",
        "time",
        "place",
        "participant",
    ]
    assert exported["relation_types"][0] == {
        "name": "speaker",
        "from": ["Quote"],
        "to": ["Speaker"],
        "max": 1,
        "description": "Who the quote is attributed to.",
    }
    assert exported["relation_types"][2]["max"] is None
    assert exported["entity_types"] == ["person", "organisation", "group", "other"]
    assert exported["suggest"] == {"quote_definition": "speech", "lexicon": {}}
    assert list(exported) == [
        "format",
        "version",
        "exported_at",
        "labels",
        "relation_types",
        "entity_types",
        "suggest",
        "documents",
    ]
    seed, emoji = exported["documents"]
    assert emoji["text"] == EMOJI_TEXT
    assert emoji["sha256"] == text_sha256(EMOJI_TEXT)
    assert seed["status"] == {"alice": "done", "bob": "done"}
    assert emoji["status"] == {"alice": "in progress", "bob": "in progress", "carol": "new"}
    assert _annotation_count(exported) == 7
    assert {a["annotator"] for a in emoji["annotations"]} == {"alice", "bob"}
    notes = {a["note"] for doc in exported["documents"] for a in doc["annotations"]}
    assert notes == {None, "key quote", "😀 two\nlines"}


def test_export_validates_against_the_json_schema(
    schema: dict[str, Any], exported: Export, tmp_path: Path
) -> None:
    jsonschema.validate(exported, schema, cls=jsonschema.Draft202012Validator)
    path = tmp_path / "out.json"
    save_export(exported, path)
    on_disk = json.loads(path.read_bytes().decode("utf-8"))
    jsonschema.validate(on_disk, schema, cls=jsonschema.Draft202012Validator)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.pop("format"),
        lambda d: d.update(version=2),
        lambda d: d.update(format="brat"),
        lambda d: d["documents"][1]["annotations"][0].update(start="3"),
        lambda d: d["documents"][1]["annotations"][0].update(end=-1),
        lambda d: d["documents"][1]["annotations"][0].pop("text"),
        lambda d: d["documents"][1].update(status={"alice": "finished"}),
        lambda d: d["documents"][1].update(sha256="xyz"),
        lambda d: d["documents"][1].update(relations=[{"id": "r1"}]),
        lambda d: d["documents"][1]["annotations"][0].update(fragments=[[1, 2, 3]]),
        lambda d: d["labels"][0].update(colour="yellow"),
    ],
)
def test_schema_rejects_what_the_format_forbids(
    schema: dict[str, Any], exported: Export, mutate: Callable[[Export], Any]
) -> None:
    data = copy.deepcopy(exported)
    mutate(data)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)


def test_schema_accepts_fragments_relations_and_entities(
    schema: dict[str, Any], exported: Export
) -> None:
    data = copy.deepcopy(exported)
    doc = data["documents"][1]
    first, second = doc["annotations"][:2]
    first["fragments"] = [[first["start"], first["start"] + 2], [first["end"] - 1, first["end"]]]
    doc["relations"] = [
        {
            "id": "r1",
            "annotator": "alice",
            "type": "said",
            "source": first["id"],
            "target": second["id"],
        }
    ]
    doc["entities"] = [
        {
            "id": "e1",
            "annotator": "alice",
            "name": "Zelensky",
            "label": "Speaker",
            "mentions": [second["id"]],
        }
    ]
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)


def test_every_annotation_quotes_its_span(exported: Export) -> None:
    for doc in exported["documents"]:
        for annotation in doc["annotations"]:
            assert doc["text"][annotation["start"] : annotation["end"]] == annotation["text"]
    spans = [a["text"] for a in exported["documents"][1]["annotations"]]
    assert any("\r\n" in span for span in spans)  # the span across a CRLF is exported whole
    assert any("\r" in span and "\n" not in span for span in spans)


def test_export_file_is_readable_utf8(exported: Export, tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    save_export(exported, path)
    raw = path.read_bytes()
    assert "👨\u200d👩\u200d👧".encode() in raw  # written as UTF-8, not \u-escaped
    assert b"\r\n" not in raw  # CRLF inside the text is escaped, the file itself uses LF
    assert json.loads(raw.decode("utf-8")) == exported
    assert not list(tmp_path.glob("*.partial"))


def test_export_of_one_annotator(rich: Store) -> None:
    data = export_json(rich, annotator="bob")
    assert len(data["documents"]) == 2
    assert _annotation_count(data) == 3
    for doc in data["documents"]:
        assert {a["annotator"] for a in doc["annotations"]} == {"bob"}
        assert set(doc["status"]) == {"bob"}


def test_export_of_one_document(rich: Store, exported: Export) -> None:
    emoji_id = exported["documents"][1]["id"]
    data = export_json(rich, document_id=emoji_id)
    assert [doc["id"] for doc in data["documents"]] == [emoji_id]
    assert data["documents"][0] == exported["documents"][1]
    with pytest.raises(SpanwiseError, match="no document with id nope"):
        export_json(rich, document_id="nope")


# -- round trip --------------------------------------------------------------------------------


def test_round_trip_through_an_empty_database(
    open_store: OpenStore, exported: Export, tmp_path: Path
) -> None:
    path = tmp_path / "export.json"
    save_export(exported, path)
    fresh = open_store(tmp_path / "fresh.db")
    summary = import_export(fresh, load_export_file(path), str(path))
    assert (summary.documents_new, summary.annotations_added) == (2, 7)
    assert summary.annotations_conflicting == 0
    fresh.close()

    reopened = open_store(tmp_path / "fresh.db")
    assert _snapshot(reopened) == _content(exported)
    assert reopened.annotators() == ["alice", "bob", "carol"]
    seed_id, emoji_id = (d["id"] for d in exported["documents"])
    assert reopened.status(seed_id, "bob") == "done"
    assert reopened.status(emoji_id, "carol") == "new"
    assert reopened.document(emoji_id).text == EMOJI_TEXT


def test_importing_the_same_export_twice_changes_nothing(target: Store, exported: Export) -> None:
    import_export(target, exported, "export.json")
    before = _snapshot(target)
    summary = import_export(target, exported, "export.json")
    assert (summary.documents_new, summary.documents_matched) == (0, 2)
    assert (summary.annotations_added, summary.annotations_unchanged) == (0, 7)
    assert (summary.annotations_conflicting, summary.annotations_replaced) == (0, 0)
    assert _snapshot(target) == before
    assert "0 new documents, 2 already present" in summary.describe()


def test_import_keeps_the_receivers_own_work(target: Store, exported: Export) -> None:
    summary = import_export(target, exported, "export.json")
    assert (summary.documents_new, summary.documents_matched) == (1, 1)
    seed_id = exported["documents"][0]["id"]
    annotators = {a.annotator for a in target.annotations(seed_id)}
    assert annotators == {"alice", "bob", "dave"}
    assert [d.annotation_count for d in target.documents("dave")] == [1, 0]


def test_conflicting_annotation_is_reported_and_kept(target: Store, exported: Export) -> None:
    import_export(target, exported, "export.json")
    changed = copy.deepcopy(exported)
    speaker = next(a for a in changed["documents"][0]["annotations"] if a["label"] == "Speaker")
    speaker["label"] = "Participant"
    before = _snapshot(target)

    summary = import_export(target, changed, "export.json")
    assert summary.annotations_conflicting == 1
    assert summary.annotations_unchanged == 6
    assert any(speaker["id"] in message for message in summary.messages)
    assert target.annotation(speaker["id"]).label == "Speaker"
    assert _snapshot(target) == before

    summary = import_export(target, changed, "export.json", replace=True)
    assert summary.annotations_replaced == 1
    assert target.annotation(speaker["id"]).label == "Participant"


def test_document_matched_by_text_not_by_id(target: Store, exported: Export) -> None:
    data = copy.deepcopy(exported)
    local_id = data["documents"][0]["id"]
    data["documents"][0]["id"] = "id-from-another-machine"
    import_export(target, data, "export.json")
    assert target.document_count() == 2
    assert {a.annotator for a in target.annotations(local_id)} == {"alice", "bob", "dave"}


def test_document_id_clash_with_other_text_gets_a_new_id(target: Store) -> None:
    [seed] = target.documents("dave")
    text = "A different article.\r\n"
    data = {
        "format": "spanwise",
        "version": 1,
        "exported_at": "2025-01-01T00:00:00.000Z",
        "labels": [{"name": "Quote", "colour": "#f4b400"}],
        "documents": [
            {
                "id": seed.id,
                "title": "Different",
                "source": "other.txt",
                "text": text,
                "sha256": text_sha256(text),
                "imported_at": "2025-01-01T00:00:00.000Z",
                "status": {"erin": "done"},
                "annotations": [
                    {
                        "id": "a1",
                        "annotator": "erin",
                        "label": "Quote",
                        "start": 2,
                        "end": 11,
                        "text": "different",
                        "attributes": {},
                        "note": None,
                        "created": "2025-01-01T00:00:00.000Z",
                        "modified": "2025-01-01T00:00:00.000Z",
                    }
                ],
                "relations": [],
                "entities": [],
            }
        ],
    }
    import_export(target, data, "other.json")
    assert target.document(seed.id).text != text
    new_id = next(d.id for d in target.documents("erin") if d.id != seed.id)
    assert target.document(new_id).text == text
    assert target.annotation("a1").document_id == new_id
    assert target.status(new_id, "erin") == "done"


def test_labels_unknown_to_the_receiver_are_added(
    open_store: OpenStore, target: Store, tmp_path: Path
) -> None:
    schema_text = json.dumps(
        {"labels": [{"name": "Claim", "colour": "#abcdef", "attributes": {"checked": ["yes"]}}]}
    )
    source = open_store(tmp_path / "custom.db", schema_text=schema_text)
    source.import_texts(seed_paths())
    [doc] = source.documents("erin")
    source.add_annotation(doc.id, "erin", "Claim", 5, 15, {"checked": "yes"})
    import_export(target, export_json(source), "custom.json")
    names = [label.name for label in target.labels()]
    assert names[-1] == "Claim"
    assert len(names) == 8
    [claim] = target.annotations(doc.id, "erin")
    assert (claim.label, claim.attributes) == ("Claim", {"checked": "yes"})


# -- refusals ----------------------------------------------------------------------------------


def _emoji_doc(d: Export) -> dict[str, Any]:
    return d["documents"][1]


def _first(d: Export) -> dict[str, Any]:
    return _emoji_doc(d)["annotations"][0]


def _swap_offsets(d: Export) -> None:
    ann = _first(d)
    ann["start"], ann["end"] = ann["end"], ann["start"]


BAD_EXPORTS: dict[str, tuple[Callable[[Export], Any], list[str]]] = {
    "wrong-format": (lambda d: d.update(format="brat"), ["format", "'brat'"]),
    "no-format": (lambda d: d.pop("format"), ["format", "None"]),
    "future-version": (lambda d: d.update(version=2), ["version 2 is newer"]),
    "version-zero": (lambda d: d.update(version=0), ["unknown version 0"]),
    "version-string": (lambda d: d.update(version="1"), ["'version' must be int"]),
    "no-labels": (lambda d: d.pop("labels"), ["missing field 'labels'"]),
    "empty-labels": (lambda d: d.update(labels=[]), ["'labels' must be a non-empty list"]),
    "bad-colour": (lambda d: d["labels"][0].update(colour="red"), ["labels[0].colour"]),
    "documents-object": (lambda d: d.update(documents={}), ["'documents' must be list"]),
    "document-not-object": (
        lambda d: d["documents"].__setitem__(1, []),
        ["documents[1]", "must be an object"],
    ),
    "missing-title": (lambda d: _emoji_doc(d).pop("title"), ["{doc}", "missing field 'title'"]),
    "missing-start": (lambda d: _first(d).pop("start"), ["{doc}", "missing field 'start'"]),
    "missing-annotations": (
        lambda d: _emoji_doc(d).pop("annotations"),
        ["{doc}", "missing field 'annotations'"],
    ),
    "start-string": (lambda d: _first(d).update(start="3"), ["{doc}", "'start' must be int"]),
    "start-bool": (lambda d: _first(d).update(start=True), ["{doc}", "'start' has the wrong type"]),
    "end-float": (lambda d: _first(d).update(end=12.0), ["{doc}", "'end' must be int"]),
    "end-past-text": (
        lambda d: _first(d).update(end=len(EMOJI_TEXT) + 1),
        ["{doc}", "annotations[0]", "outside the text"],
    ),
    "negative-start": (lambda d: _first(d).update(start=-1), ["{doc}", "outside the text"]),
    "start-after-end": (_swap_offsets, ["{doc}", "annotations[0]", "outside the text"]),
    "empty-span": (
        lambda d: _first(d).update(end=_first(d)["start"]),
        ["{doc}", "outside the text"],
    ),
    "text-mismatch": (
        lambda d: _first(d).update(text="something else"),
        ["{doc}", "annotations[0]", "'text'", "does not match"],
    ),
    "sha-mismatch": (
        lambda d: _emoji_doc(d).update(sha256="0" * 64),
        ["{doc}", "'sha256' does not match"],
    ),
    "text-edited": (
        lambda d: _emoji_doc(d).update(text=EMOJI_TEXT.replace("\r\n", "\n")),
        ["{doc}", "'sha256' does not match"],
    ),
    "empty-text": (lambda d: _emoji_doc(d).update(text=""), ["{doc}", "'text' is empty"]),
    "lone-surrogate": (
        lambda d: _emoji_doc(d).update(text="\ud83d broken"),
        ["{doc}", "unpaired surrogate"],
    ),
    "duplicate-annotation-id": (
        lambda d: _emoji_doc(d)["annotations"][1].update(id=_first(d)["id"]),
        ["{doc}", "annotations[1]", "duplicate id"],
    ),
    "duplicate-id-across-documents": (
        lambda d: _first(d).update(id=d["documents"][0]["annotations"][0]["id"]),
        ["{doc}", "annotations[0]", "duplicate id"],
    ),
    "duplicate-document-id": (
        lambda d: d["documents"][0].update(id=_emoji_doc(d)["id"]),
        ["{doc}", "duplicate document id"],
    ),
    "unknown-label": (
        lambda d: _first(d).update(label="Gossip"),
        ["{doc}", "annotations[0]", "label 'Gossip' is not in 'labels'"],
    ),
    "bad-status": (
        lambda d: _emoji_doc(d).update(status={"alice": "finished"}),
        ["{doc}", "'status'", "'finished'"],
    ),
    "status-list": (lambda d: _emoji_doc(d).update(status=[]), ["{doc}", "'status' must be dict"]),
    "relation-incomplete": (
        lambda d: _emoji_doc(d).update(relations=[{"id": "r"}]),
        ["{doc}", "relations[0]", "missing field"],
    ),
    "relation-to-nothing": (
        lambda d: _emoji_doc(d).update(
            relations=[
                {
                    "id": "r",
                    "annotator": "alice",
                    "type": "speaker",
                    "source": _first(d)["id"],
                    "target": "nowhere",
                }
            ]
        ),
        ["{doc}", "relations[0]", "'target' 'nowhere' is not an annotation of this document"],
    ),
    "entity-with-missing-mention": (
        lambda d: _emoji_doc(d).update(
            entities=[
                {
                    "id": "e",
                    "annotator": "alice",
                    "name": "X",
                    "label": "person",
                    "mentions": ["ghost"],
                }
            ]
        ),
        ["{doc}", "entities[0]", "mention 'ghost' is not an annotation of this document"],
    ),
    "note-number": (lambda d: _first(d).update(note=5), ["{doc}", "'note' must be str or null"]),
    "attributes-list": (
        lambda d: _first(d).update(attributes=["direct"]),
        ["{doc}", "'attributes' must be dict"],
    ),
    "empty-annotator": (lambda d: _first(d).update(annotator=" "), ["{doc}", "'annotator'"]),
    "empty-id": (lambda d: _first(d).update(id=""), ["{doc}", "'id' is empty"]),
    "annotation-not-object": (
        lambda d: _emoji_doc(d)["annotations"].__setitem__(0, "Quote 1-5"),
        ["{doc}", "annotations[0]", "must be an object"],
    ),
    "last-annotation-bad": (
        lambda d: _emoji_doc(d)["annotations"][-1].update(created=None),
        ["{doc}", "annotations[3]", "'created' must be str"],
    ),
}


@pytest.mark.parametrize("case", BAD_EXPORTS.keys())
def test_bad_export_is_refused_and_changes_nothing(
    target: Store, exported: Export, case: str
) -> None:
    mutate, fragments = BAD_EXPORTS[case]
    data = copy.deepcopy(exported)
    doc_id = _emoji_doc(data)["id"]
    mutate(data)
    before = _snapshot(target)
    with pytest.raises(ImportRefused) as refused:
        import_export(target, data, "incoming.json")
    message = str(refused.value)
    assert message.startswith("incoming.json: ")
    assert "\n" not in message
    for fragment in fragments:
        assert fragment.format(doc=f"document '{doc_id}'") in message
    assert _snapshot(target) == before
    assert target.annotators() == ["dave"]


def test_attribute_value_outside_the_labels_list_is_refused(
    target: Store, exported: Export
) -> None:
    data = copy.deepcopy(exported)
    quote = next(a for d in data["documents"] for a in d["annotations"] if a["label"] == "Quote")
    quote["attributes"] = {"kind": "sarcastic"}
    before = _snapshot(target)
    with pytest.raises(ImportRefused, match="kind"):
        import_export(target, data, "incoming.json")
    assert _snapshot(target) == before


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (b"this is not JSON", "not valid JSON (line 1, column 1"),
        (b"", "the file is empty"),
        (b" \n\t", "the file is empty"),
        (b"[1, 2, 3]", "a Spanwise export is a JSON object"),
        (b'{"format": "spanwise", "text": "caf\xe9"}', "not UTF-8 at byte 35"),
        (b"[" * 100_000, "nested too deeply"),
    ],
    ids=["not-json", "empty", "blank", "array", "latin-1", "deep"],
)
def test_unreadable_file_is_refused_naming_it(tmp_path: Path, raw: bytes, fragment: str) -> None:
    path = tmp_path / "incoming.json"
    path.write_bytes(raw)
    with pytest.raises(ImportRefused) as refused:
        load_export_file(path)
    assert str(refused.value).startswith(f"{path}: ")
    assert fragment in str(refused.value)


def test_truncated_export_is_refused(exported: Export, tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    save_export(exported, path)
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(ImportRefused, match="not valid JSON") as refused:
        load_export_file(path)
    assert str(path) in str(refused.value)


def test_missing_export_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportRefused, match="cannot read"):
        load_export_file(tmp_path / "missing.json")


def test_export_with_byte_order_mark_is_read(exported: Export, tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(exported).encode("utf-8"))
    assert load_export_file(path) == exported


# -- links, entities and fragments -------------------------------------------------------------

FIRST_SENTENCE = "While they were being trained, they were forbidden even to show their faces."
THIRD_SENTENCE = (
    "And now, after battles with our troops, the Russians are even trying to... "
    "literally burn the faces of the killed North Korean soldiers,"
)
LINKS_IN_LINKED = 5


def _link(doc: str, annotator: str, link_type: str, source: str, target: str) -> RelationData:
    return RelationData(new_id(), doc, annotator, link_type, source, target)


def _add_links(rich: Store) -> None:
    """To `rich`: quotes attributed to speakers and cues, a quote in two fragments, a speaker
    entity, and an event's time."""
    seed_id, emoji_id = (doc.id for doc in rich.documents("alice"))
    text = rich.document(seed_id).text
    key_quote, zelensky = rich.annotations(seed_id, "alice")[::-1]
    assert (key_quote.label, zelensky.label) == ("Quote", "Speaker")
    he = rich.add_annotation(
        seed_id,
        "alice",
        "Speaker",
        _span(text, "” he added")[0] + 2,
        _span(text, "” he added")[0] + 4,
    )
    added_cue = rich.add_annotation(seed_id, "alice", "Cue", he.end + 1, he.end + 6)
    fragments = (_span(text, FIRST_SENTENCE), _span(text, THIRD_SENTENCE))
    split_quote = rich.add_annotation(
        seed_id,
        "alice",
        "Quote",
        fragments[0][0],
        fragments[1][1],
        {"kind": "direct"},
        fragments=fragments,
    )
    wrote_at = text.index("Zelensky wrote")
    zelensky2 = rich.add_annotation(seed_id, "alice", "Speaker", wrote_at, wrote_at + 8)
    wrote = rich.add_annotation(seed_id, "alice", "Cue", wrote_at + 9, wrote_at + 14)
    event, time = (a for a in rich.annotations(emoji_id, "bob") if a.label in ("Event", "Time"))
    relations = [
        _link(seed_id, "alice", "speaker", key_quote.id, he.id),
        _link(seed_id, "alice", "cue", key_quote.id, added_cue.id),
        _link(seed_id, "alice", "speaker", split_quote.id, zelensky2.id),
        _link(seed_id, "alice", "cue", split_quote.id, wrote.id),
        _link(emoji_id, "bob", "time", event.id, time.id),
    ]
    assert len(relations) == LINKS_IN_LINKED
    group = EntityData(
        new_id(),
        seed_id,
        "alice",
        "Volodymyr Zelensky",
        "person",
        (zelensky.id, zelensky2.id, he.id),
    )
    rich.apply(
        Change(
            "Attribute",
            relations=tuple(added(r) for r in relations),
            entities=(added(group),),
        )
    )


@pytest.fixture(scope="module")
def linked_once(tmp_path_factory: pytest.TempPathFactory) -> Export:
    """Built once: every test gets its own copy through `linked_export`."""
    folder = tmp_path_factory.mktemp("linked")
    store = Store(folder / "linked.db")
    try:
        _fill_rich(store, folder)
        _add_links(store)
        return export_json(store)
    finally:
        store.close()


@pytest.fixture
def linked_export(linked_once: Export) -> Export:
    return copy.deepcopy(linked_once)


def test_export_carries_links_entities_and_fragments(linked_export: Export) -> None:
    seed, emoji = linked_export["documents"]
    assert len(seed["relations"]) == 4
    assert [(r["type"], r["annotator"]) for r in emoji["relations"]] == [("time", "bob")]
    by_id = {a["id"]: a for a in seed["annotations"]}
    attributed = {
        (by_id[r["source"]]["text"][:20], r["type"]): by_id[r["target"]]["text"]
        for r in seed["relations"]
    }
    assert attributed == {
        ("There is no reason f", "speaker"): "he",
        ("There is no reason f", "cue"): "added",
        ("While they were bein", "speaker"): "Zelensky",
        ("While they were bein", "cue"): "wrote",
    }
    [group] = seed["entities"]
    assert (group["name"], group["label"], group["annotator"]) == (
        "Volodymyr Zelensky",
        "person",
        "alice",
    )
    assert [by_id[m]["text"] for m in group["mentions"]] == ["Zelensky", "Zelensky", "he"]
    assert emoji["entities"] == []
    [split] = [a for a in seed["annotations"] if "fragments" in a]
    assert [seed["text"][s:e] for s, e in split["fragments"]] == [FIRST_SENTENCE, THIRD_SENTENCE]
    assert (split["start"], split["end"]) == (split["fragments"][0][0], split["fragments"][-1][1])


def test_linked_export_validates_against_the_json_schema(
    schema: dict[str, Any], linked_export: Export, tmp_path: Path
) -> None:
    jsonschema.validate(linked_export, schema, cls=jsonschema.Draft202012Validator)
    path = tmp_path / "linked.json"
    save_export(linked_export, path)
    jsonschema.validate(
        json.loads(path.read_text(encoding="utf-8")), schema, cls=jsonschema.Draft202012Validator
    )


def test_first_release_export_still_validates(schema: dict[str, Any], exported: Export) -> None:
    """Exports written before links existed have no link types and no `entities` flags."""
    old = copy.deepcopy(exported)
    del old["relation_types"], old["entity_types"]
    for label in old["labels"]:
        del label["entities"]
    jsonschema.validate(old, schema, cls=jsonschema.Draft202012Validator)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["relation_types"][0].pop("from"),
        lambda d: d["relation_types"][0].update(max=0),
        lambda d: d["relation_types"][0].update(to=[]),
        lambda d: d["labels"][1].update(entities="yes"),
        lambda d: d.update(entity_types=[]),
        lambda d: _split(d).update(fragments=[_split(d)["fragments"][0]]),
        lambda d: d["documents"][0]["entities"][0].update(name=" "),
        lambda d: d["documents"][0]["entities"][0]["mentions"].append(
            d["documents"][0]["entities"][0]["mentions"][0]
        ),
    ],
    ids=[
        "link-type-without-from",
        "max-zero",
        "to-empty",
        "entities-not-bool",
        "no-entity-types",
        "single-fragment",
        "blank-entity-name",
        "mention-twice",
    ],
)
def test_schema_rejects_bad_links_entities_and_fragments(
    schema: dict[str, Any], linked_export: Export, mutate: Callable[[Export], Any]
) -> None:
    data = copy.deepcopy(linked_export)
    mutate(data)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)


def test_every_annotation_quotes_its_span_fragmented_too(linked_export: Export) -> None:
    fragmented = 0
    for doc in linked_export["documents"]:
        for annotation in doc["annotations"]:
            start, end = annotation["start"], annotation["end"]
            assert doc["text"][start:end] == annotation["text"]
            for piece_start, piece_end in annotation.get("fragments", []):
                fragmented += 1
                assert start <= piece_start < piece_end <= end
    assert fragmented == 2


def test_links_and_entities_round_trip_through_an_empty_database(
    open_store: OpenStore, linked_export: Export, tmp_path: Path
) -> None:
    path = tmp_path / "linked.json"
    save_export(linked_export, path)
    fresh = open_store(tmp_path / "fresh.db")
    summary = import_export(fresh, load_export_file(path), str(path))
    assert (summary.links_added, summary.entities_added) == (LINKS_IN_LINKED, 1)
    assert summary.other_conflicting == 0
    fresh.close()

    reopened = open_store(tmp_path / "fresh.db")
    assert _snapshot(reopened) == _content(linked_export)
    # and once more, from what the new database holds
    again = open_store(tmp_path / "again.db")
    import_export(again, export_json(reopened), "second.json")
    assert _snapshot(again) == _content(linked_export)


def test_importing_links_and_entities_twice_changes_nothing(
    target: Store, linked_export: Export
) -> None:
    import_export(target, linked_export, "linked.json")
    before = _snapshot(target)
    seed_id = linked_export["documents"][0]["id"]
    relation_count = len(target.relations(seed_id))

    summary = import_export(target, linked_export, "linked.json")
    assert (summary.links_added, summary.entities_added, summary.other_conflicting) == (0, 0, 0)
    assert summary.annotations_unchanged == _annotation_count(linked_export)
    assert list(summary.messages) == []
    assert "link" not in summary.describe()
    assert len(target.relations(seed_id)) == relation_count == 4
    assert len(target.entities(seed_id)) == 1
    assert _snapshot(target) == before


def _seed(d: Export) -> dict[str, Any]:
    return d["documents"][0]


def _split(d: Export) -> dict[str, Any]:
    return next(a for a in _seed(d)["annotations"] if "fragments" in a)


def _index(d: Export, annotation: dict[str, Any]) -> int:
    return _seed(d)["annotations"].index(annotation)


def _by_text(d: Export, label: str, text: str) -> dict[str, Any]:
    return next(a for a in _seed(d)["annotations"] if a["label"] == label and a["text"] == text)


def _speaker_link(d: Export) -> tuple[int, dict[str, Any]]:
    return next((i, r) for i, r in enumerate(_seed(d)["relations"]) if r["type"] == "speaker")


def _relation_to_nothing(d: Export) -> list[str]:
    index, relation = _speaker_link(d)
    relation["source"] = "nowhere"
    return [f"relations[{index}]", "'source' 'nowhere' is not an annotation of this document"]


def _relation_forbidden(d: Export) -> list[str]:
    index, relation = _speaker_link(d)
    relation["target"] = _by_text(d, "Cue", "wrote")["id"]
    return [f"relations[{index}]", "'type' 'speaker' cannot link Quote to Cue"]


def _relation_backwards(d: Export) -> list[str]:
    index, relation = _speaker_link(d)
    relation["source"], relation["target"] = relation["target"], relation["source"]
    return [f"relations[{index}]", "'type' 'speaker' cannot link Speaker to Quote"]


def _relation_unknown_type(d: Export) -> list[str]:
    index, relation = _speaker_link(d)
    relation["type"] = "said"
    return [f"relations[{index}]", "'type' 'said' is not in 'relation_types'"]


def _relation_of_another_annotator(d: Export) -> list[str]:
    index, relation = _speaker_link(d)
    relation["annotator"] = "bob"
    return [f"relations[{index}]", "belongs to another annotator"]


def _two_speakers(d: Export) -> list[str]:
    _index_, relation = _speaker_link(d)
    extra = dict(relation, id="second-speaker", target=_by_text(d, "Speaker", "Zelensky")["id"])
    _seed(d)["relations"].append(extra)
    return ["relation 'second-speaker'", "more than 1 speaker link(s)"]


def _duplicate_link_id(d: Export) -> list[str]:
    first, second = _seed(d)["relations"][:2]
    second["id"] = first["id"]
    return ["duplicate id"]


def _entity_missing_mention(d: Export) -> list[str]:
    _seed(d)["entities"][0]["mentions"].append("ghost")
    return ["entities[0]", "mention 'ghost' is not an annotation of this document"]


def _mention_in_two_entities(d: Export) -> list[str]:
    group = _seed(d)["entities"][0]
    _seed(d)["entities"].append(dict(group, id="e2", name="He", mentions=group["mentions"][-1:]))
    return ["entities[1]", f"mention '{group['mentions'][-1]}' belongs to two entities"]


def _entity_of_a_quote(d: Export) -> list[str]:
    _seed(d)["entities"][0]["mentions"].append(_split(d)["id"])
    return ["entities[0]", "is a Quote, not an entity"]


def _entity_of_another_annotator(d: Export) -> list[str]:
    _seed(d)["entities"][0]["annotator"] = "bob"
    return ["entities[0]", "belongs to another annotator"]


def _entity_without_name(d: Export) -> list[str]:
    _seed(d)["entities"][0]["name"] = " "
    return ["entities[0]", "'name' is empty"]


def _overlapping_fragments(d: Export) -> list[str]:
    split = _split(d)
    (a, b), (c, e) = split["fragments"]
    split["fragments"] = [[a, c + 3], [c, e]]
    return [f"annotations[{_index(d, split)}]", "'fragments'", "must not overlap"]


def _unsorted_fragments(d: Export) -> list[str]:
    split = _split(d)
    split["fragments"] = split["fragments"][::-1]
    return [f"annotations[{_index(d, split)}]", "'fragments'", "must be sorted"]


def _single_fragment(d: Export) -> list[str]:
    split = _split(d)
    split["fragments"] = [[split["start"], split["end"]]]
    return [f"annotations[{_index(d, split)}]", "'fragments'", "at least two fragments"]


def _fragments_off_the_hull(d: Export) -> list[str]:
    split = _split(d)
    split["fragments"][0][0] += 1
    return [f"annotations[{_index(d, split)}]", "'fragments'", "first fragment's start"]


def _fragments_not_pairs(d: Export) -> list[str]:
    split = _split(d)
    split["fragments"] = [[1, 2, 3], [4, 5]]
    return [f"annotations[{_index(d, split)}]", "'fragments' must be a list of [start, end] pairs"]


BAD_LINKED = [
    _relation_to_nothing,
    _relation_forbidden,
    _relation_backwards,
    _relation_unknown_type,
    _relation_of_another_annotator,
    _two_speakers,
    _duplicate_link_id,
    _entity_missing_mention,
    _mention_in_two_entities,
    _entity_of_a_quote,
    _entity_of_another_annotator,
    _entity_without_name,
    _overlapping_fragments,
    _unsorted_fragments,
    _single_fragment,
    _fragments_off_the_hull,
    _fragments_not_pairs,
]


@pytest.mark.parametrize("mutate", BAD_LINKED, ids=lambda f: f.__name__.strip("_"))
def test_bad_links_entities_and_fragments_are_refused(
    target: Store, linked_export: Export, mutate: Callable[[Export], list[str]]
) -> None:
    data = copy.deepcopy(linked_export)
    expected = mutate(data)
    before = _snapshot(target)
    with pytest.raises(ImportRefused) as refused:
        import_export(target, data, "incoming.json")
    message = str(refused.value)
    assert message.startswith(f"incoming.json: document '{_seed(data)['id']}'")
    assert "\n" not in message
    for fragment in expected:
        assert fragment in message
    assert _snapshot(target) == before
    assert target.annotators() == ["dave"]


def test_link_type_naming_an_unknown_label_is_refused(target: Store, linked_export: Export) -> None:
    data = copy.deepcopy(linked_export)
    data["relation_types"][0]["to"] = ["Nobody"]
    before = _snapshot(target)
    with pytest.raises(ImportRefused, match="relation 'speaker' to unknown label 'Nobody'"):
        import_export(target, data, "incoming.json")
    assert _snapshot(target) == before


def test_import_does_not_give_a_quote_a_second_speaker(
    open_store: OpenStore, target: Store, linked_export: Export, tmp_path: Path
) -> None:
    seed_id = _seed(linked_export)["id"]
    _index_, speaker_link = _speaker_link(linked_export)
    without = copy.deepcopy(linked_export)
    _seed(without)["relations"] = [
        r for r in _seed(without)["relations"] if r["id"] != speaker_link["id"]
    ]
    import_export(target, without, "monday.json")
    other_speaker = _by_text(linked_export, "Speaker", "Zelensky")["id"]
    target.apply(
        Change(
            "Link",
            relations=(
                added(_link(seed_id, "alice", "speaker", speaker_link["source"], other_speaker)),
            ),
        )
    )
    with contextlib.suppress(ImportRefused):
        import_export(target, linked_export, "tuesday.json")
    speakers = [
        r
        for r in target.relations(seed_id)
        if r.source == speaker_link["source"] and r.type == "speaker"
    ]
    assert len(speakers) == 1
    import_export(open_store(tmp_path / "third.db"), export_json(target), "target.json")


def test_import_checks_links_against_the_databases_link_types(
    target: Store, linked_export: Export
) -> None:
    data = copy.deepcopy(linked_export)
    data["relation_types"][0]["to"] = ["Speaker", "Cue"]
    index, relation = _speaker_link(data)
    relation["target"] = _by_text(data, "Cue", "wrote")["id"]
    with contextlib.suppress(ImportRefused):
        import_export(target, data, "loose.json")
    seed_id = _seed(data)["id"]
    for link in target.relations(seed_id):
        source, link_target = target.annotation(link.source), target.annotation(link.target)
        assert source is not None and link_target is not None
        allowed = next(r for r in target.relation_types() if r.name == link.type)
        assert allowed.allows(source.label, link_target.label), (index, link)
