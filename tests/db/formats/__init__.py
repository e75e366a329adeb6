"""Helpers shared by the format tests: a sample database, the round trip, a comparison."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from db.changes import Change, added
from db.files.text_files import TextFile, title_for
from db.formats import Format, ImportedBatch, ReadOptions, WriteOptions
from db.records import AnnotationData, EntityData, ExportedDocument, RelationData
from db.store import Store

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"

# Emoji (an astral character, a skin-tone sequence, a flag), a combining mark and CRLF.
SAMPLE = (
    '"We will win 👍🏽," said Ana Kova\u0301c\u030c in Kyiv 🇺🇦 on Tuesday.\r\n'
    "She believes the strike hit the depot.\r\n"
)


def shared(*parts: str) -> Path:
    """A folder of /work/shared/data, or a clean skip where it is not beside the clone."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data {'/'.join(parts)} is not available")
    return path


def at(text: str, piece: str, occurrence: int = 1) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence):
        start = text.index(piece, start + 1)
    return start, start + len(piece)


def fill_sample(store: Store, annotator: str = "ana") -> str:
    """The sample article with quotes, fragments, links, an event, entities and a note."""
    store.import_batch([TextFile(Path("sample.txt"), title_for(Path("s"), SAMPLE), SAMPLE)], [])
    [doc] = [d for d in store.documents(annotator) if d.source == "sample.txt"]
    text = SAMPLE
    part1, part2 = at(text, '"We will win 👍🏽,"'), at(text, "in Kyiv 🇺🇦")
    quote = store.add_annotation(
        doc.id, annotator, "Quote", part1[0], part2[1], {"kind": "direct"},
        fragments=(part1, part2),
    )  # fmt: skip
    cue = store.add_annotation(doc.id, annotator, "Cue", *at(text, "said"))
    speaker = store.add_annotation(
        doc.id, annotator, "Speaker", *at(text, "Ana Kova\u0301c\u030c"), note="named twice"
    )
    she = store.add_annotation(doc.id, annotator, "Speaker", *at(text, "She"))
    quote2 = store.add_annotation(
        doc.id, annotator, "Quote", *at(text, "the strike hit the depot"), {"kind": "indirect"}
    )
    believes = store.add_annotation(doc.id, annotator, "Cue", *at(text, "believes"))
    event = store.add_annotation(
        doc.id, annotator, "Event", *at(text, "strike"), {"type": "attack"}
    )
    depot = store.add_annotation(doc.id, annotator, "Participant", *at(text, "the depot"))
    tuesday = store.add_annotation(doc.id, annotator, "Time", *at(text, "Tuesday"))
    store.add_annotation(doc.id, annotator, "Quote", *at(text, "win"))  # nobody's, no cue
    links = [
        ("speaker", quote, speaker),
        ("cue", quote, cue),
        ("speaker", quote2, she),
        ("cue", quote2, believes),
        ("patient", event, depot),
        ("time", event, tuesday),
    ]
    records = tuple(
        added(RelationData(f"link{i}", doc.id, annotator, kind, source.id, target.id))
        for i, (kind, source, target) in enumerate(links)
    )
    entity = EntityData(
        "entity1", doc.id, annotator, "Ana Kova\u0301c\u030c", "person", (speaker.id, she.id)
    )
    store.apply(Change("links", (), records, (added(entity),)))
    return doc.id


Key = tuple[Any, ...]


def content(documents: list[ExportedDocument]) -> list[Any]:
    """What a user sees, without ids and times: spans, fragments, attributes, notes, links
    between spans, entities with their mentions."""
    result = []
    for item in documents:
        text = item.document.text
        by_id = {a.id: a for a in item.annotations}

        def key(a: AnnotationData, text: str = text) -> Key:
            pieces = tuple(text[s:e] for s, e in a.spans)
            return (a.annotator, a.label, a.start, a.end, a.fragments, pieces,
                    tuple(sorted(a.attributes.items())), a.note)  # fmt: skip

        result.append(
            (
                item.document.sha256,
                item.document.text,
                sorted(key(a) for a in item.annotations),
                sorted(
                    (r.type, key(by_id[r.source]), key(by_id[r.target])) for r in item.relations
                ),
                sorted(
                    (e.name, e.label, tuple(key(by_id[m]) for m in e.mentions))
                    for e in item.entities
                ),
            )
        )
    return sorted(result)


def import_into(store: Store, batch: ImportedBatch) -> None:
    store.import_batch([], [(batch.schema, batch.documents)])


def round_trip(
    fmt: Format,
    source: Store,
    target: Store,
    folder: Path,
    options: ReadOptions | None = None,
) -> tuple[ImportedBatch, list[ExportedDocument]]:
    """Spanwise -> format -> Spanwise; returns the batch read and the second export."""
    fmt.write(source.export_documents(), source.schema(), folder, WriteOptions())
    batch = fmt.read([folder], options or ReadOptions(annotator="ana"))
    import_into(target, batch)
    return batch, target.export_documents()
