"""`spanwise sync`: push this laptop's waiting records, pull what the server has for us.

One server transaction (REPEATABLE READ) pushes and pulls; the laptop writes what was pulled
in one SQLite transaction that commits only after the server's has. What is pulled is exactly
the rows whose last writer the previous pull's snapshot could not see (the snapshot is kept
locally with the transaction id of our own writes), so a sync after nothing changed moves
nothing, and one interrupted anywhere (the program killed, the connection cut, the server
restarted) is simply done again: a push of what is already there changes nothing, a pull of
what is already here writes the same values.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from psycopg import sql
from sqlalchemy import select

from db.errors import SpanwiseError
from db.storage.models import Label, RelationType
from db.storage.rows import add_labels, add_relation_types, label_def, relation_type_def
from db.store import Store
from db.team import model_sync
from db.team.apply import Applied, Writer
from db.team.connect import ServerProblem, describe_address, parse_address
from db.team.copy_stream import copy_chunks, in_background
from db.team.kinds import ANNOTATION, DECISION, ENTITY, KINDS, RELATION, STATUS, Kind
from db.team.local import (
    LAST_PROBLEM,
    LAST_SYNC,
    NAME,
    OWN_XID,
    ROLE,
    SERVER,
    SNAPSHOT,
    LocalSide,
    Outbox,
)
from db.team.push import Conflict, Pushed, key_expression, push_kind
from db.team.server_schema import server_schema
from db.text.messages import counted

Progress = Callable[[str], None]


@dataclass
class SyncReport:
    """What one sync did, for the command line and the status bar."""

    name: str = ""
    role: str = ""
    server: str = ""
    pushed: Pushed = field(default_factory=Pushed)
    pulled: Applied = field(default_factory=Applied)
    documents_new: int = 0
    conflicts_new: int = 0
    schema_updated: bool = False
    waiting: int = 0  # still in the outbox afterwards
    unpublished: int = 0
    finished_at: str = ""

    def describe(self) -> str:
        """The sync's outcome in one line for the status bar and the terminal."""
        parts = [
            f"pushed {counted(self.pushed.total, 'record')}" + _models_among(self.pushed.written),
            f"pulled {counted(self.pulled.total, 'record')}" + _models_among(self.pulled.written),
        ]
        if self.documents_new:
            parts.append(f"{counted(self.documents_new, 'new document')}")
        if self.conflicts_new:
            parts.append(
                f"{counted(self.conflicts_new, 'conflict')} kept visible "
                "(spanwise sync --conflicts)"
            )
        if self.pulled.refused:
            parts.append(f"{self.pulled.refused} refused")
        if self.unpublished:
            parts.append(
                f"{counted(self.unpublished, 'change')} on documents not on the server "
                "(or not assigned to you) kept on this laptop"
            )
        return f"synced with {self.server} as {self.name} ({self.role}): " + ", ".join(parts)


def _models_among(written: dict[str, int]) -> str:
    models = written.get(model_sync.KIND, 0)
    return f" ({counted(models, 'trained suggestion model')} among them)" if models else ""


def sync(store: Store, address: str | None = None, progress: Progress | None = None) -> SyncReport:
    """Sync the database with its team server (`address` links it, or relinks it)."""
    address = address or store.setting(SERVER)
    if not address:
        raise SpanwiseError(
            "this database has no team server yet: spanwise sync --server "
            "postgresql://you@host/project"
        )
    parse_address(address)  # refuses an address with a password before anything is stored
    say = progress or (lambda _message: None)
    from db.team.connect import create_server_engine

    engine = create_server_engine(address)
    try:
        raw = _connect(engine)
        try:
            return _sync(store, raw, address, say)
        finally:
            with contextlib.suppress(Exception):
                raw.close()
    finally:
        engine.dispose()


def _connect(engine: Any) -> Any:
    import psycopg
    from sqlalchemy.exc import DBAPIError

    try:
        return engine.raw_connection()
    except DBAPIError as exc:
        raise ServerProblem(f"cannot reach the team server: {_reason(exc.orig or exc)}") from exc
    except psycopg.Error as exc:  # cut while SQLAlchemy set the connection up
        raise ServerProblem(f"cannot reach the team server: {_reason(exc)}") from exc


def _psycopg_errors() -> tuple[type[BaseException], ...]:
    import psycopg

    return (psycopg.Error,)


def _sync(store: Store, raw: Any, address: str, say: Progress) -> SyncReport:
    import psycopg

    pg = raw.driver_connection
    pg.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    report = SyncReport(server=describe_address(address))
    try:
        with pg.cursor() as cursor:
            me, reviewer = cursor.execute(
                "SELECT spanwise.my_name(), spanwise.is_reviewer()"
            ).fetchone()
            if me is None:
                login = cursor.execute("SELECT session_user").fetchone()[0]
                raise ServerProblem(
                    f"the server has no annotator or reviewer with the login {login}: ask the "
                    "project's manager to add you (spanwise server add-annotator)"
                )
            gold = {row[0] for row in cursor.execute("SELECT name FROM spanwise.gold_name")}
            report.name, report.role = me, "reviewer" if reviewer else "annotator"
            pushable = {me} | (gold if reviewer else set())
            assigned = None
            if not reviewer:
                assigned = {
                    row[0]
                    for row in cursor.execute(
                        "SELECT document_id FROM spanwise.assignment WHERE annotator = %s", (me,)
                    )
                }
            _link_if_new(store, address, me, pushable)
            _pull_documents(cursor, store, report)  # first: the outbox needs their server ids
            outbox, bases = _read_outbox(store, pushable, assigned)
            report.unpublished = outbox.unpublished
            say(f"pushing {counted(len(outbox.items), 'record')}")
            pushed = _push(cursor, outbox, bases)
            report.pushed = pushed
            local = LocalSide(store)
            try:
                models = model_sync.exchanged(local, address, me)
                written, sent = model_sync.push_models(cursor, local, models, me, reviewer)
                if written:
                    pushed.written[model_sync.KIND] = written
                _pull_and_finish(
                    cursor, local, store, outbox, pushed, report, me, reviewer, gold, say
                )
                models |= sent | model_sync.pull_models(cursor, local, models, report.pulled)
                model_sync.remember(local, address, me, models)
                pg.commit()
            except BaseException:
                local.rollback()
                raise
            local.commit()
    except _psycopg_errors() as exc:
        with contextlib.suppress(Exception):
            pg.rollback()
        _remember_problem(store, f"{exc}".strip().splitlines()[0] if f"{exc}".strip() else "")
        raise ServerProblem(f"the sync was interrupted, nothing was lost: {_reason(exc)}") from exc
    report.waiting = waiting_count(store)
    return report


def _reason(exc: BaseException) -> str:
    diag = getattr(exc, "diag", None)
    text = getattr(diag, "message_primary", None) or str(exc) or type(exc).__name__
    return str(text).strip().splitlines()[0]


def _remember_problem(store: Store, message: str) -> None:
    with contextlib.suppress(SpanwiseError):
        store.set_setting(LAST_PROBLEM, message)


def waiting_count(store: Store) -> int:
    """Local changes not yet on the server (what the status bar says is waiting)."""
    local = LocalSide(store, writing=False)
    try:
        return local.waiting()
    finally:
        local.rollback()


def _link_if_new(store: Store, address: str, me: str, pushable: set[str]) -> None:
    """The first sync as this person queues everything of theirs already here."""
    if store.setting(NAME) == me and store.setting(SERVER) == address:
        return
    local = LocalSide(store)
    try:
        if local.setting(NAME) != me:
            local.link(pushable)
            local.set_setting(SNAPSHOT, "")
            local.set_setting(OWN_XID, "")
            local.set_setting(NAME, me)
        else:
            local.tracking(True)
        local.set_setting(SERVER, address)
    except BaseException:
        local.rollback()
        raise
    local.commit()


def _read_outbox(
    store: Store, pushable: set[str], assigned: set[str] | None
) -> tuple[Outbox, dict[str, dict[str, str]]]:
    local = LocalSide(store, writing=False)
    try:
        outbox = local.outbox(pushable, assigned)
        bases = {
            kind.name: local.bases(
                kind.name, [kind.key_text(i.row) for i in outbox.items if i.kind is kind]
            )
            for kind in KINDS
        }
        return outbox, bases
    finally:
        local.rollback()


def _push(cursor: Any, outbox: Outbox, bases: dict[str, dict[str, str]]) -> Pushed:
    total = Pushed()
    for kind in KINDS:
        items = [i for i in outbox.items if i.kind is kind]
        part = push_kind(cursor, kind, items, bases[kind.name])
        total.written.update(part.written)
        total.conflicts += part.conflicts
        total.bases += part.bases
        total.refresh.update(part.refresh)
    return total


# -- pulling ----------------------------------------------------------------------------------


@dataclass
class _Window:
    """Which server rows are new to this laptop: those the previous snapshot could not see."""

    snapshot: str
    own: str

    @property
    def first(self) -> bool:
        return not self.snapshot

    def condition(self) -> sql.Composable:
        if self.first:
            return sql.SQL("true")
        return sql.SQL(
            "txid >= pg_snapshot_xmin({snap}::pg_snapshot) "
            "AND NOT pg_visible_in_snapshot(txid, {snap}::pg_snapshot) "
            "AND txid IS DISTINCT FROM {own}::xid8 "
            "AND txid IS DISTINCT FROM pg_current_xact_id_if_assigned()"
        ).format(
            snap=sql.Literal(self.snapshot),
            own=sql.Literal(self.own or None),
        )

    def new(self, column: str = "txid") -> sql.Composable:
        if self.first:
            return sql.SQL("true")
        return sql.SQL("NOT pg_visible_in_snapshot({}, {}::pg_snapshot)").format(
            sql.Identifier(column), sql.Literal(self.snapshot)
        )


_SELECTS = {
    ANNOTATION.name: 'id, document_id, annotator, label, start, "end", attributes::text, note, '
    "created, fragments::text, modified, deleted, txid::text",
    RELATION.name: "id, document_id, annotator, type, source_id, target_id, modified, deleted, "
    "txid::text",
    ENTITY.name: "id, document_id, annotator, name, label, mentions::text, modified, deleted, "
    "txid::text",
    STATUS.name: "document_id, annotator, status, modified, deleted, txid::text",
    DECISION.name: "document_id, annotator, key, value, created, modified, deleted, txid::text",
}
# Columns read as int and as bool (the rest are text or NULL).
_CONVERT = {
    ANNOTATION.name: ((4, 5), (11,)),
    RELATION.name: ((), (7,)),
    ENTITY.name: ((), (7,)),
    STATUS.name: ((), (4,)),
    DECISION.name: ((), (6,)),
}


def _copy_rows(cursor: Any, kind: Kind, where: sql.Composable) -> Iterator[list[list[Any]]]:
    """The kind's rows matching `where`, streamed with COPY in chunks, read by a thread
    beside the caller's writing."""
    statement = sql.SQL("COPY (SELECT {cols} FROM {table} WHERE {where}) TO STDOUT").format(
        cols=sql.SQL(_SELECTS[kind.name]), table=kind.server_table(), where=where
    )
    integers, booleans = _CONVERT[kind.name]
    return in_background(copy_chunks(cursor, statement, integers, booleans))


def _pull_and_finish(
    cursor: Any,
    local: LocalSide,
    store: Store,
    outbox: Outbox,
    pushed: Pushed,
    report: SyncReport,
    me: str,
    reviewer: bool,
    gold: set[str],
    say: Progress,
) -> None:
    # Long because the steps of one pull (rows, schema, bookkeeping, conflicts) in order, on one
    # cursor, committed together.
    local.pushed(outbox.items, outbox.others, outbox.max_seq)
    local.tracking(False)  # what comes from the server does not go back to it
    window = _window(local)
    pushable = {me} | (gold if reviewer else set())
    writer = Writer(local, *_definitions(local), local.pending(), pushable)
    say("pulling")
    refresh_docs: list[str] = []
    if not window.first and not reviewer:
        refresh_docs = [
            r[0]
            for r in cursor.execute(
                sql.SQL(
                    "SELECT document_id FROM spanwise.assignment WHERE {a} UNION "
                    "SELECT document_id FROM spanwise.status WHERE {s} AND status = 'done' "
                    "AND annotator IN (SELECT name FROM spanwise.gold_name)"
                ).format(a=window.new(), s=window.new())
            )
        ]
    apply = {
        ANNOTATION.name: writer.annotations,
        RELATION.name: writer.relations,
        ENTITY.name: writer.entities,
        STATUS.name: writer.statuses,
        DECISION.name: writer.decisions,
    }
    for kind in KINDS:
        for chunk in _copy_rows(cursor, kind, window.condition()):
            apply[kind.name](chunk)
        extra: list[sql.Composable] = []
        if refresh_docs:
            extra.append(sql.SQL("document_id = ANY({})").format(sql.Literal(refresh_docs)))
        if pushed.refresh.get(kind.name):
            extra.append(
                sql.SQL("{} = ANY({})").format(
                    key_expression(kind, kind.table), sql.Literal(pushed.refresh[kind.name])
                )
            )
        for condition in extra:
            for chunk in _copy_rows(cursor, kind, condition):
                apply[kind.name](chunk)
    conflicts = cursor.execute(
        sql.SQL(
            "SELECT id, kind, record_key, document_id, annotator, version::text, modified, "
            "kept_modified, created FROM spanwise.conflict WHERE {}"
        ).format(window.condition())
    ).fetchall()
    conflicts += [c.row() for c in pushed.conflicts]
    report.conflicts_new = writer.conflicts(conflicts)
    writer.finish()
    local.set_bases(pushed.bases)
    report.pulled = writer.applied
    cursor.execute(
        "INSERT INTO spanwise.sync_log (annotator, last_sync, pushed, pulled) "
        "VALUES (%s, now(), %s, %s) ON CONFLICT (annotator) DO UPDATE SET "
        "last_sync = EXCLUDED.last_sync, pushed = EXCLUDED.pushed, pulled = EXCLUDED.pulled",
        (me, pushed.total, writer.applied.total),
    )
    snapshot, own = cursor.execute(
        "SELECT pg_current_snapshot()::text, pg_current_xact_id_if_assigned()::text"
    ).fetchone()
    from db.records import now_iso

    report.finished_at = now_iso()
    local.set_setting(SNAPSHOT, snapshot)
    local.set_setting(OWN_XID, own or "")
    local.set_setting(LAST_SYNC, report.finished_at)
    local.set_setting(ROLE, report.role if report.role else ("reviewer" if reviewer else ""))
    local.set_setting(LAST_PROBLEM, "")
    local.tracking(True)
    del store


def _window(local: LocalSide) -> _Window:
    return _Window(local.setting(SNAPSHOT) or "", local.setting(OWN_XID) or "")


def _pull_documents(cursor: Any, store: Store, report: SyncReport) -> None:
    """The schema and the documents new to this laptop, matched to its own by SHA-256, in
    a transaction of their own (pulling them twice changes nothing)."""
    local = LocalSide(store)
    try:
        window = _window(local)
        report.schema_updated = _pull_schema(cursor, local, window)
        before = len(local.local_of)
        for row in cursor.execute(
            sql.SQL(
                "SELECT id, sha256, title, source, text, imported_at, position "
                "FROM spanwise.document d WHERE {new} OR d.id IN (SELECT a.document_id FROM "
                "spanwise.assignment a WHERE {assigned}) ORDER BY position, id"
            ).format(new=window.new(), assigned=window.new("txid"))
        ).fetchall():
            local.document(row)
        report.documents_new = len(local.local_of) - before
    except BaseException:
        local.rollback()
        raise
    local.commit()


def _pull_schema(cursor: Any, local: LocalSide, window: _Window) -> bool:
    row = cursor.execute(
        sql.SQL(
            "SELECT labels, relation_types, entity_types FROM spanwise.label_schema WHERE {}"
        ).format(window.new())
    ).fetchone()
    if row is None:
        return False
    schema = server_schema(*row)
    add_labels(local.session, schema.labels)
    add_relation_types(local.session, schema.relation_types)
    local.set_setting("entity_types", "\n".join(schema.entity_types))
    local.labels = dict(local.raw.execute("SELECT name, id FROM label").fetchall())
    return True


def _definitions(local: LocalSide) -> tuple[dict[str, Any], dict[str, Any]]:
    labels = {row.name: label_def(row) for row in local.session.scalars(select(Label))}
    types = {
        row.name: relation_type_def(row) for row in local.session.scalars(select(RelationType))
    }
    return labels, types


# -- conflicts --------------------------------------------------------------------------------


def conflicts(store: Store, include_taken: bool = False) -> list[Conflict]:
    """The conflicts kept on this laptop, newest first."""
    local = LocalSide(store, writing=False)
    try:
        rows = local.raw.execute(
            "SELECT id, kind, record_key, document_id, annotator, version, modified, "
            "kept_modified, created FROM sync_conflict "
            + ("" if include_taken else "WHERE taken = 0 ")
            + "ORDER BY created DESC, id"
        ).fetchall()
    finally:
        local.rollback()
    return [
        Conflict(i, k, key, doc, who, None if v is None else json.loads(v), m, km, c)
        for i, k, key, doc, who, v, m, km, c in rows
    ]
