"""Every command the README shows is run, exactly as written, and does what the README says.

The commands are read from the README itself: each line of a shell code block, and inline code
that starts with a command (`spanwise ...`, `make ...`, `pip ...`, `python ...`, `sudo ...`).
Each one is either run by a check below, or listed in NOT_RUN with the reason and what is
checked instead; a command the README gains without either fails `test_readme_command`.

Each runs in a fresh copy of a sandbox (`work/` holds the files the examples name, and the
database they use through SPANWISE_DB; settings and data folders are inside the sandbox too),
through bash, with the venv's `spanwise` first on PATH. A path under /tmp/ in a command is
taken inside the sandbox, so that a run touches neither a user's /tmp/trial.db nor another
test run's. The window commands are checked to stay open (tests/processes.py). `make`
commands run in the clone itself (they write nothing there) or, for `make screenshot`, which
re-renders the tracked pictures, in a copy of it; none may reinstall the venv (a reinstall from
a copy would point the editable install at the copy), so they are skipped when it is stale.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from db.formats.export import export_to
from db.formats.spanwise_json import export_json, save_export
from db.store import Store
from desktop.cli.display_check import XCB_LIBRARIES
from desktop.cli.main import build_parser
from seeds import seed_paths
from tests.processes import (
    OFFSCREEN_NOTES,
    ROOT,
    SPANWISE,
    assert_no_fault,
    quiet_environment,
    stays_open,
)

README = ROOT / "README.md"
COMMAND_WORDS = ("spanwise", "make", "pip", "python", "sudo")
SHELL_BLOCKS = ("sh", "bash", "shell", "console")
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)
VENV_BIN = Path(SPANWISE).parent


def readme_commands() -> list[str]:
    """The README's commands in the order they appear, each once."""
    text = README.read_text(encoding="utf-8")
    found: list[str] = []
    for block in _FENCE.finditer(text):
        if block.group(1) in SHELL_BLOCKS:
            for line in block.group(2).splitlines():
                command = re.split(r"\s+#\s", line, maxsplit=1)[0].strip()
                if command and not command.startswith("#"):
                    found.append(command)
    for code in re.finditer(r"`([^`]+)`", _FENCE.sub("", text)):
        command = " ".join(code.group(1).split())  # inline code may wrap at a line end
        if command.split(" ", 1)[0] in COMMAND_WORDS:
            found.append(command)
    return list(dict.fromkeys(found))


def synopsis_lines() -> list[str]:
    """The lines of the README's command-line synopsis (the `text` block under
    "## Command line")."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Command line") :]
    block = _FENCE.search(section)
    assert block is not None and block.group(1) == "text"
    return block.group(2).splitlines()


# -- the sandbox ------------------------------------------------------------------------------

# An article with one cue only the example lexicon (my-cues.json) knows.
EXTRA = "\n\n“We will rebuild the bridge before winter,” the mayor opined.\n"
MY_CUES = {"verbs": [{"lemma": "opine", "forms": ["opine", "opines", "opined", "opining"]}]}


def _annotate(store: Store, doc_id: str, annotator: str, quote_end: str) -> None:
    text = store.document(doc_id).text

    def span(piece: str, label: str, **attributes: str) -> str:
        start = text.index(piece)
        return store.add_annotation(
            doc_id, annotator, label, start, start + len(piece), attributes
        ).id

    span("Ukrainian President Volodymyr Zelensky", "Speaker")
    span("claimed", "Cue")
    span(f"Russian forces are attempting to burn {quote_end}", "Quote", kind="indirect")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What the README's examples assume: the seed in the database with ana's and ben's work
    (imported from ana.json and ben.json) and the gold adjudication; those exports; an
    article, a schema and a lexicon of one's own; a brat export to read back."""
    root = tmp_path_factory.mktemp("readme")
    work = root / "work"
    work.mkdir()
    seed = seed_paths()[0]
    (work / "article.txt").write_text(seed.read_text(encoding="utf-8") + EXTRA, "utf-8")
    schema = json.loads((ROOT / "resources" / "schemas" / "news.json").read_text("utf-8"))
    schema["labels"].append({"name": "Claim", "colour": "#123456"})
    (work / "my-schema.json").write_text(json.dumps(schema), "utf-8")
    (work / "my-cues.json").write_text(json.dumps(MY_CUES), "utf-8")
    store = Store(work / "spanwise.db")
    try:
        store.import_texts([seed])
        [doc] = store.documents("ana")
        _annotate(store, doc.id, "ana", "the faces of deceased North Korean soldiers")
        _annotate(store, doc.id, "ben", "the faces")
        _annotate(store, doc.id, "gold", "the faces of deceased North Korean soldiers")
        for name in ("ana", "ben"):
            save_export(export_json(store, name), work / f"{name}.json")
        export_to(store, "brat", work / "brat-folder", "ana")
    finally:
        store.close()
    return root


@dataclass
class Run:
    command: str
    code: int
    out: str
    err: str

    def ok(self) -> Run:
        assert self.code == 0, f"{self.command!r} exited {self.code}:\n{self.err}"
        assert "Traceback" not in self.err
        return self


@dataclass
class Sandbox:
    root: Path

    @property
    def work(self) -> Path:
        return self.root / "work"

    @property
    def database(self) -> Path:
        return self.work / "spanwise.db"

    def command(self, command: str) -> str:
        return command.replace("/tmp/", f"{self.root}/")

    def env(self, fresh: bool = False) -> dict[str, str]:
        """The user's environment; `fresh`: a first start, with no database yet."""
        env = quiet_environment(self.root / "home", QT_QPA_PLATFORM="offscreen")
        env["PATH"] = f"{VENV_BIN}:{env.get('PATH', '')}"
        if not fresh:
            env["SPANWISE_DB"] = str(self.database)
        return env

    def run(self, command: str, cwd: Path | None = None) -> Run:
        result = subprocess.run(
            ["bash", "-c", self.command(command)],
            cwd=cwd or self.work,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        return Run(command, result.returncode, result.stdout, result.stderr)

    def stays_open(self, command: str, cwd: Path | None = None, fresh: bool = False) -> None:
        stderr = stays_open(self.command(command), self.env(fresh), cwd or self.work)
        assert_no_fault(stderr, OFFSCREEN_NOTES)

    def default_database(self) -> Path:
        return self.root / "home" / "data" / "Spanwise" / "spanwise.db"


@pytest.fixture
def sandbox(template: Path, tmp_path: Path) -> Sandbox:
    root = tmp_path / "sandbox"
    shutil.copytree(template, root)
    return Sandbox(root)


@pytest.fixture
def venv_is_current() -> None:
    """`make` here must find the venv up to date, or it would reinstall it (see above)."""
    stamp = subprocess.run(["make", "-q", ".venv/.installed"], cwd=ROOT, check=False)
    if stamp.returncode != 0:
        pytest.skip("the .venv is older than pyproject.toml: run `make venv` (never done here)")


def clone_copy(destination: Path) -> Path:
    """The clone without its venv, caches and databases, its files' times kept, with the
    clone's own .venv linked in."""
    ignore = shutil.ignore_patterns(
        ".venv", ".git", "*.egg-info", "__pycache__", ".*_cache", "*.db*", "bench-results.json"
    )
    shutil.copytree(ROOT, destination, ignore=ignore)  # copy2: times kept, so make is content
    (destination / ".venv").symlink_to(ROOT / ".venv")
    return destination


# -- what each command must do ----------------------------------------------------------------

Check = Callable[[Sandbox, str], None]
CHECKS: dict[str, Check] = {}


def check(*commands: str) -> Callable[[Check], Check]:
    def register(function: Check) -> Check:
        for command in commands:
            CHECKS[command] = function
        return function

    return register


@check("make run")
def _make_run(sandbox: Sandbox, command: str) -> None:
    """A first start: the window stays open on a new default database with the seed."""
    sandbox.stays_open(command, cwd=ROOT, fresh=True)
    assert _titles(sandbox.default_database())[0].startswith("Ukrainian President")


@check("spanwise")
def _bare_spanwise(sandbox: Sandbox, command: str) -> None:
    sandbox.stays_open(command, fresh=True)
    assert _titles(sandbox.default_database())[0].startswith("Ukrainian President")


@check('make run ARGS="--db /tmp/trial.db"')
def _make_run_args(sandbox: Sandbox, command: str) -> None:
    sandbox.stays_open(command, cwd=ROOT)
    assert (sandbox.root / "trial.db").exists()  # the /tmp/ of the command, in the sandbox


@check("make screenshot")
def _make_screenshot(sandbox: Sandbox, command: str) -> None:
    clone = clone_copy(sandbox.root / "clone")
    pictures = clone / "resources" / "screenshots"
    started = time.time()
    sandbox.run(command, cwd=clone).ok()
    # "re-renders the picture above" (window.png), and the other pictures it makes
    for name in ("window.png", "attribution.png", "compare.png", "suggestions.png"):
        picture = pictures / name
        assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert picture.stat().st_mtime >= started - 1, f"{name} was not rendered again"


@check("spanwise gui --screenshot window.png")
def _screenshot(sandbox: Sandbox, command: str) -> None:
    sandbox.run(command).ok()
    assert (sandbox.work / "window.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@check("spanwise agree ana ben")
def _agree(sandbox: Sandbox, command: str) -> None:
    out = sandbox.run(command).ok().out
    assert out.startswith("Agreement of ana, ben (ana is the reference) over 1 document,")
    assert re.search(r"^Speaker\s+1\s+1\s+1\.000", out, re.M)


@check("spanwise agree ana ben gold --label Quote")
def _agree_three(sandbox: Sandbox, command: str) -> None:
    out = sandbox.run(command).ok().out
    assert out.startswith("Agreement of ana, ben, gold (ana is the reference)")
    assert [line.split()[0] for line in out.splitlines()[3:5]] == ["Quote", "overall"]


@check("spanwise agree ana ben --json")
def _agree_json(sandbox: Sandbox, command: str) -> None:
    data = json.loads(sandbox.run(command).ok().out)
    assert data["annotators"] == ["ana", "ben"]
    assert data["labels"]["Speaker"]["exact_f1"] == 1.0


@check("spanwise agree ana ben --html report.html")
def _agree_html(sandbox: Sandbox, command: str) -> None:
    run = sandbox.run(command).ok()
    assert run.err == "wrote the agreement report to report.html\n"
    report = (sandbox.work / "report.html").read_text("utf-8")
    assert report.lstrip().lower().startswith("<!doctype html") and "<script" not in report


@check("spanwise suggest article.txt --json")
def _suggest_json(sandbox: Sandbox, command: str) -> None:
    document = json.loads(sandbox.run(command).ok().out)
    text = (sandbox.work / "article.txt").read_text("utf-8")
    assert document["text"] == text
    labels = {a["label"] for a in document["annotations"]}
    assert {"Quote", "Speaker", "Cue"} <= labels
    assert not (sandbox.root / "home" / "data" / "Spanwise").exists()  # no database opened


@check("spanwise suggest article.txt")
def _suggest_file(sandbox: Sandbox, command: str) -> None:
    lines = sandbox.run(command).ok().out.splitlines()
    assert "\t".join(["direct", "Zelensky (Volodymyr Zelensky)", "wrote"]) in lines[2]
    assert not any("opined" in line for line in lines)  # not a cue without my-cues.json


@check("spanwise suggest article.txt --lexicon my-cues.json")
def _suggest_lexicon(sandbox: Sandbox, command: str) -> None:
    lines = sandbox.run(command).ok().out.splitlines()
    assert any("\topined\t" in line for line in lines)


@check("spanwise suggest")
def _suggest_database(sandbox: Sandbox, command: str) -> None:
    lines = sandbox.run(command).ok().out.splitlines()
    assert lines and all(re.match(r"[0-9a-f]{16}\t", line) for line in lines)


@check("spanwise suggest --accept-all")
def _accept_all(sandbox: Sandbox, command: str) -> None:
    out = sandbox.run(command).ok().out
    assert re.fullmatch(r"accepted \d+ suggestions in 1 document\n", out), out
    again = sandbox.run(command).ok().out
    assert re.fullmatch(r"accepted 0 suggestions in 1 document, \d+ already annotated\n", again)


@check("spanwise --db new.db --schema my-schema.json import article.txt")
def _schema(sandbox: Sandbox, command: str) -> None:
    assert sandbox.run(command).ok().out == "imported 1 new document\n"
    store = Store(sandbox.work / "new.db")
    try:
        assert "Claim" in [label.name for label in store.labels()]
    finally:
        store.close()


@check("spanwise export --flat quotes -o quotes.csv")
def _quotes_csv(sandbox: Sandbox, command: str) -> None:
    run = sandbox.run(command).ok()
    assert run.err == "exported 3 quotes to quotes.csv\n"
    with (sandbox.work / "quotes.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(row["annotator"] for row in rows) == ["ana", "ben", "gold"]
    assert {row["speaker_mention"] for row in rows} <= {
        "",
        "Ukrainian President Volodymyr Zelensky",
    }


@check("spanwise export --flat quotes -o quotes.jsonl")
def _quotes_jsonl(sandbox: Sandbox, command: str) -> None:
    sandbox.run(command).ok()
    lines = (sandbox.work / "quotes.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(line)["quote"].startswith("Russian forces") for line in lines] == [True] * 3


@check("spanwise import ana.json ben.json")
def _import_exports(sandbox: Sandbox, command: str) -> None:
    lines = sandbox.run(command).ok().out.splitlines()
    assert lines[0].startswith("imported 0 new documents, 2 already present, 0 annotations added")
    assert "  ana: 0 added, 3 unchanged, 0 conflicting" in lines
    assert "  ben: 0 added, 3 unchanged, 0 conflicting" in lines


@check("spanwise export --annotator gold")
def _export_gold(sandbox: Sandbox, command: str) -> None:
    [document] = json.loads(sandbox.run(command).ok().out)["documents"]
    assert [a["annotator"] for a in document["annotations"]] == ["gold"] * 3


@check("spanwise export --format brat -o brat-folder")
def _export_brat(sandbox: Sandbox, command: str) -> None:
    shutil.rmtree(sandbox.work / "brat-folder")
    run = sandbox.run(command).ok()
    assert run.err.startswith("exported to brat-folder (brat): 9 annotations, 0 links")
    assert (sandbox.work / "brat-folder" / "annotation.conf").is_file()
    assert sorted(p.name for p in (sandbox.work / "brat-folder").iterdir() if p.is_dir()) == [
        "ana",
        "ben",
        "gold",
    ]


@check("spanwise import brat-folder")
def _import_brat(sandbox: Sandbox, command: str) -> None:
    out = sandbox.run(command).ok().out
    assert out.startswith("imported 0 new documents, 1 already present, 3 annotations added")
    assert "brat-folder (brat): 1 document, 3 annotations" in out


@check("spanwise formats")
def _formats(sandbox: Sandbox, command: str) -> None:
    lines = sandbox.run(command).ok().out.splitlines()
    assert lines[0].startswith("spanwise\timport, export\t")
    assert any(line.startswith("brat\timport, export\t") for line in lines)


@check("spanwise docs --annotator ana")
def _docs(sandbox: Sandbox, command: str) -> None:
    [line] = sandbox.run(command).ok().out.splitlines()
    assert line.split("\t")[2:] == ["in progress", "3"]


@check("spanwise import article.txt --db trial.db")
def _import_after(sandbox: Sandbox, command: str) -> None:
    assert sandbox.run(command).ok().out == "imported 1 new document\n"
    assert _titles(sandbox.work / "trial.db")[0].startswith("Ukrainian President")


@check("spanwise install-desktop", "spanwise install-desktop --remove")
def _install_desktop(sandbox: Sandbox, command: str) -> None:
    """The launcher entry lands in the XDG applications folder, and --remove takes it away."""
    applications = sandbox.root / "home" / "data" / "applications"  # $XDG_DATA_HOME
    sandbox.run("spanwise install-desktop").ok()
    entry = (applications / "spanwise.desktop").read_text(encoding="utf-8")
    assert "Name=Spanwise" in entry
    if command.endswith("--remove"):
        sandbox.run(command).ok()
        assert not (applications / "spanwise.desktop").exists()


@check("spanwise train --list")
def _train_list(sandbox: Sandbox, command: str) -> None:
    """A database nobody has trained on yet says so, and exits 0."""
    run = sandbox.run(command).ok()
    assert "no trained model" in (run.out + run.err).lower()


def _titles(database: Path) -> list[str]:
    store = Store(database)
    try:
        return [doc.title for doc in store.documents("nobody")]
    finally:
        store.close()


# -- commands not run as written --------------------------------------------------------------


def _dry_run(target: str, *expected: str) -> Check:
    """`make -n -B TARGET` (what it would run, even if up to date) names `expected`."""

    def instead(sandbox: Sandbox, command: str) -> None:
        plan = subprocess.run(
            ["make", "-n", "-B", *target.split()],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for piece in expected:
            assert piece in plan, plan

    return instead


def _options_exist(sandbox: Sandbox, command: str) -> None:
    """A form with placeholders: its subcommand and every option it names are real."""
    assert_synopsis_options(command.removeprefix("spanwise "))


def _packages_are_the_checked_ones(sandbox: Sandbox, command: str) -> None:
    assert set(command.split()[3:]) <= set(XCB_LIBRARIES.values())


PLACEHOLDERS = "a form with placeholders; its options are checked against the parser"
TEAM = (
    "needs a team's PostgreSQL server (db.example.org); tests/team/test_whole_project.py runs "
    "each of these commands against a real one; here each is checked to parse"
)


def _team_command(sandbox: Sandbox, command: str) -> None:
    """A team command parses as written (its subcommand and options exist)."""
    import shlex

    from desktop.cli import team as cli_team

    if command.startswith("export "):
        assert command.split("=", 1)[0] == f"export {cli_team.SERVER_ENV}"
        return
    if command.startswith("sudo "):
        assert command == "sudo apt-get install postgresql"
        return
    build_parser().parse_args(shlex.split(command)[1:])


_TEAM_COMMANDS = [
    "sudo apt-get install postgresql",
    "spanwise server init postgresql://manager@db.example.org/project",
    "export SPANWISE_SERVER=postgresql://manager@db.example.org/project",
    "spanwise server add-annotator ana",
    "spanwise server add-annotator ben",
    "spanwise server add-reviewer rita",
    "spanwise server publish articles/ --schema my-schema.json",
    "spanwise server assign --per-document 2 --seed 7",
    "spanwise server status",
    "spanwise sync --server postgresql://ana@db.example.org/project",
    "spanwise sync",
    "spanwise sync --conflicts",
    "spanwise sync --take 3f0c91",
]
NOT_RUN: dict[str, tuple[str, Check]] = {
    "make test": (
        "it is the run this test is part of and cannot start itself; `make -n test` is checked",
        _dry_run("test", "ruff check", "ruff format --check", "mypy", "pytest"),
    ),
    'make run ARGS="..."': (
        'the form; its example make run ARGS="--db /tmp/trial.db" is run',
        _dry_run("run", "spanwise"),
    ),
    "pip install .": (
        "it would replace the editable install the suite runs from, and building needs "
        "setuptools>=68 from PyPI; `make` installs the same package",
        _dry_run("venv", "pip install"),
    ),
    "sudo apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1": (
        "needs root and the network; checked: these are packages the display check names",
        _packages_are_the_checked_ones,
    ),
    "make eval": (
        "takes about 40 s (2 MB timings and five 2-million-character texts); the gold "
        "comparison it prints is in tests/db/test_suggest.py; `make -n eval` is checked",
        _dry_run("eval", "tests.eval.evaluate"),
    ),
    "python -m tests.eval.evaluate": ("what `make eval` runs (above)", _dry_run("eval", "-m")),
    "make bench": (
        "takes about a minute; tests/test_bench_smoke.py runs a small version",
        _dry_run("bench", "tests.bench.bench"),
    ),
    "make bench ONLY=W1": (
        "the start alone, about 30 s; tests/test_bench_smoke.py runs a small version of all",
        _dry_run("bench ONLY=W1", "SPANWISE_BENCH_ONLY=W1", "tests.bench.bench"),
    ),
    "make bench ONLY=W12,W13,W14": (
        "the 50,000-document workloads take about ten minutes; tests/test_bench_smoke.py runs "
        "a small version of them",
        _dry_run("bench", "SPANWISE_BENCH_ONLY", "tests.bench.bench"),
    ),
    "make crash": (
        "50 kills and 40 cut syncs take minutes; tests/robust/test_crash.py and "
        "tests/team/test_crash_sync.py run small versions",
        _dry_run("crash", "test_crash.py"),
    ),
    "make fuzz": (
        "10,000 inputs take minutes; tests/robust runs a small version",
        _dry_run("fuzz", "test_fuzz_json.py"),
    ),
    "make x11": (
        "the X11 suite, which `make test` runs right after this one (on Xvfb, or says loudly "
        "that it skipped); `make -n x11` is checked",
        _dry_run("x11", "tests/desktop/x11"),
    ),
    "make dist": (
        "a PyInstaller build of 25-40 s; `make dist-check` (run by .ci/run after make test) "
        "builds and runs the bundle; `make -n dist` is checked",
        _dry_run("dist", "pyinstaller", "bundle/spanwise.spec"),
    ),
    "dist/spanwise/spanwise": (
        "the bundle `make dist` builds; `make dist-check` starts it from a clean environment",
        _dry_run("dist-check", "check_install bundle dist/spanwise"),
    ),
    "make dist-check": (
        "builds the bundle and the wheel (about 75 s) and is run by .ci/run after make test",
        _dry_run("dist-check", "check_install"),
    ),
    "make wheel": ("built and installed by `make dist-check`", _dry_run("wheel", "-m build")),
    "python -m build": ("what `make wheel` runs (above)", _dry_run("wheel", "-m build")),
    "pipx install dist/spanwise-0.1.0-py3-none-any.whl": (
        "needs the wheel and pipx; `make dist-check` installs the wheel with pipx and runs it",
        _dry_run("dist-check", "check_install wheel"),
    ),
    "sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1": (
        "needs root and the network; checked: these are packages the display check names",
        _packages_are_the_checked_ones,
    ),
    "sudo dnf install xcb-util-cursor xcb-util-wm xcb-util-keysyms": (
        "Fedora's names for the same three libraries; needs root on a Fedora machine",
        lambda sandbox, command: None,
    ),
    "spanwise agree A B [C ...] [--label L] [--document ID ...] [--json] [--html report.html]": (
        PLACEHOLDERS,
        _options_exist,
    ),
    "spanwise import PATH...": (PLACEHOLDERS, _options_exist),
    "spanwise train [--annotator NAME]": (PLACEHOLDERS, _options_exist),
    "make eval CORPUS=path": (
        "a form with a placeholder for a brat corpus, and `make eval` takes minutes; the "
        "corpus reader is tested in tests/db; `make -n eval` is checked",
        _dry_run("eval", "tests.eval.evaluate"),
    ),
    "spanwise export --format NAME -o PATH": (PLACEHOLDERS, _options_exist),
    **{command: (TEAM, _team_command) for command in _TEAM_COMMANDS},
}


def assert_synopsis_options(line: str) -> None:
    """`COMMAND ...` (or a line of global options): the command exists and takes each
    --option named."""
    parser = build_parser()
    words = line.split()
    if words and not words[0].startswith(("-", "[")):
        commands = next(a for a in parser._actions if a.dest == "command")
        assert isinstance(commands.choices, dict)
        parser = commands.choices[words[0]]
    known = {option for action in parser._actions for option in action.option_strings}
    named = set(re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", line))
    assert named <= known, f"{line!r}: not options of the parser: {sorted(named - known)}"


# -- the tests --------------------------------------------------------------------------------


@pytest.mark.parametrize("command", readme_commands())
def test_readme_command(command: str, sandbox: Sandbox, request: pytest.FixtureRequest) -> None:
    if command.split()[0] == "make":
        request.getfixturevalue("venv_is_current")
    if command in NOT_RUN:
        _reason, instead = NOT_RUN[command]
        instead(sandbox, command)
        return
    assert command in CHECKS, f"the README shows {command!r}: add a check or a NOT_RUN reason"
    CHECKS[command](sandbox, command)


def test_no_check_outlives_its_readme_command() -> None:
    shown = set(readme_commands())
    assert set(CHECKS) - shown == set()
    assert set(NOT_RUN) - shown == set()
    assert set(CHECKS) & set(NOT_RUN) == set()


def synopsis_commands() -> dict[str, str]:
    """Each command of the synopsis with its usage (its options, continuation lines joined,
    without the description to the right)."""
    entries: dict[str, str] = {}
    current = ""
    for line in synopsis_lines()[1:]:
        usage = re.split(r"\s{2,}", line.strip())[0]
        if re.match(r"  [a-z]", line):
            current = usage.split()[0]
            entries[current] = usage
        elif current and usage.startswith("["):
            entries[current] += " " + usage
    return entries


def test_command_line_synopsis_names_real_commands_and_options() -> None:
    first = synopsis_lines()[0]
    assert first.startswith("spanwise [--db PATH] [--annotator NAME] [--schema FILE.json]")
    assert_synopsis_options(first.removeprefix("spanwise ").split(" COMMAND")[0])
    entries = synopsis_commands()
    subcommands = next(a for a in build_parser()._actions if a.dest == "command").choices
    assert isinstance(subcommands, dict)
    assert sorted(entries) == sorted(subcommands)
    for usage in entries.values():
        assert_synopsis_options(usage)
