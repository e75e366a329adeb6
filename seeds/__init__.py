"""Sample articles imported into a new default database, so a new user has work to try."""

from importlib.resources import files
from pathlib import Path


def seed_paths() -> list[Path]:
    """The bundled articles, in their list order (the package is installed unzipped)."""
    folder = files(__name__)
    return sorted(Path(str(entry)) for entry in folder.iterdir() if entry.name.endswith(".txt"))
