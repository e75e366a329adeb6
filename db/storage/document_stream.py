"""The database's documents with their work, a batch at a time, for exports and agreement.

Reading 50,000 documents with their annotations at once took gigabytes. These are read in
document order, `BATCH` documents at a time (a few indexed queries per batch), inside one
read transaction: one consistent snapshot, whatever another window writes meanwhile, and
memory bounded by a batch rather than the corpus.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.errors import SpanwiseError
from db.records import (
    AnnotationData,
    DocumentSummary,
    EntityData,
    ExportedDocument,
    RelationData,
)
from db.storage.models import Annotator, Document, DocumentStatus
from db.storage.reads import annotator_id_of, read_annotations, read_entities, read_relations
from db.storage.rows import document_data

BATCH = 200  # documents read together (SQLite allows 32,766 parameters in IN (...))

T = TypeVar("T", AnnotationData, RelationData, EntityData)


def exported_documents(
    session: Session, annotator: str | None, document_id: str | None
) -> Iterator[ExportedDocument]:
    """Documents with statuses, annotations, links and entities (of `annotator` only, when
    given), in the database's order, one batch read at a time. An unknown document or
    annotator is refused at once, before anything is written; the session is closed when
    the documents have been read (or the reading is abandoned)."""
    query = select(Document.id).order_by(Document.position, Document.title)
    if document_id is not None:
        query = query.where(Document.id == document_id)
    ids = list(session.scalars(query))
    if document_id is not None and not ids:
        raise SpanwiseError(f"no document with id {document_id}")
    owner = annotator_id_of(session, annotator)
    if owner == -1:
        known = session.scalars(select(Annotator.name).order_by(Annotator.name))
        raise SpanwiseError(
            f"unknown annotator '{annotator}' (annotators: {', '.join(known) or 'none yet'})"
        )
    return _batches(session, ids, owner)


def _batches(session: Session, ids: list[str], owner: int | None) -> Iterator[ExportedDocument]:
    try:
        for start in range(0, len(ids), BATCH):
            yield from _batch(session, ids[start : start + BATCH], owner)
    finally:
        session.close()


def _batch(session: Session, ids: Sequence[str], owner: int | None) -> list[ExportedDocument]:
    found = session.scalars(select(Document).where(Document.id.in_(ids)))
    rows = {row.id: document_data(row) for row in found}
    status_query = (
        select(DocumentStatus.document_id, Annotator.name, DocumentStatus.status)
        .join(Annotator)
        .where(DocumentStatus.document_id.in_(ids))
    )
    if owner is not None:
        status_query = status_query.where(DocumentStatus.annotator_id == owner)
    statuses: dict[str, dict[str, str]] = {}
    for doc_id, name, status in session.execute(status_query).tuples():
        statuses.setdefault(doc_id, {})[name] = status
    annotations = _by_document(read_annotations(session, ids, owner))
    relations = _by_document(read_relations(session, ids, owner))
    entities = _by_document(read_entities(session, ids, owner))
    session.expunge_all()  # the batch's ORM rows are not kept for the next one
    return [
        ExportedDocument(
            rows[doc_id],
            dict(sorted(statuses.get(doc_id, {}).items())),
            annotations.get(doc_id, []),
            relations.get(doc_id, []),
            entities.get(doc_id, []),
        )
        for doc_id in ids
        if doc_id in rows
    ]


def _by_document(items: list[T]) -> dict[str, list[T]]:
    grouped: dict[str, list[T]] = {}
    for item in items:
        grouped.setdefault(item.document_id, []).append(item)
    return grouped


def labels_used(session: Session, annotators: Sequence[str]) -> tuple[set[str], set[str]]:
    """The labels `annotators` used, and the labels of annotations that are entity
    mentions: what agreement learnt by reading every document first, in two queries."""
    raw = session.connection().exec_driver_sql
    marks = ", ".join("?" * len(annotators))
    used = raw(
        "SELECT DISTINCT label.name FROM annotation JOIN label ON label.id = annotation.label_id "
        "JOIN annotator ON annotator.id = annotation.annotator_id "
        f"WHERE annotator.name IN ({marks})",
        tuple(annotators),
    )
    mentions = raw(
        "SELECT DISTINCT label.name FROM entity_mention "
        "JOIN annotation ON annotation.id = entity_mention.annotation_id "
        "JOIN label ON label.id = annotation.label_id"
    )
    return {row[0] for row in used}, {row[0] for row in mentions}


def document_page(
    session: Session, annotator: str, offset: int, limit: int
) -> list[DocumentSummary]:
    """`limit` documents of the list from `offset` on, each with this annotator's status and
    annotation count: one query, walking the list's order index and counting each
    document's annotations in the (document, annotator) index, so a page costs the same in
    a 50,000-document database as in a 50-document one."""
    owner = session.scalar(select(Annotator.id).where(Annotator.name == annotator))
    rows = session.connection().exec_driver_sql(
        "SELECT d.id, d.title, d.source, "
        "(SELECT s.status FROM document_status s WHERE s.document_id = d.id "
        "AND s.annotator_id = ?), "
        "(SELECT count(*) FROM annotation a WHERE a.document_id = d.id AND a.annotator_id = ?) "
        "FROM document d ORDER BY d.position, d.title "
        "LIMIT ? OFFSET ?",
        (owner, owner, limit, offset),
    )
    return [
        DocumentSummary(doc_id, title, source, status or "new", count)
        for doc_id, title, source, status, count in rows
    ]
