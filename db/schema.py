"""Label schemas: the labels a database offers, read from a JSON file and checked."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from db.errors import SpanwiseError
from resources import resource

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class LabelDef:
    """A label as the GUI and the exports see it."""

    name: str
    colour: str
    shortcut: str | None = None
    attributes: dict[str, list[str]] = field(default_factory=dict)
    description: str = ""

    def check_attributes(self, attributes: dict[str, Any]) -> None:
        """Refuse a value outside an attribute's list (free-text attributes take any string)."""
        for key, value in attributes.items():
            if value is not None and not isinstance(value, str):
                raise SpanwiseError(f"{self.name}.{key} must be a string, not {value!r}")
            allowed = self.attributes.get(key)
            if allowed and value not in allowed and value not in (None, ""):
                raise SpanwiseError(
                    f"{self.name}.{key} must be one of {', '.join(allowed)}, not '{value}'"
                )

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "colour": self.colour,
            "shortcut": self.shortcut,
            "attributes": {key: list(values) for key, values in self.attributes.items()},
            "description": self.description,
        }


def parse_labels(entries: Any, where: str) -> list[LabelDef]:
    """Validate a list of label objects (from a schema file or an export)."""
    if not isinstance(entries, list) or not entries:
        raise SpanwiseError(f"{where}: 'labels' must be a non-empty list")
    labels: list[LabelDef] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        at = f"{where}: labels[{index}]"
        if not isinstance(entry, dict):
            raise SpanwiseError(f"{at} must be an object")
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise SpanwiseError(f"{at}.name must be a non-empty string")
        if name in seen:
            raise SpanwiseError(f"{at}.name '{name}' is defined twice")
        seen.add(name)
        colour = entry.get("colour", "#999999")
        if not isinstance(colour, str) or not _COLOUR.match(colour):
            raise SpanwiseError(f"{at}.colour must look like #rrggbb")
        shortcut = entry.get("shortcut")
        if shortcut is not None and not isinstance(shortcut, str):
            raise SpanwiseError(f"{at}.shortcut must be a string or null")
        attributes = entry.get("attributes", {})
        if not isinstance(attributes, dict) or not all(
            isinstance(values, list) and all(isinstance(v, str) for v in values)
            for values in attributes.values()
        ):
            raise SpanwiseError(f"{at}.attributes must map names to lists of strings")
        description = entry.get("description", "")
        if not isinstance(description, str):
            raise SpanwiseError(f"{at}.description must be a string")
        labels.append(LabelDef(name, colour, shortcut, dict(attributes), description))
    return labels


def load_schema(text: str | None = None, where: str = "news.json") -> list[LabelDef]:
    """Labels from a schema file's text; the bundled news schema by default."""
    if text is None:
        text = resource("schemas", "news.json").read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SpanwiseError(f"{where}: not valid JSON (line {exc.lineno}: {exc.msg})") from exc
    if not isinstance(data, dict):
        raise SpanwiseError(f"{where}: a schema is a JSON object with 'labels'")
    return parse_labels(data.get("labels"), where)
