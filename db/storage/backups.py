"""Automatic backups beside the database, and restoring one.

A copy is taken on the first use of each day (the newest 7 daily ones are kept) and before
every bulk operation (import of annotations, accept-all, database-wide delete), so a mistake
or a damaged disk costs at most a day's work. Every backup, the upgrade backups
of db/storage/database.py too, is made by `backup_file` here and named
`<name>.<reason>-<UTC stamp>.bak` (e.g. `spanwise.db.daily-20261126-081500.bak`); each is an
ordinary Spanwise database: any of them opens as it is.

`restore_backup` must not run while the database is open in a window or a command: the caller
closes its Store first (File > Restore backup: close the database, restore, open it again).
"""

from __future__ import annotations

import contextlib
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from db.errors import DatabaseProblem
from db.files.outputs import atomic_copy


def backup_file(path: Path, reason: str, now: datetime | None = None) -> Path:
    """Copy a database consistently (SQLite's backup API) to a timestamped file beside it,
    `<name>.<reason>-<UTC stamp>.bak`; never over an earlier backup of the same second."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.{reason}-{stamp}.bak")
    number = 1
    while target.exists():
        number += 1
        target = path.with_name(f"{path.name}.{reason}-{stamp}-{number}.bak")
    source = sqlite3.connect(path)

    def copy(partial: Path) -> None:
        dest = sqlite3.connect(partial)
        try:
            source.backup(dest)
        finally:
            dest.close()

    try:  # under a temporary name until whole: half a backup must never pass for one
        atomic_copy(target, copy)
    finally:
        source.close()
    return target


DAILY = "daily"
KEEP = 7  # of each kind: daily, and each "before-<operation>"
_NAME = re.compile(r"^(?P<reason>[a-z0-9][a-z0-9-]*?)-(?P<stamp>\d{8}-\d{6})(?:-(?P<n>\d+))?\.bak$")
_SIDE_FILES = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class Backup:
    """One backup file: why it was taken ("daily", "before-import", ...) and when (UTC)."""

    path: Path
    reason: str
    taken: datetime
    number: int = 1  # the second backup of the same second is `...-2.bak`


def list_backups(db_path: str | Path) -> list[Backup]:
    """The backups of this database, newest first (upgrade backups included)."""
    db_path = Path(db_path)
    prefix = f"{db_path.name}."
    found: list[Backup] = []
    if not db_path.parent.is_dir():
        return found
    for path in db_path.parent.iterdir():
        if not path.name.startswith(prefix) or not path.is_file():
            continue
        match = _NAME.match(path.name[len(prefix) :])
        if match is None:
            continue
        taken = datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
        found.append(Backup(path, match["reason"], taken, int(match["n"] or 1)))
    return sorted(found, key=lambda b: (b.taken, b.number, b.reason), reverse=True)


def daily_backup(db_path: str | Path, now: datetime | None = None) -> Path | None:
    """Back up the database if it has no backup from today (the user's calendar day);
    returns the new backup, or None when there was one already or there is no database."""
    db_path = Path(db_path)
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return None
    now = now or datetime.now(UTC)
    today = now.astimezone().date()
    if any(
        b.reason == DAILY and b.taken.astimezone().date() == today for b in list_backups(db_path)
    ):
        return None
    path = _take(db_path, DAILY, now)
    _prune(db_path, DAILY)
    return path


def backup_before(db_path: str | Path, operation: str, now: datetime | None = None) -> Path:
    """Back up the database before a bulk operation ("import", "accept-all", "delete-all");
    the newest 7 backups of each operation are kept. Raises DatabaseProblem when the copy
    cannot be made: the caller should then not start the operation."""
    db_path = Path(db_path)
    slug = re.sub(r"[^a-z0-9]+", "-", operation.lower()).strip("-") or "operation"
    reason = f"before-{slug}"
    path = _take(db_path, reason, now)
    _prune(db_path, reason)
    return path


def restore_backup(db_path: str | Path, backup_path: str | Path) -> Path | None:
    """Replace the database with a backup; returns the backup of the replaced file (None if
    there was no file). The database must not be open anywhere while this runs.

    The backup is checked first (a Spanwise database that passes SQLite's integrity check),
    the current file is backed up as `before-restore` (byte for byte if it is too damaged for
    SQLite), and the backup is written to a temporary file that then replaces the database in
    one rename: a crash leaves either the old database or the restored one.
    """
    db_path = Path(db_path)
    backup_path = Path(backup_path)
    _check_backup(backup_path)
    saved: Path | None = None
    if db_path.is_file() and db_path.stat().st_size > 0:
        saved = _save_current(db_path)
    partial = db_path.with_name(db_path.name + ".restoring")
    partial.unlink(missing_ok=True)
    try:
        _copy_database(backup_path, partial)
        for suffix in _SIDE_FILES:  # a stale log of the old file must not replay onto the new
            db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
        partial.replace(db_path)
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        raise DatabaseProblem(f"{db_path}: could not restore {backup_path.name} ({exc})") from exc
    return saved


def _take(db_path: Path, reason: str, now: datetime | None) -> Path:
    if not db_path.is_file():
        raise DatabaseProblem(f"{db_path}: no database to back up")
    try:
        return backup_file(db_path, reason, now)
    except (OSError, sqlite3.Error) as exc:
        raise DatabaseProblem(f"{db_path}: could not make a backup ({exc})") from exc


def _prune(db_path: Path, reason: str) -> None:
    for old in [b for b in list_backups(db_path) if b.reason == reason][KEEP:]:
        old.path.unlink(missing_ok=True)


def _check_backup(path: Path) -> None:
    if not path.is_file():
        raise DatabaseProblem(f"{path}: no such backup file")
    try:
        with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
            if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise DatabaseProblem(f"{path}: the backup is damaged; choose another one")
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    except sqlite3.Error as exc:
        raise DatabaseProblem(f"{path}: not a Spanwise database backup ({exc})") from exc
    if "alembic_version" not in tables or "document" not in tables:
        raise DatabaseProblem(f"{path}: not a Spanwise database backup")


def _save_current(db_path: Path) -> Path:
    """Back up the file about to be replaced; a file SQLite cannot read is copied as bytes."""
    try:
        with contextlib.closing(sqlite3.connect(db_path)) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return backup_file(db_path, "before-restore")
    except sqlite3.Error:
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        target = db_path.with_name(f"{db_path.name}.before-restore-{stamp}.bak")
        number = 1
        while target.exists():
            number += 1
            target = db_path.with_name(f"{db_path.name}.before-restore-{stamp}-{number}.bak")
        try:
            shutil.copyfile(db_path, target)
            log = db_path.with_name(db_path.name + "-wal")
            if log.is_file():  # what a crash left uncheckpointed belongs to the file
                shutil.copyfile(log, target.with_name(target.name + "-wal"))
        except OSError as exc:
            raise DatabaseProblem(f"{db_path}: could not save it before restoring ({exc})") from exc
        return target


def _copy_database(source: Path, target: Path) -> None:
    reading = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)
    with contextlib.closing(reading) as src, contextlib.closing(sqlite3.connect(target)) as dest:
        src.backup(dest)
