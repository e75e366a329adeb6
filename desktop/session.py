"""Which database and annotator a run of Spanwise uses, shared by the window and the CLI."""

from __future__ import annotations

import contextlib
from pathlib import Path

from db.errors import DatabaseProblem, SpanwiseError
from db.files.input_files import SETTINGS_FILE_BYTES, read_input
from db.schema.label_schema import load_schema
from db.storage.backups import daily_backup
from db.storage.first_paint import ANNOTATOR_SETTING
from db.store import Store, default_annotator_name
from db.text.plain import shown
from desktop.identity import default_database_path
from seeds import seed_paths


def read_schema_file(path: Path) -> str:
    """A schema file's text, checked, so a bad schema is refused before a database is made."""
    try:
        text = read_input(path, SETTINGS_FILE_BYTES).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SpanwiseError(f"{shown(path)}: cannot read the schema ({exc})") from exc
    load_schema(text, str(path))
    return text


def open_store(path: Path | None, schema_text: str | None = None) -> Store:
    """Open (or create) a database; a new default database gets the seed articles.

    A schema given for an existing database adds the labels and link types it lacks.
    """
    target = path or default_database_path()
    if path is None:
        target.parent.mkdir(parents=True, exist_ok=True)
    store = Store(target, schema_text)
    # one a day of use, the last 7 kept; a full disk must not keep anyone from their work
    with contextlib.suppress(DatabaseProblem, OSError):
        daily_backup(store.path)
    if schema_text is not None and not store.created:
        store.install_schema(load_schema(schema_text))
    if store.created and path is None and store.document_count() == 0:
        store.import_texts(seed_paths())
    return store


def importing_annotator(store: Store, requested: str | None) -> str:
    """Who is importing, as current_annotator says, without writing anything (a refused
    import leaves the database as it was)."""
    remembered = store.setting(ANNOTATOR_SETTING)
    return (requested or remembered or default_annotator_name()).strip() or "annotator"


def current_annotator(store: Store, requested: str | None) -> str:
    """The annotator named on the command line, or the database's last one, or the OS user.

    Remembering the choice is a courtesy: a read-only database is still opened and listed."""
    name = importing_annotator(store, requested)
    if name != store.setting(ANNOTATOR_SETTING):
        try:
            name = store.ensure_annotator(name)
            store.set_setting(ANNOTATOR_SETTING, name)
        except DatabaseProblem:
            pass  # read-only, full disk: the work itself will say so when it is saved
    return name
