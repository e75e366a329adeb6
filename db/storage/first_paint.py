"""The first paint's read: the last open document and the annotations on its first screens,
read with plain sqlite3 so the window shows the article before SQLAlchemy (a tenth of a
second and more to import) has loaded.

The schema is still known in one place: the tables and columns named here are checked
against db/storage/models.py by a test (tests/db/test_first_paint.py), which also fails when a new
migration lands, until this reader is checked against it; and the store reads annotations
with the same SELECT and builds the same records (db/storage/reads.py uses ANNOTATION_COLUMNS and
annotation_records). A database this reader does not know (a missing file, another revision,
a damaged file) gives None: the window then starts the ordinary way, through the store.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.records import AnnotationData, DocumentData, new_annotation_record
from db.schema.label_schema import LabelDef

# The migration whose tables this reader knows (db.storage.database.SCHEMA_HEAD; a test compares).
PAINT_REVISION = "0006_document_order"
ANNOTATOR_SETTING = "current_annotator"  # the setting naming the last annotator

ANNOTATION_COLUMNS = (
    "id",
    "document_id",
    "annotator_id",
    "label_id",
    "start",
    "end",
    "attributes",
    "note",
    "created",
    "modified",
    "fragments",
)
DOCUMENT_COLUMNS = ("id", "title", "source", "text", "sha256", "imported_at")
LABEL_COLUMNS = ("name", "colour", "shortcut", "attributes", "description", "forms_entities")
# Every table and column read here, for the test that holds them to db/storage/models.py.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "annotation": ANNOTATION_COLUMNS,
    "document": (*DOCUMENT_COLUMNS, "position"),
    "label": (*LABEL_COLUMNS, "id", "position"),
    "relation_type": ("name", "position", "id"),
    "annotator": ("id", "name"),
    "setting": ("key", "value"),
}


def columns_sql(columns: Iterable[str]) -> str:
    """The columns quoted for a SELECT list, in the models' order."""
    return ", ".join(f'"{column}"' for column in columns)


ANNOTATION_SELECT = f"SELECT {columns_sql(ANNOTATION_COLUMNS)} FROM annotation"
# The window's order: start, longer first, then id (db/storage/reads.py orders the same way).
ANNOTATION_ORDER = 'start, "end" DESC, id'


def annotation_records(
    rows: Iterable[tuple[Any, ...]], names: dict[int, str], labels: dict[int, str]
) -> list[AnnotationData]:
    """Records from rows of ANNOTATION_COLUMNS, annotator and label ids resolved by name."""
    loads = json.loads
    result = []
    for id_, doc, who, label, start, end, attributes, note, created, modified, pieces in rows:
        result.append(
            new_annotation_record(
                id_,
                doc,
                names[who],
                labels[label],
                start,
                end,
                {} if attributes in (None, "{}") else loads(attributes),
                note,
                created,
                modified,
                tuple((s, e) for s, e in loads(pieces)) if pieces and pieces != "null" else (),
            )
        )
    return result


@dataclass(frozen=True)
class FirstPaint:
    """What the window shows before the store is open: a document, its first screens'
    annotations by one annotator, and the labels and link types that draw them."""

    annotator: str
    document: DocumentData
    annotations: list[AnnotationData]
    labels: list[LabelDef]
    link_types: list[str]


def read_first_paint(
    path: Path,
    annotator: str | None,
    document_id: str | None,
    before: int,
    limit: int,
) -> FirstPaint | None:
    """The document `document_id` (or the first in list order when it is gone), with the
    annotations starting before `before` (at most `limit`) by `annotator` (or the last
    annotator the database remembers). None when this cannot be read as it is: the store
    then opens the database the ordinary way (creating, upgrading or refusing it)."""
    if not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        return _read(connection, annotator, document_id, before, limit)
    except (sqlite3.Error, ValueError, KeyError, TypeError):
        return None
    finally:
        connection.close()


def _read(
    connection: sqlite3.Connection,
    annotator: str | None,
    document_id: str | None,
    before: int,
    limit: int,
) -> FirstPaint | None:
    revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    if revision is None or revision[0] != PAINT_REVISION:
        return None
    if annotator is None:
        remembered = connection.execute(
            "SELECT value FROM setting WHERE key = ?", (ANNOTATOR_SETTING,)
        ).fetchone()
        if remembered is None:
            return None  # the window asks who is annotating: the ordinary start
        annotator = str(remembered[0])
    document = _document(connection, document_id)
    if document is None:
        return None  # an empty database: the welcome pane, from the store
    names = dict(connection.execute("SELECT id, name FROM annotator").fetchall())
    labels = dict(connection.execute("SELECT id, name FROM label").fetchall())
    owner = next((key for key, name in names.items() if name == annotator), -1)
    rows = connection.execute(
        f"{ANNOTATION_SELECT} WHERE document_id = ? AND annotator_id = ? AND start < ? "
        f"ORDER BY {ANNOTATION_ORDER} LIMIT ?",
        (document.id, owner, before, limit),
    ).fetchall()
    return FirstPaint(
        annotator,
        document,
        annotation_records(rows, names, labels),
        _labels(connection),
        [
            name
            for (name,) in connection.execute(
                "SELECT name FROM relation_type ORDER BY position, id"
            )
        ],
    )


def _document(connection: sqlite3.Connection, document_id: str | None) -> DocumentData | None:
    select = f"SELECT {columns_sql(DOCUMENT_COLUMNS)} FROM document"
    row = None
    if document_id is not None:
        row = connection.execute(f"{select} WHERE id = ?", (document_id,)).fetchone()
    if row is None:  # as the document list: the first by position, then title
        row = connection.execute(f"{select} ORDER BY position, title LIMIT 1").fetchone()
    return None if row is None else DocumentData(*row)


def _labels(connection: sqlite3.Connection) -> list[LabelDef]:
    rows = connection.execute(
        f"SELECT {columns_sql(LABEL_COLUMNS)} FROM label ORDER BY position, id"
    ).fetchall()
    return [
        LabelDef(
            name,
            colour,
            shortcut,
            {key: list(values) for key, values in json.loads(attributes or "{}").items()},
            description,
            bool(forms_entities),
        )
        for name, colour, shortcut, attributes, description, forms_entities in rows
    ]
