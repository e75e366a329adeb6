"""The store API: every read and edit the GUI, the command line and the tests make.

Each public method is one short transaction (SQLAlchemy's "one session per user action"), so
an edit is on disk when the call returns and nothing holds the database across the event loop.
Edits are Changes (db/changes.py); `apply` writes one, and undo applies its inverse.
"""

from __future__ import annotations

import dataclasses
import getpass
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from db.changes import Change, added, removed, updated
from db.errors import ImportRefused, InvalidAnnotation, SpanwiseError
from db.files.text_files import TextFile, read_text_files, text_sha256
from db.import_consent import TRUSTED, Consent
from db.import_summary import ImportSummary
from db.model_records import ModelRecord
from db.records import (
    STATUSES,
    AnnotationData,
    DecisionData,
    DocumentData,
    DocumentSummary,
    EntityData,
    ExportedDocument,
    Fragments,
    RelationData,
    new_annotation,
    new_id,
)
from db.schema.keys import check_schema_keys
from db.schema.label_schema import (
    DEFAULT_ENTITY_TYPES,
    LabelDef,
    RelationTypeDef,
    Schema,
    load_schema,
)
from db.schema.quote_definition import SETTING_KEY as SUGGEST_SETTINGS
from db.schema.quote_definition import SuggestSettings, settings_from_text
from db.storage.backups import backup_before
from db.storage.bulk_writer import is_bulk, write_bulk
from db.storage.change_writer import dependents, write_change
from db.storage.database import for_writing, open_engine
from db.storage.document_stream import document_page, exported_documents, labels_used
from db.storage.import_writer import write_import
from db.storage.models import (
    Annotation,
    Annotator,
    Decision,
    Document,
    DocumentStatus,
    Label,
    RelationType,
    Setting,
    SuggestionModel,
)
from db.storage.reads import annotator_id_of, read_annotations, read_entities, read_relations
from db.storage.rows import (
    add_labels,
    add_relation_types,
    annotation_data,
    annotator_id,
    document_data,
    label_def,
    model_record,
    model_row,
    relation_type_def,
    set_status,
)
from db.text.plain import shown

Progress = Callable[[int, int], None]


def default_annotator_name() -> str:
    """The OS user name, the annotator a new user starts as."""
    try:
        return getpass.getuser() or "annotator"
    except Exception:  # no user name on this system: any name will do
        return "annotator"


class Store:
    """A Spanwise database, opened (and upgraded) on construction.

    A new database takes its labels, link types and entity types from `schema_text` (a
    schema file's content), or from the bundled news schema.
    """

    def __init__(
        self, path: str | Path, schema_text: str | None = None, schema_name: str = "schema"
    ) -> None:
        self.path = Path(path)
        self.engine: Engine
        self.engine, self.created = open_engine(self.path)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(for_writing(self.engine), expire_on_commit=False)
        try:
            if self.created or not self.labels():
                where = schema_name if schema_text is not None else "news.json"
                self.install_schema(load_schema(schema_text, where))
        except BaseException:
            self.engine.dispose()
            raise

    def close(self) -> None:
        self.engine.dispose()

    def _session(self) -> Session:
        return self._sessions()

    def _writing(self) -> Session:
        """A session whose transaction takes SQLite's write lock at BEGIN (IMMEDIATE), so a
        second window or the command line waits its turn instead of failing mid-edit."""
        return self._write_sessions()

    # -- schema -------------------------------------------------------------------------------

    def install_schema(self, schema: Schema) -> None:
        """Add the labels and link types the database does not have yet; a new label whose
        key the window or a label of the database uses is refused (db/schema/keys.py)."""
        existing = [(label.name, label.shortcut) for label in self.labels()]
        known = {name for name, _key in existing}
        new = [(label.name, label.shortcut) for label in schema.labels if label.name not in known]
        check_schema_keys(new, "the schema", existing)
        with self._writing() as session, session.begin():
            add_labels(session, schema.labels)
            add_relation_types(session, schema.relation_types)
            _put_setting(session, "entity_types", "\n".join(schema.entity_types))
            if schema.suggest is not None:
                _put_setting(session, SUGGEST_SETTINGS, schema.suggest.to_text())

    def labels(self) -> list[LabelDef]:
        with self._session() as session:
            rows = session.scalars(select(Label).order_by(Label.position, Label.id))
            return [label_def(row) for row in rows]

    def relation_types(self) -> list[RelationTypeDef]:
        with self._session() as session:
            rows = session.scalars(select(RelationType).order_by(RelationType.position))
            return [relation_type_def(row) for row in rows]

    def schema(self) -> Schema:
        types = (self.setting("entity_types") or "").split("\n")
        return Schema(
            tuple(self.labels()),
            tuple(self.relation_types()),
            tuple(t for t in types if t) or DEFAULT_ENTITY_TYPES,
            self.suggest_settings() if self.setting(SUGGEST_SETTINGS) else None,
        )

    def suggest_settings(self) -> SuggestSettings:
        """The quote definition and cues the suggester uses (the schema's, else speech)."""
        return settings_from_text(self.setting(SUGGEST_SETTINGS))

    # -- annotators and settings --------------------------------------------------------------

    def annotators(self) -> list[str]:
        with self._session() as session:
            return _annotator_names(session)

    def check_annotators(self, names: Iterable[str]) -> None:
        """Refuse a name that is no annotator here, listing those that are: a misspelt name
        must not give an empty export or an agreement of nobody."""
        known = self.annotators()
        for name in names:
            if name not in known:
                raise _unknown_annotator(name, known)

    def ensure_annotator(self, name: str) -> str:
        """Make sure an annotator exists; returns the cleaned name."""
        name = name.strip()
        if not name:
            raise SpanwiseError("an annotator needs a name")
        with self._writing() as session, session.begin():
            annotator_id(session, name)
        return name

    def setting(self, key: str) -> str | None:
        with self._session() as session:
            row = session.get(Setting, key)
            return None if row is None else row.value

    def set_setting(self, key: str, value: str) -> None:
        with self._writing() as session, session.begin():
            _put_setting(session, key, value)

    # -- trained suggestion models -----------------------------------------------------------

    def save_model(self, record: ModelRecord) -> None:
        """Keep a trained model (a new version; earlier ones stay, to compare and go back)."""
        with self._writing() as session, session.begin():
            session.merge(model_row(record))

    def next_model_version(self) -> int:
        with self._session() as session:
            return (session.scalar(select(func.max(SuggestionModel.version))) or 0) + 1

    def models(self) -> list[ModelRecord]:
        """Every stored model, the newest first."""
        with self._session() as session:
            rows = session.scalars(
                select(SuggestionModel).order_by(
                    SuggestionModel.created.desc(), SuggestionModel.version.desc()
                )
            )
            return [model_record(row) for row in rows]

    def latest_model(self) -> ModelRecord | None:
        """The model suggestions come from: the last one trained (or imported)."""
        with self._session() as session:
            row = session.scalars(
                select(SuggestionModel)
                .order_by(SuggestionModel.created.desc(), SuggestionModel.version.desc())
                .limit(1)
            ).first()
            return None if row is None else model_record(row)

    # -- documents ----------------------------------------------------------------------------

    def documents(self, annotator: str) -> list[DocumentSummary]:
        """All documents in list order, with this annotator's status and annotation count."""
        with self._session() as session:
            owner = session.scalar(select(Annotator.id).where(Annotator.name == annotator))
            counts = dict(
                session.execute(
                    select(Annotation.document_id, func.count())
                    .where(Annotation.annotator_id == owner)
                    .group_by(Annotation.document_id)
                )
                .tuples()
                .all()
            )
            statuses = dict(
                session.execute(
                    select(DocumentStatus.document_id, DocumentStatus.status).where(
                        DocumentStatus.annotator_id == owner
                    )
                )
                .tuples()
                .all()
            )
            rows = session.execute(
                select(Document.id, Document.title, Document.source).order_by(
                    Document.position, Document.title
                )
            ).tuples()
            return [
                DocumentSummary(
                    doc_id, title, source, statuses.get(doc_id, "new"), counts.get(doc_id, 0)
                )
                for doc_id, title, source in rows
            ]

    def document_page(self, annotator: str, offset: int, limit: int) -> list[DocumentSummary]:
        """Part of `documents(annotator)`: what the window's list shows as it scrolls."""
        with self._session() as session:
            return document_page(session, annotator, offset, limit)

    def document(self, document_id: str) -> DocumentData:
        with self._session() as session:
            row = session.get(Document, document_id)
            if row is None:
                raise SpanwiseError(f"no document with id {document_id}")
            return document_data(row)

    def file_signature(self) -> tuple[int, ...]:
        """Changes whenever anyone commits to the database (its WAL file, or the file itself
        after a checkpoint): a stat, so the window can afford it before every edit."""
        signature: list[int] = []
        for path in (self.path, self.path.with_name(self.path.name + "-wal")):
            try:
                info = path.stat()
                signature += [info.st_mtime_ns, info.st_size]
            except OSError:
                signature += [0, 0]
        return tuple(signature)

    def document_count(self) -> int:
        with self._session() as session:
            return session.scalar(select(func.count()).select_from(Document)) or 0

    def set_status(self, document_id: str, annotator: str, status: str) -> None:
        if status not in STATUSES:
            raise SpanwiseError(f"status must be one of {', '.join(STATUSES)}")
        with self._writing() as session, session.begin():
            if session.get(Document, document_id) is None:
                raise SpanwiseError(f"no document with id {document_id}")
            set_status(session, document_id, annotator_id(session, annotator), status)

    def status(self, document_id: str, annotator: str) -> str:
        with self._session() as session:
            value = session.scalar(
                select(DocumentStatus.status)
                .join(Annotator)
                .where(DocumentStatus.document_id == document_id, Annotator.name == annotator)
            )
            return value or "new"

    # -- reading annotations, links, entities -------------------------------------------------

    def annotations(self, document_id: str, annotator: str | None = None) -> list[AnnotationData]:
        """A document's annotations in text order, of one annotator or of all."""
        with self._session() as session:
            owner = annotator_id_of(session, annotator)
            return read_annotations(session, [document_id], owner)

    def annotations_near_start(
        self, document_id: str, annotator: str, before: int, limit: int | None = None
    ) -> list[AnnotationData]:
        """Annotations starting before `before` (the first `limit` of them): what the top of
        a long document shows."""
        with self._session() as session:
            owner = annotator_id_of(session, annotator)
            return read_annotations(session, [document_id], owner, before, limit)

    def annotation_count(self, document_id: str, annotator: str) -> int:
        with self._session() as session:
            owner = annotator_id_of(session, annotator)
            return (
                session.scalar(
                    select(func.count())
                    .select_from(Annotation)
                    .where(Annotation.document_id == document_id, Annotation.annotator_id == owner)
                )
                or 0
            )

    def annotation(self, annotation_id: str) -> AnnotationData | None:
        with self._session() as session:
            row = session.get(Annotation, annotation_id)
            return None if row is None else annotation_data(row)

    def relations(self, document_id: str, annotator: str | None = None) -> list[RelationData]:
        with self._session() as session:
            return read_relations(session, [document_id], annotator_id_of(session, annotator))

    def entities(self, document_id: str, annotator: str | None = None) -> list[EntityData]:
        """A document's entities by name, each with its mentions in order."""
        with self._session() as session:
            return read_entities(session, [document_id], annotator_id_of(session, annotator))

    def decisions(self, document_id: str, annotator: str) -> list[DecisionData]:
        """Recorded decisions of one annotator (or reviewer) on a document."""
        with self._session() as session:
            rows = session.execute(
                select(Decision.key, Decision.value, Decision.created)
                .join(Annotator)
                .where(Decision.document_id == document_id, Annotator.name == annotator)
                .order_by(Decision.created, Decision.key)
            ).tuples()
            return [
                DecisionData(document_id, annotator, key, value, created)
                for key, value, created in rows
            ]

    # -- editing ------------------------------------------------------------------------------

    def apply(self, change: Change) -> None:
        """Write one edit in one transaction, or nothing if any part of it is invalid."""
        with self._writing() as session, session.begin():
            if is_bulk(change):  # thousands of records: "Accept all" on a long document
                write_bulk(session, change)
            else:
                write_change(session, change)

    def deletion_change(self, annotation_id: str, description: str = "") -> Change:
        """Deleting an annotation, with the links that point at it and its entity membership
        (an entity left with no mention goes too), as one edit."""
        with self._session() as session:
            row = session.get(Annotation, annotation_id)
            if row is None:
                raise InvalidAnnotation(f"no annotation with id {annotation_id}")
            record = annotation_data(row)
            relations, entities = dependents(session, [annotation_id])
        entity_pairs = []
        for entity in entities:
            rest = tuple(m for m in entity.mentions if m != annotation_id)
            after = dataclasses.replace(entity, mentions=rest) if rest else None
            entity_pairs.append(updated(entity, after) if after else removed(entity))
        return Change(
            description or f"Delete {record.label}",
            (removed(record),),
            tuple(removed(r) for r in relations),
            tuple(entity_pairs),
        )

    def add_annotation(
        self,
        document_id: str,
        annotator: str,
        label: str,
        start: int,
        end: int,
        attributes: dict[str, Any] | None = None,
        note: str | None = None,
        fragments: Fragments = (),
    ) -> AnnotationData:
        """Create and commit a new annotation; the document becomes 'in progress'."""
        record = new_annotation(
            document_id, annotator, label, start, end, attributes, note, fragments
        )
        return self.put_annotation(record)

    def put_annotation(self, record: AnnotationData) -> AnnotationData:
        """Store a new annotation exactly as given."""
        self.apply(Change(f"Add {record.label}", (added(record),)))
        return record

    # -- export and import of Spanwise JSON ---------------------------------------------------

    def export_documents(
        self, annotator: str | None = None, document_id: str | None = None
    ) -> list[ExportedDocument]:
        """Documents with statuses, annotations, links and entities, for an export."""
        return list(self.iter_documents(annotator, document_id))

    def iter_documents(
        self, annotator: str | None = None, document_id: str | None = None
    ) -> Iterator[ExportedDocument]:
        """export_documents a batch at a time, from one snapshot: a 50,000-document export
        or agreement holds one batch in memory, not the corpus."""
        session = self._session()
        try:
            return exported_documents(session, annotator, document_id)
        except BaseException:
            session.close()
            raise

    def labels_used(self, annotators: Sequence[str]) -> tuple[set[str], set[str]]:
        """The labels the annotators used, and those of entity mentions (for agreement)."""
        with self._session() as session:
            return labels_used(session, annotators)

    def import_texts(
        self,
        paths: Iterable[str | Path],
        encoding: str | None = None,
        progress: Progress | None = None,
    ) -> ImportSummary:
        """Import article files and folders, all or nothing (every file is read and checked
        before anything is written)."""
        return self.import_batch(read_text_files(paths, encoding), [], progress=progress)

    def import_documents(
        self,
        schema: Schema,
        documents: Sequence[ExportedDocument],
        replace: bool = False,
        progress: Progress | None = None,
    ) -> ImportSummary:
        """Add exported documents and annotations in one transaction (all or nothing)."""
        return self.import_batch([], [(schema, documents)], replace, progress)

    def import_batch(
        self,
        texts: Sequence[TextFile],
        exports: Sequence[tuple[Schema, Sequence[ExportedDocument]]],
        replace: bool = False,
        progress: Progress | None = None,
        consent: Consent = TRUSTED,
    ) -> ImportSummary:
        """Add checked text files and parsed exports in one transaction: all or nothing.

        Documents are matched by the SHA-256 of their text, so nothing is duplicated; an
        imported annotation, link or entity whose id exists with the same content is
        unchanged, with other content a conflict (kept as it was unless `replace`, and only
        ever replacing the same annotator's record in the same document). `consent` says
        whether the import may write under gold or the importer's name and grow the schema
        (db/import_consent.py); callers that pass files from users pass the user's answers.
        """
        if exports and not self.created:
            backup_before(self.path, "import")  # bulk: a copy first (refuses if it fails)
        try:
            with self._writing() as session, session.begin():
                return write_import(session, texts, exports, replace, progress, consent)
        except UnicodeEncodeError as exc:  # rolled back: a lone surrogate from a tool's file
            where = exc.object if isinstance(exc.object, str) else ""
            raise ImportRefused(
                f"the file holds text with an unpaired surrogate ({shown(where[:60])}), which "
                "cannot be stored; nothing was imported"
            ) from exc


def _put_setting(session: Session, key: str, value: str) -> None:
    session.merge(Setting(key=key, value=value))


__all__ = ["ExportedDocument", "Progress", "Store", "default_annotator_name", "new_id"]
__all__ += ["text_sha256"]


def _annotator_names(session: Session) -> list[str]:
    return list(session.scalars(select(Annotator.name).order_by(Annotator.name)))


def _unknown_annotator(name: str, known: Sequence[str]) -> SpanwiseError:
    return SpanwiseError(
        f"unknown annotator '{name}' (annotators: {', '.join(known) or 'none yet'})"
    )
