"""The README's "Where things are" map names every package folder, and only folders that exist.

A newcomer finds a feature from the folder names in two hops; a map that has drifted from the
folders sends them the wrong way, so the two are checked against each other.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LISTED = re.compile(r"^- `((?:db|desktop)/(?:[\w]+/)*)`", re.MULTILINE)


def _map_section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("### Where things are")
    end = readme.index("\n#", start + 1)
    return readme[start:end]


def _package_folders() -> set[str]:
    folders = set()
    for top in ("db", "desktop"):
        for init in (ROOT / top).rglob("__init__.py"):
            folder = init.parent
            if folder.name == "versions":
                continue  # Alembic revisions: part of their migrations folder
            folders.add(folder.relative_to(ROOT).as_posix() + "/")
    return folders


def test_the_map_lists_every_package_folder_and_nothing_else() -> None:
    listed = LISTED.findall(_map_section())
    assert len(listed) == len(set(listed)), "a folder is listed twice"
    folders = _package_folders()
    assert sorted(folders - set(listed)) == [], "package folders missing from the README map"
    assert sorted(set(listed) - folders) == [], "the README map lists folders that do not exist"


def test_each_entry_says_what_the_folder_holds() -> None:
    for line in _map_section().splitlines():
        if LISTED.match(line):
            assert len(line.split("`", 2)[2].strip()) > 10, line
