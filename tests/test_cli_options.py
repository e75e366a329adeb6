"""Where options stand on the `spanwise` command line, and options an export would ignore.

Global options (--db, --annotator, --schema) are taken on either side of the command, and
mean the same wherever they stand; an export never silently writes less than was asked for.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from db.schema import load_schema
from desktop.cli import main
from tests.test_cli import SEED, annotate, assert_refused, cli, docs

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _no_real_user_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPANWISE_DB", str(tmp_path / "default" / "spanwise.db"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "x.db")


@pytest.fixture
def annotated_db(capsys: pytest.CaptureFixture[str], db: str) -> str:
    """The seed, with two of ana's annotations and one of ben's."""
    assert cli(capsys, "--db", db, "import", SEED)[0] == 0
    annotate(db, "ana", ("Speaker", 0, 9), ("Quote", 10, 40))
    annotate(db, "ben", ("Event", 50, 60))
    return db


# -- global options on either side of the command ----------------------------------------------


def test_global_options_after_the_command(capsys: pytest.CaptureFixture[str], db: str) -> None:
    """`spanwise import x.txt --db y.db` and `spanwise docs --annotator ana` were refused
    ("unrecognized arguments")."""
    code, out, err = cli(capsys, "import", SEED, "--db", db)
    assert (code, out, err) == (0, "imported 1 new document\n", "")
    annotate(db, "ana", ("Speaker", 0, 9))
    code, out, err = cli(capsys, "docs", "--annotator", "ana", "--db", db)
    assert (code, err) == (0, "")
    [[_id, _title, status, count]] = [line.split("\t") for line in out.splitlines()]
    assert (status, count) == ("in progress", "1")
    assert docs(capsys, db, "--annotator", "ana") == [line.split("\t") for line in out.splitlines()]


def test_an_option_before_the_command_is_kept(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    """The command's own parser must not reset --db given before it to the default."""
    cli(capsys, "--db", db, "import", SEED)
    code, out, _err = cli(capsys, "--db", db, "--annotator", "ana", "docs")
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
    args = ["--db", annotated_db, "export", "--annotator", "ana"]
    if before:
        args = ["--db", annotated_db, "--annotator", "ana", "export"]
    code, out, _err = cli(capsys, *args)
    assert code == 0
    [document] = json.loads(out)["documents"]
    assert [a["annotator"] for a in document["annotations"]] == ["ana", "ana"]


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


@pytest.mark.parametrize("kind", list(EXPORT_KINDS))
def test_export_of_an_unknown_annotator_is_refused(
    capsys: pytest.CaptureFixture[str], annotated_db: str, tmp_path: Path, kind: str
) -> None:
    """`export --annotator gold` with no such annotator wrote an empty export and exited 0."""
    extra = [arg.format(tmp=tmp_path) for arg in EXPORT_KINDS[kind]]
    result = cli(capsys, "--db", annotated_db, "export", "--annotator", "gold", *extra)
    assert_refused(result, "unknown annotator 'gold' (annotators: ana, ben)")
    assert result[1] == ""
    assert _written(tmp_path) == []


@pytest.mark.parametrize("kind", list(EXPORT_KINDS))
def test_export_of_an_unknown_document_is_refused(
    capsys: pytest.CaptureFixture[str], annotated_db: str, tmp_path: Path, kind: str
) -> None:
    extra = [arg.format(tmp=tmp_path) for arg in EXPORT_KINDS[kind]]
    result = cli(capsys, "--db", annotated_db, "export", "--document", "nope", *extra)
    assert_refused(result, "no document with id nope")
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
