"""The document list's order as an index, so the window reads one page of a 50,000-document
list without sorting them all (issue 18).

Revision ID: 0006_document_order
Revises: 0005_team_sync
Create Date: 2026-12-05

Other migrations may be written beside this one; whoever merges them orders the chain
(down_revision) and moves db.storage.database.SCHEMA_HEAD to the last one.
"""

from alembic import op

revision = "0006_document_order"
down_revision = "0005_team_sync"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_document_order", "document", ["position", "title"])


def downgrade() -> None:
    op.drop_index("ix_document_order", "document")
