"""Edits the attributes and note of the current annotation; each change is one undo step."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from db.records import AnnotationData
from db.schema.label_schema import LabelDef
from db.text.messages import counted
from desktop.document.open_document import OpenDocument
from desktop.widgets.item_models import one_line

_NONE = "—"
NOTE_SAVE_DELAY_MS = 1500


def isolate(text: str) -> str:
    """Quote user text so right-to-left script cannot reorder the words around it."""
    return f"“\u2068{text}\u2069”"


class NoteEdit(QPlainTextEdit):
    """A plain-text note that reports when the user leaves it."""

    editingFinished = Signal()

    def focusOutEvent(self, event: Any) -> None:
        """Leaving the note commits it (one undo step)."""
        super().focusOutEvent(event)
        self.editingFinished.emit()


class AttributePanel(QWidget):
    """Shows the current annotation's label, attributes and note."""

    # (before, after, what) -> the window turns it into an undo command
    editRequested = Signal(object, object, str)

    def __init__(self, doc: OpenDocument, labels: list[LabelDef], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("attributePanel")
        self.setAccessibleName("Annotation attributes")
        self.doc = doc
        self.labels = {label.name: label for label in labels}
        self._record: AnnotationData | None = None
        self._editors: dict[str, QComboBox | QLineEdit] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.summary = QLabel("No annotation selected")
        self.summary.setObjectName("attributeSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.note = NoteEdit()
        self.note.setObjectName("noteEdit")
        self.note.setAccessibleName("Note")
        self.note.setPlaceholderText("Note (saved when you leave the field)")
        self.note.setMaximumHeight(70)
        self.note.setTabChangesFocus(True)
        self.note.editingFinished.connect(self.commit_note)
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(NOTE_SAVE_DELAY_MS)
        self._note_timer.timeout.connect(self.commit_note)
        self.note.textChanged.connect(self._note_typed)
        layout.addWidget(self.note)
        doc.currentChanged.connect(self.show_record)
        self.show_record(None)

    def _note_typed(self) -> None:
        if self.note.hasFocus():
            self._note_timer.start()

    def editor(self, name: str) -> QComboBox | QLineEdit:
        """The editor of one attribute."""
        return self._editors[name]

    def show_record(self, record: AnnotationData | None) -> None:
        """Show this annotation's attributes and note (or nothing)."""
        previous = self._record
        if previous is not None and (record is None or record.id != previous.id):
            self.commit_note()  # the note typed for the previous annotation is kept
        self._record = record
        self.note.setEnabled(record is not None)
        if record is None:
            self._clear_editors()
            self.summary.setText("No annotation selected")
            self.note.setPlainText("")
            return
        text = one_line(self.doc.text_of(record), 100)
        self.summary.setText(
            f"{record.label}: {isolate(text)}  ({record.start}–{record.end})"
            + (f"  [{counted(len(record.fragments), 'fragment')}]" if record.fragments else "")
        )
        same = previous is not None and previous.id == record.id and previous.label == record.label
        if same and self._editors:
            self._update_editors(record)  # keep the editors, and the keyboard focus in them
        else:
            self._build_editors(record)
        if not self.note.hasFocus() and self.note.toPlainText() != (record.note or ""):
            self.note.setPlainText(record.note or "")

    def _clear_editors(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self._editors.clear()

    def _build_editors(self, record: AnnotationData) -> None:
        self._clear_editors()
        label = self.labels.get(record.label)
        for name, values in (label.attributes if label else {}).items():
            editor: QComboBox | QLineEdit
            if values:
                combo = QComboBox()
                combo.addItems([_NONE, *values])
                combo.activated.connect(lambda _i, n=name: self._value_chosen(n))
                editor = combo
            else:
                line = QLineEdit()
                line.editingFinished.connect(lambda n=name: self._value_chosen(n))
                editor = line
            editor.setObjectName(f"attribute:{name}")
            editor.setAccessibleName(f"{record.label} {name}")
            self._editors[name] = editor
            self.form.addRow(f"{name}:", editor)
        self._update_editors(record)

    def _update_editors(self, record: AnnotationData) -> None:
        for name, editor in self._editors.items():
            current = record.attributes.get(name)
            if isinstance(editor, QComboBox):
                index = editor.findText(str(current)) if current else 0
                editor.setCurrentIndex(max(index, 0))
            elif not editor.hasFocus():
                editor.setText(str(current or ""))

    def _value(self, name: str) -> str | None:
        editor = self._editors[name]
        value = editor.currentText() if isinstance(editor, QComboBox) else editor.text().strip()
        return None if value in ("", _NONE) else value

    def _value_chosen(self, name: str) -> None:
        record = self._record
        if record is None or name not in self._editors:
            return
        value = self._value(name)
        if record.attributes.get(name) == value:
            return
        attributes = {k: v for k, v in record.attributes.items() if k != name}
        if value is not None:
            attributes[name] = value
        after = dataclasses.replace(record, attributes=attributes)
        self.editRequested.emit(record, after, f"Set {name}")

    def commit_note(self) -> None:
        """Save the note typed so far (on leaving the field, switching annotation or document,
        a pause in typing, or closing the window)."""
        self._note_timer.stop()
        record = self._record
        if record is None or self.doc.get(record.id) is None:  # gone (deleted or undone)
            return
        note = self.note.toPlainText().strip() or None
        if note != record.note:
            self.editRequested.emit(record, dataclasses.replace(record, note=note), "Edit note")
