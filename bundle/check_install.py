"""Checks an installed Spanwise the way a person without a Python set-up meets it.

`make dist-check` runs it on the PyInstaller bundle and on the wheel installed with pipx. Every
command runs from a clean environment (no virtual environment on PATH, PYTHONPATH unset, a
fresh HOME) with Qt offscreen; the window's screenshot must show the article's text, found by
drawing the same line with the same font and finding those exact pixels in the screenshot.

    python -m bundle.check_install bundle dist/spanwise
    python -m bundle.check_install wheel dist/spanwise-0.1.0-py3-none-any.whl
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from bundle.shipped import ROOT, migration_scripts, package_data_files
from db import __version__
from desktop.identity import APP_NAME, DATABASE_FILE
from seeds import seed_paths

ARTICLE = (
    "Kyiv, 3 March.\n\n"
    "“We will hold the line,” the commander said on Tuesday.\n"
    "Talks resume next week, officials said.\n"
)
SHOWN_LINE = "“We will hold the line,” the commander said on Tuesday."
UPGRADE_FIXTURE = ROOT / "tests" / "db" / "fixtures" / "schema-0001.spanwise-fixture"
TIMEOUT = 120


class CheckFailed(Exception):
    """One step did not do what a user expects; the message says what happened."""


def clean_environment(home: Path, platform: str = "offscreen") -> dict[str, str]:
    """What a desktop session gives a program: a HOME, a system PATH, a UTF-8 locale."""
    runtime = home / ".runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    return {
        "HOME": str(home),
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "XDG_RUNTIME_DIR": str(runtime),
        "QT_QPA_PLATFORM": platform,
    }


class Installed:
    """The installed `spanwise` command, run in a clean environment inside `work`."""

    def __init__(self, executable: Path, work: Path) -> None:
        self.executable = executable
        self.work = work
        self.home = work / "home"
        self.home.mkdir()

    def run(self, *args: str, platform: str = "offscreen", prefix: tuple[str, ...] = ()) -> str:
        command = [*prefix, str(self.executable), *args]
        result = subprocess.run(
            command,
            cwd=self.work,
            env=clean_environment(self.home, platform),
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            stdin=subprocess.DEVNULL,
        )
        if result.returncode != 0:
            said = (result.stderr or result.stdout).strip().splitlines()[-3:]
            raise CheckFailed(f"`spanwise {' '.join(args)}` exited {result.returncode}: {said}")
        return result.stdout


def exported_texts(export: Path) -> list[str]:
    return [doc["text"] for doc in json.loads(export.read_text(encoding="utf-8"))["documents"]]


def gray_rows(image: object) -> list[bytes]:
    from PySide6.QtGui import QImage

    assert isinstance(image, QImage)
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    data, stride = bytes(gray.constBits()), gray.bytesPerLine()
    return [data[y * stride : y * stride + gray.width()] for y in range(gray.height())]


def rendered_line(text: str) -> list[bytes]:
    """The line as the article view draws it (its font, black on white), cropped to the ink."""
    from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter
    from PySide6.QtWidgets import QApplication, QPlainTextEdit

    from desktop.widgets.article_view import TEXT_POINT_SIZE

    _app = QApplication.instance() or QApplication(sys.argv[:1])
    font = QFont(QPlainTextEdit().font())
    font.setPointSizeF(TEXT_POINT_SIZE)
    metrics = QFontMetrics(font)
    width = metrics.horizontalAdvance(text) + 8
    image = QImage(width, metrics.height(), QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setFont(font)
    painter.setPen(QColor("black"))
    painter.drawText(0, metrics.ascent(), text)
    painter.end()
    rows = gray_rows(image)
    inked = [y for y, row in enumerate(rows) if min(row) < 128]
    columns = [x for x in range(image.width()) if any(rows[y][x] < 128 for y in inked)]
    left, right = columns[0], columns[-1] + 1
    return [row[left:right] for row in rows[inked[0] : inked[-1] + 1]]


def shows_line(png: Path, text: str) -> bool:
    """True if the screenshot holds exactly the pixels of `text` drawn in the article's font."""
    from PySide6.QtGui import QImage

    shot = QImage(str(png))
    if shot.isNull():
        raise CheckFailed(f"{png.name}: not an image")
    rows, template = gray_rows(shot), rendered_line(text)
    for y, row in enumerate(rows[: len(rows) - len(template) + 1]):
        x = row.find(template[0])
        while x >= 0:
            width = len(template[0])
            if all(rows[y + i][x : x + width] == line for i, line in enumerate(template)):
                return True
            x = row.find(template[0], x + 1)
    return False


def command_steps(spanwise: Installed) -> list[tuple[str, Callable[[], str]]]:
    """What a user does first: asks the version, starts on the default database, imports an
    article, exports it, upgrades an old database, opens the window."""
    work = spanwise.work
    article = work / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    check_db = str(work / "check.db")

    def version() -> str:
        said = spanwise.run("--version").strip()
        if said != f"spanwise {__version__}":
            raise CheckFailed(f"--version said {said!r}")
        return said

    def first_start() -> str:
        listed = spanwise.run("docs")
        seed_title = seed_paths()[0].read_text(encoding="utf-8").split(maxsplit=6)[:6]
        database = spanwise.home / ".local" / "share" / APP_NAME / DATABASE_FILE
        if " ".join(seed_title) not in listed or not database.is_file():
            raise CheckFailed(f"no seed article in {database}: {listed!r}")
        return f"seed article in ~/{database.relative_to(spanwise.home)}"

    def import_text() -> str:
        said = spanwise.run("--db", check_db, "import", str(article)).strip()
        if not said.startswith("imported 1 new document"):
            raise CheckFailed(f"import said {said!r}")
        return said.splitlines()[0]

    def export_json() -> str:
        spanwise.run("--db", check_db, "export", "-o", str(work / "export.json"))
        if exported_texts(work / "export.json") != [ARTICLE]:
            raise CheckFailed("the export does not hold the article's text unchanged")
        return "text unchanged"

    def other_format() -> str:
        spanwise.run("--db", check_db, "export", "--format", "uima-xmi", "-o", str(work / "xmi"))
        round_db = str(work / "round.db")
        spanwise.run("--db", round_db, "import", str(work / "xmi"))
        spanwise.run("--db", round_db, "export", "-o", str(work / "round.json"))
        if exported_texts(work / "round.json") != [ARTICLE]:
            raise CheckFailed("UIMA XMI export and import changed the text")
        return "UIMA XMI out and back in, text unchanged"

    def upgrade() -> str:
        old = work / "old.db"
        shutil.copyfile(UPGRADE_FIXTURE, old)
        listed = spanwise.run("--db", str(old), "docs")
        if "0001-fixture-doc" not in listed:
            raise CheckFailed(f"the upgraded database lists {listed!r}")
        return "a revision-0001 database upgraded by the migrations"

    def screenshot() -> str:
        png = work / "window.png"
        spanwise.run("--db", check_db, "gui", "--screenshot", str(png))
        if not shows_line(png, SHOWN_LINE):
            raise CheckFailed(f"{png} does not show the line {SHOWN_LINE!r}")
        return "the article's line is on screen"

    def x11_screenshot() -> str:
        xvfb_run = shutil.which("xvfb-run")
        if xvfb_run is None:
            return "skipped: no xvfb-run"
        png = work / "window-x11.png"
        spanwise.run(
            "--db", check_db, "gui", "--screenshot", str(png),
            platform="xcb", prefix=(xvfb_run, "-a", "-s", "-screen 0 1600x1000x24"),
        )  # fmt: skip
        if not shows_line(png, SHOWN_LINE):
            raise CheckFailed(f"{png} does not show the line {SHOWN_LINE!r}")
        return "the article's line is on screen (xcb on Xvfb)"

    def install_desktop() -> str:
        applications = spanwise.home / ".local" / "share" / "applications"
        before = sorted(spanwise.home.rglob("*"))
        spanwise.run("install-desktop")
        entry = applications / "spanwise.desktop"
        lines = entry.read_text(encoding="utf-8").splitlines()
        program = next((line[8:] for line in lines if line.startswith("TryExec=")), "")
        if Path(program).resolve() != spanwise.executable.resolve():  # pipx links its scripts
            raise CheckFailed(f"{entry} does not start {spanwise.executable}: {lines}")
        validator = shutil.which("desktop-file-validate")
        if validator:
            checked = subprocess.run([validator, str(entry)], capture_output=True, text=True)
            if checked.returncode != 0 or checked.stdout:
                raise CheckFailed(f"desktop-file-validate: {checked.stdout.strip()}")
        spanwise.run("install-desktop", "--remove")
        if sorted(spanwise.home.rglob("*")) != before:
            raise CheckFailed("install-desktop --remove did not leave HOME as it was")
        valid = "validated, " if validator else ""
        return f"entry starts {spanwise.executable.name}, {valid}removed without a trace"

    return [
        ("--version", version),
        ("first start", first_start),
        ("import a text file", import_text),
        ("export", export_json),
        ("another tool's format", other_format),
        ("upgrade", upgrade),
        ("gui --screenshot (offscreen)", screenshot),
        ("gui --screenshot (X11)", x11_screenshot),
        ("install-desktop", install_desktop),
    ]


def run_steps(what: str, steps: list[tuple[str, Callable[[], str]]]) -> int:
    passed = failed = 0
    for name, step in steps:
        start = time.perf_counter()
        try:
            said = step()
        except (CheckFailed, subprocess.TimeoutExpired, OSError) as exc:
            failed += 1
            print(f"FAIL {name}: {exc}", flush=True)
        else:
            passed += 1
            print(f"ok   {name} ({time.perf_counter() - start:.1f} s): {said}", flush=True)
    print(f"{what}: {passed} passed, {failed} failed")
    return 1 if failed else 0


def wheel_metadata_step(wheel: Path) -> Callable[[], str]:
    def metadata() -> str:
        with zipfile.ZipFile(wheel) as archive:
            names = set(archive.namelist())
            info = next(n for n in names if n.endswith(".dist-info/METADATA"))
            fields = archive.read(info).decode("utf-8").split("\n\n", 1)[0].splitlines()
        keys = [line.split(":", 1)[0] for line in fields]
        wanted = ["Description-Content-Type: text/markdown"]
        missing = [w for w in wanted if w not in fields]
        missing += [k for k in ("Keywords", "Classifier") if k not in keys]
        if not {"License-Expression", "License"} & set(keys):
            missing.append("License")
        if "Project-URL" in keys:
            missing.append("no Project-URL (the project has none)")
        files = [p.as_posix() for p in [*package_data_files(), *migration_scripts()]]
        missing += [f for f in files if f not in names]
        if missing:
            raise CheckFailed(f"the wheel lacks {missing}")
        return f"index metadata and all {len(files)} data files and migrations"

    return metadata


def check_wheel(wheel: Path, work: Path) -> int:
    pipx_home, bin_dir = work / "pipx", work / "bin"
    installed = Installed(bin_dir / "spanwise", work)

    def pipx_install() -> str:
        env = {**os.environ, "PIPX_HOME": str(pipx_home), "PIPX_BIN_DIR": str(bin_dir)}
        env.pop("PYTHONPATH", None)
        result = subprocess.run(
            [sys.executable, "-m", "pipx", "install", str(wheel)],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            stdin=subprocess.DEVNULL,
        )
        if result.returncode != 0 or not installed.executable.exists():
            raise CheckFailed(f"pipx install failed: {result.stderr.strip()[-600:]}")
        return f"pipx install {wheel.name}"

    steps = [("wheel metadata", wheel_metadata_step(wheel)), ("pipx install", pipx_install)]
    return run_steps("wheel check", steps + command_steps(installed))


def check_bundle(folder: Path, work: Path) -> int:
    executable = folder / ("spanwise.exe" if sys.platform == "win32" else "spanwise")
    return run_steps("bundle check", command_steps(Installed(executable, work)))


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("bundle", "wheel"):
        print("usage: check_install bundle FOLDER | wheel FILE.whl", file=sys.stderr)
        return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # for drawing the reference line
    target = Path(argv[1]).resolve()
    with tempfile.TemporaryDirectory(prefix="spanwise-check-") as folder:
        if argv[0] == "bundle":
            return check_bundle(target, Path(folder))
        return check_wheel(target, Path(folder))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
