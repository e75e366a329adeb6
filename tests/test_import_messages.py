"""What an import tells the user: counts in the right number, and a message about many files
or records said once ("200 files already in the database (…, … and 197 more)"), on the
command line and in the window's "Import done" box, which shows the same summary lines.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from db.formats import FormatReport
from db.formats.batch_import import import_paths
from db.store import Store
from db.text.messages import Messages, Repeated, counted, counted_phrase
from tests import test_cli
from tests.test_cli import SEED, annotate, cli

_no_real_user_data = test_cli._no_real_user_data  # a fixture: the user's real data kept away
ALREADY = Repeated("file", "{}: already in the database", "already in the database")


def folder_of_articles(folder: Path, count: int) -> Path:
    folder.mkdir()
    for number in range(count):
        (folder / f"article-{number:03}.txt").write_text(f"Article number {number}.\n", "utf-8")
    return folder


def test_a_repeated_folder_import_says_so_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The second import of a folder of 200 files printed 200 "already in the database"."""
    folder = folder_of_articles(tmp_path / "articles", 200)
    db = str(tmp_path / "x.db")
    assert cli(capsys, "--db", db, "import", str(folder))[1] == "imported 200 new documents\n"
    code, out, err = cli(capsys, "--db", db, "import", str(folder))
    assert (code, err) == (0, "")
    first = folder / "article-000.txt"
    assert out.splitlines() == [
        "imported 0 new documents, 200 already present",
        f"  200 files already in the database ({first}, {folder / 'article-001.txt'}, "
        f"{folder / 'article-002.txt'} and 197 more)",
    ]


def test_one_file_already_there_is_named_alone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "x.db")
    cli(capsys, "--db", db, "import", SEED)
    code, out, _err = cli(capsys, "--db", db, "import", SEED)
    assert out.splitlines() == [
        "imported 0 new documents, 1 already present",
        f"  {SEED}: already in the database",
    ]


def test_many_conflicting_annotations_are_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db, other = str(tmp_path / "x.db"), str(tmp_path / "other.db")
    cli(capsys, "--db", db, "import", SEED)
    annotate(db, "ana", *[("Speaker", 10 * n, 10 * n + 5) for n in range(5)])
    export = tmp_path / "ana.json"
    cli(capsys, "--db", db, "export", "-o", str(export))
    cli(capsys, "--db", other, "import", str(export))
    data = json.loads(export.read_text("utf-8"))
    annotations = data["documents"][0]["annotations"]
    for annotation in annotations:
        annotation["label"] = "Participant"
    export.write_text(json.dumps(data), "utf-8")
    code, out, _err = cli(capsys, "--db", other, "import", str(export))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == (
        "imported 0 new documents, 1 already present, 0 annotations added, 0 unchanged, "
        "5 conflicting (kept as they were)"
    )
    [conflicts] = [line for line in lines if "differ" in line]
    ids = [a["id"] for a in annotations]
    assert conflicts.startswith("  5 annotations differ from the ones in the database; kept")
    assert all(ident in conflicts for ident in ids[:3]) and ids[3] not in conflicts
    assert conflicts.endswith(" and 2 more)")


def test_the_summary_the_window_shows_is_collapsed(tmp_path: Path) -> None:
    """The window's "Import done" box lists `summary.messages`, the lines the command line
    prints (desktop/controllers/file_menu.py): they come collapsed from the import itself."""
    folder = folder_of_articles(tmp_path / "articles", 4)
    store = Store(tmp_path / "x.db")
    try:
        import_paths(store, [folder])
        summary = import_paths(store, [folder])
    finally:
        store.close()
    assert list(summary.messages) == [
        f"4 files already in the database ({folder / 'article-000.txt'}, "
        f"{folder / 'article-001.txt'}, {folder / 'article-002.txt'} and 1 more)"
    ]


# -- the words --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "noun", "said"),
    [
        (1, "document", "1 document"),
        (0, "document", "0 documents"),
        (2, "document", "2 documents"),
        (1, "entity", "1 entity"),
        (3, "entity", "3 entities"),
        (2, "new document", "2 new documents"),
        (2, "speaker link", "2 speaker links"),
    ],
)
def test_counts_in_the_right_number(count: int, noun: str, said: str) -> None:
    assert counted(count, noun) == said


def test_a_format_report_counts_in_the_right_number() -> None:
    report = FormatReport()
    report.count("documents")
    report.count("annotations", 2)
    report.count("spans widened to whole tokens")
    report.count("cancelled annotations skipped")
    assert report.describe() == (
        "1 document, 2 annotations, 1 span widened to whole tokens, 1 cancelled annotation skipped"
    )


@pytest.mark.parametrize(
    ("count", "phrase", "said"),
    [
        (1, "documents without annotations left out", "1 document without annotations left out"),
        (4, "overlapping spans left out", "4 overlapping spans left out"),
        (1, "entities", "1 entity"),
    ],
)
def test_phrases_in_the_right_number(count: int, phrase: str, said: str) -> None:
    assert counted_phrase(count, phrase) == said


def test_messages_keep_their_order_and_merge() -> None:
    first, second = Messages(), Messages()
    first.append("brat: 3 documents")
    first.about(ALREADY, "a.txt")
    first.append("a note")
    second.about(ALREADY, "b.txt")
    second.append("another note")
    first.extend(second)
    assert list(first) == [
        "brat: 3 documents",
        "2 files already in the database (a.txt, b.txt)",
        "a note",
        "another note",
    ]
    assert len(first) == 4 and bool(Messages()) is False
