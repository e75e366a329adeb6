"""The five kinds of record a sync carries, as the server's tables spell them.

Each kind names its server table, the columns that identify a record (its key), the columns
a user edits (its content) and their SQL types. Push, pull and conflict handling are written
once over these descriptions.
"""

from __future__ import annotations

from dataclasses import dataclass

from psycopg import sql


@dataclass(frozen=True)
class Kind:
    """A kind of record the team sync moves: its table, key and content columns."""

    name: str  # as sync_outbox.kind and sync_base.kind spell it
    table: str
    key: tuple[str, ...]
    content: tuple[str, ...]  # what a user changes; `modified` and `deleted` are not content
    types: dict[str, str]

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column a client writes, in the order rows travel."""
        return (*self.key, *(c for c in self.content if c not in self.key), "modified", "deleted")

    def server_table(self) -> sql.Composable:
        """The kind's table on the server, in the spanwise schema."""
        return sql.Identifier("spanwise", self.table)

    def key_text(self, row: dict[str, object]) -> str:
        """One string per record across the server (the base and conflict key)."""
        return "|".join(str(row[k]) for k in self.key)


TEXT = "text"
ANNOTATION = Kind(
    "annotation",
    "annotation",
    ("id",),
    (
        "document_id",
        "annotator",
        "label",
        "start",
        "end",
        "attributes",
        "note",
        "created",
        "fragments",
    ),
    {"start": "int", "end": "int", "attributes": "jsonb", "fragments": "jsonb"},
)
RELATION = Kind(
    "relation",
    "relation",
    ("id",),
    ("document_id", "annotator", "type", "source_id", "target_id"),
    {},
)
ENTITY = Kind(
    "entity",
    "entity",
    ("id",),
    ("document_id", "annotator", "name", "label", "mentions"),
    {"mentions": "jsonb"},
)
STATUS = Kind("status", "status", ("document_id", "annotator"), ("status",), {})
DECISION = Kind(
    "decision", "decision", ("document_id", "annotator", "key"), ("value", "created"), {}
)
# In the order a push writes them: links and entities point at annotations.
KINDS = (ANNOTATION, RELATION, ENTITY, STATUS, DECISION)


def sql_type(kind: Kind, column: str) -> str:
    """The server's column type of one of the kind's columns."""
    if column == "deleted":
        return "boolean"
    return kind.types.get(column, TEXT)
