"""Where options stand on the `spanwise` command line, and options an export would ignore.

Global options (--db, --annotator, --schema) are taken on either side of the command, and
mean the same wherever they stand; an export never silently writes less than was asked for.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from db.schema.label_schema import load_schema
from desktop.cli.main import main
from tests import test_cli
from tests.test_cli import SEED, annotate, assert_refused, cli, docs

# test_cli's fixtures: the user's real data kept away, a database, one with annotations
_no_real_user_data = test_cli._no_real_user_data
db = test_cli.db
annotated_db = test_cli.annotated_db

ROOT = Path(__file__).resolve().parents[1]


# -- global options on either side of the command ----------------------------------------------


def test_global_options_after_the_command(capsys: pytest.CaptureFixture[str], db: str) -> None:
    """`spanwise import x.txt --db y.db` and `spanwise docs --annotator ana` were refused
    ("unrecognized arguments")."""
    code, out, err = cli(capsys, "import", SEED, "--db", db)
    assert (code, out, err) == (0, "imported 1 new document\n", "")
    annotate(db, "alice", ("Speaker", 0, 9))
    code, out, err = cli(capsys, "docs", "--annotator", "alice", "--db", db)
    assert (code, err) == (0, "")
    [[_id, _title, status, count]] = [line.split("\t") for line in out.splitlines()]
    assert (status, count) == ("in progress", "1")
    assert docs(capsys, db, "--annotator", "alice") == [
        line.split("\t") for line in out.splitlines()
    ]


def test_an_option_before_the_command_is_kept(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    """The command's own parser must not reset --db given before it to the default."""
    cli(capsys, "--db", db, "import", SEED)
    code, out, _err = cli(capsys, "--db", db, "--annotator", "alice", "docs")
    assert code == 0 and len(out.splitlines()) == 1
    assert not (tmp_path / "default" / "spanwise.db").exists()


def test_schema_after_the_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    schema = json.loads((ROOT / "resources" / "schemas" / "news.json").read_text("utf-8"))
    schema["labels"].append({"name": "Claim", "colour": "#123456"})
    mine = tmp_path / "mine.json"
    mine.write_text(json.dumps(schema), "utf-8")
    load_schema(mine.read_text("utf-8"))  # the file itself is a valid schema
    new = str(tmp_path / "new.db")
    assert cli(capsys, "import", SEED, "--db", new, "--schema", str(mine))[0] == 0
    code, out, _err = cli(capsys, "export", "--db", new)
    assert code == 0
    assert "Claim" in [label["name"] for label in json.loads(out)["labels"]]


@pytest.mark.parametrize("before", [True, False], ids=["before", "after"])
def test_export_annotator_means_the_same_on_either_side(
    capsys: pytest.CaptureFixture[str], annotated_db: str, before: bool
) -> None:
    """--annotator with export chooses whose annotations are written, wherever it stands."""
    args = ["--db", annotated_db, "export", "--annotator", "alice"]
    if before:
        args = ["--db", annotated_db, "--annotator", "alice", "export"]
    code, out, _err = cli(capsys, *args)
    assert code == 0
    [document] = json.loads(out)["documents"]
    assert [a["annotator"] for a in document["annotations"]] == ["alice", "alice"]


def test_help_says_where_global_options_go(capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["--help"], ["export", "--help"]):
        with pytest.raises(SystemExit) as exited:
            main(args)
        assert exited.value.code == 0
        out = " ".join(capsys.readouterr().out.split())
        if args == ["--help"]:
            assert "--db, --annotator and --schema may come before or after the command" in out
            assert "With export, --annotator means only this annotator's annotations" in out
        else:
            assert "--db DB" in out
            assert "--annotator ANNOTATOR only this annotator's annotations" in out


# -- an export refuses what it would silently ignore --------------------------------------------


EXPORT_KINDS = {
    "json": [],
    "json-file": ["-o", "{tmp}/out.json"],
    "brat": ["--format", "brat", "-o", "{tmp}/brat"],
    "quotes": ["--flat", "quotes", "-o", "{tmp}/quotes.csv"],
}


REFUSALS = {
    # `export --annotator gold` with no such annotator wrote an empty export and exited 0
    "annotator": (["--annotator", "gold"], "unknown annotator 'gold' (annotators: alice, bob)"),
    "document": (["--document", "nope"], "no document with id nope"),
}


@pytest.mark.parametrize("kind", list(EXPORT_KINDS))
@pytest.mark.parametrize("unknown", list(REFUSALS))
def test_export_of_an_unknown_annotator_or_document_is_refused(
    capsys: pytest.CaptureFixture[str], annotated_db: str, tmp_path: Path, kind: str, unknown: str
) -> None:
    extra = [arg.format(tmp=tmp_path) for arg in EXPORT_KINDS[kind]]
    option, message = REFUSALS[unknown]
    result = cli(capsys, "--db", annotated_db, "export", *option, *extra)
    assert_refused(result, message)
    assert result[1] == ""
    assert _written(tmp_path) == []


def _written(folder: Path) -> list[str]:
    return [name for name in ("out.json", "brat", "quotes.csv") if (folder / name).exists()]


def test_table_format_without_flat_is_refused(
    capsys: pytest.CaptureFixture[str], annotated_db: str, tmp_path: Path
) -> None:
    """`export --table-format csv` without --flat wrote JSON, as if the option were not there."""
    out = tmp_path / "table.csv"
    result = cli(capsys, "--db", annotated_db, "export", "--table-format", "csv", "-o", str(out))
    assert_refused(result, "--table-format csv is for the quote table: add --flat quotes")
    assert not out.exists()


def test_flat_with_another_format_is_refused(
    capsys: pytest.CaptureFixture[str], annotated_db: str, tmp_path: Path
) -> None:
    out = tmp_path / "quotes"
    result = cli(
        capsys,
        "--db",
        annotated_db,
        "export",
        "--flat",
        "quotes",
        "--format",
        "brat",
        "-o",
        str(out),
    )
    assert_refused(result, "--flat quotes writes a table, --format brat annotations")
    assert not out.exists()


def test_a_refused_export_does_not_create_the_database(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "typo.db"
    assert_refused(cli(capsys, "--db", str(missing), "export", "--table-format", "jsonl"))
    assert not missing.exists()
