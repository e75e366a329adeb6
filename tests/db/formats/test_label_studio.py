"""Label Studio JSON: round trips through the store, real exports with UTF-16 offsets,
per-span choices and notes, annotators, and refusals."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import pytest

from db.errors import ImportRefused
from db.formats import FORMATS, ReadOptions, WriteOptions
from db.formats.label_studio import LabelStudioFormat, labeling_config
from db.store import Store
from tests.db.conftest import OpenStore
from tests.db.formats.sample_b import TEXT, at, fill, import_batch, snapshot

LS = LabelStudioFormat()


def utf16(offset: int, text: str = TEXT) -> int:
    return len(text[:offset].encode("utf-16-le")) // 2


def region(
    ident: str, fragment: str, label: str, text: str = TEXT, unit: str = "utf16"
) -> dict[str, Any]:
    start = text.index(fragment)
    end = start + len(fragment)
    if unit == "utf16":
        start, end = utf16(start, text), utf16(end, text)
    return {
        "id": ident,
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "origin": "manual",
        "value": {"start": start, "end": end, "text": fragment, "labels": [label]},
    }


def detail(ident: str, kind: str, name: str, values: list[str]) -> dict[str, Any]:
    key = "choices" if kind == "choices" else "text"
    return {"id": ident, "from_name": name, "to_name": "text", "type": kind, "value": {key: values}}


def task(result: list[dict[str, Any]], text: str = TEXT, **annotation: Any) -> dict[str, Any]:
    return {
        "id": 17,
        "data": {"text": text},
        "annotations": [
            {
                "id": 41,
                "completed_by": 3,
                "result": result,
                "was_cancelled": False,
                "created_at": "2024-05-06T07:08:09.123456Z",
                "updated_at": "2024-05-06T07:18:09.654321Z",
            }
            | annotation
        ],
        "predictions": [],
    }


def write(path: Path, tasks: list[dict[str, Any]], ascii_escapes: bool = True) -> Path:
    # Label Studio writes JSON with \ud83d\ude00 escapes; the reader must join them again
    path.write_text(json.dumps(tasks, ensure_ascii=ascii_escapes), "utf-8")
    return path


def test_registered_for_import_and_export() -> None:
    assert FORMATS["label-studio"].can_import and FORMATS["label-studio"].can_export


def test_round_trip_keeps_attributes_notes_links_and_annotators(
    store: Store, open_store: OpenStore, tmp_path: Path
) -> None:
    original = fill(store)
    target = tmp_path / "tasks.json"
    written = LS.write(original, store.schema(), target, WriteOptions())
    assert set(written.lost) == {
        "fragments (each fragment is written as a separate span)",
        "entities",
        "'in progress' status (every annotation is written as submitted)",
    }
    batch = LS.read([target], ReadOptions())
    again = import_batch(open_store(tmp_path / "fresh.db"), batch)
    assert snapshot(again) == snapshot(original, fragments=False, entities=False)
    [document] = again
    assert document.statuses == {"ana": "done", "ben": "done"}
    assert document.document.text == TEXT and document.document.title == "Zelensky 👩‍👩‍👧"
    quote = next(a for a in document.annotations if a.label == "Quote" and a.annotator == "ana")
    assert (quote.attributes, quote.note) == ({"kind": "direct"}, "two pieces 😀")


def test_written_file_looks_like_a_label_studio_export(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "tasks.json"
    LS.write(fill(store), store.schema(), target, WriteOptions(annotator="ana"))
    [written] = json.loads(target.read_text("utf-8"))
    [annotation] = written["annotations"]
    assert annotation["completed_by"]["email"] == "ana"
    kinds = {item["type"] for item in annotation["result"]}
    assert kinds == {"labels", "choices", "textarea", "relation"}
    for item in annotation["result"]:
        if item["type"] == "labels":
            value = item["value"]
            assert TEXT[value["start"] : value["end"]] == value["text"]


def test_real_export_with_utf16_offsets_and_per_span_details(store: Store, tmp_path: Path) -> None:
    result = [
        region("q1", "We will win 😀,", "Quote"),
        region("s1", "he", "Speaker"),
        region("k1", "Kyiv", "Place"),
        region("e1", "attack", "Event"),
        detail("q1", "choices", "kind", ["direct"]),
        detail("q1", "textarea", "note", ["check", "the date"]),
        detail("e1", "textarea", "comment", ["free text"]),
        {"from_id": "s1", "to_id": "q1", "type": "relation", "direction": "left",
         "labels": ["speaker"]},
        {"from_name": "sentiment", "to_name": "text", "type": "choices",
         "value": {"choices": ["Negative"]}},
    ]  # fmt: skip
    path = write(tmp_path / "export.json", [task(result, created_username=" olga@example.org, 3")])
    batch = LS.read([path], ReadOptions())
    assert any("read as UTF-16 units" in m for m in batch.report.messages)
    assert batch.report.lost == ["choices not attached to a span ('sentiment')"]
    [document] = import_batch(store, batch)
    found = {(a.label, TEXT[a.start : a.end]): a for a in document.annotations}
    assert set(found) == {
        ("Quote", "We will win 😀,"),
        ("Speaker", "he"),
        ("Place", "Kyiv"),
        ("Event", "attack"),
    }
    quote = found[("Quote", "We will win 😀,")]
    assert quote.attributes == {"kind": "direct"} and quote.note == "check\nthe date"
    assert found[("Event", "attack")].attributes == {"comment": "free text"}
    assert {a.annotator for a in document.annotations} == {"olga@example.org"}
    assert quote.created == "2024-05-06T07:08:09.123Z"
    # direction "left": the arrow points from to_id to from_id
    [link] = document.relations
    assert (link.type, link.source, link.target) == (
        "speaker",
        quote.id,
        found[("Speaker", "he")].id,
    )
    assert document.statuses == {"olga@example.org": "done"}


def test_annotator_from_email_then_user_id_then_option(tmp_path: Path) -> None:
    text = "Ana said it."
    result = [region("a", "Ana", "Speaker", text)]
    tasks = [
        task(result, text, completed_by={"id": 1, "email": "ana@example.org"}),
        task(result, text, completed_by=2),
        task(result, text, completed_by=None),
    ]
    batch = LS.read([write(tmp_path / "who.json", tasks)], ReadOptions(annotator="carla"))
    names = [d.annotations[0].annotator for d in batch.documents]
    assert names == ["ana@example.org", "label-studio user 2", "carla"]


def test_code_point_offsets_are_told_apart_by_the_span_texts(store: Store, tmp_path: Path) -> None:
    result = [
        region("k", "Kyiv", "Place", unit="codepoints"),
        region("d", "dawn", "Time", unit="codepoints"),
    ]
    path = write(tmp_path / "cp.json", [task(result)])
    [document] = import_batch(store, LS.read([path], ReadOptions()))
    assert sorted(TEXT[a.start : a.end] for a in document.annotations) == ["Kyiv", "dawn"]


def test_option_contradicting_the_span_texts_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "export.json", [task([region("k", "Kyiv", "Place")])])
    with pytest.raises(ImportRefused) as refused:
        LS.read([path], ReadOptions(offsets="codepoints"))
    message = str(refused.value)
    assert "--offsets codepoints contradicts the file" in message
    assert "task 0 (id 17), annotations[0], result[0]" in message
    assert "the file says 'Kyiv'" in message and "(--offsets utf16)" in message
    assert LS.read([path], ReadOptions(offsets="utf16")).report.counts["annotations"] == 1


def test_span_text_matching_no_reading_is_refused(tmp_path: Path) -> None:
    bad = region("k", "Kyiv", "Place")
    bad["value"]["text"] = "Lviv"
    with pytest.raises(ImportRefused, match="fit neither code points"):
        LS.read([write(tmp_path / "bad.json", [task([bad])])], ReadOptions())


def test_second_import_of_the_same_file_changes_nothing(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path / "export.json", [task([region("k", "Kyiv", "Place")])])
    first = store.import_batch(
        [], [(b.schema, b.documents) for b in [LS.read([path], ReadOptions())]]
    )
    second = store.import_batch(
        [], [(b.schema, b.documents) for b in [LS.read([path], ReadOptions())]]
    )
    assert (first.annotations_added, second.annotations_added) == (1, 0)
    assert second.annotations_unchanged == 1 and second.documents_new == 0


def test_cancelled_annotations_predictions_and_other_results_are_reported(tmp_path: Path) -> None:
    text = "Ana said it."
    tasks = [
        task([region("a", "Ana", "Speaker", text)], text, was_cancelled=True),
        task([], text) | {"predictions": [{"result": [region("p", "Ana", "Speaker", text)]}]},
        task([{"id": "r", "type": "rating", "value": {"rating": 4}}], text),
    ]
    batch = LS.read([write(tmp_path / "misc.json", tasks)], ReadOptions())
    assert batch.report.counts["cancelled annotations skipped"] == 1
    assert batch.report.lost == [
        "predictions (model suggestions are not imported)",
        "'rating' results",
    ]
    assert all(not d.annotations for d in batch.documents)


def test_several_labels_on_one_span_become_several_annotations(tmp_path: Path) -> None:
    text = "Ana said it."
    two = region("a", "Ana", "Speaker", text)
    two["value"]["labels"] = ["Speaker", "Participant"]
    [document] = LS.read(
        [write(tmp_path / "two.json", [task([two], text)])], ReadOptions()
    ).documents
    assert sorted(a.label for a in document.annotations) == ["Participant", "Speaker"]
    assert len({a.id for a in document.annotations}) == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda t: t["annotations"][0]["result"][0]["value"].update(start="/p[1]"),
            "task 1 (id 17), annotations[0], result[0]: 'value.start' and 'value.end' must be",
        ),
        (
            lambda t: t["annotations"][0]["result"].append(
                {"from_id": "k", "to_id": "nope", "type": "relation"}
            ),
            "result[1]: 'to_id' 'nope' is not a span of this annotation",
        ),
        (lambda t: t.update(data={"a": "x", "b": "y"}), "cannot tell which field of 'data'"),
        (lambda t: t.update(data={"text": "bad \ud800 text"}), "unpaired surrogate"),
    ],
)
def test_bad_task_is_refused_naming_task_and_result(
    tmp_path: Path, change: Any, message: str
) -> None:
    bad = task([region("k", "Kyiv", "Place")])
    change(bad)
    path = write(tmp_path / "bad.json", [task([]), bad])  # the second task is the bad one
    with pytest.raises(ImportRefused) as refused:
        LS.read([path], ReadOptions())
    assert str(path) in str(refused.value) and message in str(refused.value)


def test_not_a_list_of_tasks_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"format": "spanwise"}', "utf-8")
    with pytest.raises(ImportRefused, match="a JSON list of tasks"):
        LS.read([path], ReadOptions())
    path.write_text("[1, 2", "utf-8")
    with pytest.raises(ImportRefused, match="not valid JSON \\(line 1"):
        LS.read([path], ReadOptions())


def test_labeling_config_names_every_label_relation_and_attribute(store: Store) -> None:
    config = ElementTree.fromstring(labeling_config(store.schema()))
    labels = {e.get("value") for e in config.iter("Label")}
    assert {"Quote", "Speaker", "Event"} <= labels
    assert {e.get("value") for e in config.iter("Relation")} >= {"speaker", "cue"}
    kind = next(e for e in config.iter("Choices") if e.get("name") == "kind")
    assert [c.get("value") for c in kind] == ["direct", "indirect", "mixed"]
    assert any(e.get("name") == "note" for e in config.iter("TextArea"))


def test_attribute_value_the_database_forbids_is_refused(store: Store, tmp_path: Path) -> None:
    result = [region("q", "We will win 😀,", "Quote"), detail("q", "choices", "kind", ["shouted"])]
    batch = LS.read([write(tmp_path / "bad.json", [task(result)])], ReadOptions())
    with pytest.raises(ImportRefused):
        store.import_batch([], [(batch.schema, batch.documents)])


def test_region_positions_survive_crlf_and_combining_marks(store: Store, tmp_path: Path) -> None:
    fragment = "café\u0301 👍🏽 naïve"
    path = write(tmp_path / "crlf.json", [task([region("c", fragment, "Event")])], False)
    [document] = import_batch(store, LS.read([path], ReadOptions()))
    [event] = document.annotations
    assert (event.start, event.end) == at(fragment)
