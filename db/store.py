"""The store API: every read and edit the GUI, the command line and the tests make.

Each public method is one short transaction (SQLAlchemy's "one session per user action"), so
an edit is on disk when the call returns and nothing holds the database across the event loop.
"""

from __future__ import annotations

import dataclasses
import getpass
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from db.database import open_engine
from db.errors import InvalidAnnotation, SpanwiseError
from db.models import Annotation, Annotator, Document, DocumentStatus, Label, Setting
from db.records import (
    STATUSES,
    AnnotationData,
    DocumentData,
    DocumentSummary,
    ImportSummary,
    now_iso,
)
from db.schema import LabelDef, load_schema
from db.textfiles import TextFile, read_text_files, text_sha256

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ExportedDocument:
    """A document as it travels in an export: text, statuses by annotator, annotations."""

    document: DocumentData
    statuses: dict[str, str]
    annotations: list[AnnotationData]


def replace_document(record: AnnotationData, document_id: str) -> AnnotationData:
    return dataclasses.replace(record, document_id=document_id)


def default_annotator_name() -> str:
    """The OS user name, the annotator a new user starts as."""
    try:
        return getpass.getuser() or "annotator"
    except Exception:  # no user name on this system: any name will do
        return "annotator"


def new_id() -> str:
    return uuid.uuid4().hex


class Store:
    """A Spanwise database, opened (and upgraded) on construction."""

    def __init__(self, path: str | Path, schema_text: str | None = None) -> None:
        self.path = Path(path)
        self.engine: Engine
        self.engine, self.created = open_engine(self.path)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        if self.created or not self.labels():
            self._install_labels(load_schema(schema_text))

    def close(self) -> None:
        self.engine.dispose()

    def _session(self) -> Session:
        return self._sessions()

    # -- labels -------------------------------------------------------------------------------

    def _install_labels(self, labels: Sequence[LabelDef]) -> None:
        with self._session() as session, session.begin():
            existing = set(session.scalars(select(Label.name)))
            start = len(existing)
            for position, label in enumerate(labels, start=start):
                if label.name not in existing:
                    session.add(_label_row(label, position))

    def labels(self) -> list[LabelDef]:
        with self._session() as session:
            rows = session.scalars(select(Label).order_by(Label.position, Label.id))
            return [_label_def(row) for row in rows]

    # -- annotators ---------------------------------------------------------------------------

    def annotators(self) -> list[str]:
        with self._session() as session:
            return list(session.scalars(select(Annotator.name).order_by(Annotator.name)))

    def ensure_annotator(self, name: str) -> str:
        """Make sure an annotator exists; returns the cleaned name."""
        name = name.strip()
        if not name:
            raise SpanwiseError("an annotator needs a name")
        with self._session() as session, session.begin():
            _annotator_id(session, name)
        return name

    def setting(self, key: str) -> str | None:
        with self._session() as session:
            row = session.get(Setting, key)
            return None if row is None else row.value

    def set_setting(self, key: str, value: str) -> None:
        with self._session() as session, session.begin():
            session.merge(Setting(key=key, value=value))

    # -- documents ----------------------------------------------------------------------------

    def documents(self, annotator: str) -> list[DocumentSummary]:
        """All documents in list order, with this annotator's status and annotation count."""
        with self._session() as session:
            annotator_id = session.scalar(select(Annotator.id).where(Annotator.name == annotator))
            counts = dict(
                session.execute(
                    select(Annotation.document_id, func.count())
                    .where(Annotation.annotator_id == annotator_id)
                    .group_by(Annotation.document_id)
                )
                .tuples()
                .all()
            )
            statuses = dict(
                session.execute(
                    select(DocumentStatus.document_id, DocumentStatus.status).where(
                        DocumentStatus.annotator_id == annotator_id
                    )
                )
                .tuples()
                .all()
            )
            rows = (
                session.execute(
                    select(Document.id, Document.title, Document.source).order_by(
                        Document.position, Document.title
                    )
                )
                .tuples()
                .all()
            )
            return [
                DocumentSummary(
                    doc_id, title, source, statuses.get(doc_id, "new"), counts.get(doc_id, 0)
                )
                for doc_id, title, source in rows
            ]

    def document(self, document_id: str) -> DocumentData:
        with self._session() as session:
            row = session.get(Document, document_id)
            if row is None:
                raise SpanwiseError(f"no document with id {document_id}")
            return DocumentData(
                row.id, row.title, row.source, row.text, row.sha256, row.imported_at
            )

    def document_count(self) -> int:
        with self._session() as session:
            return session.scalar(select(func.count()).select_from(Document)) or 0

    def set_status(self, document_id: str, annotator: str, status: str) -> None:
        if status not in STATUSES:
            raise SpanwiseError(f"status must be one of {', '.join(STATUSES)}")
        with self._session() as session, session.begin():
            if session.get(Document, document_id) is None:
                raise SpanwiseError(f"no document with id {document_id}")
            _set_status(session, document_id, _annotator_id(session, annotator), status)

    def status(self, document_id: str, annotator: str) -> str:
        with self._session() as session:
            value = session.scalar(
                select(DocumentStatus.status)
                .join(Annotator)
                .where(DocumentStatus.document_id == document_id, Annotator.name == annotator)
            )
            return value or "new"

    # -- annotations --------------------------------------------------------------------------

    def annotations(self, document_id: str, annotator: str | None = None) -> list[AnnotationData]:
        """A document's annotations in text order, of one annotator or of all."""
        with self._session() as session:
            query = select(Annotation).where(Annotation.document_id == document_id)
            if annotator is not None:
                query = query.join(Annotator).where(Annotator.name == annotator)
            query = query.order_by(Annotation.start, Annotation.end.desc(), Annotation.created)
            return [_annotation_data(row) for row in session.scalars(query).unique()]

    def annotation(self, annotation_id: str) -> AnnotationData | None:
        with self._session() as session:
            row = session.get(Annotation, annotation_id)
            return None if row is None else _annotation_data(row)

    def add_annotation(
        self,
        document_id: str,
        annotator: str,
        label: str,
        start: int,
        end: int,
        attributes: dict[str, Any] | None = None,
        note: str | None = None,
    ) -> AnnotationData:
        """Create and commit a new annotation; the document becomes 'in progress'."""
        stamp = now_iso()
        record = AnnotationData(
            id=new_id(),
            document_id=document_id,
            annotator=annotator,
            label=label,
            start=start,
            end=end,
            attributes=dict(attributes or {}),
            note=note,
            created=stamp,
            modified=stamp,
        )
        return self.put_annotation(record)

    def put_annotation(self, record: AnnotationData) -> AnnotationData:
        """Store an annotation exactly as given (used by undo to bring one back)."""
        with self._session() as session, session.begin():
            document = session.get(Document, record.document_id)
            if document is None:
                raise InvalidAnnotation(f"no document with id {record.document_id}")
            if session.get(Annotation, record.id) is not None:
                raise InvalidAnnotation(f"an annotation with id {record.id} exists already")
            label = _label_by_name(session, record.label)
            _check_span(document.text, record.start, record.end)
            _check_attributes(_label_def(label), record.attributes)
            annotator_id = _annotator_id(session, record.annotator)
            session.add(
                Annotation(
                    id=record.id,
                    document_id=record.document_id,
                    annotator_id=annotator_id,
                    label_id=label.id,
                    start=record.start,
                    end=record.end,
                    attributes=dict(record.attributes),
                    note=record.note,
                    created=record.created,
                    modified=record.modified,
                )
            )
            status = session.get(DocumentStatus, (record.document_id, annotator_id))
            if status is None or status.status == "new":
                _set_status(session, record.document_id, annotator_id, "in progress")
        return record

    def update_annotation(
        self,
        annotation_id: str,
        *,
        label: str | None = None,
        attributes: dict[str, Any] | None = None,
        note: str | None = None,
        clear_note: bool = False,
    ) -> AnnotationData:
        """Change the label, attributes or note of an annotation; returns the new state."""
        with self._session() as session, session.begin():
            row = session.get(Annotation, annotation_id)
            if row is None:
                raise InvalidAnnotation(f"no annotation with id {annotation_id}")
            if label is not None:
                row.label = _label_by_name(session, label)
            if attributes is not None:
                row.attributes = dict(attributes)
            _check_attributes(_label_def(row.label), row.attributes)
            if note is not None or clear_note:
                row.note = note or None
            row.modified = now_iso()
            session.flush()
            return _annotation_data(row)

    def delete_annotation(self, annotation_id: str) -> AnnotationData:
        """Delete and commit; returns what was deleted so it can be put back."""
        with self._session() as session, session.begin():
            row = session.get(Annotation, annotation_id)
            if row is None:
                raise InvalidAnnotation(f"no annotation with id {annotation_id}")
            record = _annotation_data(row)
            session.delete(row)
        return record

    def restore_annotation(self, record: AnnotationData) -> None:
        """Put an annotation back exactly as it was (undo of an update or a delete)."""
        if self.annotation(record.id) is None:
            self.put_annotation(record)
            return
        with self._session() as session, session.begin():
            row = session.get_one(Annotation, record.id)
            row.label = _label_by_name(session, record.label)
            row.start, row.end = record.start, record.end
            row.attributes = dict(record.attributes)
            row.note = record.note
            row.modified = record.modified

    # -- export and import of Spanwise JSON ---------------------------------------------------

    def export_documents(
        self, annotator: str | None = None, document_id: str | None = None
    ) -> list[ExportedDocument]:
        """Documents with their per-annotator status and annotations, for an export."""
        with self._session() as session:
            query = select(Document).order_by(Document.position, Document.title)
            if document_id is not None:
                query = query.where(Document.id == document_id)
            documents = list(session.scalars(query))
            if document_id is not None and not documents:
                raise SpanwiseError(f"no document with id {document_id}")
            status_query = select(
                DocumentStatus.document_id, Annotator.name, DocumentStatus.status
            ).join(Annotator)
            annotation_query = select(Annotation).order_by(
                Annotation.document_id, Annotation.start, Annotation.end.desc(), Annotation.id
            )
            if annotator is not None:
                status_query = status_query.where(Annotator.name == annotator)
                annotation_query = annotation_query.join(Annotator).where(
                    Annotator.name == annotator
                )
            if document_id is not None:
                status_query = status_query.where(DocumentStatus.document_id == document_id)
                annotation_query = annotation_query.where(Annotation.document_id == document_id)
            statuses: dict[str, dict[str, str]] = {}
            for doc_id, name, status in session.execute(status_query):
                statuses.setdefault(doc_id, {})[name] = status
            annotations: dict[str, list[AnnotationData]] = {}
            for row in session.scalars(annotation_query).unique():
                annotations.setdefault(row.document_id, []).append(_annotation_data(row))
            return [
                ExportedDocument(
                    DocumentData(d.id, d.title, d.source, d.text, d.sha256, d.imported_at),
                    dict(sorted(statuses.get(d.id, {}).items())),
                    annotations.get(d.id, []),
                )
                for d in documents
            ]

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
        labels: Sequence[LabelDef],
        documents: Sequence[ExportedDocument],
        replace: bool = False,
        progress: Progress | None = None,
    ) -> ImportSummary:
        """Add exported documents and annotations in one transaction (all or nothing)."""
        return self.import_batch([], [(labels, documents)], replace, progress)

    def import_batch(
        self,
        texts: Sequence[TextFile],
        exports: Sequence[tuple[Sequence[LabelDef], Sequence[ExportedDocument]]],
        replace: bool = False,
        progress: Progress | None = None,
    ) -> ImportSummary:
        """Add checked text files and parsed exports in one transaction: all or nothing.

        Documents are matched by the SHA-256 of their text, so nothing is duplicated; an
        imported annotation whose id exists with the same content is unchanged, with other
        content a conflict (kept as it was unless `replace`).
        """
        summary = ImportSummary()
        total = len(texts) + sum(len(documents) for _labels, documents in exports)
        done = 0

        def step() -> None:
            nonlocal done
            done += 1
            if progress:
                progress(done, total)

        with self._session() as session, session.begin():
            by_sha = dict(session.execute(select(Document.sha256, Document.id)).tuples().all())
            position = _next_position(session)
            for item in texts:
                if item.sha256 in by_sha:
                    summary.documents_matched += 1
                    summary.messages.append(f"{item.path}: already in the database")
                else:
                    data = DocumentData("", item.title, item.path.name, item.text, item.sha256, "")
                    by_sha[item.sha256] = _add_document(session, data, position)
                    position += 1
                    summary.documents_new += 1
                step()
            for labels, documents in exports:
                label_ids = _add_labels(session, labels)
                for exported in documents:
                    doc = exported.document
                    local_id = by_sha.get(doc.sha256)
                    if local_id is None:
                        local_id = by_sha[doc.sha256] = _add_document(session, doc, position)
                        position += 1
                        summary.documents_new += 1
                    else:
                        summary.documents_matched += 1
                    for name, status in exported.statuses.items():
                        _set_status(session, local_id, _annotator_id(session, name), status)
                    for record in exported.annotations:
                        self._import_annotation(
                            session, record, local_id, label_ids, replace, summary
                        )
                    step()
        return summary

    @staticmethod
    def _import_annotation(
        session: Session,
        record: AnnotationData,
        document_id: str,
        label_ids: dict[str, int],
        replace: bool,
        summary: ImportSummary,
    ) -> None:
        annotator_id = _annotator_id(session, record.annotator)
        existing = session.get(Annotation, record.id)
        if existing is not None:
            current = _annotation_data(existing)
            incoming = replace_document(record, document_id)
            if current.same_content(incoming):
                summary.annotations_unchanged += 1
                return
            if not replace:
                summary.annotations_conflicting += 1
                summary.messages.append(
                    f"annotation {record.id} ({record.annotator}) differs from the one "
                    "in the database; kept the database's"
                )
                return
            session.delete(existing)
            session.flush()
            summary.annotations_replaced += 1
        else:
            summary.annotations_added += 1
        session.add(
            Annotation(
                id=record.id,
                document_id=document_id,
                annotator_id=annotator_id,
                label_id=label_ids[record.label],
                start=record.start,
                end=record.end,
                attributes=dict(record.attributes),
                note=record.note,
                created=record.created,
                modified=record.modified,
            )
        )


# -- helpers (run inside a session) ----------------------------------------------------------


def _label_row(label: LabelDef, position: int) -> Label:
    return Label(
        name=label.name,
        colour=label.colour,
        shortcut=label.shortcut,
        position=position,
        attributes={k: list(v) for k, v in label.attributes.items()},
        description=label.description,
    )


def _label_def(row: Label) -> LabelDef:
    return LabelDef(
        row.name,
        row.colour,
        row.shortcut,
        {k: list(v) for k, v in row.attributes.items()},
        row.description,
    )


def _label_by_name(session: Session, name: str) -> Label:
    label = session.scalar(select(Label).where(Label.name == name))
    if label is None:
        raise InvalidAnnotation(f"unknown label '{name}'")
    return label


def _annotator_id(session: Session, name: str) -> int:
    existing = session.scalar(select(Annotator.id).where(Annotator.name == name))
    if existing is not None:
        return existing
    annotator = Annotator(name=name)
    session.add(annotator)
    session.flush()
    return annotator.id


def _set_status(session: Session, document_id: str, annotator_id: int, status: str) -> None:
    row = session.get(DocumentStatus, (document_id, annotator_id))
    if row is None:
        session.add(
            DocumentStatus(document_id=document_id, annotator_id=annotator_id, status=status)
        )
    else:
        row.status = status


def _add_labels(session: Session, labels: Sequence[LabelDef]) -> dict[str, int]:
    """Add the labels the database lacks; returns every label's id by name."""
    known = set(session.scalars(select(Label.name)))
    position = len(known)
    for label in labels:
        if label.name not in known:
            session.add(_label_row(label, position))
            known.add(label.name)
            position += 1
    session.flush()
    return dict(session.execute(select(Label.name, Label.id)).tuples().all())


def _add_document(session: Session, doc: DocumentData, position: int) -> str:
    """Insert a document, keeping its id when it is free; returns the id used."""
    document_id = doc.id if doc.id and session.get(Document, doc.id) is None else None
    document_id = document_id or _document_id(session, doc.sha256)
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


def _next_position(session: Session) -> int:
    return (session.scalar(select(func.max(Document.position))) or 0) + 1


def _document_id(session: Session, sha256: str) -> str:
    """A stable id derived from the text, lengthened in the unlikely case of a clash."""
    for length in (16, 24, 32, 64):
        candidate = sha256[:length]
        if session.get(Document, candidate) is None:
            return candidate
    raise SpanwiseError(f"document id clash for {sha256}")


def _check_span(text: str, start: int, end: int) -> None:
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
        raise InvalidAnnotation("start and end must be whole numbers")
    if not 0 <= start < end <= len(text):
        raise InvalidAnnotation(f"span {start}-{end} is outside the text (0-{len(text)}) or empty")


def _check_attributes(label: LabelDef, attributes: dict[str, Any]) -> None:
    try:
        label.check_attributes(attributes)
    except SpanwiseError as exc:
        raise InvalidAnnotation(str(exc)) from exc


def _annotation_data(row: Annotation) -> AnnotationData:
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
    )


__all__ = ["Store", "default_annotator_name", "new_id", "text_sha256"]
