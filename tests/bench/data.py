"""Deterministic benchmark data: a book-length news text with dense, overlapping annotations,
links and entities (W2-W4, W8), and a 2,000-document corpus by two annotators (W5-W7)."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path

from db.files.text_files import text_sha256
from db.records import (
    AnnotationData,
    DocumentData,
    EntityData,
    ExportedDocument,
    RelationData,
)
from db.schema.label_schema import load_schema
from db.store import Store

NAMES = [
    "Marta Lindqvist",
    "Andriy Kovalenko",
    "Volodymyr Zelensky",
    "Ana Souza",
    "Kenji Watanabe",
    "Olga Petrenko",
    "Samuel Okafor",
    "Leila Haddad",
    "Tomás Rivera",
    "Ingrid Berg",
]
PLACES = ["Kyiv", "the Kursk region", "Brussels", "Lagos", "São Paulo", "Osaka", "Oslo"]
SENTENCES = [
    "“We will not give up on {place},” {name} said on Tuesday.",
    "{name} told reporters that the talks in {place} had stalled again.",
    "According to {name}, the ministry placed the troops on alert on Dec. {day}.",
    "The transport ministry said {n} trucks were sent to {place} overnight.",
    "“Even after years of war, we still witness something more horrifying,” {name} wrote.",
    "A spokesperson for the committee said the report would be published in {place}.",
    "Officials in {place} denied that {n} soldiers had crossed the border 🚩.",
    "{name} added that the café near the station — naïve as it sounds — stayed open.",
    "Prices rose by {n} per cent in {place}, the statistics office reported.",
    "She insisted: “Nobody in {place} was told about the decision.”",
]
WORD = re.compile(r"\w+", re.UNICODE)


def make_text(size: int, seed: int) -> str:
    """Varied sentences in paragraphs, about `size` characters, emoji and accents included."""
    rng = random.Random(seed)
    parts: list[str] = []
    length = 0
    while length < size:
        paragraph = " ".join(
            rng.choice(SENTENCES).format(
                name=rng.choice(NAMES),
                place=rng.choice(PLACES),
                day=rng.randint(1, 28),
                n=rng.randint(2, 900),
            )
            for _ in range(rng.randint(2, 6))
        )
        parts.append(paragraph)
        length += len(paragraph) + 2
    return "\n\n".join(parts)


def _doc(text: str, title: str, source: str) -> DocumentData:
    return DocumentData("", title, source, text, text_sha256(text), "2026-11-26T00:00:00.000Z")


def annotate(
    text: str, doc_key: str, annotator: str, count: int, links: int, entities: int, seed: int
) -> tuple[list[AnnotationData], list[RelationData], list[EntityData]]:
    """`count` overlapping annotations on word boundaries, `links` valid links (quote ->
    speaker / cue, event -> participant), `entities` groups of speaker mentions."""
    rng = random.Random(seed)
    words = [m.span() for m in WORD.finditer(text)]
    stamp = "2026-11-26T00:00:00.000Z"
    annotations: list[AnnotationData] = []

    def make(label: str, index: int, attributes: dict[str, str] | None = None) -> AnnotationData:
        first = rng.randrange(len(words) - 12)
        last = first + rng.randint(0, 10 if label in ("Quote", "Event") else 2)
        record = AnnotationData(
            f"{doc_key}-{annotator}-{index}",
            "",
            annotator,
            label,
            words[first][0],
            words[last][1],
            attributes or {},
            None,
            stamp,
            stamp,
        )
        annotations.append(record)
        return record

    quotes = links // 2
    relations: list[RelationData] = []
    speakers: list[AnnotationData] = []
    for _ in range(quotes):
        quote = make("Quote", len(annotations), {"kind": rng.choice(["direct", "indirect"])})
        speaker = make("Speaker", len(annotations))
        cue = make("Cue", len(annotations))
        speakers.append(speaker)
        for kind, target in (("speaker", speaker), ("cue", cue)):
            relations.append(
                RelationData(
                    f"{doc_key}-{annotator}-r{len(relations)}",
                    "",
                    annotator,
                    kind,
                    quote.id,
                    target.id,
                )
            )
    labels = ["Event", "Participant", "Time", "Place", "Speaker", "Cue"]
    while len(annotations) < count:
        make(rng.choice(labels), len(annotations))
    entity_list: list[EntityData] = []
    if entities:
        groups: list[list[str]] = [[] for _ in range(entities)]
        for index, speaker in enumerate(speakers):
            groups[index % entities].append(speaker.id)
        entity_list = [
            EntityData(
                f"{doc_key}-{annotator}-e{i}", "", annotator, f"Person {i}", "person", tuple(group)
            )
            for i, group in enumerate(groups)
            if group
        ]
    return annotations[:count], relations[:links], entity_list


def big_document(
    store: Store,
    seed: int = 1,
    size: int = 2_000_000,
    annotations: int = 20_000,
    links: int = 5_000,
    entities: int = 500,
) -> None:
    """W2's document: 2 MB, 20,000 annotations, 5,000 links, 500 entities by 'bench'."""
    text = make_text(size, seed)
    made, relations, groups = annotate(text, "big", "bench", annotations, links, entities, seed)
    exported = ExportedDocument(
        _doc(text, "A book-length document", "big.txt"),
        {"bench": "in progress"},
        made,
        relations,
        groups,
    )
    store.import_batch([], [(load_schema(), [exported])])


def corpus(documents: int = 2000, per_annotator: int = 50, seed: int = 2) -> list[ExportedDocument]:
    """W5-W7: documents annotated by two annotators who mostly agree."""
    return list(corpus_stream(documents, per_annotator, seed))


def corpus_stream(
    documents: int, per_annotator: int = 50, seed: int = 2
) -> Iterator[ExportedDocument]:
    """corpus() a document at a time (W12's 50,000 documents are never all in memory)."""
    rng = random.Random(seed)
    for index in range(documents):
        text = make_text(rng.randint(1500, 3000), seed * 100_000 + index)
        a, ra, _ = annotate(text, f"d{index}", "ana", per_annotator, 10, 0, index)
        b = []
        for record in a:  # ben agrees on most spans, moves some, relabels a few
            roll = rng.random()
            if roll < 0.1:
                continue
            label = record.label if roll > 0.15 else "Participant"
            end = record.end if roll > 0.25 else max(record.start + 1, record.end - 2)
            b.append(
                AnnotationData(
                    record.id.replace("ana", "ben"),
                    "",
                    "ben",
                    label,
                    record.start,
                    end,
                    dict(record.attributes),
                    None,
                    record.created,
                    record.modified,
                )
            )
        yield ExportedDocument(
            _doc(text, f"Article {index}", f"article-{index}.txt"),
            {"ana": "done", "ben": "done"},
            a + b,
            [r for r in ra if r.source in {x.id for x in a}],
            [],
        )


def build_corpus_database(path: Path) -> Store:
    store = Store(path)
    store.import_batch([], [(load_schema(), corpus())])
    return store
