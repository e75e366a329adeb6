"""Trained suggestion models on the team server, one immutable row per version.

`owner` is the person who wrote the row (who trained or pushed it); `annotator` is whose
work it learnt from. A model trained on someone's annotations carries their work, so blind
annotation extends to models: an annotator reads the models they own, the models trained on
their own work and the models reviewers publish from gold, except a gold model that learnt
from a document assigned to them and not adjudicated yet (its suggestions would show them the
gold they must not see before adjudication); reviewers read every model. Only reviewers
write models of gold or of someone else's work. No one may change a row (a new version is a
new row); the owner may withdraw one. `documents` holds the server's document ids.

Revision ID: s0002
Revises: s0001
Create Date: 2026-12-05
"""

from alembic import op

from db.team.server_migrations.versions.s0001_team import _quoted
from db.team.server_schema import group_roles

revision = "s0002"
down_revision = "s0001"
branch_labels = None
depends_on = None

TABLE = """
CREATE TABLE spanwise.suggestion_model (
    id text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
    owner text NOT NULL REFERENCES spanwise.person (name) ON UPDATE CASCADE,
    annotator text NOT NULL,
    version int NOT NULL CHECK (version >= 0),
    created text NOT NULL,
    quote_definition text NOT NULL,
    documents jsonb NOT NULL,
    counts jsonb NOT NULL,
    trainer text NOT NULL,
    format int NOT NULL,
    payload bytea NOT NULL
);
ALTER TABLE spanwise.suggestion_model ENABLE ROW LEVEL SECURITY;
"""

ME = "(SELECT spanwise.my_name())"
REVIEWER = "(SELECT spanwise.is_reviewer())"
GOLD = """(annotator IN (SELECT name FROM spanwise.gold_name) AND NOT EXISTS (
        SELECT 1 FROM jsonb_array_elements_text(documents) AS learnt (id)
        WHERE spanwise.assigned_to_me(learnt.id) AND NOT spanwise.adjudicated(learnt.id)))"""
POLICIES = f"""
CREATE POLICY read ON spanwise.suggestion_model FOR SELECT
    USING ({REVIEWER} OR owner = {ME} OR annotator = {ME} OR {GOLD});
CREATE POLICY add ON spanwise.suggestion_model FOR INSERT
    WITH CHECK (owner = {ME} AND ({REVIEWER} OR annotator = {ME}));
CREATE POLICY withdraw ON spanwise.suggestion_model FOR DELETE USING (owner = {ME});
"""


def upgrade() -> None:
    database = op.get_bind().exec_driver_sql("SELECT current_database()").scalar_one()
    both = ", ".join(_quoted(r) for r in group_roles(database))
    op.execute(TABLE)
    op.execute(POLICIES)
    # No UPDATE: a model row is immutable once written.
    op.execute(f"GRANT SELECT, INSERT, DELETE ON spanwise.suggestion_model TO {both}")


def downgrade() -> None:
    op.execute("DROP TABLE spanwise.suggestion_model")
