"""Which database and annotator a run of Spanwise uses, shared by the window and the CLI."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

from db.store import Store, default_annotator_name
from seeds import seed_paths

ANNOTATOR_SETTING = "current_annotator"


def default_database_path() -> Path:
    """$SPANWISE_DB, or spanwise.db in the user's data folder."""
    env = os.environ.get("SPANWISE_DB")
    if env:
        return Path(env).expanduser()
    return Path(user_data_dir("Spanwise", appauthor=False)) / "spanwise.db"


def open_store(path: Path | None, seed_if_new: bool = False) -> Store:
    """Open (or create) a database; a new default database gets the seed articles."""
    target = path or default_database_path()
    if path is None:
        target.parent.mkdir(parents=True, exist_ok=True)
    store = Store(target)
    if store.created and (seed_if_new or path is None) and store.document_count() == 0:
        store.import_texts(seed_paths())
    return store


def current_annotator(store: Store, requested: str | None) -> str:
    """The annotator named on the command line, or the database's last one, or the OS user."""
    name = requested or store.setting(ANNOTATOR_SETTING) or default_annotator_name()
    name = store.ensure_annotator(name)
    store.set_setting(ANNOTATOR_SETTING, name)
    return name
