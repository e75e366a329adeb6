"""What the team server's tables hold, in Spanwise's terms: the label schema as JSON, the
project's group roles, the name of the gold version."""

from __future__ import annotations

from typing import Any

from db.schema.label_schema import Schema, parse_schema

# The annotator name of the adjudicated version (spanwise.gold_name holds it on the server):
# reviewers write it, everyone may read it once a document is adjudicated.
GOLD = frozenset({"gold"})


def group_roles(database: str) -> tuple[str, str]:
    """The NOLOGIN roles every annotator and every reviewer of this project belongs to,
    named after the database (roles are shared by all the databases of a cluster)."""
    stem = database[:40]
    return f"{stem}_annotators", f"{stem}_reviewers"


def schema_json(schema: Schema) -> dict[str, Any]:
    """A schema as a schema file spells it (labels, relations, entity_types)."""
    return {
        "labels": [label.to_json() for label in schema.labels],
        "relations": [relation.to_json() for relation in schema.relation_types],
        "entity_types": list(schema.entity_types),
    }


def server_schema(labels: Any, relations: Any, entity_types: Any) -> Schema:
    """The schema the server holds, checked as a schema file is."""
    data = {"labels": labels, "relations": relations, "entity_types": entity_types}
    return parse_schema(data, "the server's label schema")
