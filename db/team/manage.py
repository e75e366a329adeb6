"""The manager's work on the team server: its tables, its people, its documents, who does what.

The manager connects as the role that owns the project's tables (the one that ran `server
init`); row-level security does not restrict the owner, so `status` sees everyone's work.
"""

from __future__ import annotations

import json
import random
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from db.errors import SpanwiseError
from db.records import DocumentData, now_iso
from db.schema.label_schema import Schema, load_schema
from db.team.connect import ServerProblem, connect_raw, create_server_engine
from db.team.server_schema import GOLD, group_roles, schema_json, server_schema

ROLES = ("annotator", "reviewer")


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "db.team:server_migrations")
    config.attributes["connection"] = connection
    return config


def upgrade_server(address: str) -> tuple[str | None, str]:
    """Create (or bring up to date) the project's tables, through Alembic, in one
    transaction; returns the revisions before and after."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy.exc import SQLAlchemyError

    engine = create_server_engine(address)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE SCHEMA IF NOT EXISTS spanwise")
            context = MigrationContext.configure(
                connection, opts={"version_table_schema": "spanwise"}
            )
            before = context.get_current_revision()
            command.upgrade(_alembic_config(connection), "head")
            after = MigrationContext.configure(
                connection, opts={"version_table_schema": "spanwise"}
            ).get_current_revision()
    except SQLAlchemyError as exc:
        raise ServerProblem(f"the server refused: {_reason(exc)}") from exc
    finally:
        engine.dispose()
    assert after is not None
    return before, after


def _reason(exc: BaseException) -> str:
    original = getattr(exc, "orig", None) or exc
    diag = getattr(original, "diag", None)
    text = getattr(diag, "message_primary", None) or str(original)
    return str(text).strip().splitlines()[0]


class Manager:
    """One connection to the server as its manager, for a command's worth of work."""

    def __init__(self, address: str) -> None:
        self.connection = connect_raw(address)
        self.database = self.connection.execute("SELECT current_database()").fetchone()[0]
        installed = self.connection.execute(
            "SELECT to_regclass('spanwise.person') IS NOT NULL"
        ).fetchone()[0]
        self.connection.rollback()
        if not installed:
            self.close()
            raise ServerProblem(
                f"database {self.database} has no Spanwise project yet: run `spanwise server "
                "init` with its address first"
            )

    def close(self) -> None:
        """Close the connection to the server."""
        self.connection.close()

    def __enter__(self) -> Manager:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _run(self, work: Any) -> Any:
        """Run work(cursor) in one transaction; a refusal is one line, nothing changed."""
        import psycopg

        try:
            with self.connection.transaction(), self.connection.cursor() as cursor:
                return work(cursor)
        except psycopg.Error as exc:
            raise ServerProblem(f"the server refused: {_reason(exc)}") from exc

    # -- people -------------------------------------------------------------------------------

    def add_person(
        self, name: str, role: str, login: str | None = None, password: str | None = None
    ) -> PersonAdded:
        """Make `name` an annotator or reviewer who connects as the login role `login` (by
        default their name). A new role gets `password`, or a random one that is shown once
        (Spanwise keeps none); an existing role keeps its own unless a password is given."""
        from psycopg import sql

        name = name.strip()
        if role not in ROLES:
            raise SpanwiseError(f"a person is an annotator or a reviewer, not '{role}'")
        if not name or any(c in name for c in "\t\n\r"):
            raise SpanwiseError("a person needs a name of one line")
        if name in GOLD:
            raise SpanwiseError(f"'{name}' is the name of the gold version; choose another")
        login = (login or name).strip()
        annotators, reviewers = group_roles(self.database)
        group = annotators if role == "annotator" else reviewers

        def work(cursor: Any) -> PersonAdded:
            taken = cursor.execute(
                "SELECT name, role FROM spanwise.person WHERE login = %s OR name = %s",
                (login, name),
            ).fetchone()
            if taken is not None:
                raise SpanwiseError(f"{taken[0]} is already a {taken[1]} of this project")
            exists = cursor.execute(
                "SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)
            ).fetchone()
            chosen = password
            if exists is None:
                chosen = password or secrets.token_urlsafe(18)
                cursor.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(login)))
            if chosen is not None:
                hashed = self.connection.pgconn.encrypt_password(
                    chosen.encode(), login.encode(), b"scram-sha-256"
                )
                cursor.execute(
                    sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                        sql.Identifier(login), sql.Literal(hashed.decode())
                    )
                )
            cursor.execute(
                sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), sql.Identifier(login))
            )
            cursor.execute(
                "INSERT INTO spanwise.person (name, login, role) VALUES (%s, %s, %s)",
                (name, login, role),
            )
            return PersonAdded(name, login, role, chosen if password is None else None)

        return self._run(work)

    def people(self) -> list[tuple[str, str, str]]:
        """Everyone on the project: name, login and role."""
        return self._run(
            lambda c: c.execute(
                "SELECT name, login, role FROM spanwise.person ORDER BY role, name"
            ).fetchall()
        )

    # -- documents and schema -----------------------------------------------------------------

    def publish(
        self, paths: Sequence[Path], schema_text: str | None = None, encoding: str | None = None
    ) -> PublishReport:
        """Put text files, folders and exports' documents up (matched by SHA-256: a text
        already there is not added again), with the label schema: the one given, else an
        export's, else the bundled news schema when the server has none yet."""
        # Long because one server transaction (documents, schema, record) in order; split, the
        # transaction would be spread over helpers.
        from db.formats.batch_import import plan_import

        plan = plan_import(paths, encoding)
        documents: list[DocumentData] = [
            DocumentData("", t.title, t.path.name, t.text, t.sha256, "") for t in plan.texts
        ]
        schema: Schema | None = load_schema(schema_text, "schema") if schema_text else None
        for export_schema, exported in plan.exports:
            documents.extend(item.document for item in exported)
            schema = schema or export_schema
        if not documents and schema is None:
            raise SpanwiseError("nothing to publish: give text files, folders or exports")

        def work(cursor: Any) -> PublishReport:
            report = PublishReport()
            current = cursor.execute("SELECT 1 FROM spanwise.label_schema").fetchone()
            chosen = schema if (schema_text or current is None) else None
            if chosen is None and current is None:
                chosen = load_schema()
            if chosen is not None:
                data = schema_json(chosen)
                cursor.execute(
                    "INSERT INTO spanwise.label_schema (id, labels, relation_types, entity_types) "
                    "VALUES (1, %s, %s, %s) ON CONFLICT (id) DO UPDATE SET labels = "
                    "EXCLUDED.labels, relation_types = EXCLUDED.relation_types, "
                    "entity_types = EXCLUDED.entity_types",
                    [json.dumps(data[k]) for k in ("labels", "relations", "entity_types")],
                )
                report.schema_labels = len(chosen.labels)
            known = dict(cursor.execute("SELECT sha256, id FROM spanwise.document").fetchall())
            taken = set(known.values())
            position = cursor.execute(
                "SELECT coalesce(max(position), 0) FROM spanwise.document"
            ).fetchone()[0]
            for doc in documents:
                if doc.sha256 in known:
                    report.already_there += 1
                    continue
                doc_id = next(
                    doc.sha256[:n] for n in (16, 24, 32, 64) if doc.sha256[:n] not in taken
                )
                position += 1
                cursor.execute(
                    "INSERT INTO spanwise.document (id, sha256, title, source, text, "
                    "imported_at, position) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                    (
                        doc_id,
                        doc.sha256,
                        doc.title,
                        doc.source,
                        doc.text,
                        doc.imported_at or now_iso(),
                        position,
                    ),
                )
                known[doc.sha256] = doc_id
                taken.add(doc_id)
                report.published.append(doc_id)
            return report

        return self._run(work)

    def schema(self) -> Schema | None:
        """The project's label schema on the server, if one was published."""
        row = self._run(
            lambda c: c.execute(
                "SELECT labels, relation_types, entity_types FROM spanwise.label_schema"
            ).fetchone()
        )
        return None if row is None else server_schema(*row)

    # -- assignments --------------------------------------------------------------------------

    def assign(
        self,
        annotators: Sequence[str] = (),
        documents: Sequence[str] = (),
        per_document: int | None = None,
        seed: int | None = None,
    ) -> list[tuple[str, str]]:
        """Give documents (by id; all when none are named) to annotators: each named one
        gets every document, or, with `per_document`, each document goes to that many of
        them chosen at random (balanced: the least loaded first, ties broken by the seed).
        Returns the new (document, annotator) pairs; pairs that exist are left as they are."""

        def work(cursor: Any) -> list[tuple[str, str]]:
            people = dict(cursor.execute("SELECT name, role FROM spanwise.person").fetchall())
            chosen = list(annotators) or sorted(n for n, r in people.items() if r == "annotator")
            for name in chosen:
                if people.get(name) != "annotator":
                    known = ", ".join(sorted(n for n, r in people.items() if r == "annotator"))
                    raise SpanwiseError(
                        f"unknown annotator '{name}' (annotators: {known or 'none yet'})"
                    )
            if not chosen:
                raise SpanwiseError("no annotators yet: add some with `server add-annotator`")
            all_ids = [
                r[0]
                for r in cursor.execute(
                    "SELECT id FROM spanwise.document ORDER BY position, id"
                ).fetchall()
            ]
            for doc_id in documents:
                if doc_id not in all_ids:
                    raise SpanwiseError(f"no published document with id {doc_id}")
            targets = list(documents) or all_ids
            existing = set(
                cursor.execute("SELECT document_id, annotator FROM spanwise.assignment").fetchall()
            )
            pairs = _choose_pairs(targets, chosen, per_document, seed, existing)
            new = [p for p in pairs if p not in existing]
            cursor.executemany(
                "INSERT INTO spanwise.assignment (document_id, annotator) VALUES (%s, %s)", new
            )
            return new

        return self._run(work)

    # -- status -------------------------------------------------------------------------------

    def status(self) -> ProjectStatus:
        """Per annotator and document: status, annotation count, last sync; gold too."""

        def work(cursor: Any) -> ProjectStatus:
            result = ProjectStatus()
            result.last_sync = {
                name: stamp.isoformat(timespec="seconds")
                for name, stamp in cursor.execute(
                    "SELECT annotator, last_sync FROM spanwise.sync_log"
                ).fetchall()
            }
            rows = cursor.execute(
                """
                WITH pairs AS (
                    SELECT document_id, annotator FROM spanwise.assignment
                    UNION SELECT document_id, annotator FROM spanwise.status WHERE NOT deleted
                    UNION SELECT document_id, annotator FROM spanwise.annotation WHERE NOT deleted
                )
                SELECT p.annotator, d.id, d.title,
                       coalesce(s.status, 'new'),
                       (SELECT count(*) FROM spanwise.annotation a
                        WHERE a.document_id = p.document_id AND a.annotator = p.annotator
                          AND NOT a.deleted),
                       EXISTS (SELECT 1 FROM spanwise.assignment x
                               WHERE x.document_id = p.document_id
                                 AND x.annotator = p.annotator)
                FROM pairs p JOIN spanwise.document d ON d.id = p.document_id
                LEFT JOIN spanwise.status s ON s.document_id = p.document_id
                     AND s.annotator = p.annotator AND NOT s.deleted
                ORDER BY p.annotator, d.position, d.id
                """
            ).fetchall()
            roles = dict(cursor.execute("SELECT name, role FROM spanwise.person").fetchall())
            gold = {r[0] for r in cursor.execute("SELECT name FROM spanwise.gold_name")}
            for annotator, doc_id, title, status, count, assigned in rows:
                role = "gold" if annotator in gold else roles.get(annotator, "unknown")
                result.rows.append(
                    StatusRow(annotator, role, doc_id, title, status, count, assigned)
                )
            result.documents = cursor.execute("SELECT count(*) FROM spanwise.document").fetchone()[
                0
            ]
            return result

        return self._run(work)


def _choose_pairs(
    documents: Sequence[str],
    annotators: Sequence[str],
    per_document: int | None,
    seed: int | None,
    existing: Iterable[tuple[str, str]],
) -> list[tuple[str, str]]:
    if per_document is None:
        return [(d, a) for d in documents for a in annotators]
    if not 1 <= per_document <= len(annotators):
        raise SpanwiseError(
            f"--per-document {per_document}: give a number from 1 to the {len(annotators)} "
            "annotator(s)"
        )
    rng = random.Random(seed)
    load = {a: 0 for a in annotators}
    had: dict[str, set[str]] = {}
    for doc_id, name in existing:
        had.setdefault(doc_id, set()).add(name)
        if name in load:
            load[name] += 1
    pairs = []
    for doc_id in documents:
        already = had.get(doc_id, set()) & set(annotators)
        needed = max(per_document - len(already), 0)
        candidates = [a for a in annotators if a not in already]
        rng.shuffle(candidates)
        candidates.sort(key=lambda a: load[a])  # stable: the shuffle breaks ties
        for name in candidates[:needed]:
            load[name] += 1
            pairs.append((doc_id, name))
    return pairs


@dataclass
class PersonAdded:
    """Someone added to the project, with the password to hand over once."""

    name: str
    login: str
    role: str
    password: str | None  # the generated one, to hand over once; None when not generated


@dataclass
class PublishReport:
    """What a publish put up: documents new and already there, schema labels."""

    published: list[str] = field(default_factory=list)
    already_there: int = 0
    schema_labels: int = 0


@dataclass
class StatusRow:
    """One annotator's status on one document, for `spanwise server status`."""

    annotator: str
    role: str
    document_id: str
    title: str
    status: str
    annotations: int
    assigned: bool


@dataclass
class ProjectStatus:
    """The project at a glance: every status row and each person's last sync."""

    rows: list[StatusRow] = field(default_factory=list)
    last_sync: dict[str, str] = field(default_factory=dict)
    documents: int = 0

    def to_json(self) -> dict[str, Any]:
        """The status as one JSON object, by person."""
        people: dict[str, dict[str, Any]] = {}
        for row in self.rows:
            person = people.setdefault(
                row.annotator,
                {
                    "role": row.role,
                    "last_sync": self.last_sync.get(row.annotator),
                    "documents": {},
                },
            )
            person["documents"][row.document_id] = {
                "title": row.title,
                "status": row.status,
                "annotations": row.annotations,
                "assigned": row.assigned,
            }
        for name, stamp in self.last_sync.items():
            people.setdefault(name, {"role": None, "last_sync": stamp, "documents": {}})
        done = [r for r in self.rows if r.assigned]
        return {
            "documents": self.documents,
            "assignments": len(done),
            "assignments_done": sum(1 for r in done if r.status == "done"),
            "people": dict(sorted(people.items())),
        }
