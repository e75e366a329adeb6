"""doccano JSON lines: round trips through the store, both shapes, UTF-16 offsets, refusals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from db.errors import ImportRefused
from db.formats import FORMATS, ReadOptions, WriteOptions
from db.formats.doccano import DoccanoFormat
from db.store import Store
from tests.db.conftest import OpenStore
from tests.db.formats.sample_b import TEXT, at, fill, import_batch, snapshot

DOCCANO = DoccanoFormat()


def utf16(offset: int, text: str = TEXT) -> int:
    return len(text[:offset].encode("utf-16-le")) // 2


def write_lines(path: Path, *records: Any) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def test_registered_for_import_and_export() -> None:
    assert FORMATS["doccano"].can_import and FORMATS["doccano"].can_export


def test_round_trip_keeps_spans_links_annotators_and_lists_the_rest(
    store: Store, open_store: OpenStore, tmp_path: Path
) -> None:
    original = fill(store)
    target = tmp_path / "out.jsonl"
    written = DOCCANO.write(original, store.schema(), target, WriteOptions())
    # what doccano cannot hold is listed, not silently dropped
    assert set(written.lost) == {
        "fragments (each fragment is written as a separate span)",
        "attributes",
        "notes",
        "entities",
        "document statuses",
    }
    batch = DOCCANO.read([target], ReadOptions())
    assert batch.report.counts == {"documents": 2, "annotations": 11, "links": 6}
    fresh = open_store(tmp_path / "fresh.db")
    again = import_batch(fresh, batch)
    expected = snapshot(original, attributes=False, notes=False, fragments=False, entities=False)
    assert snapshot(again) == expected
    [document] = again
    assert document.document.title == original[0].document.title
    assert document.document.text == TEXT  # CRLF and every emoji exactly as they were


def test_second_import_of_the_same_file_changes_nothing(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    DOCCANO.write(fill(store), store.schema(), target, WriteOptions())
    fresh = Store(tmp_path / "fresh.db")
    try:
        batch = DOCCANO.read([target], ReadOptions())
        first = fresh.import_batch([], [(batch.schema, batch.documents)])
        before = fresh.export_documents()
        second = fresh.import_batch(
            [], [(batch.schema, DOCCANO.read([target], ReadOptions()).documents)]
        )
        assert first.annotations_added == 11
        assert (second.annotations_added, second.annotations_unchanged) == (0, 11)
        assert second.links_added == 0 and second.documents_new == 0
        assert fresh.export_documents() == before
    finally:
        fresh.close()


def test_file_written_with_utf16_offsets_imports_at_code_points(
    store: Store, open_store: OpenStore, tmp_path: Path
) -> None:
    original = fill(store)
    target = tmp_path / "utf16.jsonl"
    DoccanoFormat(offsets="utf16").write(original, store.schema(), target, WriteOptions())
    first = json.loads(target.read_text("utf-8").splitlines()[0])
    kyiv = next(e for e in first["entities"] if e["label"] == "Place")
    assert (kyiv["start_offset"], kyiv["end_offset"]) == (
        utf16(at("Kyiv")[0]),
        utf16(at("Kyiv")[1]),
    )
    batch = DOCCANO.read([target], ReadOptions())
    assert any("UTF-16" in m for m in batch.report.messages)
    again = import_batch(open_store(tmp_path / "fresh.db"), batch)
    assert snapshot(again) == snapshot(
        original, attributes=False, notes=False, fragments=False, entities=False
    )


def test_old_label_shape_with_real_emoji_and_utf16_offsets(store: Store, tmp_path: Path) -> None:
    text = "Sunset 🌅🌅 over Odesa 🇺🇦, said Olena Zelenska.\r\nShe smiled 😊."
    spans = [("Odesa", "Place"), ("Olena Zelenska", "Speaker"), ("She", "Speaker")]
    labels = []
    for fragment, label in spans:
        start = text.index(fragment)
        labels.append([utf16(start, text), utf16(start + len(fragment), text), label])
    path = write_lines(tmp_path / "old.jsonl", {"id": 7, "text": text, "label": labels})
    batch = DOCCANO.read([path], ReadOptions(annotator="olga"))
    [document] = import_batch(store, batch)
    assert sorted((a.label, text[a.start : a.end], a.annotator) for a in document.annotations) == [
        ("Place", "Odesa", "olga"),
        ("Speaker", "Olena Zelenska", "olga"),
        ("Speaker", "She", "olga"),
    ]


def test_code_point_file_with_emoji_is_read_as_code_points(store: Store, tmp_path: Path) -> None:
    text = "Sunset 🌅🌅 over Odesa, said Olena."
    start = text.index("Odesa")
    path = write_lines(
        tmp_path / "cp.jsonl", {"text": text, "label": [[start, start + 5, "Place"]]}
    )
    [document] = import_batch(store, DOCCANO.read([path], ReadOptions()))
    [place] = document.annotations
    assert text[place.start : place.end] == "Odesa"


AMBIGUOUS = {"text": "😀😀😀😀 and more", "label": [[2, 4, "Emoji"]]}


def test_ambiguous_file_is_refused_until_the_offsets_option_says(
    store: Store, tmp_path: Path
) -> None:
    path = write_lines(tmp_path / "ambiguous.jsonl", AMBIGUOUS)
    with pytest.raises(ImportRefused, match="--offsets codepoints or --offsets utf16"):
        DOCCANO.read([path], ReadOptions())
    [as_code_points] = DOCCANO.read([path], ReadOptions(offsets="codepoints")).documents
    [as_units] = DOCCANO.read([path], ReadOptions(offsets="utf16")).documents
    assert (as_code_points.annotations[0].start, as_code_points.annotations[0].end) == (2, 4)
    assert (as_units.annotations[0].start, as_units.annotations[0].end) == (1, 2)


def test_option_contradicting_the_text_is_refused_clearly(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "utf16.jsonl"
    DoccanoFormat(offsets="utf16").write(fill(store), store.schema(), target, WriteOptions())
    with pytest.raises(ImportRefused) as refused:
        DOCCANO.read([target], ReadOptions(offsets="codepoints"))
    message = str(refused.value)
    assert "--offsets codepoints contradicts the file" in message
    assert "line 1" in message and "(--offsets utf16)" in message
    split = write_lines(tmp_path / "split.jsonl", {"text": "😀 ok", "label": [[1, 4, "X"]]})
    with pytest.raises(ImportRefused, match="splits an emoji's surrogate pair"):
        DOCCANO.read([split], ReadOptions(offsets="utf16"))


def test_annotator_comes_from_the_line_then_the_option_then_doccano(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "who.jsonl",
        {"text": "Ana said it.", "label": [[0, 3, "Speaker"]], "annotator": "ana"},
        {"text": "Ben said it.", "label": [[0, 3, "Speaker"]]},
    )
    named = DOCCANO.read([path], ReadOptions(annotator="carla")).documents
    assert [d.annotations[0].annotator for d in named] == ["ana", "carla"]
    unnamed = DOCCANO.read([path], ReadOptions())
    assert [d.annotations[0].annotator for d in unnamed.documents] == ["ana", "doccano"]
    assert any("imported as annotator 'doccano'" in m for m in unnamed.report.messages)
    assert not any("--annotator" in m for m in unnamed.report.messages)  # the window has none


def test_new_labels_and_relation_types_come_with_the_batch(store: Store, tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "new.jsonl",
        {
            "text": "Olena works for Ukrainska Pravda.",
            "entities": [
                {"id": 1, "label": "PER", "start_offset": 0, "end_offset": 5},
                {"id": 2, "label": "ORG", "start_offset": 16, "end_offset": 32},
            ],
            "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "works_for"}],
        },
    )
    batch = DOCCANO.read([path], ReadOptions(annotator="ana"))
    [document] = import_batch(store, batch)
    assert {label.name for label in store.labels()} >= {"PER", "ORG"}
    works_for = next(r for r in store.relation_types() if r.name == "works_for")
    assert (works_for.from_labels, works_for.to_labels) == (("PER",), ("ORG",))
    [link] = document.relations
    by_id = {a.id: a for a in document.annotations}
    assert (by_id[link.source].label, by_id[link.target].label) == ("PER", "ORG")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "line 2: not valid JSON"),
        ('{"label": []}', "line 2: no 'text'"),
        ('{"text": "abc", "label": [[0, 9, "X"]]}', "line 2, label[0]: span 0-9 is outside"),
        ('{"text": "abc", "label": [[2, 1, "X"]]}', "line 2, label[0]: span 2-1 is empty"),
        ('{"text": "abc", "label": [[0, 1]]}', "line 2, label[0]: must be [start, end, label]"),
        (
            '{"text": "abc", "entities": [{"id": 1, "label": "X", "start_offset": 0, '
            '"end_offset": 1}], "relations": [{"from_id": 1, "to_id": 5, "type": "r"}]}',
            "line 2, relations[0]: 'to_id' 5 is not an entity of this line",
        ),
        ('{"text": ""}', "line 2: the text is empty"),
    ],
)
def test_bad_line_is_refused_with_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "fine", "label": []}\n' + line + "\n", "utf-8")
    with pytest.raises(ImportRefused) as refused:
        DOCCANO.read([path], ReadOptions())
    assert str(path) in str(refused.value)
    assert message in str(refused.value)


def test_batch_with_a_link_the_schema_forbids_imports_nothing(store: Store, tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "forbidden.jsonl",
        {"text": "A good text.", "label": [[0, 1, "Speaker"]]},
        {
            "text": "Kyiv at dawn.",
            "entities": [
                {"id": 1, "label": "Place", "start_offset": 0, "end_offset": 4},
                {"id": 2, "label": "Time", "start_offset": 8, "end_offset": 12},
            ],
            "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "speaker"}],
        },
    )
    batch = DOCCANO.read([path], ReadOptions(annotator="ana"))
    with pytest.raises(ImportRefused, match="speaker"):
        store.import_batch([], [(batch.schema, batch.documents)])
    assert store.export_documents() == []


def test_document_level_labels_and_comments_are_reported_as_lost(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "classes.jsonl",
        {"text": "Good news.", "label": ["positive"], "Comments": ["check this"]},
    )
    batch = DOCCANO.read([path], ReadOptions())
    assert batch.report.lost == [
        "document-level labels (text classification)",
        "document comments",
    ]
    assert batch.documents[0].annotations == []


def test_folder_of_jsonl_files_is_one_batch(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    write_lines(folder / "ana.jsonl", {"text": "One.", "label": [[0, 3, "X"]]})
    write_lines(folder / "ben.jsonl", {"text": "Two.", "label": [[0, 3, "X"]]})
    batch = DOCCANO.read([folder], ReadOptions())
    assert [d.document.text for d in batch.documents] == ["One.", "Two."]
    assert DOCCANO.sniff(folder)


def test_one_sloppy_span_does_not_hide_what_the_others_say(tmp_path: Path) -> None:
    text = "😀 " + " ".join(f"word{n}" for n in range(12)) + " end."
    labels = []
    for n in range(12):
        start = text.index(f"word{n}")
        labels.append([utf16(start, text), utf16(start + 5 + (n >= 10), text), "W"])
    labels[0][1] -= 2  # someone selected only "wor" of "word0"
    path = write_lines(tmp_path / "sloppy.jsonl", {"text": text, "label": labels})
    batch = DOCCANO.read([path], ReadOptions())
    assert any("11 of 12 span(s)" in m and "UTF-16" in m for m in batch.report.messages)
    words = sorted(text[a.start : a.end] for a in batch.documents[0].annotations)
    assert words[0] == "wor" and "word11" in words


# -- the UTF-16 helpers -----------------------------------------------------------------------


def test_utf16_map_converts_both_ways_and_refuses_half_an_emoji() -> None:
    from db.formats.utf16 import Utf16Map, clean_boundaries

    text = "a😀b👍🏽c"
    mapping = Utf16Map(text)
    assert mapping.differs and mapping.utf16_length == len(text.encode("utf-16-le")) // 2
    for offset in range(len(text) + 1):
        assert mapping.to_codepoints(mapping.to_utf16(offset)) == offset
    assert mapping.to_codepoints(2) is None  # between the halves of 😀
    assert mapping.to_codepoints(99) is None
    assert mapping.convert(4, 8, "utf16") == (3, 5)
    assert text[3:5] == "👍🏽"  # an emoji with its skin tone: four UTF-16 units, two code points
    assert not Utf16Map("plain é text").differs
    assert clean_boundaries("café\u0301 ok", 0, 5) and not clean_boundaries("café\u0301 ok", 0, 4)
