"""Colours that tell annotators apart (underlines in review) and the review states apart."""

from __future__ import annotations

import hashlib

from PySide6.QtGui import QColor

_ANNOTATOR_COLOURS = (
    "#1e88e5",
    "#e53935",
    "#43a047",
    "#8e24aa",
    "#fb8c00",
    "#00897b",
    "#6d4c41",
    "#3949ab",
)

# The review states, after INCEpTION's curation view: quiet when agreed, loud otherwise.
REVIEW_COLOURS = {
    "agreed": "#b0bec5",  # agreed, not yet accepted
    "disagreed": "#ff7043",
    "incomplete": "#fdd835",  # annotated by only one of the two
    "accepted": "#66bb6a",
    "rejected": "#9e9e9e",
}


def annotator_colour(name: str) -> QColor:
    """The same colour for the same annotator in every session."""
    digest = hashlib.sha1(name.encode("utf-8")).digest()
    return QColor(_ANNOTATOR_COLOURS[digest[0] % len(_ANNOTATOR_COLOURS)])
