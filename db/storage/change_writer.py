"""Writing one Change inside a transaction, after checking it leaves the data consistent:
spans inside the text, labels and links the schema allows, no link or entity pointing at
nothing. Anything wrong raises InvalidAnnotation and the transaction rolls back."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.changes import Change
from db.errors import InvalidAnnotation, SpanwiseError
from db.records import AnnotationData, DecisionData, EntityData, RelationData, now_iso
from db.storage.checks import check_entity_shape, check_link_ends, check_mention, check_spans
from db.storage.models import (
    Annotation,
    Decision,
    Document,
    Entity,
    EntityMention,
    Relation,
    RelationType,
)
from db.storage.rows import (
    add_entity,
    annotation_data,
    annotator_id,
    delete_entity,
    entity_data,
    fill_annotation,
    label_by_name,
    label_def,
    mark_in_progress,
    relation_data,
    relation_row,
    relation_type_def,
)
from db.text.messages import counted


def write_change(session: Session, change: Change) -> None:
    """Write one Change in the caller's session, after checking every record of it."""
    for pair in change.relations:
        if pair.before is not None:
            row = session.get(Relation, pair.before.id)
            if row is None:
                raise InvalidAnnotation(f"no link with id {pair.before.id}")
            session.delete(row)
    for entity in change.entities:
        if entity.before is not None:
            if session.get(Entity, entity.before.id) is None:
                raise InvalidAnnotation(f"no entity with id {entity.before.id}")
            delete_entity(session, entity.before.id)
    session.flush()
    for item in change.annotations:
        if item.before is not None and item.after is None:
            _delete_annotation(session, item.before.id)
    session.flush()
    for item in change.annotations:
        if item.after is not None:
            _put_annotation(session, item.after, exists=item.before is not None)
    session.flush()
    for link in change.relations:
        if link.after is not None:
            if session.get(Relation, link.after.id) is not None:
                raise InvalidAnnotation(f"a link with id {link.after.id} exists already")
            check_relation(session, link.after)
            session.add(relation_row(session, link.after))
    session.flush()
    for link in change.relations:
        if link.after is not None:
            _check_relation_count(session, link.after)
    for entity in change.entities:
        if entity.after is not None:
            if session.get(Entity, entity.after.id) is not None:
                raise InvalidAnnotation(f"an entity with id {entity.after.id} exists already")
            _check_entity(session, entity.after)
            add_entity(session, entity.after)
    session.flush()
    for item in change.annotations:
        if item.before is not None and item.after is not None:
            _recheck_links(session, item.after)
    for decision in change.decisions:
        _write_decision(session, decision.before, decision.after)
    session.flush()


def _delete_annotation(session: Session, annotation_id: str) -> None:
    row = session.get(Annotation, annotation_id)
    if row is None:
        raise InvalidAnnotation(f"no annotation with id {annotation_id}")
    linked = session.scalar(
        select(func.count())
        .select_from(Relation)
        .where((Relation.source_id == annotation_id) | (Relation.target_id == annotation_id))
    )
    if linked:
        raise InvalidAnnotation(f"annotation {annotation_id} still has {counted(linked, 'link')}")
    if _entity_of(session, annotation_id):
        raise InvalidAnnotation(f"annotation {annotation_id} still belongs to an entity")
    session.delete(row)


def _entity_of(session: Session, annotation_id: str) -> str:
    return (
        session.scalar(
            select(EntityMention.entity_id).where(EntityMention.annotation_id == annotation_id)
        )
        or ""
    )


def _put_annotation(session: Session, record: AnnotationData, exists: bool) -> None:
    document = session.get(Document, record.document_id)
    if document is None:
        raise InvalidAnnotation(f"no document with id {record.document_id}")
    check_spans(document.text, record.start, record.end, record.fragments)
    try:
        label_def(label_by_name(session, record.label)).check_attributes(record.attributes)
    except SpanwiseError as exc:
        raise InvalidAnnotation(str(exc)) from exc
    row = session.get(Annotation, record.id)
    if exists and row is None:
        raise InvalidAnnotation(f"no annotation with id {record.id}")
    if not exists and row is not None:
        raise InvalidAnnotation(f"an annotation with id {record.id} exists already")
    if row is None:
        row = Annotation(id=record.id)
        fill_annotation(session, row, record)
        session.add(row)
        mark_in_progress(session, record.document_id, row.annotator_id)
    else:
        fill_annotation(session, row, record)


def _annotation(session: Session, annotation_id: str, what: str) -> AnnotationData:
    row = session.get(Annotation, annotation_id)
    if row is None:
        raise InvalidAnnotation(f"the {what} {annotation_id} does not exist")
    return annotation_data(row)


def _recheck_links(session: Session, record: AnnotationData) -> None:
    """An edited annotation must still fit the links and the entity it is part of."""
    rows = session.scalars(
        select(Relation).where(
            (Relation.source_id == record.id) | (Relation.target_id == record.id)
        )
    ).unique()
    for row in rows:
        check_relation(session, relation_data(row))
    entity_id = _entity_of(session, record.id)
    if entity_id and not label_by_name(session, record.label).forms_entities:
        raise InvalidAnnotation(
            f"a {record.label} cannot stay in an entity; split it out of the entity first"
        )


def check_relation(session: Session, link: RelationData) -> None:
    """The link's ends exist in its document, belong to its annotator, and the database's
    schema allows this type between their labels."""
    source = _annotation(session, link.source, f"{link.type} link's source")
    target = _annotation(session, link.target, f"{link.type} link's target")
    row = session.scalar(select(RelationType).where(RelationType.name == link.type))
    check_link_ends(
        link,
        (source.document_id, source.annotator, source.label),
        (target.document_id, target.annotator, target.label),
        None if row is None else relation_type_def(row),
    )


def relation_count_exceeded(session: Session, link: RelationData) -> int | None:
    """The type's limit when the link's source now has more links of that type than it."""
    maximum = session.scalar(
        select(RelationType.max_per_source).where(RelationType.name == link.type)
    )
    if maximum is None:
        return None
    count = session.scalar(
        select(func.count())
        .select_from(Relation)
        .where(Relation.source_id == link.source, Relation.type == link.type)
    )
    return maximum if count and count > maximum else None


def _check_relation_count(session: Session, link: RelationData) -> None:
    maximum = relation_count_exceeded(session, link)
    if maximum is not None:
        raise InvalidAnnotation(f"an annotation can have at most {maximum} {link.type} link(s)")


def _check_entity(session: Session, entity: EntityData) -> None:
    check_entity_shape(entity)
    owner = annotator_id(session, entity.annotator)
    for mention_id in entity.mentions:
        mention = session.get(Annotation, mention_id)
        end = None
        if mention is not None:
            who = entity.annotator if mention.annotator_id == owner else ""
            end = (mention.document_id, who, mention.label.name)
        forms = mention is not None and bool(mention.label.forms_entities)
        check_mention(entity, mention_id, end, forms, _entity_of(session, mention_id))


def dependents(
    session: Session, annotation_ids: Iterable[str]
) -> tuple[list[RelationData], list[EntityData]]:
    """Links touching these annotations, and entities that list them as mentions."""
    ids = list(annotation_ids)
    relations = [
        relation_data(row)
        for row in session.scalars(
            select(Relation).where(Relation.source_id.in_(ids) | Relation.target_id.in_(ids))
        ).unique()
    ]
    entity_ids = set(
        session.scalars(select(EntityMention.entity_id).where(EntityMention.annotation_id.in_(ids)))
    )
    entities = [entity_data(session, session.get_one(Entity, eid)) for eid in sorted(entity_ids)]
    return relations, entities


def _write_decision(
    session: Session, before: DecisionData | None, after: DecisionData | None
) -> None:
    if before is not None:
        row = session.get(
            Decision, (before.document_id, annotator_id(session, before.annotator), before.key)
        )
        if row is not None:
            session.delete(row)
            session.flush()
    if after is not None:
        if session.get(Document, after.document_id) is None:
            raise InvalidAnnotation(f"no document with id {after.document_id}")
        session.merge(
            Decision(
                document_id=after.document_id,
                annotator_id=annotator_id(session, after.annotator),
                key=after.key,
                value=after.value,
                created=after.created or now_iso(),
            )
        )
