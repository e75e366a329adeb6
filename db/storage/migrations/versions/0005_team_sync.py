"""Team sync bookkeeping: what waits to be pushed, what the server last showed, conflicts.

Triggers note every change to annotations, links, entities, statuses and decisions in
`sync_outbox` while the database is linked to a team server (`sync_tracking.active = 1`);
whatever path wrote it (an edit, an undo, an import), nothing is missed. A pull writes with
tracking off, in its own transaction, so what comes from the server does not go back to it.
`sync_base` keeps the server's version (its transaction id) of each record this laptop last
saw, so a push can tell an edit of the latest version from a clash with another laptop's.

Revision ID: 0005_team_sync
Revises: 0004_suggestion_models
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_team_sync"
down_revision = "0004_suggestion_models"
branch_labels = None
depends_on = None

TRACKING = "EXISTS (SELECT 1 FROM sync_tracking WHERE active = 1)"
NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"


def _note(kind: str, key: str, document: str, annotator: str) -> str:
    """The statement a trigger runs: (re)queue one record, newest change last."""
    return (
        "INSERT INTO sync_outbox (kind, key, document_id, annotator_id, changed_at, seq) "
        f"VALUES ('{kind}', {key}, {document}, {annotator}, {NOW}, "
        "(SELECT COALESCE(MAX(seq), 0) + 1 FROM sync_outbox)) "
        "ON CONFLICT (kind, key) DO UPDATE SET seq = excluded.seq, "
        "changed_at = excluded.changed_at, "
        "document_id = COALESCE(excluded.document_id, sync_outbox.document_id), "
        "annotator_id = COALESCE(excluded.annotator_id, sync_outbox.annotator_id);"
    )


def _keys(row: str) -> dict[str, tuple[str, str, str, str]]:
    """kind, key, document, annotator of a changed row of each tracked table."""
    entity_of = f"(SELECT {{}} FROM entity WHERE entity.id = {row}.entity_id)"
    return {
        "annotation": ("annotation", f"{row}.id", f"{row}.document_id", f"{row}.annotator_id"),
        "relation": ("relation", f"{row}.id", f"{row}.document_id", f"{row}.annotator_id"),
        "entity": ("entity", f"{row}.id", f"{row}.document_id", f"{row}.annotator_id"),
        "entity_mention": (
            "entity",
            f"{row}.entity_id",
            entity_of.format("document_id"),
            entity_of.format("annotator_id"),
        ),
        "document_status": (
            "status",
            f"{row}.document_id || '|' || {row}.annotator_id",
            f"{row}.document_id",
            f"{row}.annotator_id",
        ),
        "decision": (
            "decision",
            f"{row}.document_id || '|' || {row}.annotator_id || '|' || {row}.key",
            f"{row}.document_id",
            f"{row}.annotator_id",
        ),
    }


def upgrade() -> None:
    op.create_table(
        "sync_outbox",
        sa.Column("kind", sa.String(20), primary_key=True),
        sa.Column("key", sa.Text(), primary_key=True),
        sa.Column("document_id", sa.String(64), nullable=True),
        sa.Column("annotator_id", sa.Integer(), nullable=True),
        sa.Column("changed_at", sa.String(32), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
    )
    op.create_index("ix_sync_outbox_seq", "sync_outbox", ["seq"])
    op.create_table("sync_tracking", sa.Column("active", sa.Integer(), nullable=False))
    op.create_table(
        "sync_base",
        sa.Column("kind", sa.String(20), primary_key=True),
        sa.Column("key", sa.Text(), primary_key=True),
        sa.Column("txid", sa.String(24), nullable=False),
    )
    op.create_table(
        "sync_document",
        sa.Column("server_id", sa.String(64), primary_key=True),
        sa.Column("local_id", sa.String(64), nullable=False, unique=True),
    )
    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("record_key", sa.Text(), nullable=False),
        sa.Column("document_id", sa.String(64), nullable=False),
        sa.Column("annotator", sa.String(200), nullable=False),
        sa.Column("version", sa.Text(), nullable=True),  # JSON; NULL: the other side deleted it
        sa.Column("modified", sa.String(32), nullable=False),
        sa.Column("kept_modified", sa.String(32), nullable=False),
        sa.Column("created", sa.String(32), nullable=False),
        sa.Column("taken", sa.Integer(), nullable=False, server_default="0"),
    )
    for table, (kind, key, document, annotator) in _keys("NEW").items():
        for event in ("INSERT", "UPDATE"):
            op.execute(
                f"CREATE TRIGGER sync_{table}_{event.lower()} AFTER {event} ON {table} "
                f"WHEN {TRACKING} BEGIN {_note(kind, key, document, annotator)} END"
            )
    for table, (kind, key, document, annotator) in _keys("OLD").items():
        op.execute(
            f"CREATE TRIGGER sync_{table}_delete AFTER DELETE ON {table} "
            f"WHEN {TRACKING} BEGIN {_note(kind, key, document, annotator)} END"
        )


def downgrade() -> None:
    for table in _keys("OLD"):
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS sync_{table}_{event}")
    for table in ("sync_conflict", "sync_document", "sync_base", "sync_tracking"):
        op.drop_table(table)
    op.drop_index("ix_sync_outbox_seq", table_name="sync_outbox")
    op.drop_table("sync_outbox")
