"""Quotes as a flat table (CSV or JSON Lines), one row per Quote annotation.

Spanwise JSON keeps spans, links and entities apart so that it can be imported again; the
people who analyse quotes want the opposite: who said what, in one row, ready for a
spreadsheet or pandas. This module follows the `speaker` and `cue` links and the speaker's
entity so that the reader of the table does not have to.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import IO, Any

from db.records import AnnotationData, EntityData, ExportedDocument, RelationData
from db.store import Store

QUOTE_LABEL = "Quote"
SPEAKER_LINK = "speaker"
CUE_LINK = "cue"
FRAGMENT_JOINER = " … "

# The order a reader meets the columns in; part of the format, so tests pin it.
COLUMNS = (
    "document",
    "title",
    "quote",
    "kind",
    "speaker",
    "speaker_mention",
    "cue",
    "annotator",
    "start",
    "end",
)

QuoteRow = dict[str, Any]

# A spreadsheet runs a cell that starts with one of these as a formula (`=HYPERLINK(...)`,
# `+cmd|' /C calc'!A0`); OWASP's advice: prefix such a cell with a single quote, which
# spreadsheets show as text. JSON lines are read by programs and stay exact.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Characters that end a line for `str.splitlines` and many editors but that JSON leaves as
# they are: next line, line separator, paragraph separator.
_LINE_BREAK_ESCAPES = {ord(ch): f"\\u{ord(ch):04x}" for ch in "\x85\u2028\u2029"}


def span_text(text: str, annotation: AnnotationData) -> str:
    """The words an annotation covers; a quote interrupted by "he said" is shown without the
    interruption, the gap marked so that nobody takes the pieces for one sentence."""
    return FRAGMENT_JOINER.join(text[start:end] for start, end in annotation.spans)


def _linked(
    quote: AnnotationData,
    link_type: str,
    relations: Iterable[RelationData],
    annotations: dict[str, AnnotationData],
) -> AnnotationData | None:
    """The annotation a quote's link of this type points at. The schema allows one speaker
    and one cue per quote; should a database hold more, the first by id wins so that the
    output stays the same from one run to the next."""
    targets = sorted(
        (r.id, r.target) for r in relations if r.source == quote.id and r.type == link_type
    )
    for _link_id, target in targets:
        found = annotations.get(target)
        if found is not None:
            return found
    return None


def _document_rows(item: ExportedDocument) -> list[QuoteRow]:
    text = item.document.text
    by_id = {a.id: a for a in item.annotations}
    entity_of: dict[str, EntityData] = {}
    for entity in item.entities:
        for mention in entity.mentions:
            entity_of[mention] = entity
    rows: list[QuoteRow] = []
    for quote in item.annotations:
        if quote.label != QUOTE_LABEL:
            continue
        speaker = _linked(quote, SPEAKER_LINK, item.relations, by_id)
        cue = _linked(quote, CUE_LINK, item.relations, by_id)
        mention = span_text(text, speaker) if speaker else ""
        # The entity name is what an analyst groups by ("Zelensky"), where the mention
        # may be "he" or "The President".
        group = entity_of.get(speaker.id) if speaker else None
        kind = quote.attributes.get("kind")
        rows.append(
            {
                "document": item.document.id,
                "title": item.document.title,
                "quote": span_text(text, quote),
                "kind": kind if isinstance(kind, str) else "",
                "speaker": group.name if group else mention,
                "speaker_mention": mention,
                "cue": span_text(text, cue) if cue else "",
                "annotator": quote.annotator,
                "start": quote.start,
                "end": quote.end,
            }
        )
    return rows


def quote_rows(
    store: Store, annotator: str | None = None, document_id: str | None = None
) -> list[QuoteRow]:
    """One row per quote, in document order then text order.

    Reads through `export_documents` so that the rows come from one consistent snapshot of
    the database, and filter exactly like a Spanwise JSON export of the same selection.
    """
    rows: list[QuoteRow] = []
    for item in store.export_documents(annotator, document_id):
        rows.extend(_document_rows(item))
    return rows


def write_quotes_csv(rows: Iterable[QuoteRow], handle: IO[str]) -> None:
    """CSV with a header row in COLUMNS order.

    The caller opens `handle` with encoding="utf-8" and newline="" (the csv module writes
    its own CRLF line ends, and quotes fields holding line breaks, which quotes often do).
    Every text cell that a spreadsheet would take for a formula is written with a leading
    `'` (see FORMULA_STARTS); numbers are written as they are.
    """
    writer = csv.DictWriter(handle, fieldnames=COLUMNS, extrasaction="raise")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: spreadsheet_safe(value) for key, value in row.items()})


def spreadsheet_safe(value: Any) -> Any:
    """A text cell no spreadsheet runs: one starting like a formula gets a leading `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_quotes_jsonl(rows: Iterable[QuoteRow], handle: IO[str]) -> None:
    """One JSON object per line, keys in COLUMNS order, UTF-8 rather than escapes so that
    the file stays readable.

    One line must always be one quote: JSON escapes CR and LF, and the few characters that
    `str.splitlines` and some editors also break lines at (NEL, LS, PS) are escaped here.
    They only ever occur inside strings, where an escape means the same character.
    """
    for row in rows:
        line = json.dumps({key: row[key] for key in COLUMNS}, ensure_ascii=False)
        handle.write(line.translate(_LINE_BREAK_ESCAPES))
        handle.write("\n")
