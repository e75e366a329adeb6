"""Fixtures for the db tests: stores on throw-away files, always closed again."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from db.store import Store
from seeds import seed_paths

OpenStore = Callable[..., Store]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "spanwise.db"


@pytest.fixture
def open_store(db_path: Path) -> Iterator[OpenStore]:
    """Open a Store (on `db_path` unless told otherwise); every one is closed at the end.

    Opening a second Store on the same file is what a user does by quitting and coming back.
    """
    stores: list[Store] = []

    def _open(path: Path | None = None, schema_text: str | None = None) -> Store:
        store = Store(path or db_path, schema_text)
        stores.append(store)
        return store

    yield _open
    for store in stores:
        store.close()


@pytest.fixture
def store(open_store: OpenStore) -> Store:
    return open_store()


@pytest.fixture
def seed_doc(store: Store) -> str:
    """Import the bundled seed article into `store`; returns its document id."""
    summary = store.import_texts(seed_paths())
    assert summary.documents_new == 1
    [doc] = store.documents("nobody")
    return doc.id
