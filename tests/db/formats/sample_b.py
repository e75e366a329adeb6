"""A tricky document with every kind of work on it, and a way to compare what survives a format.

The text has an emoji ZWJ sequence, a skin-tone emoji, a flag, a combining accent and CRLF
line ends, and spans sit after, around and across all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from db.files.text_files import text_sha256
from db.formats import ImportedBatch
from db.records import (
    AnnotationData,
    DocumentData,
    EntityData,
    ExportedDocument,
    RelationData,
)
from db.store import Store

TEXT = (
    "Zelensky 👩‍👩‍👧 said:\r\n"
    "“We will win 😀,” he wrote in Kyiv — café\u0301 👍🏽 naïve.\r\n"
    "The attack 🇺🇦 began at dawn.\r\n"
)


def at(fragment: str, nth: int = 0) -> tuple[int, int]:
    """Code-point offsets of the nth occurrence of `fragment` in TEXT."""
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(fragment, start + 1)
    return start, start + len(fragment)


def _span(
    ident: str,
    annotator: str,
    label: str,
    where: tuple[int, int],
    attributes: dict[str, Any] | None = None,
    note: str | None = None,
    fragments: tuple[tuple[int, int], ...] = (),
) -> AnnotationData:
    start, end = (fragments[0][0], fragments[-1][1]) if fragments else where
    stamp = "2026-01-02T03:04:05.000Z"
    return AnnotationData(
        ident, "", annotator, label, start, end, attributes or {}, note, stamp, stamp, fragments
    )


def sample_document() -> ExportedDocument:
    quote_fragments = (at("We will win 😀,"), at("café\u0301 👍🏽"))
    annotations = [
        _span("a-speaker", "ana", "Speaker", at("Zelensky")),
        _span(
            "a-quote",
            "ana",
            "Quote",
            (0, 0),
            {"kind": "direct"},
            "two pieces 😀",
            quote_fragments,
        ),
        _span("a-he", "ana", "Speaker", at("he")),
        _span("a-cue", "ana", "Cue", at("wrote")),
        _span("a-event", "ana", "Event", at("attack"), {"type": "attack"}),
        _span("a-time", "ana", "Time", at("dawn")),
        _span("a-place", "ana", "Place", at("Kyiv")),
        _span("a-flag", "ana", "Participant", at("🇺🇦")),
        _span("b-quote", "ben", "Quote", (at("said")[0], at("😀,”")[1]), {"kind": "indirect"}),
        _span("b-speaker", "ben", "Speaker", at("Zelensky 👩‍👩‍👧")),
    ]
    relations = [
        RelationData("r-speaker", "", "ana", "speaker", "a-quote", "a-he"),
        RelationData("r-cue", "", "ana", "cue", "a-quote", "a-cue"),
        RelationData("r-time", "", "ana", "time", "a-event", "a-time"),
        RelationData("r-place", "", "ana", "place", "a-event", "a-place"),
        RelationData("r-agent", "", "ana", "agent", "a-event", "a-flag"),
        RelationData("r-b", "", "ben", "speaker", "b-quote", "b-speaker"),
    ]
    entities = [EntityData("e-z", "", "ana", "Volodymyr Zelensky", "person", ("a-speaker", "a-he"))]
    document = DocumentData("", "Zelensky 👩‍👩‍👧", "tricky.txt", TEXT, text_sha256(TEXT), "")
    return ExportedDocument(
        document, {"ana": "done", "ben": "in progress"}, annotations, relations, entities
    )


def fill(store: Store) -> list[ExportedDocument]:
    """Put the sample into a store; returns what the store exports."""
    store.import_batch([], [(store.schema(), [sample_document()])])
    return store.export_documents()


def import_batch(store: Store, batch: ImportedBatch) -> list[ExportedDocument]:
    store.import_batch([], [(batch.schema, batch.documents)])
    return store.export_documents()


Key = tuple[str, str, tuple[tuple[int, int], ...]]  # annotator, label, spans


def snapshot(
    documents: Sequence[ExportedDocument],
    attributes: bool = True,
    notes: bool = True,
    fragments: bool = True,
    entities: bool = True,
) -> dict[str, Any]:
    """What a user sees, without ids and times; switch off what a format cannot carry
    (without fragments, each fragment is a span of its own and links start at the first)."""
    result: dict[str, Any] = {}
    for item in documents:
        text = item.document.text
        keys: dict[str, Key] = {}
        spans: list[tuple[Any, ...]] = []
        for a in item.annotations:
            pieces = [a.spans] if fragments else [((s, e),) for s, e in a.spans]
            keys[a.id] = (a.annotator, a.label, pieces[0])
            for piece in pieces:
                spans.append(
                    (
                        a.annotator,
                        a.label,
                        piece,
                        tuple(text[s:e] for s, e in piece),
                        tuple(sorted(a.attributes.items())) if attributes else (),
                        a.note if notes else None,
                    )
                )
        links = sorted(
            (r.annotator, r.type, keys[r.source], keys[r.target]) for r in item.relations
        )
        groups = sorted(
            (e.annotator, e.name, e.label, tuple(sorted(keys[m] for m in e.mentions)))
            for e in item.entities
        )
        result[item.document.sha256] = {
            "text": text,
            "spans": sorted(spans),
            "links": links,
            "entities": groups if entities else [],
        }
    return result
