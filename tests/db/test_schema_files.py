"""Label schema files: the bundled news schema, custom ones for new databases, and mistakes
reported with the file's name and the line to fix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from db.changes import Change, added
from db.errors import InvalidAnnotation, SpanwiseError
from db.records import EntityData, RelationData
from db.schema.label_schema import DEFAULT_ENTITY_TYPES, RelationTypeDef, load_schema
from db.store import Store, new_id
from resources import resource
from seeds import seed_paths
from tests.db.conftest import OpenStore

NEWS_LABELS = ["Quote", "Speaker", "Cue", "Event", "Participant", "Time", "Place"]
NEWS_LINKS = ["speaker", "cue", "agent", "patient", "time", "place", "participant"]

CUSTOM_SCHEMA = """\
{
  "name": "fact-checking",
  "labels": [
    {"name": "Claim", "colour": "#123456", "shortcut": "q",
     "attributes": {"verdict": ["true", "false", "unproven"]}},
    {"name": "Source", "colour": "#654321", "entities": true,
     "description": "Who makes a claim."},
    {"name": "Evidence", "colour": "#ABCDEF"}
  ],
  "relations": [
    {"name": "claimed_by", "from": ["Claim"], "to": ["Source"], "max": 1,
     "description": "Who makes the claim."},
    {"name": "supports", "from": ["Evidence"], "to": ["Claim", "Evidence"]}
  ],
  "entity_types": ["person", "outlet"]
}
"""


def _line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line containing `needle`: what a user's editor shows."""
    found = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return found[occurrence - 1]


def _write(tmp_path: Path, text: str, name: str = "schema.json") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- the bundled schema ------------------------------------------------------------------------


def test_bundled_news_schema_loads() -> None:
    schema = load_schema()
    assert [label.name for label in schema.labels] == NEWS_LABELS
    assert [label.name for label in schema.labels if label.forms_entities] == [
        "Speaker",
        "Participant",
    ]
    quote = schema.label("Quote")
    assert quote is not None
    assert quote.attributes == {"kind": ["direct", "indirect", "mixed"]}
    assert [r.name for r in schema.relation_types] == NEWS_LINKS
    assert schema.relation_type("speaker") == RelationTypeDef(
        "speaker", ("Quote",), ("Speaker",), 1, "Who the quote is attributed to."
    )
    agent = schema.relation_type("agent")
    assert agent is not None
    assert (agent.from_labels, agent.to_labels, agent.max_per_source) == (
        ("Event",),
        ("Participant", "Speaker"),
        None,
    )
    assert {r.name: r.max_per_source for r in schema.relation_types if r.max_per_source} == {
        "speaker": 1,
        "cue": 1,
        "time": 1,
    }
    assert schema.entity_types == ("person", "organisation", "group", "other")
    # Every label a link names is a label of the schema.
    names = {label.name for label in schema.labels}
    for relation in schema.relation_types:
        assert set(relation.from_labels) | set(relation.to_labels) <= names


def test_bundled_schema_file_is_the_default(store: Store) -> None:
    text = resource("schemas", "news.json").read_text(encoding="utf-8")
    assert load_schema(text) == load_schema()
    assert store.schema() == load_schema()
    assert [label.to_json()["entities"] for label in store.labels()] == [
        False,
        True,
        False,
        False,
        True,
        False,
        False,
    ]


# -- a custom schema for a new database --------------------------------------------------------


def test_custom_schema_file_gives_its_labels_and_link_types(
    open_store: OpenStore, tmp_path: Path
) -> None:
    path = _write(tmp_path, CUSTOM_SCHEMA)
    db = tmp_path / "facts.db"
    store = open_store(db, schema_text=path.read_text(encoding="utf-8"))
    store.close()
    store = open_store(db)  # what the file holds, not what this session was given

    assert [label.name for label in store.labels()] == ["Claim", "Source", "Evidence"]
    claim, source, evidence = store.labels()
    assert (claim.shortcut, claim.attributes) == ("q", {"verdict": ["true", "false", "unproven"]})
    assert (source.forms_entities, source.description) == (True, "Who makes a claim.")
    assert (evidence.colour, evidence.shortcut, evidence.forms_entities) == ("#ABCDEF", None, False)
    assert store.relation_types() == [
        RelationTypeDef("claimed_by", ("Claim",), ("Source",), 1, "Who makes the claim."),
        RelationTypeDef("supports", ("Evidence",), ("Claim", "Evidence"), None, ""),
    ]
    assert store.schema().entity_types == ("person", "outlet")
    assert store.schema() == load_schema(CUSTOM_SCHEMA)


def test_custom_link_types_rule_the_links(open_store: OpenStore, tmp_path: Path) -> None:
    store = open_store(tmp_path / "facts.db", schema_text=CUSTOM_SCHEMA)
    store.import_texts(seed_paths())
    [doc] = store.documents("erin")
    claim = store.add_annotation(doc.id, "erin", "Claim", 0, 20, {"verdict": "unproven"})
    source = store.add_annotation(doc.id, "erin", "Source", 30, 38)
    other = store.add_annotation(doc.id, "erin", "Source", 50, 58)
    evidence = store.add_annotation(doc.id, "erin", "Evidence", 60, 70)

    def link(link_type: str, a: str, b: str) -> Change:
        return Change(
            "Link", relations=(added(RelationData(new_id(), doc.id, "erin", link_type, a, b)),)
        )

    store.apply(link("claimed_by", claim.id, source.id))
    store.apply(link("supports", evidence.id, claim.id))
    with pytest.raises(InvalidAnnotation, match="at most 1 claimed_by"):
        store.apply(link("claimed_by", claim.id, other.id))
    with pytest.raises(InvalidAnnotation, match="no link type 'speaker'"):
        store.apply(link("speaker", claim.id, source.id))
    with pytest.raises(InvalidAnnotation, match="goes from Evidence to Claim/Evidence"):
        store.apply(link("supports", source.id, claim.id))
    assert len(store.relations(doc.id)) == 2

    group = EntityData(new_id(), doc.id, "erin", "Kyiv Post", "outlet", (source.id, other.id))
    store.apply(Change("Group", entities=(added(group),)))
    with pytest.raises(InvalidAnnotation, match="Claim annotations cannot form entities"):
        store.apply(
            Change(
                "Group",
                entities=(added(EntityData(new_id(), doc.id, "erin", "X", "person", (claim.id,))),),
            )
        )
    assert store.entities(doc.id) == [group]


def test_schema_text_does_not_change_an_existing_database(
    open_store: OpenStore, db_path: Path
) -> None:
    open_store(db_path).close()
    store = open_store(db_path, schema_text=CUSTOM_SCHEMA)
    assert [label.name for label in store.labels()] == NEWS_LABELS
    assert [r.name for r in store.relation_types()] == NEWS_LINKS


def test_schema_without_links_or_entity_types(open_store: OpenStore, tmp_path: Path) -> None:
    store = open_store(tmp_path / "plain.db", schema_text='{"labels": [{"name": "Claim"}]}')
    assert store.relation_types() == []
    assert store.schema().entity_types == DEFAULT_ENTITY_TYPES
    [claim] = store.labels()
    assert (claim.colour, claim.attributes, claim.forms_entities) == ("#999999", {}, False)


# -- mistakes, with the line to fix ------------------------------------------------------------

UNKNOWN_TARGET = """\
{
  "labels": [
    {"name": "Quote", "colour": "#f4b400"},
    {"name": "Speaker", "colour": "#4285f4", "entities": true},
    {"name": "Cue", "colour": "#db4437"}
  ],
  "relations": [
    {
      "name": "speaker",
      "from": ["Quote"],
      "to": ["Speaker"],
      "max": 1
    },
    {
      "name": "cue",
      "from": ["Quote"],
      "to": [
        "Cue",
        "Verb"
      ]
    }
  ]
}
"""

UNKNOWN_SOURCE = """\
{"labels": [{"name": "Event", "colour": "#0f9d58"},
            {"name": "Time", "colour": "#00acc1"}],
 "entity_types": ["person"],

 "relations": [{"name": "time", "from": ["Event"], "to": ["Time"]},
               {"name": "agent",
                "from": ["Events"], "to": ["Time"]}]}
"""


@pytest.mark.parametrize(
    ("text", "label", "relation", "end"),
    [(UNKNOWN_TARGET, "Verb", "cue", "to"), (UNKNOWN_SOURCE, "Events", "agent", "from")],
    ids=["target", "source"],
)
def test_relation_naming_an_unknown_label_gives_the_files_line(
    tmp_path: Path, text: str, label: str, relation: str, end: str
) -> None:
    path = _write(tmp_path, text, "my-schema.json")
    line = _line_of(text, f'"{label}"')
    assert line > 5  # the test means something only if the label is well into the file
    with pytest.raises(SpanwiseError) as refused:
        load_schema(path.read_text(encoding="utf-8"), where=path.name)
    message = str(refused.value)
    assert message == (
        f"my-schema.json (line {line}): relation '{relation}' {end} unknown label '{label}'"
    )


def test_store_refuses_a_new_database_with_a_bad_schema(tmp_path: Path) -> None:
    line = _line_of(UNKNOWN_TARGET, '"Verb"')
    with pytest.raises(SpanwiseError, match=rf"\(line {line}\): relation 'cue' to unknown label"):
        Store(tmp_path / "new.db", schema_text=UNKNOWN_TARGET)


def test_store_does_not_blame_the_bundled_file_for_a_custom_schema(tmp_path: Path) -> None:
    with pytest.raises(SpanwiseError) as refused:
        Store(tmp_path / "new.db", schema_text=UNKNOWN_TARGET)
    assert "news.json" not in str(refused.value)


def test_line_is_right_when_name_comes_after_from(tmp_path: Path) -> None:
    schema = {
        "labels": [{"name": "Event"}, {"name": "Time"}, {"name": "Place"}],
        "relations": [
            {"name": "time", "from": ["Evnt"], "to": ["Time"]},
            {"name": "place", "from": ["Evnt"], "to": ["Place"]},  # the same typo, pasted
        ],
    }
    text = json.dumps(schema, indent=2, sort_keys=True)
    line = _line_of(text, '"Evnt"')  # the first one, in relation 'time'
    with pytest.raises(SpanwiseError) as refused:
        load_schema(text, where="sorted.json")
    assert f"(line {line}): relation 'time'" in str(refused.value)


def test_line_is_given_for_a_label_with_accents() -> None:
    text = (
        '{"labels": [{"name": "Zitat"}, {"name": "Äußerung"}],\n'
        ' "relations": [\n'
        '   {"name": "zitiert", "from": ["Äusserung"], "to": ["Zitat"]}\n'
        " ]}\n"
    )
    with pytest.raises(SpanwiseError) as refused:
        load_schema(text, where="de.json")
    assert "(line 3)" in str(refused.value)


MALFORMED: dict[str, tuple[str, str]] = {
    "not-json": ('{"labels": [\n  {"name": "Quote",}\n]}', "not valid JSON (line 2, column 20:"),
    "not-an-object": ('[{"name": "Quote"}]', "a schema is a JSON object with 'labels'"),
    "no-labels": ('{"relations": []}', "'labels' must be a non-empty list"),
    "empty-labels": ('{"labels": []}', "'labels' must be a non-empty list"),
    "label-not-object": ('{"labels": ["Quote"]}', "labels[0] must be an object"),
    "label-without-name": ('{"labels": [{"colour": "#123456"}]}', "labels[0].name must be"),
    "duplicate-label": (
        '{"labels": [{"name": "Quote"}, {"name": "Speaker"}, {"name": "Quote"}]}',
        "labels[2].name 'Quote' is defined twice",
    ),
    "bad-colour": (
        '{"labels": [{"name": "Quote", "colour": "yellow"}]}',
        "labels[0].colour must look like #rrggbb",
    ),
    "short-colour": (
        '{"labels": [{"name": "Quote", "colour": "#fff"}]}',
        "labels[0].colour must look like #rrggbb",
    ),
    "attributes-not-lists": (
        '{"labels": [{"name": "Quote", "attributes": {"kind": "direct"}}]}',
        "labels[0].attributes must map names to lists of strings",
    ),
    "entities-not-bool": (
        '{"labels": [{"name": "Speaker", "entities": "yes"}]}',
        "labels[0].entities must be true or false",
    ),
    "max-zero": (
        '{"labels": [{"name": "Q"}, {"name": "S"}],'
        ' "relations": [{"name": "speaker", "from": ["Q"], "to": ["S"], "max": 0}]}',
        "relations[0].max must be a positive whole number or null",
    ),
    "max-string": (
        '{"labels": [{"name": "Q"}, {"name": "S"}],'
        ' "relations": [{"name": "speaker", "from": ["Q"], "to": ["S"], "max": "1"}]}',
        "relations[0].max must be a positive whole number or null",
    ),
    "relations-not-list": (
        '{"labels": [{"name": "Q"}], "relations": {"speaker": {}}}',
        "'relations' must be a list",
    ),
    "relation-without-name": (
        '{"labels": [{"name": "Q"}], "relations": [{"from": ["Q"], "to": ["Q"]}]}',
        "relations[0] must be an object with a 'name'",
    ),
    "relation-without-to": (
        '{"labels": [{"name": "Q"}], "relations": [{"name": "x", "from": ["Q"], "to": []}]}',
        "relations[0].to must be a non-empty list of label names",
    ),
    "duplicate-relation": (
        '{"labels": [{"name": "Q"}], "relations": ['
        '{"name": "x", "from": ["Q"], "to": ["Q"]}, {"name": "x", "from": ["Q"], "to": ["Q"]}]}',
        "relations[1]: relation 'x' is defined twice",
    ),
    "empty-entity-types": (
        '{"labels": [{"name": "Q"}], "entity_types": []}',
        "'entity_types' must be a non-empty list of names",
    ),
}


@pytest.mark.parametrize("case", MALFORMED.keys())
def test_malformed_schema_is_refused_clearly(case: str) -> None:
    text, fragment = MALFORMED[case]
    with pytest.raises(SpanwiseError) as refused:
        load_schema(text, where="custom.json")
    message = str(refused.value)
    assert message.startswith("custom.json")
    assert fragment in message
    assert "\n" not in message


def test_max_true_is_refused() -> None:
    text = (
        '{"labels": [{"name": "Q"}, {"name": "S"}],'
        ' "relations": [{"name": "speaker", "from": ["Q"], "to": ["S"], "max": true}]}'
    )
    with pytest.raises(SpanwiseError, match="max must be a positive whole number"):
        load_schema(text, where="custom.json")


def test_bad_schema_file_leaves_no_labels_behind(tmp_path: Path) -> None:
    """A refused schema installs nothing: opening the file again asks for a schema anew."""
    path = tmp_path / "new.db"
    bad: dict[str, Any] = json.loads(CUSTOM_SCHEMA)
    bad["relations"][1]["to"].append("Nobody")
    with pytest.raises(SpanwiseError, match="unknown label 'Nobody'"):
        Store(path, schema_text=json.dumps(bad, indent=1))
    store = Store(path, schema_text=CUSTOM_SCHEMA)
    try:
        assert [label.name for label in store.labels()] == ["Claim", "Source", "Evidence"]
        assert [r.name for r in store.relation_types()] == ["claimed_by", "supports"]
    finally:
        store.close()
