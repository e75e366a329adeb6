"""Editing one annotation by id, as the tests set up their data.

The window and the command line edit through `Store.apply(Change)` (db/edits.py builds the
Changes); these shortcuts once sat on Store as a second editing API that only the tests used.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from db.changes import Change, added, updated
from db.errors import InvalidAnnotation
from db.records import AnnotationData, now_iso
from db.store import Store


def update_annotation(
    store: Store,
    annotation_id: str,
    *,
    label: str | None = None,
    attributes: dict[str, Any] | None = None,
    note: str | None = None,
    clear_note: bool = False,
) -> AnnotationData:
    """Change the label, attributes or note of an annotation; returns the new state."""
    before = store.annotation(annotation_id)
    if before is None:
        raise InvalidAnnotation(f"no annotation with id {annotation_id}")
    after = dataclasses.replace(
        before,
        label=before.label if label is None else label,
        attributes=before.attributes if attributes is None else dict(attributes),
        note=(note or None) if (note is not None or clear_note) else before.note,
        modified=now_iso(),
    )
    store.apply(Change("Edit", (updated(before, after),)))
    return after


def delete_annotation(store: Store, annotation_id: str) -> AnnotationData:
    """Delete an annotation and what depends on it; returns what was deleted."""
    change = store.deletion_change(annotation_id)
    store.apply(change)
    record = change.annotations[0].before
    assert record is not None
    return record


def restore_annotation(store: Store, record: AnnotationData) -> None:
    """Put an annotation back exactly as it was (undo of an update or a delete)."""
    current = store.annotation(record.id)
    pair = added(record) if current is None else updated(current, record)
    store.apply(Change("Restore", (pair,)))
