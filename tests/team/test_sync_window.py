"""File > Sync and the status bar, with real widgets on a real PostgreSQL: the sync runs
beside the window (its event loop keeps turning), what it pulls appears, what waits is
counted, and an unreachable server is said quietly unless the user asked."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from db.store import Store
from db.team.manage import Manager
from db.team.sync import sync
from tests.team.conftest import MakeProject, Project

ARTICLE = "Ana Alves said the bridge would open in May. “We are ready,” she told reporters."


@pytest.fixture
def team(make_project: MakeProject, texts) -> Project:  # type: ignore[no-untyped-def]
    project = make_project(("ana",))
    with Manager(project.manager) as manager:
        manager.publish(texts(ARTICLE))
        manager.assign(["ana"])
    return project


def _sync_and_wait(qtbot, window, trigger) -> bool:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.team.finished, timeout=30_000) as blocker:
        trigger()
    return bool(blocker.args[0])


def test_file_sync_asks_the_address_once_then_pulls_the_documents(qtbot, make_window, team):
    window = make_window()
    assert not window.team.label.isVisible()  # no team server: nothing to say
    assert window.document_model.rowCount() == 0
    window.dialogs.texts.append(team.address("ana"))
    turns = []
    QTimer.singleShot(0, lambda: turns.append(threading.get_ident()))
    sync_threads = []
    window.team.started.connect(lambda: sync_threads.append(window.team.worker))
    assert _sync_and_wait(qtbot, window, window.actions_by_name["sync"].trigger)
    assert turns == [threading.get_ident()]  # the window's loop turned while it synced
    assert sync_threads and sync_threads[0] is not None
    assert window.document_model.rowCount() == 1  # the assigned document arrived
    assert window.team.label.text().startswith("Last sync ")
    assert window.team.label.text().endswith("nothing waiting")
    assert window.dialogs.errors == []
    # later syncs need no question
    assert _sync_and_wait(qtbot, window, window.actions_by_name["sync"].trigger)
    assert window.dialogs.texts == []


def test_the_status_bar_counts_what_waits_and_the_timer_sends_it(
    qtbot, make_window, team, tmp_path
):
    database = tmp_path / "ana.db"
    store = Store(database)
    sync(store, team.address("ana"))
    store.close()
    window = make_window(database=database)
    window.team.first.stop()
    window.open_row(0)
    window.article.select_span(0, 9)
    window.apply_label("Speaker")
    # the annotation, and the document's status (now in progress)
    assert window.team.label.text().endswith("2 changes waiting")
    window.undo()
    window.redo()
    assert window.team.label.text().endswith("2 changes waiting")  # the same records
    assert _sync_and_wait(qtbot, window, window.team.timer.timeout.emit)
    assert window.team.label.text().endswith("nothing waiting")
    with team.connect() as manager:
        assert manager.execute("SELECT label FROM spanwise.annotation").fetchall() == [("Speaker",)]


def test_an_unreachable_server_is_said_quietly_unless_asked(qtbot, make_window, team, tmp_path):
    database = tmp_path / "ana.db"
    store = Store(database)
    sync(store, team.address("ana"))
    unreachable = team.address("ana").replace(str(team.cluster.port), "1")
    store.set_setting("team_server", unreachable)
    store.close()
    window = make_window(database=database)
    window.team.first.stop()
    assert not _sync_and_wait(qtbot, window, window.team.timer.timeout.emit)
    assert window.dialogs.errors == []  # automatic: no dialog
    assert window.team.label.text().startswith("Server not reached (last sync ")
    assert "cannot reach the team server" in window.team.label.toolTip()
    window.open_row(0)  # the window works as ever
    window.article.select_span(0, 9)
    window.apply_label("Speaker")
    assert window.team.label.text().endswith("2 changes waiting")
    assert not _sync_and_wait(qtbot, window, window.actions_by_name["sync"].trigger)
    [(title, message)] = window.dialogs.errors
    assert title == "Sync failed" and "cannot reach the team server" in message
    assert "\n" not in message


def test_the_window_becomes_the_teams_annotator(qtbot, make_window, team, tmp_path: Path):
    window = make_window(annotator="someone-else")
    window.dialogs.texts.append(team.address("ana"))
    assert _sync_and_wait(qtbot, window, window.team.sync_now)
    assert window.annotator == "ana"
    assert " — ana — " in window.windowTitle()
