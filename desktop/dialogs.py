"""Every question the window asks the user, in one replaceable object.

Modal dialogs would block a headless test forever; tests give the window a stand-in that
answers at once (see tests/desktop/conftest.py).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCursor, QGuiApplication
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu, QMessageBox, QWidget

from db.records import EntityData
from desktop.entity_chooser import EntityChooser


def _answered(box: QMessageBox) -> int:
    """A message shown in the middle of long work (an error while accepting thousands of
    suggestions) gets the arrow back while it waits for an answer, then the wait cursor."""
    waiting = 0
    while QGuiApplication.overrideCursor() is not None:
        QGuiApplication.restoreOverrideCursor()
        waiting += 1
    try:
        return box.exec()
    finally:
        for _ in range(waiting):
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)


class Dialogs:
    """Asks with real Qt dialogs."""

    def open_files(self, parent: QWidget, title: str, filters: str) -> list[str]:
        files, _ = QFileDialog.getOpenFileNames(parent, title, "", filters)
        return files

    def open_folder(self, parent: QWidget, title: str) -> str | None:
        return QFileDialog.getExistingDirectory(parent, title) or None

    def save_file(self, parent: QWidget, title: str, suggested: str, filters: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
        return path or None

    def choose_database(self, parent: QWidget) -> str | None:
        path, _ = QFileDialog.getSaveFileName(
            parent,
            "Open or create a database",
            "",
            "Spanwise databases (*.db *.sqlite);;All files (*)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        return path or None

    def ask_annotator(self, parent: QWidget | None, default: str) -> str | None:
        name, ok = QInputDialog.getText(
            parent, "Who is annotating?", "Your annotator name:", text=default
        )
        return name.strip() or None if ok else None

    def error(self, parent: QWidget | None, title: str, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, parent=parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        _answered(box)

    def info(self, parent: QWidget | None, title: str, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, title, message, parent=parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        _answered(box)

    def confirm(self, parent: QWidget | None, title: str, message: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, message, parent=parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        return _answered(box) == QMessageBox.StandardButton.Yes

    def ask_text(self, parent: QWidget | None, title: str, label: str, default: str) -> str | None:
        text, ok = QInputDialog.getText(parent, title, label, text=default)
        return text.strip() or None if ok else None

    def choose_entity(
        self, parent: QWidget | None, entities: list[EntityData], suggested: str
    ) -> tuple[str | None, str] | None:
        """(existing entity id, name) or (None, new name); None when cancelled."""
        chooser = EntityChooser(parent, entities, suggested)
        return chooser.choice if chooser.exec() else None

    def choose_role(self, parent: QWidget | None, roles: list[str]) -> str | None:
        menu = QMenu(parent)
        menu.setObjectName("roleMenu")
        for role in roles:
            menu.addAction(f"&{role}").setData(role)
        chosen = menu.exec(QCursor.pos())
        return str(chosen.data()) if chosen is not None else None

    def choose_format(self, parent: QWidget | None, title: str, formats: list[str]) -> str | None:
        name, ok = QInputDialog.getItem(parent, title, "Format:", formats, 0, False)
        return name if ok and name else None
