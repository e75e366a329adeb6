"""W12's floor: a Spanwise export (one document a line, as Spanwise writes it) read a
document at a time with json, written with executemany into tables of the same shape."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path
from typing import Any


def annotation_values(a: dict[str, Any], document_id: str) -> tuple[Any, ...]:
    """An exported annotation as the floors' plain table holds it."""
    return (
        a["id"],
        document_id,
        a["annotator"],
        a["label"],
        a["start"],
        a["end"],
        json.dumps(a["attributes"]),
        a["note"],
        a["created"],
        a["modified"],
    )


def main(source: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    connection = sqlite3.connect(target)
    connection.execute("CREATE TABLE document (id PRIMARY KEY, title, source, text, sha256)")
    connection.execute(
        "CREATE TABLE annotation (id PRIMARY KEY, document_id, annotator, label, start, "
        "end, attributes, note, created, modified)"
    )
    connection.execute("CREATE TABLE relation (id PRIMARY KEY, type, source, target)")
    with source.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.startswith("  {"):
                continue
            d = json.loads(line.rstrip().rstrip(","))
            connection.execute(
                "INSERT INTO document VALUES (?, ?, ?, ?, ?)",
                (d["id"], d["title"], d["source"], d["text"], d["sha256"]),
            )
            connection.executemany(
                "INSERT INTO annotation VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [annotation_values(a, d["id"]) for a in d["annotations"]],
            )
            connection.executemany(
                "INSERT INTO relation VALUES (?, ?, ?, ?)",
                [(r["id"], r["type"], r["source"], r["target"]) for r in d["relations"]],
            )
    connection.commit()
    connection.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
