"""Blind annotation and ownership, enforced by PostgreSQL itself: each person connects with
raw SQL (psycopg, as anyone could, bypassing Spanwise) and tries what they must not do.
Every forbidden write is refused by the server; every forbidden read returns nothing.

The lists FORBIDDEN_FOR_ANNOTATORS and FORBIDDEN_FOR_REVIEWERS are the actions tried.
"""

from __future__ import annotations

import pytest

from tests.team.conftest import MakeProject, Project

D1, D2 = "doc-shared", "doc-bens-only"
BEN_A, GOLD_A, ANA_A = "ben-annotation", "gold-annotation", "ana-annotation"
STAMP = "2026-12-05T10:00:00.000Z"


def _annotation(id_: str, doc: str, who: str) -> tuple:
    return (id_, doc, who, "Quote", 0, 4, "{}", None, STAMP, STAMP, None)


INSERT_ANNOTATION = (
    'INSERT INTO spanwise.annotation (id, document_id, annotator, label, start, "end", '
    "attributes, note, created, modified, fragments) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)


@pytest.fixture
def team(make_project: MakeProject) -> Project:
    """ana and ben annotate; rita reviews. D1 is shared, D2 is ben's alone; ben has work on
    both, ana on D1, and the gold version of D1 is started (not done)."""
    project = make_project(("ana", "ben"), ("rita",))
    with project.connect() as manager:
        for doc in (D1, D2):
            manager.execute(
                "INSERT INTO spanwise.document (id, sha256, title, source, text, imported_at, "
                "position) VALUES (%s, %s, %s, 's.txt', 'Some text here.', %s, 1)",
                (doc, doc * 3, doc, STAMP),
            )
        for doc, who in ((D1, "ana"), (D1, "ben"), (D2, "ben")):
            manager.execute(
                "INSERT INTO spanwise.assignment (document_id, annotator) VALUES (%s, %s)",
                (doc, who),
            )
        for id_, doc, who in (
            (BEN_A, D1, "ben"),
            ("ben-2", D1, "ben"),
            ("ben-d2", D2, "ben"),
            (GOLD_A, D1, "gold"),
            (ANA_A, D1, "ana"),
            ("ana-2", D1, "ana"),
        ):
            manager.execute(INSERT_ANNOTATION, _annotation(id_, doc, who))
        manager.execute(
            "INSERT INTO spanwise.relation (id, document_id, annotator, type, source_id, "
            "target_id, modified) VALUES ('ben-link', %s, 'ben', 'speaker', %s, 'ben-2', %s)",
            (D1, BEN_A, STAMP),
        )
        manager.execute(
            "INSERT INTO spanwise.entity (id, document_id, annotator, name, label, mentions, "
            "modified) VALUES ('ben-entity', %s, 'ben', 'Zelensky', 'person', %s, %s)",
            (D1, '["ben-2"]', STAMP),
        )
        for who, status in (("ben", "done"), ("ana", "in progress"), ("gold", "in progress")):
            manager.execute(
                "INSERT INTO spanwise.status (document_id, annotator, status, modified) "
                "VALUES (%s, %s, %s, %s)",
                (D1, who, status, STAMP),
            )
        manager.execute(
            "INSERT INTO spanwise.decision (document_id, annotator, key, value, created, "
            "modified) VALUES (%s, 'ben', 'suggestion:x', 'rejected', %s, %s)",
            (D1, STAMP, STAMP),
        )
        manager.execute(
            "INSERT INTO spanwise.conflict (id, kind, record_key, document_id, annotator, "
            "version, modified, kept_modified, created) VALUES ('ben-conflict', 'annotation', "
            "%s, %s, 'ben', NULL, %s, %s, %s)",
            (BEN_A, D1, STAMP, STAMP, STAMP),
        )
        manager.execute(
            "INSERT INTO spanwise.sync_log (annotator, last_sync, pushed, pulled) "
            "VALUES ('ben', now(), 1, 1)"
        )
    return project


# (what is tried, the SQL) -- reads must come back empty
FORBIDDEN_READS_ANNOTATOR = [
    (
        "read another annotator's annotations",
        "SELECT id FROM spanwise.annotation WHERE annotator = 'ben'",
    ),
    (
        "read another's annotation by its id",
        f"SELECT * FROM spanwise.annotation WHERE id = '{BEN_A}'",
    ),
    ("read another's links", "SELECT * FROM spanwise.relation WHERE annotator <> 'ana'"),
    ("read another's entities", "SELECT * FROM spanwise.entity WHERE annotator <> 'ana'"),
    ("read another's statuses", "SELECT * FROM spanwise.status WHERE annotator <> 'ana'"),
    ("read another's decisions", "SELECT * FROM spanwise.decision WHERE annotator <> 'ana'"),
    (
        "read the gold version before adjudication",
        "SELECT * FROM spanwise.annotation WHERE annotator = 'gold'",
    ),
    ("read a document not assigned to them", f"SELECT * FROM spanwise.document WHERE id = '{D2}'"),
    ("read others' assignments", "SELECT * FROM spanwise.assignment WHERE annotator <> 'ana'"),
    ("read other people's logins and roles", "SELECT * FROM spanwise.person WHERE name <> 'ana'"),
    ("read another's conflicts", "SELECT * FROM spanwise.conflict WHERE annotator <> 'ana'"),
    ("read another's last sync", "SELECT * FROM spanwise.sync_log WHERE annotator <> 'ana'"),
    (
        "count everyone's annotations (only their own are counted)",
        "SELECT 1 FROM spanwise.annotation WHERE annotator <> 'ana' HAVING count(*) > 0",
    ),
]

# (what is tried, the SQL) -- each must raise an error from the server
FORBIDDEN_WRITES_ANNOTATOR = [
    (
        "insert an annotation in another annotator's name",
        INSERT_ANNOTATION,
        _annotation("x1", D1, "ben"),
    ),
    (
        "insert an annotation on a document not assigned to them",
        INSERT_ANNOTATION,
        _annotation("x2", D2, "ana"),
    ),
    ("insert a gold annotation", INSERT_ANNOTATION, _annotation("x3", D1, "gold")),
    (
        "take over another's annotation id with an upsert",
        INSERT_ANNOTATION + " ON CONFLICT (id) DO UPDATE SET label = 'Cue'",
        _annotation(BEN_A, D1, "ana"),
    ),
    (
        "give their own annotation to another annotator",
        f"UPDATE spanwise.annotation SET annotator = 'ben' WHERE id = '{ANA_A}'",
        None,
    ),
    (
        "move their own annotation to a document not assigned to them",
        f"UPDATE spanwise.annotation SET document_id = '{D2}' WHERE id = '{ANA_A}'",
        None,
    ),
    (
        "turn their annotation into gold",
        f"UPDATE spanwise.annotation SET annotator = 'gold' WHERE id = '{ANA_A}'",
        None,
    ),
    (
        "delete their own annotation's row (deletions are tombstones that travel)",
        f"DELETE FROM spanwise.annotation WHERE id = '{ANA_A}'",
        None,
    ),
    ("delete another's annotation", f"DELETE FROM spanwise.annotation WHERE id = '{BEN_A}'", None),
    ("empty the annotations table", "TRUNCATE spanwise.annotation", None),
    (
        "insert a link in another's name",
        "INSERT INTO spanwise.relation (id, document_id, annotator, type, source_id, target_id, "
        f"modified) VALUES ('x4', '{D1}', 'ben', 'speaker', '{BEN_A}', 'ben-2', '{STAMP}')",
        None,
    ),
    (
        "insert an entity in another's name",
        "INSERT INTO spanwise.entity (id, document_id, annotator, name, label, mentions, modified) "
        f"VALUES ('x5', '{D1}', 'ben', 'X', 'person', '[]', '{STAMP}')",
        None,
    ),
    (
        "set another annotator's status",
        "INSERT INTO spanwise.status (document_id, annotator, status, modified) "
        f"VALUES ('{D1}', 'ben', 'new', '{STAMP}')",
        None,
    ),
    (
        "mark the gold version done (to lift blind annotation)",
        "UPDATE spanwise.status SET status = 'done' WHERE annotator = 'gold'",
        "zero",
    ),
    (
        "insert the gold version's status as done",
        "INSERT INTO spanwise.status (document_id, annotator, status, modified) "
        f"VALUES ('{D2}', 'gold', 'done', '{STAMP}')",
        None,
    ),
    (
        "record a decision in another's name",
        "INSERT INTO spanwise.decision (document_id, annotator, key, value, created, modified) "
        f"VALUES ('{D1}', 'ben', 'k', 'v', '{STAMP}', '{STAMP}')",
        None,
    ),
    (
        "record a conflict in another's name",
        "INSERT INTO spanwise.conflict (id, kind, record_key, document_id, annotator, modified, "
        f"kept_modified, created) VALUES ('x6', 'annotation', 'k', '{D1}', 'ben', '{STAMP}', "
        f"'{STAMP}', '{STAMP}')",
        None,
    ),
    (
        "write another's last sync",
        "INSERT INTO spanwise.sync_log (annotator, last_sync, pushed, pulled) "
        "VALUES ('ben', now(), 0, 0)",
        None,
    ),
    (
        "add a document",
        "INSERT INTO spanwise.document (id, sha256, title, source, text, imported_at, position) "
        f"VALUES ('x7', 'x7', 't', 's', 'text', '{STAMP}', 9)",
        None,
    ),
    (
        "change a document's text",
        f"UPDATE spanwise.document SET text = 'x' WHERE id = '{D1}'",
        None,
    ),
    ("delete a document", f"DELETE FROM spanwise.document WHERE id = '{D1}'", None),
    ("change the label schema", "UPDATE spanwise.label_schema SET labels = '[]'", None),
    (
        "put up a label schema",
        "INSERT INTO spanwise.label_schema (id, labels, relation_types, entity_types) "
        "VALUES (1, '[]', '[]', '[]')",
        None,
    ),
    (
        "assign themselves a document",
        f"INSERT INTO spanwise.assignment (document_id, annotator) VALUES ('{D2}', 'ana')",
        None,
    ),
    ("make themselves a reviewer", "UPDATE spanwise.person SET role = 'reviewer'", None),
    (
        "change another's annotation",
        f"UPDATE spanwise.annotation SET label = 'Cue' WHERE id = '{BEN_A}'",
        "zero",
    ),
    (
        "mark another's tombstone (delete it for them)",
        "UPDATE spanwise.annotation SET deleted = true WHERE annotator = 'ben'",
        "zero",
    ),
    (
        "add a person",
        "INSERT INTO spanwise.person (name, login, role) VALUES ('eve', 'eve', 'reviewer')",
        None,
    ),
    ("declare their own name a gold name", "INSERT INTO spanwise.gold_name VALUES ('ana')", None),
    (
        "switch off row-level security",
        "ALTER TABLE spanwise.annotation DISABLE ROW LEVEL SECURITY",
        None,
    ),
    ("drop a policy", "DROP POLICY read ON spanwise.annotation", None),
    ("create a table in the project's schema", "CREATE TABLE spanwise.mine (x int)", None),
    (
        "replace a security function",
        "CREATE OR REPLACE FUNCTION spanwise.is_reviewer() RETURNS boolean LANGUAGE sql "
        "AS 'SELECT true'",
        None,
    ),
    ("act as another annotator's role", "SET ROLE {ben}", None),
    ("read the migration version table", "SELECT * FROM spanwise.alembic_version", None),
]

FORBIDDEN_FOR_ANNOTATORS = (
    [what for what, _sql in FORBIDDEN_READS_ANNOTATOR]
    + [what for what, _sql, _params in FORBIDDEN_WRITES_ANNOTATOR]
    + [
        "forge the transaction stamp that tells pullers what is new",
        "connect to the project database with a login that is not in the project",
    ]
)

FORBIDDEN_WRITES_REVIEWER = [
    (
        "insert an annotation in an annotator's name",
        INSERT_ANNOTATION,
        _annotation("r1", D1, "ana"),
    ),
    (
        "change an annotator's annotation",
        f"UPDATE spanwise.annotation SET label = 'Cue' WHERE id = '{ANA_A}'",
        "zero",
    ),
    (
        "mark an annotator's document done",
        "UPDATE spanwise.status SET status = 'done' WHERE annotator = 'ana'",
        "zero",
    ),
    (
        "delete a gold annotation's row",
        f"DELETE FROM spanwise.annotation WHERE id = '{GOLD_A}'",
        None,
    ),
    (
        "add a document",
        "INSERT INTO spanwise.document (id, sha256, title, source, text, imported_at, position) "
        f"VALUES ('r7', 'r7', 't', 's', 'text', '{STAMP}', 9)",
        None,
    ),
    ("change the label schema", "UPDATE spanwise.label_schema SET labels = '[]'", None),
    (
        "assign documents",
        f"INSERT INTO spanwise.assignment (document_id, annotator) VALUES ('{D2}', 'ana')",
        None,
    ),
    (
        "add a person",
        "INSERT INTO spanwise.person (name, login, role) VALUES ('eve', 'eve', 'annotator')",
        None,
    ),
    (
        "switch off row-level security",
        "ALTER TABLE spanwise.annotation DISABLE ROW LEVEL SECURITY",
        None,
    ),
]
FORBIDDEN_FOR_REVIEWERS = [what for what, _sql, _params in FORBIDDEN_WRITES_REVIEWER]


def _refused(connection, sql: str, params: object) -> str:  # type: ignore[no-untyped-def]
    """Run one statement in its own transaction; the server's refusal, or fail."""
    import psycopg

    try:
        with connection.transaction():
            cursor = connection.execute(sql, params if isinstance(params, tuple) else None)
            if params == "zero":  # an UPDATE of rows the policy hides touches none
                assert cursor.rowcount == 0, sql
                raise psycopg.errors.InsufficientPrivilege("no row visible to change")
    except psycopg.Error as exc:
        return type(exc).__name__
    pytest.fail(f"the server allowed: {sql}")


def test_an_annotator_cannot_read_or_write_what_is_not_theirs(team: Project) -> None:
    ben_login = team.logins["ben"]
    with team.connect("ana") as ana:
        for what, sql in FORBIDDEN_READS_ANNOTATOR:
            assert ana.execute(sql).fetchall() == [], what
            ana.rollback()
        refusals = {}
        for what, sql, params in FORBIDDEN_WRITES_ANNOTATOR:
            refusals[what] = _refused(ana, sql.format(ben=f'"{ben_login}"'), params)
        # what they may do, they can: their own rows, their documents, the schema
        mine = ana.execute("SELECT id FROM spanwise.annotation ORDER BY id").fetchall()
        assert mine == [("ana-2",), (ANA_A,)]
        assert ana.execute("SELECT id FROM spanwise.document").fetchall() == [(D1,)]
        ana.execute(INSERT_ANNOTATION, _annotation("ana-3", D1, "ana"))
        ana.execute(f"UPDATE spanwise.annotation SET deleted = true WHERE id = '{ANA_A}'")
        ana.commit()
    assert set(refusals.values()) <= {
        "InsufficientPrivilege",  # permission denied / row-level security policy
        "UndefinedTable",
    }
    with team.connect() as manager:  # nothing of ben's or gold changed
        rows = manager.execute(
            "SELECT id, annotator, label, deleted FROM spanwise.annotation ORDER BY id"
        ).fetchall()
    assert ("ana-3", "ana", "Quote", False) in rows
    assert (BEN_A, "ben", "Quote", False) in rows and (GOLD_A, "gold", "Quote", False) in rows
    assert len(rows) == 7


def test_the_transaction_stamp_cannot_be_forged(team: Project) -> None:
    """A puller finds what is new by the writing transaction's id: setting an old one would
    hide a change from the reviewer, so the server sets it, whatever the client says."""
    with team.connect("ana") as ana:
        ana.execute(f"UPDATE spanwise.annotation SET txid = '3', note = 'x' WHERE id = '{ANA_A}'")
        stamped, current = ana.execute(
            f"SELECT txid::text, pg_current_xact_id()::text FROM spanwise.annotation "
            f"WHERE id = '{ANA_A}'"
        ).fetchone()
        ana.commit()
    assert stamped == current != "3"


def test_a_login_outside_the_project_cannot_connect(team: Project) -> None:
    import psycopg

    with team.connect() as manager:
        manager.execute(f"CREATE ROLE {team.database}_eve LOGIN PASSWORD 'eve-secret'")
        manager.commit()
    team.cluster.remember_password(f"{team.database}_eve", "eve-secret")
    with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
        psycopg.connect(team.cluster.url(user=f"{team.database}_eve", database=team.database))


def test_a_reviewer_reads_everything_and_writes_only_gold(team: Project) -> None:
    with team.connect("rita") as rita:
        everyone = rita.execute("SELECT DISTINCT annotator FROM spanwise.annotation").fetchall()
        assert sorted(r[0] for r in everyone) == ["ana", "ben", "gold"]
        assert len(rita.execute("SELECT * FROM spanwise.document").fetchall()) == 2
        refusals = {
            what: _refused(rita, sql, params) for what, sql, params in FORBIDDEN_WRITES_REVIEWER
        }
        rita.execute(INSERT_ANNOTATION, _annotation("gold-2", D1, "gold"))
        rita.execute(
            "UPDATE spanwise.status SET status = 'done' WHERE annotator = 'gold' "
            f"AND document_id = '{D1}'"
        )
        rita.commit()
    assert set(refusals.values()) == {"InsufficientPrivilege"}


def test_adjudication_lifts_blind_annotation_for_that_document(team: Project) -> None:
    with team.connect("ana") as ana:
        assert (
            ana.execute(f"SELECT id FROM spanwise.annotation WHERE id = '{BEN_A}'").fetchall() == []
        )
    with team.connect("rita") as rita:
        rita.execute(
            f"UPDATE spanwise.status SET status = 'done' WHERE annotator = 'gold' "
            f"AND document_id = '{D1}'"
        )
        rita.commit()
    with team.connect("ana") as ana:
        seen = {r[0] for r in ana.execute("SELECT annotator FROM spanwise.annotation")}
        assert seen == {"ana", "ben", "gold"}  # D1's work, now adjudicated
        assert (
            ana.execute("SELECT id FROM spanwise.annotation WHERE id = 'ben-d2'").fetchall() == []
        )
