"""Starting the window: the QApplication, the database, the annotator, the screenshot mode."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from db.errors import SpanwiseError
from db.store import Store, default_annotator_name
from desktop.session import ANNOTATOR_SETTING, current_annotator, open_store
from desktop.widgets.dialogs import Dialogs
from desktop.window.fast_start import ensure_app
from desktop.window.main_window import MainWindow


def create_window(database: str, annotator: str, settings: QSettings | None = None) -> MainWindow:
    """The main window on a database file (created if missing), without an event loop."""
    ensure_app()
    store = open_store(Path(database))
    return MainWindow(store, current_annotator(store, annotator), settings)


class WindowKeeper:
    """Holds the open window, and replaces it when the user switches database."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self._watch(window)

    def _watch(self, window: MainWindow) -> None:
        window.databaseSwitchRequested.connect(self.switch)
        window.restoreRequested.connect(self.restore)

    def restore(self, backup: str) -> None:
        """Close the database, put the backup in its place, open it again."""
        from db.storage.backups import restore_backup

        old = self.window
        path = old.store.path
        old.save_settings()
        old.store.close()
        try:
            restore_backup(path, backup)
        except SpanwiseError as exc:
            old.dialogs.error(old, "Backup not restored", str(exc))
        self.switch(str(path))

    def switch(self, path: str, schema_text: str = "") -> None:
        """Close the window and open another database in a new one."""
        old = self.window
        try:
            store = open_store(Path(path), schema_text or None)
        except SpanwiseError as exc:
            old.dialogs.error(old, "Cannot open database", str(exc))
            return
        new = MainWindow(store, current_annotator(store, old.annotator), old.settings, old.dialogs)
        self._watch(new)
        self.window = new
        new.show()
        old.close()
        old.store.close()
        old.deleteLater()


def run_gui(
    database: Path | None,
    annotator: str | None,
    screenshot: Path | None,
    schema_text: str | None = None,
) -> int:
    """Open the window and run the event loop until it closes; the exit code."""
    app = ensure_app()
    if screenshot is not None:
        return _screenshot(app, open_store(database, schema_text), annotator, screenshot)
    keeper = start_window(database, annotator, schema_text)
    keeper.window.show()
    code = app.exec()
    keeper.window.store.close()
    return code


def start_window(
    database: Path | None,
    annotator: str | None,
    schema_text: str | None = None,
    settings: QSettings | None = None,
) -> WindowKeeper:
    """The window on its database, not shown yet (the annotator asked for if none is known)."""
    try:
        store = open_store(database, schema_text)
    except SpanwiseError as exc:  # started from a desktop icon, nobody reads stderr
        Dialogs().error(None, "Spanwise cannot open the database", str(exc))
        raise
    if annotator is None and store.setting(ANNOTATOR_SETTING) is None:
        annotator = Dialogs().ask_annotator(None, default_annotator_name())
    return WindowKeeper(MainWindow(store, current_annotator(store, annotator), settings))


def _screenshot(app: QApplication, store: Store, annotator: str | None, target: Path) -> int:
    """Render the window at a fixed size, untouched by (and not touching) the user's settings."""
    with tempfile.TemporaryDirectory() as folder:
        settings = QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(store, current_annotator(store, annotator), settings)
        window.resize(1440, 860)
        window.show()
        app.processEvents()
        window.article.refresh_highlights()
        saved = window.grab().save(str(target))
        window.close()
    store.close()
    if not saved:
        raise SpanwiseError(f"{target}: cannot write the screenshot")
    return 0
