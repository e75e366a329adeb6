"""The db tests' fixtures (stores on throw-away files, always closed), for these tests too."""

from tests.db.conftest import db_path, open_store, seed_doc, store

__all__ = ["db_path", "open_store", "seed_doc", "store"]
