"""Two Spanwise programs on one database (two windows, or a window and the command line):
both keep working, or the one that has to wait too long says clearly that the database is in
use. Never a "database is locked" traceback, never a lost edit."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

import db.storage.database
from db.errors import DatabaseProblem
from db.store import Store
from desktop.cli.main import main as cli_main
from seeds import seed_paths
from tests.robust.helpers import Child, counts, dump

EDITS_PER_PROCESS = 60


@pytest.fixture
def seeded_db(tmp_path: Path) -> Path:
    path = tmp_path / "shared.db"
    store = Store(path)
    store.import_texts(seed_paths())
    store.close()
    return path


@contextlib.contextmanager
def writer_holding_the_lock(path: Path) -> Iterator[sqlite3.Connection]:
    """Another program in the middle of a long write (a big import, say)."""
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO setting (key, value) VALUES ('other', 'busy')")
        yield other
        other.execute("ROLLBACK")
    finally:
        other.close()


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real 5 s wait, shortened so the test does not sit through it."""
    monkeypatch.setattr(db.storage.database, "BUSY_TIMEOUT_MS", 200)


def _run_two_editors(path: Path) -> tuple[list[Child], list[int]]:
    children = [
        Child(["-m", "tests.robust.edit_child", str(path), name, str(EDITS_PER_PROCESS)])
        for name in ("ana", "ben")
    ]
    for child in children:
        child.wait_for("ready")
    for child in children:  # both start writing together
        child.send("go")
    return children, [child.finish() for child in children]


def test_two_stores_in_one_process_see_each_others_edits(seeded_db: Path) -> None:
    first, second = Store(seeded_db), Store(seeded_db)
    try:
        [doc] = first.documents("ana")
        for index in range(10):
            first.add_annotation(doc.id, "ana", "Quote", index, index + 4)
            second.add_annotation(doc.id, "ben", "Speaker", index, index + 3)
        assert len(second.annotations(doc.id, "ana")) == 10
        assert len(first.annotations(doc.id, "ben")) == 10
    finally:
        first.close()
        second.close()


def test_two_processes_writing_at_once_never_lose_an_edit_or_crash(seeded_db: Path) -> None:
    children, exits = _run_two_editors(seeded_db)
    assert exits == [0, 0], [child.stderr() for child in children]
    store = Store(seeded_db)
    try:
        [doc] = store.documents("ana")
        for child, name in zip(children, ("ana", "ben"), strict=True):
            saved = {r["saved"] for r in child.reports if "saved" in r}
            refused = [r["refused"] for r in child.reports if "refused" in r]
            assert len(saved) + len(refused) == EDITS_PER_PROCESS
            assert {a.id for a in store.annotations(doc.id, name)} == saved
            assert all("in use by another Spanwise" in message for message in refused)
    finally:
        store.close()


def test_two_processes_writing_at_once_both_keep_working(seeded_db: Path) -> None:
    children, exits = _run_two_editors(seeded_db)
    assert exits == [0, 0]
    refused = [r for child in children for r in child.reports if "refused" in r]
    assert refused == []


def _write_after_read(first_engine: Engine, second_engine: Engine) -> None:
    """The first program reads, the second writes a row meanwhile, the first then writes."""
    with first_engine.connect() as first, first.begin():
        first.exec_driver_sql("SELECT count(*) FROM document").scalar()
        with (
            contextlib.suppress(DatabaseProblem),
            second_engine.connect() as second,
            second.begin(),
        ):
            second.exec_driver_sql("INSERT INTO setting VALUES ('second', 'x')")
        first.exec_driver_sql("INSERT INTO setting VALUES ('first', 'x')")


@pytest.mark.usefixtures("short_busy_timeout")
def test_a_write_after_a_read_fails_clearly_when_another_program_wrote_between(
    seeded_db: Path,
) -> None:
    engines = [db.storage.database.create_sqlite_engine(seeded_db) for _ in range(2)]
    try:
        with pytest.raises(DatabaseProblem, match="in use by another Spanwise"):
            _write_after_read(engines[0], engines[1])
    finally:
        for engine in engines:
            engine.dispose()


@pytest.mark.usefixtures("short_busy_timeout")
def test_for_writing_keeps_the_other_writer_out_until_the_first_has_written(
    seeded_db: Path,
) -> None:
    """What the fix for the xfail above does: BEGIN IMMEDIATE holds the write lock from the
    start, so the other program waits (here: gives up clearly) instead of breaking the first."""
    engines = [db.storage.database.create_sqlite_engine(seeded_db) for _ in range(2)]
    try:
        _write_after_read(*(db.storage.database.for_writing(engine) for engine in engines))
    finally:
        for engine in engines:
            engine.dispose()
    with contextlib.closing(sqlite3.connect(seeded_db)) as check:
        rows = check.execute("SELECT key FROM setting WHERE value = 'x'").fetchall()
    assert rows == [("first",)]


@pytest.mark.usefixtures("short_busy_timeout")
def test_edit_while_another_program_writes_too_long_says_the_database_is_in_use(
    seeded_db: Path,
) -> None:
    store = Store(seeded_db)
    try:
        [doc] = store.documents("ana")
        kept = store.add_annotation(doc.id, "ana", "Quote", 0, 9)
        with writer_holding_the_lock(seeded_db):
            assert store.annotations(doc.id) == [kept]  # reading still works meanwhile
            with pytest.raises(DatabaseProblem, match="in use by another Spanwise") as refused:
                store.add_annotation(doc.id, "ana", "Speaker", 10, 19)
            assert str(seeded_db) in str(refused.value)
            assert "\n" not in str(refused.value)
        assert store.annotations(doc.id) == [kept]
        store.add_annotation(doc.id, "ana", "Speaker", 10, 19)  # once it is free, it works
        assert len(store.annotations(doc.id)) == 2
    finally:
        store.close()


@pytest.mark.usefixtures("short_busy_timeout")
def test_command_line_import_into_a_busy_database_says_so_in_one_line(
    seeded_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "article.txt"
    article.write_text("A short article.\n", encoding="utf-8")
    before = counts(seeded_db)
    with writer_holding_the_lock(seeded_db):
        code = cli_main(["--db", str(seeded_db), "import", str(article)])
    err = capsys.readouterr().err
    assert code == 2
    assert "in use by another Spanwise" in err
    assert "Traceback" not in err and err.count("\n") == 1
    assert counts(seeded_db) == before


@pytest.mark.usefixtures("short_busy_timeout")
def test_opening_a_database_another_program_is_writing_still_works(seeded_db: Path) -> None:
    before = dump(seeded_db)
    with writer_holding_the_lock(seeded_db):
        store = Store(seeded_db)
        try:
            assert store.document_count() == 1
        finally:
            store.close()
    assert dump(seeded_db) == before
