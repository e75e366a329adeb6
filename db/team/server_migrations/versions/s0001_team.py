"""The team server: people, documents, assignments, everyone's records; row-level security.

Every record table has the owner's name (`annotator`), a tombstone flag (`deleted`: a
deletion must travel to the owner's other laptop and to the reviewer, so no row is ever
removed) and `txid`, the transaction that last wrote the row, set by a trigger the writer
cannot bypass. A client pulls the rows whose `txid` its previous pull's snapshot could not
see, which is exact however transactions interleave.

Each person connects as their own PostgreSQL login; `spanwise.person` maps the login to the
annotator name. Policies use the functions below through scalar subqueries, so they are
evaluated once per statement, not once per row.

Revision ID: s0001
Revises:
Create Date: 2026-12-05
"""

from alembic import op

from db.team.server_schema import group_roles

revision = "s0001"
down_revision = None
branch_labels = None
depends_on = None

RECORDS = ("annotation", "relation", "entity", "status", "decision")

TABLES = """
CREATE TABLE spanwise.person (
    name text PRIMARY KEY CHECK (length(btrim(name)) > 0),
    login name NOT NULL UNIQUE,
    role text NOT NULL CHECK (role IN ('annotator', 'reviewer')),
    added_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE spanwise.gold_name (name text PRIMARY KEY);
INSERT INTO spanwise.gold_name VALUES ('gold');
CREATE TABLE spanwise.label_schema (
    id int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    labels jsonb NOT NULL,
    relation_types jsonb NOT NULL,
    entity_types jsonb NOT NULL,
    txid xid8 NOT NULL
);
CREATE TABLE spanwise.document (
    id text PRIMARY KEY,
    sha256 text NOT NULL UNIQUE,
    title text NOT NULL,
    source text NOT NULL,
    text text NOT NULL,
    imported_at text NOT NULL,
    position int NOT NULL,
    txid xid8 NOT NULL
);
CREATE TABLE spanwise.assignment (
    document_id text NOT NULL REFERENCES spanwise.document ON DELETE CASCADE,
    annotator text NOT NULL REFERENCES spanwise.person (name) ON UPDATE CASCADE,
    assigned_at timestamptz NOT NULL DEFAULT now(),
    txid xid8 NOT NULL,
    PRIMARY KEY (document_id, annotator)
);
CREATE INDEX assignment_annotator ON spanwise.assignment (annotator, document_id);
CREATE TABLE spanwise.annotation (
    id text PRIMARY KEY,
    document_id text NOT NULL REFERENCES spanwise.document,
    annotator text NOT NULL,
    label text NOT NULL,
    start int NOT NULL,
    "end" int NOT NULL,
    attributes jsonb NOT NULL DEFAULT '{}',
    note text,
    created text NOT NULL,
    modified text NOT NULL,
    fragments jsonb,
    deleted boolean NOT NULL DEFAULT false,
    txid xid8 NOT NULL,
    CHECK (start >= 0 AND "end" > start)
);
CREATE TABLE spanwise.relation (
    id text PRIMARY KEY,
    document_id text NOT NULL REFERENCES spanwise.document,
    annotator text NOT NULL,
    type text NOT NULL,
    source_id text NOT NULL REFERENCES spanwise.annotation,
    target_id text NOT NULL REFERENCES spanwise.annotation,
    modified text NOT NULL,
    deleted boolean NOT NULL DEFAULT false,
    txid xid8 NOT NULL
);
CREATE TABLE spanwise.entity (
    id text PRIMARY KEY,
    document_id text NOT NULL REFERENCES spanwise.document,
    annotator text NOT NULL,
    name text NOT NULL,
    label text NOT NULL,
    mentions jsonb NOT NULL,
    modified text NOT NULL,
    deleted boolean NOT NULL DEFAULT false,
    txid xid8 NOT NULL
);
CREATE TABLE spanwise.status (
    document_id text NOT NULL REFERENCES spanwise.document,
    annotator text NOT NULL,
    status text NOT NULL CHECK (status IN ('new', 'in progress', 'done')),
    modified text NOT NULL,
    deleted boolean NOT NULL DEFAULT false,
    txid xid8 NOT NULL,
    PRIMARY KEY (document_id, annotator)
);
CREATE TABLE spanwise.decision (
    document_id text NOT NULL REFERENCES spanwise.document,
    annotator text NOT NULL,
    key text NOT NULL,
    value text NOT NULL,
    created text NOT NULL,
    modified text NOT NULL,
    deleted boolean NOT NULL DEFAULT false,
    txid xid8 NOT NULL,
    PRIMARY KEY (document_id, annotator, key)
);
CREATE TABLE spanwise.conflict (
    id text PRIMARY KEY,
    kind text NOT NULL,
    record_key text NOT NULL,
    document_id text NOT NULL REFERENCES spanwise.document,
    annotator text NOT NULL,
    version jsonb,
    modified text NOT NULL,
    kept_modified text NOT NULL,
    created text NOT NULL,
    txid xid8 NOT NULL
);
CREATE TABLE spanwise.sync_log (
    annotator text PRIMARY KEY,
    last_sync timestamptz NOT NULL,
    pushed bigint NOT NULL,
    pulled bigint NOT NULL,
    txid xid8 NOT NULL
);
"""

FUNCTIONS = """
CREATE FUNCTION spanwise.my_name() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, spanwise AS
$$ SELECT name FROM spanwise.person WHERE login = session_user $$;

CREATE FUNCTION spanwise.is_reviewer() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, spanwise AS
$$ SELECT EXISTS (SELECT 1 FROM spanwise.person
                  WHERE login = session_user AND role = 'reviewer') $$;

CREATE FUNCTION spanwise.gold_names() RETURNS text[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, spanwise AS
$$ SELECT coalesce(array_agg(name), '{}') FROM spanwise.gold_name $$;

-- Adjudicated: the gold version of the document is done; its annotators may then see each
-- other's work on it (blind annotation ends with adjudication).
CREATE FUNCTION spanwise.adjudicated(document text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, spanwise AS
$$ SELECT EXISTS (SELECT 1 FROM spanwise.status s JOIN spanwise.gold_name g
                  ON g.name = s.annotator
                  WHERE s.document_id = document AND s.status = 'done' AND NOT s.deleted) $$;

CREATE FUNCTION spanwise.assigned_to_me(document text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, spanwise AS
$$ SELECT EXISTS (SELECT 1 FROM spanwise.assignment a JOIN spanwise.person p
                  ON p.name = a.annotator
                  WHERE a.document_id = document AND p.login = session_user) $$;

CREATE FUNCTION spanwise.stamp() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN NEW.txid := pg_current_xact_id(); RETURN NEW; END $$;
"""

# Who may write a row of `annotator` on `document`: its owner on a document assigned to them
# (a reviewer on any), and a reviewer for the gold version.
MAY_WRITE = """(
    (annotator = (SELECT spanwise.my_name())
     AND ((SELECT spanwise.is_reviewer()) OR EXISTS (
        SELECT 1 FROM spanwise.assignment a
        WHERE a.document_id = {table}.document_id
          AND a.annotator = (SELECT spanwise.my_name()))))
    OR ((SELECT spanwise.is_reviewer()) AND annotator IN (SELECT name FROM spanwise.gold_name))
)"""

MAY_READ = """(
    annotator = (SELECT spanwise.my_name())
    OR (SELECT spanwise.is_reviewer())
    OR (spanwise.assigned_to_me(document_id) AND spanwise.adjudicated(document_id))
)"""


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def upgrade() -> None:
    # Long because a migration is one schema step; its DDL reads as one list.
    bind = op.get_bind()
    database = bind.exec_driver_sql("SELECT current_database()").scalar_one()
    annotators, reviewers = (_quoted(r) for r in group_roles(database))
    op.execute(TABLES)
    op.execute(FUNCTIONS)
    for index_table in RECORDS + ("conflict",):
        op.execute(f"CREATE INDEX {index_table}_txid ON spanwise.{index_table} (txid)")
    for table in ("annotation", "relation", "entity"):
        op.execute(f"CREATE INDEX {table}_owner ON spanwise.{table} (document_id, annotator)")
    for table in (*RECORDS, "label_schema", "document", "assignment", "conflict", "sync_log"):
        op.execute(
            f"CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON spanwise.{table} "
            "FOR EACH ROW EXECUTE FUNCTION spanwise.stamp()"
        )
    for group in (annotators, reviewers):
        op.execute(
            f"DO $$ BEGIN CREATE ROLE {group} NOLOGIN; "
            "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        )
    both = f"{annotators}, {reviewers}"
    op.execute(f"REVOKE ALL ON DATABASE {_quoted(database)} FROM PUBLIC")
    op.execute(f"GRANT CONNECT, TEMPORARY ON DATABASE {_quoted(database)} TO {both}")
    op.execute("REVOKE ALL ON SCHEMA spanwise FROM PUBLIC")
    op.execute(f"GRANT USAGE ON SCHEMA spanwise TO {both}")
    op.execute("REVOKE ALL ON ALL FUNCTIONS IN SCHEMA spanwise FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA spanwise TO {both}")
    readable = "spanwise.person, spanwise.gold_name, spanwise.label_schema, "
    readable += "spanwise.document, spanwise.assignment"
    op.execute(f"GRANT SELECT ON {readable} TO {both}")
    writable = ", ".join(f"spanwise.{t}" for t in (*RECORDS, "conflict", "sync_log"))
    op.execute(f"GRANT SELECT, INSERT, UPDATE ON {writable} TO {both}")

    def secure(table: str) -> None:
        op.execute(f"ALTER TABLE spanwise.{table} ENABLE ROW LEVEL SECURITY")

    for table in RECORDS:
        secure(table)
        may_write = MAY_WRITE.format(table=f"spanwise.{table}")
        op.execute(f"CREATE POLICY read ON spanwise.{table} FOR SELECT USING {MAY_READ}")
        op.execute(f"CREATE POLICY add ON spanwise.{table} FOR INSERT WITH CHECK {may_write}")
        op.execute(
            f"CREATE POLICY change ON spanwise.{table} FOR UPDATE USING {may_write} "
            f"WITH CHECK {may_write}"
        )
    mine = "annotator = (SELECT spanwise.my_name())"
    gold = (
        "((SELECT spanwise.is_reviewer()) AND annotator IN (SELECT name FROM spanwise.gold_name))"
    )
    secure("conflict")
    op.execute(f"CREATE POLICY own ON spanwise.conflict USING ({mine} OR {gold})")
    secure("sync_log")
    op.execute(f"CREATE POLICY own ON spanwise.sync_log USING ({mine})")
    secure("person")
    op.execute(
        "CREATE POLICY read ON spanwise.person FOR SELECT "
        "USING (login = session_user OR (SELECT spanwise.is_reviewer()))"
    )
    secure("assignment")
    op.execute(
        f"CREATE POLICY read ON spanwise.assignment FOR SELECT "
        f"USING ({mine} OR (SELECT spanwise.is_reviewer()))"
    )
    secure("document")
    op.execute(
        "CREATE POLICY read ON spanwise.document FOR SELECT "
        "USING ((SELECT spanwise.is_reviewer()) OR EXISTS (SELECT 1 FROM spanwise.assignment a "
        "WHERE a.document_id = document.id AND a.annotator = (SELECT spanwise.my_name())))"
    )


def downgrade() -> None:
    bind = op.get_bind()
    database = bind.exec_driver_sql("SELECT current_database()").scalar_one()
    for table in (
        "sync_log",
        "conflict",
        *reversed(RECORDS),
        "assignment",
        "document",
        "label_schema",
        "gold_name",
        "person",
    ):
        op.execute(f"DROP TABLE spanwise.{table}")
    for function in (
        "stamp()",
        "assigned_to_me(text)",
        "adjudicated(text)",
        "gold_names()",
        "is_reviewer()",
        "my_name()",
    ):
        op.execute(f"DROP FUNCTION spanwise.{function}")
    del database
