"""Starting Spanwise as a person does, in a process of its own, and checking it stays open.

A window is a program that does not end: `stays_open` starts one, waits on the process with
a timeout (it must still be running when the time is up), reads what it has written to
standard error so far, then ends it with its whole process group (make and xvfb-run start
children of their own).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The console script `make run` starts ($(BIN)/spanwise), beside the interpreter running pytest.
SPANWISE = str(Path(sys.executable).with_name("spanwise"))
# Long enough for the window to be up (about half a second here) and for a crash in its
# first event-loop turns to have happened.
OPEN_SECONDS = 5.0
# What Qt's offscreen platform says when a dialog asks for a window size hint: a note of the
# test platform, not a fault of the program.
OFFSCREEN_NOTES = frozenset({"This plugin does not support propagateSizeHints()"})


def quiet_environment(home: Path, **extra: str) -> dict[str, str]:
    """The user's environment with settings, data and the database inside `home`."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("SPANWISE_")}
    env.update(
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_RUNTIME_DIR=str(home / "runtime"),
    )
    (home / "runtime").mkdir(mode=0o700, parents=True, exist_ok=True)
    env.update(extra)
    return env


def stays_open(
    command: Sequence[str] | str,
    env: Mapping[str, str],
    cwd: Path,
    seconds: float = OPEN_SECONDS,
) -> str:
    """Run `command` (a shell line when a string) for `seconds`; fail when it ends sooner.
    Returns its standard error up to then."""
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            command,
            shell=isinstance(command, str),
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            start_new_session=True,  # its own process group, ended as a whole below
        )
        try:
            code = process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            code = None  # still running: a window waiting for its user
        finally:
            errors.seek(0)
            stderr = errors.read().decode("utf-8", "replace")
            _end(process)
    if code is not None:
        pytest.fail(f"{command!r} ended with exit code {code} within {seconds} s:\n{stderr}")
    return stderr


def _end(process: subprocess.Popen[bytes]) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=10)
            break
        except subprocess.TimeoutExpired:
            continue


def assert_no_fault(stderr: str, notes: frozenset[str] = frozenset()) -> None:
    """No traceback and no message on standard error but the platform's known notes."""
    assert "Traceback" not in stderr, stderr
    unexpected = [line for line in stderr.splitlines() if line.strip() and line not in notes]
    assert unexpected == [], stderr


def xvfb_run() -> str:
    """The path of xvfb-run, or a skip saying what was not tried and how to get it."""
    found = shutil.which("xvfb-run")
    if found is None:
        pytest.skip("no xvfb-run (Debian: apt-get install xvfb): the start on X11 was not tried")
    return found
