"""Training data for sequence labellers, export only: token-level BIO in CoNLL style, and
spaCy-style JSON lines (`text`, `spans` with `start`, `end`, `label`).

Both are written once per document and annotator (an annotator who marked a document done
without spans contributes an all-O document). BIO gives each token one tag, so of overlapping
spans only the first (earliest, then longest) is kept, and a span that cuts a token is widened
to it; both are counted in the report. spaCy spans are code-point offsets into the text
exactly as stored, overlaps included.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from pathlib import Path

from db.errors import ImportRefused
from db.files.outputs import write_text_atomically
from db.formats import FormatReport, ImportedBatch, ReadOptions, WriteOptions, register
from db.formats.tool_json import json_line, only_annotator, owners
from db.records import AnnotationData, ExportedDocument
from db.schema.label_schema import Schema

DOCSTART = "-DOCSTART-\tO\n\n"
LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_JOINERS = {"\u200c", "\u200d"}  # zero-width non-joiner and joiner


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_" or unicodedata.category(ch).startswith("M")


def _attaches(ch: str) -> bool:
    """Belongs to the character before: combining marks, variation selectors, skin tones."""
    return unicodedata.category(ch).startswith("M") or "\U0001f3fb" <= ch <= "\U0001f3ff"


def _regional(ch: str) -> bool:
    return "\U0001f1e6" <= ch <= "\U0001f1ff"


def tokenize(text: str) -> list[tuple[int, int]]:
    """Tokens as (start, end) code points: runs of letters and digits with their combining
    marks, and every other visible character with what attaches to it (an emoji with its skin
    tone and ZWJ sequence, a flag's two letters). White space separates tokens."""
    tokens: list[tuple[int, int]] = []
    position, length = 0, len(text)
    while position < length:
        ch = text[position]
        if ch.isspace():
            position += 1
            continue
        start = position
        position += 1
        if _word_char(ch):
            while position < length and (_word_char(text[position]) or text[position] in _JOINERS):
                position += 1
        else:
            if _regional(ch) and position < length and _regional(text[position]):
                position += 1
            while position < length:
                here = text[position]
                if _attaches(here):
                    position += 1
                elif (
                    here == "\u200d" and position + 1 < length and not text[position + 1].isspace()
                ):
                    position += 2
                else:
                    break
        tokens.append((start, position))
    return tokens


def _tag_label(label: str, report: FormatReport) -> str:
    if re.search(r"\s", label):
        report.lose("spaces in label names (written as underscores)")
        return re.sub(r"\s", "_", label)
    return label


def bio_lines(text: str, annotations: Sequence[AnnotationData], report: FormatReport) -> list[str]:
    """`token<TAB>tag` lines, with a blank line where the text breaks a line."""
    tokens = tokenize(text)
    starts = [start for start, _ in tokens]
    ends = [end for _, end in tokens]
    tags = ["O"] * len(tokens)
    pieces = sorted(
        ((start, end, a) for a in annotations for start, end in a.spans),
        key=lambda piece: (piece[0], -(piece[1] - piece[0])),
    )
    for start, end, record in pieces:
        if record.fragments:
            report.lose("fragments (each fragment is tagged as a span of its own)")
        first = bisect_right(ends, start)  # first token ending after the span starts
        last = bisect_left(starts, end)  # tokens before this start before the span ends
        if first >= last:
            report.count("spans without a token left out")
            continue
        if any(tag != "O" for tag in tags[first:last]):
            report.count("overlapping spans left out")
            continue
        if starts[first] < start or ends[last - 1] > end:
            report.count("spans widened to whole tokens")
        label = _tag_label(record.label, report)
        tags[first] = f"B-{label}"
        for index in range(first + 1, last):
            tags[index] = f"I-{label}"
        report.count("spans")
    lines: list[str] = []
    for index, (start, end) in enumerate(tokens):
        between = text[ends[index - 1] : start] if index else ""
        if any(ch in LINE_BREAKS for ch in between) and not tags[index].startswith("I-"):
            lines.append("\n")  # a sentence break, unless a span goes on across it
        lines.append(f"{text[start:end]}\t{tags[index]}\n")
    return lines


class _TrainingExport:
    """What the two training formats share: export only, one block per document and
    annotator."""

    name = ""
    description = ""
    can_import = False
    can_export = True

    def sniff(self, path: Path) -> bool:
        return False

    def read(self, paths: Sequence[Path], options: ReadOptions) -> ImportedBatch:
        raise ImportRefused(f"{self.name}: training data is export only; Spanwise cannot read it")

    def write(
        self,
        documents: Sequence[ExportedDocument],
        schema: Schema,
        target: Path,
        options: WriteOptions,
    ) -> FormatReport:
        report = FormatReport()
        out: list[str] = []
        for item in only_annotator(documents, options.annotator):
            who = owners(item)
            if not who:
                report.count("documents without annotations left out")
            for owner in who:
                mine = [a for a in item.annotations if a.annotator == owner]
                out += self.block(item, owner, mine, report)
                report.count("documents")
            if item.relations:
                report.lose("links")
            if item.entities:
                report.lose("entities")
            if any(a.attributes or a.note for a in item.annotations):
                report.lose("attributes and notes")
        write_text_atomically(target, "".join(out))
        return report

    def block(
        self,
        item: ExportedDocument,
        owner: str,
        annotations: list[AnnotationData],
        report: FormatReport,
    ) -> list[str]:
        raise NotImplementedError


class BioFormat(_TrainingExport):
    """BIO token tags, one token per line and a blank line between sentences."""

    name = "bio"
    description = "token-level BIO tags, CoNLL style (.conll), export only"

    def block(
        self,
        item: ExportedDocument,
        owner: str,
        annotations: list[AnnotationData],
        report: FormatReport,
    ) -> list[str]:
        """One document as BIO lines."""
        lines = bio_lines(item.document.text, annotations, report)
        return [DOCSTART, *lines, "\n"]


class SpacyFormat(_TrainingExport):
    """spaCy's JSONL training data: text and character-offset spans per line."""

    name = "spacy"
    description = "spaCy-style JSON lines (.jsonl): text and spans, export only"

    def block(
        self,
        item: ExportedDocument,
        owner: str,
        annotations: list[AnnotationData],
        report: FormatReport,
    ) -> list[str]:
        """One document as spaCy JSON lines."""
        spans = []
        for record in annotations:
            if record.fragments:
                report.lose("fragments (each fragment is written as a span of its own)")
            spans += [
                {"start": start, "end": end, "label": record.label} for start, end in record.spans
            ]
        spans.sort(key=lambda span: (span["start"], span["end"], span["label"]))
        report.count("spans", len(spans))
        doc = item.document
        meta = {"document": doc.id, "title": doc.title, "annotator": owner}
        return [json_line({"text": doc.text, "spans": spans, "meta": meta})]


BIO = register(BioFormat())
SPACY = register(SpacyFormat())
