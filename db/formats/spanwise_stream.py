"""A Spanwise export file imported a document at a time.

`parse_export` checks a whole export already in memory; a 50,000-document file would need
gigabytes for that. `stream_export` reads and checks the head (schema, format, version) at
once, and gives the documents as a re-readable sequence that checks each one as it is read,
with the same checks and messages. The import writes them inside one transaction as they
come, so a refusal at document 40,000 still leaves the database as it was.

Ids must be unique in the whole file: within a document that is checked here; across
documents the database's primary keys find a repeat (db/storage/import_writer.py names it), so
that memory does not grow with the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, overload

from db.errors import ImportRefused
from db.files.json_stream import ExportStream
from db.formats.spanwise_json import (
    FORMAT,
    _Checker,
    _parse_document,
    _refuse_unpaired_surrogates,
    document_id,
    parse_export,
)
from db.records import ExportedDocument
from db.schema.label_schema import Schema


class StreamedDocuments(Sequence[ExportedDocument]):
    """The documents of an export file, each parsed and checked when it is reached. Walking
    them again reads the file again (an import refused for consent is retried this way).
    `len()` is the number of documents once a walk has counted them (an estimate before)."""

    def __init__(self, stream: ExportStream, schema: Schema) -> None:
        self.stream = stream
        self.schema = schema
        self.counted = 0
        self._walked = 0
        self.walking = False  # a walk began and did not finish (a refusal stopped it)

    def __len__(self) -> int:
        """The count once known; meanwhile an estimate from the part of the file read."""
        if self.counted or not self._walked or not self.stream.read_bytes:
            return self.counted or self._walked
        return max(self._walked, round(self._walked * self.stream.size / self.stream.read_bytes))

    @overload
    def __getitem__(self, index: int) -> ExportedDocument: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[ExportedDocument]: ...
    def __getitem__(self, index: int | slice) -> Any:
        """By reading the file up to it (the import only ever walks the documents)."""
        return list(self)[index]

    def __iter__(self) -> Iterator[ExportedDocument]:
        name = self.stream.name
        check = _Checker(name)
        document_ids: set[str] = set()
        count = 0
        self.walking = True
        for index, raw in enumerate(self.stream.raw_documents()):
            doc_id, where = document_id(check, raw, index, document_ids)
            if self.stream.escaped:  # (only an escape can make a lone surrogate)
                _refuse_unpaired_surrogates({"documents": [raw]}, name)
            yield _parse_document(check, raw, where, doc_id, self.schema, set())
            count = self._walked = index + 1
        self.counted = count
        self.walking = False


def named_refusal(
    exports: Iterable[tuple[Schema, Sequence[Any]]], refusal: ImportRefused
) -> ImportRefused:
    """The writer's refusal of a streamed document, prefixed with its file's name (the
    writer knows the document, not the file)."""
    for _schema, documents in exports:
        if isinstance(documents, StreamedDocuments) and documents.walking:
            name = documents.stream.name
            if not str(refusal).startswith(name):
                return ImportRefused(f"{name}: {refusal}")
    return refusal


def looks_like_spanwise_file(path: Path) -> bool:
    """Whether a JSON file's head says it is a Spanwise export (reads only the head)."""
    return stream_head(path).get("format") == FORMAT


def stream_head(path: Path) -> dict[str, Any]:
    """The export's keys before its documents (schema, version), read without the documents."""
    return ExportStream.open(path).head


def stream_export(path: Path) -> tuple[Schema, StreamedDocuments]:
    """The export's schema, checked now, and its documents, checked as they are read."""
    stream = ExportStream.open(path)
    head = stream.head
    if head.get("format") != FORMAT:
        raise ImportRefused(f'{stream.name}: not a Spanwise export (no "format": "spanwise")')
    try:
        if "documents" in head and head["documents"] is None:
            raise ImportRefused(f"{stream.name}: documents: missing field 'documents'")
        schema, _none = parse_export({**head, "documents": []}, stream.name)
    except ImportRefused:
        for _raw in stream.raw_documents():  # a file that is not JSON says that first
            pass
        raise
    return schema, StreamedDocuments(stream, schema)
