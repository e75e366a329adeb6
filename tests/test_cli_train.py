"""`spanwise train`: a model trained on an annotator's work, kept as a version, listed, and
used by `spanwise suggest` (which says so on stderr); bad requests are one line, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.cli.main import main

GOLD = Path(__file__).resolve().parent / "gold"


@pytest.fixture(autouse=True)
def _no_real_user_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPANWISE_DB", str(tmp_path / "default" / "spanwise.db"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_train_list_and_suggest_with_the_model(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "project.db")
    exports = [str(GOLD / f"{n}.spanwise.json") for n in ("alpine-evacuation", "berlin-scooters")]
    assert cli(capsys, "--db", db, "import", "--allow-protected-names", *exports)[0] == 0
    code, out, err = cli(capsys, "--db", db, "train", "--list")
    assert (code, out) == (0, "") and "no trained model yet" in err
    code, out, err = cli(capsys, "--db", db, "train")
    assert code == 0
    assert out.startswith("trained version 1, learnt from gold: 2 articles, 41 quotes")
    assert "training…" in err
    code, out, _err = cli(capsys, "--db", db, "train", "--annotator", "gold")
    assert out.startswith("trained version 2")
    code, out, _err = cli(capsys, "--db", db, "train", "--list")
    assert [line.split(",")[0] for line in out.splitlines()] == ["version 2", "version 1"]
    held = str(GOLD / "held-out" / "port-strike.spanwise.json")
    assert cli(capsys, "--db", db, "import", "--allow-protected-names", held)[0] == 0
    code, out, err = cli(capsys, "--db", db, "--annotator", "ana", "suggest")
    assert code == 0
    assert err.startswith("spanwise: suggesting with the trained model, version 2")
    rules = {line.split("\t")[5] for line in out.splitlines()}
    assert rules and all(rule.startswith("model:") for rule in rules)
    code, out, err = cli(capsys, "--db", db, "--annotator", "ana", "suggest", "--rules")
    assert "trained model" not in err
    assert not any(line.split("\t")[5].startswith("model:") for line in out.splitlines())


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["train", "--annotator", "nobody"], "unknown annotator 'nobody'"),
        (["train", "--annotator", "ana"], "nothing to learn from: ana has annotated no quotes"),
    ],
)
def test_bad_requests_are_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], message: str
) -> None:
    db = str(tmp_path / "project.db")
    assert cli(capsys, "--db", db, "--annotator", "ana", "docs")[0] == 0  # ana exists
    code, out, err = cli(capsys, "--db", db, *argv)
    assert (code, out) == (2, "")
    [line] = err.splitlines()
    assert line.startswith("spanwise: ") and message in line
