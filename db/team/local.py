"""The laptop's side of a sync: what waits in the outbox, what the server last showed, and
writing what the server sends into the local database.

Everything here runs on one SQLite connection in one transaction (taken with BEGIN
IMMEDIATE, as every edit is), committed only after the server's own transaction has
committed: a sync interrupted anywhere leaves the laptop as it was before it, and the next
sync does the whole of it again, which changes nothing twice.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from db.errors import SpanwiseError
from db.records import now_iso
from db.storage.database import driver_connection, for_writing
from db.storage.models import Setting
from db.store import Store
from db.team.kinds import ANNOTATION, DECISION, ENTITY, RELATION, STATUS, Kind
from db.team.link import (  # noqa: F401  (the settings keys, read here and by the sync)
    LAST_PROBLEM,
    LAST_SYNC,
    NAME,
    OWN_XID,
    ROLE,
    SERVER,
    SNAPSHOT,
)

_CHUNK = 500
PULL_CACHE_KB = 256 * 1024


@dataclass
class Outgoing:
    """One waiting record as the server spells it (`row`), or why it cannot go yet."""

    kind: Kind
    local_key: str
    seq: int
    row: dict[str, Any]


@dataclass
class Outbox:
    """The local edits waiting to be pushed, up to a sequence number."""

    items: list[Outgoing] = field(default_factory=list)
    max_seq: int = 0
    unpublished: int = 0  # on documents the server does not have
    others: list[tuple[str, str]] = field(default_factory=list)  # (kind, key) never pushed


class LocalSide:
    """The local database in one transaction: a write transaction (BEGIN IMMEDIATE, as every
    edit takes) unless `writing` is False."""

    def __init__(self, store: Store, writing: bool = True) -> None:
        self.store = store
        engine = for_writing(store.engine) if writing else store.engine
        self.session: Session = sessionmaker(engine)()
        self.session.begin()
        self.raw = driver_connection(self.session)
        if writing:  # a pull writes many rows in random key order: keep the indexes cached
            self.raw.execute(f"PRAGMA cache_size = -{PULL_CACHE_KB}")
        self.names = dict(self.raw.execute("SELECT id, name FROM annotator").fetchall())
        self.ids = {name: id_ for id_, name in self.names.items()}
        self.labels = dict(self.raw.execute("SELECT name, id FROM label").fetchall())
        self.server_of = dict(
            self.raw.execute("SELECT local_id, server_id FROM sync_document").fetchall()
        )
        self.local_of = {server: local for local, server in self.server_of.items()}

    # -- the transaction ----------------------------------------------------------------------

    def commit(self) -> None:
        """Commit the sync's local transaction."""
        self.session.commit()
        self._release()

    def rollback(self) -> None:
        """Roll the sync's local transaction back."""
        self.session.rollback()
        self._release()

    def _release(self) -> None:
        """The connection goes back to the store's pool with SQLite's usual cache."""
        self.raw.execute("PRAGMA cache_size = -2000")
        self.session.close()

    def setting(self, key: str) -> str | None:
        """A setting of the local database, or None."""
        row = self.raw.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_setting(self, key: str, value: str) -> None:
        """Set a setting of the local database."""
        self.session.merge(Setting(key=key, value=value))
        self.session.flush()

    def tracking(self, active: bool) -> None:
        """Note local changes in the outbox (on), or not (while writing what was pulled)."""
        self.raw.execute("DELETE FROM sync_tracking")
        self.raw.execute("INSERT INTO sync_tracking (active) VALUES (?)", (int(active),))

    def annotator_id(self, name: str) -> int:
        """The local id of an annotator, added when new."""
        if name not in self.ids:
            cursor = self.raw.execute("INSERT INTO annotator (name) VALUES (?)", (name,))
            self.ids[name] = int(cursor.lastrowid)
            self.names[self.ids[name]] = name
        return self.ids[name]

    # -- linking: everything already here that is ours goes out on the first sync ------------

    def link(self, owners: Iterable[str]) -> None:
        """Start noting changes, and queue every record of `owners` made before."""
        self.tracking(True)
        ids = [self.ids[n] for n in owners if n in self.ids]
        if not ids:
            return
        marks = ", ".join("?" * len(ids))
        stamp = now_iso()
        queue = (
            "INSERT INTO sync_outbox (kind, key, document_id, annotator_id, changed_at, seq) "
            "SELECT ?, {key}, document_id, annotator_id, ?, "
            "(SELECT coalesce(max(seq), 0) FROM sync_outbox) + row_number() OVER () "
            "FROM {table} WHERE annotator_id IN ({marks}) ORDER BY document_id "
            "ON CONFLICT (kind, key) DO NOTHING"
        )
        for kind, table, key in (
            ("annotation", "annotation", "id"),
            ("relation", "relation", "id"),
            ("entity", "entity", "id"),
            ("status", "document_status", "document_id || '|' || annotator_id"),
            ("decision", "decision", "document_id || '|' || annotator_id || '|' || key"),
        ):
            self.raw.execute(queue.format(key=key, table=table, marks=marks), (kind, stamp, *ids))

    def waiting(self) -> int:
        """How many local edits wait to be pushed."""
        return int(self.raw.execute("SELECT count(*) FROM sync_outbox").fetchone()[0])

    # -- reading the outbox -------------------------------------------------------------------

    def outbox(self, pushable: set[str], assigned: set[str] | None) -> Outbox:
        """The waiting records as server rows. Records of other people are dropped from the
        outbox (they are never pushed from here); those on documents the server does not
        have, or (for an annotator) that are not assigned to them, wait."""
        result = Outbox()
        row = self.raw.execute("SELECT coalesce(max(seq), 0) FROM sync_outbox").fetchone()
        result.max_seq = int(row[0])
        for reader in (self._annotations, self._relations, self._entities, self._others):
            for item, document_id, annotator_id in reader(result.max_seq):
                owner = self.names.get(annotator_id)
                if owner not in pushable:
                    result.others.append((item.kind.name, item.local_key))
                    continue
                server_doc = self.server_of.get(document_id)
                if server_doc is None or (assigned is not None and server_doc not in assigned):
                    result.unpublished += 1
                    continue
                item.row["document_id"] = server_doc
                item.row["annotator"] = owner
                result.items.append(item)
        return result

    def _outbox_rows(self, kind: str, select: str, join: str, max_seq: int) -> list[tuple]:
        sql = (
            f"SELECT o.key, o.seq, o.document_id, o.annotator_id, o.changed_at, {select} "
            f"FROM sync_outbox o {join} WHERE o.kind = ? AND o.seq <= ? ORDER BY o.seq"
        )
        return list(self.raw.execute(sql, (kind, max_seq)).fetchall())

    def _annotations(self, max_seq: int) -> Iterator[tuple[Outgoing, str, int]]:
        labels = {id_: name for name, id_ in self.labels.items()}
        rows = self._outbox_rows(
            "annotation",
            'a.id, a.document_id, a.annotator_id, a.label_id, a.start, a."end", '
            "a.attributes, a.note, a.created, a.modified, a.fragments",
            "LEFT JOIN annotation a ON a.id = o.key",
            max_seq,
        )
        for key, seq, doc, who, changed, id_, a_doc, a_who, label, *rest in rows:
            if id_ is None:
                yield Outgoing(ANNOTATION, key, seq, _tombstone(ANNOTATION, key, changed)), doc, who
                continue
            start, end, attributes, note, created, modified, fragments = rest
            row = {
                "id": id_,
                "label": labels[label],
                "start": start,
                "end": end,
                "attributes": attributes or "{}",
                "note": note,
                "created": created,
                "fragments": None if fragments in (None, "null") else fragments,
                "modified": modified,
                "deleted": False,
            }
            yield Outgoing(ANNOTATION, key, seq, row), a_doc, a_who

    def _relations(self, max_seq: int) -> Iterator[tuple[Outgoing, str, int]]:
        rows = self._outbox_rows(
            "relation",
            "r.id, r.document_id, r.annotator_id, r.type, r.source_id, r.target_id",
            "LEFT JOIN relation r ON r.id = o.key",
            max_seq,
        )
        for key, seq, doc, who, changed, id_, r_doc, r_who, type_, source, target in rows:
            if id_ is None:
                yield Outgoing(RELATION, key, seq, _tombstone(RELATION, key, changed)), doc, who
                continue
            row = {
                "id": id_,
                "type": type_,
                "source_id": source,
                "target_id": target,
                "modified": changed,
                "deleted": False,
            }
            yield Outgoing(RELATION, key, seq, row), r_doc, r_who

    def _entities(self, max_seq: int) -> Iterator[tuple[Outgoing, str, int]]:
        rows = self._outbox_rows(
            "entity",
            "e.id, e.document_id, e.annotator_id, e.name, e.label",
            "LEFT JOIN entity e ON e.id = o.key",
            max_seq,
        )
        mentions = self._mentions([r[5] for r in rows if r[5] is not None])
        for key, seq, doc, who, changed, id_, e_doc, e_who, name, label in rows:
            if id_ is None or not mentions.get(id_):
                yield Outgoing(ENTITY, key, seq, _tombstone(ENTITY, key, changed)), doc, who
                continue
            row = {
                "id": id_,
                "name": name,
                "label": label,
                "mentions": json.dumps(mentions[id_]),
                "modified": changed,
                "deleted": False,
            }
            yield Outgoing(ENTITY, key, seq, row), e_doc, e_who

    def _mentions(self, entity_ids: list[str]) -> dict[str, list[str]]:
        result: dict[str, list[str]] = {}
        for start in range(0, len(entity_ids), _CHUNK):
            chunk = entity_ids[start : start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            for entity_id, annotation_id in self.raw.execute(
                "SELECT entity_id, annotation_id FROM entity_mention "
                f"WHERE entity_id IN ({marks}) ORDER BY entity_id, position",
                chunk,
            ):
                result.setdefault(entity_id, []).append(annotation_id)
        return result

    def _others(self, max_seq: int) -> Iterator[tuple[Outgoing, str, int]]:
        statuses = self._outbox_rows(
            "status",
            "s.status",
            "LEFT JOIN document_status s ON s.document_id = o.document_id "
            "AND s.annotator_id = o.annotator_id",
            max_seq,
        )
        for key, seq, doc, who, changed, status in statuses:
            row: dict[str, Any] = {"modified": changed}
            if status is None:
                row.update(status=None, deleted=True)
            else:
                row.update(status=status, deleted=False)
            yield Outgoing(STATUS, key, seq, row), doc, who
        decisions = self._outbox_rows(
            "decision",
            "d.key, d.value, d.created",
            "LEFT JOIN decision d ON d.document_id = o.document_id "
            "AND d.annotator_id = o.annotator_id "
            "AND o.key = d.document_id || '|' || d.annotator_id || '|' || d.key",
            max_seq,
        )
        for key, seq, doc, who, changed, d_key, value, created in decisions:
            row = {"key": key.split("|", 2)[2], "modified": changed}
            if d_key is None:
                row.update(value=None, created=None, deleted=True)
            else:
                row.update(value=value, created=created, deleted=False)
            yield Outgoing(DECISION, key, seq, row), doc, who

    # -- after the push -----------------------------------------------------------------------

    def pushed(self, items: list[Outgoing], others: list[tuple[str, str]], max_seq: int) -> None:
        """Take what went out (and what never will) off the outbox; a record changed again
        since it was read has a newer seq and stays."""
        done = [(i.kind.name, i.local_key) for i in items] + others
        self.raw.executemany(
            "DELETE FROM sync_outbox WHERE kind = ? AND key = ? AND seq <= ?",
            [(kind, key, max_seq) for kind, key in done],
        )

    def pending(self) -> set[tuple[str, str]]:
        """(kind, local key) of everything still waiting: a pull must not overwrite them."""
        return {(k, key) for k, key in self.raw.execute("SELECT kind, key FROM sync_outbox")}

    def set_bases(self, bases: Iterable[tuple[str, str, str]]) -> None:
        """(kind, server key, txid): the server's version this laptop now has."""
        self.raw.executemany(
            "INSERT INTO sync_base (kind, key, txid) VALUES (?, ?, ?) "
            "ON CONFLICT (kind, key) DO UPDATE SET txid = excluded.txid",
            list(bases),
        )

    def bases(self, kind: str, keys: list[str]) -> dict[str, str]:
        """The server version each of these records was last synced at."""
        result: dict[str, str] = {}
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start : start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            result.update(
                self.raw.execute(
                    f"SELECT key, txid FROM sync_base WHERE kind = ? AND key IN ({marks})",
                    (kind, *chunk),
                ).fetchall()
            )
        return result

    # -- writing what was pulled --------------------------------------------------------------

    def document(self, row: tuple[Any, ...]) -> None:
        """A server document: matched to a local one by SHA-256, else added."""
        server_id, sha256, title, source, text, imported_at, position = row
        if server_id in self.local_of:
            return
        found = self.raw.execute("SELECT id FROM document WHERE sha256 = ?", (sha256,)).fetchone()
        if found is not None:
            local_id = str(found[0])
        else:
            local_id = server_id
            for length in (16, 24, 32, 64):
                taken = self.raw.execute("SELECT 1 FROM document WHERE id = ?", (local_id,))
                if taken.fetchone() is None:
                    break
                local_id = sha256[:length]
            else:
                raise SpanwiseError(f"document '{title}': no free id for it in this database")
            self.raw.execute(
                "INSERT INTO document (id, title, source, text, sha256, imported_at, position) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (local_id, title, source, text, sha256, imported_at, position),
            )
        self.raw.execute(
            "INSERT INTO sync_document (server_id, local_id) VALUES (?, ?)", (server_id, local_id)
        )
        self.local_of[server_id] = local_id
        self.server_of[local_id] = server_id

    def texts(self) -> dict[str, str]:
        """Every document's text by local id, to check pulled spans against."""
        return dict(self.raw.execute("SELECT id, text FROM document").fetchall())


def _tombstone(kind: Kind, key: str, changed: str) -> dict[str, Any]:
    row: dict[str, Any] = {c: None for c in kind.content}
    if kind.key == ("id",):
        row["id"] = key
    row.update(modified=changed, deleted=True)
    return row
