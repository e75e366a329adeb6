"""A hostile colleague's file, from the command line: it owns only what its annotator wrote,
reads nothing outside the folder it was given, and every refusal is one line with the
database unchanged (issue 13)."""

from __future__ import annotations

import copy
import json
import os
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from db.store import Store
from desktop.cli.main import main
from tests.robust.helpers import document_json, dump, news_export
from tests.test_cli import _no_real_user_data, assert_refused, cli

__all__ = ["_no_real_user_data"]  # test_cli's autouse fixture: never the user's database
ROOT = Path(__file__).resolve().parents[1]


def refused(result: tuple[int, str, str], *fragments: str) -> str:
    """test_cli's check of a one-line refusal, which also shows the line when it differs."""
    assert result[0] == 2, result[2]
    return assert_refused(result, *fragments)


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# -- 1. --replace touches only the same annotator's record in the same document ------------------


@pytest.fixture
def gold_db(tmp_path: Path) -> tuple[str, dict[str, Any]]:
    """Gold's adjudicated work on two documents: quotes, speakers, links, an entity each."""
    rng = random.Random(5)
    first = document_json("Gold said: “We stay.” Then he left.\n" * 3, "First", rng, 6, "gold")
    second = document_json("Another text where someone spoke.\n" * 3, "Second", rng, 6, "gold")
    gold = news_export([first, second])
    db = tmp_path / "gold.db"
    store = Store(db)
    from db.formats.spanwise_json import parse_export

    store.import_documents(*parse_export(gold, "gold.json"))
    store.close()
    return str(db), gold


def export_of(capsys: pytest.CaptureFixture[str], db: str) -> dict[str, Any]:
    code, out, _err = cli(capsys, "--db", db, "export")
    assert code == 0
    data: dict[str, Any] = json.loads(out)
    data.pop("exported_at")
    return data


def test_replace_never_takes_over_or_deletes_another_annotators_work(
    capsys: pytest.CaptureFixture[str], gold_db: tuple[str, dict[str, Any]], tmp_path: Path
) -> None:
    db, gold = gold_db
    before = export_of(capsys, db)
    hostile = copy.deepcopy(gold)
    first, second = hostile["documents"]
    # mallory's own copy of the first document (fresh ids), plus what reuses gold's ids: an
    # annotation of the same document, gold's entity and link of the second document
    fresh = {a["id"]: a["id"] + "-m" for a in first["annotations"]}
    for item in first["annotations"] + first["relations"] + first["entities"]:
        item["annotator"] = "mallory"
        item["id"] = fresh.get(item["id"], item["id"] + "-m")
    for link in first["relations"]:
        link["source"], link["target"] = fresh[link["source"]], fresh[link["target"]]
    for entity in first["entities"]:
        entity["mentions"] = [fresh[m] for m in entity["mentions"]]
    first["status"] = {"mallory": "done"}
    taken = {**first["annotations"][0], "id": gold["documents"][0]["annotations"][0]["id"]}
    first["annotations"].append({**taken, "note": "mallory's now"})
    first["entities"][0]["id"] = second["entities"][0]["id"]
    first["relations"][0]["id"] = second["relations"][0]["id"]
    hostile["documents"] = [first]
    path = write_json(tmp_path / "mallory.json", hostile)

    code, out, err = cli(capsys, "--db", db, "import", "--replace", str(path))

    assert (code, err) == (0, ""), err
    assert "replaced" not in out.splitlines()[0]
    assert "its id belongs to gold's, not mallory's; kept the database's" in out
    assert "its id belongs to one in another document of the database" in out
    after = export_of(capsys, db)
    for kind in ("annotations", "relations", "entities"):
        gold_now = [[r for r in d[kind] if r["annotator"] == "gold"] for d in after["documents"]]
        assert gold_now == [d[kind] for d in before["documents"]], kind
    # and the database's own export still goes into a new database whole
    again = write_json(tmp_path / "again.json", {**after, "exported_at": "2026-01-01T00:00:00Z"})
    code, out, err = cli(
        capsys, "--db", str(tmp_path / "new.db"), "import", "--allow-protected-names", str(again)
    )
    assert (code, err) == (0, ""), err


def test_replace_still_replaces_the_same_annotators_own_record(
    capsys: pytest.CaptureFixture[str], gold_db: tuple[str, dict[str, Any]], tmp_path: Path
) -> None:
    db, gold = gold_db
    changed = copy.deepcopy(gold)
    changed["documents"][0]["annotations"][0]["note"] = "second thoughts"
    path = write_json(tmp_path / "changed.json", changed)
    line = refused(cli(capsys, "--db", db, "import", "--replace", str(path)), "gold (")
    assert "--allow-protected-names" in line and "nothing was changed" in line
    code, out, err = cli(
        capsys, "--db", db, "import", "--replace", "--allow-protected-names", str(path)
    )
    assert (code, err) == (0, "")
    assert "1 replaced" in out
    assert "written under protected names, as allowed: gold (1)" in out


def test_writing_under_gold_or_your_own_name_needs_the_option(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rng = random.Random(3)
    db = str(tmp_path / "x.db")
    for name in ("gold", "ana"):
        doc = document_json(f"A text for {name} to claim.\n" * 2, name, rng, 4, name)
        path = write_json(tmp_path / f"{name}.json", news_export([doc]))
        Store(db).close()
        before = dump(Path(db))
        line = refused(
            cli(capsys, "--db", db, "--annotator", "ana", "import", str(path)),
            f"it would write under protected names: {name} (",
            "(allow it with --allow-protected-names)",
        )
        assert "nothing was changed" in line
        assert dump(Path(db)) == before
        code, out, err = cli(
            capsys,
            "--db",
            db,
            "--annotator",
            "ana",
            "import",
            "--allow-protected-names",
            str(path),
        )
        assert (code, err) == (0, "")
        assert f"written under protected names, as allowed: {name} (" in out
    # a colleague's own name needs nothing
    doc = document_json("Ben's own text.\n" * 2, "ben", rng, 4, "ben")
    path = write_json(tmp_path / "ben.json", news_export([doc]))
    code, out, err = cli(capsys, "--db", db, "--annotator", "ana", "import", str(path))
    assert (code, err) == (0, "") and "protected" not in out


# -- 2. an import reads nothing outside the folder it was given, and only regular files --------


def cli_process(
    tmp_path: Path, *args: str, before: Callable[[], None] | None = None
) -> tuple[int, str, str]:
    """The real command in its own process (`before` runs in it first): a FIFO that blocked
    it would fail the timeout."""
    done = subprocess.run(
        [sys.executable, "-m", "desktop.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        preexec_fn=before,
        env={**os.environ, "SPANWISE_DB": str(tmp_path / "default.db")},
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def test_links_out_of_a_folder_fifos_and_devices_are_refused_by_name(tmp_path: Path) -> None:
    secret = tmp_path / "secret" / "passwd"
    secret.parent.mkdir()
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    db = tmp_path / "x.db"
    Store(db).close()
    before = dump(db)
    cases = {}
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "fine.txt").write_text("A fine article.\n", encoding="utf-8")
    (texts / "x.txt").symlink_to(secret)
    cases["link out of a text folder"] = ([str(texts)], "x.txt: links to", "outside the folder")
    fifo_folder = tmp_path / "fifo"
    fifo_folder.mkdir()
    (fifo_folder / "a.txt").write_text("A fine article.\n", encoding="utf-8")
    os.mkfifo(fifo_folder / "b.txt")
    cases["FIFO in a text folder"] = ([str(fifo_folder)], "b.txt: a FIFO", "")
    brat = tmp_path / "brat"
    brat.mkdir()
    (brat / "doc.txt").write_text("Ana said hello.\n", encoding="utf-8")
    (brat / "doc.ann").symlink_to(secret)
    cases["link out of a brat folder"] = ([str(brat)], "doc.ann: links to", "outside")
    named = tmp_path / "brat_named"
    named.mkdir()
    (named / "x.ann").write_text("T1\tQuote 0 4\troot\n", encoding="utf-8")
    (named / "x.txt").symlink_to(secret)
    cases["the .txt beside a named .ann links out"] = (
        ["--format", "brat", str(named / "x.ann")],
        "x.txt: links to",
        "outside",
    )
    linked_dir = tmp_path / "linked"
    linked_dir.mkdir()
    (linked_dir / "etc").symlink_to(secret.parent, target_is_directory=True)
    (linked_dir / "ok.txt").write_text("An article.\n", encoding="utf-8")
    cases["linked folder"] = ([str(linked_dir)], "etc: links to the folder", "outside")
    os.mkfifo(tmp_path / "named.json")
    cases["FIFO named directly"] = ([str(tmp_path / "named.json")], "named.json: a FIFO", "")
    cases["device named directly"] = (["/dev/zero"], "/dev/zero: a device", "")
    for case, (paths, fragment, more) in cases.items():
        code, out, err = cli_process(tmp_path, "--db", str(db), "import", *paths)
        assert code == 2, (case, out, err)
        [line] = err.splitlines()
        assert fragment in line and more in line, (case, line)
        assert "root:x" not in out + err
        assert dump(db) == before, case
    # a link inside the folder to a file inside it is an ordinary file
    (texts / "x.txt").unlink()
    (texts / "y.txt").symlink_to(texts / "fine.txt")
    code, out, err = cli_process(tmp_path, "--db", str(db), "import", str(texts))
    assert (code, err) == (0, ""), err


# -- 3. a CSV cell never starts a formula --------------------------------------------------------


def test_flat_csv_neutralises_formulas_and_json_lines_stay_exact(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import csv

    text = "=HYPERLINK(\"http://x\")\n+cmd|' /C calc'!A0 said @boss -1\n"
    title = '=HYPERLINK("http://evil")'
    rng = random.Random(1)
    doc = document_json(text, title, rng, 0, "@mallory")
    quote = {
        "id": "q",
        "annotator": "@mallory",
        "label": "Quote",
        "start": 0,
        "end": 22,
        "text": text[0:22],
        "attributes": {"kind": "direct"},
        "note": None,
        "created": "2026-01-01T00:00:00.000Z",
        "modified": "2026-01-01T00:00:00.000Z",
    }
    speaker = {**quote, "id": "s", "label": "Speaker", "start": 23, "end": 41}
    speaker.update(text=text[23:41], attributes={})
    doc["annotations"] = [quote, speaker]
    doc["relations"] = [
        {"id": "r", "annotator": "@mallory", "type": "speaker", "source": "q", "target": "s"}
    ]
    doc["status"] = {}
    db = str(tmp_path / "x.db")
    path = write_json(tmp_path / "evil.json", news_export([doc]))
    assert cli(capsys, "--db", db, "import", str(path))[0] == 0
    target = tmp_path / "q.csv"
    assert cli(capsys, "--db", db, "export", "--flat", "quotes", "-o", str(target))[0] == 0
    with target.open(encoding="utf-8", newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["title"] == "'" + title
    assert row["quote"] == "'" + text[0:22]
    assert row["speaker"] == row["speaker_mention"] == "'+cmd|' /C calc'!A0"
    assert row["annotator"] == "'@mallory"
    for value in row.values():
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    code, out, _err = cli(
        capsys, "--db", db, "export", "--flat", "quotes", "--table-format", "jsonl"
    )
    [line] = [json.loads(x) for x in out.splitlines()]
    assert (line["title"], line["quote"], line["annotator"]) == (title, text[0:22], "@mallory")


# -- 8. outputs complete or absent; annotator names never collide in file names ------------------


def _annotator_store(db: Path, names: list[str], padding: int = 0) -> None:
    store = Store(db)
    folder = db.parent / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Ana said hello to Ben.\n" + ("y" * 999 + "\n") * padding, encoding="utf-8"
    )
    store.import_texts([folder])
    [doc] = store.documents("x")
    for index, name in enumerate(names):
        store.add_annotation(doc.id, name, "Speaker", index, index + 3)
    store.close()


def test_annotator_names_that_become_one_file_name_are_told_apart_and_reported(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "x.db"
    _annotator_store(db, ["ana/x", "ana?x", "ana_x"])
    for fmt, files in (
        ("brat", ["ana_x/a.ann", "ana_x-2/a.ann", "ana_x-3/a.ann"]),
        ("uima-xmi", ["a.txt/ana_x.xmi", "a.txt/ana_x-2.xmi", "a.txt/ana_x-3.xmi"]),
    ):
        out = tmp_path / fmt
        code, _out, err = cli(capsys, "--db", str(db), "export", "--format", fmt, "-o", str(out))
        assert code == 0, err
        assert all((out / name).is_file() for name in files), sorted(out.rglob("*"))
        assert "annotator 'ana/x' is written as 'ana_x-2'" in err
        assert "annotator 'ana?x' is written as 'ana_x-3'" in err


def test_a_folder_export_that_cannot_be_finished_leaves_nothing(tmp_path: Path) -> None:
    """A file-size limit stands in for a full disk: the write fails half-way through."""
    import resource
    import signal

    db = tmp_path / "x.db"
    _annotator_store(db, ["ana", "ben"], padding=2000)  # a 2 MB article
    assert main(["--db", str(db), "docs"]) == 0  # today's backup is taken: the limit is ours

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write() fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))

    for fmt in ("brat", "uima-xmi"):
        target = tmp_path / f"out-{fmt}"
        args = ("--db", str(db), "export", "--format", fmt, "-o", str(target))
        line = refused(cli_process(tmp_path, *args, before=small_files))
        assert line.startswith(f"spanwise: {target}: cannot write (File too large)"), line
        assert not target.exists()
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_folder_export_replaces_an_earlier_export_whole_and_nothing_else(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "x.db"
    _annotator_store(db, ["ana", "ben"])
    out = tmp_path / "out"
    assert cli(capsys, "--db", str(db), "export", "--format", "brat", "-o", str(out))[0] == 0
    (out / "ben" / "a.ann").unlink()
    (out / "stale.ann").write_text("", encoding="utf-8")
    assert cli(capsys, "--db", str(db), "export", "--format", "brat", "-o", str(out))[0] == 0
    assert (out / "ben" / "a.ann").is_file() and not (out / "stale.ann").exists()
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.txt").write_text("my own work", encoding="utf-8")
    refused(
        cli(capsys, "--db", str(db), "export", "--format", "uima-xmi", "-o", str(mine)),
        "mine: the folder is not empty",
    )
    assert [p.name for p in mine.iterdir()] == ["thesis.txt"]


# -- 5. one clear line instead of a traceback ----------------------------------------------------

XMI_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><xmi:XMI xmlns:xmi="http://www.omg.org/XMI" '
    'xmlns:cas="http:///uima/cas.ecore" xmlns:custom="http:///webanno/custom.ecore" '
    'xmi:version="2.0"><cas:NULL xmi:id="0"/><cas:Sofa xmi:id="1" sofaNum="1" '
    'sofaID="_InitialView" mimeType="text" sofaString="Ana said hello to Ben."/>'
)
XMI_TAIL = '<cas:View sofa="1" members="2"/></xmi:XMI>'


def _type_system(tmp_path: Path) -> str:
    from db.formats.uima_cas import type_system
    from db.schema.label_schema import load_schema

    return str(type_system(load_schema()).to_xml())


def _xmi_case(tmp_path: Path, name: str, span: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "TypeSystem.xml").write_text(_type_system(tmp_path), encoding="utf-8")
    (folder / "doc.xmi").write_text(XMI_HEAD + span + XMI_TAIL, encoding="utf-8")
    return folder


def test_every_listed_mistake_is_one_line_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "x.db"
    Store(db).close()
    before = dump(db)
    cases: dict[str, tuple[list[str], str]] = {}
    for feature in ("label", "attributes", "fragments", "entity", "note"):
        span = (
            f'<custom:Span xmi:id="2" sofa="1" begin="0" end="3">'
            f"<{feature}>x</{feature}><{feature}>y</{feature}></custom:Span>"
        )
        folder = _xmi_case(tmp_path, f"child-{feature}", span)
        cases[f"XMI {feature} as child elements"] = (
            ["import", "--add-labels", str(folder)],
            f"'{feature}' is a list",
        )
    deep = _xmi_case(
        tmp_path,
        "deep",
        '<custom:Span xmi:id="2" sofa="1" begin="0" end="3" label="Quote" attributes="'
        + "[" * 100_000
        + '"/>',
    )
    cases["deep attributes"] = (["import", str(deep)], "JSON nested too deeply")
    cas_json = tmp_path / "listlabel"
    cas_json.mkdir()
    (cas_json / "ana.json").write_text(
        json.dumps(
            {
                "%TYPES": {
                    "webanno.custom.Span": {
                        "%NAME": "webanno.custom.Span",
                        "%SUPER_TYPE": "uima.tcas.Annotation",
                        "label": {"%NAME": "label", "%RANGE": "uima.cas.String"},
                    }
                },
                "%FEATURE_STRUCTURES": [
                    {"%ID": 1, "%TYPE": "uima.cas.Sofa", "sofaNum": 1, "sofaID": "_InitialView",
                     "mimeType": "text", "sofaString": "Ana said hello to Ben."},
                    {"%ID": 2, "%TYPE": "webanno.custom.Span", "@sofa": 1, "begin": 0,
                     "end": 3, "label": ["Quote", "Cue"]},
                ],
                "%VIEWS": {"_InitialView": {"%SOFA": 1, "%MEMBERS": [2]}},
            }
        ),
        encoding="utf-8",
    )  # fmt: skip
    cases["uima-json list label"] = (
        ["import", "--add-labels", "--format", "uima-json", str(cas_json)],
        "'label' is a list",
    )
    article = tmp_path / "article.txt"
    article.write_text("An article.\n", encoding="utf-8")
    cases["rot13"] = (
        ["import", "--encoding", "rot13", str(article)],
        "'rot13' is not a text encoding",
    )
    deep_json = tmp_path / "deep.json"
    deep_json.write_text("[" * 100_000, encoding="utf-8")
    cases["deep --schema"] = (["--schema", str(deep_json), "docs"], "deep.json: JSON nested")
    cases["deep --lexicon"] = (
        ["suggest", "--lexicon", str(deep_json), str(article)],
        "deep.json: JSON nested",
    )
    for case, (args, fragment) in cases.items():
        line = refused(cli(capsys, "--db", str(db), *args), fragment)
        assert "Traceback" not in line, case
        assert dump(db) == before, case


def test_a_full_disk_during_the_bulk_insert_of_an_import_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from sqlalchemy import Engine

    from tests.robust.test_storage_errors import disk_full

    rng = random.Random(2)
    text = "Someone said something worth quoting, again and again.\n" * 400
    doc = document_json(text, "Long", rng, 3000, "ben")
    path = write_json(tmp_path / "ben.json", news_export([doc]))
    db = tmp_path / "x.db"
    Store(db).close()
    before = dump(db)
    with disk_full(Engine):
        line = refused(cli(capsys, "--db", str(db), "import", str(path)), "the disk is full")
    assert str(db) in line
    assert dump(db) == before


# -- 6. a schema from a file neither takes the window's keys nor grows without a yes -------------


def test_label_keys_that_clash_are_refused_in_a_schema_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "x.db")
    Store(db).close()  # the news schema: Quote is 1
    before = dump(Path(db))
    for key, fragment in (
        ("1", "the shortcut '1' is already the key of the label Quote"),
        ("Ctrl+Q", "the shortcut 'Ctrl+Q' is not one key"),
        ("s", "the shortcut 's' is already the key of Link speaker"),
    ):
        schema = {"labels": [{"name": "Claim", "colour": "#123456", "shortcut": key}]}
        path = write_json(tmp_path / "claim.json", schema)
        refused(cli(capsys, "--db", db, "--schema", str(path), "docs"), fragment)
        assert dump(Path(db)) == before
    twice = {
        "labels": [
            {"name": "Claim", "colour": "#123456", "shortcut": "q"},
            {"name": "Source", "colour": "#123456", "shortcut": "Q"},
        ]
    }
    path = write_json(tmp_path / "twice.json", twice)
    refused(
        cli(capsys, "--db", str(tmp_path / "new.db"), "--schema", str(path), "docs"),
        "labels[1] (Source): the shortcut 'Q' is already the key of the label Claim",
    )
    assert not (tmp_path / "new.db").exists()


def test_an_import_adds_labels_only_when_allowed_and_never_with_a_taken_key(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "x.db")
    Store(db).close()
    before = dump(Path(db))
    rng = random.Random(4)
    doc = document_json("Ben claimed the moon is cheese.\n", "Claim", rng, 0, "ben")
    labels = news_export([])["labels"] + [
        {"name": f"Type{index}", "colour": "#123456", "shortcut": None} for index in range(5000)
    ]
    labels.append({"name": "Claim", "colour": "#123456", "shortcut": "1"})
    doc["annotations"] = [
        {
            "id": "c1",
            "annotator": "ben",
            "label": "Claim",
            "start": 0,
            "end": 11,
            "text": "Ben claimed",
            "attributes": {},
            "note": None,
            "created": "2026-01-01T00:00:00.000Z",
            "modified": "2026-01-01T00:00:00.000Z",
        }
    ]
    doc["relations"], doc["entities"] = [], []
    path = write_json(tmp_path / "ben.json", news_export([doc], labels))
    line = refused(
        cli(capsys, "--db", db, "import", str(path)),
        "it would add to the database's schema 5001 label(s): Type0, Type1,",
        "and 4989 more (allow it with --add-labels)",
    )
    assert "nothing was changed" in line
    assert dump(Path(db)) == before
    code, out, err = cli(capsys, "--db", db, "import", "--add-labels", str(path))
    assert (code, err) == (0, ""), err
    assert "label 'Claim' added without a key: '1' is already the key of the label Quote" in out
    assert "added to the database's schema, as allowed: 5001 label(s)" in out
    keys = [label.shortcut for label in Store(db).labels() if label.shortcut]
    assert sorted(keys) == ["1", "2", "3", "4", "5", "6", "7"]


# -- 7. user data printed as plain text ---------------------------------------------------------


def test_titles_and_names_reach_the_terminal_with_control_characters_escaped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rng = random.Random(6)
    title = "Fake\tsecond column\n9999\tfake row\x1b[2J\x1b]0;owned\x07\u202eevil"
    doc = document_json("Some text for the title trick.\n", title, rng, 2, "b\x1b[31mob\nx")
    db = str(tmp_path / "x.db")
    path = write_json(tmp_path / "t.json", news_export([doc]))
    code, out, err = cli(capsys, "--db", db, "import", str(path))
    assert (code, err) == (0, "")
    assert "\x1b" not in out and "b\\x1b[31mob\\nx: 2 added" in out
    code, out, err = cli(capsys, "--db", db, "docs")
    assert (code, err) == (0, "")
    [row] = [line.split("\t") for line in out.splitlines()]
    assert len(row) == 4
    assert row[1] == "Fake\\tsecond column\\n9999\\tfake row\\x1b[2J\\x1b]0;owned\\x07\\u202eevil"
