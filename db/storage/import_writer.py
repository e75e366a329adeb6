"""Writing an import (text files and parsed exports) inside one transaction.

Documents are matched by SHA-256; annotations, links and entities by id: the same content is
'unchanged', other content a conflict that keeps the database's version unless `replace`.
New rows (nearly all of them, in a first import) are checked in memory against the database's
own schema and written with one executemany per table and document: a 200,000-annotation
import must not pay for a query per row.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from db.errors import ImportRefused, InvalidAnnotation, SpanwiseError
from db.files.text_files import TextFile
from db.import_consent import TRUSTED, Consent, ConsentNeeded, Needs
from db.import_summary import ImportSummary
from db.records import (
    AnnotationData,
    DocumentData,
    EntityData,
    ExportedDocument,
    RelationData,
    now_iso,
)
from db.schema.keys import in_use, key_problem, normalised
from db.schema.label_schema import LabelDef, RelationTypeDef, Schema
from db.storage.checks import check_spans
from db.storage.database import driver_connection, driver_errors
from db.storage.first_paint import ANNOTATION_COLUMNS
from db.storage.models import (
    Annotation,
    Document,
    Entity,
    EntityMention,
    Label,
    Relation,
    RelationType,
)
from db.storage.reads import annotator_names
from db.storage.rows import (
    add_document,
    add_entity,
    add_labels,
    add_relation_types,
    add_suggest_settings,
    annotation_data,
    annotator_id,
    delete_entity,
    entity_data,
    fill_annotation,
    label_def,
    next_position,
    relation_data,
    relation_type_def,
)
from db.text.messages import Repeated, counted

Progress = Callable[[int, int], None]
Owned = AnnotationData | RelationData | EntityData  # records with a document and an annotator
_CHUNK = 500  # ids per IN (...) query, below SQLite's variable limit
_ROWS_AT_ONCE = 20_000  # rows built before they are written
dumps = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":")
).encode  # ids per IN (...) query, below SQLite's variable limit

# What an import says about many files or records, each told once for all of them.
ALREADY_THERE = Repeated("file", "{}: already in the database", "already in the database")
SAME_TITLE = Repeated(
    "document",
    "{}: a document with this title but another text is in the database; imported as a "
    "separate document",
    "with the titles of other texts in the database; imported as separate documents",
)
_DIFFERS = "differs from the one in the database; kept the database's"
_DIFFER = "differ from the ones in the database; kept the database's"
ANNOTATION_CONFLICT = Repeated("annotation", "annotation {} " + _DIFFERS, _DIFFER)
LINK_CONFLICT = Repeated("link", "{} " + _DIFFERS, _DIFFER)
ENTITY_CONFLICT = Repeated("entity", "entity {} " + _DIFFERS, _DIFFER)
MENTION_TAKEN = Repeated(
    "entity",
    "entity {}: the mention belongs to another entity in the database; entity not imported",
    "with a mention that belongs to another entity in the database; not imported",
)


def annotation_row(
    record: AnnotationData, document_id: str, annotator_id: int, label_id: int
) -> tuple[Any, ...]:
    """An annotation as insert_many writes it, in ANNOTATION_COLUMNS' order."""
    return (
        record.id,
        document_id,
        annotator_id,
        label_id,
        record.start,
        record.end,
        dumps(record.attributes) if record.attributes else "{}",
        record.note,
        record.created,
        record.modified,
        dumps([list(f) for f in record.fragments]) if record.fragments else None,
    )


def insert_many(session: Session, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
    """executemany straight on the session's connection (same transaction): SQLAlchemy's own
    insert would rebuild a parameter dict and re-encode JSON for each of 200,000 rows."""
    if not rows:
        return
    raw = driver_connection(session)
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" * len(columns))
    try:
        with driver_errors(session):
            raw.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
    except sqlite3.IntegrityError as exc:  # an id used twice (a streamed file is checked
        raise repeated_id(session, table, rows) from exc  # one document at a time)


def repeated_id(session: Session, table: str, rows: list[tuple]) -> ImportRefused:
    """Name the first id of `rows` that the table (or `rows` itself) already holds."""
    raw = driver_connection(session)
    seen: set[Any] = set()
    for row in rows:
        if (
            row[0] in seen
            or raw.execute(f"SELECT 1 FROM {table} WHERE id = ?", (row[0],)).fetchone()
        ):
            where = f"document '{row[1]}', " if table != "document" else ""
            return ImportRefused(
                f"{where}{table} '{row[0]}': duplicate id (used twice in the import)"
            )
        seen.add(row[0])
    return ImportRefused(f"{table}: a record the database cannot take twice")


def any_exist(session: Session, table: str, ids: Sequence[str]) -> bool:
    """Whether any of `ids` is in `table`: one indexed query per 500 ids, no ORM objects."""
    session.flush()  # the driver does not see what the session has not written yet
    raw = driver_connection(session)
    with driver_errors(session):
        for chunk in chunks(ids):
            marks = ", ".join("?" * len(chunk))
            query = f"SELECT 1 FROM {table} WHERE id IN ({marks}) LIMIT 1"
            if raw.execute(query, list(chunk)).fetchone():
                return True
    return False


def put_status(session: Session, document_id: str, annotator: int, status: str) -> bool:
    """set_status without the ORM (a query, and a write only when it changes something):
    adding an annotator to 10,000 documents must not flush the session 10,000 times."""
    session.flush()
    raw = driver_connection(session)
    with driver_errors(session):
        row = raw.execute(
            "SELECT status FROM document_status WHERE document_id = ? AND annotator_id = ?",
            (document_id, annotator),
        ).fetchone()
        if row is not None and row[0] == status:
            return False
        raw.execute(
            "INSERT OR REPLACE INTO document_status (document_id, annotator_id, status) "
            "VALUES (?, ?, ?)",
            (document_id, annotator, status),
        )
    return True


def chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    """Ids in slices small enough for one `IN (...)` query."""
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


@dataclasses.dataclass
class Catalogue:
    """The database's labels, link types and annotators, looked up once per import."""

    session: Session
    label_ids: dict[str, int]
    labels: dict[str, LabelDef]
    relation_types: dict[str, RelationTypeDef]
    has_annotations: bool  # any at all: ids of a new document's annotations could clash
    annotators: dict[str, int] = dataclasses.field(default_factory=dict)

    @classmethod
    def load(cls, session: Session) -> Catalogue:
        """The labels, link types and annotators the database has, read once."""
        rows = list(session.scalars(select(Label)))
        label_ids = {row.name: row.id for row in rows}
        labels = {row.name: label_def(row) for row in rows}
        types = {row.name: relation_type_def(row) for row in session.scalars(select(RelationType))}
        any_annotation = session.scalar(select(Annotation.id).limit(1)) is not None
        return cls(session, label_ids, labels, types, any_annotation)

    def annotator(self, name: str) -> int:
        """The annotator's id, added to the database when new."""
        if name not in self.annotators:
            self.annotators[name] = annotator_id(self.session, name)
        return self.annotators[name]


def write_import(
    session: Session,
    texts: Sequence[TextFile],
    exports: Sequence[tuple[Schema, Sequence[ExportedDocument]]],
    replace: bool,
    progress: Progress | None,
    consent: Consent = TRUSTED,
) -> ImportSummary:
    """Write everything, or raise (rolling the caller's transaction back): an ImportRefused
    for a record the database cannot take, ConsentNeeded when the import would write under
    a protected name or grow the schema without the user's yes."""
    # Long because the import's steps in order inside the caller's transaction (consent, schema,
    # documents, records, summary), each a few lines over the same catalogue.
    summary = ImportSummary()
    needs = Needs()
    protected = consent.protected
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress:  # a streamed export's length is an estimate until it is read through
            total = len(texts) + sum(len(documents) for _schema, documents in exports)
            progress(done, max(total, done))

    by_sha = dict(session.execute(select(Document.sha256, Document.id)).tuples().all())
    titles = set(session.scalars(select(Document.title)))
    taken_ids = set(by_sha.values())
    position = next_position(session)
    for item in texts:
        if item.sha256 in by_sha:
            summary.documents_matched += 1
            summary.messages.about(ALREADY_THERE, str(item.path))
        else:
            data = DocumentData("", item.title, item.path.name, item.text, item.sha256, "")
            by_sha[item.sha256] = add_document(session, data, position)
            position += 1
            summary.documents_new += 1
        step()
    for schema, documents in exports:
        _grow_schema(session, schema, needs, summary)
        models = add_suggest_settings(session, schema)
        if models:
            summary.messages.append(f"{counted(models, 'trained suggestion model')} added")
        catalogue = Catalogue.load(session)
        for exported in documents:
            doc = exported.document
            local_id = by_sha.get(doc.sha256)
            new_document = local_id is None and not catalogue.has_annotations
            if local_id is None:
                if doc.title in titles:
                    summary.messages.about(SAME_TITLE, f"'{doc.title}'")
                local_id = _new_document_id(doc, taken_ids)
                insert_many(
                    session,
                    "document",
                    ("id", "title", "source", "text", "sha256", "imported_at", "position"),
                    [
                        (
                            local_id,
                            doc.title,
                            doc.source,
                            doc.text,
                            doc.sha256,
                            doc.imported_at or now_iso(),
                            position,
                        )
                    ],
                )
                by_sha[doc.sha256] = local_id
                titles.add(doc.title)
                taken_ids.add(local_id)
                position += 1
                summary.documents_new += 1
                insert_many(
                    session,
                    "document_status",
                    ("document_id", "annotator_id", "status"),
                    [(local_id, catalogue.annotator(n), st) for n, st in exported.statuses.items()],
                )
                for name in exported.statuses:
                    needs.wrote(name, protected)
            else:
                summary.documents_matched += 1
                for name, status in exported.statuses.items():
                    if put_status(session, local_id, catalogue.annotator(name), status):
                        needs.wrote(name, protected)
            _DocumentImport(
                session, catalogue, local_id, doc.text, replace, summary, new_document
            ).run(exported, needs, protected)
            step()
    refused = ConsentNeeded(needs, consent)
    if refused.names_refused or refused.schema_refused:
        raise refused
    summary.protected_names = dict(needs.names)
    summary.schema_added = needs.describe_schema()
    return summary


def _grow_schema(session: Session, schema: Schema, needs: Needs, summary: ImportSummary) -> None:
    """Add the labels and link types the database lacks, noting them (the user must agree);
    a new label's key that the window or another label uses is left out, and said so."""
    existing = list(session.execute(select(Label.name, Label.shortcut)).tuples())
    known_labels = {name for name, _key in existing}
    known_types = set(session.scalars(select(RelationType.name)))
    taken = in_use(existing)
    labels = []
    for label in schema.labels:
        if label.name not in known_labels:
            if label.name not in needs.labels:
                needs.labels.append(label.name)
            problem = key_problem(label.shortcut, taken) if label.shortcut else None
            if problem is not None:
                summary.messages.append(f"label '{label.name}' added without a key: {problem}")
                label = dataclasses.replace(label, shortcut=None)
            elif label.shortcut:
                taken[normalised(label.shortcut)] = f"the label {label.name}"
        labels.append(label)
    for relation in schema.relation_types:
        if relation.name not in known_types and relation.name not in needs.link_types:
            needs.link_types.append(relation.name)
    add_labels(session, labels)
    add_relation_types(session, schema.relation_types)


def _new_document_id(doc: DocumentData, taken: set[str]) -> str:
    """The export's id when it is free, else one derived from the text's hash."""
    if doc.id and doc.id not in taken:
        return doc.id
    for length in (16, 24, 32, 64):
        if doc.sha256[:length] not in taken:
            return doc.sha256[:length]
    raise ImportRefused(f"document '{doc.title}': no free id for it")


class _DocumentImport:
    """One document's annotations, links and entities."""

    def __init__(
        self,
        session: Session,
        catalogue: Catalogue,
        document_id: str,
        text: str,
        replace: bool,
        summary: ImportSummary,
        new_document: bool = False,
    ) -> None:
        self.session = session
        # a document this import created, in a database without annotations: nothing of it
        # can be in the database yet, so no lookups are needed
        self.new_document = new_document
        self.catalogue = catalogue
        self.document_id = document_id
        self.text = text
        self.replace = replace
        self.summary = summary
        # what the document holds once the annotations are in: id -> (label, annotator)
        self.ends: dict[str, tuple[str, str]] = {}
        self.needs = Needs()
        self.protected: set[str] = set()

    def run(self, exported: ExportedDocument, needs: Needs, protected: set[str]) -> None:
        self.needs, self.protected = needs, protected
        self._annotations(exported.annotations, bool(exported.relations or exported.entities))
        self._relations(exported.relations)
        self._entities(exported.entities)

    def _wrote(self, annotator: str) -> None:
        self.needs.wrote(annotator, self.protected)

    def _kept(self, conflict: Repeated, subject: str, current: Owned, incoming: Owned) -> bool:
        """Whether the database's record stays as it is, the conflict reported: a record
        with the imported one's id but other content is replaced only with `replace`, and
        only when it is the same annotator's, in the same document."""
        prefix = conflict.one.split("{}")[0]  # "annotation ", "entity ", or "" for links
        if current.document_id != self.document_id:
            why = "its id belongs to one in another document of the database"
        elif current.annotator != incoming.annotator:
            why = f"its id belongs to {current.annotator}'s, not {incoming.annotator}'s"
        elif not self.replace:
            self.summary.messages.about(conflict, subject)
            return True
        else:
            return False
        self.summary.messages.append(f"{prefix}{subject}: {why}; kept the database's")
        return True

    # -- annotations --------------------------------------------------------------------------

    def _existing(self, model: Any, ids: Sequence[str]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        if self.new_document or not any_exist(self.session, model.__tablename__, ids):
            return found  # the common case (a new annotator's work): no ORM rows loaded
        for chunk in chunks(ids):
            for row in self.session.scalars(select(model).where(model.id.in_(chunk))).unique():
                found[row.id] = row
        return found

    def _annotations(self, records: Sequence[AnnotationData], links_follow: bool) -> None:
        """Check and write the annotations; when links or entities follow, note what each
        annotation of the document is, to check them against (`ends`)."""
        existing = self._existing(Annotation, [r.id for r in records])
        rows = []
        for record in records:
            if record.document_id != self.document_id:
                record = dataclasses.replace(record, document_id=self.document_id)
            try:
                check_spans(self.text, record.start, record.end, record.fragments)
            except InvalidAnnotation as exc:
                raise ImportRefused(
                    f"document '{self.document_id}', annotation '{record.id}': {exc}"
                ) from exc
            label = self.catalogue.labels.get(record.label)
            where = f"document '{self.document_id}', annotation '{record.id}'"
            if label is None:
                raise ImportRefused(f"{where}: unknown label '{record.label}'")
            if record.attributes:
                try:
                    label.check_attributes(record.attributes)  # the database's definition
                except SpanwiseError as exc:
                    raise ImportRefused(f"{where}: 'attributes': {exc}") from exc
            row = existing.get(record.id)
            if row is not None:
                self._existing_annotation(row, record)
                continue
            rows.append(
                annotation_row(
                    record,
                    self.document_id,
                    self.catalogue.annotator(record.annotator),
                    self.catalogue.label_ids[record.label],
                )
            )
            self.summary.annotations_added += 1
            self.summary.tally(record.annotator, "added")
            self._wrote(record.annotator)
            if len(rows) >= _ROWS_AT_ONCE:  # a bounded batch in memory, however long the file
                insert_many(self.session, "annotation", ANNOTATION_COLUMNS, rows)
                rows.clear()
        insert_many(self.session, "annotation", ANNOTATION_COLUMNS, rows)
        if not links_follow:
            return
        if self.new_document:
            self.ends = {r.id: (r.label, r.annotator) for r in records}
            return
        labels = {id_: name for name, id_ in self.catalogue.label_ids.items()}
        names = annotator_names(self.session)
        for id_, label_id, who in self.session.execute(
            select(Annotation.id, Annotation.label_id, Annotation.annotator_id).where(
                Annotation.document_id == self.document_id
            )
        ).tuples():
            self.ends[id_] = (labels[label_id], names[who])

    def _existing_annotation(self, row: Annotation, record: AnnotationData) -> None:
        summary = self.summary
        if row.document_id != self.document_id:
            raise ImportRefused(
                f"document '{self.document_id}', annotation '{record.id}': duplicate id, "
                "that of an annotation of another document (in the database or the import)"
            )
        current = annotation_data(row)
        if current.same_content(record):
            summary.annotations_unchanged += 1
            summary.tally(record.annotator, "unchanged")
            return
        if self._kept(ANNOTATION_CONFLICT, f"{record.id} ({record.annotator})", current, record):
            summary.annotations_conflicting += 1
            summary.tally(record.annotator, "conflicting")
            return
        summary.annotations_replaced += 1
        summary.tally(record.annotator, "replaced")
        self._wrote(record.annotator)
        fill_annotation(self.session, row, record)
        self.session.flush()

    # -- relations ----------------------------------------------------------------------------

    def _relations(self, links: Sequence[RelationData]) -> None:
        # Long because the rules for one document's imported links (ends, types, limits, conflicts)
        # over the same lookups, one refusal each.
        if not links:
            return
        existing = self._existing(Relation, [r.id for r in links])
        counts: dict[tuple[str, str], int] = (
            {}
            if self.new_document
            else dict(
                ((source, kind), n)
                for source, kind, n in self.session.execute(
                    select(Relation.source_id, Relation.type, func.count())
                    .where(Relation.document_id == self.document_id)
                    .group_by(Relation.source_id, Relation.type)
                ).tuples()
            )
        )
        rows = []
        for link in links:
            link = dataclasses.replace(link, document_id=self.document_id)
            row = existing.get(link.id)
            replacing = row is not None
            if row is not None:
                current = relation_data(row)
                if current.content() == link.content():
                    continue
                subject = f"{link.type} link {link.id} ({link.annotator})"
                if self._kept(LINK_CONFLICT, subject, current, link):
                    self.summary.other_conflicting += 1
                    continue
                counts[(row.source_id, row.type)] -= 1
                self.session.delete(row)
                self.session.flush()
            relation_type = self._check_link(link)
            key = (link.source, link.type)
            maximum = relation_type.max_per_source
            if maximum is not None and counts.get(key, 0) >= maximum:
                self.summary.other_conflicting += 1
                self.summary.messages.about(
                    _link_limit(link.type, maximum), f"{link.id} ({link.annotator})"
                )
                continue
            counts[key] = counts.get(key, 0) + 1
            rows.append(
                (
                    link.id,
                    self.document_id,
                    self.catalogue.annotator(link.annotator),
                    link.type,
                    link.source,
                    link.target,
                )
            )
            if replacing:
                self.summary.other_replaced += 1
            else:
                self.summary.links_added += 1
            self._wrote(link.annotator)
        insert_many(
            self.session,
            "relation",
            ("id", "document_id", "annotator_id", "type", "source_id", "target_id"),
            rows,
        )

    def _check_link(self, link: RelationData) -> RelationTypeDef:
        """The database's own schema decides, not the file's."""
        where = f"document '{self.document_id}', relation '{link.id}'"
        relation_type = self.catalogue.relation_types.get(link.type)
        if relation_type is None:
            raise ImportRefused(f"{where}: the database has no link type '{link.type}'")
        ends = [self.ends.get(link.source), self.ends.get(link.target)]
        if ends[0] is None or ends[1] is None:
            raise ImportRefused(f"{where}: an end is not an annotation of this document")
        if ends[0][1] != link.annotator or ends[1][1] != link.annotator:
            raise ImportRefused(f"{where}: its ends must be {link.annotator}'s annotations")
        if not relation_type.allows(ends[0][0], ends[1][0]):
            raise ImportRefused(
                f"{where}: a {link.type} link goes from {'/'.join(relation_type.from_labels)} "
                f"to {'/'.join(relation_type.to_labels)}, not from {ends[0][0]} to {ends[1][0]}"
            )
        return relation_type

    # -- entities -----------------------------------------------------------------------------

    def _entities(self, entities: Sequence[EntityData]) -> None:
        # Long because the rules for one document's imported entities (ids, mentions, owners,
        # conflicts) over the same lookups, one refusal each.
        if not entities:
            return
        existing = self._existing(Entity, [e.id for e in entities])
        taken: dict[str, str] = (
            {}
            if self.new_document
            else dict(
                self.session.execute(
                    select(EntityMention.annotation_id, EntityMention.entity_id)
                    .join(Entity, Entity.id == EntityMention.entity_id)
                    .where(Entity.document_id == self.document_id)
                )
                .tuples()
                .all()
            )
        )
        entity_rows, mention_rows = [], []
        for entity in entities:
            entity = dataclasses.replace(entity, document_id=self.document_id)
            row = existing.get(entity.id)
            if row is not None:
                current = entity_data(self.session, row)
                if current.content() == entity.content():
                    continue
                subject = f"'{entity.name}' {entity.id} ({entity.annotator})"
                if self._kept(ENTITY_CONFLICT, subject, current, entity):
                    self.summary.other_conflicting += 1
                    continue
                self._check_entity(entity)
                others = {m: e for m, e in taken.items() if e != entity.id}
                clash = next((m for m in entity.mentions if m in others), None)
                if clash is not None:
                    self.summary.other_conflicting += 1
                    self.summary.messages.about(
                        MENTION_TAKEN, f"'{entity.name}' {entity.id} (mention {clash})"
                    )
                    continue
                delete_entity(self.session, entity.id)
                add_entity(self.session, entity)
                taken = {**others, **{m: entity.id for m in entity.mentions}}
                self.summary.other_replaced += 1
                self._wrote(entity.annotator)
                continue
            self._check_entity(entity)
            clash = next((m for m in entity.mentions if m in taken), None)
            if clash is not None:
                self.summary.other_conflicting += 1
                self.summary.messages.about(
                    MENTION_TAKEN, f"'{entity.name}' {entity.id} (mention {clash})"
                )
                continue
            entity_rows.append(
                {
                    "id": entity.id,
                    "document_id": self.document_id,
                    "annotator_id": self.catalogue.annotator(entity.annotator),
                    "name": entity.name,
                    "label": entity.label,
                }
            )
            for position, mention in enumerate(entity.mentions):
                mention_rows.append(
                    {"entity_id": entity.id, "annotation_id": mention, "position": position}
                )
                taken[mention] = entity.id
            self.summary.entities_added += 1
            self._wrote(entity.annotator)
        if entity_rows:
            insert_many(
                self.session,
                "entity",
                tuple(entity_rows[0]),
                [tuple(row.values()) for row in entity_rows],
            )
            self.session.execute(insert(EntityMention), mention_rows)

    def _check_entity(self, entity: EntityData) -> None:
        where = f"document '{self.document_id}', entity '{entity.id}'"
        if not entity.mentions:
            raise ImportRefused(f"{where}: an entity needs at least one mention")
        if len(set(entity.mentions)) != len(entity.mentions):
            raise ImportRefused(f"{where}: a mention is listed twice")
        for mention in entity.mentions:
            end = self.ends.get(mention)
            if end is None:
                raise ImportRefused(f"{where}: mention {mention} is not in this document")
            label, annotator = end
            if annotator != entity.annotator:
                raise ImportRefused(f"{where}: mention {mention} is another annotator's")
            definition = self.catalogue.labels.get(label)
            if definition is None or not definition.forms_entities:
                raise ImportRefused(
                    f"{where}: {label} annotations cannot form entities in this database"
                )


def _link_limit(link_type: str, maximum: int) -> Repeated:
    most = counted(maximum, f"{link_type} link")
    return Repeated(
        f"{link_type} link",
        f"{link_type} link {{}}: its source has {most} already in the database; kept the "
        "database's",
        f"whose sources have {most} already in the database; kept the database's",
    )
