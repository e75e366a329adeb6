"""Answering a real Qt dialog as a person does: wait (on Qt's event loop, no sleeping) until
it is open, type into the field that has the focus, press Enter.

The window's dialogs are modal, so the test's own code is blocked inside the dialog's event
loop while it is open; the answer therefore runs from a timer that watches for the dialog.
Native dialogs (a GTK or portal window of another process) cannot be typed into by Qt's test
keys, so the tests ask Qt for its own widget dialogs (AA_DontUseNativeDialogs): the same
static functions with the same parent and arguments, the code path where a wrong parent
type was a TypeError that kept export from working.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QWidget

Act = Callable[[QWidget], None]


def open_dialog() -> QWidget | None:
    """The dialog or popup menu waiting for the user, if one is open (a completer's list
    under a dialog's field is part of that dialog)."""
    popup = QApplication.activePopupWidget()
    if isinstance(popup, QMenu):
        return popup if popup.isVisible() else None
    widget = QApplication.activeModalWidget()
    # Only once it is the active window do keys reach it, as they would a person's: before
    # that they still go to the window behind, and its shortcuts (S, C, 1-7...) take them.
    if widget is None or not widget.isVisible():
        return None
    if QApplication.activeWindow() is not widget:
        widget.activateWindow()  # what a window manager does for a new dialog
        return None
    return widget


def typing(text: str) -> Act:
    """Select what the focused field of the dialog holds (Ctrl+A), type over it, press Enter
    (QTest key events)."""

    def act(dialog: QWidget) -> None:
        field = dialog.focusWidget() or dialog
        QTest.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        if text:
            QTest.keyClicks(field, text)

        completions = QApplication.activePopupWidget()
        if completions is not None:  # the file name completer's list: Esc closes it
            QTest.keyClick(completions, Qt.Key.Key_Escape)
        QTest.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return)

    return act


def pressing(key: Qt.Key | str) -> Act:
    def act(dialog: QWidget) -> None:
        QTest.keyClick(dialog.focusWidget() or dialog, key)  # type: ignore[arg-type]

    return act


class DialogAnswerer(QObject):
    """Answers the dialogs a test expects, in order, each with its own act."""

    def __init__(self) -> None:
        super().__init__()
        self.expected: list[tuple[type[QWidget], Act]] = []
        self.answered: list[QWidget] = []
        self.titles: list[str] = []
        self.unexpected: list[str] = []
        self._timer = QTimer(self)
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._look)
        self._timer.start()

    def then(self, kind: type[QWidget], act: Act) -> DialogAnswerer:
        self.expected.append((kind, act))
        return self

    def _look(self) -> None:
        dialog = open_dialog()

        if dialog is None or any(dialog is seen for seen in self.answered):
            return
        self.answered.append(dialog)
        self.titles.append(dialog.windowTitle())
        if not self.expected:  # nobody would answer it: say what it was, and close it
            text = getattr(dialog, "text", None)
            self.unexpected.append(f"{dialog.windowTitle()}: {text() if text else dialog!r}")
            if isinstance(dialog, QDialog):
                dialog.done(0)
            else:
                dialog.close()
            return
        kind, act = self.expected.pop(0)
        assert isinstance(dialog, kind), f"expected a {kind.__name__}, {dialog!r} opened"
        act(dialog)

    def stop(self) -> None:
        self._timer.stop()
