"""A user edit as data: pairs of (before, after) for annotations, relations and entities.

Every edit the window makes (add a span, link a speaker, merge two entities, delete a span
and the links that point at it) is one Change, written by `Store.apply` in one transaction.
Undo is the same call with `change.inverse()`, so each undo step is persisted like any edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from db.records import AnnotationData, DecisionData, EntityData, RelationData

T = TypeVar("T", AnnotationData, RelationData, EntityData, DecisionData)


@dataclass(frozen=True)
class Pair(Generic[T]):
    """One object's state before and after the edit; None where it does not exist."""

    before: T | None
    after: T | None

    @property
    def key(self) -> str:
        """The id of the object the pair is about."""
        item = self.after or self.before
        assert item is not None
        return item.id

    def swapped(self) -> Pair[T]:
        """The pair the other way round: what undoing it writes."""
        return Pair(self.after, self.before)


@dataclass(frozen=True)
class Change:
    """One user edit as data: what each touched object was before and is after."""

    description: str
    annotations: tuple[Pair[AnnotationData], ...] = ()
    relations: tuple[Pair[RelationData], ...] = ()
    entities: tuple[Pair[EntityData], ...] = ()
    decisions: tuple[Pair[DecisionData], ...] = ()

    def inverse(self) -> Change:
        """The Change that undoes this one (pairs swapped, in reverse order)."""
        return Change(
            self.description,
            tuple(p.swapped() for p in reversed(self.annotations)),
            tuple(p.swapped() for p in reversed(self.relations)),
            tuple(p.swapped() for p in reversed(self.entities)),
            tuple(p.swapped() for p in reversed(self.decisions)),
        )

    @property
    def document_ids(self) -> set[str]:
        """The documents the Change touches."""
        ids: set[str] = set()
        for pairs in (self.annotations, self.relations, self.entities, self.decisions):
            for pair in pairs:
                item = pair.after or pair.before
                if item is not None:
                    ids.add(item.document_id)
        return ids

    def is_empty(self) -> bool:
        """Whether the Change changes nothing."""
        return not (self.annotations or self.relations or self.entities or self.decisions)


def added(item: T) -> Pair[T]:
    """The pair that creates `item`."""
    return Pair(None, item)


def removed(item: T) -> Pair[T]:
    """The pair that deletes `item`."""
    return Pair(item, None)


def updated(before: T, after: T) -> Pair[T]:
    """The pair that turns `before` into `after`."""
    return Pair(before, after)


def merged(description: str, changes: list[Change]) -> Change:
    """Several Changes as one: each object's first `before` and last `after`, so an entity
    one step creates and the next one extends is simply created with both mentions."""

    def fold(pairs: list[Pair[T]]) -> tuple[Pair[T], ...]:
        order: list[str] = []
        first: dict[str, T | None] = {}
        last: dict[str, T | None] = {}
        for pair in pairs:
            if pair.key not in first:
                order.append(pair.key)
                first[pair.key] = pair.before
            last[pair.key] = pair.after
        return tuple(
            Pair(first[k], last[k])
            for k in order
            if not (first[k] is None and last[k] is None) and first[k] != last[k]
        )

    return Change(
        description,
        fold([p for c in changes for p in c.annotations]),
        fold([p for c in changes for p in c.relations]),
        fold([p for c in changes for p in c.entities]),
        fold([p for c in changes for p in c.decisions]),
    )
