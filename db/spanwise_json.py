"""Spanwise JSON format v1: writing an export, and reading one back with strict checks.

The format is described in README.md and by resources/export.schema.json. Offsets are code
points, so `text[start:end] == annotation["text"]` for every annotation.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

from db.errors import ImportRefused, SpanwiseError
from db.records import STATUSES, AnnotationData, DocumentData, ImportSummary, now_iso
from db.schema import LabelDef, parse_labels
from db.store import ExportedDocument, Progress, Store
from db.textfiles import MAX_TEXT_BYTES, text_sha256

FORMAT = "spanwise"
VERSION = 1
MAX_JSON_BYTES = 512 * 1024 * 1024


def annotation_json(record: AnnotationData, text: str) -> dict[str, Any]:
    return {
        "id": record.id,
        "annotator": record.annotator,
        "label": record.label,
        "start": record.start,
        "end": record.end,
        "text": text[record.start : record.end],
        "attributes": record.attributes,
        "note": record.note,
        "created": record.created,
        "modified": record.modified,
    }


def document_json(item: ExportedDocument) -> dict[str, Any]:
    doc = item.document
    return {
        "id": doc.id,
        "title": doc.title,
        "source": doc.source,
        "text": doc.text,
        "sha256": doc.sha256,
        "imported_at": doc.imported_at,
        "status": item.statuses,
        "annotations": [annotation_json(a, doc.text) for a in item.annotations],
        "relations": [],
        "entities": [],
    }


def export_json(
    store: Store, annotator: str | None = None, document_id: str | None = None
) -> dict[str, Any]:
    """The whole database (or one annotator's work, or one document) as a v1 export."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": now_iso(),
        "labels": [label.to_json() for label in store.labels()],
        "documents": [
            document_json(item) for item in store.export_documents(annotator, document_id)
        ],
    }


def write_export(data: dict[str, Any], handle: IO[str]) -> None:
    """UTF-8, not ASCII-escaped, keys in the order the format documents."""
    json.dump(data, handle, ensure_ascii=False, indent=1)
    handle.write("\n")


def save_export(data: dict[str, Any], path: Path) -> None:
    """Write an export next to its final name first, so a crash never leaves half a file."""
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8", newline="\n") as handle:
            write_export(data, handle)
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise SpanwiseError(f"{path}: cannot write the export ({exc.strerror})") from exc


# -- reading --------------------------------------------------------------------------------


def load_export_file(path: Path) -> dict[str, Any]:
    """Read and parse a JSON file, refusing what is not one."""
    try:
        size = path.stat().st_size
        if size > MAX_JSON_BYTES:
            raise ImportRefused(f"{path}: {size / 1048576:.0f} MB is too large to import")
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportRefused(f"{path}: cannot read ({exc.strerror})") from exc
    return parse_export_bytes(raw, str(path))


def parse_export_bytes(raw: bytes, name: str) -> dict[str, Any]:
    if not raw.strip():
        raise ImportRefused(f"{name}: the file is empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(f"{name}: not UTF-8 at byte {exc.start}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportRefused(
            f"{name}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc
    except RecursionError as exc:
        raise ImportRefused(f"{name}: JSON nested too deeply") from exc
    if not isinstance(data, dict):
        raise ImportRefused(f"{name}: a Spanwise export is a JSON object")
    return data


def looks_like_spanwise(data: dict[str, Any]) -> bool:
    return data.get("format") == FORMAT


class _Checker:
    """Validates one export and names the document and field of the first problem."""

    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, where: str, problem: str) -> ImportRefused:
        return ImportRefused(f"{self.name}: {where}: {problem}")

    def field(
        self, obj: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str
    ) -> Any:
        if key not in obj:
            raise self.fail(where, f"missing field '{key}'")
        value = obj[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if isinstance(value, bool) and bool not in kinds:
            raise self.fail(where, f"'{key}' has the wrong type")
        if not isinstance(value, kinds):
            names = " or ".join("null" if k is type(None) else k.__name__ for k in kinds)
            raise self.fail(where, f"'{key}' must be {names}")
        return value


def parse_export(data: dict[str, Any], name: str) -> tuple[list[LabelDef], list[ExportedDocument]]:
    """Check a whole v1 export before anything is written; refuse it at the first problem."""
    check = _Checker(name)
    if data.get("format") != FORMAT:
        raise check.fail("format", f"expected 'spanwise', found {data.get('format')!r}")
    version = check.field(data, "version", int, "version")
    if version > VERSION:
        raise check.fail(
            "version", f"version {version} is newer than this Spanwise reads ({VERSION})"
        )
    if version < 1:
        raise check.fail("version", f"unknown version {version}")
    try:
        labels = parse_labels(check.field(data, "labels", list, "labels"), name)
    except SpanwiseError as exc:
        raise ImportRefused(str(exc)) from exc
    labels_by_name = {label.name: label for label in labels}
    documents_raw = check.field(data, "documents", list, "documents")
    seen_annotation_ids: set[str] = set()
    seen_document_ids: set[str] = set()
    documents: list[ExportedDocument] = []
    for index, raw in enumerate(documents_raw):
        where = f"documents[{index}]"
        if not isinstance(raw, dict):
            raise check.fail(where, "must be an object")
        doc_id = check.field(raw, "id", str, where)
        where = f"document '{doc_id}'"
        if doc_id in seen_document_ids:
            raise check.fail(where, "duplicate document id")
        seen_document_ids.add(doc_id)
        text = check.field(raw, "text", str, where)
        if not text or len(text.encode("utf-8", "surrogatepass")) > MAX_TEXT_BYTES:
            raise check.fail(where, "'text' is empty or larger than 20 MB")
        try:
            sha = text_sha256(text)
        except UnicodeEncodeError as exc:
            raise check.fail(where, "'text' holds an unpaired surrogate") from exc
        if check.field(raw, "sha256", str, where) != sha:
            raise check.fail(where, "'sha256' does not match the text")
        statuses = check.field(raw, "status", dict, where)
        for annotator, status in statuses.items():
            if status not in STATUSES:
                raise check.fail(where, f"'status' of {annotator!r} is {status!r}")
        for key in ("relations", "entities"):
            if check.field(raw, key, list, where):
                raise check.fail(where, f"'{key}' are not supported by this version yet")
        annotations = []
        for a_index, item in enumerate(check.field(raw, "annotations", list, where)):
            at = f"{where}, annotations[{a_index}]"
            record = _parse_annotation(check, item, at, doc_id, text)
            if record.id in seen_annotation_ids:
                raise check.fail(at, f"duplicate id '{record.id}'")
            seen_annotation_ids.add(record.id)
            label = labels_by_name.get(record.label)
            if label is None:
                raise check.fail(at, f"label '{record.label}' is not in 'labels'")
            try:
                label.check_attributes(record.attributes)
            except SpanwiseError as exc:
                raise check.fail(at, f"'attributes': {exc}") from exc
            annotations.append(record)
        documents.append(
            ExportedDocument(
                DocumentData(
                    doc_id,
                    check.field(raw, "title", str, where),
                    check.field(raw, "source", str, where),
                    text,
                    sha,
                    _optional_str(raw, "imported_at"),
                ),
                dict(statuses),
                annotations,
            )
        )
    return labels, documents


def _optional_str(obj: dict[str, Any], key: str) -> str:
    value = obj.get(key)
    return value if isinstance(value, str) else ""


def _parse_annotation(
    check: _Checker, item: Any, where: str, doc_id: str, text: str
) -> AnnotationData:
    if not isinstance(item, dict):
        raise check.fail(where, "must be an object")
    ann_id = check.field(item, "id", str, where)
    if not ann_id:
        raise check.fail(where, "'id' is empty")
    start = check.field(item, "start", int, where)
    end = check.field(item, "end", int, where)
    if not 0 <= start < end <= len(text):
        raise check.fail(
            where, f"offsets {start}-{end} are outside the text (length {len(text)}) or empty"
        )
    span_text = check.field(item, "text", str, where)
    if text[start:end] != span_text:
        raise check.fail(
            where, f"'text' {span_text!r} does not match the document at {start}-{end}"
        )
    annotator = check.field(item, "annotator", str, where)
    if not annotator.strip():
        raise check.fail(where, "'annotator' is empty")
    return AnnotationData(
        id=ann_id,
        document_id=doc_id,
        annotator=annotator,
        label=check.field(item, "label", str, where),
        start=start,
        end=end,
        attributes=dict(check.field(item, "attributes", dict, where)),
        note=check.field(item, "note", (str, type(None)), where),
        created=check.field(item, "created", str, where),
        modified=check.field(item, "modified", str, where),
    )


def import_export(
    store: Store,
    data: dict[str, Any],
    name: str,
    replace: bool = False,
    progress: Progress | None = None,
) -> ImportSummary:
    """Validate an export completely, then add it in one transaction."""
    labels, documents = parse_export(data, name)
    return store.import_documents(labels, documents, replace=replace, progress=progress)
