"""Label schemas: the labels, link types and entity types a database offers, read from a JSON
file and checked, with the line of the first mistake."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from db.errors import SpanwiseError
from db.files.json_files import parse_json
from db.model_records import ModelRecord
from db.schema.keys import check_schema_keys
from db.schema.quote_definition import SuggestSettings, parse_suggest_settings
from resources import resource

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_ENTITY_TYPES = ("person", "organisation", "group", "other")


@dataclass(frozen=True)
class LabelDef:
    """A label as the GUI and the exports see it."""

    name: str
    colour: str
    shortcut: str | None = None
    attributes: dict[str, list[str]] = field(default_factory=dict)
    description: str = ""
    forms_entities: bool = False

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
        """The label as a schema file writes it."""
        return {
            "name": self.name,
            "colour": self.colour,
            "shortcut": self.shortcut,
            "attributes": {key: list(values) for key, values in self.attributes.items()},
            "description": self.description,
            "entities": self.forms_entities,
        }


@dataclass(frozen=True)
class RelationTypeDef:
    """A link the schema allows, e.g. `speaker`: Quote -> Speaker, at most one per quote."""

    name: str
    from_labels: tuple[str, ...]
    to_labels: tuple[str, ...]
    max_per_source: int | None = None
    description: str = ""

    def allows(self, source_label: str, target_label: str) -> bool:
        """Whether a link of this type may go from the one label to the other."""
        return source_label in self.from_labels and target_label in self.to_labels

    def to_json(self) -> dict[str, Any]:
        """The link type as a schema file writes it."""
        return {
            "name": self.name,
            "from": list(self.from_labels),
            "to": list(self.to_labels),
            "max": self.max_per_source,
            "description": self.description,
        }


@dataclass(frozen=True)
class Schema:
    """Labels, link types and entity types; `suggest` is the quote definition a schema file
    or export states (None: it states none, and the database keeps its own), and `models`
    the trained suggestion models an export carries under that definition."""

    labels: tuple[LabelDef, ...]
    relation_types: tuple[RelationTypeDef, ...] = ()
    entity_types: tuple[str, ...] = DEFAULT_ENTITY_TYPES
    suggest: SuggestSettings | None = None
    models: tuple[ModelRecord, ...] = ()

    def label(self, name: str) -> LabelDef | None:
        """The label of this name, or None."""
        return next((label for label in self.labels if label.name == name), None)

    def relation_type(self, name: str) -> RelationTypeDef | None:
        """The link type of this name, or None."""
        return next((r for r in self.relation_types if r.name == name), None)


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
        forms_entities = entry.get("entities", False)
        if not isinstance(forms_entities, bool):
            raise SpanwiseError(f"{at}.entities must be true or false")
        labels.append(
            LabelDef(name, colour, shortcut, dict(attributes), description, forms_entities)
        )
    return labels


def parse_relation_types(
    entries: Any, labels: Sequence[LabelDef], where: str, source: str | None = None
) -> list[RelationTypeDef]:
    """Validate link types; a label they name must exist (the error gives the file's line)."""
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise SpanwiseError(f"{where}: 'relations' must be a list")
    known = {label.name for label in labels}
    result: list[RelationTypeDef] = []
    for index, entry in enumerate(entries):
        at = f"{where}: relations[{index}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise SpanwiseError(f"{at} must be an object with a 'name'")
        name = entry["name"]
        if name in {r.name for r in result}:
            raise SpanwiseError(f"{at}: relation '{name}' is defined twice")
        ends: dict[str, tuple[str, ...]] = {}
        for key in ("from", "to"):
            value = entry.get(key)
            if (
                not isinstance(value, list)
                or not value
                or not all(isinstance(v, str) for v in value)
            ):
                raise SpanwiseError(f"{at}.{key} must be a non-empty list of label names")
            for label in value:
                if label not in known:
                    line = _line_of(source, index, label) if source else None
                    place = f" (line {line})" if line else ""
                    raise SpanwiseError(
                        f"{where}{place}: relation '{name}' {key} unknown label '{label}'"
                    )
            ends[key] = tuple(value)
        maximum = entry.get("max")
        if maximum is not None and (
            not isinstance(maximum, int) or isinstance(maximum, bool) or maximum < 1
        ):
            raise SpanwiseError(f"{at}.max must be a positive whole number or null")
        description = entry.get("description", "")
        if not isinstance(description, str):
            raise SpanwiseError(f"{at}.description must be a string")
        result.append(RelationTypeDef(name, ends["from"], ends["to"], maximum, description))
    return result


def parse_entity_types(entries: Any, where: str) -> tuple[str, ...]:
    """The entity types of a schema file (the defaults when it names none)."""
    if entries is None:
        return DEFAULT_ENTITY_TYPES
    if (
        not isinstance(entries, list)
        or not entries
        or not all(isinstance(e, str) and e for e in entries)
    ):
        raise SpanwiseError(f"{where}: 'entity_types' must be a non-empty list of names")
    return tuple(entries)


def _line_of(source: str, index: int, label: str) -> int | None:
    """The line of a bad label inside the index-th object of the file's "relations" list.

    A small scan of the JSON text (strings and nesting), since json.loads keeps no positions;
    it finds the label however the keys are ordered and however the text is escaped.
    """
    start = source.find('"relations"')
    start = source.find("[", start) if start >= 0 else -1
    if start < 0:
        return None
    depth, in_string, escaped, count, object_start = 0, False, False, -1, -1
    for position in range(start, len(source)):
        char = source[position]
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth == 2 and char == "{":
                count += 1
                object_start = position
        elif char in "]}":
            depth -= 1
            if depth == 1 and count == index:
                return _line_in(source, object_start, position, label)
            if depth == 0:
                return None
    return None


def _line_in(source: str, start: int, end: int, label: str) -> int | None:
    for spelling in (json.dumps(label, ensure_ascii=False), json.dumps(label)):
        found = source.find(spelling, start, end + 1)
        if found >= 0:
            return source.count("\n", 0, found) + 1
    return None


def parse_schema(data: Any, where: str, source: str | None = None) -> Schema:
    """A schema from parsed JSON; the first mistake is refused with its line."""
    if not isinstance(data, dict):
        raise SpanwiseError(f"{where}: a schema is a JSON object with 'labels'")
    labels = parse_labels(data.get("labels"), where)
    relation_types = parse_relation_types(data.get("relations"), labels, where, source)
    entity_types = parse_entity_types(data.get("entity_types"), where)
    suggest = parse_suggest_settings(data["suggest"], where) if "suggest" in data else None
    return Schema(tuple(labels), tuple(relation_types), entity_types, suggest)


def load_schema(text: str | None = None, where: str = "news.json") -> Schema:
    """A schema from a file's text; the bundled news schema by default."""
    if text is None:
        text = resource("schemas", "news.json").read_text(encoding="utf-8")
    schema = parse_schema(parse_json(text, where), where, text)
    check_schema_keys([(label.name, label.shortcut) for label in schema.labels], where)
    return schema
