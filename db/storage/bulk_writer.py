"""Writing a large Change (thousands of records: "Accept all" on a long document, and its
undo) with one query per table and kind of check, instead of several per record.

Only the two shapes such changes have take this path: everything added (entities may also
be updated or removed), or everything removed (entities may also be restored). The checks
and their messages are change_writer's; any failure raises InvalidAnnotation and the
caller's transaction rolls back. Rows go in and out with executemany on the session's own
connection, as imports write them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.changes import Change
from db.errors import InvalidAnnotation, SpanwiseError
from db.records import AnnotationData, EntityData, RelationData
from db.storage.checks import (
    End,
    check_entity_shape,
    check_link_ends,
    check_mention,
    check_spans,
)
from db.storage.database import driver_connection, driver_errors
from db.storage.import_writer import (
    ANNOTATION_COLUMNS,
    Catalogue,
    annotation_row,
    chunks,
    insert_many,
)
from db.storage.models import (
    Annotation,
    Annotator,
    Document,
    Entity,
    EntityMention,
    Relation,
)
from db.storage.rows import delete_entity, mark_in_progress

BULK_RECORDS = 200  # annotations and links in a change from which it is written in bulk


def is_bulk(change: Change) -> bool:
    """A change large enough, and of a shape this module writes."""
    if len(change.annotations) + len(change.relations) < BULK_RECORDS or change.decisions:
        return False
    return _all_added(change) or _all_removed(change)


def _all_added(change: Change) -> bool:
    return all(p.before is None for p in change.annotations) and all(
        p.before is None for p in change.relations
    )


def _all_removed(change: Change) -> bool:
    return all(p.after is None for p in change.annotations) and all(
        p.after is None for p in change.relations
    )


def write_bulk(session: Session, change: Change) -> None:
    """Write a change is_bulk accepts, in change_writer's order: what goes away first (links,
    then entities, then annotations), then what comes (annotations, links, entities)."""
    session.flush()
    removed = [p.before for p in change.entities if p.before is not None]
    added = [p.after for p in change.entities if p.after is not None]
    if _all_added(change):
        _remove_entities(session, removed)
        _Additions(session).write(
            [p.after for p in change.annotations if p.after is not None],
            [p.after for p in change.relations if p.after is not None],
            added,
        )
    else:
        _remove_links(session, [p.before for p in change.relations if p.before is not None])
        _remove_entities(session, removed)
        _remove_annotations(session, [p.before for p in change.annotations if p.before])
        _Additions(session).write([], [], added)


def _existing_ids(session: Session, model: Any, ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for chunk in chunks(ids):
        found.update(session.scalars(select(model.id).where(model.id.in_(chunk))))
    return found


def _first_repeated(ids: Sequence[str]) -> str | None:
    seen: set[str] = set()
    for id_ in ids:
        if id_ in seen:
            return id_
        seen.add(id_)
    return None


def _delete_many(session: Session, sql: str, ids: Sequence[str]) -> None:
    with driver_errors(session):
        driver_connection(session).executemany(sql, [(id_,) for id_ in ids])


# -- removing ---------------------------------------------------------------------------------


def _all_there(session: Session, model: Any, ids: Sequence[str], what: str) -> set[str]:
    existing = _existing_ids(session, model, ids)
    missing = next((id_ for id_ in ids if id_ not in existing), None)
    if missing is not None:
        raise InvalidAnnotation(f"no {what} with id {missing}")
    return existing


def _remove_links(session: Session, links: Sequence[RelationData]) -> None:
    ids = [link.id for link in links]
    _all_there(session, Relation, ids, "link")
    _delete_many(session, "DELETE FROM relation WHERE id = ?", ids)


def _remove_entities(session: Session, entities: Sequence[EntityData]) -> None:
    ids = [entity.id for entity in entities]
    _all_there(session, Entity, ids, "entity")
    for id_ in ids:
        delete_entity(session, id_)


def _remove_annotations(session: Session, records: Sequence[AnnotationData]) -> None:
    ids = [record.id for record in records]
    existing = _all_there(session, Annotation, ids, "annotation")
    for chunk in chunks(ids):
        for source, target in session.execute(
            select(Relation.source_id, Relation.target_id).where(
                Relation.source_id.in_(chunk) | Relation.target_id.in_(chunk)
            )
        ).tuples():
            linked = source if source in existing else target
            raise InvalidAnnotation(f"annotation {linked} still has a link")
        member = session.scalar(
            select(EntityMention.annotation_id).where(EntityMention.annotation_id.in_(chunk))
        )
        if member is not None:
            raise InvalidAnnotation(f"annotation {member} still belongs to an entity")
    _delete_many(session, "DELETE FROM annotation WHERE id = ?", ids)


# -- adding -----------------------------------------------------------------------------------


class _Additions:
    """New annotations, links and entities, checked against the database's own schema."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.catalogue = Catalogue.load(session)
        self.label_names = {id_: name for name, id_ in self.catalogue.label_ids.items()}

    def write(
        self,
        annotations: Sequence[AnnotationData],
        links: Sequence[RelationData],
        entities: Sequence[EntityData],
    ) -> None:
        if annotations:
            self._annotations(annotations)
        if links:
            self._links(links)
        if entities:
            self._entities(entities)

    def _annotations(self, records: Sequence[AnnotationData]) -> None:
        session = self.session
        ids = [record.id for record in records]
        twice = _first_repeated(ids)
        clash = twice or next(iter(_existing_ids(session, Annotation, ids)), None)
        if clash is not None:
            raise InvalidAnnotation(f"an annotation with id {clash} exists already")
        document_ids = sorted({record.document_id for record in records})
        texts = dict(
            session.execute(select(Document.id, Document.text).where(Document.id.in_(document_ids)))
            .tuples()
            .all()
        )
        rows = []
        started: set[tuple[str, int]] = set()
        for record in records:
            text = texts.get(record.document_id)
            if text is None:
                raise InvalidAnnotation(f"no document with id {record.document_id}")
            check_spans(text, record.start, record.end, record.fragments)
            label = self.catalogue.labels.get(record.label)
            if label is None:
                raise InvalidAnnotation(f"unknown label '{record.label}'")
            try:
                label.check_attributes(record.attributes)
            except SpanwiseError as exc:
                raise InvalidAnnotation(str(exc)) from exc
            who = self.catalogue.annotator(record.annotator)
            started.add((record.document_id, who))
            rows.append(
                annotation_row(
                    record, record.document_id, who, self.catalogue.label_ids[record.label]
                )
            )
        insert_many(session, "annotation", ANNOTATION_COLUMNS, rows)
        for document_id, who in sorted(started):
            mark_in_progress(session, document_id, who)
        session.flush()

    def _ends(self, ids: Sequence[str]) -> dict[str, End]:
        """id -> (document, annotator, label) of these annotations, as the database has them."""
        names = dict(self.session.execute(select(Annotator.id, Annotator.name)).tuples().all())
        ends = {}
        for chunk in chunks(sorted(set(ids))):
            for id_, document_id, who, label in self.session.execute(
                select(
                    Annotation.id,
                    Annotation.document_id,
                    Annotation.annotator_id,
                    Annotation.label_id,
                ).where(Annotation.id.in_(chunk))
            ).tuples():
                ends[id_] = (document_id, names[who], self.label_names[label])
        return ends

    def _links(self, links: Sequence[RelationData]) -> None:
        session = self.session
        ids = [link.id for link in links]
        clash = _first_repeated(ids) or next(iter(_existing_ids(session, Relation, ids)), None)
        if clash is not None:
            raise InvalidAnnotation(f"a link with id {clash} exists already")
        ends = self._ends([end for link in links for end in (link.source, link.target)])
        types = self.catalogue.relation_types
        rows = []
        for link in links:
            check_link_ends(
                link, ends.get(link.source), ends.get(link.target), types.get(link.type)
            )
            rows.append(
                (
                    link.id,
                    link.document_id,
                    self.catalogue.annotator(link.annotator),
                    link.type,
                    link.source,
                    link.target,
                )
            )
        insert_many(
            session,
            "relation",
            ("id", "document_id", "annotator_id", "type", "source_id", "target_id"),
            rows,
        )
        limited = [link for link in links if types[link.type].max_per_source is not None]
        sources = sorted({link.source for link in limited})
        for chunk in chunks(sources):
            for _source, kind, count in session.execute(
                select(Relation.source_id, Relation.type, func.count())
                .where(Relation.source_id.in_(chunk))
                .group_by(Relation.source_id, Relation.type)
            ).tuples():
                maximum = types[kind].max_per_source if kind in types else None
                if maximum is not None and count > maximum:
                    raise InvalidAnnotation(
                        f"an annotation can have at most {maximum} {kind} link(s)"
                    )

    def _entities(self, entities: Sequence[EntityData]) -> None:
        session = self.session
        ids = [entity.id for entity in entities]
        clash = _first_repeated(ids) or next(iter(_existing_ids(session, Entity, ids)), None)
        if clash is not None:
            raise InvalidAnnotation(f"an entity with id {clash} exists already")
        mentions = [m for entity in entities for m in entity.mentions]
        ends = self._ends(mentions)
        held: dict[str, str] = {}
        for chunk in chunks(sorted(set(mentions))):
            held.update(
                session.execute(
                    select(EntityMention.annotation_id, EntityMention.entity_id).where(
                        EntityMention.annotation_id.in_(chunk)
                    )
                )
                .tuples()
                .all()
            )
        entity_rows: list[tuple[str, str, int, str, str]] = []
        mention_rows: list[tuple[str, str, int]] = []
        for entity in entities:
            check_entity_shape(entity)
            for mention in entity.mentions:
                end = ends.get(mention)
                label = self.catalogue.labels.get(end[2]) if end is not None else None
                forms = label is not None and label.forms_entities
                check_mention(entity, mention, end, forms, held.get(mention, ""))
            held.update({m: entity.id for m in entity.mentions})
            entity_rows.append(
                (
                    entity.id,
                    entity.document_id,
                    self.catalogue.annotator(entity.annotator),
                    entity.name,
                    entity.label,
                )
            )
            mention_rows.extend((entity.id, m, i) for i, m in enumerate(entity.mentions))
        columns = ("id", "document_id", "annotator_id", "name", "label")
        insert_many(session, "entity", columns, entity_rows)
        insert_many(
            session, "entity_mention", ("entity_id", "annotation_id", "position"), mention_rows
        )
