"""What an import found it needs in the schema: the labels with their attributes, which of
them form entities, the link types (WebAnno TSV, UIMA CAS, doccano, Label Studio).

A database keeps its own definitions of labels and link types it has; the others are added
with a colour from the palette, free-text attributes, and links allowed between exactly the
labels the file links."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from db.formats.palette import label_colour
from db.schema.label_schema import DEFAULT_ENTITY_TYPES, LabelDef, RelationTypeDef, Schema


@dataclass
class Collected:
    """The labels (with attribute names), entity-forming labels and link types seen so far."""

    labels: dict[str, set[str]] = field(default_factory=dict)  # label -> attribute names
    entity_labels: set[str] = field(default_factory=set)
    relations: dict[str, tuple[set[str], set[str]]] = field(default_factory=dict)

    def label(self, name: str, attributes: Iterable[str] = ()) -> None:
        """A label the imported work uses, with attribute names it sets."""
        self.labels.setdefault(name, set()).update(attributes)

    def relation(self, name: str, source_label: str, target_label: str) -> None:
        """A link type the imported work uses, between these two labels."""
        sources, targets = self.relations.setdefault(name, (set(), set()))
        sources.add(source_label)
        targets.add(target_label)

    def schema(self, label_note: str = "", link_note: str = "") -> Schema:
        """The labels and link types to add to the database (it keeps those it has)."""
        labels = tuple(
            LabelDef(
                name,
                label_colour(index),
                None,
                {attribute: [] for attribute in sorted(attributes)},
                label_note,
                name in self.entity_labels,
            )
            for index, (name, attributes) in enumerate(self.labels.items())
        )
        relations = tuple(
            RelationTypeDef(name, tuple(sorted(froms)), tuple(sorted(tos)), None, link_note)
            for name, (froms, tos) in self.relations.items()
        )
        return Schema(labels, relations, DEFAULT_ENTITY_TYPES)
