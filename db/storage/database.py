"""Opening a Spanwise database: SQLite set-up, migrations, backups before upgrades."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session

from db.errors import DatabaseProblem
from db.storage.backups import backup_file
from db.text.messages import counted

BUSY_TIMEOUT_MS = 5000


# The newest migration in db/storage/migrations/versions (a test checks that Alembic agrees).
# Opening an up-to-date database compares against this and never loads Alembic, which would add a
# tenth of a second to every start.
SCHEMA_HEAD = "0006_document_order"


def _alembic_config() -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "db.storage:migrations")
    return config


def head_revision() -> str:
    """The schema revision this version of Spanwise writes."""
    return SCHEMA_HEAD


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


WRITE_OPTION = "spanwise_write"


def _on_begin(connection: Connection) -> None:
    if connection.get_execution_options().get(WRITE_OPTION):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        connection.exec_driver_sql("BEGIN")


def driver_connection(session: Session) -> Any:
    """The sqlite3 connection under the session's own (same transaction), for the few hot
    paths that read or write rows in bulk without SQLAlchemy building each one."""
    raw = session.connection().connection.dbapi_connection
    assert raw is not None
    return raw


@contextmanager
def driver_errors(session: Session) -> Iterator[None]:
    """Errors of a call straight on the driver connection (which bypasses the engine's error
    handling) as the same one-line DatabaseProblem: read-only file, full disk, damage."""
    path = Path(session.connection().engine.url.database or "database")
    try:
        yield
    except sqlite3.Error as exc:
        raise storage_problem(path, exc) or exc from exc


def for_writing(engine: Engine) -> Engine:
    """The same engine (and pool), whose transactions take SQLite's write lock at BEGIN.

    In WAL mode a deferred transaction that reads and then writes fails at once with
    "database is locked" (SQLITE_BUSY_SNAPSHOT) if another connection committed in between:
    the busy timeout cannot help it. BEGIN IMMEDIATE waits (up to the busy timeout) for the
    other writer instead. Reads keep plain BEGIN, so they never wait for a writer.
    """
    return engine.execution_options(**{WRITE_OPTION: True})


# SQLite's primary result codes (extended codes carry them in the low byte).
_IN_USE = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
_READ_ONLY = {8, 3}  # SQLITE_READONLY, SQLITE_PERM
_FULL = 13  # SQLITE_FULL
_IO_ERROR = 10  # SQLITE_IOERR
_DAMAGED = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_CANT_OPEN = 14  # SQLITE_CANTOPEN


def storage_problem(path: Path, error: BaseException) -> DatabaseProblem | None:
    """A one-line DatabaseProblem for SQLite errors the user's disk or other programs cause
    (locked, read-only, full, damaged); None for anything else, which is a bug."""
    code = getattr(error, "sqlite_errorcode", None)
    if not isinstance(code, int):
        return None
    detail = f"{error}".splitlines()[0] if f"{error}" else "no detail"
    primary = code & 0xFF
    if primary in _IN_USE:
        return DatabaseProblem(
            f"{path}: the database is in use by another Spanwise window or command; nothing "
            "was changed, try again"
        )
    if primary in _READ_ONLY:
        return DatabaseProblem(
            f"{path}: the database is read-only (check the permissions of the file and its "
            f"folder); nothing was changed ({detail})"
        )
    if primary == _FULL:
        return DatabaseProblem(f"{path}: the disk is full; nothing was changed ({detail})")
    if primary == _IO_ERROR:
        return DatabaseProblem(f"{path}: the disk could not be read or written ({detail})")
    if primary in _DAMAGED:
        return DatabaseProblem(
            f"{path} is not a Spanwise database or is damaged ({detail}); restore a backup"
        )
    if primary == _CANT_OPEN:
        return DatabaseProblem(f"{path}: cannot open the database file ({detail})")
    return None


def _on_error_in(path: Path) -> Any:
    def _on_error(context: ExceptionContext) -> None:
        problem = storage_problem(path, context.original_exception)
        if problem is not None:
            raise problem from context.sqlalchemy_exception or context.original_exception

    return _on_error


def create_sqlite_engine(path: Path) -> Engine:
    """An engine with foreign keys and a busy timeout on every connection (WAL is set once,
    in the file, by `open_engine` after the file has been found to be ours).

    The sqlite3 driver would start transactions only before data changes; SQLAlchemy's
    recipe for pysqlite lets SQLAlchemy emit BEGIN itself, so that schema changes in a
    migration roll back with everything else.
    """
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "isolation_level": None},
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    # "database is locked", "disk is full"...: one clear line for the user, never a traceback.
    event.listen(engine, "handle_error", _on_error_in(path))
    return engine


def _outside_transaction(engine: Engine, statement: str) -> list[Any]:
    """Run a PRAGMA that SQLite ignores or refuses inside a transaction."""
    with engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        assert raw is not None
        return list(raw.execute(statement).fetchall())


def _current_revision(engine: Engine) -> str | None:
    """The revision stamped in the file by Alembic (None for a new or foreign database)."""
    with engine.connect() as connection:
        exists = connection.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).first()
        if exists is None:
            return None
        row = connection.exec_driver_sql("SELECT version_num FROM alembic_version").first()
        return None if row is None else str(row[0])


def open_engine(path: Path) -> tuple[Engine, bool]:
    """Open (creating if needed) and upgrade a database; returns the engine and 'was created'.

    Nothing is written to a file that is not a Spanwise database or that a newer Spanwise
    made; an older one is backed up before it is upgraded.
    """
    path = Path(path)
    if path.is_dir():
        raise DatabaseProblem(f"{path} is a folder; give a database file")
    created = not path.exists() or path.stat().st_size == 0
    if not created:
        _check_is_sqlite(path)
    elif not path.parent.is_dir():
        raise DatabaseProblem(f"{path}: folder {path.parent} does not exist")
    engine = create_sqlite_engine(path)
    try:
        _check_and_upgrade(engine, path, created)
        _outside_transaction(engine, "PRAGMA journal_mode = WAL")
    except OperationalError as exc:
        engine.dispose()
        raise DatabaseProblem(f"{path}: cannot open the database ({exc.orig})") from exc
    except DatabaseError as exc:
        engine.dispose()
        raise DatabaseProblem(f"{path} is not a Spanwise database ({exc.orig})") from exc
    except DatabaseProblem:
        engine.dispose()
        raise
    return engine, created


def _check_and_upgrade(engine: Engine, path: Path, created: bool) -> None:
    current = _current_revision(engine)
    if current is None and not created and inspect(engine).get_table_names():
        raise DatabaseProblem(f"{path} is an SQLite database of another program, not Spanwise's")
    if current == head_revision():
        return
    from alembic import command
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
    if current is not None and current not in {s.revision for s in script.walk_revisions()}:
        raise DatabaseProblem(
            f"{path} was written by a newer Spanwise (schema {current}); update Spanwise to open it"
        )
    if current is not None:
        try:
            backup_file(path, f"before-upgrade-{current}")
        except (OSError, sqlite3.Error) as exc:  # a full disk, a read-only folder
            raise DatabaseProblem(
                f"{path}: cannot back it up before upgrading it ({exc}); it was left as it was"
            ) from exc
    # Rebuilding a table (SQLite's way to alter one) trips foreign keys mid-migration; they
    # are off for the migration, and checked as a whole before it commits.
    with engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with connection.begin():
                config = _alembic_config()
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise DatabaseProblem(
                        f"{path}: the upgrade would break {counted(len(broken), 'link')}"
                    )
        finally:
            raw.execute("PRAGMA foreign_keys = ON")


def _check_is_sqlite(path: Path) -> None:
    with path.open("rb") as handle:
        header = handle.read(16)
    if header != b"SQLite format 3\x00":
        raise DatabaseProblem(f"{path} is not an SQLite database")
