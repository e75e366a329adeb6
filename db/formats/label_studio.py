"""Label Studio JSON: a list of tasks, each with `data.text` and `annotations[].result[]`.

A `labels` result is a span (its `value.text` repeats the span text, which settles whether the
offsets count code points or UTF-16 units); a `relation` result links two spans; `choices`
and `textarea` results with a span's id become its attributes and note (a textarea named
`note` is the note). `completed_by` (its email, or `created_username`) names the annotator.
Results Spanwise cannot hold (document-level choices, other object types, predictions) are
listed in the report instead.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from db.errors import ImportRefused
from db.files.input_files import read_head
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
    iso_time,
    new_document,
    only_annotator,
    owners,
    read_json,
    title_of,
    whole_int,
)
from db.formats.utf16 import RawSpan, Utf16Map, decide_offsets, offset_writer
from db.records import AnnotationData, ExportedDocument, RelationData, now_iso
from db.schema.label_schema import Schema
from db.text.messages import Repeated

# One line for all the spans of a batch with several labels, however many there are.
SEVERAL_LABELS = Repeated(
    "span",
    "{}: a span with several labels became one annotation per label",
    "with several labels became one annotation per label",
)

TOOL = "label-studio"
NOTE = "note"  # the textarea that holds a span's note
SNIFF_PARSE_LIMIT = 16 * 1024 * 1024


@dataclass
class _Region:
    key: str
    raw: RawSpan
    labels: list[str]
    attributes: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass
class _Annotation:
    key: str
    annotator: str
    created: str
    modified: str
    regions: dict[str, _Region] = field(default_factory=dict)
    relations: list[tuple[str, str, str]] = field(default_factory=list)  # from, to, type


@dataclass
class _Task:
    key: str
    text: str
    title: str
    source: str
    annotations: list[_Annotation] = field(default_factory=list)


class LabelStudioFormat:
    """Label Studio's JSON export: tasks with their annotations."""

    name = "label-studio"
    description = "Label Studio JSON export (.json): text spans, relations, per-span choices"
    can_import = True
    can_export = True

    def __init__(self, offsets: OffsetUnit = "codepoints") -> None:
        self.offsets = offsets  # what the writer counts

    def sniff(self, path: Path) -> bool:
        """Whether the path is a Label Studio export (a JSON list of tasks)."""
        if not path.is_file() or path.suffix.lower() != ".json":
            return False
        try:
            if path.stat().st_size > SNIFF_PARSE_LIMIT:
                head = read_head(path, 1024 * 1024).decode("utf-8", "replace").lstrip()
                return head.startswith("[") and '"data"' in head and '"annotations"' in head
            data = json.loads(read_head(path, SNIFF_PARSE_LIMIT).decode("utf-8-sig"))
        except (OSError, ValueError, RecursionError):
            return False
        tasks = data if isinstance(data, list) else [data]
        return bool(tasks) and all(
            isinstance(task, dict) and isinstance(task.get("data"), dict) for task in tasks[:20]
        )

    # -- reading ------------------------------------------------------------------------------

    def read(self, paths: Sequence[Path], options: ReadOptions) -> ImportedBatch:
        """Read Label Studio exports into documents."""
        report = FormatReport()
        needs = Collected()
        documents: list[ExportedDocument] = []
        for path in expand(paths, (".json",)):
            data = read_json(path)
            if isinstance(data, dict) and isinstance(data.get("data"), dict):
                data = [data]
            if not isinstance(data, list):
                raise ImportRefused(f"{path}: a Label Studio export is a JSON list of tasks")
            tasks = [
                _parse_task(path, index, task, options, report) for index, task in enumerate(data)
            ]
            decision = decide_offsets(
                [
                    (task.text, [r.raw for a in task.annotations for r in a.regions.values()])
                    for task in tasks
                ],
                options.offsets,
                str(path),
            )
            if decision.reason:
                report.messages.append(f"{path.name}: {decision.reason}")
            documents.extend(_document(task, decision.unit, needs, report) for task in tasks)
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
        """Write the documents as Label Studio tasks."""
        report = FormatReport()
        user_ids: dict[str, int] = {}
        annotation_ids = count(1)
        tasks = []
        for number, item in enumerate(only_annotator(documents, options.annotator), start=1):
            annotations = []
            for owner in owners(item):
                user = user_ids.setdefault(owner, len(user_ids) + 1)
                annotations.append(
                    _written_annotation(item, owner, schema, self.offsets, report)
                    | {
                        "id": next(annotation_ids),
                        "completed_by": {"id": user, "email": owner},
                        "created_username": f"{owner}, {user}",
                        "task": number,
                    }
                )
            doc = item.document
            tasks.append(
                {
                    "id": number,
                    "data": {"text": doc.text, "title": doc.title, "source": doc.source},
                    "annotations": annotations,
                    "predictions": [],
                }
            )
            report.count("documents")
            if item.entities:
                report.lose("entities")
            if "in progress" in item.statuses.values():
                report.lose("'in progress' status (every annotation is written as submitted)")
        write_text_atomically(target, json.dumps(tasks, ensure_ascii=False, indent=1) + "\n")
        return report


def _written_annotation(
    item: ExportedDocument, owner: str, schema: Schema, unit: OffsetUnit, report: FormatReport
) -> dict[str, Any]:
    text = item.document.text
    position = offset_writer(text, unit)
    result: list[dict[str, Any]] = []
    region_of: dict[str, str] = {}
    mine = [a for a in item.annotations if a.annotator == owner]
    for record in mine:
        if record.fragments:
            report.lose("fragments (each fragment is written as a separate span)")
        label = schema.label(record.label)
        for index, (start, end) in enumerate(record.spans):
            region = record.id if index == 0 else f"{record.id}-{index}"
            region_of.setdefault(record.id, region)
            span = {"start": position(start), "end": position(end), "text": text[start:end]}
            result.append(_result(region, span, "label", "labels", {"labels": [record.label]}))
            for key, value in record.attributes.items():
                if value in (None, ""):
                    continue
                if (label and label.attributes.get(key)) or key == NOTE:
                    result.append(_result(region, span, key, "choices", {"choices": [value]}))
                else:
                    result.append(_result(region, span, key, "textarea", {"text": [value]}))
            if record.note:
                result.append(_result(region, span, NOTE, "textarea", {"text": [record.note]}))
        report.count("annotations")
    for link in item.relations:
        if link.annotator != owner:
            continue
        result.append(
            {
                "from_id": region_of[link.source],
                "to_id": region_of[link.target],
                "type": "relation",
                "direction": "right",
                "labels": [link.type],
            }
        )
        report.count("links")
    return {
        "result": result,
        "was_cancelled": False,
        "ground_truth": False,
        "created_at": min((a.created for a in mine if a.created), default=now_iso()),
        "updated_at": max((a.modified for a in mine if a.modified), default=now_iso()),
    }


def _result(
    region: str, span: dict[str, Any], from_name: str, kind: str, value: dict[str, Any]
) -> dict[str, Any]:
    return {
        "id": region,
        "from_name": from_name,
        "to_name": "text",
        "type": kind,
        "origin": "manual",
        "value": span | value,
    }


def labeling_config(schema: Schema) -> str:
    """A Label Studio labeling config matching what the writer produces, for a new project."""
    lines = ["<View>", "  <Relations>"]
    lines += [f"    <Relation value={quoteattr(r.name)}/>" for r in schema.relation_types]
    lines += ["  </Relations>", '  <Labels name="label" toName="text">']
    lines += [
        f"    <Label value={quoteattr(label.name)} background={quoteattr(label.colour)}/>"
        for label in schema.labels
    ]
    lines += ["  </Labels>", '  <Text name="text" value="$text"/>']
    lines.append('  <View visibleWhen="region-selected">')
    choices: dict[str, list[str]] = {}
    free: list[str] = []
    for label in schema.labels:
        for key, values in label.attributes.items():
            if values:
                known = choices.setdefault(key, [])
                known += [v for v in values if v not in known]
            elif key not in free:
                free.append(key)
    for key, values in choices.items():
        lines.append(f'    <Choices name={quoteattr(key)} toName="text" perRegion="true">')
        lines += [f"      <Choice value={quoteattr(v)}/>" for v in values]
        lines.append("    </Choices>")
    for key in [*(k for k in free if k not in choices), NOTE]:
        lines.append(f'    <TextArea name={quoteattr(key)} toName="text" perRegion="true"/>')
    lines += ["  </View>", "</View>"]
    return "\n".join(lines) + "\n"


# -- reading ----------------------------------------------------------------------------------


def _fail(where: str, problem: str) -> ImportRefused:
    return ImportRefused(f"{where}: {problem}")


def _key(value: Any, fallback: str) -> str:
    return str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else fallback


def _parse_task(
    path: Path, index: int, task: Any, options: ReadOptions, report: FormatReport
) -> _Task:
    where = f"{path}, task {index}"
    if not isinstance(task, dict):
        raise _fail(where, "must be an object")
    key = _key(task.get("id"), f"#{index}")
    if "id" in task:
        where += f" (id {key})"
    data = task.get("data")
    if not isinstance(data, dict):
        raise _fail(where, "no 'data' object")
    text = check_text(_text_field(data, where), f"{where}, data")
    title, source = data.get("title"), data.get("source")
    parsed = _Task(
        key,
        text,
        title if isinstance(title, str) and title else title_of(text, f"{path.stem} {key}"),
        source if isinstance(source, str) and source else f"{path.name}#{key}",
    )
    if task.get("predictions"):
        report.lose("predictions (model suggestions are not imported)")
    annotations = task.get("annotations", task.get("completions", []))
    if not isinstance(annotations, list):
        raise _fail(where, "'annotations' must be a list")
    for a_index, annotation in enumerate(annotations):
        at = f"{where}, annotations[{a_index}]"
        if not isinstance(annotation, dict):
            raise _fail(at, "must be an object")
        if annotation.get("was_cancelled"):
            report.count("cancelled annotations skipped")
            continue
        parsed.annotations.append(_parse_annotation(annotation, a_index, at, options, report))
    return parsed


def _text_field(data: dict[str, Any], where: str) -> Any:
    if "text" in data:
        return data["text"]
    strings = [k for k, v in data.items() if isinstance(v, str)]
    if len(strings) == 1:
        return data[strings[0]]
    raise _fail(
        where,
        f"cannot tell which field of 'data' holds the text ({', '.join(strings) or 'none'}); "
        "name it 'text'",
    )


def _annotator(annotation: dict[str, Any], option: str | None) -> str:
    """Who completed an annotation: email or user name if the export has one."""
    by = annotation.get("completed_by")
    if isinstance(by, dict):
        for key in ("email", "username"):
            if isinstance(by.get(key), str) and by[key].strip():
                return str(by[key]).strip()
        by = by.get("id")
    username = annotation.get("created_username")
    if isinstance(username, str) and username.split(",")[0].strip():
        return username.split(",")[0].strip()
    if whole_int(by):
        return f"label-studio user {by}"
    if isinstance(by, str) and by.strip():
        return by.strip()
    return option or TOOL


def _parse_annotation(
    annotation: dict[str, Any], index: int, where: str, options: ReadOptions, report: FormatReport
) -> _Annotation:
    parsed = _Annotation(
        _key(annotation.get("id"), f"#{index}"),
        _annotator(annotation, options.annotator),
        iso_time(annotation.get("created_at")),
        iso_time(annotation.get("updated_at", annotation.get("created_at"))),
    )
    result = annotation.get("result", [])
    if not isinstance(result, list):
        raise _fail(where, "'result' must be a list")
    for r_index, item in enumerate(result):
        if not isinstance(item, dict):
            raise _fail(f"{where}, result[{r_index}]", "must be an object")
        if item.get("type") == "labels":
            _parse_region(parsed, item, f"{where}, result[{r_index}]")
    for r_index, item in enumerate(result):
        at = f"{where}, result[{r_index}]"
        kind = item.get("type")
        if kind == "relation":
            _parse_relation(parsed, item, at, report)
        elif kind in ("choices", "textarea"):
            _parse_region_detail(parsed, item, kind, at, report)
        elif kind != "labels":
            report.lose(f"'{kind}' results")
    return parsed


def _parse_region(parsed: _Annotation, item: dict[str, Any], at: str) -> None:
    key = _key(item.get("id"), "")
    if not key:
        raise _fail(at, "a labels result needs an 'id'")
    value = item.get("value")
    if not isinstance(value, dict):
        raise _fail(at, "no 'value' object")
    start, end = as_offset(value.get("start")), as_offset(value.get("end"))
    if start is None or end is None:
        raise _fail(at, "'value.start' and 'value.end' must be whole numbers (a plain Text span)")
    if not start < end:
        raise _fail(at, f"span {start}-{end} is empty or reversed")
    labels = value.get("labels")
    if (
        not isinstance(labels, list)
        or not labels
        or not all(isinstance(x, str) and x.strip() for x in labels)
    ):
        raise _fail(at, "'value.labels' must be a non-empty list of label names")
    span_text = value.get("text")
    raw = RawSpan(start, end, span_text if isinstance(span_text, str) else None, at)
    known = parsed.regions.get(key)
    if known is None:
        parsed.regions[key] = _Region(key, raw, list(labels))
    elif (known.raw.start, known.raw.end) == (start, end):
        known.labels += [x for x in labels if x not in known.labels]
    else:
        raise _fail(at, f"region id {key!r} is used for two different spans")


def _parse_relation(
    parsed: _Annotation, item: dict[str, Any], at: str, report: FormatReport
) -> None:
    ends = []
    for end_key in ("from_id", "to_id"):
        end_id = _key(item.get(end_key), "")
        if end_id not in parsed.regions:
            raise _fail(at, f"'{end_key}' {item.get(end_key)!r} is not a span of this annotation")
        ends.append(end_id)
    source, target = ends
    direction = item.get("direction", "right")
    if direction == "left":
        source, target = target, source
    elif direction == "bi":
        report.lose("two-way relations (kept as from → to)")
    if source == target:
        raise _fail(at, "a relation cannot link a span to itself")
    labels = item.get("labels") or ["related"]
    if not isinstance(labels, list) or not all(isinstance(x, str) and x.strip() for x in labels):
        raise _fail(at, "'labels' must be a list of relation names")
    for label in labels:
        if (source, target, label) not in parsed.relations:
            parsed.relations.append((source, target, label))


def _parse_region_detail(
    parsed: _Annotation, item: dict[str, Any], kind: str, at: str, report: FormatReport
) -> None:
    region = parsed.regions.get(_key(item.get("id"), ""))
    name = item.get("from_name")
    if region is None:
        report.lose(f"{kind} not attached to a span ('{name}')")
        return
    if not isinstance(name, str) or not name:
        raise _fail(at, "'from_name' must be a name")
    field_name = "choices" if kind == "choices" else "text"
    value = item.get("value")
    values = value.get(field_name) if isinstance(value, dict) else None
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise _fail(at, f"'value.{field_name}' must be a list of strings")
    if kind == "textarea" and name == NOTE:
        region.notes += values
    else:
        region.attributes[name] = (", " if kind == "choices" else "\n").join(values)


def _document(
    task: _Task, unit: OffsetUnit, needs: Collected, report: FormatReport
) -> ExportedDocument:
    document = new_document(task.text, task.title, task.source)
    mapping = Utf16Map(task.text)
    annotations: list[AnnotationData] = []
    relations: list[RelationData] = []
    statuses: dict[str, str] = {}
    for annotation in task.annotations:
        owner = annotation.annotator
        statuses[owner] = "done"
        base = f"{task.key}/{annotation.key}"
        first: dict[str, AnnotationData] = {}
        for region in annotation.regions.values():
            converted = mapping.convert(region.raw.start, region.raw.end, unit)
            assert converted is not None  # decide_offsets checked every span
            if len(region.labels) > 1:
                report.messages.about(SEVERAL_LABELS, task.source)
            for index, label in enumerate(region.labels):
                suffix = f"/{label}" if index else ""
                record = AnnotationData(
                    id=stable_id(document.sha256, owner, f"{base}/{region.key}{suffix}"),
                    document_id="",
                    annotator=owner,
                    label=label,
                    start=converted[0],
                    end=converted[1],
                    attributes=dict(region.attributes),
                    note="\n".join(region.notes) or None,
                    created=annotation.created,
                    modified=annotation.modified,
                )
                annotations.append(record)
                first.setdefault(region.key, record)
                needs.label(label, region.attributes)
        for source, target, kind in annotation.relations:
            relations.append(
                RelationData(
                    stable_id(document.sha256, owner, f"{base}/relation {source}>{target} {kind}"),
                    "",
                    owner,
                    kind,
                    first[source].id,
                    first[target].id,
                )
            )
            needs.relation(kind, first[source].label, first[target].label)
    report.count("documents")
    report.count("annotations", len(annotations))
    report.count("links", len(relations))
    return ExportedDocument(document, statuses, annotations, relations)


FORMAT = register(LabelStudioFormat())
