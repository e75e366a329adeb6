"""Quote attribution, coreference and events: relations, entities, fragments.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # SQLite adds a column with a constant default in place; no table rebuild is needed.
    # Long because a migration is one schema step; its DDL reads as one list.
    op.add_column(
        "label",
        sa.Column("forms_entities", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("annotation", sa.Column("fragments", sa.JSON(), nullable=True))
    op.create_table(
        "relation_type",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("from_labels", sa.JSON(), nullable=False),
        sa.Column("to_labels", sa.JSON(), nullable=False),
        sa.Column("max_per_source", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
    )
    op.create_table(
        "relation",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column(
            "document_id",
            sa.String(64),
            sa.ForeignKey("document.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("annotator_id", sa.Integer(), sa.ForeignKey("annotator.id"), nullable=False),
        sa.Column("type", sa.String(100), nullable=False),
        sa.Column("source_id", sa.String(64), sa.ForeignKey("annotation.id"), nullable=False),
        sa.Column("target_id", sa.String(64), sa.ForeignKey("annotation.id"), nullable=False),
    )
    op.create_index("ix_relation_document", "relation", ["document_id", "annotator_id"])
    op.create_index("ix_relation_source_id", "relation", ["source_id"])
    op.create_index("ix_relation_target_id", "relation", ["target_id"])
    op.create_table(
        "entity",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column(
            "document_id",
            sa.String(64),
            sa.ForeignKey("document.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("annotator_id", sa.Integer(), sa.ForeignKey("annotator.id"), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
    )
    op.create_index("ix_entity_document", "entity", ["document_id", "annotator_id"])
    _install_news_links()
    op.create_table(
        "entity_mention",
        sa.Column(
            "entity_id",
            sa.String(64),
            sa.ForeignKey("entity.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "annotation_id",
            sa.String(64),
            sa.ForeignKey("annotation.id"),
            primary_key=True,
            unique=True,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
    )


def _install_news_links() -> None:
    """A database made with the first release's news schema gets its link types and entity
    labels, as a new database would: the links its labels can take, nothing else."""
    from db.schema.label_schema import load_schema

    schema = load_schema()
    bind = op.get_bind()
    existing = {row[0] for row in bind.execute(sa.text("SELECT name FROM label"))}
    for label in schema.labels:
        if label.forms_entities and label.name in existing:
            bind.execute(
                sa.text("UPDATE label SET forms_entities = 1 WHERE name = :name"),
                {"name": label.name},
            )
    relation_type = sa.table(
        "relation_type",
        sa.column("name", sa.String),
        sa.column("from_labels", sa.JSON),
        sa.column("to_labels", sa.JSON),
        sa.column("max_per_source", sa.Integer),
        sa.column("position", sa.Integer),
        sa.column("description", sa.Text),
    )
    rows = [
        {
            "name": r.name,
            "from_labels": list(r.from_labels),
            "to_labels": list(r.to_labels),
            "max_per_source": r.max_per_source,
            "position": position,
            "description": r.description,
        }
        for position, r in enumerate(schema.relation_types)
        if set(r.from_labels) <= existing and set(r.to_labels) <= existing
    ]
    if existing and rows:
        op.bulk_insert(relation_type, rows)


def downgrade() -> None:
    op.drop_table("entity_mention")
    op.drop_index("ix_entity_document", table_name="entity")
    op.drop_table("entity")
    for name in ("ix_relation_target_id", "ix_relation_source_id", "ix_relation_document"):
        op.drop_index(name, table_name="relation")
    op.drop_table("relation")
    op.drop_table("relation_type")
    op.drop_column("annotation", "fragments")
    op.drop_column("label", "forms_entities")
