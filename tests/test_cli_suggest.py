"""`spanwise suggest`: a text file to Spanwise JSON without a database, and suggestions
listed or accepted in a database, with one-line errors and exit code 2.

The subcommand is driven through the same global options `spanwise` has (--db, --annotator,
--schema) and desktop/cli/main.py's parser class, so a bad argument is a one-line error here too.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from db.errors import SpanwiseError
from db.formats.spanwise_json import FORMAT, VERSION, parse_export
from db.schema.label_schema import load_schema
from db.store import Store
from desktop.cli import suggest as cli_suggest
from desktop.cli.main import _Parser
from seeds import seed_paths

ROOT = Path(__file__).resolve().parents[1]
SEED = seed_paths()[0]
EXPORT_SCHEMA = json.loads((ROOT / "resources" / "export.schema.json").read_text("utf-8"))


@pytest.fixture(autouse=True)
def _no_real_user_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Even a test that forgets --db must never reach the user's real database."""
    monkeypatch.setenv("SPANWISE_DB", str(tmp_path / "default" / "spanwise.db"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))


def spanwise(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `spanwise ARGV` with the suggest subcommand; errors as `spanwise` reports them."""
    parser = _Parser(prog="spanwise")
    parser.add_argument("--db", type=Path)
    parser.add_argument("--annotator")
    parser.add_argument("--schema", type=Path)
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)
    cli_suggest.add_parser(commands)
    try:
        code = cli_suggest.run(parser.parse_args(list(argv)))
    except SpanwiseError as exc:
        print(f"spanwise: {exc}", file=sys.stderr)
        code = 2
    out, err = capsys.readouterr()
    return code, out, err


def refused(result: tuple[int, str, str], *fragments: str) -> None:
    code, _out, err = result
    assert code == 2
    [line] = err.splitlines()
    assert line.startswith("spanwise: ") and "Traceback" not in err
    for fragment in fragments:
        assert fragment in line


def test_a_text_file_becomes_one_spanwise_document_without_a_database(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = spanwise(capsys, "suggest", str(SEED), "--json")
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert list(document) == [
        "id",
        "title",
        "source",
        "text",
        "sha256",
        "imported_at",
        "status",
        "annotations",
        "relations",
        "entities",
    ]
    assert document["text"] == SEED.read_text("utf-8")
    assert {a["annotator"] for a in document["annotations"]} == {"suggest"}
    for annotation in document["annotations"]:
        assert document["text"][annotation["start"] : annotation["end"]] == annotation["text"]
        assert annotation["attributes"]["origin"] == "suggested"
    quotes = [a for a in document["annotations"] if a["label"] == "Quote"]
    assert len(quotes) == 15
    assert {q["attributes"]["kind"] for q in quotes} == {"direct", "indirect", "mixed"}
    names = {e["name"] for e in document["entities"]}
    assert {"Volodymyr Zelensky", "Andriy Kovalenko"} <= names
    assert not (tmp_path / "default").exists()  # no database was made
    schema = load_schema()
    export: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": document["imported_at"],
        "labels": [label.to_json() for label in schema.labels],
        "relation_types": [r.to_json() for r in schema.relation_types],
        "entity_types": list(schema.entity_types),
        "documents": [document],
    }
    jsonschema.validate(export, EXPORT_SCHEMA)
    parse_export(export, "suggestions")


def test_a_text_file_as_lines(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = spanwise(capsys, "suggest", str(SEED))
    lines = [line.split("\t") for line in out.splitlines()]
    assert code == 0 and len(lines) == 15
    first = lines[0]
    assert first[1:5] == [
        "indirect",
        "Ukrainian President Volodymyr Zelensky (Volodymyr Zelensky)",
        "claimed",
        "indirect:that-clause",
    ]
    assert first[5].startswith("Russian forces are attempting")


def test_crlf_and_emoji_keep_their_offsets(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    article = tmp_path / "post.txt"
    article.write_bytes(
        "Riders 🛴 complained.\r\n\r\n„Park it 🛴 well,“ said Zoe\u0308 Kranich.\r\n".encode()
    )
    code, out, _ = spanwise(capsys, "suggest", str(article), "--json")
    document = json.loads(out)
    assert code == 0 and document["text"] == article.read_bytes().decode("utf-8")
    texts = {a["label"]: a["text"] for a in document["annotations"]}
    assert texts == {"Quote": "Park it 🛴 well", "Speaker": "Zoe\u0308 Kranich", "Cue": "said"}


@pytest.mark.parametrize(
    ("argv", "fragments"),
    [
        (("suggest", "missing.txt"), ("missing.txt", "cannot read")),
        (("suggest", "SEED", "--accept-all"), ("not both",)),
        (("suggest", "SEED", "--lexicon", "missing.json"), ("missing.json",)),
        (("suggest", "--bogus"), ("unrecognized arguments",)),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], fragments: tuple[str, ...]
) -> None:
    real = [str(SEED) if a == "SEED" else a for a in argv]
    refused(spanwise(capsys, *real), *fragments)


def _database(tmp_path: Path) -> str:
    db = str(tmp_path / "x.db")
    store = Store(db)
    try:
        store.import_texts([SEED])
    finally:
        store.close()
    return db


def test_suggestions_in_the_database_are_listed_then_accepted(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = _database(tmp_path)
    code, out, _ = spanwise(capsys, "--db", db, "--annotator", "ana", "suggest")
    listed = out.splitlines()
    assert code == 0 and len(listed) == 15
    doc_id = listed[0].split("\t")[0]
    code, out, _ = spanwise(capsys, "--db", db, "--annotator", "ana", "suggest", "--accept-all")
    assert (code, out) == (0, "accepted 15 suggestions in 1 document\n")
    store = Store(db)
    try:
        annotations = store.annotations(doc_id, "ana")
        entities = {e.name: len(e.mentions) for e in store.entities(doc_id, "ana")}
        links = store.relations(doc_id, "ana")
    finally:
        store.close()
    assert sum(a.label == "Quote" for a in annotations) == 15
    # his name, "Zelensky" twice, "He", "The President", "he"
    assert entities["Volodymyr Zelensky"] == 6
    assert sum(link.type == "speaker" for link in links) == 15
    # nothing left to suggest (said on stderr), and accepting again adds nothing
    _, out, err = spanwise(capsys, "--db", db, "--annotator", "ana", "suggest")
    assert (out, err) == ("", "spanwise: no suggestions left in 1 document\n")
    code, out, _ = spanwise(capsys, "--db", db, "--annotator", "ana", "suggest", "--accept-all")
    assert out == "accepted 0 suggestions in 1 document, 15 already annotated\n"


def test_accept_all_names_what_the_databases_schema_refuses(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A database whose schema has no Cue label takes the suggestions without a cue and
    says, for each other one, why it was refused."""
    schema = json.loads((ROOT / "resources" / "schemas" / "news.json").read_text("utf-8"))
    schema["labels"] = [label for label in schema["labels"] if label["name"] != "Cue"]
    schema["relations"] = [r for r in schema["relations"] if r["name"] != "cue"]
    db = str(tmp_path / "nocue.db")
    store = Store(db, json.dumps(schema))
    try:
        store.import_texts([SEED])
        [doc] = store.documents("ana")
    finally:
        store.close()
    code, out, err = spanwise(capsys, "--db", db, "--annotator", "ana", "suggest", "--accept-all")
    accepted, refused_count = (int(n) for n in re.findall(r"(\d+) (?:suggestion|refused)", out))
    assert code == 0 and accepted + refused_count == 15 and accepted > 0 and refused_count > 0
    assert err.count("unknown label 'Cue'") == refused_count
    store = Store(db)
    try:
        quotes = [a for a in store.annotations(doc.id, "ana") if a.label == "Quote"]
    finally:
        store.close()
    assert len(quotes) == accepted


def test_one_document_of_the_database_as_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = _database(tmp_path)
    store = Store(db)
    try:
        [doc] = store.documents("ana")
    finally:
        store.close()
    code, out, _ = spanwise(
        capsys, "--db", db, "--annotator", "ana", "suggest", "--document", doc.id, "--json"
    )
    [document] = json.loads(out)
    assert code == 0 and document["id"] == doc.id
    assert {a["annotator"] for a in document["annotations"]} == {"ana"}
    refused(
        spanwise(capsys, "--db", db, "suggest", "--document", "nope"), "no document with id nope"
    )


def test_parser_help_names_the_forms() -> None:
    parser = argparse.ArgumentParser(prog="spanwise")
    commands = parser.add_subparsers(dest="command")
    suggest = cli_suggest.add_parser(commands)
    text = suggest.format_help()
    for option in ("FILE.txt", "--json", "--document", "--accept-all", "--lexicon"):
        assert option in text


def test_the_schemas_quote_definition_chooses_the_cues(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A text file is read with a --schema file's definition; the database with its own."""
    article = tmp_path / "belief.txt"
    article.write_text("The mayor believes that the barrier will hold.\n", encoding="utf-8")
    broad = ROOT / "resources" / "schemas" / "news-broad.json"
    code, out, _err = spanwise(capsys, "suggest", str(article))
    assert (code, out) == (0, "")
    code, out, _err = spanwise(capsys, "--schema", str(broad), "suggest", str(article))
    assert code == 0
    assert out.split("\t")[3:5] == ["believes", "indirect:that-clause"]
    database = str(tmp_path / "broad.db")
    assert spanwise(capsys, "--db", database, "--schema", str(broad), "suggest")[0] == 0
    store = Store(tmp_path / "broad.db")
    store.import_texts([article])
    store.close()
    code, out, _err = spanwise(capsys, "--db", database, "suggest")  # no --schema this time
    assert code == 0 and "\tbelieves\t" in out
