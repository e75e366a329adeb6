"""Opening database files: new ones at the latest schema, foreign or newer ones refused."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from db.errors import DatabaseProblem
from db.storage.database import head_revision
from db.storage.models import Base
from db.store import Store
from tests.db.conftest import OpenStore


def _revision_in_file(path: Path) -> str:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_new_database_is_at_head(store: Store, db_path: Path) -> None:
    config = Config()
    config.set_main_option("script_location", "db.storage:migrations")
    script = ScriptDirectory.from_config(config)
    assert script.get_heads() == [head_revision()]
    with store.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == head_revision()
    assert store.created
    store.close()
    assert _revision_in_file(db_path) == head_revision()


def test_migrated_schema_matches_the_models(store: Store) -> None:
    with store.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_reopening_does_not_upgrade_or_back_up(open_store: OpenStore, db_path: Path) -> None:
    first = open_store()
    first.close()
    second = open_store()
    assert not second.created
    second.close()
    assert _files(db_path.parent) == [db_path.name]


def test_empty_file_becomes_a_new_database(open_store: OpenStore, db_path: Path) -> None:
    db_path.touch()
    store = open_store()
    assert store.created
    assert store.labels()


def _stamp_newer(path: Path) -> None:
    store = Store(path)
    store.close()
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffff'")
        connection.commit()


def test_database_from_a_newer_version_is_refused_untouched(db_path: Path) -> None:
    _stamp_newer(db_path)
    before = db_path.read_bytes()
    with pytest.raises(DatabaseProblem, match="newer Spanwise") as refused:
        Store(db_path)
    assert str(db_path) in str(refused.value)
    assert "ffff" in str(refused.value)
    assert db_path.read_bytes() == before
    assert _files(db_path.parent) == [db_path.name]  # no backup, no -wal left behind
    assert _revision_in_file(db_path) == "ffff"


def test_newer_database_in_rollback_journal_mode_is_refused_untouched(db_path: Path) -> None:
    _stamp_newer(db_path)
    with contextlib.closing(sqlite3.connect(db_path)) as connection:
        connection.execute("PRAGMA journal_mode = DELETE")
    before = db_path.read_bytes()
    with pytest.raises(DatabaseProblem):
        Store(db_path)
    assert db_path.read_bytes() == before


@pytest.mark.parametrize(
    "content",
    [
        b"This is a text file, not a database.\n",
        b"\x89PNG\r\n\x1a\n" + bytes(200),
        b"SQLite format 3\x00" + b"\x17" * 4000,  # right header, garbage after it
    ],
    ids=["text", "png", "corrupt-sqlite"],
)
def test_file_that_is_not_a_database_is_refused_untouched(db_path: Path, content: bytes) -> None:
    db_path.write_bytes(content)
    with pytest.raises(DatabaseProblem) as refused:
        Store(db_path)
    assert str(db_path) in str(refused.value)
    assert "\n" not in str(refused.value)
    assert db_path.read_bytes() == content


def test_folder_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "missing" / "spanwise.db"
    with pytest.raises(DatabaseProblem, match="does not exist"):
        Store(path)
    assert not path.parent.exists()


def test_folder_given_as_database_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("not empty", encoding="utf-8")
    with pytest.raises(DatabaseProblem):
        Store(folder)


def test_another_programs_sqlite_database_is_refused_untouched(db_path: Path) -> None:
    with contextlib.closing(sqlite3.connect(db_path)) as connection:
        connection.execute("CREATE TABLE bookmarks (url TEXT)")
        connection.execute("INSERT INTO bookmarks VALUES ('https://example.org')")
        connection.commit()
    before = db_path.read_bytes()
    try:
        with pytest.raises(DatabaseProblem):
            Store(db_path).close()
    finally:
        with contextlib.closing(sqlite3.connect(db_path)) as connection:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert tables == {"bookmarks"}
    assert db_path.read_bytes() == before
