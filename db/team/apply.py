"""Writing pulled records into the local database, checked as an import checks a file.

The server holds what colleagues pushed, and a colleague's work is checked like their file
would be: a span outside its text, an unknown label, a link between another person's
annotations, an entity of mentions that cannot form one are not written, and the sync says
how many were refused. Rows arrive in chunks straight from `COPY ... TO STDOUT` and go in
with one executemany per chunk and table, so a reviewer's first pull of a million
annotations streams through in bounded memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from db.errors import InvalidAnnotation, SpanwiseError
from db.schema.label_schema import LabelDef, RelationTypeDef
from db.storage.checks import check_entity_shape, check_link_ends, check_mention, check_spans
from db.team.local import LocalSide
from db.text.messages import Messages, Repeated

Row = Sequence[Any]
REFUSED = Repeated(
    "record",
    "{}",
    "refused from the server (checked as a colleague's file would be)",
)
_CHUNK = 500


@dataclass
class Applied:
    """What a pull wrote, by kind: written, deleted (tombstones), refused."""

    written: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    refused: int = 0
    kept_local: int = 0  # pulled while the laptop had a newer edit waiting
    messages: Messages = field(default_factory=Messages)

    def count(self, table: dict[str, int], kind: str, n: int) -> None:
        """Count `n` records of `kind` in one of the report's tables."""
        table[kind] = table.get(kind, 0) + n

    def refuse(self, what: str) -> None:
        """Count a pulled record the local rules refused, and say what it was."""
        self.refused += 1
        self.messages.about(REFUSED, what)

    @property
    def total(self) -> int:
        """How many records the pull wrote or deleted."""
        return sum(self.written.values()) + sum(self.deleted.values())


class Writer:
    """Applies pulled chunks to one LocalSide (tracking is off while it writes)."""

    def __init__(
        self,
        local: LocalSide,
        labels: dict[str, LabelDef],
        relation_types: dict[str, RelationTypeDef],
        pending: set[tuple[str, str]],
        pushable: set[str],
    ) -> None:
        self.local = local
        # only records this laptop may push again need their server version remembered
        self.pushable = pushable
        self.raw = local.raw
        self.labels = labels
        self.relation_types = relation_types
        self.pending = pending
        self.texts = local.texts()
        self.applied = Applied()
        self.bases: list[tuple[str, str, str]] = []
        self._checked: dict[tuple[str, str], str] = {}

    def _document(self, server_id: str, what: str) -> str | None:
        local_id = self.local.local_of.get(server_id)
        if local_id is None:
            self.applied.refuse(f"{what}: document {server_id} is not on this laptop")
        return local_id

    def _attributes(self, label: LabelDef, raw: str) -> str:
        """Checked and compacted once per label and distinct value (there are few)."""
        key = (label.name, raw)
        if key not in self._checked:
            try:
                attributes = json.loads(raw)
            except RecursionError as exc:  # nested beyond any attribute's need
                raise SpanwiseError(f"{label.name}: attributes nested too deeply") from exc
            if not isinstance(attributes, dict):
                raise SpanwiseError(f"{label.name}: attributes must be an object of names")
            label.check_attributes(attributes)
            self._checked[key] = _compact(raw)
        return self._checked[key]

    def _base(self, kind: str, key: str, owner: str, txid: str) -> None:
        if owner in self.pushable:
            self.bases.append((kind, key, txid))

    def _skip_pending(self, kind: str, local_key: str, server_key: str, deleted: bool) -> bool:
        if (kind, local_key) in self.pending:
            self.applied.kept_local += 1
            return True
        return False

    # -- annotations --------------------------------------------------------------------------

    def annotations(self, rows: Iterable[Row]) -> None:
        """A chunk of annotations: the loop is the hot path of a big pull, so its lookups
        are local dictionaries and its usual case (a continuous span, known label, no or
        already-checked attributes) is tested inline."""
        # Long because inlined on purpose: the hot loop of a big pull (see the docstring).
        upserts: list[tuple[Any, ...]] = []
        gone: list[tuple[str, int]] = []
        label_ids = self.local.labels
        local_of, owners, texts = self.local.local_of, self.local.ids, self.texts
        pending = self.pending
        checked = self._checked
        pushable = self.pushable
        for row in rows:
            (id_, doc, who, label, start, end, attributes, note, created, fragments) = row[:10]
            modified, deleted, txid = row[10], row[11], row[12]
            if pending and ("annotation", id_) in pending:
                self.applied.kept_local += 1
                continue
            local_doc = local_of.get(doc)
            if local_doc is None:
                self._document(doc, f"annotation {id_}")
                continue
            owner = owners.get(who) or self.local.annotator_id(who)
            if deleted:
                gone.append((id_, owner))
                self._base("annotation", id_, who, txid)
                continue
            label_id = label_ids.get(label)
            text = texts[local_doc]
            if (
                fragments is not None
                or label_id is None
                or not 0 <= start < end <= len(text)
                or (attributes != "{}" and (label, attributes) not in checked)
            ):
                try:
                    pieces = tuple((s, e) for s, e in json.loads(fragments)) if fragments else ()
                    check_spans(text, start, end, pieces)
                    definition = self.labels.get(label)
                    if definition is None or label_id is None:
                        raise InvalidAnnotation(f"unknown label '{label}'")
                    if attributes != "{}":
                        self._attributes(definition, attributes)
                except (SpanwiseError, ValueError, TypeError) as exc:
                    self.applied.refuse(f"annotation {id_} of {who}: {exc}")
                    continue
                fragments = _compact(fragments) if pieces else None
            if attributes != "{}":
                attributes = checked[(label, attributes)]
            if who in pushable:
                self.bases.append(("annotation", id_, txid))
            upserts.append(
                (
                    id_,
                    local_doc,
                    owner,
                    label_id,
                    start,
                    end,
                    attributes,
                    note,
                    created,
                    modified,
                    fragments,
                )
            )
        if upserts:
            self.raw.executemany(
                "INSERT INTO annotation (id, document_id, annotator_id, label_id, start, "
                '"end", attributes, note, created, modified, fragments) '
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET label_id = excluded.label_id, "
                'start = excluded.start, "end" = excluded."end", '
                "attributes = excluded.attributes, note = excluded.note, "
                "created = excluded.created, modified = excluded.modified, "
                "fragments = excluded.fragments "
                "WHERE annotation.annotator_id = excluded.annotator_id "
                "AND annotation.document_id = excluded.document_id",
                upserts,
            )
            self.applied.count(self.applied.written, "annotation", len(upserts))
        if gone:
            self._delete_annotations(gone)

    def _delete_annotations(self, gone: list[tuple[str, int]]) -> None:
        """The owner deleted these: their links and entity places go with them (the owner's
        own tombstones for those come in the same pull)."""
        ids = [(id_,) for id_, _owner in gone]
        self.raw.executemany("DELETE FROM relation WHERE source_id = ?1 OR target_id = ?1", ids)
        self.raw.executemany("DELETE FROM entity_mention WHERE annotation_id = ?", ids)
        self.raw.execute(
            "DELETE FROM entity WHERE NOT EXISTS "
            "(SELECT 1 FROM entity_mention m WHERE m.entity_id = entity.id)"
        )
        cursor = self.raw.executemany(
            "DELETE FROM annotation WHERE id = ? AND annotator_id = ?", gone
        )
        self.applied.count(self.applied.deleted, "annotation", max(cursor.rowcount, 0))

    # -- links --------------------------------------------------------------------------------

    def _ends(self, ids: list[str]) -> dict[str, tuple[str, str, str]]:
        """id -> (document, annotator, label) of local annotations."""
        labels = {id_: name for name, id_ in self.local.labels.items()}
        ends: dict[str, tuple[str, str, str]] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            for id_, doc, who, label in self.raw.execute(
                "SELECT id, document_id, annotator_id, label_id FROM annotation "
                f"WHERE id IN ({marks})",
                chunk,
            ):
                ends[id_] = (doc, self.local.names[who], labels[label])
        return ends

    def relations(self, rows: Iterable[Row]) -> None:
        """Apply a chunk of pulled links."""
        from db.records import RelationData

        rows = list(rows)
        ends = self._ends(sorted({r[4] for r in rows} | {r[5] for r in rows}))
        upserts, gone = [], []
        for id_, doc, who, type_, source, target, _modified, deleted, txid in rows:
            if self._skip_pending("relation", id_, id_, deleted):
                continue
            local_doc = self._document(doc, f"link {id_}")
            if local_doc is None:
                continue
            owner = self.local.annotator_id(who)
            if deleted:
                gone.append((id_, owner))
                self._base("relation", id_, who, txid)
                continue
            link = RelationData(id_, local_doc, who, type_, source, target)
            try:
                check_link_ends(
                    link, ends.get(source), ends.get(target), self.relation_types.get(type_)
                )
            except InvalidAnnotation as exc:
                self.applied.refuse(f"link {id_} of {who}: {exc}")
                continue
            upserts.append((id_, local_doc, owner, type_, source, target))
            self._base("relation", id_, who, txid)
        if upserts:
            self.raw.executemany(
                "INSERT INTO relation (id, document_id, annotator_id, type, source_id, "
                "target_id) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                "type = excluded.type, source_id = excluded.source_id, "
                "target_id = excluded.target_id "
                "WHERE relation.annotator_id = excluded.annotator_id",
                upserts,
            )
            self.applied.count(self.applied.written, "relation", len(upserts))
        if gone:
            cursor = self.raw.executemany(
                "DELETE FROM relation WHERE id = ? AND annotator_id = ?", gone
            )
            self.applied.count(self.applied.deleted, "relation", max(cursor.rowcount, 0))

    # -- entities -----------------------------------------------------------------------------

    def entities(self, rows: Iterable[Row]) -> None:
        """Apply a chunk of pulled entities with their mentions."""
        from db.records import EntityData

        rows = list(rows)
        mentions = {r[0]: json.loads(r[5]) if r[5] else [] for r in rows}
        ends = self._ends(sorted({m for ms in mentions.values() for m in ms}))
        kept, gone = [], []
        for id_, doc, who, name, label, _mentions, _modified, deleted, txid in rows:
            if self._skip_pending("entity", id_, id_, deleted):
                continue
            local_doc = self._document(doc, f"entity {id_}")
            if local_doc is None:
                continue
            owner = self.local.annotator_id(who)
            if deleted:
                gone.append((id_,))
                self._base("entity", id_, who, txid)
                continue
            entity = EntityData(id_, local_doc, who, name, label, tuple(mentions[id_]))
            try:
                check_entity_shape(entity)
                for mention in entity.mentions:
                    end = ends.get(mention)
                    definition = self.labels.get(end[2]) if end else None
                    forms = bool(definition and definition.forms_entities)
                    check_mention(entity, mention, end, forms, "")
            except (InvalidAnnotation, TypeError) as exc:
                self.applied.refuse(f"entity {id_} of {who}: {exc}")
                continue
            kept.append((entity, owner))
            self._base("entity", id_, who, txid)
        self.raw.executemany("DELETE FROM entity_mention WHERE entity_id = ?", gone)
        self.raw.executemany("DELETE FROM entity WHERE id = ?", gone)
        self.applied.count(self.applied.deleted, "entity", len(gone))
        if not kept:
            return
        self.raw.executemany(
            "INSERT INTO entity (id, document_id, annotator_id, name, label) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
            "label = excluded.label WHERE entity.annotator_id = excluded.annotator_id",
            [(e.id, e.document_id, owner, e.name, e.label) for e, owner in kept],
        )
        self.raw.executemany(
            "DELETE FROM entity_mention WHERE entity_id = ?", [(e.id,) for e, _ in kept]
        )
        self.raw.executemany(
            "INSERT OR REPLACE INTO entity_mention (entity_id, annotation_id, position) "
            "VALUES (?, ?, ?)",
            [(e.id, m, position) for e, _ in kept for position, m in enumerate(e.mentions)],
        )
        self.raw.execute(
            "DELETE FROM entity WHERE NOT EXISTS "
            "(SELECT 1 FROM entity_mention m WHERE m.entity_id = entity.id)"
        )
        self.applied.count(self.applied.written, "entity", len(kept))

    # -- statuses and decisions ---------------------------------------------------------------

    def statuses(self, rows: Iterable[Row]) -> None:
        """Apply a chunk of pulled document statuses."""
        for doc, who, status, _modified, deleted, txid in rows:
            local_doc = self._document(doc, f"status of {who}")
            if local_doc is None:
                continue
            owner = self.local.annotator_id(who)
            if self._skip_pending("status", f"{local_doc}|{owner}", "", deleted):
                continue
            if deleted:
                self.raw.execute(
                    "DELETE FROM document_status WHERE document_id = ? AND annotator_id = ?",
                    (local_doc, owner),
                )
            else:
                self.raw.execute(
                    "INSERT INTO document_status (document_id, annotator_id, status) "
                    "VALUES (?, ?, ?) ON CONFLICT (document_id, annotator_id) "
                    "DO UPDATE SET status = excluded.status",
                    (local_doc, owner, status),
                )
            self._base("status", f"{doc}|{who}", who, txid)
            self.applied.count(self.applied.written, "status", 1)

    def decisions(self, rows: Iterable[Row]) -> None:
        """Apply a chunk of pulled decisions."""
        for doc, who, key, value, created, _modified, deleted, txid in rows:
            local_doc = self._document(doc, f"decision of {who}")
            if local_doc is None:
                continue
            owner = self.local.annotator_id(who)
            if self._skip_pending("decision", f"{local_doc}|{owner}|{key}", "", deleted):
                continue
            if deleted:
                self.raw.execute(
                    "DELETE FROM decision WHERE document_id = ? AND annotator_id = ? AND key = ?",
                    (local_doc, owner, key),
                )
            else:
                self.raw.execute(
                    "INSERT INTO decision (document_id, annotator_id, key, value, created) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (document_id, annotator_id, key) "
                    "DO UPDATE SET value = excluded.value, created = excluded.created",
                    (local_doc, owner, key, value, created),
                )
            self._base("decision", f"{doc}|{who}|{key}", who, txid)
            self.applied.count(self.applied.written, "decision", 1)

    def conflicts(self, rows: Iterable[Row]) -> int:
        """Conflicts the server recorded for this person (either laptop may have found it)."""
        written = 0
        for id_, kind, key, doc, who, version, modified, kept_modified, created in rows:
            local_doc = self.local.local_of.get(doc)
            if local_doc is None:
                continue
            cursor = self.raw.execute(
                "INSERT OR IGNORE INTO sync_conflict (id, kind, record_key, document_id, "
                "annotator, version, modified, kept_modified, created) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (id_, kind, key, local_doc, who, version, modified, kept_modified, created),
            )
            written += max(cursor.rowcount, 0)
        return written

    def finish(self) -> None:
        """Record the server versions now applied, as the bases of later pushes."""
        self.local.set_bases(self.bases)
        self.bases = []


def _compact(text: str) -> str:
    """JSON as the local database writes it (jsonb comes back with spaces)."""
    return json.dumps(json.loads(text), separators=(",", ":"), ensure_ascii=False)
