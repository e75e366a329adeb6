"""The command line's quote table and custom schemas."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from db.store import Store
from desktop.cli.main import main
from tests.readme_screenshot import annotate_seed


@pytest.fixture
def annotated(tmp_path: Path) -> str:
    path = tmp_path / "seed.db"
    store = Store(path)
    annotate_seed(store, "ana")
    store.close()
    return str(path)


def test_flat_quotes_table_as_csv_on_stdout(annotated, capsys):
    assert main(["--db", annotated, "export", "--flat", "quotes"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["kind"], r["speaker"], r["speaker_mention"], r["cue"]) for r in rows] == [
        ("direct", "Volodymyr Zelensky", "Zelensky", "wrote"),
        ("indirect", "Volodymyr Zelensky", "He", "added"),
    ]
    assert rows[0]["quote"].startswith("While they were being trained")


def test_flat_quotes_as_json_lines_to_a_file(annotated, tmp_path, capsys):
    target = tmp_path / "quotes.jsonl"
    assert main(["--db", annotated, "export", "--flat", "quotes", "-o", str(target)]) == 0
    lines = target.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["cue"] for line in lines] == ["wrote", "added"]
    assert "exported 2 quotes to" in capsys.readouterr().err


def test_a_new_database_takes_the_given_schema(tmp_path, capsys):
    schema = tmp_path / "mine.json"
    schema.write_text(json.dumps({"labels": [{"name": "Claim"}]}), encoding="utf-8")
    db = tmp_path / "mine.db"
    assert main(["--db", str(db), "--schema", str(schema), "docs"]) == 0
    store = Store(db)
    try:
        assert [label.name for label in store.labels()] == ["Claim"]
    finally:
        store.close()


def test_a_bad_schema_is_refused_with_its_line_and_no_database_is_made(tmp_path, capsys):
    schema = tmp_path / "bad.json"
    schema.write_text(
        '{"labels": [{"name": "Claim"}],\n"relations": [\n {"name": "cue", "from": ["Claim"],'
        '\n  "to": ["Cue"]}]}',
        encoding="utf-8",
    )
    db = tmp_path / "never.db"
    assert main(["--db", str(db), "--schema", str(schema), "docs"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"spanwise: {schema} (line 4): relation 'cue' to unknown label 'Cue'"
    assert not db.exists()
