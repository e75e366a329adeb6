"""Alembic migrations of the team server's tables (`spanwise server init` / `upgrade`)."""
