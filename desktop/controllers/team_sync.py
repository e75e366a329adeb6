"""File > Sync, the automatic sync every few minutes, and the status bar's word on both.

A sync runs on a thread of its own with its own connection to the database, so the window
never waits for the network: the user keeps annotating, and what the sync pulled shows up
when it is done (the window notices the database changed, as it does for another window's
edits). Offline, an automatic sync fails quietly and the status bar says what is waiting;
only a sync the user asked for reports its failure in a dialog.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import QLabel

from db.errors import SpanwiseError
from db.store import Store
from db.text.messages import counted

if TYPE_CHECKING:
    from db.team.sync import SyncReport
    from desktop.controllers.window_face import WindowFace

SYNC_MINUTES = 3
ADDRESS_EXAMPLE = "postgresql://you@host/project"


class SyncThread(QThread):
    """One sync of the database file, on its own thread and its own connections."""

    succeeded = Signal(object)  # SyncReport
    failed = Signal(str)

    def __init__(self, path: str, address: str | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.address = address

    def run(self) -> None:
        """Sync on this thread, with a connection of its own; report when done."""
        from db.team.sync import sync

        try:
            store = Store(self.path)
        except SpanwiseError as exc:
            self.failed.emit(str(exc))
            return
        try:
            self.succeeded.emit(sync(store, self.address))
        except SpanwiseError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # a bug must not kill the window; say it in one line
            self.failed.emit(f"the sync failed: {type(exc).__name__}: {exc}")
        finally:
            store.close()


class TeamSync(QObject):
    """The window's link to the team server: sync on request and every few minutes."""

    started = Signal()
    finished = Signal(bool)  # succeeded

    def __init__(self, window: WindowFace, minutes: float = SYNC_MINUTES) -> None:
        super().__init__(window.qt)
        self.window = window
        self.worker: SyncThread | None = None
        self.asked = False  # the user asked for this sync (File > Sync): failures get a dialog
        self.problem = ""
        self._outcome = False
        self.label = QLabel()
        self.label.setObjectName("syncStatus")
        self.label.setAccessibleName("Team sync status")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        window.qt.statusBar().addPermanentWidget(self.label)
        self.timer = QTimer(self)
        self.timer.setObjectName("syncTimer")
        self.timer.setInterval(int(minutes * 60_000))
        self.timer.timeout.connect(self.sync_in_background)
        self.timer.start()
        window.undo_stack.indexChanged.connect(lambda _index: self.refresh_label())
        window.qt.installEventFilter(self)
        self.refresh_label()
        self.first = QTimer(self)  # soon after the window opens
        self.first.setObjectName("firstSyncTimer")
        self.first.setSingleShot(True)
        self.first.setInterval(2_000)
        self.first.timeout.connect(self.sync_in_background)
        if self.linked:
            self.first.start()

    @property
    def store(self) -> Store:
        """The window's store."""
        return self.window.store

    @property
    def linked(self) -> bool:
        """Whether this database is linked to a team server."""
        from db.team.link import linked_server  # psycopg loads only for a linked database

        return linked_server(self.store) is not None

    @property
    def running(self) -> bool:
        """Whether a sync is running now."""
        return self.worker is not None

    # -- starting -----------------------------------------------------------------------------

    def sync_now(self) -> None:
        """File > Sync: now, asking for the server's address the first time."""
        address = None
        if not self.linked:
            address = self.window.dialogs.ask_text(
                self.window.qt,
                "Sync with the team server",
                "Address of the team's PostgreSQL server, for example\n"
                f"{ADDRESS_EXAMPLE}\n(the password comes from your ~/.pgpass file, never "
                "from Spanwise):",
                "",
            )
            if address is None:
                return
            if not address.strip() or address.strip() == ADDRESS_EXAMPLE:
                self.window.show_message(
                    "No server address given: nothing was synced (ask your manager for it)."
                )
                return
        self._start(address, asked=True)

    def sync_in_background(self) -> None:
        """The timer's sync: only for a linked database, never over a running one."""
        if self.linked and not self.running:
            self._start(None, asked=False)

    def _start(self, address: str | None, asked: bool) -> None:
        if self.running:
            self.asked = self.asked or asked
            self.window.show_message("A sync is already running.")
            return
        self.asked = asked
        self.worker = SyncThread(str(self.store.path), address, self)
        self.worker.succeeded.connect(self._succeeded)
        self.worker.failed.connect(self._failed)
        self.worker.finished.connect(self._ended)
        self.label.setText("Syncing…")
        self.label.show()
        self.started.emit()
        self.worker.start()

    # -- ending -------------------------------------------------------------------------------

    def _succeeded(self, report: SyncReport) -> None:
        self.problem = ""
        window = self.window
        if report.role == "annotator" and report.name != window.annotator:
            window.set_annotator(report.name)  # on the team, this is who you are
        window.notice_outside_changes()
        window.show_message(report.describe())
        self._outcome = True

    def _failed(self, message: str) -> None:
        self.problem = message
        if self.asked:
            self.window.dialogs.error(self.window.qt, "Sync failed", message)
        self._outcome = False

    def _ended(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.deleteLater()
        self.refresh_label()
        self.finished.emit(self._outcome)

    def refresh_label(self) -> None:
        """ "Last sync 14:02 · 3 changes waiting", or why the server was not reached."""
        if self.running:
            return
        if not self.linked:
            self.label.hide()
            return
        from db.team.link import last_sync
        from db.team.sync import waiting_count

        try:
            waiting, last = waiting_count(self.store), last_sync(self.store)
        except SpanwiseError:
            return
        when = "never synced" if last is None else f"last sync {_local_time(last)}"
        what = "nothing waiting" if not waiting else f"{counted(waiting, 'change')} waiting"
        text = f"{when} · {what}"
        if self.problem:
            text = f"server not reached ({when}) · {what}"
            self.label.setToolTip(self.problem)
        else:
            self.label.setToolTip("Syncs every few minutes when the server answers (File > Sync)")
        self.label.setText(text[0].upper() + text[1:])
        self.label.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Closing the window waits for a running sync (it is never cut mid-way by us)."""
        if watched is self.window and event.type() == QEvent.Type.Close and self.worker:
            self.timer.stop()
            self.worker.wait()
        return False


def _local_time(stamp: str) -> str:
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return stamp
    return moment.strftime("%H:%M")
