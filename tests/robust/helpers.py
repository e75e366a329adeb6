"""Shared by the robustness tests and their child processes: a database's content as plain
comparable data, valid exports to start from, and a way to read a child's reports."""

from __future__ import annotations

import contextlib
import json
import os
import random
import select
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from db.files.text_files import text_sha256
from db.records import AnnotationData, EntityData, RelationData
from db.store import Store

ROBUST = Path(__file__).parent
ROOT = ROBUST.parents[1]
STAMP = "2026-01-01T00:00:00.000Z"
# A text with every kind of character that changes lengths between Python, UTF-8 and Qt.
TRICKY_TEXT = (
    "Zelensky said: “We will not give up” 🇺🇦 — naïve café\r\n"
    "Le président a déclaré «non» e\u0301te\u0301.\r"
    "מה שלום? مرحبا بالعالم\u2028line\u2029para 👩\u200d👩\u200d👧 family\n"
    "NBSP\u00a0here, zero\u200bwidth, 𝕏 math, tab\tend.\n"
)

State = dict[str, dict[str, tuple[Any, ...]]]


def annotation_key(record: AnnotationData) -> tuple[Any, ...]:
    return (
        record.document_id,
        record.annotator,
        record.label,
        record.start,
        record.end,
        json.dumps(record.attributes, sort_keys=True),
        record.note,
        tuple(tuple(f) for f in record.fragments),
    )


def relation_key(link: RelationData) -> tuple[Any, ...]:
    return link.content()


def entity_key(entity: EntityData) -> tuple[Any, ...]:
    return (
        entity.document_id,
        entity.annotator,
        entity.name,
        entity.label,
        *sorted(entity.mentions),
    )


def document_state(store: Store, document_id: str) -> State:
    """One document's annotations, links and entities, keyed by id."""
    return {
        "annotations": {a.id: annotation_key(a) for a in store.annotations(document_id)},
        "relations": {r.id: relation_key(r) for r in store.relations(document_id)},
        "entities": {e.id: entity_key(e) for e in store.entities(document_id)},
    }


def integrity(path: Path) -> tuple[str, list[Any]]:
    """SQLite's integrity check and the foreign keys that point at nothing."""
    with contextlib.closing(sqlite3.connect(path)) as connection:
        check = connection.execute("PRAGMA integrity_check").fetchone()[0]
        broken = connection.execute("PRAGMA foreign_key_check").fetchall()
    return check, broken


def dump(path: Path) -> list[str]:
    """Every row of a database as SQL, to show that nothing changed."""
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return list(connection.iterdump())


def counts(path: Path) -> dict[str, int]:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        tables = ("document", "annotation", "relation", "entity", "annotator", "label")
        return {t: connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def news_export(
    documents: list[dict[str, Any]], labels: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """A v1 export around `documents`, with the news schema's labels and link types."""
    from db.schema.label_schema import load_schema

    schema = load_schema()
    return {
        "format": "spanwise",
        "version": 1,
        "exported_at": STAMP,
        "labels": labels if labels is not None else [label.to_json() for label in schema.labels],
        "relation_types": [r.to_json() for r in schema.relation_types],
        "entity_types": list(schema.entity_types),
        "documents": documents,
    }


def document_json(
    text: str, title: str, rng: random.Random, annotations: int, annotator: str = "ana"
) -> dict[str, Any]:
    """A document with `annotations` Quotes and Speakers, each Quote linked to a Speaker, and
    the Speakers in one entity: every part of the format, all of it valid."""
    sha = text_sha256(text)
    doc_id = sha[:16]
    items: list[dict[str, Any]] = []
    for index in range(annotations):
        start = rng.randrange(0, len(text) - 1)
        end = rng.randrange(start + 1, min(len(text), start + 40) + 1)
        label = "Quote" if index % 2 == 0 else "Speaker"
        items.append(
            {
                "id": f"{doc_id}-a{index}",
                "annotator": annotator,
                "label": label,
                "start": start,
                "end": end,
                "text": text[start:end],
                "attributes": {"kind": "direct"} if label == "Quote" else {},
                "note": None if index % 3 else f"note {index} ✓",
                "created": STAMP,
                "modified": STAMP,
            }
        )
    relations = [
        {
            "id": f"{doc_id}-r{index}",
            "annotator": annotator,
            "type": "speaker",
            "source": items[index]["id"],
            "target": items[index + 1]["id"],
        }
        for index in range(0, annotations - 1, 2)
    ]
    speakers = [item["id"] for item in items if item["label"] == "Speaker"]
    entities = (
        [
            {
                "id": f"{doc_id}-e0",
                "annotator": annotator,
                "name": "Someone",
                "label": "person",
                "mentions": speakers,
            }
        ]
        if speakers
        else []
    )
    return {
        "id": doc_id,
        "title": title,
        "source": f"{title}.txt",
        "text": text,
        "sha256": sha,
        "imported_at": STAMP,
        "status": {annotator: "in progress"},
        "annotations": items,
        "relations": relations,
        "entities": entities,
    }


class Child:
    """A helper process that reports one JSON object per line on its standard output."""

    def __init__(self, args: list[str], env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            [sys.executable, *args],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, **(env or {})},
        )
        assert self.process.stdout is not None
        self._fd = self.process.stdout.fileno()
        self._buffer = b""
        self.reports: list[dict[str, Any]] = []

    def _take_lines(self) -> list[dict[str, Any]]:
        *lines, self._buffer = self._buffer.split(b"\n")
        new = [json.loads(line) for line in lines if line]
        self.reports.extend(new)
        return new

    def read(self, until: float) -> list[dict[str, Any]] | None:
        """Reports that arrive before the monotonic deadline `until`; None at end of output."""
        timeout = max(0.0, until - time.monotonic())
        ready, _, _ = select.select([self._fd], [], [], timeout)
        if not ready:
            return []
        chunk = os.read(self._fd, 65536)
        if not chunk:
            return None
        self._buffer += chunk
        return self._take_lines()

    def wait_for(self, key: str, deadline_s: float = 60.0) -> dict[str, Any]:
        """Read until a report with `key` arrives (or fail after a generous deadline)."""
        until = time.monotonic() + deadline_s
        while time.monotonic() < until:
            new = self.read(until)
            if new is None:
                raise AssertionError(f"child ended before '{key}': {self.stderr()}")
            for report in new:
                if key in report:
                    return report
        raise AssertionError(f"no '{key}' from the child within {deadline_s} s")

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line.encode() + b"\n")
        self.process.stdin.flush()

    def drain(self) -> None:
        """After the child is gone: every complete report it wrote before it died."""
        while True:
            chunk = os.read(self._fd, 65536)
            if not chunk:
                break
            self._buffer += chunk
        self._take_lines()

    def finish(self, deadline_s: float = 120.0) -> int:
        code = self.process.wait(deadline_s)
        self.drain()
        self.close()
        return code

    def stderr(self) -> str:
        if self.process.poll() is None:
            return "(still running)"
        assert self.process.stderr is not None
        return self.process.stderr.read().decode(errors="replace")[-3000:]

    def close(self) -> None:
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
