"""Accepting one suggestion as one Change (one undo step), and hiding what was settled.

Pure functions over records, like db/edits.py: the window passes the document's current
annotations, links and entities of the accepting annotator; nothing here reads the database.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Sequence

from db.changes import Change, Pair, T, added, merged, updated
from db.records import AnnotationData, EntityData, RelationData, now_iso
from db.store import new_id
from db.suggest.model import SuggestedEntity, Suggestion


def _mine(
    records: Iterable[AnnotationData], document_id: str, annotator: str
) -> list[AnnotationData]:
    return [r for r in records if r.document_id == document_id and r.annotator == annotator]


class _Placer:
    """Finds an existing annotation with the same label and pieces, or adds a new one."""

    def __init__(self, existing: Sequence[AnnotationData]) -> None:
        self.index = {(a.label, a.spans): a for a in existing}
        self.pairs: list[Pair[AnnotationData]] = []
        self.stamp = now_iso()

    def place(self, record: AnnotationData | None) -> AnnotationData | None:
        if record is None:
            return None
        found = self.index.get((record.label, record.spans))
        if found is not None:
            return found
        new = dataclasses.replace(record, id=new_id(), created=self.stamp, modified=self.stamp)
        self.pairs.append(added(new))
        self.index[(new.label, new.spans)] = new
        return new


def _entity_for(
    suggested: SuggestedEntity, entities: Sequence[EntityData], by_id: dict[str, AnnotationData]
) -> EntityData | None:
    """The existing entity that already holds one of the suggested entity's other mentions
    (whatever it has been renamed to), else one with the same name."""
    wanted = set(suggested.mention_spans)
    for entity in entities:
        for mention in entity.mentions:
            record = by_id.get(mention)
            if record is not None and (record.start, record.end) in wanted:
                return entity
    name = suggested.name.casefold()
    return next((e for e in entities if e.name.casefold() == name), None)


def accept_change(
    suggestion: Suggestion,
    existing_annotations: Iterable[AnnotationData],
    existing_relations: Iterable[RelationData],
    existing_entities: Iterable[EntityData],
) -> Change:
    """The quote, speaker mention, cue, their links and the speaker's entity as one edit.

    Annotations with the same label and pieces already in the document are reused, not
    duplicated; a quote that already has a speaker (or cue) link keeps it (a person's choice
    wins over a suggestion); a speaker mention already in an entity stays there; otherwise
    the mention joins the entity holding another of its suggested coreferent mentions, or an
    entity of the suggested name, or a new one. Accepting twice changes nothing the second
    time (an empty Change).
    """
    quote_record = suggestion.quote
    document_id, annotator = quote_record.document_id, quote_record.annotator
    annotations = _mine(existing_annotations, document_id, annotator)
    placer = _Placer(annotations)
    quote = placer.place(quote_record)
    speaker = placer.place(suggestion.speaker)
    cue = placer.place(suggestion.cue)
    assert quote is not None
    relations = [
        r
        for r in existing_relations
        if r.document_id == document_id and r.annotator == annotator and r.source == quote.id
    ]
    links: list[Pair[RelationData]] = []
    for kind, target in (("speaker", speaker), ("cue", cue)):
        if target is None or any(r.type == kind for r in relations):
            continue
        links.append(
            added(RelationData(new_id(), document_id, annotator, kind, quote.id, target.id))
        )
    entity_pairs: list[Pair[EntityData]] = []
    if speaker is not None and suggestion.entity is not None:
        entities = [
            e
            for e in existing_entities
            if e.document_id == document_id and e.annotator == annotator
        ]
        if not any(speaker.id in e.mentions for e in entities):
            by_id = {a.id: a for a in annotations}
            holder = _entity_for(suggestion.entity, entities, by_id)
            if holder is not None:
                after = dataclasses.replace(holder, mentions=(*holder.mentions, speaker.id))
                entity_pairs.append(updated(holder, after))
            else:
                entity_pairs.append(
                    added(
                        EntityData(
                            new_id(),
                            document_id,
                            annotator,
                            suggestion.entity.name,
                            suggestion.entity.label,
                            (speaker.id,),
                        )
                    )
                )
    return Change(
        f"Accept suggested {suggestion.kind} quote",
        tuple(placer.pairs),
        tuple(links),
        tuple(entity_pairs),
    )


def pending(
    suggestions: Iterable[Suggestion],
    existing_annotations: Iterable[AnnotationData],
    rejected: Collection[str] = (),
) -> list[Suggestion]:
    """The suggestions still to review: not rejected (by key) and whose quote the
    annotator has not annotated already (same pieces)."""
    items = list(suggestions)
    if not items:
        return []
    first = items[0].quote
    taken = {
        a.spans
        for a in _mine(existing_annotations, first.document_id, first.annotator)
        if a.label == "Quote"
    }
    return [s for s in items if s.key not in rejected and s.quote.spans not in taken]


def accept_all_change(
    suggestions: Iterable[Suggestion],
    existing_annotations: Iterable[AnnotationData],
    existing_relations: Iterable[RelationData],
    existing_entities: Iterable[EntityData],
) -> Change:
    """Every suggestion accepted as one edit, each against the state the previous ones left
    (a speaker mention shared by two quotes is made once, its entity grows)."""
    annotations = {a.id: a for a in existing_annotations}
    relations = {r.id: r for r in existing_relations}
    entities = {e.id: e for e in existing_entities}
    changes = []
    for suggestion in suggestions:
        change = accept_change(
            suggestion, annotations.values(), relations.values(), entities.values()
        )
        _advance(annotations, change.annotations)
        _advance(relations, change.relations)
        _advance(entities, change.entities)
        changes.append(change)
    return merged(f"Accept {len(changes)} suggested quote(s)", changes)


def _advance(state: dict[str, T], pairs: Iterable[Pair[T]]) -> None:
    """Bring an id -> record map past a Change's pairs."""
    for pair in pairs:
        if pair.after is None:
            state.pop(pair.key, None)
        else:
            state[pair.key] = pair.after
