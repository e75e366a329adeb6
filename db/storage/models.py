"""Typed SQLAlchemy models: the one place the database layout is described."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """The declarative base: custom column types through type_annotation_map."""

    type_annotation_map = {dict[str, Any]: JSON}


class Annotator(Base):
    """Someone whose work is in the database (an annotator, or the gold version)."""

    __tablename__ = "annotator"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class Label(Base):
    """One entry of the database's label schema (loaded from resources/ on creation)."""

    __tablename__ = "label"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    colour: Mapped[str] = mapped_column(String(9))
    shortcut: Mapped[str | None] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)
    # attribute name -> list of allowed values (empty list: free text)
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    description: Mapped[str] = mapped_column(Text, default="")
    # Mentions with this label can belong to an entity (coreference).
    forms_entities: Mapped[bool] = mapped_column(default=False)


class RelationType(Base):
    """A kind of link the schema allows: name, source labels, target labels, how many."""

    __tablename__ = "relation_type"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    from_labels: Mapped[list[str]] = mapped_column(JSON)
    to_labels: Mapped[list[str]] = mapped_column(JSON)
    max_per_source: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str] = mapped_column(Text, default="")


class Document(Base):
    """An article: its text exactly as imported, identified by its SHA-256."""

    __tablename__ = "document"
    __table_args__ = (Index("ix_document_order", "position", "title"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    imported_at: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer, default=0)


class DocumentStatus(Base):
    """Per-annotator progress on a document: new, in progress or done."""

    __tablename__ = "document_status"

    document_id: Mapped[str] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), primary_key=True
    )
    annotator_id: Mapped[int] = mapped_column(
        ForeignKey("annotator.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(String(20))


class Annotation(Base):
    """A labelled span; start/end are code points into Document.text, end exclusive."""

    __tablename__ = "annotation"
    __table_args__ = (
        Index("ix_annotation_document_annotator", "document_id", "annotator_id", "start"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotator.id"))
    label_id: Mapped[int] = mapped_column(ForeignKey("label.id"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    note: Mapped[str | None] = mapped_column(Text)
    created: Mapped[str] = mapped_column(String(32))
    modified: Mapped[str] = mapped_column(String(32))
    # [[start, end], ...] for a discontinuous annotation; NULL for one continuous span
    fragments: Mapped[list[list[int]] | None] = mapped_column(JSON(none_as_null=True))

    label: Mapped[Label] = relationship(lazy="joined")
    annotator: Mapped[Annotator] = relationship(lazy="joined")


class Relation(Base):
    """A typed link from one annotation to another (speaker, cue, agent, time...)."""

    __tablename__ = "relation"
    __table_args__ = (Index("ix_relation_document", "document_id", "annotator_id"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotator.id"))
    type: Mapped[str] = mapped_column(String(100))
    source_id: Mapped[str] = mapped_column(ForeignKey("annotation.id"), index=True)
    target_id: Mapped[str] = mapped_column(ForeignKey("annotation.id"), index=True)

    annotator: Mapped[Annotator] = relationship(lazy="joined")


class Entity(Base):
    """A person or organisation that several mentions refer to."""

    __tablename__ = "entity"
    __table_args__ = (Index("ix_entity_document", "document_id", "annotator_id"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotator.id"))
    name: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(String(100))

    annotator: Mapped[Annotator] = relationship(lazy="joined")


class EntityMention(Base):
    """Membership of a mention in an entity; a mention belongs to at most one entity."""

    __tablename__ = "entity_mention"

    entity_id: Mapped[str] = mapped_column(
        ForeignKey("entity.id", ondelete="CASCADE"), primary_key=True
    )
    annotation_id: Mapped[str] = mapped_column(
        ForeignKey("annotation.id"), primary_key=True, unique=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


class Setting(Base):
    """Per-database preferences that the command line needs too (e.g. the current annotator)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Decision(Base):
    """A reviewer's (or annotator's) recorded decision about something that is not itself an
    annotation: an adjudicated disagreement, a rejected suggestion. Keyed so it survives
    reopening the document."""

    __tablename__ = "decision"

    document_id: Mapped[str] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), primary_key=True
    )
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotator.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[str] = mapped_column(String(40))
    created: Mapped[str] = mapped_column(String(32))


class SuggestionModel(Base):
    """A trained suggestion model (db/suggest/learned.py): one row per version, with what it
    learnt from, so it travels with exports and can be compared with later versions."""

    __tablename__ = "suggestion_model"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    annotator: Mapped[str] = mapped_column(String(200))  # whose annotations it learnt
    created: Mapped[str] = mapped_column(String(32))
    quote_definition: Mapped[str] = mapped_column(String(20))
    documents: Mapped[list[str]] = mapped_column(JSON)  # ids of the documents learnt from
    counts: Mapped[dict[str, Any]] = mapped_column(JSON)  # articles, quotes, rejected...
    trainer: Mapped[str] = mapped_column(String(100))
    format: Mapped[int] = mapped_column(Integer)  # of the payload
    payload: Mapped[bytes] = mapped_column(LargeBinary)


# -- team sync bookkeeping (db/team; migration 0005_team_sync, whose triggers fill sync_outbox) ---


class SyncOutbox(Base):
    """A record changed here since it last went to the team server (newest change: max seq)."""

    __tablename__ = "sync_outbox"
    __table_args__ = (Index("ix_sync_outbox_seq", "seq"),)

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    document_id: Mapped[str | None] = mapped_column(String(64))
    annotator_id: Mapped[int | None] = mapped_column(Integer)
    changed_at: Mapped[str] = mapped_column(String(32))
    seq: Mapped[int] = mapped_column(Integer)


class SyncTracking(Base):
    """One row: whether changes are noted in sync_outbox (the database is linked, and no
    pull is writing)."""

    __tablename__ = "sync_tracking"

    active: Mapped[int] = mapped_column(Integer, primary_key=True)


class SyncBase(Base):
    """The server's version (its transaction id) of a record, as this laptop last saw it."""

    __tablename__ = "sync_base"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    txid: Mapped[str] = mapped_column(String(24))


class SyncDocument(Base):
    """A server document and the local one it was matched to (by SHA-256)."""

    __tablename__ = "sync_document"

    server_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    local_id: Mapped[str] = mapped_column(String(64), unique=True)


class SyncConflict(Base):
    """A version that lost to a later one on another laptop; the user may take it instead."""

    __tablename__ = "sync_conflict"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    record_key: Mapped[str] = mapped_column(Text)
    document_id: Mapped[str] = mapped_column(String(64))
    annotator: Mapped[str] = mapped_column(String(200))
    version: Mapped[str | None] = mapped_column(Text)
    modified: Mapped[str] = mapped_column(String(32))
    kept_modified: Mapped[str] = mapped_column(String(32))
    created: Mapped[str] = mapped_column(String(32))
    taken: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
