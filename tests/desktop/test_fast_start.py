"""The start as a user meets it: the last article on screen at once (before the store and
SQLAlchemy have loaded), then the full window in its place, with nothing typed meanwhile
lost and nothing edited before it could be saved."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QColor

from db.store import Store
from desktop.widgets.article_view import ArticleView
from desktop.window.fast_start import PaintedStart, WindowRequest, last_document_key, main

ROOT = Path(__file__).resolve().parents[2]
STORY = "Maria said: “We stay 🚩 here.”\r\nThe café (cafe\u0301) opened again on Monday.\n"


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "spanwise.db"
    first = tmp_path / "first.txt"
    first.write_text("The first article in the list.", encoding="utf-8")
    story = tmp_path / "story.txt"
    story.write_bytes(STORY.encode("utf-8"))
    store = Store(path)
    store.import_texts([first, story])
    doc_id = next(d.id for d in store.documents("ana") if d.source == "story.txt")
    store.add_annotation(doc_id, "ana", "Speaker", 0, 5)
    store.add_annotation(doc_id, "ana", "Event", STORY.index("opened"), STORY.index(" again"))
    store.set_setting("current_annotator", "ana")
    store.close()
    return path


def _settings(tmp_path: Path, database: Path) -> QSettings:
    """Settings where the story was the last open document."""
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    store = Store(database)
    doc_id = next(d.id for d in store.documents("ana") if d.source == "story.txt")
    store.close()
    settings.setValue(last_document_key(database), doc_id)
    return settings


def _highlights(view: ArticleView) -> set[tuple[int, int, str]]:
    return {
        (
            s.cursor.selectionStart(),
            s.cursor.selectionEnd(),
            s.format.background().color().name(QColor.NameFormat.HexArgb),
        )
        for s in view.extraSelections()
    }


def _start(tmp_path: Path, database: Path, qtbot) -> PaintedStart:
    start = PaintedStart(WindowRequest(database), _settings(tmp_path, database))
    window = start.paint()
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    return start


def test_the_last_article_is_painted_with_its_highlights_before_the_store_loads(
    tmp_path, database, qtbot
):
    start = _start(tmp_path, database, qtbot)
    first = start.window
    assert first is not None
    qtbot.waitUntil(lambda: first.painted)
    assert first.article.toPlainText() == STORY.replace("\r\n", "\n")
    assert first.statusBar().currentMessage() == "Opening the database…"
    painted = _highlights(first.article)
    assert len(painted) == 2
    start.load()
    assert start.keeper is not None
    window = start.keeper.window
    qtbot.addWidget(window)
    assert not first.isVisible() and window.isVisible()
    assert window.doc.text == STORY
    assert _highlights(window.article) == painted  # the same colours where they were
    top = window.article.mapTo(window, QPoint(0, 0)).y()  # below the menus and the toolbar
    window.close()
    window.store.close()
    again = PaintedStart(WindowRequest(database), start.settings).paint()  # the next start
    qtbot.addWidget(again)
    qtbot.waitExposed(again)
    assert again.article.mapTo(again, QPoint(0, 0)).y() == top  # the text will not jump down


def test_a_label_key_pressed_before_the_store_is_ready_is_applied_once_it_is(
    tmp_path, database, qtbot
):
    start = _start(tmp_path, database, qtbot)
    first = start.window
    assert first is not None
    quote = (STORY.index("“"), STORY.index("\r\n"))
    first.article.select_span(*quote)
    qtbot.keyClick(first.article, Qt.Key.Key_1)  # Quote: the store is not open yet
    assert "applied as soon as it is open" in first.statusBar().currentMessage()
    assert first.article.toPlainText() == STORY.replace("\r\n", "\n")  # nothing changed
    start.load()
    assert start.keeper is not None
    window = start.keeper.window
    qtbot.addWidget(window)
    quotes = [r for r in window.doc.records() if r.label == "Quote"]
    assert [(r.start, r.end) for r in quotes] == [quote]
    saved = window.store.annotations(window.doc.document_id or "", "ana")
    assert any(r.label == "Quote" and (r.start, r.end) == quote for r in saved)
    assert window.statusBar().currentMessage() == (
        "Applied the 1 key pressed while the database was opening."
    )
    assert window.undo_stack.count() == 1  # and it can be undone like any edit
    window.close()
    window.store.close()


def test_closing_the_first_paint_before_the_store_is_ready_ends_the_start(
    tmp_path, database, qtbot
):
    start = _start(tmp_path, database, qtbot)
    assert start.window is not None
    start.window.close()
    start.load()
    assert start.keeper is None and start.code == 0


def test_an_empty_or_new_database_starts_the_ordinary_way(tmp_path):
    empty = tmp_path / "empty.db"
    Store(empty).close()
    assert PaintedStart(WindowRequest(empty)).first is None  # the welcome pane, by the store
    assert PaintedStart(WindowRequest(tmp_path / "new.db")).first is None
    assert not (tmp_path / "new.db").exists()


def test_other_commands_go_to_the_command_line(capsys):
    assert main(["formats"]) == 0
    assert "brat" in capsys.readouterr().out
    assert main(["--db"]) == 2  # refused by the command line's parser, in its one line
    assert "--db" in capsys.readouterr().err


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )


def test_the_article_paints_before_sqlalchemy_is_loaded(database):
    script = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from pathlib import Path\n"
        "from desktop.window.fast_start import PaintedStart, WindowRequest\n"
        f"request = WindowRequest(Path({str(database)!r}), 'ana', Path('x.png'))\n"
        "window = PaintedStart(request).paint()\n"
        "QApplication.processEvents()\n"
        "print(window.painted, window.article.toPlainText()[:11])\n"
        "print(sorted(m for m in sys.modules if m.startswith(('sqlalchemy', 'db.store'))))\n"
    )
    result = _run("-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["True The first a", "[]"]


def test_the_screenshot_of_a_start_shows_the_full_window(tmp_path, database):
    png = tmp_path / "shot.png"
    result = _run(
        "-m", "desktop.window.fast_start", "--db", str(database), "gui", "--screenshot", str(png)
    )
    assert result.returncode == 0, result.stderr
    from PySide6.QtGui import QImage

    image = QImage(str(png))
    assert (image.width(), image.height()) == (1440, 860)


def _stays_open_and_opens_the_store(tmp_path: Path, database: Path, platform: str) -> str:
    from db.storage.backups import list_backups
    from tests.processes import SPANWISE, quiet_environment, stays_open, xvfb_run

    env = quiet_environment(tmp_path, QT_QPA_PLATFORM=platform)
    command = [SPANWISE, "--db", str(database)]
    if platform == "xcb":
        env.pop("DISPLAY", None)  # xvfb-run gives its own
        command = [xvfb_run(), "-a", *command]
    stderr = stays_open(command, env, cwd=tmp_path)
    assert list_backups(database), stderr  # past the first paint: the store opened it
    return stderr


def test_spanwise_on_a_database_in_use_paints_first_then_opens_and_stays_open(tmp_path, database):
    from tests.processes import OFFSCREEN_NOTES, assert_no_fault

    assert_no_fault(
        _stays_open_and_opens_the_store(tmp_path, database, "offscreen"), OFFSCREEN_NOTES
    )


@pytest.mark.x11
def test_spanwise_on_a_database_in_use_stays_open_on_a_real_x_server(tmp_path, database):
    from tests.processes import assert_no_fault

    assert_no_fault(_stays_open_and_opens_the_store(tmp_path, database, "xcb"))


def test_a_database_no_team_uses_opens_the_full_window_without_the_server_driver(database):
    """psycopg (80-100 ms to import) loads for a database linked to a team server only."""
    script = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from db.store import Store\n"
        "from desktop.window.main_window import MainWindow\n"
        f"window = MainWindow(Store({str(database)!r}), 'ana')\n"
        "window.show()\n"
        "app.processEvents()\n"
        "print(window.windowTitle() != '', 'psycopg' in sys.modules)\n"
    )
    result = _run("-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "True False"
