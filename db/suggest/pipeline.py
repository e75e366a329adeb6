"""suggest(): the rules in order, then entities, then the records the GUI and CLI use.

Order matters: direct quotes take their quotations and cues first, indirect rules use the
cues left (a quotation inside their clause makes a mixed quote), then quoted fragments and
unattributed quotations; speakers are grouped into entities last, over the whole text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from db.gc_pause import paused_gc
from db.records import (
    AnnotationData,
    Fragments,
    RelationData,
    new_annotation_record,
    new_relation_record,
    now_iso,
)
from db.suggest.analysis import Analysis
from db.suggest.coreference import Assignment, assign_entities
from db.suggest.direct import find_direct
from db.suggest.found import Found
from db.suggest.fragments import find_fragments, find_unattributed
from db.suggest.indirect import find_indirect
from db.suggest.lexicon import Lexicon, default_lexicon
from db.suggest.model import (
    ORIGIN,
    SuggestedEntity,
    Suggestions,
    make_key,
    new_suggestion,
    spans_text,
    stable_ids,
)

if TYPE_CHECKING:
    from db.suggest.learned import LearnedModel


def find_quotes(analysis: Analysis) -> list[Found]:
    """Every quote the rules find, in text order, none overlapping another."""
    used_cues: set[int] = set()
    direct = find_direct(analysis, used_cues)
    taken = {index for item in direct for index in item.quotations}
    indirect = find_indirect(analysis, used_cues, direct, taken)
    rest = find_fragments(analysis, used_cues, taken) + find_unattributed(analysis, taken)
    kept: list[Found] = []
    covered_to = -1
    for item in sorted(direct + indirect + rest, key=lambda f: (f.spans[0][0], -f.spans[-1][1])):
        start, end = item.spans[0][0], item.spans[-1][1]
        if start < covered_to:
            continue
        kept.append(item)
        covered_to = end
    return kept


class _Builder:
    """Turns findings into records; one record per span, shared by the quotes that use it."""

    def __init__(
        self, text: str, document_id: str, annotator: str, marks: dict[str, str] | None = None
    ) -> None:
        self.text = text
        self.document_id = document_id
        self.annotator = annotator
        self.stamp = now_iso()
        self.ids = stable_ids(document_id, annotator)
        self.records: dict[tuple[str, str], AnnotationData] = {}
        self.marks = marks or {}  # more attributes for every record (the model's version)

    def record(
        self, label: str, spans: Fragments, where: str, rule: str, kind: str | None = None
    ) -> AnnotationData:
        """The record of a label over spans (`where` is their text form, see spans_text)."""
        key = (label, where)
        found = self.records.get(key)
        if found is None:
            attributes = {"rule": rule, "origin": ORIGIN, **self.marks}
            if kind is not None:
                attributes = {"kind": kind, **attributes}
            found = self.records[key] = new_annotation_record(
                self.ids(label, where),
                self.document_id,
                self.annotator,
                label,
                spans[0][0],
                spans[-1][1],
                attributes,
                None,
                self.stamp,
                self.stamp,
                spans if len(spans) > 1 else (),
            )
        return found

    def link(self, kind: str, source: AnnotationData, target: AnnotationData) -> RelationData:
        """A quote has at most one link of each kind, so its id and the kind name the link."""
        return new_relation_record(
            source.id[:28] + kind[:4],
            self.document_id,
            self.annotator,
            kind,
            source.id,
            target.id,
        )

    def single(self, label: str, start: int, end: int, rule: str) -> AnnotationData:
        """The record of a one-piece speaker mention or cue."""
        return self.record(label, ((start, end),), f"{start}-{end}", rule)


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
    made: dict[tuple[int, str], SuggestedEntity] = {}  # one per entity and rule, shared
    for start, assignment in assignments.items():
        entity = assignment.entity
        if id(entity) not in ordered:
            continue
        rule = assignment.rule if assignment.rule != "new" else entity.rule
        suggested = made.get((id(entity), rule))
        if suggested is None:
            suggested = made[id(entity), rule] = SuggestedEntity(
                entity.key, entity.name, entity.label, rule, ordered[id(entity)]
            )
        result[start] = suggested
    return result


def suggest(
    text: str,
    document_id: str = "",
    annotator: str = "suggest",
    lexicon: Lexicon | None = None,
    model: LearnedModel | None = None,
) -> Suggestions:
    """Suggested quotes, cues, speakers and entities for a text; no database, no network.

    With a trained `model`, the quotes are the model's (it reads the rules' findings when it
    was trained to, under the quote definition and cues it was trained with); entities are
    found the same way for both."""
    with paused_gc():  # many short-lived objects, no cycles
        marks: dict[str, str] = {}
        if model is None:
            analysis = Analysis(text, lexicon or default_lexicon())
            found = find_quotes(analysis)
        else:
            analysis = Analysis(text, model.lexicon)
            found = model.find(analysis, find_quotes(analysis) if model.uses_rules else None)
            marks = {"model": str(model.version)}
        speakers = [item.speaker for item in found if item.speaker is not None]
        entities = _entities(found, assign_entities(analysis, speakers))
        result = _suggestions(found, entities, text, document_id, annotator, marks)
        # freed before the collector resumes, so its first pass does not walk them all
        del analysis, found, speakers, entities
    return result


def _suggestions(
    found: list[Found],
    entities: dict[int, SuggestedEntity],
    text: str,
    document_id: str,
    annotator: str,
    marks: dict[str, str] | None = None,
) -> Suggestions:
    builder = _Builder(text, document_id, annotator, marks)
    items = []
    for item in found:
        spans = tuple(item.spans)
        where = spans_text(spans)
        quote = builder.record("Quote", spans, where, item.rule, item.kind)
        links: tuple[RelationData, ...] = ()
        mention = item.speaker
        speaker = entity = None
        if mention is not None:
            speaker = builder.single("Speaker", mention.start, mention.end, mention.rule)
            links = (builder.link("speaker", quote, speaker),)
            entity = entities.get(mention.start)
        cue = None
        if item.cue is not None:
            cue = builder.single("Cue", item.cue.start, item.cue.end, item.cue.rule)
            links = (*links, builder.link("cue", quote, cue))
        items.append(
            new_suggestion(
                make_key(item.rule, where), item.rule, item.kind, quote, speaker, cue, links, entity
            )
        )
    return Suggestions(document_id, annotator, tuple(items))
