"""Conflicts from two laptops of one person: shown, and taken instead of the kept version.

When the same record was changed on two laptops, the sync keeps the later `modified` and
records the other version. Taking it is an ordinary edit (one Change through the store, so
it can be undone in the window and travels with the next sync as the newest version).
"""

from __future__ import annotations

import json
from typing import Any

from db.changes import Change, Pair, added, removed, updated
from db.errors import SpanwiseError
from db.records import AnnotationData, DecisionData, EntityData, RelationData, now_iso
from db.store import Store
from db.team.local import LocalSide
from db.team.push import Conflict


def describe_conflict(conflict: Conflict) -> str:
    """One line: which record, whose, which version was kept and which one is offered."""
    version = conflict.version
    if version is None:
        offered = "deleted"
    elif conflict.kind == "annotation":
        note = f", note {version.get('note')!r}" if version.get("note") else ""
        offered = (
            f"{version.get('label')} {version.get('start')}-{version.get('end')}"
            f"{note}, attributes {json.dumps(version.get('attributes') or {})}"
        )
    elif conflict.kind == "status":
        offered = f"status {version.get('status')}"
    else:
        offered = json.dumps({k: v for k, v in version.items() if k not in ("deleted",)})
    return (
        f"{conflict.id}  {conflict.kind} {conflict.record_key} of {conflict.annotator} in "
        f"document {conflict.document_id}: kept the version of {conflict.kept_modified}; "
        f"the other one ({conflict.modified}) was {offered}"
    )


def _find(store: Store, conflict_id: str) -> Conflict:
    from db.team.sync import conflicts

    found = [c for c in conflicts(store, include_taken=True) if c.id.startswith(conflict_id)]
    if len(found) != 1:
        raise SpanwiseError(
            f"no conflict with id {conflict_id}"
            if not found
            else f"{conflict_id} names {len(found)} conflicts; give more of the id"
        )
    return found[0]


def take_conflict(store: Store, conflict_id: str) -> str:
    """Make the conflict's version the current one (an edit like any other)."""
    conflict = _find(store, conflict_id)
    change = _change(store, conflict)
    if change is not None and not change.is_empty():
        store.apply(change)
    local = LocalSide(store)
    try:
        local.raw.execute("UPDATE sync_conflict SET taken = 1 WHERE id = ?", (conflict.id,))
    except BaseException:
        local.rollback()
        raise
    local.commit()
    return f"took the other version of {conflict.kind} {conflict.record_key}; it goes to the " + (
        "server with the next sync"
    )


def _change(store: Store, conflict: Conflict) -> Change | None:
    # Long because one case per kind of record (annotation, link, entity, status), each turning the
    # other version into a Change.
    version: dict[str, Any] | None = conflict.version
    doc = conflict.document_id
    who = conflict.annotator
    description = f"Take the other version of a {conflict.kind}"
    if conflict.kind == "annotation":
        current = store.annotation(conflict.record_key)
        if version is None:
            if current is None:
                return None
            return store.deletion_change(current.id, description)
        fragments = tuple((s, e) for s, e in version.get("fragments") or ())
        record = AnnotationData(
            conflict.record_key,
            doc,
            who,
            version["label"],
            version["start"],
            version["end"],
            dict(version.get("attributes") or {}),
            version.get("note"),
            version.get("created") or now_iso(),
            now_iso(),
            fragments,
        )
        pair = added(record) if current is None else updated(current, record)
        return Change(description, (pair,))
    if conflict.kind == "relation":
        current_link = next(
            (r for r in store.relations(doc, who) if r.id == conflict.record_key), None
        )
        if version is None:
            return (
                None if current_link is None else Change(description, (), (removed(current_link),))
            )
        link = RelationData(
            conflict.record_key,
            doc,
            who,
            version["type"],
            version["source_id"],
            version["target_id"],
        )
        pairs: tuple[Pair[RelationData], ...] = (
            (added(link),) if current_link is None else (updated(current_link, link),)
        )
        return Change(description, (), pairs)
    if conflict.kind == "entity":
        current_entity = next(
            (e for e in store.entities(doc, who) if e.id == conflict.record_key), None
        )
        if version is None:
            if current_entity is None:
                return None
            return Change(description, entities=(removed(current_entity),))
        entity = EntityData(
            conflict.record_key,
            doc,
            who,
            version["name"],
            version["label"],
            tuple(version.get("mentions") or ()),
        )
        entity_pair = added(entity) if current_entity is None else updated(current_entity, entity)
        return Change(description, entities=(entity_pair,))
    if conflict.kind == "status":
        store.set_status(doc, who, "new" if version is None else version["status"])
        return None
    key = conflict.record_key.split("|", 2)[-1]
    current_decision = next((d for d in store.decisions(doc, who) if d.key == key), None)
    decision = None if version is None else DecisionData(doc, who, key, version["value"], now_iso())
    if current_decision is None and decision is None:
        return None
    return Change(description, decisions=(Pair(current_decision, decision),))
