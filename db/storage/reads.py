"""Bulk reads as plain records, straight from columns.

Opening a book-length document (20,000 annotations) or exporting a corpus (200,000) must
not build an ORM object per row: these queries select columns, resolve annotator and label
names from two small maps, and build the frozen records directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from db.gc_pause import paused_gc
from db.records import (
    AnnotationData,
    EntityData,
    RelationData,
    new_relation_record,
)
from db.storage.database import driver_connection, driver_errors
from db.storage.first_paint import ANNOTATION_ORDER, ANNOTATION_SELECT, annotation_records
from db.storage.models import Annotator, Entity, EntityMention, Label, Relation


def annotator_names(session: Session) -> dict[int, str]:
    """Every annotator's name by id."""
    return dict(session.execute(select(Annotator.id, Annotator.name)).tuples().all())


def annotator_id_of(session: Session, name: str | None) -> int | None:
    """The id of an annotator, -1 for an unknown name (so a filter matches nothing)."""
    if name is None:
        return None
    found = session.scalar(select(Annotator.id).where(Annotator.name == name))
    return -1 if found is None else found


def _filtered(
    query: Select[Any], model: Any, document_ids: Sequence[str] | None, annotator_id: int | None
) -> Select[Any]:
    if document_ids is not None:
        query = query.where(model.document_id.in_(document_ids))
    if annotator_id is not None:
        query = query.where(model.annotator_id == annotator_id)
    return query


def _rows(session: Session, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Plain tuples straight from the driver: the hot path of opening a large document.
    Errors get the same one-line messages as the engine's (damaged file, disk...)."""
    with driver_errors(session):
        return list(driver_connection(session).execute(sql, params).fetchall())


def _where(document_ids: Sequence[str] | None, annotator_id: int | None) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if document_ids is not None:
        clauses.append(f"document_id IN ({', '.join('?' * len(document_ids))})")
        params.extend(document_ids)
    if annotator_id is not None:
        clauses.append("annotator_id = ?")
        params.append(annotator_id)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def read_annotations(
    session: Session,
    document_ids: Sequence[str] | None,
    annotator_id: int | None,
    starting_before: int | None = None,
    limit: int | None = None,
) -> list[AnnotationData]:
    """Annotations in document, then text order: start, longer first, then id (the order the
    window keeps them in, so it never has to sort them again); the first `limit` of them."""
    names = annotator_names(session)
    labels = dict(session.execute(select(Label.id, Label.name)).tuples().all())
    where, params = _where(document_ids, annotator_id)
    if starting_before is not None:  # the top of a document, for its first paint
        where += " AND start < ?" if where else " WHERE start < ?"
        params.append(starting_before)
    order = f"ORDER BY document_id, {ANNOTATION_ORDER}"
    if limit is not None:
        order += " LIMIT ?"
        params.append(limit)
    with paused_gc():
        return _annotation_records(session, where, order, params, names, labels)


def _annotation_records(
    session: Session,
    where: str,
    order: str,
    params: list[Any],
    names: dict[int, str],
    labels: dict[int, str],
) -> list[AnnotationData]:
    rows = _rows(session, f"{ANNOTATION_SELECT}{where} {order}", params)
    return annotation_records(rows, names, labels)


def read_relations(
    session: Session, document_ids: Sequence[str] | None, annotator_id: int | None
) -> list[RelationData]:
    """A document's links as plain records, straight from the columns."""
    names = annotator_names(session)
    table = Relation.__table__
    query = select(
        table.c.id,
        table.c.document_id,
        table.c.annotator_id,
        table.c.type,
        table.c.source_id,
        table.c.target_id,
    )
    query = _filtered(query, table.c, document_ids, annotator_id)
    query = query.order_by(table.c.document_id, table.c.id)
    return [
        new_relation_record(id_, doc, names[who], kind, source, target)
        for id_, doc, who, kind, source, target in session.execute(query)
    ]


def read_entities(
    session: Session, document_ids: Sequence[str] | None, annotator_id: int | None
) -> list[EntityData]:
    """Entities with their mentions in order, in two queries however many there are."""
    names = annotator_names(session)
    table = Entity.__table__
    query = select(
        table.c.id, table.c.document_id, table.c.annotator_id, table.c.name, table.c.label
    )
    query = _filtered(query, table.c, document_ids, annotator_id)
    query = query.order_by(table.c.document_id, table.c.name, table.c.id)
    rows = session.execute(query).tuples().all()
    mentions: dict[str, list[str]] = {row[0]: [] for row in rows}
    if rows:
        mention_query = (
            select(EntityMention.entity_id, EntityMention.annotation_id)
            .join(Entity, Entity.id == EntityMention.entity_id)
            .order_by(EntityMention.entity_id, EntityMention.position)
        )
        mention_query = _filtered(mention_query, Entity, document_ids, annotator_id)
        for entity_id, annotation_id in session.execute(mention_query):
            if entity_id in mentions:
                mentions[entity_id].append(annotation_id)
    return [
        EntityData(id_, doc, names[who], name, label, tuple(mentions[id_]))
        for id_, doc, who, name, label in rows
    ]
