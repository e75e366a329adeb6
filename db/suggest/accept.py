"""Accepting one suggestion as one Change (one undo step), and hiding what was settled.

Pure functions over records, like db/edits.py: the window passes the document's current
annotations, links and entities of the accepting annotator; nothing here reads the database.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable

from db.changes import Change, Pair, added, merged, updated
from db.records import AnnotationData, EntityData, Fragments, RelationData, now_iso
from db.store import new_id
from db.suggest.model import SuggestedEntity, Suggestion, spans_of_key
from db.text.messages import counted


class Acceptor:
    """A document's annotations, links and entities of one annotator, indexed, to accept
    suggestions one after another against them: each lookup is a dictionary's, so accepting
    the 15,000 suggestions of a long document stays linear (rebuilding the lists for each
    took minutes)."""

    def __init__(
        self,
        document_id: str,
        annotator: str,
        annotations: Iterable[AnnotationData],
        relations: Iterable[RelationData],
        entities: Iterable[EntityData],
    ) -> None:
        self.document_id, self.annotator = document_id, annotator
        self.by_spans: dict[tuple[str, Fragments], AnnotationData] = {}
        self.by_id: dict[str, AnnotationData] = {}
        self.link_kinds: dict[str, set[str]] = {}  # quote id -> kinds of its links
        self.entities: dict[str, EntityData] = {}  # in their order: the first match wins
        self.order: dict[str, int] = {}
        self.by_name: dict[str, str] = {}  # casefolded name -> first entity of that name
        self.entity_of: dict[str, str] = {}  # mention id -> entity id
        self.at_span: dict[tuple[int, int], set[str]] = {}  # mention span -> entity ids
        for record in annotations:
            if self._mine(record):
                self._add_annotation(record)
        for link in relations:
            if self._mine(link):
                self.link_kinds.setdefault(link.source, set()).add(link.type)
        for entity in entities:
            if self._mine(entity):
                self._put_entity(None, entity)

    @classmethod
    def of(
        cls,
        suggestion: Suggestion,
        annotations: Iterable[AnnotationData],
        relations: Iterable[RelationData],
        entities: Iterable[EntityData],
    ) -> Acceptor:
        """For the document and annotator of this suggestion."""
        quote = suggestion.quote
        return cls(quote.document_id, quote.annotator, annotations, relations, entities)

    def _mine(self, record: AnnotationData | RelationData | EntityData) -> bool:
        return record.document_id == self.document_id and record.annotator == self.annotator

    def _add_annotation(self, record: AnnotationData) -> None:
        self.by_spans[record.label, record.spans] = record
        self.by_id[record.id] = record

    def _put_entity(self, before: EntityData | None, after: EntityData | None) -> None:
        old = before.mentions if before is not None else ()
        new = after.mentions if after is not None else ()
        gone, come = old, new
        if before is not None and after is not None and new[: len(old)] == old:
            gone, come = (), new[len(old) :]  # mentions added (what accepting does): just those
        for mention in gone:
            self.entity_of.pop(mention, None)
            span = self._span_of(mention)
            if span is not None and before is not None:
                self.at_span.get(span, set()).discard(before.id)
        if after is None:
            if before is not None:
                self.entities.pop(before.id, None)
            return
        self.entities[after.id] = after
        self.order.setdefault(after.id, len(self.order))
        self.by_name.setdefault(after.name.casefold(), after.id)
        for mention in come:
            self.entity_of[mention] = after.id
            span = self._span_of(mention)
            if span is not None:
                self.at_span.setdefault(span, set()).add(after.id)

    def _span_of(self, mention: str) -> tuple[int, int] | None:
        record = self.by_id.get(mention)
        return None if record is None else (record.start, record.end)

    def change_for(self, suggestion: Suggestion) -> Change:
        """The quote, speaker mention, cue, their links and the speaker's entity as one edit.

        Annotations with the same label and pieces already in the document are reused, not
        duplicated; a quote that already has a speaker (or cue) link keeps it (a person's
        choice wins over a suggestion); a speaker mention already in an entity stays there;
        otherwise the mention joins the entity holding another of its suggested coreferent
        mentions, or an entity of the suggested name, or a new one. Accepting twice changes
        nothing the second time (an empty Change). The state is not changed: see advance.
        """
        stamp = now_iso()
        placed: dict[tuple[str, Fragments], AnnotationData] = {}
        pairs: list[Pair[AnnotationData]] = []

        def place(record: AnnotationData | None) -> AnnotationData | None:
            if record is None:
                return None
            key = (record.label, record.spans)
            found = placed.get(key) or self.by_spans.get(key)
            if found is None:
                found = placed[key] = dataclasses.replace(
                    record, id=new_id(), created=stamp, modified=stamp
                )
                pairs.append(added(found))
            return found

        quote = place(suggestion.quote)
        speaker = place(suggestion.speaker)
        cue = place(suggestion.cue)
        assert quote is not None
        document_id, annotator = self.document_id, self.annotator
        kinds = self.link_kinds.get(quote.id, set())
        links: list[Pair[RelationData]] = []
        for kind, target in (("speaker", speaker), ("cue", cue)):
            if target is None or kind in kinds:
                continue
            links.append(
                added(RelationData(new_id(), document_id, annotator, kind, quote.id, target.id))
            )
        entity_pairs: list[Pair[EntityData]] = []
        suggested = suggestion.entity
        if speaker is not None and suggested is not None and speaker.id not in self.entity_of:
            holder = self._entity_for(suggested)
            if holder is not None:
                after = dataclasses.replace(holder, mentions=(*holder.mentions, speaker.id))
                entity_pairs.append(updated(holder, after))
            else:
                entity = EntityData(
                    new_id(), document_id, annotator, suggested.name, suggested.label, (speaker.id,)
                )
                entity_pairs.append(added(entity))
        return Change(
            f"Accept suggested {suggestion.kind} quote",
            tuple(pairs),
            tuple(links),
            tuple(entity_pairs),
        )

    def _entity_for(self, suggested: SuggestedEntity) -> EntityData | None:
        """The entity that already holds one of the suggested entity's other mentions
        (whatever it has been renamed to; the one holding the earliest, and of those the
        first in order), else one of the same name."""
        at_span = self.at_span
        for span in suggested.mention_spans:  # in text order: the first is usually held
            holders = at_span.get(span)
            if holders:
                return self.entities[min(holders, key=self.order.__getitem__)]
        found = self.by_name.get(suggested.name.casefold())
        return None if found is None else self.entities[found]

    def advance(self, change: Change) -> None:
        """Take in a Change that was applied (the suggestions after it see its records)."""
        for pair in change.annotations:
            if pair.after is not None:
                self._add_annotation(pair.after)
        for link in change.relations:
            if link.after is not None:
                self.link_kinds.setdefault(link.after.source, set()).add(link.after.type)
        for entity in change.entities:
            self._put_entity(entity.before, entity.after)


def accept_change(
    suggestion: Suggestion,
    existing_annotations: Iterable[AnnotationData],
    existing_relations: Iterable[RelationData],
    existing_entities: Iterable[EntityData],
) -> Change:
    """One suggestion as one Change against the document's current state (see
    Acceptor.change_for)."""
    acceptor = Acceptor.of(suggestion, existing_annotations, existing_relations, existing_entities)
    return acceptor.change_for(suggestion)


def pending(
    suggestions: Iterable[Suggestion],
    existing_annotations: Iterable[AnnotationData],
    rejected: Collection[str] = (),
) -> list[Suggestion]:
    """The suggestions still to review: not rejected (by key, or a rejected suggestion of
    the same pieces from another rule or the trained model) and whose quote the annotator
    has not annotated already (same pieces)."""
    items = list(suggestions)
    if not items:
        return []
    first = items[0].quote
    taken = {
        a.spans
        for a in existing_annotations
        if a.label == "Quote"
        and a.document_id == first.document_id
        and a.annotator == first.annotator
    }
    for key in rejected:
        spans = spans_of_key(key)
        if spans is not None:
            taken.add(spans)
    return [s for s in items if s.key not in rejected and s.quote.spans not in taken]


def accept_all_change(
    suggestions: Iterable[Suggestion],
    existing_annotations: Iterable[AnnotationData],
    existing_relations: Iterable[RelationData],
    existing_entities: Iterable[EntityData],
) -> Change:
    """Every suggestion accepted as one edit, each against the state the previous ones left
    (a speaker mention shared by two quotes is made once, its entity grows)."""
    items = list(suggestions)
    if not items:
        return merged("Accept 0 suggested quotes", [])
    acceptor = Acceptor.of(items[0], existing_annotations, existing_relations, existing_entities)
    changes = []
    for suggestion in items:
        change = acceptor.change_for(suggestion)
        acceptor.advance(change)
        changes.append(change)
    return merged(f"Accept {counted(len(changes), 'suggested quote')}", changes)
