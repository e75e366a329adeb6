"""suggest(): the rules in order, then entities, then the records the GUI and CLI use.

Order matters: direct quotes take their quotations and cues first, indirect rules use the
cues left (a quotation inside their clause makes a mixed quote), then quoted fragments and
unattributed quotations; speakers are grouped into entities last, over the whole text.
"""

from __future__ import annotations

from db.collector import paused_gc
from db.records import AnnotationData, RelationData, now_iso
from db.suggest.analysis import Analysis, Cue
from db.suggest.coreference import Assignment, assign_entities
from db.suggest.direct import find_direct
from db.suggest.found import Found
from db.suggest.fragments import find_fragments, find_unattributed
from db.suggest.indirect import find_indirect
from db.suggest.lexicon import Lexicon, default_lexicon
from db.suggest.model import (
    ORIGIN,
    SuggestedEntity,
    Suggestion,
    Suggestions,
    make_key,
    spans_text,
    stable_id,
)
from db.suggest.speakers import Mention


def find_quotes(analysis: Analysis) -> list[Found]:
    """Every quote the rules find, in text order, none overlapping another."""
    used_cues: set[int] = set()
    direct = find_direct(analysis, used_cues)
    taken = {index for item in direct for index in item.quotations}
    indirect = find_indirect(analysis, used_cues, direct, taken)
    rest = find_fragments(analysis, used_cues, taken) + find_unattributed(analysis, taken)
    kept: list[Found] = []
    covered: list[tuple[int, int]] = []
    for item in sorted(direct + indirect + rest, key=lambda f: (f.start, -f.end)):
        if covered and item.start < covered[-1][1]:
            continue
        kept.append(item)
        covered.append((item.start, item.end))
    return kept


class _Builder:
    """Turns findings into records; one record per span, shared by the quotes that use it."""

    def __init__(self, text: str, document_id: str, annotator: str) -> None:
        self.text = text
        self.document_id = document_id
        self.annotator = annotator
        self.stamp = now_iso()
        self.records: dict[tuple[str, tuple[tuple[int, int], ...]], AnnotationData] = {}

    def record(
        self, label: str, spans: list[tuple[int, int]], attributes: dict[str, str]
    ) -> AnnotationData:
        key = (label, tuple(spans))
        found = self.records.get(key)
        if found is None:
            found = self.records[key] = AnnotationData(
                id=stable_id(self.document_id, self.annotator, label, spans_text(key[1])),
                document_id=self.document_id,
                annotator=self.annotator,
                label=label,
                start=spans[0][0],
                end=spans[-1][1],
                attributes={**attributes, "origin": ORIGIN},
                created=self.stamp,
                modified=self.stamp,
                fragments=tuple(spans) if len(spans) > 1 else (),
            )
        return found

    def link(self, kind: str, source: AnnotationData, target: AnnotationData) -> RelationData:
        """A quote has at most one link of each kind, so its id and the kind name the link."""
        return RelationData(
            source.id[:28] + kind[:4],
            self.document_id,
            self.annotator,
            kind,
            source.id,
            target.id,
        )

    def cue(self, cue: Cue | None) -> AnnotationData | None:
        if cue is None:
            return None
        return self.record("Cue", [(cue.start, cue.end)], {"rule": cue.rule})

    def speaker(self, mention: Mention | None) -> AnnotationData | None:
        if mention is None:
            return None
        return self.record("Speaker", [(mention.start, mention.end)], {"rule": mention.rule})


def _entities(found: list[Found], assignments: dict[int, Assignment]) -> dict[int, SuggestedEntity]:
    """The suggested entity of each speaker mention (by its start), with its mention spans."""
    spans: dict[int, set[tuple[int, int]]] = {}
    for item in found:
        if item.speaker is None or item.speaker.start not in assignments:
            continue
        entity = assignments[item.speaker.start].entity
        spans.setdefault(id(entity), set()).add((item.speaker.start, item.speaker.end))
    ordered = {key: tuple(sorted(group)) for key, group in spans.items()}
    result = {}
    for start, assignment in assignments.items():
        entity = assignment.entity
        if id(entity) not in ordered:
            continue
        result[start] = SuggestedEntity(
            entity.key,
            entity.name,
            entity.label,
            assignment.rule if assignment.rule != "new" else entity.rule,
            ordered[id(entity)],
        )
    return result


def suggest(
    text: str,
    document_id: str = "",
    annotator: str = "suggest",
    lexicon: Lexicon | None = None,
) -> Suggestions:
    """Suggested quotes, cues, speakers and entities for a text; no database, no network."""
    with paused_gc():  # many short-lived objects, no cycles
        analysis = Analysis(text, lexicon or default_lexicon())
        found = find_quotes(analysis)
        speakers = [item.speaker for item in found if item.speaker is not None]
        entities = _entities(found, assign_entities(analysis, speakers))
        result = _suggestions(found, entities, text, document_id, annotator)
        # freed before the collector resumes, so its first pass does not walk them all
        del analysis, found, speakers, entities
    return result


def _suggestions(
    found: list[Found],
    entities: dict[int, SuggestedEntity],
    text: str,
    document_id: str,
    annotator: str,
) -> Suggestions:
    builder = _Builder(text, document_id, annotator)
    items = []
    for item in found:
        quote = builder.record("Quote", item.spans, {"kind": item.kind, "rule": item.rule})
        speaker = builder.speaker(item.speaker)
        cue = builder.cue(item.cue)
        links = []
        if speaker is not None:
            links.append(builder.link("speaker", quote, speaker))
        if cue is not None:
            links.append(builder.link("cue", quote, cue))
        entity = entities.get(item.speaker.start) if item.speaker is not None else None
        items.append(
            Suggestion(
                make_key(item.rule, quote.spans),
                item.rule,
                item.kind,
                quote,
                speaker,
                cue,
                tuple(links),
                entity,
            )
        )
    return Suggestions(document_id, annotator, tuple(items))
