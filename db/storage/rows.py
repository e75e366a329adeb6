"""Between ORM rows and plain records, and the small lookups every write needs (all inside a
session the caller owns)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.errors import InvalidAnnotation, SpanwiseError
from db.model_records import ModelRecord
from db.records import AnnotationData, DocumentData, EntityData, RelationData, now_iso
from db.schema.label_schema import LabelDef, RelationTypeDef, Schema
from db.schema.quote_definition import SETTING_KEY as SUGGEST_SETTINGS
from db.storage.models import (
    Annotation,
    Annotator,
    Document,
    DocumentStatus,
    Entity,
    EntityMention,
    Label,
    Relation,
    RelationType,
    Setting,
    SuggestionModel,
)

# -- labels and relation types ---------------------------------------------------------------


def label_row(label: LabelDef, position: int) -> Label:
    """A label definition as a database row at this position of the schema."""
    return Label(
        name=label.name,
        colour=label.colour,
        shortcut=label.shortcut,
        position=position,
        attributes={k: list(v) for k, v in label.attributes.items()},
        description=label.description,
        forms_entities=label.forms_entities,
    )


def label_def(row: Label) -> LabelDef:
    """A label row as the plain definition the store hands out."""
    return LabelDef(
        row.name,
        row.colour,
        row.shortcut,
        {k: list(v) for k, v in row.attributes.items()},
        row.description,
        bool(row.forms_entities),
    )


def relation_type_row(relation: RelationTypeDef, position: int) -> RelationType:
    """A link type definition as a database row at this position of the schema."""
    return RelationType(
        name=relation.name,
        from_labels=list(relation.from_labels),
        to_labels=list(relation.to_labels),
        max_per_source=relation.max_per_source,
        position=position,
        description=relation.description,
    )


def relation_type_def(row: RelationType) -> RelationTypeDef:
    """A link type row as the plain definition the store hands out."""
    return RelationTypeDef(
        row.name,
        tuple(row.from_labels),
        tuple(row.to_labels),
        row.max_per_source,
        row.description,
    )


def label_by_name(session: Session, name: str) -> Label:
    """The label row of this name; an unknown label is refused."""
    label = session.scalar(select(Label).where(Label.name == name))
    if label is None:
        raise InvalidAnnotation(f"unknown label '{name}'")
    return label


def add_labels(session: Session, labels: list[LabelDef] | tuple[LabelDef, ...]) -> None:
    """Add the labels the database lacks (a database keeps its own definitions)."""
    _add_missing(session, Label, [(label.name, label) for label in labels], label_row)


def add_relation_types(
    session: Session, relation_types: list[RelationTypeDef] | tuple[RelationTypeDef, ...]
) -> None:
    """Add the link types the database lacks, after the ones it has."""
    named = [(relation.name, relation) for relation in relation_types]
    _add_missing(session, RelationType, named, relation_type_row)


def _add_missing(
    session: Session,
    model: type[Label] | type[RelationType],
    named: list[tuple[str, Any]],
    make_row: Callable[[Any, int], Label | RelationType],
) -> None:
    known = set(session.scalars(select(model.name)))
    position = len(known)
    for name, definition in named:
        if name not in known:
            session.add(make_row(definition, position))
            known.add(name)
            position += 1
    session.flush()


def add_suggest_settings(session: Session, schema: Schema) -> int:
    """What an export says about suggesting: its quote definition when the database has
    none yet (a database keeps its own), and the models it lacks. Returns the models added."""
    if schema.suggest is not None and session.get(Setting, SUGGEST_SETTINGS) is None:
        session.add(Setting(key=SUGGEST_SETTINGS, value=schema.suggest.to_text()))
    added = 0
    if schema.models:
        known = set(session.scalars(select(SuggestionModel.id)))
        for record in schema.models:
            if record.id not in known:
                session.add(model_row(record))
                known.add(record.id)
                added += 1
    session.flush()
    return added


def model_row(record: ModelRecord) -> SuggestionModel:
    """A trained model's record as a database row."""
    return SuggestionModel(
        id=record.id,
        version=record.version,
        annotator=record.annotator,
        created=record.created,
        quote_definition=record.quote_definition,
        documents=list(record.documents),
        counts=dict(record.counts),
        trainer=record.trainer,
        format=record.format,
        payload=record.payload,
    )


def model_record(row: SuggestionModel) -> ModelRecord:
    """A trained model's row as the plain record the store hands out."""
    return ModelRecord(
        row.id,
        row.version,
        row.annotator,
        row.created,
        row.quote_definition,
        tuple(row.documents),
        dict(row.counts),
        row.trainer,
        row.format,
        bytes(row.payload),
    )


# -- annotators, documents, statuses ---------------------------------------------------------


def annotator_id(session: Session, name: str) -> int:
    """The annotator's id, added to the database when new."""
    existing = session.scalar(select(Annotator.id).where(Annotator.name == name))
    if existing is not None:
        return existing
    annotator = Annotator(name=name)
    session.add(annotator)
    session.flush()
    return annotator.id


def set_status(session: Session, document_id: str, annotator: int, status: str) -> bool:
    """Set an annotator's status on a document; True when that changed something."""
    row = session.get(DocumentStatus, (document_id, annotator))
    if row is None:
        session.add(DocumentStatus(document_id=document_id, annotator_id=annotator, status=status))
        return True
    changed = row.status != status
    row.status = status
    return changed


def mark_in_progress(session: Session, document_id: str, annotator: int) -> None:
    """A document an annotator has started on is no longer 'new'."""
    status = session.get(DocumentStatus, (document_id, annotator))
    if status is None or status.status == "new":
        set_status(session, document_id, annotator, "in progress")


def next_position(session: Session) -> int:
    """The position after the last document's: where a new document goes."""
    return (session.scalar(select(func.max(Document.position))) or 0) + 1


def document_id_for(session: Session, sha256: str) -> str:
    """A stable id derived from the text, lengthened in the unlikely case of a clash."""
    for length in (16, 24, 32, 64):
        candidate = sha256[:length]
        if session.get(Document, candidate) is None:
            return candidate
    raise SpanwiseError(f"document id clash for {sha256}")


def add_document(session: Session, doc: DocumentData, position: int) -> str:
    """Insert a document, keeping its id when it is free; returns the id used."""
    document_id = doc.id if doc.id and session.get(Document, doc.id) is None else None
    document_id = document_id or document_id_for(session, doc.sha256)
    session.add(
        Document(
            id=document_id,
            title=doc.title,
            source=doc.source,
            text=doc.text,
            sha256=doc.sha256,
            imported_at=doc.imported_at or now_iso(),
            position=position,
        )
    )
    session.flush()
    return document_id


def document_data(row: Document) -> DocumentData:
    """A document row as a plain record."""
    return DocumentData(row.id, row.title, row.source, row.text, row.sha256, row.imported_at)


# -- annotations, relations, entities --------------------------------------------------------


def annotation_data(row: Annotation) -> AnnotationData:
    """An annotation row as a plain record."""
    return AnnotationData(
        id=row.id,
        document_id=row.document_id,
        annotator=row.annotator.name,
        label=row.label.name,
        start=row.start,
        end=row.end,
        attributes=dict(row.attributes or {}),
        note=row.note,
        created=row.created,
        modified=row.modified,
        fragments=tuple((s, e) for s, e in row.fragments) if row.fragments else (),
    )


def fill_annotation(session: Session, row: Annotation, record: AnnotationData) -> None:
    """Copy a record's content onto a row (new or existing)."""
    row.document_id = record.document_id
    row.annotator_id = annotator_id(session, record.annotator)
    row.label = label_by_name(session, record.label)
    row.start, row.end = record.start, record.end
    row.attributes = dict(record.attributes)
    row.note = record.note
    row.created, row.modified = record.created, record.modified
    row.fragments = [list(f) for f in record.fragments] if record.fragments else None


def relation_data(row: Relation) -> RelationData:
    """A link row as a plain record."""
    return RelationData(
        row.id, row.document_id, row.annotator.name, row.type, row.source_id, row.target_id
    )


def relation_row(session: Session, record: RelationData) -> Relation:
    """A link record as a new database row."""
    return Relation(
        id=record.id,
        document_id=record.document_id,
        annotator_id=annotator_id(session, record.annotator),
        type=record.type,
        source_id=record.source,
        target_id=record.target,
    )


def entity_data(session: Session, row: Entity) -> EntityData:
    """An entity row, with its mentions, as a plain record."""
    mentions = session.scalars(
        select(EntityMention.annotation_id)
        .where(EntityMention.entity_id == row.id)
        .order_by(EntityMention.position)
    )
    return EntityData(
        row.id, row.document_id, row.annotator.name, row.name, row.label, tuple(mentions)
    )


def add_entity(session: Session, record: EntityData) -> None:
    """Add an entity and its mentions."""
    session.add(
        Entity(
            id=record.id,
            document_id=record.document_id,
            annotator_id=annotator_id(session, record.annotator),
            name=record.name,
            label=record.label,
        )
    )
    session.flush()
    for position, mention in enumerate(record.mentions):
        session.add(EntityMention(entity_id=record.id, annotation_id=mention, position=position))


def delete_entity(session: Session, entity_id: str) -> None:
    """Delete an entity and its mentions (the annotations stay)."""
    for mention in session.scalars(
        select(EntityMention).where(EntityMention.entity_id == entity_id)
    ):
        session.delete(mention)
    row = session.get(Entity, entity_id)
    if row is not None:
        session.delete(row)
    session.flush()
