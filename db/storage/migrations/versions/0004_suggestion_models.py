"""Trained suggestion models: each version with what it learnt from (issue 17).

Revision ID: 0004_suggestion_models
Revises: 0003
Create Date: 2026-12-01

Other migrations may be written beside this one; whoever merges them orders the chain
(down_revision) and moves db.storage.database.SCHEMA_HEAD to the last one.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_suggestion_models"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "suggestion_model",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("annotator", sa.String(200), nullable=False),
        sa.Column("created", sa.String(32), nullable=False),
        sa.Column("quote_definition", sa.String(20), nullable=False),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("trainer", sa.String(100), nullable=False),
        sa.Column("format", sa.Integer(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("suggestion_model")
