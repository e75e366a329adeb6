"""Find in the article (Ctrl+F): a slim bar above the text, Enter for next, Esc to close."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget


class FindField(QLineEdit):
    def __init__(self, bar: FindBar) -> None:
        super().__init__(bar)
        self.bar = bar

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.bar.find_next(
                backwards=bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            )
        elif event.key() == Qt.Key.Key_Escape:
            self.bar.close_bar()
        else:
            super().keyPressEvent(event)


class FindBar(QWidget):
    def __init__(self, view: QPlainTextEdit) -> None:
        super().__init__()
        self.setObjectName("findBar")
        self.view = view
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        self.field = FindField(self)
        self.field.setObjectName("findField")
        self.field.setAccessibleName("Find in article")
        self.field.setPlaceholderText("Find in article (Enter: next, Shift+Enter: previous)")
        self.field.textEdited.connect(lambda _text: self.find_next(from_start_of_match=True))
        self.result = QLabel()
        self.result.setObjectName("findResult")
        self.result.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.field)
        layout.addWidget(self.result)
        self.hide()

    def open(self) -> None:
        self.show()
        selected = self.view.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.field.setText(selected)
        self.field.selectAll()
        self.field.setFocus()

    def close_bar(self) -> None:
        self.hide()
        self.view.setFocus()

    def find_next(self, backwards: bool = False, from_start_of_match: bool = False) -> bool:
        needle = self.field.text()
        if not needle:
            self.result.setText("")
            return False
        flags = QTextDocument.FindFlag.FindBackward if backwards else QTextDocument.FindFlag(0)
        if from_start_of_match:
            cursor = self.view.textCursor()
            cursor.setPosition(cursor.selectionStart())
            self.view.setTextCursor(cursor)
        found = self.view.find(needle, flags)
        if not found:  # wrap around
            cursor = self.view.textCursor()
            cursor.movePosition(
                cursor.MoveOperation.End if backwards else cursor.MoveOperation.Start
            )
            self.view.setTextCursor(cursor)
            found = self.view.find(needle, flags)
        self.result.setText("" if found else "Not found")
        return found
