"""Opening a database the first release made (schema revision 0001): upgraded in place, backed
up first, old work intact, new features usable.

The fixture was made by fixtures/make_0001.py with Alembic's own revision 0001; it holds one
document and alice's Quote and Speaker annotations.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from db.changes import Change, added
from db.errors import DatabaseProblem
from db.records import EntityData, RelationData
from db.storage.database import head_revision
from db.store import Store
from tests.db.conftest import OpenStore
from tests.db.fixtures.make_0001 import DOCUMENT_ID, QUOTE, SPEAKER, STAMP, TEXT

FIXTURE = Path(__file__).parent / "fixtures" / "schema-0001.spanwise-fixture"
BACKUP = re.compile(r"^spanwise\.db\.before-upgrade-0001-\d{8}-\d{6}\.bak$")
# Bytes of the SQLite header that the backup API writes afresh: file change counter, schema
# cookie, version-valid-for. Everything else is the database itself.
HEADER_COUNTERS = (*range(24, 28), *range(40, 44), *range(92, 96))


def _read(path: Path) -> sqlite3.Connection:
    """Read-only, so that looking never changes a file (the fixture least of all)."""
    return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)


def _revision(path: Path) -> str:
    with contextlib.closing(_read(path)) as connection:
        return connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def _dump(path: Path) -> list[str]:
    with contextlib.closing(_read(path)) as connection:
        return list(connection.iterdump())


def _tables(path: Path) -> set[str]:
    with contextlib.closing(_read(path)) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {name for (name,) in rows}


def _backups(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.bak"))


def _without_counters(data: bytes) -> bytes:
    return bytes(0 if i in HEADER_COUNTERS else b for i, b in enumerate(data))


@pytest.fixture
def old_db(db_path: Path) -> Path:
    """A copy of the fixture where a user keeps their database."""
    shutil.copyfile(FIXTURE, db_path)
    return db_path


@pytest.fixture
def unannotated_old_db(old_db: Path) -> Path:
    """The first-release database before anyone annotated: the document only."""
    with contextlib.closing(sqlite3.connect(old_db)) as connection:
        connection.execute("DELETE FROM annotation")
        connection.commit()
    return old_db


def test_fixture_is_a_small_first_release_database() -> None:
    assert FIXTURE.stat().st_size < 100_000
    assert _revision(FIXTURE) == "0001"
    assert "relation" not in _tables(FIXTURE)
    with contextlib.closing(_read(FIXTURE)) as connection:
        assert connection.execute("SELECT count(*) FROM annotation").fetchone() == (2,)
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("delete",)


# -- the real first-release file ---------------------------------------------------------------


def test_first_release_database_is_upgraded_with_its_work_intact(
    open_store: OpenStore, old_db: Path
) -> None:
    store = open_store(old_db)
    assert not store.created
    assert _revision(old_db) == head_revision()
    document = store.document(DOCUMENT_ID)
    assert (document.text, document.imported_at) == (TEXT, STAMP)
    quote, speaker = store.annotations(DOCUMENT_ID)
    assert (quote.id, quote.label, quote.start, quote.end) == ("0001-quote", "Quote", *QUOTE)
    assert (quote.attributes, quote.note, quote.fragments) == (
        {"kind": "direct"},
        "first release",
        (),
    )
    assert (speaker.id, speaker.label, (speaker.start, speaker.end)) == (
        "0001-speaker",
        "Speaker",
        SPEAKER,
    )
    assert TEXT[speaker.start : speaker.end] == "Zelensky"
    assert (quote.created, speaker.modified) == (STAMP, STAMP)
    assert store.status(DOCUMENT_ID, "alice") == "in progress"
    assert store.setting("annotator") == "alice"
    assert store.relations(DOCUMENT_ID) == store.entities(DOCUMENT_ID) == []


def test_backup_of_the_first_release_file_is_made_before_the_upgrade(
    open_store: OpenStore, old_db: Path
) -> None:
    open_store(old_db).close()
    [backup] = _backups(old_db.parent)
    assert BACKUP.match(backup.name)
    _assert_is_copy_of(backup, FIXTURE)


def test_new_features_work_on_the_upgraded_first_release_file(
    open_store: OpenStore, old_db: Path
) -> None:
    store = open_store(old_db)
    link = RelationData("r1", DOCUMENT_ID, "alice", "speaker", "0001-quote", "0001-speaker")
    group = EntityData("e1", DOCUMENT_ID, "alice", "Zelensky", "person", ("0001-speaker",))
    store.apply(Change("Attribute", relations=(added(link),), entities=(added(group),)))
    store.close()
    reopened = open_store(old_db)
    assert reopened.relations(DOCUMENT_ID) == [link]
    assert reopened.entities(DOCUMENT_ID) == [group]
    assert len(_backups(old_db.parent)) == 1  # at head now: no second backup


# -- a first-release file with no annotations yet ----------------------------------------------


def test_unannotated_first_release_database_is_upgraded_and_backed_up(
    open_store: OpenStore, unannotated_old_db: Path
) -> None:
    before = unannotated_old_db.read_bytes()
    dump_before = _dump(unannotated_old_db)
    store = open_store(unannotated_old_db)
    assert not store.created
    assert _revision(unannotated_old_db) == head_revision()
    assert store.document(DOCUMENT_ID).text == TEXT
    assert [label.name for label in store.labels()][:2] == ["Quote", "Speaker"]
    assert store.status(DOCUMENT_ID, "alice") == "in progress"

    [backup] = _backups(unannotated_old_db.parent)
    assert BACKUP.match(backup.name)
    assert _without_counters(backup.read_bytes()) == _without_counters(before)
    assert _dump(backup) == dump_before
    assert _revision(backup) == "0001"

    # Annotating works on the upgraded file, fragments included.
    quote = store.add_annotation(
        DOCUMENT_ID, "alice", "Quote", QUOTE[0], SPEAKER[1], fragments=(QUOTE, SPEAKER)
    )
    store.close()
    reopened = open_store(unannotated_old_db)
    assert reopened.annotation(quote.id) == quote
    assert _backups(unannotated_old_db.parent) == [backup]


def test_upgraded_database_gets_link_types_and_entity_labels(
    open_store: OpenStore, unannotated_old_db: Path
) -> None:
    store = open_store(unannotated_old_db)
    assert [r.name for r in store.relation_types()] == [
        "speaker",
        "cue",
        "agent",
        "patient",
        "time",
        "place",
        "participant",
    ]
    assert {label.name for label in store.labels() if label.forms_entities} == {
        "Speaker",
        "Participant",
    }
    quote = store.add_annotation(DOCUMENT_ID, "alice", "Quote", *QUOTE, {"kind": "direct"})
    speaker = store.add_annotation(DOCUMENT_ID, "alice", "Speaker", *SPEAKER)
    link = RelationData("r1", DOCUMENT_ID, "alice", "speaker", quote.id, speaker.id)
    store.apply(Change("Link", relations=(added(link),)))
    assert store.relations(DOCUMENT_ID) == [link]


def test_failed_upgrade_leaves_the_file_as_it_was(unannotated_old_db: Path) -> None:
    with contextlib.closing(sqlite3.connect(unannotated_old_db)) as connection:
        # Anything that makes the upgrade fail half-way will do: a table in 0002's way.
        connection.execute("CREATE TABLE relation (x)")
        connection.commit()
    before = _dump(unannotated_old_db)
    for _attempt in range(2):  # the same refusal each time: nothing was half-done
        with pytest.raises(DatabaseProblem, match="table relation already exists"):
            Store(unannotated_old_db)
    assert _dump(unannotated_old_db) == before
    assert _revision(unannotated_old_db) == "0001"


# -- at head -----------------------------------------------------------------------------------


def test_database_at_head_opened_again_makes_no_backup(
    open_store: OpenStore, db_path: Path
) -> None:
    open_store(db_path).close()
    for _ in range(2):
        store = open_store(db_path)
        assert not store.created
        store.close()
    assert _backups(db_path.parent) == []
    assert _revision(db_path) == head_revision()


def _assert_is_copy_of(backup: Path, original: Path) -> None:
    """The same database: every page equal, the header's own counters aside."""
    assert _without_counters(backup.read_bytes()) == _without_counters(original.read_bytes())
    assert _dump(backup) == _dump(original)
