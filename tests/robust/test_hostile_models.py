"""Trained suggestion models in a colleague's export that would crash or exhaust the reader:
each is refused at import in one line naming the file, and the database is unchanged.

The files under hostile_models/ were crafted against this Spanwise: a valid export whose
CRFsuite tagger has a wrong label count, feature or label offsets past its end, a truncated
body, random bytes; a payload nested 200,000 deep; a payload that is not zlib. A zip bomb
(4 MB unpacking to 3 GB) is built here.
"""

from __future__ import annotations

import base64
import json
import subprocess
import zlib
from pathlib import Path

import pytest

from tests.processes import SPANWISE, quiet_environment

HOSTILE = Path(__file__).parent / "hostile_models"


def _import(db: Path, path: Path, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SPANWISE, "--db", str(db), "import", "--allow-protected-names", str(path)],
        env=quiet_environment(home),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("name", sorted(p.name for p in HOSTILE.glob("*.json")))
def test_crafted_model_is_refused_at_import_without_a_crash(name: str, tmp_path: Path) -> None:
    result = _import(tmp_path / "x.db", HOSTILE / name, tmp_path / "home")
    assert result.returncode == 2, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert name in line and "suggestion_models[0]" in line
    assert "Traceback" not in result.stderr


def test_zip_bomb_model_is_refused_without_inflating_it(tmp_path: Path) -> None:
    data = json.loads((HOSTILE / "crf_trunc.json").read_text(encoding="utf-8"))
    data["suggestion_models"][0]["payload"] = base64.b64encode(
        zlib.compress(b"[" + b" " * (400 * 1024 * 1024), 9)
    ).decode("ascii")
    bomb = tmp_path / "bomb.json"
    bomb.write_text(json.dumps(data), encoding="utf-8")
    result = _import(tmp_path / "x.db", bomb, tmp_path / "home")
    assert result.returncode == 2
    assert "unpacks to more than a suggestion model can hold" in result.stderr
