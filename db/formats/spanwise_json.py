"""Spanwise JSON format v1: writing an export, and reading one back with strict checks.

The format is described in README.md and by resources/export.schema.json. Offsets are code
points, so `text[start:end] == annotation["text"]` for every annotation.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from db.errors import ImportRefused, SpanwiseError
from db.files.input_files import read_input
from db.files.json_files import parse_json
from db.files.outputs import atomic_text
from db.files.text_files import MAX_TEXT_BYTES, shown, text_sha256
from db.gc_pause import paused_gc
from db.import_summary import ImportSummary
from db.model_records import parse_model_records
from db.records import (
    STATUSES,
    AnnotationData,
    DocumentData,
    EntityData,
    ExportedDocument,
    Fragments,
    RelationData,
    now_iso,
)
from db.schema.label_schema import (
    Schema,
    load_schema,
    parse_entity_types,
    parse_labels,
    parse_relation_types,
)
from db.schema.quote_definition import parse_suggest_settings
from db.storage.checks import check_spans
from db.store import Progress, Store
from db.text.messages import counted

FORMAT = "spanwise"
VERSION = 1
MAX_JSON_BYTES = 512 * 1024 * 1024


def annotation_json(record: AnnotationData, text: str) -> dict[str, Any]:
    start, end = record.start, record.end
    data = {
        "id": record.id,
        "annotator": record.annotator,
        "label": record.label,
        "start": start,
        "end": end,
        "text": text[start:end],
        "attributes": record.attributes,
        "note": record.note,
        "created": record.created,
        "modified": record.modified,
    }
    if record.fragments:
        data["fragments"] = [list(f) for f in record.fragments]
    return data


def relation_json(link: RelationData) -> dict[str, Any]:
    return {
        "id": link.id,
        "annotator": link.annotator,
        "type": link.type,
        "source": link.source,
        "target": link.target,
    }


def entity_json(entity: EntityData) -> dict[str, Any]:
    return {
        "id": entity.id,
        "annotator": entity.annotator,
        "name": entity.name,
        "label": entity.label,
        "mentions": list(entity.mentions),
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
        "relations": [relation_json(r) for r in item.relations],
        "entities": [entity_json(e) for e in item.entities],
    }


class DocumentsOut:
    """An export's documents, read a batch at a time and made JSON objects as they are
    written (a 50,000-document export never holds more than a batch), counted on the way."""

    def __init__(self, items: Iterable[ExportedDocument]) -> None:
        self.items = items
        self.documents = 0
        self.annotations = 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        with paused_gc():
            for item in self.items:
                self.documents += 1
                self.annotations += len(item.annotations)
                yield document_json(item)


def export_json(
    store: Store, annotator: str | None = None, document_id: str | None = None, lazy: bool = False
) -> dict[str, Any]:
    """The whole database (or one annotator's work, or one document) as a v1 export; with
    `lazy`, its "documents" are a DocumentsOut, read while `write_export` writes them."""
    with paused_gc():  # hundreds of thousands of small dicts, none in a cycle
        return _export_json(store, annotator, document_id, lazy)


def _export_json(
    store: Store, annotator: str | None, document_id: str | None, lazy: bool = False
) -> dict[str, Any]:
    schema = store.schema()
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": now_iso(),
        "labels": [label.to_json() for label in schema.labels],
        "relation_types": [relation.to_json() for relation in schema.relation_types],
        "entity_types": list(schema.entity_types),
    }
    if schema.suggest is not None:
        data["suggest"] = schema.suggest.to_json()
    models = store.models()
    if models:  # the trained suggestion models travel with the annotations
        data["suggestion_models"] = [model.to_json() for model in models]
    if lazy:
        data["documents"] = DocumentsOut(store.iter_documents(annotator, document_id))
        return data
    data["documents"] = [
        document_json(item) for item in store.export_documents(annotator, document_id)
    ]
    return data


def write_export(data: dict[str, Any], handle: IO[str]) -> None:
    """UTF-8, not ASCII-escaped, keys in the order the format documents: the head with one
    key a line, then one document a line (json's C encoder writes those; an indented dump
    would go through the pure-Python one, several times slower on a large corpus)."""
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    handle.write("{\n")
    for key, value in data.items():
        if key == "documents":
            continue
        handle.write(f" {dumps(key)}: {dumps(value)},\n")
    handle.write(' "documents": [')
    for index, document in enumerate(data.get("documents", [])):
        handle.write(",\n  " if index else "\n  ")
        handle.write(dumps(document))
    handle.write("\n ]\n}\n")


def describe_export(data: dict[str, Any]) -> str:
    """ "1 document, 3 annotations": what an export holds, for the line that reports it."""
    documents = data["documents"]
    if isinstance(documents, DocumentsOut):  # counted while written
        return (
            f"{counted(documents.documents, 'document')}, "
            f"{counted(documents.annotations, 'annotation')}"
        )
    annotations = sum(len(d["annotations"]) for d in documents)
    return f"{counted(len(documents), 'document')}, {counted(annotations, 'annotation')}"


def save_export(data: dict[str, Any], path: Path) -> None:
    """Write an export next to its final name first, so a crash never leaves half a file."""
    with atomic_text(path) as handle:
        write_export(data, handle)


# -- reading --------------------------------------------------------------------------------


def load_export_file(path: Path) -> dict[str, Any]:
    """Read and parse a JSON file, refusing what is not one."""
    return parse_export_bytes(read_input(path, MAX_JSON_BYTES), shown(path))


def parse_export_bytes(raw: bytes, name: str) -> dict[str, Any]:
    if not raw.strip():
        raise ImportRefused(f"{name}: the file is empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(f"{name}: not UTF-8 at byte {exc.start}") from exc
    try:
        data = parse_json(text, name, parse_constant=_no_constant)
    except ValueError as exc:  # NaN / Infinity, or a number of thousands of digits
        raise ImportRefused(f"{name}: not valid JSON ({str(exc).split(';')[0]})") from exc
    if not isinstance(data, dict):
        raise ImportRefused(f"{name}: a Spanwise export is a JSON object")
    return data


def _no_constant(constant: str) -> Any:
    raise ValueError(f"{constant} is not a number JSON allows")


def _refuse_unpaired_surrogates(data: dict[str, Any], name: str) -> None:
    """A lone surrogate (JSON's "\\ud800") cannot be stored or written as UTF-8: refuse the
    file, naming where it is, before it can reach the database or a later export."""
    try:  # the C encoder finds out at once whether there is one at all...
        json.dumps(data, ensure_ascii=False).encode("utf-8")
        return
    except UnicodeEncodeError:
        pass  # ...and the walk below says where
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                _check_string(key, (*path, key), data, name)
                stack.append(((*path, key), item))
        elif isinstance(value, list):
            stack.extend(((*path, index), item) for index, item in enumerate(value))
        elif isinstance(value, str):
            _check_string(value, path, data, name)


def _check_string(value: str, path: tuple[str | int, ...], data: dict[str, Any], name: str) -> None:
    if value.isascii():
        return
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ImportRefused(
            f"{name}: {_describe_path(path, data)}: holds an unpaired surrogate "
            f"({value[exc.start]!r} at character {exc.start})"
        ) from exc


def _describe_path(path: tuple[str | int, ...], data: dict[str, Any]) -> str:
    """('documents', 0, 'annotations', 3, 'note') -> "document 'abc', annotations[3], 'note'"."""
    parts: list[str] = []
    rest = path
    if len(path) >= 2 and path[0] == "documents" and isinstance(path[1], int):
        document = data["documents"][path[1]]
        doc_id = document.get("id") if isinstance(document, dict) else None
        parts.append(f"document {doc_id!r}" if isinstance(doc_id, str) else f"documents[{path[1]}]")
        rest = path[2:]
    for position, step in enumerate(rest):
        if isinstance(step, int):
            parts.append(f"[{step}]")
        elif position + 1 < len(rest) and isinstance(rest[position + 1], int):
            parts.append(step)
        else:
            parts.append(repr(step))
    return ", ".join(parts).replace(", [", "[") or "the file"


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


def parse_export(data: dict[str, Any], name: str) -> tuple[Schema, list[ExportedDocument]]:
    """Check a whole v1 export before anything is written; refuse it at the first problem."""
    name = shown(name)
    check = _Checker(name)
    if data.get("format") != FORMAT:
        raise check.fail("format", f"expected 'spanwise', found {data.get('format')!r}")
    _refuse_unpaired_surrogates(data, name)
    version = check.field(data, "version", int, "version")
    if version > VERSION:
        raise check.fail(
            "version", f"version {version} is newer than this Spanwise reads ({VERSION})"
        )
    if version < 1:
        raise check.fail("version", f"unknown version {version}")
    try:
        labels = parse_labels(check.field(data, "labels", list, "labels"), name)
        relation_types = (
            parse_relation_types(data["relation_types"], labels, name)
            if "relation_types" in data
            else [r for r in load_schema().relation_types]
        )
        schema = Schema(
            tuple(labels),
            tuple(relation_types),
            parse_entity_types(data.get("entity_types"), name),
            parse_suggest_settings(data["suggest"], name) if "suggest" in data else None,
            parse_model_records(data.get("suggestion_models", []), name),
        )
    except SpanwiseError as exc:
        raise ImportRefused(str(exc)) from exc
    documents_raw = check.field(data, "documents", list, "documents")
    seen: set[str] = set()  # every id in the file: documents, annotations, links, entities
    documents: list[ExportedDocument] = []
    for index, raw in enumerate(documents_raw):
        doc_id, where = document_id(check, raw, index, seen)
        documents.append(_parse_document(check, raw, where, doc_id, schema, seen))
    return schema, documents


def document_id(check: _Checker, raw: Any, index: int, seen: set[str]) -> tuple[str, str]:
    """The id of the file's `index`th document (an object, its id new in `seen`) and how
    messages name it."""
    where = f"documents[{index}]"
    if not isinstance(raw, dict):
        raise check.fail(where, "must be an object")
    doc_id = check.field(raw, "id", str, where)
    where = f"document '{doc_id}'"
    if doc_id in seen:
        raise check.fail(where, "duplicate document id")
    seen.add(doc_id)
    return doc_id, where


def _parse_document(
    check: _Checker, raw: dict[str, Any], where: str, doc_id: str, schema: Schema, seen: set[str]
) -> ExportedDocument:
    # Long because the checks of one exported document's fields in the format's order, each naming
    # the field it refuses.
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
    annotations: dict[str, AnnotationData] = {}
    for a_index, item in enumerate(check.field(raw, "annotations", list, where)):
        at = f"{where}, annotations[{a_index}]"
        record = _parse_annotation(check, item, at, doc_id, text)
        _unique(check, seen, record.id, at)
        label = schema.label(record.label)
        if label is None:
            raise check.fail(at, f"label '{record.label}' is not in 'labels'")
        try:
            label.check_attributes(record.attributes)
        except SpanwiseError as exc:
            raise check.fail(at, f"'attributes': {exc}") from exc
        annotations[record.id] = record
    scope = _Scope(doc_id, schema, annotations)
    relations = [
        _parse_relation(check, item, f"{where}, relations[{i}]", scope)
        for i, item in enumerate(check.field(raw, "relations", list, where))
    ]
    for link in relations:
        _unique(check, seen, link.id, f"{where}, relation '{link.id}'")
    _check_link_counts(check, relations, schema, where)
    entities: list[EntityData] = []
    in_entity: set[str] = set()
    for e_index, item in enumerate(check.field(raw, "entities", list, where)):
        at = f"{where}, entities[{e_index}]"
        entity = _parse_entity(check, item, at, scope)
        _unique(check, seen, entity.id, at)
        for mention in entity.mentions:
            if mention in in_entity:
                raise check.fail(at, f"mention '{mention}' belongs to two entities")
            in_entity.add(mention)
        entities.append(entity)
    return ExportedDocument(
        DocumentData(
            doc_id,
            check.field(raw, "title", str, where),
            check.field(raw, "source", str, where),
            text,
            sha,
            _optional_str(raw, "imported_at"),
        ),
        dict(statuses),
        list(annotations.values()),
        relations,
        entities,
    )


def _unique(check: _Checker, seen: set[str], item_id: str, where: str) -> None:
    if item_id in seen:
        raise check.fail(where, f"duplicate id '{item_id}'")
    seen.add(item_id)


def _owned_annotation(
    check: _Checker,
    annotations: dict[str, AnnotationData],
    annotation_id: str,
    owner: str,
    named: str,
    where: str,
) -> AnnotationData:
    """The annotation a link end or an entity mention names: of this document, by `owner`."""
    annotation = annotations.get(annotation_id)
    if annotation is None:
        raise check.fail(where, f"{named} is not an annotation of this document")
    if annotation.annotator != owner:
        raise check.fail(where, f"{named} belongs to another annotator")
    return annotation


@dataclass(frozen=True)
class _Scope:
    """What a link or an entity of one document is checked against."""

    doc_id: str
    schema: Schema
    annotations: dict[str, AnnotationData]


def _object(check: _Checker, item: Any, where: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise check.fail(where, "must be an object")
    return item


def _parse_relation(check: _Checker, item: Any, where: str, scope: _Scope) -> RelationData:
    item = _object(check, item, where)
    schema, annotations = scope.schema, scope.annotations
    link = RelationData(
        id=check.field(item, "id", str, where),
        document_id=scope.doc_id,
        annotator=check.field(item, "annotator", str, where),
        type=check.field(item, "type", str, where),
        source=check.field(item, "source", str, where),
        target=check.field(item, "target", str, where),
    )
    ends = [
        _owned_annotation(check, annotations, end_id, link.annotator, f"'{key}' {end_id!r}", where)
        for key, end_id in (("source", link.source), ("target", link.target))
    ]
    relation_type = schema.relation_type(link.type)
    if relation_type is None:
        raise check.fail(where, f"'type' {link.type!r} is not in 'relation_types'")
    if not relation_type.allows(ends[0].label, ends[1].label):
        raise check.fail(
            where, f"'type' {link.type!r} cannot link {ends[0].label} to {ends[1].label}"
        )
    return link


def _check_link_counts(
    check: _Checker, relations: list[RelationData], schema: Schema, where: str
) -> None:
    counts: dict[tuple[str, str], int] = {}
    for link in relations:
        key = (link.source, link.type)
        counts[key] = counts.get(key, 0) + 1
        relation_type = schema.relation_type(link.type)
        maximum = relation_type.max_per_source if relation_type else None
        if maximum is not None and counts[key] > maximum:
            raise check.fail(
                f"{where}, relation '{link.id}'",
                f"annotation {link.source!r} has more than {maximum} {link.type} link(s)",
            )


def _parse_entity(check: _Checker, item: Any, where: str, scope: _Scope) -> EntityData:
    item = _object(check, item, where)
    schema, annotations = scope.schema, scope.annotations
    mentions = check.field(item, "mentions", list, where)
    if not all(isinstance(mention, str) for mention in mentions):
        raise check.fail(where, "'mentions' must be a list of annotation ids")
    entity = EntityData(
        id=check.field(item, "id", str, where),
        document_id=scope.doc_id,
        annotator=check.field(item, "annotator", str, where),
        name=check.field(item, "name", str, where),
        label=check.field(item, "label", str, where),
        mentions=tuple(mentions),
    )
    if not entity.name.strip():
        raise check.fail(where, "'name' is empty")
    if len(set(mentions)) != len(mentions):
        raise check.fail(where, "'mentions' lists an annotation twice")
    for mention in mentions:
        named = f"mention {mention!r}"
        annotation = _owned_annotation(check, annotations, mention, entity.annotator, named, where)
        label = schema.label(annotation.label)
        if label is None or not label.forms_entities:
            raise check.fail(where, f"mention {mention!r} is a {annotation.label}, not an entity")
    return entity


def _optional_str(obj: dict[str, Any], key: str) -> str:
    value = obj.get(key)
    return value if isinstance(value, str) else ""


def _parse_annotation(
    check: _Checker, item: Any, where: str, doc_id: str, text: str
) -> AnnotationData:
    """One annotation: the common, well-formed case is checked in one pass; anything odd
    goes through the field-by-field checks, which name the problem."""
    quick = _quick_annotation(item, doc_id, text)
    if quick is not None:
        return quick
    return _checked_annotation(check, item, where, doc_id, text)


def _quick_annotation(item: Any, doc_id: str, text: str) -> AnnotationData | None:
    if type(item) is not dict or "fragments" in item:
        return None
    try:
        ann_id, annotator, label = item["id"], item["annotator"], item["label"]
        start, end, span_text = item["start"], item["end"], item["text"]
        attributes, note = item["attributes"], item["note"]
        created, modified = item["created"], item["modified"]
    except KeyError:
        return None
    if not (
        type(ann_id) is str
        and ann_id
        and type(annotator) is str
        and annotator.strip()
        and type(label) is str
        and type(start) is int
        and type(end) is int
        and 0 <= start < end <= len(text)
        and type(span_text) is str
        and text[start:end] == span_text
        and type(attributes) is dict
        and (note is None or type(note) is str)
        and type(created) is str
        and type(modified) is str
    ):
        return None
    return AnnotationData(
        ann_id, doc_id, annotator, label, start, end, dict(attributes), note, created, modified
    )


def _checked_annotation(
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
    fragments: Fragments = ()
    if "fragments" in item:
        raw_fragments = check.field(item, "fragments", list, where)
        if not all(
            isinstance(f, list)
            and len(f) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in f)
            for f in raw_fragments
        ):
            raise check.fail(where, "'fragments' must be a list of [start, end] pairs")
        fragments = tuple((f[0], f[1]) for f in raw_fragments)
        try:
            check_spans(text, start, end, fragments)
        except SpanwiseError as exc:
            raise check.fail(where, f"'fragments': {exc}") from exc
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
        fragments=fragments,
    )


def import_export(
    store: Store,
    data: dict[str, Any],
    name: str,
    replace: bool = False,
    progress: Progress | None = None,
) -> ImportSummary:
    """Validate an export completely, then add it in one transaction."""
    schema, documents = parse_export(data, name)
    return store.import_documents(schema, documents, replace=replace, progress=progress)
