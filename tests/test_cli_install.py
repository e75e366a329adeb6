"""`spanwise install-desktop`: a launcher entry and icons a desktop shows, and `--remove`
leaving the user's data home exactly as it was."""

from __future__ import annotations

import configparser
import shlex
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from db import __version__
from desktop.cli.install import desktop_entry
from desktop.cli.main import main
from desktop.identity import APP_ID, ICON_SIZES


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every path under `folder` with its content (None for folders)."""
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(folder.rglob("*"))
    }


def read_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "share"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def install(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["install-desktop", *args]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("others", [False, True], ids=["empty data home", "other apps there"])
def test_install_writes_an_entry_that_starts_spanwise_and_remove_undoes_it_exactly(
    data_home: Path, capsys: pytest.CaptureFixture[str], others: bool
) -> None:
    if others:  # another application's launcher and icon, and Spanwise's own data
        (data_home / "applications").mkdir(parents=True)
        (data_home / "applications" / "editor.desktop").write_text("[Desktop Entry]\n")
        (data_home / "icons" / "hicolor" / "48x48" / "apps").mkdir(parents=True)
        (data_home / "icons" / "hicolor" / "48x48" / "apps" / "editor.png").write_bytes(b"x")
        (data_home / "Spanwise").mkdir()
        (data_home / "Spanwise" / "spanwise.db").write_bytes(b"work")
    before = tree(data_home)

    said = install(capsys)
    entry_path = data_home / "applications" / f"{APP_ID}.desktop"
    assert str(entry_path) in said and "--remove" in said
    entry = read_entry(entry_path)
    assert entry["Type"] == "Application" and entry["Name"] == "Spanwise"
    # the menu starts this very Spanwise: its command answers with this version
    command = shlex.split(entry["Exec"])
    assert command[-1] == "gui" and command[0] == entry["TryExec"]
    version = subprocess.run(
        [*command[:-1], "--version"], capture_output=True, text=True, timeout=60
    )
    assert version.stdout.strip() == f"spanwise {__version__}"
    # the icon theme finds the icon the entry names, at every size
    theme = data_home / "icons" / "hicolor"
    for size in ICON_SIZES:
        assert png_size(theme / f"{size}x{size}" / "apps" / f"{entry['Icon']}.png") == (size, size)
    assert (theme / "scalable" / "apps" / f"{entry['Icon']}.svg").read_bytes().startswith(b"<?xml")
    if validator := shutil.which("desktop-file-validate"):
        checked = subprocess.run([validator, str(entry_path)], capture_output=True, text=True)
        assert checked.returncode == 0 and not checked.stdout, checked.stdout

    install(capsys)  # again, over the first: still one entry, still undone exactly
    assert "removed 10 files" in install(capsys, "--remove")
    assert tree(data_home) == before
    assert install(capsys, "--remove").strip() == "nothing to remove"


def test_a_folder_with_spaces_dollars_and_percents_still_starts(tmp_path: Path) -> None:
    """Exec quoting per the Desktop Entry spec: the desktop must read back the same path."""
    program = "/home/ana b/Spanwise $5 100%/spanwise"
    entry = tmp_path / "t.desktop"
    entry.write_text(desktop_entry([program]), encoding="utf-8")
    assert read_entry(entry)["Exec"] == '"/home/ana b/Spanwise \\\\$5 100%%/spanwise" gui'
    if validator := shutil.which("desktop-file-validate"):
        checked = subprocess.run([validator, str(entry)], capture_output=True, text=True)
        assert checked.returncode == 0 and not checked.stdout, checked.stdout
