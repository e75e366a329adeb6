"""Other tools' formats from the command line: detected on import, chosen on export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from db.store import Store
from desktop.cli.main import main

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
BRAT = SHARED / "brat-tutorial-news"
needs_shared = pytest.mark.skipif(not BRAT.exists(), reason="shared/data is not beside the clone")


@needs_shared
def test_a_brat_folder_is_detected_and_imported_with_its_report(tmp_path, capsys):
    db = str(tmp_path / "b.db")
    assert main(["--db", db, "import", "--add-labels", str(BRAT)]) == 0
    out = capsys.readouterr().out
    assert "13 new documents" in out and "(brat):" in out and "not representable" in out
    assert "added to the database's schema, as allowed: 14 label(s): Person," in out
    assert main(["--db", db, "import", str(BRAT)]) == 0  # the same files again: no change
    assert "0 annotations added, 119 unchanged" in capsys.readouterr().out


@needs_shared
@pytest.mark.parametrize(
    ("fmt", "target"),
    [
        ("brat", "out-brat"),
        ("uima-xmi", "out-xmi"),
        ("doccano", "out.jsonl"),
        ("label-studio", "out.json"),
        ("w3c", "out.jsonld"),
        ("bio", "out.conll"),
        ("spacy", "spans.jsonl"),
    ],
)
def test_every_export_format_writes_from_the_command_line(tmp_path, capsys, fmt, target):
    db = str(tmp_path / "b.db")
    assert main(["--db", db, "import", "--add-labels", str(BRAT)]) == 0
    out = tmp_path / target
    assert main(["--db", db, "export", "--format", fmt, "-o", str(out)]) == 0
    assert out.exists()
    assert f"({fmt})" in capsys.readouterr().err


def test_unknown_format_and_missing_output_are_user_errors(tmp_path, capsys):
    db = str(tmp_path / "b.db")
    Store(tmp_path / "b.db").close()
    assert main(["--db", db, "export", "--format", "nope", "-o", str(tmp_path / "x")]) == 2
    assert "cannot export the format 'nope'" in capsys.readouterr().err
    assert main(["--db", db, "export", "--format", "brat"]) == 2
    assert "give -o" in capsys.readouterr().err


def test_a_json_file_in_no_known_format_is_refused_clearly(tmp_path, capsys):
    odd = tmp_path / "odd.json"
    odd.write_text(json.dumps({"hello": "world"}), encoding="utf-8")
    assert main(["--db", str(tmp_path / "b.db"), "import", str(odd)]) == 2
    assert "not a Spanwise export" in capsys.readouterr().err


def test_formats_lists_import_and_export(capsys):
    assert main(["formats"]) == 0
    lines = dict(line.split("\t")[:2] for line in capsys.readouterr().out.splitlines())
    assert lines["brat"] == "import, export" and lines["w3c"] == "export"
    assert lines["webanno-tsv"] == "import"
