"""W3C Web Annotation (JSON-LD) export, and re-anchoring an exported annotation in a changed
text.

Every span becomes an Annotation whose target carries two selectors: a TextPositionSelector
(code points, as the W3C model counts) and a TextQuoteSelector (the exact text with a little
context before and after), so a reader can find the span again even after the text was edited.
The label is a `tagging` body, attributes `classifying` bodies ("kind=direct"), the note a
`commenting` body, the entity an `identifying` body; a link is an Annotation with the
`linking` motivation from one span's annotation to the other's. A discontinuous span has one
target per fragment.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.errors import ImportRefused, SpanwiseError
from db.files.outputs import write_text_atomically
from db.formats import FormatReport, ImportedBatch, ReadOptions, WriteOptions, register
from db.formats.tool_json import only_annotator
from db.records import AnnotationData, ExportedDocument, RelationData
from db.schema.label_schema import Schema

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
QUOTE_CONTEXT = 32  # code points of prefix and suffix kept with each quote


def annotation_iri(annotation_id: str) -> str:
    """The IRI an exported annotation is named by."""
    return f"urn:spanwise:annotation:{annotation_id}"


def document_iri(document_id: str) -> str:
    """The IRI an exported document is named by."""
    return f"urn:spanwise:document:{document_id}"


class W3CFormat:
    """W3C Web Annotation JSON-LD, export only; targets can be re-anchored."""

    name = "w3c"
    description = "W3C Web Annotation JSON-LD (.jsonld), export only; re-anchors in edited text"
    can_import = False
    can_export = True

    def sniff(self, path: Path) -> bool:
        """Never: Spanwise does not import Web Annotation."""
        return False  # export only

    def read(self, paths: Sequence[Path], options: ReadOptions) -> ImportedBatch:
        """Refused: Web Annotation is an export format here."""
        raise ImportRefused("w3c: Web Annotation is an export format; Spanwise does not import it")

    def write(
        self,
        documents: Sequence[ExportedDocument],
        schema: Schema,
        target: Path,
        options: WriteOptions,
    ) -> FormatReport:
        """Write the documents' annotations as one Web Annotation collection."""
        report = FormatReport()
        items: list[dict[str, Any]] = []
        for item in only_annotator(documents, options.annotator):
            items += document_annotations(item, report)
            report.count("documents")
            if item.statuses:
                report.lose("document statuses")
        if any(item.entities for item in documents):
            report.lose("entity types (person, organisation, ...)")
        report.lose("document texts and titles (targets name the document by its id)")
        collection = {
            "@context": CONTEXT,
            "id": f"urn:uuid:{uuid.uuid4()}",
            "type": "AnnotationCollection",
            "label": "Spanwise annotations",
            "total": len(items),
            "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
        }
        write_text_atomically(target, json.dumps(collection, ensure_ascii=False, indent=1) + "\n")
        return report


def document_annotations(item: ExportedDocument, report: FormatReport) -> list[dict[str, Any]]:
    """One document's spans and links as Web Annotations."""
    entity_of = {mention: entity for entity in item.entities for mention in entity.mentions}
    result = []
    for record in item.annotations:
        bodies: list[dict[str, Any]] = [_text_body("tagging", record.label)]
        bodies += [
            _text_body("classifying", f"{key}={value}")
            for key, value in record.attributes.items()
            if value not in (None, "")
        ]
        if record.note:
            bodies.append(_text_body("commenting", record.note))
        entity = entity_of.get(record.id)
        if entity is not None:
            bodies.append(
                _text_body("identifying", entity.name) | {"id": f"urn:spanwise:entity:{entity.id}"}
            )
        result.append(_annotation(record, item, bodies))
        report.count("annotations")
    for link in item.relations:
        result.append(_link(link))
        report.count("links")
    report.count("entities", len(item.entities))
    return result


def _text_body(purpose: str, value: str) -> dict[str, Any]:
    return {"type": "TextualBody", "purpose": purpose, "value": value}


def _annotation(
    record: AnnotationData, item: ExportedDocument, bodies: list[dict[str, Any]]
) -> dict[str, Any]:
    text = item.document.text
    targets = [
        {
            "type": "SpecificResource",
            "source": {
                "id": document_iri(item.document.id),
                "type": "Text",
                "format": "text/plain",
            },
            "selector": [
                {"type": "TextPositionSelector", "start": start, "end": end},
                quote_selector(text, start, end),
            ],
        }
        for start, end in record.spans
    ]
    return {
        "id": annotation_iri(record.id),
        "type": "Annotation",
        "motivation": "tagging",
        "creator": {"type": "Person", "nickname": record.annotator},
        "created": record.created,
        "modified": record.modified,
        "body": bodies,
        "target": targets[0] if len(targets) == 1 else targets,
    }


def _link(link: RelationData) -> dict[str, Any]:
    return {
        "id": annotation_iri(link.id),
        "type": "Annotation",
        "motivation": "linking",
        "creator": {"type": "Person", "nickname": link.annotator},
        "body": [
            {
                "type": "SpecificResource",
                "source": annotation_iri(link.target),
                "purpose": "linking",
            },
            _text_body("tagging", link.type),
        ],
        "target": annotation_iri(link.source),
    }


def quote_selector(text: str, start: int, end: int) -> dict[str, Any]:
    """A TextQuoteSelector: the exact text with some context either side."""
    return {
        "type": "TextQuoteSelector",
        "exact": text[start:end],
        "prefix": text[max(0, start - QUOTE_CONTEXT) : start],
        "suffix": text[end : end + QUOTE_CONTEXT],
    }


# -- re-anchoring -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Anchor:
    """Where a target is now, and whether it moved."""

    start: int
    end: int
    moved: bool


def reanchor_quote(
    text: str, exact: str, prefix: str = "", suffix: str = "", near: int | None = None
) -> tuple[int, int] | None:
    """The occurrence of `exact` in `text` whose surroundings best match `prefix` and
    `suffix` (the nearest to `near` among equals); None if the quote is gone."""
    if not exact:
        return None
    best: tuple[int, int] | None = None
    best_score: tuple[int, int] | None = None
    found = text.find(exact)
    while found >= 0:
        end = found + len(exact)
        context = _common_suffix(text[max(0, found - len(prefix)) : found], prefix)
        context += _common_prefix(text[end : end + len(suffix)], suffix)
        distance = abs(found - near) if near is not None else 0
        score = (context, -distance)
        if best_score is None or score > best_score:
            best, best_score = (found, end), score
        found = text.find(exact, found + 1)
    return best


def reanchor(annotation: dict[str, Any], text: str) -> list[Anchor] | None:
    """Where an exported annotation's targets (one per fragment) are in `text`, which may
    have changed since the export: its position if the quote is still there with its
    context, else the best-matching occurrence of the quote. None if a quote is gone."""
    targets = annotation.get("target")
    targets = targets if isinstance(targets, list) else [targets]
    anchors = []
    for target in targets:
        selectors = target.get("selector") if isinstance(target, dict) else None
        if not isinstance(selectors, list):
            selectors = [selectors] if isinstance(selectors, dict) else []
        position = next((s for s in selectors if s.get("type") == "TextPositionSelector"), None)
        quote = next((s for s in selectors if s.get("type") == "TextQuoteSelector"), None)
        if quote is None:
            raise SpanwiseError("the annotation has no TextQuoteSelector to re-anchor by")
        old = (position["start"], position["end"]) if position is not None else None
        found = reanchor_quote(
            text,
            quote.get("exact", ""),
            quote.get("prefix", ""),
            quote.get("suffix", ""),
            old[0] if old else None,
        )
        if found is None:
            return None
        anchors.append(Anchor(found[0], found[1], moved=found != old))
    return anchors


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])


FORMAT = register(W3CFormat())
