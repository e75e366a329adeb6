"""Plain, immutable records the store hands out: no session, no lazy loading, safe in the GUI."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any, TypeVar

STATUSES = ("new", "in progress", "done")
# A rejected suggestion is a decision with this key prefix (then the suggestion's key) and
# this value: the window records it, training reads it as negative evidence.
SUGGESTION_PREFIX = "suggest:"
REJECTED = "rejected"


def new_id() -> str:
    """A fresh id for an annotation, link or entity: unique across annotators and machines,
    so colleagues' exports merge without clashes."""
    import uuid  # here: its import (platform's) would delay the window's first paint

    return uuid.uuid4().hex


def now_iso() -> str:
    """UTC time as ISO 8601 with milliseconds and a Z, the form every export uses."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


Fragments = tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class AnnotationData:
    """One annotation; start/end are code points into the document text, end exclusive.

    A discontinuous annotation (a quote interrupted by its attribution) has `fragments`,
    sorted and not overlapping; start/end are then the first fragment's start and the last
    one's end. A continuous one has no fragments.
    """

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
    fragments: Fragments = ()

    @property
    def spans(self) -> Fragments:
        """The pieces of text this annotation covers."""
        return self.fragments or ((self.start, self.end),)

    def content(self) -> tuple[Any, ...]:
        """Everything a user edits (times aside), for comparing two versions."""
        return (
            self.document_id,
            self.annotator,
            self.label,
            self.start,
            self.end,
            self.attributes,
            self.note,
            self.fragments,
        )

    def same_content(self, other: AnnotationData) -> bool:
        """Whether two annotations hold the same content (ids and times aside)."""
        return self.content() == other.content()


@dataclass(frozen=True, slots=True)
class RelationData:
    """A typed link between two annotations of one document: speaker, cue, event roles."""

    id: str
    document_id: str
    annotator: str
    type: str
    source: str
    target: str

    def content(self) -> tuple[str, ...]:
        """What a user changes of a link: an import compares this."""
        return (self.document_id, self.annotator, self.type, self.source, self.target)


@dataclass(frozen=True, slots=True)
class EntityData:
    """Mentions that refer to one person or organisation ("Zelensky", "He", "The President")."""

    id: str
    document_id: str
    annotator: str
    name: str
    label: str
    mentions: tuple[str, ...] = ()

    def content(self) -> tuple[Any, ...]:
        """What a user changes of an entity: an import compares this."""
        return (self.document_id, self.annotator, self.name, self.label, self.mentions)


@dataclass(frozen=True, slots=True)
class DecisionData:
    """A recorded decision (an adjudicated disagreement, a rejected suggestion)."""

    document_id: str
    annotator: str
    key: str
    value: str
    created: str = ""

    @property
    def id(self) -> str:
        """A decision is identified by its key."""
        return self.key

    def content(self) -> tuple[str, ...]:
        """What a decision holds: an import compares this."""
        return (self.document_id, self.annotator, self.key, self.value)


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


@dataclass(frozen=True)
class ExportedDocument:
    """A document as it travels in an export: text, statuses, annotations, links, entities."""

    document: DocumentData
    statuses: dict[str, str]
    annotations: list[AnnotationData]
    relations: list[RelationData] = field(default_factory=list)
    entities: list[EntityData] = field(default_factory=list)


Record = TypeVar("Record")


def bulk_constructor(cls: type[Record]) -> Callable[..., Record]:
    """cls(*every field in order) for a frozen slotted record, in half the time.

    The frozen __init__ sets each field through object.__setattr__; this sets the slots
    directly. For code that builds tens of thousands of records at once (reading a long
    document, suggesting on one); the records are the same in every way.
    """
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    assert tuple(names) == getattr(cls, "__slots__", ()), f"{cls.__name__} has no slots"
    body = "".join(f"    _set_{name}(record, {name})\n" for name in names)
    source = f"def build({', '.join(names)}):\n    record = _new(_cls)\n{body}    return record\n"
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    namespace.update({f"_set_{name}": getattr(cls, name).__set__ for name in names})
    exec(source, namespace)  # unrolled, as dataclasses writes __init__
    build: Callable[..., Record] = namespace["build"]
    return build


new_annotation_record = bulk_constructor(AnnotationData)
new_relation_record = bulk_constructor(RelationData)


def new_annotation(
    document_id: str,
    annotator: str,
    label: str,
    start: int,
    end: int,
    attributes: dict[str, Any] | None = None,
    note: str | None = None,
    fragments: Fragments = (),
) -> AnnotationData:
    """A new annotation, stamped now."""
    stamp = now_iso()
    return AnnotationData(
        new_id(),
        document_id,
        annotator,
        label,
        start,
        end,
        dict(attributes or {}),
        note,
        stamp,
        stamp,
        fragments,
    )
