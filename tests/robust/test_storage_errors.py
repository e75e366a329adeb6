"""The disk says no: a read-only file or folder, a full disk, a file that is damaged or not a
database. Each gives one clear line; what can still work (reading, exporting) works; nothing
already stored is damaged."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

import db.storage.database
from db.errors import DatabaseProblem
from db.store import Store
from desktop.cli.main import main as cli_main
from seeds import seed_paths
from tests.robust.helpers import ROOT, counts, dump, integrity

NOBODY = 65534
FIRST_RELEASE = ROOT / "tests" / "db" / "fixtures" / "schema-0001.spanwise-fixture"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _make_db(path: Path, annotations: int = 3) -> Path:
    store = Store(path)
    try:
        store.import_texts(seed_paths())
        [doc] = store.documents("ana")
        for index in range(annotations):
            store.add_annotation(doc.id, "ana", "Quote", index * 10, index * 10 + 8, note="n")
    finally:
        store.close()
    return path


@functools.cache
def _other_user_can_run_spanwise(prefix: tuple[str, ...]) -> bool:
    probe = subprocess.run(
        [*prefix, sys.executable, "-c", "import desktop.cli.main, tests.robust.storage_child"],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        check=False,
    )
    return probe.returncode == 0


def _as_another_user(args: list[str]) -> subprocess.CompletedProcess[str]:
    """Run Python as a user that file permissions apply to (root ignores them)."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: file permissions cannot apply")
        prefix = [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
        if not _other_user_can_run_spanwise(tuple(prefix)):
            pytest.skip(
                "the other user cannot read this checkout (a private folder such as a fresh "
                "clone under mktemp -d): file permissions cannot be tried here"
            )
    return subprocess.run(
        [*prefix, sys.executable, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        check=False,
    )


def _open_as_another_user(path: Path) -> dict[str, Any]:
    done = _as_another_user(["-m", "tests.robust.storage_child", str(path)])
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder the other user can reach (pytest's tmp_path is private to its owner)."""
    folder = Path(tempfile.mkdtemp(prefix="spanwise-perm-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for path in (folder, *folder.rglob("*")):
            path.chmod(0o777 if path.is_dir() else 0o666)
        shutil.rmtree(folder)


@pytest.fixture
def read_only_file(shared_folder: Path) -> Path:
    folder = shared_folder / "readonly-file"
    folder.mkdir()
    path = _make_db(folder / "spanwise.db")
    folder.chmod(0o777)  # the folder is writable: SQLite may keep its -shm file there
    path.chmod(0o444)
    return path


# -- read-only ---------------------------------------------------------------------------------


def test_read_only_file_can_be_read_and_exported_but_an_edit_says_read_only(
    read_only_file: Path,
) -> None:
    before = _digest(read_only_file)
    result = _open_as_another_user(read_only_file)
    assert result["documents"] == 1
    assert result["exported"] == 1
    assert "read-only" in result["edit"] and str(read_only_file) in result["edit"]
    assert _digest(read_only_file) == before


def test_read_only_folder_is_refused_in_one_line_and_left_as_it_was(shared_folder: Path) -> None:
    folder = shared_folder / "readonly-folder"
    folder.mkdir()
    path = _make_db(folder / "spanwise.db")
    path.chmod(0o666)
    folder.chmod(0o555)
    before = _digest(path)
    result = _open_as_another_user(path)
    assert "read-only" in result["open"] and str(path) in result["open"]
    assert "\n" not in result["open"]
    assert _digest(path) == before


def test_command_line_import_into_a_read_only_database_fails_in_one_line(
    read_only_file: Path,
) -> None:
    article = read_only_file.parent / "article.txt"
    article.write_text("An article.\n", encoding="utf-8")
    article.chmod(0o644)
    before = _digest(read_only_file)
    done = _as_another_user(
        ["-m", "desktop.cli", "--db", str(read_only_file), "import", str(article)]
    )
    assert done.returncode == 2
    assert "read-only" in done.stderr and done.stderr.count("\n") == 1
    assert _digest(read_only_file) == before


def test_command_line_export_of_a_read_only_database_works(read_only_file: Path) -> None:
    done = _as_another_user(["-m", "desktop.cli", "--db", str(read_only_file), "export"])
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["documents"]) == 1


def test_command_line_lists_the_documents_of_a_read_only_database(read_only_file: Path) -> None:
    done = _as_another_user(["-m", "desktop.cli", "--db", str(read_only_file), "docs"])
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 1


# -- full disk ---------------------------------------------------------------------------------


def _page_limit(extra_pages: int) -> Callable[[Any, Any], None]:
    def limit(dbapi_connection: Any, _record: Any) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + extra_pages}")

    return limit


@contextlib.contextmanager
def disk_full(engine: type[Engine] | Engine, extra_pages: int = 2) -> Iterator[None]:
    """SQLite sees a full disk: the file may grow by `extra_pages` pages, no more."""
    limit = _page_limit(extra_pages)
    event.listen(engine, "connect", limit)
    if isinstance(engine, Engine):
        engine.dispose()  # connections made from now on get the limit
    try:
        yield
    finally:
        event.remove(engine, "connect", limit)
        if isinstance(engine, Engine):
            engine.dispose()


def test_full_disk_during_edits_keeps_every_saved_edit(tmp_path: Path) -> None:
    path = _make_db(tmp_path / "spanwise.db", annotations=0)
    store = Store(path)
    try:
        [doc] = store.documents("ana")
        saved: list[str] = []
        with disk_full(store.engine), pytest.raises(DatabaseProblem, match="disk is full") as full:
            for index in range(10_000):
                note = f"note {index} " + "x" * 300
                saved.append(store.add_annotation(doc.id, "ana", "Quote", 0, 9, note=note).id)
        assert str(path) in str(full.value) and "\n" not in str(full.value)
        assert 0 < len(saved) < 10_000
        assert {a.id for a in store.annotations(doc.id)} == set(saved)
        assert integrity(path) == ("ok", [])
        store.add_annotation(doc.id, "ana", "Speaker", 0, 9)  # space again: editing goes on
        assert len(store.annotations(doc.id)) == len(saved) + 1
    finally:
        store.close()


def test_full_disk_during_an_import_imports_nothing(tmp_path: Path) -> None:
    path = _make_db(tmp_path / "spanwise.db")
    big = tmp_path / "long-article.txt"
    big.write_text("A long article.\n" + "word " * 100_000, encoding="utf-8")
    store = Store(path)
    try:
        before = dump(path)
        with disk_full(store.engine), pytest.raises(DatabaseProblem, match="disk is full"):
            store.import_texts([big])
        assert dump(path) == before
        assert integrity(path) == ("ok", [])
        assert store.import_texts([big]).documents_new == 1
    finally:
        store.close()


def test_command_line_import_on_a_full_disk_fails_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _make_db(tmp_path / "spanwise.db")
    big = tmp_path / "long-article.txt"
    big.write_text("A long article.\n" + "word " * 100_000, encoding="utf-8")
    before = counts(path)
    with disk_full(Engine):
        code = cli_main(["--db", str(path), "import", str(big)])
    err = capsys.readouterr().err
    assert code == 2
    assert "disk is full" in err and err.count("\n") == 1
    assert counts(path) == before


# -- damaged files and files that are no database ----------------------------------------------


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = cli_main(args)
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    "content",
    [
        b"This is a text file, not a database.\n",
        b"\x89PNG\r\n\x1a\n" + bytes(200),
        b"SQLite format 3\x00" + b"\x17" * 4000,
        bytes(8192),
    ],
    ids=["text", "png", "sqlite-header-then-garbage", "zeros"],
)
def test_command_line_on_a_file_that_is_no_database_fails_in_one_line(
    tmp_path: Path, content: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "spanwise.db"
    path.write_bytes(content)
    code, err = _cli(["--db", str(path), "docs"], capsys)
    assert code == 2
    assert str(path) in err and err.count("\n") == 1
    assert path.read_bytes() == content


def test_truncated_database_gives_one_line_and_is_left_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _make_db(tmp_path / "spanwise.db")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    before = path.read_bytes()
    code, err = _cli(["--db", str(path), "export"], capsys)
    assert code == 2
    assert str(path) in err and err.count("\n") == 1
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(["docs"], id="docs"),
        pytest.param(
            ["export", "-o", "out.json"],
            id="export",
        ),
    ],
)
def test_every_damaged_page_gives_a_result_or_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    """Garbage over each page of the file in turn: the command line lists or exports what it
    can, or says in one line what is wrong. Never a traceback."""
    original = _make_db(tmp_path / "original.db", annotations=40)
    data = original.read_bytes()
    page_size = 4096
    rng = random.Random(5)
    outcomes: dict[str, int] = {"worked": 0, "refused": 0}
    command = [str(tmp_path / part) if part.endswith(".json") else part for part in command]
    for page in range(len(data) // page_size):
        damaged = tmp_path / f"page-{page}.db"
        garbage = bytes(rng.randrange(256) for _ in range(page_size))
        offset = page * page_size + (100 if page == 0 else 0)  # page 1: keep the header
        damaged.write_bytes(
            data[:offset]
            + garbage[: page_size - (offset % page_size)]
            + data[offset + page_size - (offset % page_size) :]
        )
        code, err = _cli(["--db", str(damaged), "--annotator", "ana", *command], capsys)
        assert code in (0, 2), page
        if code == 2:
            assert err.count("\n") == 1 and "Traceback" not in err, (page, err)
            outcomes["refused"] += 1
        else:
            outcomes["worked"] += 1
    assert outcomes["refused"] > 0


def test_full_disk_when_backing_up_before_an_upgrade_leaves_the_old_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "spanwise.db"
    shutil.copyfile(FIRST_RELEASE, path)
    before = dump(path)
    real_connect = sqlite3.connect

    class FullDisk:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self.connection = real_connect(*args, **kwargs)

        def backup(self, target: Any) -> None:
            raise sqlite3.OperationalError("database or disk is full")

        def close(self) -> None:
            self.connection.close()

    monkeypatch.setattr(db.storage.database.sqlite3, "connect", FullDisk)
    with pytest.raises(DatabaseProblem, match="cannot back it up before upgrading") as refused:
        Store(path)
    assert "\n" not in str(refused.value)
    monkeypatch.undo()
    assert dump(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spanwise.db"]


def test_export_onto_a_read_only_file_system_says_so_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a read-only file system even removing the half-written file fails (EROFS, not
    ENOENT): the user still gets one line, not that second error's traceback."""
    import errno

    from db.errors import SpanwiseError
    from db.files.outputs import write_text_atomically

    def read_only(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(Path, "open", read_only)
    monkeypatch.setattr(Path, "unlink", read_only)
    with pytest.raises(SpanwiseError, match=r"x\.json: cannot write \(Read-only file system\)"):
        write_text_atomically(tmp_path / "x.json", "{}")
