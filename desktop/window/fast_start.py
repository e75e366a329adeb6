"""The `spanwise` command's entry point: the article on screen as fast as a bare Qt window.

Loading the whole program before the first paint costs more than the window itself
(SQLAlchemy alone takes a tenth of a second to import). So a plain window start paints the
last open document first, from a plain sqlite3 read (db/storage/first_paint.py), in a read-only
view; right after that paint the store and the full window load, take the view's place, and
apply any key the user pressed meanwhile: nothing is edited before it can be saved, and no
key is lost. Every other command, and any start the first paint cannot serve (a new or
older database, no annotator known yet, --schema), goes through desktop/cli/main.py as before.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QKeyCombination,
    QObject,
    QPoint,
    QSettings,
    Qt,
    QTimer,
)
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter, QWidget

from db import __version__
from db.errors import SpanwiseError
from db.storage.first_paint import FirstPaint, read_first_paint
from desktop.document.open_document import FIRST_ROWS, FIRST_SCREENS, OpenDocument
from desktop.identity import APP_ID, APP_NAME, ORGANISATION, default_database_path
from desktop.widgets.app_icon import application_icon
from desktop.widgets.article_view import ArticleView

if TYPE_CHECKING:
    from desktop.app import WindowKeeper
    from desktop.window.main_window import MainWindow

# Keys a read-only view handles itself (moving, selecting, copying): everything else waits.
_MOVING = {
    Qt.Key.Key_Left,
    Qt.Key.Key_Right,
    Qt.Key.Key_Up,
    Qt.Key.Key_Down,
    Qt.Key.Key_PageUp,
    Qt.Key.Key_PageDown,
    Qt.Key.Key_Home,
    Qt.Key.Key_End,
    Qt.Key.Key_Shift,
    Qt.Key.Key_Control,
    Qt.Key.Key_Alt,
    Qt.Key.Key_Meta,
}
_READING = (QKeySequence.StandardKey.Copy, QKeySequence.StandardKey.SelectAll)
ARTICLE_TOP = "window/articleTop"  # the article's top in the full window (pixels)


def ensure_app() -> QApplication:
    """The QApplication, made once with Spanwise's name and icon."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)  # Wayland matches the window to the launcher entry by it
    app.setWindowIcon(application_icon())
    return app


def last_document_key(database: Path) -> str:
    """The QSettings key of the document last open on this database file."""
    digest = hashlib.sha1(str(database.resolve()).encode()).hexdigest()[:12]
    return f"lastDocument/{digest}"


@dataclass(frozen=True)
class WindowRequest:
    """A plain window start: `spanwise [--db FILE] [--annotator NAME] [gui [--screenshot PNG]]`."""

    database: Path | None = None
    annotator: str | None = None
    screenshot: Path | None = None


def window_request(argv: Sequence[str]) -> WindowRequest | None:
    """The start the first paint can serve, or None for anything else (desktop/cli/main.py then
    parses, checks and runs it)."""
    values: dict[str, str] = {}
    command = None
    tokens = list(argv)
    while tokens:
        token = tokens.pop(0)
        if token == "gui" and command is None:
            command = token
            continue
        name, equals, value = token.partition("=")
        if name not in ("--db", "--annotator", "--screenshot") or name in values:
            return None
        if name == "--screenshot" and command is None:
            return None
        if not equals:
            if not tokens or tokens[0].startswith("-"):
                return None
            value = tokens.pop(0)
        values[name] = value
    return WindowRequest(
        Path(values["--db"]).expanduser() if "--db" in values else None,
        values.get("--annotator"),
        Path(values["--screenshot"]) if "--screenshot" in values else None,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """The `spanwise` command: paint the last article first, then load the rest; the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    request = window_request(args)
    if request is not None:
        from desktop.cli.display_check import require_display_libraries

        try:
            require_display_libraries()  # before Qt loads its platform (cli.py says why)
        except SpanwiseError:
            request = None  # the command line says it in its one line
    if request is not None:
        start = PaintedStart(request)
        if start.first is not None:
            return start.run()
    from desktop.cli.main import main as command_line

    return command_line(args)


@dataclass(frozen=True)
class HeldKey:
    """A key pressed before the window could save an edit, with the selection it was for."""

    key: int
    modifiers: Qt.KeyboardModifier
    text: str
    selection: tuple[int, int] | None
    caret: int


class FirstPaintWindow(QMainWindow):
    """The article as the window will show it, read-only, while the store loads. Keys that
    would change something are held (see HeldKey) and handed to the full window."""

    def __init__(self, first: FirstPaint, settings: QSettings | None) -> None:
        super().__init__()
        self.setObjectName("firstPaintWindow")
        self.setAccessibleName("Spanwise")
        title = first.document.title
        title = title if len(title) <= 60 else title[:59] + "…"
        self.setWindowTitle(f"{title} — {first.annotator} — Spanwise")
        self.doc = OpenDocument(None, first.annotator, self)
        self.article = ArticleView(self.doc, first.labels, first.link_types)
        self.doc.preview(first.document, list(first.annotations))
        self.held: list[HeldKey] = []
        self.painted = False
        self.closed = False
        # the article where the full window will have it: its panes' sizes, empty for now
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("mainSplitter")
        for widget in (QWidget(), self.article, QWidget()):
            splitter.addWidget(widget)
        splitter.setSizes([260, 620, 560])
        self.setCentralWidget(splitter)
        self.resize(1440, 860)
        if settings is not None:  # a screenshot uses none: neither will its window
            # below the menus and the toolbar, as the full window had it at the last start
            top = str(settings.value(ARTICLE_TOP, "0"))
            splitter.setContentsMargins(0, min(int(top), 200) if top.isdigit() else 0, 0, 0)
            state, geometry = settings.value("window/splitter"), settings.value("window/geometry")
            if isinstance(state, QByteArray):
                splitter.restoreState(state)
            if isinstance(geometry, QByteArray):
                self.restoreGeometry(geometry)
        self.statusBar().showMessage("Opening the database…")
        self.article.installEventFilter(self)
        self.article.viewport().installEventFilter(self)
        self.article.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Note the article's first paint, and hold keys typed before the window is ready."""
        if event.type() == QEvent.Type.Paint and watched is self.article.viewport():
            self.painted = True
        elif (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and watched is self.article
            and self._holds(event)
        ):
            self._hold(event)
            return True
        return super().eventFilter(watched, event)

    def _holds(self, event: QKeyEvent) -> bool:
        if event.key() in _MOVING or any(event.matches(k) for k in _READING):
            return False
        return event.key() != Qt.Key.Key_unknown

    def _hold(self, event: QKeyEvent) -> None:
        self.held.append(
            HeldKey(
                event.key(),
                event.modifiers(),
                event.text(),
                self.article.selected_span(),
                self.article.cursor_offset(),
            )
        )
        self.statusBar().showMessage(
            "Opening the database: the keys you press are applied as soon as it is open"
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        """Remember that the user closed the first paint, so the full window is not shown."""
        self.closed = True
        super().closeEvent(event)


class PaintedStart:
    """A window start in two steps: paint (sqlite3 and Qt only), then load (the rest)."""

    def __init__(self, request: WindowRequest, settings: QSettings | None = None) -> None:
        self.request = request
        self.settings = settings
        self.database = request.database or default_database_path()
        last = None
        if request.screenshot is None:  # a screenshot shows the first document
            last = self._settings().value(last_document_key(self.database))
        self.first = read_first_paint(
            self.database,
            request.annotator,
            str(last) if last else None,
            FIRST_SCREENS,
            FIRST_ROWS,
        )
        self.window: FirstPaintWindow | None = None
        self.keeper: WindowKeeper | None = None
        self.code = 0
        self._loading = False
        self._running = False

    def _settings(self) -> QSettings:
        if self.settings is None:
            self.settings = QSettings(ORGANISATION, APP_NAME)
        return self.settings

    def paint(self, when_painted: Callable[[], None] | None = None) -> FirstPaintWindow:
        """Show the first paint; `when_painted` runs once it has painted (or soon anyway,
        should the window system never expose it)."""
        assert self.first is not None
        ensure_app()
        settings = self._settings() if self.request.screenshot is None else None
        window = self.window = FirstPaintWindow(self.first, settings)
        if when_painted is not None:
            watcher = _PaintWatcher(window, when_painted)
            window.article.viewport().installEventFilter(watcher)
            QTimer.singleShot(1000, watcher.fire)
        window.show()
        return window

    def run(self) -> int:
        """The whole start: paint, load right after the paint, run until the window closes."""
        app = ensure_app()
        self.paint(self.load)
        self._running = True
        code = app.exec()
        if self.keeper is not None:
            self.keeper.window.store.close()
        return self.code or code

    def load(self) -> None:
        """Open the store and the full window, hand over what the user did, close the first
        paint (on an error: one line, exit 2)."""
        if self._loading:
            return
        self._loading = True
        app = ensure_app()
        try:
            self.code = self._load()
        except SpanwiseError as exc:
            from db.text.plain import shown

            print(f"spanwise: {shown(exc)}", file=sys.stderr)
            self.code = 2
        if self.window is not None and self.keeper is None:
            self.window.close()
            if self._running:  # exit() before exec() would end the next event loop at once
                app.exit(self.code)

    def _load(self) -> int:
        assert self.window is not None
        request = self.request
        if request.screenshot is not None:
            from desktop.app import run_gui

            return run_gui(request.database, request.annotator, request.screenshot)
        from desktop.app import start_window

        keeper = start_window(request.database, request.annotator, None, self.settings)
        QApplication.processEvents()  # input sent meanwhile reaches the first paint, held
        if self.window.closed:  # closed before the window was ready: nothing to show
            keeper.window.store.close()
            return 0
        self.keeper = keeper
        hand_over(self.window, keeper.window)
        return 0


class _PaintWatcher(QObject):
    """Runs its action once, after the first paint of the viewport it watches."""

    def __init__(self, window: FirstPaintWindow, action: Callable[[], None]) -> None:
        super().__init__(window)
        self.action: Callable[[], None] | None = action

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.action is not None:
            QTimer.singleShot(0, self.fire)  # after this paint reaches the screen
        return False

    def fire(self) -> None:
        action, self.action = self.action, None
        if action is not None:
            action()


def hand_over(first: FirstPaintWindow, window: MainWindow) -> None:
    """The full window takes the first paint's place: same place on screen, same selection,
    and the keys held meanwhile applied, in order, to what was selected for each."""
    window.restoreGeometry(first.saveGeometry())
    same = window.doc.document_id == first.doc.document_id
    window.show()
    # where the article starts below the menus and the toolbar: the next first paint puts
    # it there too, so the text does not move when the window takes its place
    window.settings.setValue(ARTICLE_TOP, window.article.mapTo(window, QPoint(0, 0)).y())
    window.activateWindow()
    window.article.setFocus()
    if same:
        window.doc.ensure_complete()
        for held in first.held:
            _select(window.article, held.selection, held.caret)
            _press(window, held)
        _select(window.article, first.article.selected_span(), first.article.cursor_offset())
        bar = first.article.verticalScrollBar()
        window.article.verticalScrollBar().setValue(bar.value())
    if first.held:
        count = len(first.held)
        keys = "key" if count == 1 else "keys"
        window.show_message(
            f"Applied the {count} {keys} pressed while the database was opening."
            if same
            else f"The {count} {keys} pressed while the database was opening were not applied:"
            " the window opened another document."
        )
    first.held.clear()
    first.close()


def _press(window: MainWindow, held: HeldKey) -> None:
    """What the key does in the article: the action it is a shortcut of (the article's own
    first, as Qt's shortcut contexts would choose), else the key itself."""
    sequence = QKeySequence(QKeyCombination(held.modifiers, Qt.Key(held.key)))
    for action in [*window.article.actions(), *window.actions()]:
        if action.isEnabled() and sequence in action.shortcuts():
            action.trigger()
            return
    press = QKeyEvent(QEvent.Type.KeyPress, held.key, held.modifiers, held.text)
    QApplication.sendEvent(window.article, press)


def _select(article: ArticleView, selection: tuple[int, int] | None, caret: int) -> None:
    if selection is not None:
        article.select_span(*selection)
    else:
        article.place_cursor(caret)


if __name__ == "__main__":
    sys.exit(main())
