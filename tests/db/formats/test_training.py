"""Training data export: BIO (CoNLL style) and spaCy-style JSON lines, exact on a text with
emoji, combining marks and CRLF."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from db.errors import ImportRefused
from db.files.text_files import text_sha256
from db.formats import FORMATS, FormatReport, ReadOptions, WriteOptions
from db.formats.training import BioFormat, SpacyFormat, bio_lines, tokenize
from db.records import AnnotationData, DocumentData, ExportedDocument
from db.schema.label_schema import load_schema
from db.store import Store
from tests.db.formats.sample_b import TEXT, at, fill


def span(
    label: str, start: int, end: int, fragments: tuple[tuple[int, int], ...] = ()
) -> AnnotationData:
    return AnnotationData(f"{label}{start}", "d", "ana", label, start, end, fragments=fragments)


def conll_blocks(path: Path) -> list[list[tuple[str, str]]]:
    """Each document's (token, tag) pairs, sentence breaks left out."""
    blocks: list[list[tuple[str, str]]] = []
    for line in path.read_text("utf-8").split("\n"):
        if line.startswith("-DOCSTART-"):
            blocks.append([])
        elif line:
            token, tag = line.split("\t")
            blocks[-1].append((token, tag))
    return blocks


def test_both_are_registered_as_export_only(tmp_path: Path) -> None:
    for name in ("bio", "spacy"):
        assert FORMATS[name].can_export and not FORMATS[name].can_import
        assert not FORMATS[name].sniff(tmp_path)
        with pytest.raises(ImportRefused, match="export only"):
            FORMATS[name].read([tmp_path], ReadOptions())


def test_tokens_keep_emoji_sequences_flags_and_combining_marks_whole() -> None:
    words = [TEXT[start:end] for start, end in tokenize(TEXT)]
    assert words[:4] == ["Zelensky", "👩\u200d👩\u200d👧", "said", ":"]
    assert "café\u0301" in words and "👍🏽" in words and "🇺🇦" in words and "naïve" in words
    assert all(not word.isspace() and "\r" not in word for word in words)
    assert tokenize("a\u0301b 🇺🇦🇬🇧 x") == [(0, 3), (4, 6), (6, 8), (9, 10)]


def test_bio_tags_every_token_of_each_annotators_document(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "train.conll"
    report = BioFormat().write(fill(store), store.schema(), target, WriteOptions())
    ana, ben = conll_blocks(target)
    assert ana[:2] == [("Zelensky", "B-Speaker"), ("👩\u200d👩\u200d👧", "O")]
    tags = dict(ana)
    assert (tags["Kyiv"], tags["🇺🇦"], tags["dawn"]) == ("B-Place", "B-Participant", "B-Time")
    assert [tag for token, tag in ana if token in ("We", "win", "😀", "café\u0301", "👍🏽")] == [
        "B-Quote",
        "I-Quote",
        "I-Quote",
        "B-Quote",
        "I-Quote",
    ]
    assert ben[:3] == [
        ("Zelensky", "B-Speaker"),
        ("👩\u200d👩\u200d👧", "I-Speaker"),
        ("said", "B-Quote"),
    ]
    assert report.counts["documents"] == 2
    assert "fragments (each fragment is tagged as a span of its own)" in report.lost
    assert {"links", "entities", "attributes and notes"} <= set(report.lost)


def test_bio_sentence_breaks_at_line_ends_but_not_inside_a_span(
    store: Store, tmp_path: Path
) -> None:
    target = tmp_path / "train.conll"
    BioFormat().write(fill(store), store.schema(), target, WriteOptions(annotator="ben"))
    lines = target.read_text("utf-8").split("\n")
    # ben's quote runs across the CRLF after "said:", so no break there; there is one before "The"
    colon = lines.index(":\tI-Quote")
    assert lines[colon + 1] == "“\tI-Quote"
    assert lines[lines.index("The\tO") - 1] == ""


def test_bio_leaves_out_overlaps_and_widens_partial_tokens() -> None:
    text = "The attack began."
    report = FormatReport()
    lines = bio_lines(
        text,
        [span("Quote", 0, 10), span("Event", 4, 10), span("Time", 12, 14)],
        report,
    )
    assert lines == ["The\tB-Quote\n", "attack\tI-Quote\n", "began\tB-Time\n", ".\tO\n"]
    assert report.counts == {
        "spans": 2,
        "overlapping spans left out": 1,
        "spans widened to whole tokens": 1,
    }


def test_label_names_with_spaces_become_one_column() -> None:
    report = FormatReport()
    assert bio_lines("Big news", [span("Head line", 0, 8)], report) == [
        "Big\tB-Head_line\n",
        "news\tI-Head_line\n",
    ]
    assert report.lost == ["spaces in label names (written as underscores)"]


def test_spacy_spans_are_exact_code_points(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "train.jsonl"
    report = SpacyFormat().write(fill(store), store.schema(), target, WriteOptions())
    records = [json.loads(line) for line in target.read_text("utf-8").splitlines()]
    assert [r["meta"]["annotator"] for r in records] == ["ana", "ben"]
    ana = records[0]
    assert ana["text"] == TEXT
    found = [(s["label"], ana["text"][s["start"] : s["end"]]) for s in ana["spans"]]
    assert found == [
        ("Speaker", "Zelensky"),
        ("Quote", "We will win 😀,"),
        ("Speaker", "he"),
        ("Cue", "wrote"),
        ("Place", "Kyiv"),
        ("Quote", "café\u0301 👍🏽"),
        ("Event", "attack"),
        ("Participant", "🇺🇦"),
        ("Time", "dawn"),
    ]
    assert records[1]["spans"][0] == {
        "start": 0,
        "end": at("👩\u200d👩\u200d👧")[1],
        "label": "Speaker",
    }
    assert report.counts == {"spans": 11, "documents": 2}


def test_spacy_keeps_overlapping_spans(tmp_path: Path) -> None:
    text = "The attack began."
    document = DocumentData("d", "t", "t.txt", text, text_sha256(text), "")
    item = ExportedDocument(document, {}, [span("Quote", 0, 10), span("Event", 4, 10)])
    target = tmp_path / "overlap.jsonl"
    SpacyFormat().write([item], load_schema(), target, WriteOptions())
    [record] = [json.loads(line) for line in target.read_text("utf-8").splitlines()]
    assert record["spans"] == [
        {"start": 0, "end": 10, "label": "Quote"},
        {"start": 4, "end": 10, "label": "Event"},
    ]


def test_documents_without_work_are_left_out(store: Store, tmp_path: Path) -> None:
    fill(store)
    empty = tmp_path / "empty.txt"
    empty.write_text("Nothing annotated here.", "utf-8")
    store.import_texts([empty])
    target = tmp_path / "train.conll"
    report = BioFormat().write(store.export_documents(), store.schema(), target, WriteOptions())
    assert report.counts["documents without annotations left out"] == 1
    assert "Nothing" not in target.read_text("utf-8")
