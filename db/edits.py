"""Building the Changes a user's actions make, from the current state of a document.

Pure functions over records (no session, no Qt): the window calls them and pushes the result
as one undo step; the tests drive them directly.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from db.changes import Change, Pair, added, removed, updated
from db.records import (
    AnnotationData,
    EntityData,
    Fragments,
    RelationData,
    new_id,
    now_iso,
)


def describe(record: AnnotationData, text: str) -> str:
    """'Quote “While they were…”' for undo texts and messages."""
    snippet = " … ".join(text[s:e] for s, e in record.spans).replace("\n", " ")
    if len(snippet) > 30:
        snippet = snippet[:29] + "…"
    return f"{record.label} “{snippet}”"


def add_annotation(record: AnnotationData, text: str) -> Change:
    """Add one annotation, described by its label and text for Edit > Undo."""
    return Change(f"Add {describe(record, text)}", (added(record),))


def edit_annotation(before: AnnotationData, after: AnnotationData, what: str, text: str) -> Change:
    """Edit one annotation's label, attributes or note (`what` names the edit)."""
    after = dataclasses.replace(after, modified=now_iso())
    return Change(f"{what} of {describe(before, text)}", (updated(before, after),))


def add_fragment(record: AnnotationData, start: int, end: int, text: str) -> Change:
    """Extend an annotation by another piece of text (a quote interrupted by its cue)."""
    merged: list[tuple[int, int]] = []
    for s, e in sorted([*record.spans, (start, end)]):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    fragments: Fragments = tuple(merged) if len(merged) > 1 else ()
    after = dataclasses.replace(
        record, start=merged[0][0], end=merged[-1][1], fragments=fragments, modified=now_iso()
    )
    return Change(f"Add a fragment to {describe(record, text)}", (updated(record, after),))


def link(
    source: AnnotationData,
    target: AnnotationData,
    relation_type: str,
    existing: Iterable[RelationData],
    max_per_source: int | None,
    text: str,
    extra: Sequence[Pair[AnnotationData]] = (),
) -> Change:
    """Link source -> target; with a limit of one, the old link of that type is replaced."""
    same_type = [r for r in existing if r.source == source.id and r.type == relation_type]
    if any(r.target == target.id for r in same_type):
        return Change("Nothing to change")
    dropped = same_type if max_per_source == 1 else []
    new = RelationData(
        new_id(), source.document_id, source.annotator, relation_type, source.id, target.id
    )
    verb = "Relink" if dropped else "Link"
    return Change(
        f"{verb} {relation_type} of {describe(source, text)}",
        tuple(extra),
        (*(removed(r) for r in dropped), added(new)),
    )


def unlink(relation: RelationData) -> Change:
    """Remove one link."""
    return Change(f"Remove {relation.type} link", (), (removed(relation),))


def _without_mention(entity: EntityData, mention: str) -> Pair[EntityData]:
    rest = tuple(m for m in entity.mentions if m != mention)
    return updated(entity, dataclasses.replace(entity, mentions=rest)) if rest else removed(entity)


def assign_entity(
    mention: AnnotationData,
    current: EntityData | None,
    target: EntityData | None,
    new_name: str | None,
    entity_type: str,
) -> Change:
    """Put a mention into an existing entity, or into a new one named `new_name`."""
    pairs: list[Pair[EntityData]] = []
    if current is not None:
        if target is not None and current.id == target.id:
            return Change("Nothing to change")
        pairs.append(_without_mention(current, mention.id))
    if target is not None:
        after = dataclasses.replace(target, mentions=(*target.mentions, mention.id))
        pairs.append(updated(target, after))
        name = target.name
    else:
        name = (new_name or "").strip()
        entity = EntityData(
            new_id(), mention.document_id, mention.annotator, name, entity_type, (mention.id,)
        )
        pairs.append(added(entity))
    return Change(f"Link mention to entity “{name}”", entities=tuple(pairs))


def rename_entity(entity: EntityData, name: str, entity_type: str | None = None) -> Change:
    """Rename an entity (and change its type, when given)."""
    after = dataclasses.replace(entity, name=name.strip(), label=entity_type or entity.label)
    return Change(
        f"Rename entity “{entity.name}” to “{name.strip()}”", entities=(updated(entity, after),)
    )


def merge_entities(keep: EntityData, others: Sequence[EntityData]) -> Change:
    """One entity with every mention of the others; the others go."""
    mentions = list(keep.mentions)
    for other in others:
        mentions.extend(m for m in other.mentions if m not in mentions)
    pairs: list[Pair[EntityData]] = [removed(o) for o in others if o.id != keep.id]
    pairs.append(updated(keep, dataclasses.replace(keep, mentions=tuple(mentions))))
    names = ", ".join(f"“{o.name}”" for o in others)
    return Change(f"Merge {names} into “{keep.name}”", entities=tuple(pairs))


def split_mention(entity: EntityData, mention: AnnotationData, text: str) -> Change:
    """Take a mention out of its entity into a new entity of its own."""
    name = text[mention.start : mention.end].strip() or entity.name
    pairs = [
        _without_mention(entity, mention.id),
        added(
            EntityData(
                new_id(), entity.document_id, entity.annotator, name, entity.label, (mention.id,)
            )
        ),
    ]
    return Change(f"Split “{name}” out of “{entity.name}”", entities=tuple(pairs))
