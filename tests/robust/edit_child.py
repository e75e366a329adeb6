"""A second Spanwise writing to the same database: `python -m tests.robust.edit_child DB
ANNOTATOR COUNT` opens a Store, says `ready`, waits for a line on standard input (so that two
of them start together), then adds COUNT annotations through the store API, reporting each
one saved (`saved`) or refused with a clear message (`refused`). Any other error is a
traceback and a non-zero exit, which the test counts as a failure."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from db.errors import DatabaseProblem
from db.store import Store


def report(**fields: object) -> None:
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def main() -> None:
    db, annotator, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    store = Store(db)
    [doc] = store.documents(annotator)[:1]
    length = len(store.document(doc.id).text)
    report(ready=True)
    sys.stdin.readline()
    for index in range(count):
        start = (index * 7) % (length - 10)
        try:
            record = store.add_annotation(doc.id, annotator, "Quote", start, start + 5)
        except DatabaseProblem as exc:
            report(refused=str(exc))
            continue
        report(saved=record.id)
    store.close()
    report(finished=True)


if __name__ == "__main__":
    main()
