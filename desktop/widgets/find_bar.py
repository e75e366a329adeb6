"""Find in the article (Ctrl+F): a slim bar above the text, Enter for next, Esc to close."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget


class FindField(QLineEdit):
    """The search field, whose keys (Enter, Shift+Enter, Esc) act on the bar."""

    def __init__(self, bar: FindBar) -> None:
        super().__init__(bar)
        self.bar = bar

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter, Shift+Enter and Esc act on the bar; other keys type."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.bar.find_next(
                backwards=bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            )
        elif event.key() == Qt.Key.Key_Escape:
            self.bar.close_bar()
        else:
            super().keyPressEvent(event)


class FindBar(QWidget):
    """A slim bar above the article for finding text (Ctrl+F)."""

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
        """Show the bar, with the selected text (one line of it) to find, focused."""
        self.show()
        selected = self.view.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.field.setText(selected)
        self.field.selectAll()
        self.field.setFocus()

    def close_bar(self) -> None:
        """Hide the bar and give the focus back to the article."""
        self.hide()
        self.view.setFocus()

    def find_next(self, backwards: bool = False, from_start_of_match: bool = False) -> bool:
        """Select the next (or previous) match, wrapping round; False when there is none."""
        needle = self.field.text()
        if not needle:
            self.result.setText("")
            return False
        flags = QTextDocument.FindFlag.FindBackward if backwards else QTextDocument.FindFlag(0)
        document = self.view.document()
        caret = self.view.textCursor()
        if from_start_of_match:  # typing on: the match grows where it stands
            start = caret.selectionStart()
        else:
            start = caret.selectionStart() if backwards else caret.selectionEnd()
        match = document.find(needle, start, flags)
        if match.isNull():  # wrap around
            match = document.find(needle, document.characterCount() if backwards else 0, flags)
        # The caret moves once, onto the match: never to a bare caret on the way, which
        # would let go of the annotation being worked on (a quote waiting for its speaker).
        if not match.isNull():
            self.view.setTextCursor(match)
            self.view.ensureCursorVisible()
        self.result.setText("Not found" if match.isNull() else "")
        return not match.isNull()
