"""Undoable edits. Each command commits through the store in redo()/undo() and then tells
the open document, so every step on the undo stack is also a step on disk."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand
from sqlalchemy.exc import SQLAlchemyError

from db.errors import SpanwiseError
from db.records import AnnotationData
from desktop.open_document import OpenDocument


class StoreCommand(QUndoCommand):
    """A command whose failure (disk full, read-only file...) is caught and reported.

    A redo that fails marks the command obsolete, so QUndoStack drops it: the stack never
    claims an edit that is not on disk. `failure` holds the message for the window.
    """

    document_id: str | None = None

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.failure: str | None = None

    def redo(self) -> None:
        self._guard(self.do)

    def undo(self) -> None:
        self._guard(self.undo_change)

    def _guard(self, step: Callable[[], None]) -> None:
        self.failure = None
        try:
            step()
        except (SpanwiseError, SQLAlchemyError) as exc:
            detail = getattr(exc, "orig", None) or exc
            self.failure = f"{self.text()}: not saved ({detail})"
            self.setObsolete(True)

    def do(self) -> None:
        raise NotImplementedError

    def undo_change(self) -> None:
        raise NotImplementedError


def _describe(record: AnnotationData, text: str) -> str:
    snippet = text[record.start : record.end].replace("\n", " ")
    if len(snippet) > 30:
        snippet = snippet[:29] + "…"
    return f"{record.label} “{snippet}”"


class AddAnnotation(StoreCommand):
    def __init__(self, doc: OpenDocument, record: AnnotationData) -> None:
        super().__init__(f"Add {_describe(record, doc.text)}")
        self.doc = doc
        self.record = record
        self.document_id = record.document_id

    def do(self) -> None:
        self.doc.store.put_annotation(self.record)
        self.doc.apply_added(self.record)
        self.doc.set_current(self.record)

    def undo_change(self) -> None:
        self.doc.store.delete_annotation(self.record.id)
        self.doc.apply_removed(self.record)


class DeleteAnnotation(StoreCommand):
    def __init__(self, doc: OpenDocument, record: AnnotationData) -> None:
        super().__init__(f"Delete {_describe(record, doc.text)}")
        self.doc = doc
        self.record = record
        self.document_id = record.document_id

    def do(self) -> None:
        self.doc.store.delete_annotation(self.record.id)
        self.doc.apply_removed(self.record)

    def undo_change(self) -> None:
        self.doc.store.put_annotation(self.record)
        self.doc.apply_added(self.record)
        self.doc.set_current(self.record)


class UpdateAnnotation(StoreCommand):
    """A change of label, attributes or note; `after` is the wanted state."""

    def __init__(
        self, doc: OpenDocument, before: AnnotationData, after: AnnotationData, what: str
    ) -> None:
        super().__init__(f"{what} of {_describe(before, doc.text)}")
        self.doc = doc
        self.document_id = before.document_id
        self.before = before
        self.after = after
        self._applied: AnnotationData | None = None

    def do(self) -> None:
        self._applied = self.doc.store.update_annotation(
            self.after.id,
            label=self.after.label,
            attributes=self.after.attributes,
            note=self.after.note,
            clear_note=self.after.note is None,
        )
        self.doc.apply_changed(self._applied)

    def undo_change(self) -> None:
        self.doc.store.restore_annotation(self.before)
        self.doc.apply_changed(self.before)


class SetStatus(StoreCommand):
    def __init__(self, doc: OpenDocument, document_id: str, before: str, after: str) -> None:
        super().__init__(f"Mark document {after}")
        self.doc = doc
        self.document_id = document_id
        self.before = before
        self.after = after

    def do(self) -> None:
        self.doc.store.set_status(self.document_id, self.doc.annotator, self.after)

    def undo_change(self) -> None:
        self.doc.store.set_status(self.document_id, self.doc.annotator, self.before)
