"""Alembic environment: always runs on the connection the store hands in."""

from alembic import context

from db.storage.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite's ALTER TABLE is limited
)
with context.begin_transaction():
    context.run_migrations()
