"""A trained suggestion model as a record: what it learnt from, and its bytes.

The payload is opaque here (db/suggest/learned.py reads it); this module keeps the record,
its one-line description for the window and the command line, and its form in a Spanwise
JSON export (`suggestion_models`, the payload in base64), checked field by field on import.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from typing import Any

from db.errors import SpanwiseError
from db.model_payload import MAX_PAYLOAD_BYTES, check_payload
from db.schema.quote_definition import DEFINITIONS
from db.text.messages import counted


@dataclass(frozen=True)
class ModelRecord:
    """One version of a trained model. `documents` are the ids of the documents it learnt
    from; `counts` how much it saw there (articles, quotes, speakers, cues, links, rejected
    suggestions, tokens) and how long training took (`seconds`)."""

    id: str
    version: int
    annotator: str
    created: str
    quote_definition: str
    documents: tuple[str, ...]
    counts: dict[str, Any]
    trainer: str
    format: int
    payload: bytes = field(repr=False)

    def describe(self) -> str:
        """'version 3, learnt from gold: 12 articles, 160 quotes, 4 rejected suggestions
        (speech only; 2026-12-01 10:02)'."""
        counts = self.counts
        parts = [counted(counts.get("articles", len(self.documents)), "article")]
        parts.append(counted(counts.get("quotes", 0), "quote"))
        if counts.get("rejected"):
            parts.append(counted(counts["rejected"], "rejected suggestion"))
        when = self.created[:16].replace("T", " ")
        definition = DEFINITIONS.get(self.quote_definition, self.quote_definition)
        return (
            f"version {self.version}, learnt from {self.annotator}: {', '.join(parts)} "
            f"({definition.split(':')[0].split(' (')[0].lower()}; {when})"
        )

    def to_json(self) -> dict[str, Any]:
        """The record as an export carries it (the payload base64-encoded)."""
        return {
            "id": self.id,
            "version": self.version,
            "annotator": self.annotator,
            "created": self.created,
            "quote_definition": self.quote_definition,
            "documents": list(self.documents),
            "counts": dict(self.counts),
            "trainer": self.trainer,
            "format": self.format,
            "payload": base64.b64encode(self.payload).decode("ascii"),
        }


def parse_model_records(data: Any, where: str) -> tuple[ModelRecord, ...]:
    """The `suggestion_models` of an export; a mistake names the model and the field."""
    if not isinstance(data, list):
        raise SpanwiseError(f"{where}: 'suggestion_models' must be a list")
    return tuple(
        _parse_one(item, f"{where}: suggestion_models[{i}]") for i, item in enumerate(data)
    )


def _parse_one(item: Any, where: str) -> ModelRecord:
    if not isinstance(item, dict):
        raise SpanwiseError(f"{where} must be an object")

    def text(key: str) -> str:
        value = item.get(key)
        if not isinstance(value, str) or not value.strip():
            raise SpanwiseError(f"{where}.{key} must be a non-empty string")
        return value

    def number(key: str) -> int:
        value = item.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise SpanwiseError(f"{where}.{key} must be a whole number")
        return value

    documents = item.get("documents")
    if not isinstance(documents, list) or not all(isinstance(d, str) for d in documents):
        raise SpanwiseError(f"{where}.documents must be a list of document ids")
    counts = item.get("counts")
    if not isinstance(counts, dict) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in counts.values()
    ):
        raise SpanwiseError(f"{where}.counts must map names to numbers")
    definition = text("quote_definition")
    if definition not in DEFINITIONS:
        raise SpanwiseError(f"{where}.quote_definition must be one of {', '.join(DEFINITIONS)}")
    encoded = text("payload")
    if len(encoded) > MAX_PAYLOAD_BYTES * 4 // 3 + 4:
        raise SpanwiseError(f"{where}.payload is larger than {MAX_PAYLOAD_BYTES >> 20} MB")
    try:
        payload = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SpanwiseError(f"{where}.payload is not base64 ({exc})") from exc
    record = ModelRecord(
        text("id"),
        number("version"),
        text("annotator"),
        text("created"),
        definition,
        tuple(documents),
        dict(counts),
        text("trainer"),
        number("format"),
        payload,
    )
    try:  # last: the fields' mistakes are named first, and the costly check runs once
        check_payload(payload)
    except SpanwiseError as exc:
        raise SpanwiseError(f"{where}: {exc}") from exc
    return record
