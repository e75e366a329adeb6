"""Every question the window asks the user, in one replaceable object.

Modal dialogs would block a headless test forever; tests give the window a stand-in that
answers at once (see tests/desktop/conftest.py).
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QFileDialog, QInputDialog, QMenu, QMessageBox, QWidget

from db.records import EntityData
from desktop.widgets.entity_chooser import EntityChooser


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


def with_mnemonics(names: list[str]) -> list[str]:
    """Menu texts whose underlined letters differ ("&patient", "p&lace", "pa&rticipant"):
    each name takes its first letter no earlier name took."""
    taken: set[str] = set()
    texts = []
    for name in names:
        plain = name.replace("&", "&&")
        index = next(
            (i for i, ch in enumerate(name) if ch.isalnum() and ch.lower() not in taken), None
        )
        if index is None:
            texts.append(plain)
            continue
        taken.add(name[index].lower())
        escaped_before = name[:index].replace("&", "&&")
        texts.append(f"{escaped_before}&{name[index:].replace('&', '&&')}")
    return texts


def one_of(typed: str, names: list[str]) -> str | None:
    """The name typed, or the only one it begins (case aside); None when it names none."""
    wanted = typed.strip().lower()
    exact = [n for n in names if n.lower() == wanted]
    begun = [n for n in names if n.lower().startswith(wanted)]
    if exact:
        return exact[0]
    return begun[0] if wanted and len(begun) == 1 else None


class Dialogs:
    """Asks with real Qt dialogs."""

    def open_files(self, parent: QWidget, title: str, filters: str) -> list[str]:
        """Ask for files to open; [] when cancelled."""
        files, _ = QFileDialog.getOpenFileNames(parent, title, "", filters)
        return files

    def open_folder(self, parent: QWidget, title: str) -> str | None:
        """Ask for a folder; None when cancelled."""
        return QFileDialog.getExistingDirectory(parent, title) or None

    def save_file(self, parent: QWidget, title: str, suggested: str, filters: str) -> str | None:
        """Ask where to save; None when cancelled."""
        path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
        return path or None

    def choose_database(self, parent: QWidget) -> str | None:
        """Ask for a database file to open or create; None when cancelled."""
        path, _ = QFileDialog.getSaveFileName(
            parent,
            "Open or create a database",
            "",
            "Spanwise databases (*.db *.sqlite);;All files (*)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        return path or None

    def ask_annotator(self, parent: QWidget | None, default: str) -> str | None:
        """Ask who is annotating; None when cancelled."""
        name, ok = QInputDialog.getText(
            parent, "Who is annotating?", "Your annotator name:", text=default
        )
        return name.strip() or None if ok else None

    def error(self, parent: QWidget | None, title: str, message: str) -> None:
        """Say what went wrong, and wait for OK."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, parent=parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        _answered(box)

    def info(self, parent: QWidget | None, title: str, message: str) -> None:
        """Say something, and wait for OK."""
        box = QMessageBox(QMessageBox.Icon.Information, title, message, parent=parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        _answered(box)

    def confirm(self, parent: QWidget | None, title: str, message: str) -> bool:
        """Ask a yes-or-no question; True for yes."""
        box = QMessageBox(QMessageBox.Icon.Question, title, message, parent=parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        return _answered(box) == QMessageBox.StandardButton.Yes

    def ask_text(self, parent: QWidget | None, title: str, label: str, default: str) -> str | None:
        """Ask for a line of text; None when cancelled."""
        text, ok = QInputDialog.getText(parent, title, label, text=default)
        return text.strip() or None if ok else None

    def choose_entity(
        self, parent: QWidget | None, entities: list[EntityData], suggested: str
    ) -> tuple[str | None, str] | None:
        """(existing entity id, name) or (None, new name); None when cancelled."""
        chooser = EntityChooser(parent, entities, suggested)
        return chooser.choice if chooser.exec() else None

    def choose_role(self, parent: QWidget | None, roles: list[str], at: QPoint) -> str | None:
        """A menu of event roles at `at` (global: the caret, where the eyes are), each with
        its own underlined letter."""
        menu = QMenu(parent)
        menu.setObjectName("roleMenu")
        menu.setAccessibleName("Event roles")
        for role, text in zip(roles, with_mnemonics(roles), strict=True):
            menu.addAction(text).setData(role)
        chosen = menu.exec(at)
        return str(chosen.data()) if chosen is not None else None

    def choose_format(
        self,
        parent: QWidget | None,
        title: str,
        formats: list[str],
        question: str = "Format:",
        descriptions: dict[str, str] | None = None,
    ) -> str | None:
        """One of `formats`, chosen from the list (each with what it is) or typed (its
        beginning is enough)."""
        shown = [f"{n} — {descriptions[n]}" if descriptions and n in descriptions else n
                 for n in formats]  # fmt: skip
        dialog = QInputDialog(parent)
        dialog.setWindowTitle(title)
        dialog.setLabelText(question)
        dialog.setComboBoxItems(shown)
        dialog.setComboBoxEditable(True)
        combo = dialog.findChild(QComboBox)
        if combo is not None:  # typed names stay as typed: one Enter accepts, no completion
            combo.setCompleter(None)  # type: ignore[arg-type]  # Qt takes nullptr
        if not dialog.exec():
            return None
        return one_of(dialog.textValue().split(" — ")[0], formats)

    def choose_encoding(
        self, parent: QWidget | None, problem: str, encodings: list[str]
    ) -> str | None:
        """Which encoding a text file is in: one of the list, or any name typed in."""
        name, ok = QInputDialog.getItem(
            parent, "Which encoding?", f"{problem}.\n\nRead the file as:", encodings, 0, True
        )
        chosen = name.split(" ")[0].strip() if ok else ""
        return chosen or None
