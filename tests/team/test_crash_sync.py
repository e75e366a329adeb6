"""Syncs cut short: a client killed with SIGKILL mid-sync, and connections dropped mid-sync
by the server (pg_terminate_backend). After every kill the laptop's database is sound and
holds every edit it reported saved; at the end one more sync brings the server to exactly the
laptop's work: 0 lost, 0 duplicated.

`make test` cuts 2 syncs of each kind; `make crash` 20 (SPANWISE_SYNC_CRASHES).
SPANWISE_CRASH_SEED replays a run.
"""

from __future__ import annotations

import os
import random
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from db.store import Store
from db.team.manage import Manager
from db.team.sync import sync
from tests.robust.helpers import Child, integrity
from tests.team.conftest import MakeProject, Project
from tests.team.sync_child import digest

CUTS = int(os.environ.get("SPANWISE_SYNC_CRASHES", "2"))
SEED = int(os.environ.get("SPANWISE_CRASH_SEED", str(random.SystemRandom().randrange(10**6))))
ARTICLE = "Ana Alves said the bridge would open in May. “We are ready,” she told reporters. " * 8


@dataclass
class Run:
    """The cuts so far, and the child being cut."""

    project: Project
    database: Path
    rng: random.Random
    kills: int = 0
    drops: int = 0
    missed: int = 0  # cuts that came after the sync had ended
    duration: float = 0.3  # of an uncut sync: the cuts land within it
    child: Child | None = None
    saved: dict[str, Any] = field(default_factory=dict)

    @property
    def done(self) -> bool:
        return self.kills >= CUTS and self.drops >= CUTS


def _next(child: Child, keys: tuple[str, ...], until: float) -> dict[str, Any] | None:
    """The child's next unread report with one of `keys` (reports are read in order, each
    once: `child.seen` counts those looked at), or None at `until`."""
    while True:
        while child.seen < len(child.reports):  # type: ignore[attr-defined]
            report = child.reports[child.seen]  # type: ignore[attr-defined]
            child.seen += 1  # type: ignore[attr-defined]
            if any(key in report for key in keys):
                return report
        if time.monotonic() >= until or child.read(until) is None:
            return None


def _outcome(child: Child, until: float) -> dict[str, Any] | None:
    """The child's word on its sync (synced, or sync_failed) before `until`, else None."""
    return _next(child, ("synced", "sync_failed"), until)


def _wait(child: Child, key: str) -> dict[str, Any]:
    report = _next(child, (key,), time.monotonic() + 120)
    assert report is not None, f"no {key} from the child: {child.stderr()}"
    return report


def _round(run: Run, attempt: int) -> None:
    if run.child is None:
        run.child = Child(["-m", "tests.team.sync_child", str(run.database), str(SEED + attempt)])
        run.child.seen = 0  # type: ignore[attr-defined]
        _wait(run.child, "ready")
    else:
        run.child.send("go")
    child = run.child
    run.saved = _wait(child, "saved")
    _wait(child, "sync_start")
    started = time.monotonic()
    kill = run.kills < CUTS and (run.drops >= CUTS or run.rng.random() < 0.5)
    finished = _outcome(child, started + run.rng.uniform(0.0, 1.1 * run.duration))
    if finished is not None and "synced" in finished:
        run.duration = max(0.05, time.monotonic() - started)
    if kill:
        os.kill(child.process.pid, signal.SIGKILL)
        child.process.wait()
        child.drain()
        run.child = None
        hit = finished is None and _outcome(child, 0) is None
        child.close()
        _check_laptop(run)
        run.kills += hit
        run.missed += not hit
        return
    with run.project.connect(autocommit=True) as manager:
        manager.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s",
            (run.project.logins["ana"],),
        )
    outcome = finished or _outcome(child, time.monotonic() + 120)
    assert outcome is not None, child.stderr()
    if "sync_failed" in outcome:
        assert "\n" not in outcome["sync_failed"]  # one line for the user
        run.drops += 1
    else:
        run.missed += 1


def _check_laptop(run: Run) -> None:
    assert integrity(run.database) == ("ok", []), f"seed {SEED}"
    store = Store(run.database)
    try:
        expected = (run.saved["saved"], run.saved["digest"])
        assert digest(store, "ana") == expected, f"seed {SEED}: saved edits missing"
    finally:
        store.close()


def test_syncs_cut_mid_way_lose_and_duplicate_nothing(
    make_project: MakeProject, texts, tmp_path: Path
) -> None:
    project = make_project(("ana",), ("rita",))
    with Manager(project.manager) as manager:
        manager.publish(texts(ARTICLE, ARTICLE.upper()))
        manager.assign(["ana"])
    database = tmp_path / "ana.db"
    store = Store(database)
    sync(store, project.address("ana"))
    store.close()
    run = Run(project, database, random.Random(SEED))
    try:
        for attempt in range(8 * CUTS):
            if run.done:
                break
            _round(run, attempt)
    finally:
        if run.child is not None:
            run.child.process.stdin.close()  # type: ignore[union-attr]
            run.child.finish()
    assert run.done, f"seed {SEED}: only {run.kills} kills and {run.drops} drops landed"

    store = Store(database)
    try:
        assert sync(store).waiting == 0
        local = digest(store, "ana")
        ids = {a.id for d in store.documents("ana") for a in store.annotations(d.id, "ana")}
    finally:
        store.close()
    with project.connect() as manager:
        rows = manager.execute(
            "SELECT id FROM spanwise.annotation WHERE annotator = 'ana' AND NOT deleted"
        ).fetchall()
    assert len(rows) == len({r[0] for r in rows}) == len(ids)  # 0 duplicated
    assert {r[0] for r in rows} == ids  # 0 lost on the server
    reviewer = Store(tmp_path / "rita.db")
    try:
        sync(reviewer, project.address("rita"))
        assert digest(reviewer, "ana") == local  # and a reviewer gets exactly that
    finally:
        reviewer.close()
    print(
        f"sync crash run (seed {SEED}): {run.kills} client kills and {run.drops} dropped "
        f"connections mid-sync ({run.missed} cuts came after a sync had ended), "
        f"{len(ids)} annotations: 0 lost, 0 duplicated"
    )
