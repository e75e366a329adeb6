"""The process test_crash_sync.py kills or cuts off: it edits its database in batches the way
the window does (through Store.apply) and syncs after each batch, reporting every step on
standard output (one JSON object a line, written after the step returned). Between rounds it
waits for a line on standard input, so a kill always lands in a sync (or between rounds).

    python -m tests.team.sync_child DB SEED   (the database is linked to its server already)
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import random
import sys
from typing import Any

from db.changes import Change, merged, updated
from db.edits import add_annotation
from db.records import new_annotation
from db.store import Store
from db.team.connect import ServerProblem
from db.team.sync import sync


def report(**fields: Any) -> None:
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def digest(store: Store, name: str) -> tuple[int, str]:
    """How many of `name`'s annotations, and a hash of all of them (id and content)."""
    rows = sorted(
        (a.id, a.label, a.start, a.end, a.note or "")
        for d in store.documents(name)
        for a in store.annotations(d.id, name)
    )
    return len(rows), hashlib.sha256(json.dumps(rows).encode()).hexdigest()


def batch(store: Store, name: str, rng: random.Random) -> Change:
    """Many new annotations (so a push takes a while), some notes edited, some deleted."""
    documents = store.documents(name)
    doc = rng.choice(documents).id
    text = store.document(doc).text
    changes = []
    for _ in range(rng.randrange(100, 300)):
        start = rng.randrange(0, len(text) - 1)
        record = new_annotation(doc, name, "Cue", start, start + 1)
        changes.append(add_annotation(record, text))
    existing = store.annotations(doc, name)
    for record in rng.sample(existing, min(len(existing), rng.randrange(0, 20))):
        if rng.random() < 0.5:
            changes.append(store.deletion_change(record.id))
        else:
            after = dataclasses.replace(record, note=f"note {rng.randrange(10**6)}")
            changes.append(Change("Note", (updated(record, after),)))
    return merged("Batch", changes)


def main() -> int:
    path, seed = sys.argv[1], int(sys.argv[2])
    rng = random.Random(seed)
    store = Store(path)
    name = store.setting("team_name") or ""
    report(ready=True)
    while True:
        change = batch(store, name, rng)
        store.apply(change)
        count, hashed = digest(store, name)
        report(saved=count, digest=hashed)
        report(sync_start=True)
        try:
            result = sync(store)
            report(synced=result.pushed.total)
        except ServerProblem as exc:
            report(sync_failed=str(exc))
        if not sys.stdin.readline():
            return 0


if __name__ == "__main__":
    sys.exit(main())
