"""Pulling the plug: a child process edits, imports and exports through the store API and is
killed with SIGKILL at random moments. After every kill the database opens, SQLite finds it
sound, every edit the child reported as saved is there, and an interrupted import left all or
nothing.

Outputs are checked too: a kill during `export --flat`, a brat or UIMA XMI folder export, or
a backup leaves the previous file (or folder) or a complete new one under the final name,
never a partial one, and every backup listed is a whole database.

`make test` kills 9 times (every kind of work once, a streamed JSON import twice); `make
crash` kills 80 times (SPANWISE_CRASH_KILLS). SPANWISE_CRASH_SEED replays a run.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import random
import signal
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from db.files.outputs import MARKER
from db.records import AnnotationData, EntityData, RelationData
from db.storage.backups import list_backups
from db.store import Store
from seeds import seed_paths
from tests.robust.crash_child import (
    ANNOTATOR,
    BULK_EDIT,
    IMPORT_FILES,
    JSON_ANNOTATIONS,
    JSON_DOCUMENTS,
)
from tests.robust.helpers import (
    Child,
    State,
    annotation_key,
    document_state,
    entity_key,
    integrity,
    relation_key,
)

# "json" imports a Spanwise export through the streaming reader (issue 18), a document at a
# time inside one transaction: twice in the round, so a kill lands inside it often.
MODES = ("edits", "import", "edits", "json", "export", "flat", "folder", "backup", "json")
KILLS = int(os.environ.get("SPANWISE_CRASH_KILLS", str(len(MODES))))
SEED = int(os.environ.get("SPANWISE_CRASH_SEED", str(random.SystemRandom().randrange(10**6))))


@dataclass
class Tally:
    kills: int = 0
    by_mode: Counter[str] = field(default_factory=Counter)
    edits_reported: int = 0
    bulk_edits_reported: int = 0  # of BULK_EDIT annotations, written in bulk
    edits_lost: int = 0
    edits_in_flight: Counter[str] = field(default_factory=Counter)
    killed_inside_import: int = 0
    imports_landed_whole: int = 0
    imports_left_nothing: int = 0
    exports_checked: int = 0
    outputs_checked: Counter[str] = field(default_factory=Counter)  # whole files and folders

    def line(self) -> str:
        return (
            f"crash run (seed {SEED}): {self.kills} kills survived {dict(self.by_mode)}, "
            f"{self.edits_reported} edits reported ({self.bulk_edits_reported} in bulk), "
            f"{self.edits_lost} lost, "
            f"edits in flight at a kill: {dict(self.edits_in_flight)}, "
            f"{self.killed_inside_import} kills inside an import transaction "
            f"({self.imports_landed_whole} landed whole, {self.imports_left_nothing} left "
            f"nothing), {self.exports_checked} export files checked, whole outputs after a "
            f"kill: {dict(self.outputs_checked)}"
        )


@dataclass
class Expected:
    """What the parent knows is saved: the seed document's content and the whole batches."""

    state: State
    imports: set[str] = field(default_factory=set)
    jsons: set[str] = field(default_factory=set)


def _applied(state: State, change: dict[str, Any]) -> State:
    result = {kind: dict(items) for kind, items in state.items()}
    makers = {
        "annotations": lambda d: annotation_key(AnnotationData(**d)),
        "relations": lambda d: relation_key(RelationData(**d)),
        "entities": lambda d: entity_key(EntityData(**{**d, "mentions": tuple(d["mentions"])})),
    }
    for kind, make in makers.items():
        for key, after in change[kind]:
            if after is None:
                result[kind].pop(key, None)
            else:
                result[kind][key] = make(after)
    return result


def _differences(a: State, b: State) -> int:
    return sum(
        len(set(a[kind].items()) ^ set(b[kind].items())) for kind in ("annotations", "relations")
    ) + len(set(a["entities"].items()) ^ set(b["entities"].items()))


def _kill_at_random_moment(child: Child, mode: str, rng: random.Random) -> None:
    """Let the child work until a random report (and a random fraction of a step more), then
    SIGKILL it: between steps, inside a transaction, inside a commit, inside a file write."""
    child.wait_for("ready")
    if mode == "edits":
        lines, extra = rng.randrange(0, 150), rng.uniform(0, 0.01)
    elif mode == "import":
        lines, extra = rng.randrange(1, IMPORT_FILES + 4), rng.uniform(0, 0.005)
    elif mode == "json":
        lines, extra = rng.randrange(1, JSON_DOCUMENTS + 4), rng.uniform(0, 0.02)
    else:  # outputs: time one round, then kill somewhere inside a later one
        started = time.monotonic()
        child.wait_for(ROUND_DONE[mode])
        lines, extra = 1, rng.uniform(0, 1.2 * (time.monotonic() - started))
    seen = len(child.reports)
    deadline = time.monotonic() + 120
    while len(child.reports) < seen + lines and time.monotonic() < deadline:
        if child.read(deadline) is None:
            raise AssertionError(f"the {mode} child died by itself: {child.stderr()}")
    until = time.monotonic() + extra
    while time.monotonic() < until:
        if child.read(until) is None:
            raise AssertionError(f"the {mode} child died by itself: {child.stderr()}")
    os.kill(child.process.pid, signal.SIGKILL)
    assert child.finish() == -signal.SIGKILL


def _pending(reports: list[dict[str, Any]], start: str, end: str) -> tuple[str | None, bool]:
    """The batch started but not reported done at the kill, and whether it had begun writing
    (a progress report comes from inside the import's transaction)."""
    name: str | None = None
    progressed = False
    for report in reports:
        if start in report:
            name, progressed = report[start], False
        elif "progress" in report:
            progressed = True
        elif end in report:
            name = None
    return name, progressed


def _check_edits(
    store: Store, doc_id: str, expected: Expected, reports: list[dict[str, Any]], tally: Tally
) -> None:
    state = expected.state
    in_flight: dict[str, Any] | None = None
    for report in reports:
        if "do" in report:
            in_flight = report["do"]
        elif "done" in report:
            assert in_flight is not None
            state = _applied(state, in_flight)
            tally.edits_reported += 1
            tally.bulk_edits_reported += len(in_flight["annotations"]) >= BULK_EDIT
            in_flight = None
        elif "refused" in report:
            in_flight = None
    actual = document_state(store, doc_id)
    candidates = [state] if in_flight is None else [state, _applied(state, in_flight)]
    if actual not in candidates:
        tally.edits_lost += min(_differences(actual, c) for c in candidates)
    assert actual in candidates, f"seed {SEED}: reported edits missing or half an edit stored"
    if in_flight is not None:
        tally.edits_in_flight["landed" if actual != state else "not landed"] += 1
    expected.state = actual


def _batch_counts(store: Store, prefix: str, annotator: str) -> tuple[int, int]:
    rows = [d for d in store.documents(annotator) if d.title.startswith(prefix)]
    return len(rows), sum(d.annotation_count for d in rows)


def _check_batches(
    store: Store, expected: Expected, reports: list[dict[str, Any]], tally: Tally
) -> None:
    for report in reports:
        if "imported" in report:
            expected.imports.add(report["imported"])
        if "json_imported" in report:
            expected.jsons.add(report["json_imported"])
    whole_import = (IMPORT_FILES + 1, 0)
    whole_json = (JSON_DOCUMENTS, JSON_DOCUMENTS * JSON_ANNOTATIONS)
    for name in expected.imports:
        assert _batch_counts(store, f"Batch {name} article ", "ana") == whole_import
    for name in expected.jsons:
        assert _batch_counts(store, f"JSON {name} document ", "ana") == whole_json
    for start, end, prefix, whole, done in (
        ("import", "imported", "Batch {} article ", whole_import, expected.imports),
        ("json", "json_imported", "JSON {} document ", whole_json, expected.jsons),
    ):
        name, progressed = _pending(reports, start, end)
        if name is None:
            continue
        found = _batch_counts(store, prefix.format(name), "ana")
        assert found in (whole, (0, 0)), f"seed {SEED}: import {name} left {found} of {whole}"
        tally.killed_inside_import += progressed
        if found == whole:
            tally.imports_landed_whole += 1
            done.add(name)  # it committed just before the kill: from now on it must stay
        else:
            tally.imports_left_nothing += 1


ROUND_DONE = {
    "export": "exported",
    "flat": "flat_done",
    "folder": "folder_done",
    "backup": "backup_done",
}


def _check_outputs(
    workdir: Path,
    db: Path,
    reports: list[dict[str, Any]],
    wholes: dict[str, set[Any]],
    tally: Tally,
) -> None:
    """What a kill left under the final names: the previous output (these modes write into
    the same folder from one kill to the next) or a whole new one, never a partial one.
    `wholes` gathers every whole output reported so far."""
    for report in reports:
        if "flat" in report:
            wholes["flat"].add(report["quotes"])
        if "whole" in report:
            wholes[report["format"]].add(tuple(report["whole"]))
    quotes = workdir / "quotes.csv"
    if quotes.exists():
        assert quotes.read_bytes().endswith(b"\r\n"), f"seed {SEED}: a cut CSV"
        with quotes.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        assert rows[0][0] == "document" and len(rows) - 1 in wholes["flat"], f"seed {SEED}"
        tally.outputs_checked["flat"] += 1
    for fmt in ("brat", "uima-xmi"):
        target = workdir / fmt
        if not target.exists():
            continue
        found = tuple(sorted(str(p.relative_to(target)) for p in target.rglob("*") if p.is_file()))
        assert found in wholes[fmt], f"seed {SEED}: a partial {fmt} folder"
        assert (target / MARKER).is_file()
        tally.outputs_checked[fmt] += 1
    for backup in list_backups(db):
        assert integrity(backup.path) == ("ok", []), f"seed {SEED}: a partial {backup.path.name}"
        with contextlib.closing(sqlite3.connect(backup.path)) as copy:
            assert copy.execute("SELECT count(*) FROM document").fetchone()[0] > 0
        tally.outputs_checked["backups"] += 1


def _check_export(workdir: Path, tally: Tally) -> None:
    export = workdir / "export.json"
    if export.exists():  # the file under its final name is always whole
        data = json.loads(export.read_text(encoding="utf-8"))
        assert data["format"] == "spanwise" and data["documents"]
        tally.exports_checked += 1


def test_killed_at_random_moments_nothing_reported_is_lost(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    db = tmp_path / "crash.db"
    store = Store(db)
    store.import_texts(seed_paths())
    [doc] = store.documents(ANNOTATOR)
    expected = Expected(document_state(store, doc.id))
    store.close()
    tally = Tally()
    wholes: dict[str, set[Any]] = {"flat": set(), "brat": set(), "uima-xmi": set()}
    for kill in range(KILLS):
        mode = MODES[kill % len(MODES)]
        # outputs go to the same place from one kill to the next: the previous one is there
        workdir = tmp_path / (f"out-{mode}" if mode in ROUND_DONE else f"run-{kill}")
        workdir.mkdir(exist_ok=True)
        child = Child(["-m", "tests.robust.crash_child", str(db), str(workdir), mode, str(kill)])
        try:
            _kill_at_random_moment(child, mode, rng)
        finally:
            if child.process.poll() is None:
                child.process.kill()
                child.finish()
        assert integrity(db) == ("ok", []), f"seed {SEED}, kill {kill} ({mode})"
        store = Store(db)
        try:
            _check_edits(store, doc.id, expected, child.reports, tally)
            _check_batches(store, expected, child.reports, tally)
        finally:
            store.close()
        _check_export(workdir, tally)
        _check_outputs(workdir, db, child.reports, wholes, tally)
        tally.kills += 1
        tally.by_mode[mode] += 1
    print(tally.line())
    assert tally.edits_lost == 0
    assert tally.kills == KILLS
