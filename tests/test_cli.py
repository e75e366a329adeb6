"""The `spanwise` command line: import, export and docs, with one-line errors and exit code 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from db import __version__
from db.store import Store
from desktop.cli.main import main
from seeds import seed_paths

ROOT = Path(__file__).resolve().parents[1]
SEED = str(seed_paths()[0])
SCHEMA = json.loads((ROOT / "resources" / "export.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _no_real_user_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Even a test that forgets --db must never reach the user's real database."""
    monkeypatch.setenv("SPANWISE_DB", str(tmp_path / "default" / "spanwise.db"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "x.db")


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def assert_refused(result: tuple[int, str, str], *fragments: str) -> str:
    code, _out, err = result
    assert code == 2
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("spanwise: ")
    for fragment in fragments:
        assert fragment in lines[0]
    return lines[0]


def docs(capsys: pytest.CaptureFixture[str], db: str, *extra: str) -> list[list[str]]:
    code, out, err = cli(capsys, "--db", db, *extra, "docs")
    assert (code, err) == (0, "")
    return [line.split("\t") for line in out.splitlines()]


def annotate(db: str, annotator: str, *spans: tuple[str, int, int]) -> str:
    store = Store(db)
    try:
        [doc] = store.documents(annotator)
        for label, start, end in spans:
            store.add_annotation(doc.id, annotator, label, start, end)
        return doc.id
    finally:
        store.close()


# -- import and docs ---------------------------------------------------------------------------


def test_import_then_list_documents(capsys: pytest.CaptureFixture[str], db: str) -> None:
    code, out, err = cli(capsys, "--db", db, "import", SEED)
    assert (code, out, err) == (0, "imported 1 new document\n", "")
    [[doc_id, title, status, count]] = docs(capsys, db, "--annotator", "alice")
    assert len(doc_id) == 16
    assert title.startswith("Ukrainian President Volodymyr Zelensky")
    assert (status, count) == ("new", "0")

    annotate(db, "alice", ("Speaker", 0, 9), ("Quote", 10, 40))
    [[same_id, _title, status, count]] = docs(capsys, db, "--annotator", "alice")
    assert (same_id, status, count) == (doc_id, "in progress", "2")
    [[_id, _title, status, count]] = docs(capsys, db, "--annotator", "bob")
    assert (status, count) == ("new", "0")


def test_docs_remembers_the_last_annotator(capsys: pytest.CaptureFixture[str], db: str) -> None:
    cli(capsys, "--db", db, "import", SEED)
    annotate(db, "bob", ("Speaker", 0, 9))
    assert docs(capsys, db, "--annotator", "bob")[0][3] == "1"
    assert docs(capsys, db)[0][3] == "1"


def test_importing_the_same_file_again_is_reported(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    cli(capsys, "--db", db, "import", SEED)
    code, out, _err = cli(capsys, "--db", db, "import", SEED)
    assert code == 0
    first, second = out.splitlines()
    assert first == "imported 0 new documents, 1 already present"
    assert "already in the database" in second
    assert len(docs(capsys, db)) == 1


def test_import_folder_with_encoding(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    folder = tmp_path / "articles"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_bytes("Président déclare\r\n".encode("latin-1"))
    (folder / "sub" / "b.md").write_bytes("# Ça va\n".encode("latin-1"))
    code, out, _err = cli(capsys, "--db", db, "import", "--encoding", "latin-1", str(folder))
    assert (code, out) == (0, "imported 2 new documents\n")
    assert [row[1] for row in docs(capsys, db)] == ["Président déclare", "Ça va"]


def test_new_database_named_with_db_is_not_seeded(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    assert docs(capsys, db) == []
    assert Path(db).exists()


def test_spanwise_db_environment_variable_is_honoured(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "from-env" / "mine.db"
    monkeypatch.setenv("SPANWISE_DB", str(target))
    code, out, _err = cli(capsys, "--annotator", "alice", "docs")
    assert code == 0
    assert target.exists()  # folder created, database created there
    # A new default database starts with the seed article so there is work to try.
    [[_id, title, status, count]] = [line.split("\t") for line in out.splitlines()]
    assert title.startswith("Ukrainian President")
    assert (status, count) == ("new", "0")
    extra = tmp_path / "extra.txt"
    extra.write_text("Another article\n", encoding="utf-8")
    assert cli(capsys, "import", str(extra))[0] == 0
    assert len(docs(capsys, str(target))) == 2


# -- export ------------------------------------------------------------------------------------


@pytest.fixture
def annotated_db(capsys: pytest.CaptureFixture[str], db: str) -> str:
    """The seed imported, alice with two annotations, bob with one."""
    assert cli(capsys, "--db", db, "import", SEED)[0] == 0
    annotate(db, "alice", ("Speaker", 0, 9), ("Quote", 10, 40))
    annotate(db, "bob", ("Event", 50, 60))
    return db


def _content(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key != "exported_at"}


def test_export_to_file(
    capsys: pytest.CaptureFixture[str], annotated_db: str, tmp_path: Path
) -> None:
    output = tmp_path / "out.json"
    code, out, err = cli(capsys, "--db", annotated_db, "export", "-o", str(output))
    assert (code, out) == (0, "")
    assert err == f"exported 1 document, 3 annotations to {output}\n"
    data = json.loads(output.read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)
    [doc] = data["documents"]
    assert doc["text"] == seed_paths()[0].read_bytes().decode("utf-8")
    for annotation in doc["annotations"]:
        assert doc["text"][annotation["start"] : annotation["end"]] == annotation["text"]


def test_export_to_stdout(
    capsys: pytest.CaptureFixture[str], annotated_db: str, tmp_path: Path
) -> None:
    output = tmp_path / "out.json"
    cli(capsys, "--db", annotated_db, "export", "-o", str(output))
    code, out, err = cli(capsys, "--db", annotated_db, "export")
    assert (code, err) == (0, "")
    assert "“" in out  # UTF-8 as is, not \u-escaped
    from_stdout = json.loads(out)
    assert _content(from_stdout) == _content(json.loads(output.read_text(encoding="utf-8")))


def test_export_of_one_annotator(capsys: pytest.CaptureFixture[str], annotated_db: str) -> None:
    code, out, _err = cli(capsys, "--db", annotated_db, "export", "--annotator", "alice")
    assert code == 0
    [doc] = json.loads(out)["documents"]
    assert [a["annotator"] for a in doc["annotations"]] == ["alice", "alice"]
    assert doc["status"] == {"alice": "in progress"}


def test_export_of_one_document(
    capsys: pytest.CaptureFixture[str], annotated_db: str, tmp_path: Path
) -> None:
    other = tmp_path / "other.txt"
    other.write_text("Another article.\n", encoding="utf-8")
    cli(capsys, "--db", annotated_db, "import", str(other))
    rows = docs(capsys, annotated_db)
    other_id = next(row[0] for row in rows if row[1] == "Another article.")
    code, out, _err = cli(capsys, "--db", annotated_db, "export", "--document", other_id)
    assert code == 0
    [doc] = json.loads(out)["documents"]
    assert (doc["id"], doc["annotations"]) == (other_id, [])


def test_import_of_an_export(
    capsys: pytest.CaptureFixture[str], annotated_db: str, tmp_path: Path
) -> None:
    export = tmp_path / "export.json"
    cli(capsys, "--db", annotated_db, "export", "-o", str(export))
    other = str(tmp_path / "other.db")

    code, out, _err = cli(capsys, "--db", other, "import", str(export))
    assert code == 0
    assert out == (
        "imported 1 new document, 3 annotations added, 0 unchanged, "
        "0 conflicting (kept as they were)\n"
        "  alice: 2 added, 0 unchanged, 0 conflicting\n"
        "  bob: 1 added, 0 unchanged, 0 conflicting\n"
    )
    assert docs(capsys, other, "--annotator", "alice")[0][2:] == ["in progress", "2"]

    code, out, _err = cli(capsys, "--db", other, "import", str(export))
    assert code == 0
    assert out == (
        "imported 0 new documents, 1 already present, 0 annotations added, "
        "3 unchanged, 0 conflicting (kept as they were)\n"
        "  alice: 0 added, 2 unchanged, 0 conflicting\n"
        "  bob: 0 added, 1 unchanged, 0 conflicting\n"
    )


def test_conflicting_import_keeps_then_replaces(
    capsys: pytest.CaptureFixture[str], annotated_db: str, tmp_path: Path
) -> None:
    export = tmp_path / "export.json"
    cli(capsys, "--db", annotated_db, "export", "-o", str(export))
    data = json.loads(export.read_text(encoding="utf-8"))
    event = next(a for a in data["documents"][0]["annotations"] if a["label"] == "Event")
    event["label"] = "Time"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data), encoding="utf-8")

    code, out, _err = cli(capsys, "--db", annotated_db, "import", str(changed))
    assert code == 0
    assert "2 unchanged, 1 conflicting (kept as they were)" in out
    assert event["id"] in out
    code, out, _err = cli(capsys, "--db", annotated_db, "import", "--replace", str(changed))
    assert code == 0
    assert "1 replaced" in out
    code, out, _err = cli(capsys, "--db", annotated_db, "export", "--annotator", "bob")
    assert [a["label"] for a in json.loads(out)["documents"][0]["annotations"]] == ["Time"]


# -- refusals ----------------------------------------------------------------------------------


def test_missing_file(capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    assert_refused(cli(capsys, "--db", db, "import", str(missing)), str(missing), "no such file")


def test_invalid_utf8_file(capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xe9 au lait\n")
    assert_refused(cli(capsys, "--db", db, "import", str(bad)), str(bad), "at byte 3")
    assert docs(capsys, db) == []


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b'{"format": "spanwise", "version": 1,', "not valid JSON"),
        (b"not json at all", "not valid JSON"),
        (b'{"documents": []}', "not a Spanwise export"),
        (b'{"format": "spanwise", "version": 7, "labels": [], "documents": []}', "newer"),
    ],
    ids=["truncated", "garbage", "other-json", "future-version"],
)
def test_bad_json_file(
    capsys: pytest.CaptureFixture[str],
    annotated_db: str,
    tmp_path: Path,
    content: bytes,
    fragment: str,
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    before = docs(capsys, annotated_db, "--annotator", "alice")
    assert_refused(cli(capsys, "--db", annotated_db, "import", str(bad)), str(bad), fragment)
    assert docs(capsys, annotated_db, "--annotator", "alice") == before


def test_unknown_subcommand(capsys: pytest.CaptureFixture[str], db: str) -> None:
    assert_refused(cli(capsys, "--db", db, "frobnicate"), "invalid choice", "--help")


def test_an_unknown_option_is_named(capsys: pytest.CaptureFixture[str], db: str) -> None:
    refused = assert_refused(cli(capsys, "--database", db, "docs"), "unknown option --database")
    assert "invalid choice" not in refused


def test_import_without_paths(capsys: pytest.CaptureFixture[str], db: str) -> None:
    assert_refused(cli(capsys, "--db", db, "import"), "required")


def test_unknown_encoding(capsys: pytest.CaptureFixture[str], db: str) -> None:
    assert_refused(
        cli(capsys, "--db", db, "import", "--encoding", "klingon", SEED), "unknown encoding"
    )


def test_unknown_document_id(capsys: pytest.CaptureFixture[str], annotated_db: str) -> None:
    assert_refused(
        cli(capsys, "--db", annotated_db, "export", "--document", "nope"),
        "no document with id nope",
    )


def test_database_that_is_not_a_database(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n", encoding="utf-8")
    assert_refused(cli(capsys, "--db", str(notes), "docs"), str(notes), "not an SQLite database")
    assert notes.read_text(encoding="utf-8") == "my notes\n"


def test_export_into_missing_folder(
    capsys: pytest.CaptureFixture[str], annotated_db: str, tmp_path: Path
) -> None:
    target = tmp_path / "no" / "such" / "out.json"
    assert_refused(cli(capsys, "--db", annotated_db, "export", "-o", str(target)), str(target))


def test_folder_given_as_database(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "a.txt").write_text("x", encoding="utf-8")
    assert_refused(cli(capsys, "--db", str(folder), "docs"), str(folder))


def test_refused_mixed_batch_changes_nothing(
    capsys: pytest.CaptureFixture[str], annotated_db: str, tmp_path: Path
) -> None:
    export = tmp_path / "export.json"
    cli(capsys, "--db", annotated_db, "export", "-o", str(export))
    other = str(tmp_path / "other.db")
    missing = tmp_path / "missing.txt"
    assert_refused(cli(capsys, "--db", other, "import", str(export), str(missing)), "missing")
    assert docs(capsys, other) == []


# -- help and version --------------------------------------------------------------------------


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    for command in ("import", "export", "docs", "--db", "--annotator"):
        assert command in out


def test_subcommand_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["export", "--help"])
    assert exited.value.code == 0
    assert "--document" in capsys.readouterr().out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"spanwise {__version__}\n"


def test_version_as_a_real_process(tmp_path: Path) -> None:
    env = {**os.environ, "SPANWISE_DB": str(tmp_path / "env.db")}
    result = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "--version"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout == f"spanwise {__version__}\n"
    assert result.stderr == ""
    assert not (tmp_path / "env.db").exists()


def test_bad_input_as_a_real_process(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\xfd")
    env = {**os.environ, "SPANWISE_DB": str(tmp_path / "env.db")}
    result = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "--db", str(tmp_path / "x.db"), "import", str(bad)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("spanwise: ")
    assert len(result.stderr.splitlines()) == 1
