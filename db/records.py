"""Plain, immutable records the store hands out: no session, no lazy loading, safe in the GUI."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

STATUSES = ("new", "in progress", "done")


def now_iso() -> str:
    """UTC time as ISO 8601 with milliseconds and a Z, the form every export uses."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class AnnotationData:
    """One annotation; start/end are code points into the document text, end exclusive."""

    id: str
    document_id: str
    annotator: str
    label: str
    start: int
    end: int
    attributes: dict[str, Any] = field(default_factory=dict)
    note: str | None = None
    created: str = ""
    modified: str = ""

    def same_content(self, other: AnnotationData) -> bool:
        """Equal in everything a user edits (times aside)."""
        return (
            self.document_id,
            self.annotator,
            self.label,
            self.start,
            self.end,
            self.attributes,
            self.note,
        ) == (
            other.document_id,
            other.annotator,
            other.label,
            other.start,
            other.end,
            other.attributes,
            other.note,
        )


@dataclass(frozen=True)
class DocumentSummary:
    """A row of the document list: what an annotator sees before opening a document."""

    id: str
    title: str
    source: str
    status: str
    annotation_count: int


@dataclass(frozen=True)
class DocumentData:
    """A whole document with its text exactly as imported."""

    id: str
    title: str
    source: str
    text: str
    sha256: str
    imported_at: str


@dataclass
class ImportSummary:
    """What an import did, for the status bar and the command line."""

    documents_new: int = 0
    documents_matched: int = 0
    annotations_added: int = 0
    annotations_unchanged: int = 0
    annotations_conflicting: int = 0
    annotations_replaced: int = 0
    messages: list[str] = field(default_factory=list)

    def describe(self) -> str:
        parts = [f"{self.documents_new} new document(s)"]
        if self.documents_matched:
            parts.append(f"{self.documents_matched} already present")
        if self.annotations_added or self.annotations_unchanged or self.annotations_conflicting:
            parts.append(f"{self.annotations_added} annotation(s) added")
            parts.append(f"{self.annotations_unchanged} unchanged")
            parts.append(f"{self.annotations_conflicting} conflicting (kept as they were)")
        if self.annotations_replaced:
            parts.append(f"{self.annotations_replaced} replaced")
        return ", ".join(parts)
