"""Automatic backups (db/storage/backups.py): one per day of use (the newest 7 kept), one
before each bulk operation, listed newest first, and restored safely."""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import db.storage.database
from db.errors import DatabaseProblem
from db.storage.backups import (
    KEEP,
    backup_before,
    daily_backup,
    list_backups,
    restore_backup,
)
from db.store import Store
from seeds import seed_paths
from tests.robust.helpers import dump, integrity

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "spanwise.db"
    store = Store(path)
    try:
        store.import_texts(seed_paths())
        [doc] = store.documents("ana")
        store.add_annotation(doc.id, "ana", "Quote", 0, 9, {"kind": "direct"}, note="first")
    finally:
        store.close()
    return path


def _notes(path: Path) -> list[str | None]:
    store = Store(path)
    try:
        [doc] = store.documents("ana")
        return [a.note for a in store.annotations(doc.id)]
    finally:
        store.close()


def _add_note(path: Path, note: str) -> None:
    store = Store(path)
    try:
        [doc] = store.documents("ana")
        store.add_annotation(doc.id, "ana", "Speaker", 10, 19, note=note)
    finally:
        store.close()


def test_a_daily_backup_is_a_database_that_opens_with_the_same_work(database: Path) -> None:
    backup = daily_backup(database, NOON)
    assert backup is not None
    assert backup.name == "spanwise.db.daily-20260302-120000.bak"
    assert integrity(backup) == ("ok", [])
    assert _notes(backup) == ["first"]


def test_one_daily_backup_per_day(database: Path) -> None:
    assert daily_backup(database, NOON) is not None
    _add_note(database, "later that day")
    assert daily_backup(database, NOON + timedelta(hours=3)) is None
    next_day = daily_backup(database, NOON + timedelta(days=1))
    assert next_day is not None
    assert _notes(next_day) == ["first", "later that day"]


def test_the_newest_seven_daily_backups_are_kept(database: Path) -> None:
    for day in range(10):
        daily_backup(database, NOON + timedelta(days=day))
    daily = [b for b in list_backups(database) if b.reason == "daily"]
    assert len(daily) == KEEP == 7
    assert [b.taken for b in daily] == [NOON + timedelta(days=d) for d in range(9, 2, -1)]


def test_no_database_no_daily_backup(tmp_path: Path) -> None:
    assert daily_backup(tmp_path / "missing.db", NOON) is None
    assert list_backups(tmp_path / "missing.db") == []


def test_a_backup_before_a_bulk_operation_never_overwrites_an_earlier_one(database: Path) -> None:
    first = backup_before(database, "import", NOON)
    _add_note(database, "imported")
    second = backup_before(database, "import", NOON)  # the same second
    assert first != second
    assert first.name == "spanwise.db.before-import-20260302-120000.bak"
    assert _notes(first) == ["first"]
    assert _notes(second) == ["first", "imported"]
    assert [b.path for b in list_backups(database)] == [second, first]  # newest first


def test_bulk_operation_backups_keep_seven_of_each_and_leave_the_others(database: Path) -> None:
    daily = daily_backup(database, NOON)
    upgrade = db.storage.backups.backup_file(database, "before-upgrade-0001", NOON)
    for minute in range(9):
        backup_before(database, "Accept all", NOON + timedelta(minutes=minute))
    backup_before(database, "delete all", NOON)
    reasons = [b.reason for b in list_backups(database)]
    assert reasons.count("before-accept-all") == KEEP
    assert reasons.count("before-delete-all") == 1
    assert daily is not None and daily.exists() and upgrade.exists()


def test_a_backup_taken_while_the_database_is_open_holds_the_latest_edit(database: Path) -> None:
    store = Store(database)
    try:
        [doc] = store.documents("ana")
        store.add_annotation(doc.id, "ana", "Cue", 20, 25, note="not checkpointed yet")
        backup = backup_before(database, "import")
    finally:
        store.close()
    assert _notes(backup) == ["first", "not checkpointed yet"]


def test_list_backups_is_newest_first_and_ignores_other_files(database: Path) -> None:
    older = backup_before(database, "import", NOON)
    newer = daily_backup(database, NOON + timedelta(days=1))
    for stray in ("other.db.daily-20260302-120000.bak", "spanwise.db.notes.txt", "spanwise.db.bak"):
        (database.parent / stray).write_text("x", encoding="utf-8")
    assert [b.path for b in list_backups(database)] == [newer, older]


def test_a_failed_backup_leaves_no_half_file(
    database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_connect = sqlite3.connect

    class FullDisk:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self.connection = real_connect(*args, **kwargs)

        def backup(self, target: Any) -> None:
            raise sqlite3.OperationalError("database or disk is full")

        def close(self) -> None:
            self.connection.close()

    monkeypatch.setattr(db.storage.database.sqlite3, "connect", FullDisk)
    with pytest.raises(DatabaseProblem, match="could not make a backup.*disk is full"):
        backup_before(database, "import", NOON)
    assert list_backups(database) == []
    with pytest.raises(DatabaseProblem, match="no database to back up"):
        backup_before(database.with_name("missing.db"), "import")


# -- restoring ---------------------------------------------------------------------------------


def test_restore_puts_the_backup_back_and_keeps_what_it_replaced(database: Path) -> None:
    backup = backup_before(database, "import", NOON)
    _add_note(database, "regretted")
    saved = restore_backup(database, backup)
    assert _notes(database) == ["first"]
    assert saved is not None and saved.name.startswith("spanwise.db.before-restore-")
    assert _notes(saved) == ["first", "regretted"]
    assert integrity(database) == ("ok", [])


def test_restore_over_a_damaged_database_keeps_its_bytes(database: Path) -> None:
    backup = backup_before(database, "import", NOON)
    damaged = b"SQLite format 3\x00" + b"\x17" * 5000
    database.write_bytes(damaged)
    saved = restore_backup(database, backup)
    assert saved is not None and saved.read_bytes() == damaged
    assert _notes(database) == ["first"]


def test_a_stale_log_of_the_replaced_file_is_not_replayed(database: Path) -> None:
    backup = backup_before(database, "import", NOON)
    writer = sqlite3.connect(database)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE annotation SET note = 'in the log only'")
    writer.commit()
    log = database.with_name(database.name + "-wal").read_bytes()
    writer.close()  # checkpoints and removes the log; put one back as a crash would leave it
    database.with_name(database.name + "-wal").write_bytes(log)
    database.write_bytes(b"SQLite format 3\x00" + b"\x17" * 5000)  # and the file is damaged
    saved = restore_backup(database, backup)
    assert _notes(database) == ["first"]
    assert saved is not None and saved.with_name(saved.name + "-wal").read_bytes() == log


@pytest.mark.parametrize(
    "content",
    [b"not a database at all", b"SQLite format 3\x00" + b"\x00" * 200, None],
    ids=["text", "damaged", "other-program"],
)
def test_restore_refuses_a_file_that_is_no_spanwise_backup(
    database: Path, tmp_path: Path, content: bytes | None
) -> None:
    candidate = tmp_path / "candidate.bak"
    if content is None:
        with contextlib.closing(sqlite3.connect(candidate)) as other:
            other.execute("CREATE TABLE bookmarks (url TEXT)")
    else:
        candidate.write_bytes(content)
    before = dump(database)
    with pytest.raises(DatabaseProblem) as refused:
        restore_backup(database, candidate)
    assert str(candidate) in str(refused.value) and "\n" not in str(refused.value)
    assert dump(database) == before
    assert [b.reason for b in list_backups(database)] == []


def test_restoring_an_upgrade_backup_opens_and_upgrades_again(database: Path) -> None:
    upgrade = db.storage.backups.backup_file(database, "before-upgrade-0001", NOON)
    _add_note(database, "after upgrade")
    restore_backup(database, upgrade)
    assert _notes(database) == ["first"]
