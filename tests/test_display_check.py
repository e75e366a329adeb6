"""A desktop without Qt's X11 libraries gets one line naming what to install, not Qt's abort.

Without libxcb-cursor0, Qt prints "Could not load the Qt platform plugin "xcb"" and aborts
with a core dump before any window. The missing library is simulated through the loader the
check uses (`display_check.load_library`); the rest is the real `spanwise` command line.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import PySide6
import pytest

from desktop.cli import display_check
from desktop.cli.display_check import XCB_LIBRARIES, uses_xcb
from desktop.cli.main import main

ABSENT = {"libxcb-cursor.so.0", "libxcb-keysyms.so.1"}


def _without(absent: set[str]) -> object:
    def load(name: str) -> object:
        if name in absent:
            raise OSError(f"{name}: cannot open shared object file: No such file or directory")
        return object()

    return load


def _no_window(*_args: object) -> int:
    pytest.fail("the window was started: Qt would abort on the missing libraries")


@pytest.fixture
def x11_desktop(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Linux X11 session that has not chosen a Qt platform."""
    monkeypatch.setattr(display_check.sys, "platform", "linux")
    monkeypatch.setenv("DISPLAY", ":0")
    for name in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE"):
        monkeypatch.delenv(name, raising=False)


def test_missing_xcb_libraries_stop_the_start_with_one_line(
    x11_desktop: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.setattr(display_check, "load_library", _without(ABSENT))
    # Without the check, Qt would abort this whole test run: stop short of the window instead.
    monkeypatch.setattr("desktop.app.run_gui", _no_window)
    database = tmp_path / "trial.db"
    assert main(["--db", str(database)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    [line] = err.splitlines()
    assert line.startswith("spanwise: the window needs X11 libraries that are missing")
    assert "libxcb-cursor.so.0, libxcb-keysyms.so.1" in line
    assert line.endswith("sudo apt-get install libxcb-cursor0 libxcb-keysyms1")
    assert not database.exists()  # refused before anything was opened


def test_the_command_line_does_not_need_a_display(
    x11_desktop: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.setattr(display_check, "load_library", _without(set(XCB_LIBRARIES)))
    assert main(["--db", str(tmp_path / "x.db"), "docs"]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    ("env", "platform", "xcb"),
    [
        ({"DISPLAY": ":0"}, "linux", True),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}, "linux", True),
        ({"QT_QPA_PLATFORM": "xcb:nograb"}, "linux", True),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "wayland;xcb"}, "linux", False),
        ({}, "linux", False),  # no display: nothing to open a window on through X11
        (
            {"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"},
            "linux",
            False,
        ),  # fmt: skip
        ({"DISPLAY": ":0"}, "darwin", False),
        ({"DISPLAY": ":0"}, "win32", False),
    ],
)
def test_the_check_is_made_where_qt_would_use_xcb(
    env: dict[str, str], platform: str, xcb: bool
) -> None:
    assert uses_xcb(env, platform) is xcb


def test_an_offscreen_start_is_not_checked(
    x11_desktop: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setattr(display_check, "load_library", _without(set(XCB_LIBRARIES)))
    display_check.require_display_libraries()  # no refusal


def test_the_list_is_what_the_xcb_plugin_links() -> None:
    """Every X11 library Qt's xcb plugin needs is checked, under its real file name."""
    ldd = shutil.which("ldd")
    if ldd is None or not sys.platform.startswith("linux"):
        pytest.skip("ldd lists a Linux library's needs; not here")
    qt = Path(PySide6.__file__).parent / "Qt"
    needed: set[str] = set()
    for library in (qt / "plugins" / "platforms" / "libqxcb.so", qt / "lib" / "libQt6XcbQpa.so.6"):
        listing = subprocess.run([ldd, str(library)], capture_output=True, text=True, check=True)
        needed |= {line.split()[0] for line in listing.stdout.splitlines() if "=>" in line}
    x11 = {name for name in needed if name.startswith(("libxcb", "libX11-xcb", "libxkbcommon-x11"))}
    assert x11 == set(XCB_LIBRARIES)
