"""Adjudication: building the gold version from two annotators' work, one decision at a time.

Accepting copies annotations (and the links and entity memberships that come with them) to
the gold annotator with a `provenance` attribute naming where they came from; the originals
are never changed. Every decision is recorded (db.storage.models.Decision) so the reviewer's
progress survives reopening, and each is one Change: undoable, persisted when made.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from enum import StrEnum

from db.changes import Change, Pair, added
from db.records import AnnotationData, DecisionData, EntityData, RelationData, now_iso
from db.review.compare import Item, Side
from db.store import Store, new_id
from db.text.messages import counted

PROVENANCE = "provenance"


class Verdict(StrEnum):
    """A reviewer's decision on one compared item."""

    ACCEPT_A = "accept A"
    ACCEPT_B = "accept B"
    ACCEPT_BOTH = "accept both"
    REJECT = "reject"
    EDIT = "edit"


@dataclasses.dataclass
class Gold:
    """The gold annotator's current work on the document (grows as decisions are made)."""

    annotator: str
    annotations: list[AnnotationData]
    relations: list[RelationData]
    entities: list[EntityData]
    decisions: dict[str, DecisionData]

    def copy_of(self, source: AnnotationData) -> AnnotationData | None:
        """The gold annotation that is a copy of `source`: same spans and label."""
        return next(
            (g for g in self.annotations if g.spans == source.spans and g.label == source.label),
            None,
        )


def progress(items: Sequence[Item], gold: Gold) -> tuple[int, int]:
    """(resolved, total) disagreements, for "12 of 31 disagreements resolved"."""
    disagreements = [i for i in items if i.is_disagreement]
    resolved = sum(1 for i in disagreements if i.key in gold.decisions)
    return resolved, len(disagreements)


def decide(
    item: Item,
    verdict: Verdict,
    side_a: Side,
    side_b: Side,
    gold: Gold,
    items: Sequence[Item] = (),
) -> Change:
    """One reviewer decision as one Change. With the document's `items`, a link whose other
    end is not in gold is tied to the gold copy of that end's counterpart (A's "Bo Berg" for
    B's "Berg"), as a reviewer means it."""
    chosen: list[tuple[AnnotationData, Side, str]] = []
    both = ", ".join(s.annotator for s, x in ((side_a, item.a), (side_b, item.b)) if x)
    if verdict in (Verdict.ACCEPT_A, Verdict.EDIT) and item.a is not None:
        chosen.append((item.a, side_a, both if item.kind == "agreed" else side_a.annotator))
    elif verdict is Verdict.EDIT and item.b is not None:
        chosen.append((item.b, side_b, side_b.annotator))
    if verdict is Verdict.ACCEPT_B and item.b is not None:
        chosen.append((item.b, side_b, side_b.annotator))
    if verdict is Verdict.ACCEPT_BOTH:
        for source, side in ((item.a, side_a), (item.b, side_b)):
            if source is not None:
                chosen.append((source, side, side.annotator))
    builder = _GoldBuilder(gold, items)
    for source, side, provenance in chosen:
        builder.copy(source, side, provenance)
    decision = DecisionData(
        (item.a or item.b).document_id,  # type: ignore[union-attr]
        gold.annotator,
        item.key,
        verdict.value,
        now_iso(),
    )
    previous = gold.decisions.get(item.key)
    text = f"{verdict.value.capitalize()}: {_label(item)}"
    return builder.change(text, (Pair(previous, decision),))


def accept_agreed(items: Sequence[Item], side_a: Side, side_b: Side, gold: Gold) -> Change:
    """Every agreed item not yet decided, accepted in one step."""
    items = list(items)
    builder = _GoldBuilder(gold, items)
    decisions = []
    both = f"{side_a.annotator}, {side_b.annotator}"
    for item in items:
        if item.is_disagreement or item.key in gold.decisions or item.a is None:
            continue
        builder.copy(item.a, side_a, both)
        decisions.append(
            Pair(
                None,
                DecisionData(item.a.document_id, gold.annotator, item.key, "accept A", now_iso()),
            )
        )
    return builder.change(
        f"Accept {counted(len(decisions), 'agreed annotation')}", tuple(decisions)
    )


def _label(item: Item) -> str:
    source = item.a or item.b
    return source.label if source else "item"


class _GoldBuilder:
    """Accumulates the gold copies of one decision, with their links and entities."""

    def __init__(self, gold: Gold, items: Sequence[Item] = ()) -> None:
        self.gold = gold
        self.counterparts: dict[str, AnnotationData] = {}
        for item in items:
            if item.a is not None and item.b is not None:
                self.counterparts[item.a.id] = item.b
                self.counterparts[item.b.id] = item.a
        self.annotations: list[Pair[AnnotationData]] = []
        self.relations: list[Pair[RelationData]] = []
        self.entities: dict[str, tuple[EntityData | None, EntityData]] = {}
        self.copies: dict[str, AnnotationData] = {}  # source id -> gold copy (new or old)

    def _copy_in_gold(self, source: AnnotationData) -> AnnotationData | None:
        return self.copies.get(source.id) or self.gold.copy_of(source)

    def _gold_end(self, source: AnnotationData) -> AnnotationData | None:
        """The gold annotation standing for `source`, or for its counterpart."""
        found = self._copy_in_gold(source)
        counterpart = self.counterparts.get(source.id)
        if found is None and counterpart is not None:
            found = self._copy_in_gold(counterpart)
        return found

    def copy(self, source: AnnotationData, side: Side, provenance: str) -> None:
        existing = self._copy_in_gold(source)
        if existing is None:
            stamp = now_iso()
            existing = dataclasses.replace(
                source,
                id=new_id(),
                annotator=self.gold.annotator,
                attributes={**source.attributes, PROVENANCE: provenance},
                note=source.note,
                created=stamp,
                modified=stamp,
            )
            self.annotations.append(added(existing))
            self.gold.annotations.append(existing)
        self.copies[source.id] = existing
        self._copy_links(source, existing, side)
        self._copy_entity(source, existing, side)

    def _copy_links(self, source: AnnotationData, copy: AnnotationData, side: Side) -> None:
        by_id = {a.id: a for a in side.annotations}
        for relation in side.relations:
            if source.id not in (relation.source, relation.target):
                continue
            other_id = relation.target if relation.source == source.id else relation.source
            other = by_id.get(other_id)
            other_copy = self._gold_end(other) if other else None
            if other_copy is None:
                continue  # the other end is not in gold (yet); its acceptance will link it
            gold_source = copy if relation.source == source.id else other_copy
            gold_target = other_copy if relation.source == source.id else copy
            if any(
                r.source == gold_source.id and r.type == relation.type for r in self.gold.relations
            ):
                continue  # gold already has this link (or one of its kind); keep it
            link = RelationData(
                new_id(),
                copy.document_id,
                self.gold.annotator,
                relation.type,
                gold_source.id,
                gold_target.id,
            )
            self.relations.append(added(link))
            self.gold.relations.append(link)

    def _copy_entity(self, source: AnnotationData, copy: AnnotationData, side: Side) -> None:
        entity = side.entity_of(source.id)
        if entity is None or any(copy.id in e.mentions for e in self.gold.entities):
            return
        gold_entity = next((e for e in self.gold.entities if e.name == entity.name), None)
        if gold_entity is None:
            gold_entity = EntityData(
                new_id(), copy.document_id, self.gold.annotator, entity.name, entity.label, ()
            )
            before = None
        else:
            before = (
                self.entities[gold_entity.id][0] if gold_entity.id in self.entities else gold_entity
            )
        after = dataclasses.replace(gold_entity, mentions=(*gold_entity.mentions, copy.id))
        self.entities[after.id] = (before, after)
        self.gold.entities = [e for e in self.gold.entities if e.id != after.id] + [after]

    def change(self, description: str, decisions: tuple[Pair[DecisionData], ...]) -> Change:
        return Change(
            description,
            tuple(self.annotations),
            tuple(self.relations),
            tuple(Pair(before, after) for before, after in self.entities.values()),
            decisions,
        )


def side_of(store: Store, document_id: str, annotator: str) -> Side:
    """One annotator's work on a document, as the compare view reads it."""
    return Side(
        annotator,
        store.annotations(document_id, annotator),
        store.relations(document_id, annotator),
        store.entities(document_id, annotator),
    )


def gold_of(store: Store, document_id: str, annotator: str) -> Gold:
    """The gold annotator's work on a document and the decisions taken so far."""
    return Gold(
        annotator,
        store.annotations(document_id, annotator),
        store.relations(document_id, annotator),
        store.entities(document_id, annotator),
        {d.key: d for d in store.decisions(document_id, annotator)},
    )
