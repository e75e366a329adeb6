"""doccano JSON lines: one document per line, with spans and links.

Two shapes are read: the current one (`entities` with `start_offset`/`end_offset`/`label`,
`relations` with `from_id`/`to_id`/`type`) and the older one (`label: [[start, end, label]]`).
doccano repeats no span text, so whether offsets count code points or UTF-16 units is judged
from the text alone (see db/formats/utf16.py). It records no annotator (the optional
`annotator` key Spanwise writes aside), no attributes, notes, fragments or entities.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any

from db.errors import ImportRefused
from db.files.outputs import write_text_atomically
from db.formats import (
    FormatReport,
    ImportedBatch,
    OffsetUnit,
    ReadOptions,
    WriteOptions,
    register,
    stable_id,
)
from db.formats.collected import Collected
from db.formats.tool_json import (
    as_offset,
    check_text,
    expand,
    first_json_line,
    json_line,
    new_document,
    only_annotator,
    read_json_lines,
    title_of,
)
from db.formats.utf16 import RawSpan, Utf16Map, decide_offsets, offset_writer
from db.records import AnnotationData, ExportedDocument, RelationData, now_iso
from db.schema.label_schema import Schema

TOOL = "doccano"


@dataclass
class _Span:
    key: str  # the entity's id within its line (or its offsets and label)
    label: str
    raw: RawSpan


@dataclass
class _Line:
    number: int
    key: str  # the record's id, or its line number
    text: str
    annotator: str
    title: str
    source: str
    spans: list[_Span] = field(default_factory=list)
    relations: list[tuple[str, str, str, str]] = field(default_factory=list)  # key, from, to, type


class DoccanoFormat:
    """doccano's JSONL: one document per line, spans (and relations) as offsets."""

    name = "doccano"
    description = "doccano JSON lines (.jsonl): spans and relations"
    can_import = True
    can_export = True

    def __init__(self, offsets: OffsetUnit = "codepoints") -> None:
        self.offsets = offsets  # what the writer counts

    # -- detection ----------------------------------------------------------------------------

    def sniff(self, path: Path) -> bool:
        """Whether the path is a doccano JSONL file (or a folder holding one)."""
        if path.is_dir():
            files = sorted(p for p in path.glob("*.jsonl") if p.is_file())
            return bool(files) and all(_looks_like_doccano(f) for f in files[:5])
        return path.suffix.lower() == ".jsonl" and _looks_like_doccano(path)

    # -- reading ------------------------------------------------------------------------------

    def read(self, paths: Sequence[Path], options: ReadOptions) -> ImportedBatch:
        """Read doccano JSONL files into documents."""
        report = FormatReport()
        needs = Collected()
        documents: list[ExportedDocument] = []
        annotator = options.annotator or TOOL
        for path in expand(paths, (".jsonl",)):
            lines = [
                _parse_line(path, number, value, annotator, report)
                for number, value in read_json_lines(path)
            ]
            decision = decide_offsets(
                [(line.text, [span.raw for span in line.spans]) for line in lines],
                options.offsets,
                str(path),
            )
            if decision.reason:
                report.messages.append(f"{path.name}: {decision.reason}")
            documents.extend(_document(line, decision.unit, needs, report) for line in lines)
        if not options.annotator and any(d.annotations for d in documents):
            report.messages.append(
                f"doccano names no annotator; lines without an 'annotator' key were "
                f"imported as annotator '{TOOL}'"
            )
        return ImportedBatch(
            needs.schema(f"imported from {TOOL}", f"from {TOOL}"), documents, report
        )

    # -- writing ------------------------------------------------------------------------------

    def write(
        self,
        documents: Sequence[ExportedDocument],
        schema: Schema,
        target: Path,
        options: WriteOptions,
    ) -> FormatReport:
        """Write one JSON line per document (one annotator's work each)."""
        report = FormatReport()
        entity_ids, relation_ids, record_ids = count(1), count(1), count(1)
        out: list[str] = []
        for item in only_annotator(documents, options.annotator):
            doc = item.document
            unit = offset_writer(doc.text, self.offsets)
            _note_losses(item, report)
            owners: list[str | None] = [*sorted({a.annotator for a in item.annotations})]
            owners = owners or [None]
            for owner in owners:
                ids: dict[str, int] = {}
                entities: list[dict[str, Any]] = []
                for record in item.annotations:
                    if record.annotator != owner:
                        continue
                    for start, end in record.spans:
                        number = next(entity_ids)
                        ids.setdefault(record.id, number)
                        entities.append(
                            {
                                "id": number,
                                "label": record.label,
                                "start_offset": unit(start),
                                "end_offset": unit(end),
                            }
                        )
                    report.count("annotations")
                relations = [
                    {
                        "id": next(relation_ids),
                        "from_id": ids[link.source],
                        "to_id": ids[link.target],
                        "type": link.type,
                    }
                    for link in item.relations
                    if link.annotator == owner
                ]
                report.count("links", len(relations))
                line: dict[str, Any] = {
                    "id": next(record_ids),
                    "text": doc.text,
                    "entities": entities,
                    "relations": relations,
                }
                if owner is not None:
                    line["annotator"] = owner
                line["title"] = doc.title
                line["source"] = doc.source
                out.append(json_line(line))
            report.count("documents")
        write_text_atomically(target, "".join(out))
        return report


def _looks_like_doccano(path: Path) -> bool:
    value = first_json_line(path)
    return (
        isinstance(value, dict)
        and isinstance(value.get("text", value.get("data")), str)
        and "spans" not in value
        and "tokens" not in value
    )


def _note_losses(item: ExportedDocument, report: FormatReport) -> None:
    for record in item.annotations:
        if record.fragments:
            report.lose("fragments (each fragment is written as a separate span)")
        if any(value not in (None, "") for value in record.attributes.values()):
            report.lose("attributes")
        if record.note:
            report.lose("notes")
    if item.entities:
        report.lose("entities")
    if item.statuses:
        report.lose("document statuses")


def _fail(where: str, problem: str) -> ImportRefused:
    return ImportRefused(f"{where}: {problem}")


def _parse_line(path: Path, number: int, value: Any, annotator: str, report: FormatReport) -> _Line:
    where = f"{path}, line {number}"
    if not isinstance(value, dict):
        raise _fail(where, "each line must be a JSON object")
    if "text" not in value and "data" not in value:
        raise _fail(where, "no 'text'")
    text = check_text(value.get("text", value.get("data")), where)
    owner = value.get("annotator")
    if owner is not None and (not isinstance(owner, str) or not owner.strip()):
        raise _fail(where, "'annotator' must be a non-empty string")
    record_id = value.get("id")
    key = str(record_id) if isinstance(record_id, (str, int)) else f"line {number}"
    title = value.get("title")
    source = value.get("source")
    line = _Line(
        number,
        key,
        text,
        owner or annotator,
        title if isinstance(title, str) and title else title_of(text, f"{path.stem} {number}"),
        source if isinstance(source, str) and source else f"{path.name}:{number}",
    )
    seen: set[tuple[int, int, str]] = set()
    if "entities" in value:
        _parse_entities(line, value, where, seen)
    if "label" in value or "labels" in value:
        _parse_label_triples(line, value.get("label", value.get("labels")), where, seen, report)
    comments = value.get("Comments", value.get("comments"))
    if isinstance(comments, list) and comments:
        report.lose("document comments")
    return line


def _parse_entities(
    line: _Line, value: dict[str, Any], where: str, seen: set[tuple[int, int, str]]
) -> None:
    entities = value["entities"]
    if not isinstance(entities, list):
        raise _fail(where, "'entities' must be a list")
    keys: set[str] = set()
    for index, entity in enumerate(entities):
        at = f"{where}, entities[{index}]"
        if not isinstance(entity, dict):
            raise _fail(at, "must be an object")
        start, end, label = _checked_span(
            at, entity.get("start_offset"), entity.get("end_offset"), entity.get("label")
        )
        entity_id = entity.get("id")
        key = str(entity_id) if isinstance(entity_id, (str, int)) else f"{start}-{end} {label}"
        if key in keys:
            raise _fail(at, f"entity id {entity_id!r} appears twice in this line")
        keys.add(key)
        seen.add((start, end, label))
        line.spans.append(_Span(key, label, RawSpan(start, end, None, at)))
    relations = value.get("relations", [])
    if not isinstance(relations, list):
        raise _fail(where, "'relations' must be a list")
    for index, relation in enumerate(relations):
        at = f"{where}, relations[{index}]"
        if not isinstance(relation, dict):
            raise _fail(at, "must be an object")
        ends = []
        for end_key in ("from_id", "to_id"):
            end_id = relation.get(end_key)
            if not isinstance(end_id, (str, int)) or str(end_id) not in keys:
                raise _fail(at, f"'{end_key}' {end_id!r} is not an entity of this line")
            ends.append(str(end_id))
        kind = relation.get("type")
        if not isinstance(kind, str) or not kind.strip():
            raise _fail(at, "'type' must be a non-empty string")
        if ends[0] == ends[1]:
            raise _fail(at, "a relation cannot link an entity to itself")
        relation_id = relation.get("id")
        key = str(relation_id) if isinstance(relation_id, (str, int)) else f"{index}"
        line.relations.append((key, ends[0], ends[1], kind))


def _parse_label_triples(
    line: _Line, labels: Any, where: str, seen: set[tuple[int, int, str]], report: FormatReport
) -> None:
    if not isinstance(labels, list):
        raise _fail(where, "'label' must be a list of [start, end, label]")
    if labels and all(isinstance(item, str) for item in labels):
        report.lose("document-level labels (text classification)")
        return
    for index, item in enumerate(labels):
        at = f"{where}, label[{index}]"
        if not isinstance(item, list) or len(item) != 3:
            raise _fail(at, "must be [start, end, label]")
        start, end, label = _checked_span(at, *item)
        if (start, end, label) in seen:
            continue
        seen.add((start, end, label))
        line.spans.append(_Span(f"{start}-{end} {label}", label, RawSpan(start, end, None, at)))


def _checked_span(at: str, start: Any, end: Any, label: Any) -> tuple[int, int, str]:
    begin, finish = as_offset(start), as_offset(end)
    if begin is None or finish is None:
        raise _fail(at, "start and end must be whole numbers")
    if not begin < finish:
        raise _fail(at, f"span {begin}-{finish} is empty or reversed")
    if not isinstance(label, str) or not label.strip():
        raise _fail(at, "the label must be a non-empty name")
    return begin, finish, label


def _document(
    line: _Line, unit: OffsetUnit, needs: Collected, report: FormatReport
) -> ExportedDocument:
    document = new_document(line.text, line.title, line.source)
    mapping = Utf16Map(line.text)
    stamp = now_iso()
    annotations: dict[str, AnnotationData] = {}
    for span in line.spans:
        converted = mapping.convert(span.raw.start, span.raw.end, unit)
        assert converted is not None  # decide_offsets checked every span
        record = AnnotationData(
            id=stable_id(document.sha256, line.annotator, f"{line.key}/{span.key}"),
            document_id="",
            annotator=line.annotator,
            label=span.label,
            start=converted[0],
            end=converted[1],
            created=stamp,
            modified=stamp,
        )
        annotations[span.key] = record
        needs.label(span.label)
    relations = []
    for key, source, target, kind in line.relations:
        relations.append(
            RelationData(
                stable_id(document.sha256, line.annotator, f"{line.key}/relation {key}"),
                "",
                line.annotator,
                kind,
                annotations[source].id,
                annotations[target].id,
            )
        )
        needs.relation(kind, annotations[source].label, annotations[target].label)
    report.count("documents")
    report.count("annotations", len(annotations))
    report.count("links", len(relations))
    return ExportedDocument(document, {}, list(annotations.values()), relations)


FORMAT = register(DoccanoFormat())
