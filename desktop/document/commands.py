"""Undoable edits. A command commits through the store in redo()/undo() and then tells the
open document, so every step on the undo stack is also a step on disk."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QUndoCommand
from sqlalchemy.exc import SQLAlchemyError

from db.changes import Change
from db.errors import InvalidAnnotation, SpanwiseError
from desktop.document.open_document import OpenDocument


def undo_text(text: str) -> str:
    """Action texts treat '&' as a mnemonic marker; user text must show it literally."""
    return text.replace("&", "&&")


@dataclass(frozen=True)
class Applied:
    """An edit or an undo/redo step that reached the disk, as the window announces it."""

    message: str  # for the status bar: "Saved: …", "Undone: …", "Redone: …"
    document_id: str | None  # the document it changed
    statuses_changed: bool  # a document's status changed (the list shows statuses)
    stepped: bool  # an undo or redo: views that keep their own copy reload it


class StoreCommand(QUndoCommand):
    """A command whose failure (disk full, read-only file...) is caught and reported.

    A redo that fails marks the command obsolete, so QUndoStack drops it: the stack never
    claims an edit that is not on disk. `failure` holds the message for the window.
    """

    document_id: str | None = None

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.failure: str | None = None
        self.refused = False  # the edit broke a rule (nothing was at risk), not a save failure

    def redo(self) -> None:
        """Do the edit (QUndoStack calls this on push); a failure is caught and kept."""
        self._guard(self.do)

    def undo(self) -> None:
        """Undo the edit; a failure is caught and kept."""
        self._guard(self.undo_change)

    def _guard(self, step: Callable[[], None]) -> None:
        self.failure = None
        self.refused = False
        try:
            step()
        except InvalidAnnotation as exc:
            self.refused = True
            self.failure = f"{self.text()}: not possible ({exc})"
            self.setObsolete(True)
        except (SpanwiseError, SQLAlchemyError) as exc:
            detail = getattr(exc, "orig", None) or exc
            self.failure = f"{self.text()}: not saved ({detail})"
            self.setObsolete(True)

    def do(self) -> None:
        """Write the edit through the store and show it; subclasses say how."""
        raise NotImplementedError

    def undo_change(self) -> None:
        """Write the edit's inverse through the store and show it; subclasses say how."""
        raise NotImplementedError


class ApplyChange(StoreCommand):
    """Any annotation, link or entity edit: redo writes the Change, undo its inverse."""

    def __init__(self, doc: OpenDocument, change: Change, select: str | None = None) -> None:
        super().__init__(change.description)
        self.doc = doc
        self.change = change
        self.select = select  # annotation to make current after redo
        ids = change.document_ids
        self.document_id = next(iter(ids)) if ids else doc.document_id

    def do(self) -> None:
        """Write the Change, show it, and make `select` current."""
        self.doc.store.apply(self.change)
        self.doc.apply(self.change)
        if self.select:
            record = self.doc.get(self.select)
            if record is not None:
                self.doc.set_current(record)

    def undo_change(self) -> None:
        """Write the Change's inverse and show it."""
        inverse = self.change.inverse()
        self.doc.store.apply(inverse)
        self.doc.apply(inverse)


class SetStatus(StoreCommand):
    """Mark a document new, in progress or done (one undo step)."""

    def __init__(self, doc: OpenDocument, document_id: str, before: str, after: str) -> None:
        super().__init__(f"Mark document {after}")
        self.doc = doc
        self.document_id: str = document_id
        self.before = before
        self.after = after

    def do(self) -> None:
        """Write the new status."""
        self.doc.store.set_status(self.document_id, self.doc.annotator, self.after)

    def undo_change(self) -> None:
        """Write the status back as it was."""
        self.doc.store.set_status(self.document_id, self.doc.annotator, self.before)
