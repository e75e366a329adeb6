"""What an import did, for the message a user reads after it: documents new and matched,
annotations added, unchanged, conflicting or replaced per annotator, links and entities,
names written under and labels added."""

from __future__ import annotations

from dataclasses import dataclass, field

from db.text.messages import Messages, counted


@dataclass
class ImportSummary:
    """What an import did, for the status bar and the command line."""

    documents_new: int = 0
    documents_matched: int = 0
    annotations_added: int = 0
    annotations_unchanged: int = 0
    annotations_conflicting: int = 0
    annotations_replaced: int = 0
    links_added: int = 0
    entities_added: int = 0
    other_conflicting: int = 0  # links and entities
    other_replaced: int = 0  # links and entities
    messages: Messages = field(default_factory=Messages)
    # written under gold or the importing person's name, with the user's yes: name -> records
    protected_names: dict[str, int] = field(default_factory=dict)
    schema_added: str = ""  # the labels and link types the import added, described
    # annotator -> {"added": n, "unchanged": n, "conflicting": n, "replaced": n}
    by_annotator: dict[str, dict[str, int]] = field(default_factory=dict)

    def tally(self, annotator: str, outcome: str) -> None:
        """Count one annotation of `annotator` as added, unchanged, conflicting or replaced."""
        counts = self.by_annotator.setdefault(
            annotator, {"added": 0, "unchanged": 0, "conflicting": 0, "replaced": 0}
        )
        counts[outcome] += 1

    def annotator_lines(self) -> list[str]:
        """One line per annotator: what their annotations did."""
        return [
            f"{name}: {c['added']} added, {c['unchanged']} unchanged, "
            f"{c['conflicting']} conflicting"
            + (f", {c['replaced']} replaced" if c["replaced"] else "")
            for name, c in sorted(self.by_annotator.items())
        ]

    def describe(self) -> str:
        """The import in one line: documents new and matched, annotations, links, entities."""
        parts = [counted(self.documents_new, "new document")]
        if self.documents_matched:
            parts.append(f"{self.documents_matched} already present")
        if self.annotations_added or self.annotations_unchanged or self.annotations_conflicting:
            parts.append(f"{counted(self.annotations_added, 'annotation')} added")
            parts.append(f"{self.annotations_unchanged} unchanged")
            parts.append(f"{self.annotations_conflicting} conflicting (kept as they were)")
        if self.annotations_replaced:
            parts.append(f"{self.annotations_replaced} replaced")
        if self.links_added:
            parts.append(f"{counted(self.links_added, 'link')} added")
        if self.entities_added:
            parts.append(f"{counted(self.entities_added, 'entity')} added")
        if self.other_replaced:
            replaced = counted(self.other_replaced, "link or entity", "links or entities")
            parts.append(f"{replaced} replaced")
        if self.other_conflicting:
            others = counted(self.other_conflicting, "link or entity", "links or entities")
            parts.append(f"{others} conflicting, kept as they were")
        return ", ".join(parts)

    def consent_lines(self) -> list[str]:
        """What the import did because the user said yes (protected names, a bigger schema)."""
        lines = []
        if self.protected_names:
            written = ", ".join(f"{name} ({n})" for name, n in self.protected_names.items())
            lines.append(f"written under protected names, as allowed: {written}")
        if self.schema_added:
            lines.append(f"added to the database's schema, as allowed: {self.schema_added}")
        return lines
