"""Alembic migrations, shipped inside the package so every user database can be upgraded."""
