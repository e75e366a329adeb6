"""Data files shipped with Spanwise (label schemas, export JSON Schema, style)."""

from importlib.resources import files
from importlib.resources.abc import Traversable


def resource(*parts: str) -> Traversable:
    """A shipped file, found the same way in a checkout and in an installed wheel."""
    node = files(__name__)
    for part in parts:
        node = node / part
    return node
