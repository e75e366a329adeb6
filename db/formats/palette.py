"""Colours for labels an import adds to the database, in the order they first appear.

One palette for every format (brat, WebAnno TSV, UIMA CAS, doccano, Label Studio, spaCy):
distinct hues first, so that the first labels of any import are told apart at a glance.
"""

from __future__ import annotations

PALETTE = (
    "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#46f0f0", "#f032e6",
    "#bcf60c", "#fabebe", "#008080", "#e6beff", "#9a6324", "#fffac8", "#800000",
    "#aaffc3", "#808000", "#ffd8b1", "#000075", "#808080",
)  # fmt: skip


def label_colour(index: int) -> str:
    """The colour of the index-th new label (the palette repeats after its last colour)."""
    return PALETTE[index % len(PALETTE)]
