"""Alembic environment of the team server's tables: runs on the connection the manager's
command hands in, with its version table inside the project's own schema."""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=None,
    version_table="alembic_version",
    version_table_schema="spanwise",
)
with context.begin_transaction():
    context.run_migrations()
