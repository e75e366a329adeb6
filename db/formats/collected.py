"""What an import from a layered tool (WebAnno TSV, UIMA CAS) found it needs in the schema:
the labels with their attributes, which of them form entities, the link types."""

from __future__ import annotations

from dataclasses import dataclass, field

from db.formats.brat import PALETTE
from db.schema.label_schema import DEFAULT_ENTITY_TYPES, LabelDef, RelationTypeDef, Schema


@dataclass
class Collected:
    labels: dict[str, set[str]] = field(default_factory=dict)  # label -> attribute names
    entity_labels: set[str] = field(default_factory=set)
    relations: dict[str, tuple[set[str], set[str]]] = field(default_factory=dict)

    def schema(self, label_note: str = "", link_note: str = "") -> Schema:
        """The labels and link types to add to the database (it keeps those it has)."""
        labels = tuple(
            LabelDef(
                name,
                PALETTE[index % len(PALETTE)],
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
