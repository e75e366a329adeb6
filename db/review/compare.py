"""Comparing two annotators' work on one document, the way a reviewer reads it.

Every annotation of A and B lands in exactly one item: *agreed* (same label and spans, same
attributes and links), *partly agreed* (same spans with another label, attributes or links;
or overlapping spans), *only A*, *only B*. Links are compared through the matched quotes:
the same quote with a speaker of another entity (or another span) is a disagreement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from db.records import AnnotationData, EntityData, RelationData

# Bookkeeping, not annotation: where a gold copy came from, which rule suggested a span.
NOT_COMPARED = frozenset({"provenance", "origin", "rule"})


class Agreement(StrEnum):
    """How the two sides of a compared item relate."""

    AGREED = "agreed"
    PARTLY = "partly agreed"
    ONLY_A = "only A"
    ONLY_B = "only B"


@dataclass(frozen=True)
class Side:
    """One annotator's work on a document, as the comparison needs it."""

    annotator: str
    annotations: Sequence[AnnotationData]
    relations: Sequence[RelationData] = ()
    entities: Sequence[EntityData] = ()

    def targets(self, annotation_id: str) -> dict[str, str]:
        """relation type -> target id for links from this annotation."""
        return {r.type: r.target for r in self.relations if r.source == annotation_id}

    def entity_of(self, annotation_id: str) -> EntityData | None:
        """The entity this annotation is a mention of, if any."""
        return next((e for e in self.entities if annotation_id in e.mentions), None)


@dataclass(frozen=True)
class Item:
    """One place where the two annotators are compared."""

    kind: Agreement
    a: AnnotationData | None
    b: AnnotationData | None
    differences: tuple[str, ...] = field(default_factory=tuple)

    @property
    def start(self) -> int:
        """Where the item starts: the earlier of its two sides."""
        return min(x.start for x in (self.a, self.b) if x is not None)

    @property
    def end(self) -> int:
        """Where the item ends: the later of its two sides."""
        return max(x.end for x in (self.a, self.b) if x is not None)

    @property
    def key(self) -> str:
        """Stable across sessions: what each side holds, by id."""
        return f"cmp:{self.a.id if self.a else '-'}:{self.b.id if self.b else '-'}"

    @property
    def is_disagreement(self) -> bool:
        """Whether the reviewer has something to decide here."""
        return self.kind is not Agreement.AGREED


def _overlap(a: AnnotationData, b: AnnotationData) -> int:
    return sum(max(0, min(ae, be) - max(as_, bs)) for as_, ae in a.spans for bs, be in b.spans)


def _link_differences(
    a: AnnotationData, b: AnnotationData, side_a: Side, side_b: Side, matched: dict[str, str]
) -> list[str]:
    """Links of a matched pair that do not correspond (speaker of another entity, say)."""
    differences = []
    links_a, links_b = side_a.targets(a.id), side_b.targets(b.id)
    by_id_a = {x.id: x for x in side_a.annotations}
    by_id_b = {x.id: x for x in side_b.annotations}
    for relation_type in sorted(set(links_a) | set(links_b)):
        target_a, target_b = links_a.get(relation_type), links_b.get(relation_type)
        if target_a is None or target_b is None:
            differences.append(relation_type)
            continue
        if matched.get(target_a) == target_b:
            continue
        entity_a, entity_b = side_a.entity_of(target_a), side_b.entity_of(target_b)
        if entity_a and entity_b and _same_entity(entity_a, entity_b, side_a, side_b, matched):
            continue
        ta, tb = by_id_a.get(target_a), by_id_b.get(target_b)
        if ta and tb and ta.spans == tb.spans:
            continue
        differences.append(relation_type)
    return differences


def _same_entity(
    entity_a: EntityData, entity_b: EntityData, side_a: Side, side_b: Side, matched: dict[str, str]
) -> bool:
    """Two entities are the same when any of their mentions were matched to each other."""
    mentions_b = set(entity_b.mentions)
    return any(matched.get(m) in mentions_b for m in entity_a.mentions)


def compare(side_a: Side, side_b: Side) -> list[Item]:
    """All items of a document in text order."""
    remaining_b = {b.id: b for b in side_b.annotations}
    by_spans: dict[tuple[tuple[int, int], ...], list[AnnotationData]] = {}
    for b in side_b.annotations:
        by_spans.setdefault(b.spans, []).append(b)
    pairs: list[tuple[AnnotationData, AnnotationData]] = []
    unmatched_a: list[AnnotationData] = []
    # 1. same spans, preferring the same label
    for a in side_a.annotations:
        candidates = [b for b in by_spans.get(a.spans, []) if b.id in remaining_b]
        best = next((b for b in candidates if b.label == a.label), None)
        best = best or (candidates[0] if candidates else None)
        if best is None:
            unmatched_a.append(a)
            continue
        del remaining_b[best.id]
        pairs.append((a, best))
    # 2. overlapping spans of the same label, then of any label, largest overlap first
    overlap_pairs: list[tuple[AnnotationData, AnnotationData]] = []
    still_a: list[AnnotationData] = []
    ordered_b = sorted(remaining_b.values(), key=lambda x: x.start)
    for a in unmatched_a:
        nearby = [
            b
            for b in ordered_b
            if b.id in remaining_b and b.start < a.end and b.end > a.start and _overlap(a, b)
        ]
        if not nearby:
            still_a.append(a)
            continue
        best = max(nearby, key=lambda b: (b.label == a.label, _overlap(a, b)))
        del remaining_b[best.id]
        overlap_pairs.append((a, best))
    matched = {a.id: b.id for a, b in pairs + overlap_pairs}
    items: list[Item] = []
    for a, b in pairs:
        differences = []
        if a.label != b.label:
            differences.append("label")
        for key in sorted((set(a.attributes) | set(b.attributes)) - NOT_COMPARED):
            if a.attributes.get(key) != b.attributes.get(key):
                differences.append(f"attribute {key}")
        differences += _link_differences(a, b, side_a, side_b, matched)
        kind = Agreement.PARTLY if differences else Agreement.AGREED
        items.append(Item(kind, a, b, tuple(differences)))
    for a, b in overlap_pairs:
        differences = ["span"] + (["label"] if a.label != b.label else [])
        items.append(Item(Agreement.PARTLY, a, b, tuple(differences)))
    items += [Item(Agreement.ONLY_A, a, None) for a in still_a]
    items += [Item(Agreement.ONLY_B, None, b) for b in remaining_b.values()]
    return sorted(items, key=lambda item: (item.start, -item.end, item.key))


def attribute_votes(
    items: Sequence[Item], others: Sequence[Sequence[AnnotationData]] = ()
) -> dict[str, dict[str, dict[str, int]]]:
    """For each item key with an attribute difference: attribute -> value -> number of
    annotators who chose it (MAE's majority / minority marking). `others` are further
    annotators' annotations, counted where they have the same spans."""
    votes: dict[str, dict[str, dict[str, int]]] = {}
    for item in items:
        if item.a is None or item.b is None:
            continue
        keys = [d.removeprefix("attribute ") for d in item.differences if d.startswith("attribute")]
        if not keys:
            continue
        counts: dict[str, dict[str, int]] = {}
        voters = [item.a, item.b] + [
            x for group in others for x in group if x.spans == item.a.spans
        ]
        for key in keys:
            for voter in voters:
                value = str(voter.attributes.get(key, "—"))
                counts.setdefault(key, {}).setdefault(value, 0)
                counts[key][value] += 1
        votes[item.key] = counts
    return votes
