"""What the suggester hands out: one Suggestion per quote, grouping the quote, its speaker
mention and cue (plain AnnotationData), the speaker/cue links, and the speaker's entity.

Everything carries the rule that produced it (attribute `rule`, and `origin: suggested`), for
the reviewer and for tuning. Ids are derived from document, annotator and span, so running
the suggester twice on the same text gives the same suggestions and the same keys.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from db.records import (
    AnnotationData,
    DocumentData,
    EntityData,
    ExportedDocument,
    Fragments,
    RelationData,
    bulk_constructor,
)

ORIGIN = "suggested"


def stable_id(*parts: str) -> str:
    """A 32-hex-digit id, the same for the same parts (annotation ids are uuid4 hex)."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def stable_ids(*prefix: str) -> Callable[..., str]:
    """stable_id(*prefix, *parts) for many ids that share their first parts (document and
    annotator): the prefix is hashed once."""
    base = hashlib.sha256(("\x1f".join(prefix) + "\x1f").encode("utf-8"))

    def make(*parts: str) -> str:
        digest = base.copy()
        digest.update("\x1f".join(parts).encode("utf-8"))
        return digest.hexdigest()[:32]

    return make


def spans_text(spans: Fragments) -> str:
    """Spans as text ("12-40+52-80"), for ids and keys."""
    if len(spans) == 1:
        return f"{spans[0][0]}-{spans[0][1]}"
    return "+".join(f"{start}-{end}" for start, end in spans)


@dataclass(frozen=True)
class SuggestedEntity:
    """The entity a speaker mention is suggested into: `mention_spans` are all speaker
    mentions suggested for it in the document, so an accepted mention joins the entity that
    already holds one of them (whatever it has been renamed to), else one of this name."""

    key: str
    name: str
    label: str
    rule: str
    mention_spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One suggested quote with its attribution, accepted or rejected as a whole."""

    key: str
    rule: str
    kind: str
    quote: AnnotationData
    speaker: AnnotationData | None
    cue: AnnotationData | None
    relations: tuple[RelationData, ...]
    entity: SuggestedEntity | None

    def describe(self, text: str) -> str:
        """One line for lists and undo texts: the quote's start, speaker and cue."""
        words = " … ".join(text[s:e] for s, e in self.quote.spans).replace("\n", " ")
        if len(words) > 60:
            words = words[:59] + "…"
        who = (
            self.entity.name
            if self.entity
            else (text[self.speaker.start : self.speaker.end] if self.speaker else "?")
        )
        return f"{self.kind} quote “{words}” ({who})"


new_suggestion = bulk_constructor(Suggestion)


def suggestion_key(suggestion: Suggestion) -> str:
    """A stable key for remembering a rejection: the quote's pieces and the rule."""
    return suggestion.key


def make_key(rule: str, where: str) -> str:
    """A suggestion's key from its rule and its quote's spans_text."""
    return f"{rule}@{where}"


def spans_of_key(key: str) -> Fragments | None:
    """The quote pieces a suggestion key names ("indirect:that-clause@10-30+40-70")."""
    _, _, where = key.rpartition("@")
    try:
        pieces = tuple(
            (int(start), int(end))
            for start, end in (piece.split("-") for piece in where.split("+"))
        )
    except ValueError:
        return None
    return pieces if pieces and all(s < e for s, e in pieces) else None


@dataclass(frozen=True)
class Suggestions:
    """All suggestions for one document, in text order."""

    document_id: str
    annotator: str
    items: tuple[Suggestion, ...]

    def __iter__(self) -> Iterator[Suggestion]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> Suggestion:
        return self.items[index]

    def annotations(self) -> list[AnnotationData]:
        """Every suggested annotation once (a speaker mention may serve several quotes)."""
        seen: dict[str, AnnotationData] = {}
        for item in self.items:
            for record in (item.quote, item.speaker, item.cue):
                if record is not None:
                    seen.setdefault(record.id, record)
        return sorted(seen.values(), key=lambda a: (a.start, -a.end, a.label))

    def relations(self) -> list[RelationData]:
        """The speaker and cue links of the suggestion, as records."""
        return [link for item in self.items for link in item.relations]

    def entities(self) -> list[EntityData]:
        """The suggested entities with their mentions, as an export carries them."""
        mentions: dict[str, dict[str, AnnotationData]] = {}
        entities: dict[str, SuggestedEntity] = {}
        for item in self.items:
            if item.entity is None or item.speaker is None:
                continue
            entities.setdefault(item.entity.key, item.entity)
            mentions.setdefault(item.entity.key, {})[item.speaker.id] = item.speaker
        result = []
        for key, entity in entities.items():
            group = sorted(mentions[key].values(), key=lambda a: a.start)
            result.append(
                EntityData(
                    stable_id(self.document_id, self.annotator, "entity", key),
                    self.document_id,
                    self.annotator,
                    entity.name,
                    entity.label,
                    tuple(m.id for m in group),
                )
            )
        return sorted(result, key=lambda e: (e.name.casefold(), e.id))

    def exported(self, document: DocumentData) -> ExportedDocument:
        """The suggestions as a document of an export (annotator `suggest` by default)."""
        return ExportedDocument(document, {}, self.annotations(), self.relations(), self.entities())
