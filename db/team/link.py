"""Whether a database is linked to a team server, and when it last synced: local settings
only, read without loading the server's driver (psycopg), so that a window on a database
no team uses starts without it."""

from __future__ import annotations

from db.store import Store

# Settings (the `setting` table) a linked database keeps; never a password.
SERVER = "team_server"
SNAPSHOT = "team_snapshot"
OWN_XID = "team_own_xid"
LAST_SYNC = "team_last_sync"
NAME = "team_name"
ROLE = "team_role"
LAST_PROBLEM = "team_last_problem"


def linked_server(store: Store) -> str | None:
    """The team server's address this database syncs with (None: not linked)."""
    return store.setting(SERVER)


def last_sync(store: Store) -> str | None:
    """When the last sync finished (ISO 8601, UTC), None before the first."""
    return store.setting(LAST_SYNC) or None
