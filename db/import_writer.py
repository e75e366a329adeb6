"""Writing an import (text files and parsed exports) inside one transaction.

Documents are matched by SHA-256; annotations, links and entities by id: the same content is
'unchanged', other content a conflict that keeps the database's version unless `replace`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.change_writer import check_relation, check_spans, relation_count_exceeded
from db.errors import ImportRefused, InvalidAnnotation
from db.models import Annotation, Document, Entity, EntityMention, Relation
from db.records import (
    AnnotationData,
    DocumentData,
    EntityData,
    ExportedDocument,
    ImportSummary,
    RelationData,
)
from db.rows import (
    add_document,
    add_entity,
    add_labels,
    add_relation_types,
    annotation_data,
    annotator_id,
    delete_entity,
    entity_data,
    fill_annotation,
    next_position,
    relation_data,
    relation_row,
    set_status,
)
from db.schema import Schema
from db.textfiles import TextFile

Progress = Callable[[int, int], None]


def write_import(
    session: Session,
    texts: Sequence[TextFile],
    exports: Sequence[tuple[Schema, Sequence[ExportedDocument]]],
    replace: bool,
    progress: Progress | None,
) -> ImportSummary:
    summary = ImportSummary()
    total = len(texts) + sum(len(documents) for _schema, documents in exports)
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    by_sha = dict(session.execute(select(Document.sha256, Document.id)).tuples().all())
    position = next_position(session)
    for item in texts:
        if item.sha256 in by_sha:
            summary.documents_matched += 1
            summary.messages.append(f"{item.path}: already in the database")
        else:
            data = DocumentData("", item.title, item.path.name, item.text, item.sha256, "")
            by_sha[item.sha256] = add_document(session, data, position)
            position += 1
            summary.documents_new += 1
        step()
    for schema, documents in exports:
        add_labels(session, schema.labels)
        add_relation_types(session, schema.relation_types)
        for exported in documents:
            doc = exported.document
            local_id = by_sha.get(doc.sha256)
            if local_id is None:
                same_title = session.scalar(select(Document.id).where(Document.title == doc.title))
                if same_title is not None:
                    summary.messages.append(
                        f"'{doc.title}': a document with this title but another text is in the "
                        "database; imported as a separate document"
                    )
                local_id = by_sha[doc.sha256] = add_document(session, doc, position)
                position += 1
                summary.documents_new += 1
            else:
                summary.documents_matched += 1
            for name, status in exported.statuses.items():
                set_status(session, local_id, annotator_id(session, name), status)
            for record in exported.annotations:
                _import_annotation(session, record, local_id, doc.text, replace, summary)
            session.flush()
            for link in exported.relations:
                _import_relation(
                    session, dataclasses.replace(link, document_id=local_id), replace, summary
                )
            session.flush()
            for entity in exported.entities:
                _import_entity(
                    session, dataclasses.replace(entity, document_id=local_id), replace, summary
                )
            session.flush()
            step()
    return summary


def _conflict(summary: ImportSummary, what: str) -> None:
    summary.messages.append(f"{what} differs from the one in the database; kept the database's")


def _import_annotation(
    session: Session,
    record: AnnotationData,
    document_id: str,
    text: str,
    replace: bool,
    summary: ImportSummary,
) -> None:
    record = dataclasses.replace(record, document_id=document_id)
    check_spans(text, record.start, record.end, record.fragments)
    row = session.get(Annotation, record.id)
    if row is not None:
        if annotation_data(row).same_content(record):
            summary.annotations_unchanged += 1
            summary.tally(record.annotator, "unchanged")
            return
        if not replace:
            summary.annotations_conflicting += 1
            summary.tally(record.annotator, "conflicting")
            _conflict(summary, f"annotation {record.id} ({record.annotator})")
            return
        summary.annotations_replaced += 1
        summary.tally(record.annotator, "replaced")
        fill_annotation(session, row, record)
        return
    row = Annotation(id=record.id)
    fill_annotation(session, row, record)
    session.add(row)
    summary.annotations_added += 1
    summary.tally(record.annotator, "added")


def _import_relation(
    session: Session, link: RelationData, replace: bool, summary: ImportSummary
) -> None:
    """Add a link if the database's own schema allows it; a link that would exceed a limit
    (a second speaker for a quote) is a conflict, like differing content."""
    row = session.get(Relation, link.id)
    if row is not None:
        if relation_data(row).content() == link.content():
            return
        if not replace:
            summary.other_conflicting += 1
            _conflict(summary, f"{link.type} link {link.id} ({link.annotator})")
            return
        session.delete(row)
        session.flush()
    try:
        check_relation(session, link)
    except InvalidAnnotation as exc:
        raise ImportRefused(f"document '{link.document_id}', relation '{link.id}': {exc}") from exc
    row = relation_row(session, link)
    session.add(row)
    session.flush()
    maximum = relation_count_exceeded(session, link)
    if maximum is not None:
        session.delete(row)
        session.flush()
        summary.other_conflicting += 1
        summary.messages.append(
            f"{link.type} link {link.id} ({link.annotator}): its source has {maximum} "
            f"{link.type} link(s) already in the database; kept the database's"
        )
        return
    summary.links_added += 1


def _import_entity(
    session: Session, entity: EntityData, replace: bool, summary: ImportSummary
) -> None:
    row = session.get(Entity, entity.id)
    if row is not None:
        if entity_data(session, row).content() == entity.content():
            return
        if not replace:
            summary.other_conflicting += 1
            _conflict(summary, f"entity '{entity.name}' {entity.id} ({entity.annotator})")
            return
        delete_entity(session, entity.id)
    taken = session.scalars(
        select(EntityMention.annotation_id).where(EntityMention.annotation_id.in_(entity.mentions))
    ).first()
    if taken is not None:
        summary.other_conflicting += 1
        summary.messages.append(
            f"entity '{entity.name}' {entity.id}: mention {taken} belongs to another entity "
            "in the database; entity not imported"
        )
        return
    add_entity(session, entity)
    summary.entities_added += 1
