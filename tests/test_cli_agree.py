"""`spanwise agree` (desktop/cli/agree.py), driven through its own parser and `run`."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from db.agreement.measure import agreement
from db.errors import SpanwiseError
from db.store import Store
from desktop.cli.agree import add_parser, run
from seeds import seed_paths


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """The seed article, annotated by ana and ben: same speaker, quotes that overlap."""
    store = Store(tmp_path / "agree.db")
    store.import_texts(seed_paths())
    [doc] = store.documents("ana")
    text = store.document(doc.id).text

    def at(words: str) -> tuple[int, int]:
        return text.index(words), text.index(words) + len(words)

    for who in ("ana", "ben"):
        store.add_annotation(doc.id, who, "Speaker", *at("Volodymyr Zelensky"))
    store.add_annotation(doc.id, "ana", "Quote", *at("Russian forces are attempting"))
    store.add_annotation(doc.id, "ben", "Quote", *at("forces are attempting to burn"))
    store.add_annotation(doc.id, "ana", "Cue", *at("claimed"))
    yield store
    store.close()


def agree(store: Store, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="spanwise")
    add_parser(parser.add_subparsers(dest="command"))
    return run(store, parser.parse_args(["agree", *argv]))


def test_table_by_default(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    assert agree(store, "ana", "ben") == 0
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.splitlines()
    assert lines[0].startswith("Agreement of ana, ben (ana is the reference) over 1 document")
    header = lines[2].split()
    assert header[:3] == ["label", "ana", "ben"]
    rows = {line.split()[0]: line.split() for line in lines[3:11]}
    assert rows["Speaker"][1:] == ["1", "1", "1.000", "1.000", "1.000", "1.000", "1.000"]
    assert rows["Quote"][3:5] == ["0.000", "1.000"]  # no exact match, one overlap match
    assert rows["Place"][3:] == ["—"] * 5
    assert rows["overall"][1:3] == ["3", "2"]
    assert any(line.startswith("Attribution: 1 quote both annotated") for line in lines)
    [token_line] = [line for line in lines if line.startswith("Token alpha")]
    assert "its label or none, over Quote, Speaker, Cue" in token_line
    data = agreement(store, ["ana", "ben"]).section.token_alpha
    assert f"): {data.alpha:.3f};" in token_line


def test_json_for_scripts(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    assert agree(store, "ana", "ben", "--json") == 0
    out, _err = capsys.readouterr()
    data = json.loads(out)
    assert data["annotators"] == ["ana", "ben"]
    assert data["labels"]["Speaker"]["exact_f1"] == 1.0
    assert data["labels"]["Place"]["kappa"] is None
    assert data["overall"]["counts"]["annotations"] == {"ana": 3, "ben": 2}
    [document] = data["documents"].values()
    assert document["title"].startswith("Ukrainian President")
    assert data["token_alpha"] == document["token_alpha"]
    assert data["token_alpha"]["labels"] == ["Quote", "Speaker", "Cue"]
    assert isinstance(data["token_alpha"]["alpha"], float)


def test_label_and_document_options(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    [doc] = store.documents("ana")
    assert agree(store, "ana", "ben", "--label", "Quote", "--document", doc.id, "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data["labels"]) == ["Quote"]
    assert data["overall"]["overlap_f1"] == 1.0
    assert list(data["documents"]) == [doc.id]


def test_html_report_to_keep(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "report.html"
    assert agree(store, "ana", "ben", "--html", str(target)) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Agreement of ana, ben")
    assert err == f"wrote the agreement report to {target}\n"
    html = target.read_text(encoding="utf-8")
    assert "<svg" in html and "Speaker" in html


def test_unwritable_report_is_a_clear_error(store: Store, tmp_path: Path) -> None:
    with pytest.raises(SpanwiseError, match=r"report\.html: cannot write"):
        agree(store, "ana", "ben", "--html", str(tmp_path / "missing" / "report.html"))


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["ana", "zoe"], "unknown annotator 'zoe' (annotators: ana, ben)"),
        (["ana"], "two or more different annotators"),
        (["ana", "ben", "--label", "Opinion"], "unknown label 'Opinion'"),
        (["ana", "ben", "--document", "0000"], "no document with id 0000"),
    ],
)
def test_bad_input_is_one_clear_message(store: Store, argv: list[str], message: str) -> None:
    with pytest.raises(SpanwiseError) as raised:
        agree(store, *argv)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_agree_is_a_spanwise_command(tmp_path, capsys) -> None:
    from desktop.cli.main import main as spanwise

    database = tmp_path / "none.db"
    Store(database).close()
    assert spanwise(["--db", str(database), "agree", "ana", "ben"]) == 2
    assert capsys.readouterr().err.startswith("spanwise: unknown annotator 'ana'")
