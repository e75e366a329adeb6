"""Window fixtures: a real MainWindow on a temporary database, with dialogs that answer at once."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings
from PySide6.QtWidgets import QWidget

from db.records import EntityData
from desktop.app import create_window
from desktop.widgets.dialogs import Dialogs
from desktop.window.main_window import MainWindow
from seeds import seed_paths


def _parent_ok(parent: object) -> None:
    """A real dialog takes a QWidget or None as its parent; anything else (a QObject helper
    like FileMenu) is a TypeError in the real window, so it must fail here too."""
    assert parent is None or isinstance(parent, QWidget), f"dialog parent {parent!r}"


class AnsweringDialogs(Dialogs):
    """Answers the window's questions from queues and records what it reported; checks every
    parent as the real dialogs would (tests/desktop/test_real_dialogs.py opens the real ones)."""

    def __init__(self) -> None:
        self.files: list[list[str]] = []
        self.folders: list[str | None] = []
        self.save_paths: list[str | None] = []
        self.errors: list[tuple[str, str]] = []
        self.infos: list[tuple[str, str]] = []
        self.confirmations: list[str] = []
        self.confirm_answer = True
        self.entity_answers: list[tuple[str | None, str] | None] = []
        self.roles: list[str | None] = []
        self.role_menus: list[tuple[list[str], QPoint]] = []
        self.texts: list[str | None] = []
        self.databases: list[str | None] = []
        self.formats: list[str] = []
        self.format_questions: list[tuple[str, list[str]]] = []
        self.encodings: list[str | None] = []
        self.encoding_questions: list[tuple[str, list[str]]] = []

    def open_files(self, parent: QWidget, title: str, filters: str) -> list[str]:
        _parent_ok(parent)
        return self.files.pop(0) if self.files else []

    def open_folder(self, parent: QWidget, title: str) -> str | None:
        _parent_ok(parent)
        return self.folders.pop(0) if self.folders else None

    def save_file(self, parent: QWidget, title: str, suggested: str, filters: str) -> str | None:
        _parent_ok(parent)
        return self.save_paths.pop(0) if self.save_paths else None

    def choose_database(self, parent: QWidget) -> str | None:
        _parent_ok(parent)
        return self.databases.pop(0) if self.databases else None

    def ask_annotator(self, parent: QWidget | None, default: str) -> str | None:
        _parent_ok(parent)
        return default

    def error(self, parent: QWidget | None, title: str, message: str) -> None:
        _parent_ok(parent)
        self.errors.append((title, message))

    def info(self, parent: QWidget | None, title: str, message: str) -> None:
        _parent_ok(parent)
        self.infos.append((title, message))

    def confirm(self, parent: QWidget | None, title: str, message: str) -> bool:
        _parent_ok(parent)
        self.confirmations.append(message)
        return self.confirm_answer

    def ask_text(self, parent: QWidget | None, title: str, label: str, default: str) -> str | None:
        _parent_ok(parent)
        return self.texts.pop(0) if self.texts else None

    def choose_entity(
        self, parent: QWidget | None, entities: list[EntityData], suggested: str
    ) -> tuple[str | None, str] | None:
        """Answers by entity *name* for readable tests: (name, None) picks an existing one."""
        _parent_ok(parent)
        answer = self.entity_answers.pop(0) if self.entity_answers else None
        if answer is None:
            return None
        name, _ = answer
        existing = next((e for e in entities if e.name == name), None)
        return (existing.id, name) if existing else (None, name)

    def choose_role(self, parent: QWidget | None, roles: list[str], at: QPoint) -> str | None:
        _parent_ok(parent)
        self.role_menus.append((roles, at))
        return self.roles.pop(0) if self.roles else None

    def choose_format(
        self,
        parent: QWidget | None,
        title: str,
        formats: list[str],
        question: str = "Format:",
        descriptions: dict[str, str] | None = None,
    ) -> str | None:
        _parent_ok(parent)
        self.format_questions.append((question, formats))
        return self.formats.pop(0) if self.formats else None

    def choose_encoding(
        self, parent: QWidget | None, problem: str, encodings: list[str]
    ) -> str | None:
        _parent_ok(parent)
        self.encoding_questions.append((problem, encodings))
        return self.encodings.pop(0) if self.encodings else None


WindowFactory = Callable[..., MainWindow]


@pytest.fixture
def make_window(qtbot, tmp_path: Path) -> Iterator[WindowFactory]:
    """Build windows on tmp_path databases; texts are imported first when given."""
    windows: list[MainWindow] = []

    def make(
        texts: dict[str, str] | None = None,
        seed: bool = False,
        database: Path | None = None,
        annotator: str = "ana",
        focus_article: bool = True,
    ) -> MainWindow:
        db_path = database or tmp_path / "spanwise.db"
        folder = tmp_path / "texts"
        folder.mkdir(exist_ok=True)
        paths: list[Path] = list(seed_paths()) if seed else []
        for name, text in (texts or {}).items():
            path = folder / name
            path.write_bytes(text.encode("utf-8"))
            paths.append(path)
        if paths:
            from db.store import Store

            store = Store(db_path)
            store.import_texts(paths)
            store.close()
        settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        window = create_window(str(db_path), annotator, settings)
        window.dialogs = AnsweringDialogs()
        qtbot.addWidget(window)
        with qtbot.waitActive(window):
            window.show()
            window.activateWindow()
        if focus_article:  # otherwise the focus is where the window itself puts it
            window.article.setFocus()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
        window.store.close()


# The X11 suite needs a real X server and Qt's xcb platform (`make x11`); the headless run
# leaves it out (and `make test` says so loudly when it cannot run it).
collect_ignore_glob = [] if os.environ.get("QT_QPA_PLATFORM") == "xcb" else ["x11/*"]
