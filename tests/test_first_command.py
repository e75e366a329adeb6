"""The first command a new user types opens the window and keeps it open.

`make run` starts the bare `spanwise`; it crashed before any window appeared
("'Namespace' object has no attribute 'screenshot'") while every test passed, because no test
started the program that way. These start it exactly so, as a process of its own, offscreen
and on a real X server.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.processes import (
    OFFSCREEN_NOTES,
    SPANWISE,
    assert_no_fault,
    quiet_environment,
    stays_open,
    xvfb_run,
)


def test_bare_spanwise_stays_open_offscreen(tmp_path: Path) -> None:
    database = tmp_path / "trial.db"
    env = quiet_environment(tmp_path, QT_QPA_PLATFORM="offscreen")
    stderr = stays_open([SPANWISE, "--db", str(database)], env, cwd=tmp_path)
    assert_no_fault(stderr, OFFSCREEN_NOTES)
    assert database.exists()  # it got as far as opening the database


@pytest.mark.x11
def test_bare_spanwise_stays_open_on_a_real_x_server(tmp_path: Path) -> None:
    database = tmp_path / "trial.db"
    env = quiet_environment(tmp_path, QT_QPA_PLATFORM="xcb")
    env.pop("DISPLAY", None)  # xvfb-run gives its own
    stderr = stays_open([xvfb_run(), "-a", SPANWISE, "--db", str(database)], env, cwd=tmp_path)
    assert_no_fault(stderr)
    assert database.exists()
