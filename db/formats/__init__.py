"""Other tools' annotation formats: one module per format, one registry, one shape.

Every reader turns files into the same thing a Spanwise export becomes (a Schema and a list of
ExportedDocument), so an import goes through `Store.import_batch`: checked, all or nothing,
matched by text hash, idempotent. Every writer takes what `Store.export_documents` returns.
Offsets inside Spanwise are always code points into the text exactly as stored; a format that
counts differently (UTF-16 in UIMA, doccano, Label Studio) converts at its own border.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

from db.records import ExportedDocument
from db.schema.label_schema import Schema
from db.text.messages import Messages, counted_phrase

OffsetUnit = Literal["utf16", "codepoints"]

# Ids of imported annotations, links and entities are derived from the document's text hash,
# the annotator and the id the other tool gave them, so importing the same file twice
# changes nothing (the second import finds every id unchanged).
_NAMESPACE = uuid.UUID("8f1f9d62-2b8e-4f0e-9a53-5d1c4f1e7a10")


def stable_id(*parts: str) -> str:
    """A deterministic id for something imported from another tool."""
    # uuid5 by hand: the same id, but a lone surrogate in a tool's file (refused when it
    # is stored) must not make the id itself fail
    name = "\x1f".join(parts).encode("utf-8", "surrogatepass")
    digest = hashlib.sha1(_NAMESPACE.bytes + name, usedforsecurity=False).digest()
    return uuid.UUID(bytes=digest[:16], version=5).hex


@dataclass
class FormatReport:
    """What a conversion did: counts per kind, and what the format could not carry."""

    counts: dict[str, int] = field(default_factory=dict)
    lost: list[str] = field(default_factory=list)
    messages: Messages = field(default_factory=Messages)

    def count(self, kind: str, n: int = 1) -> None:
        """Count `n` more of `kind` (documents, spans, links...) for the report."""
        self.counts[kind] = self.counts.get(kind, 0) + n

    def lose(self, what: str) -> None:
        """Note something the format cannot represent (each distinct note once)."""
        if what not in self.lost:
            self.lost.append(what)

    def describe(self) -> str:
        """What was read or written, counted in words."""
        parts = [counted_phrase(n, kind) for kind, n in self.counts.items()]
        text = ", ".join(parts) or "nothing"
        if self.lost:
            text += "; not representable: " + "; ".join(self.lost)
        return text


@dataclass
class ReadOptions:
    """What the user chose for an import (`spanwise import`, File > Import)."""

    annotator: str | None = None  # for formats that do not say who annotated
    offsets: OffsetUnit | None = None  # None: detect from the text where possible
    encoding: str | None = None


@dataclass
class WriteOptions:
    """What the user chose for an export."""

    annotator: str | None = None  # only this annotator's work


@dataclass
class ImportedBatch:
    """What a reader produced, ready for `Store.import_batch`."""

    schema: Schema
    documents: list[ExportedDocument]
    report: FormatReport


class Format(Protocol):
    """One annotation format. `read` raises ImportRefused naming the file (and line) of the
    first problem; nothing is written to the database by a reader."""

    name: str  # as on the command line: brat, webanno-tsv, doccano, ...
    description: str
    can_import: bool
    can_export: bool

    def sniff(self, path: Path) -> bool:
        """True when the path (file or folder) looks like this format."""
        ...

    def read(self, paths: Sequence[Path], options: ReadOptions) -> ImportedBatch:
        """Read these files or folders into documents and the schema they need."""
        ...

    def write(
        self,
        documents: Sequence[ExportedDocument],
        schema: Schema,
        target: Path,
        options: WriteOptions,
    ) -> FormatReport:
        """Write the documents to `target` (a file or a folder), complete or not at all."""
        ...


FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    """Add a format to the registry under its name; returns it."""
    FORMATS[fmt.name] = fmt
    return fmt
