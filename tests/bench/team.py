"""W9, W10, W11: the team sync against a PostgreSQL of the bench's own, each beside its floor
on the same server in the same run.

W9  an annotator's first push of 20,000 annotations; floor: a raw COPY of the same rows into
    the same table (as its owner, no row-level security).
W10 an incremental sync of 100 edits on a server holding 1,000,000 annotations.
W11 a reviewer's first pull of 10 annotators x 2,000 documents x 50 annotations (1,000,000);
    floor: a raw `COPY ... TO STDOUT` of the same rows; and the pull's memory.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from db.changes import Change, added
from db.records import new_annotation
from db.store import Store
from db.team.manage import Manager, upgrade_server
from db.team.sync import sync
from tests.bench.bench import summary as timing_summary
from tests.store_edits import update_annotation
from tests.team.cluster import Cluster, running_cluster, server_bin

ROOT = Path(__file__).resolve().parents[2]
STAMP = "2026-12-05T10:00:00.000Z"
TEXT = " ".join(f"word{i:04d}" for i in range(120))  # 1,079 characters


def available() -> bool:
    return server_bin() is not None


def _median(values: list[float]) -> float:
    return float(statistics.median(values))


def _project(cluster: Cluster, name: str) -> str:
    import psycopg

    with psycopg.connect(cluster.url(), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    address = cluster.url(database=name)
    upgrade_server(address)
    return address


def _person(cluster: Cluster, address: str, name: str, role: str, database: str) -> str:
    login = f"{database}_{name}"
    with Manager(address) as manager:
        added_person = manager.add_person(name, role, login)
    assert added_person.password is not None
    cluster.remember_password(login, added_person.password)
    return cluster.url(user=login, database=database)


def _documents(manager_address: str, count: int, annotators: list[str]) -> None:
    """`count` documents, each assigned to every one of `annotators`, straight in SQL."""
    import psycopg

    with psycopg.connect(manager_address) as connection:
        connection.execute(
            "INSERT INTO spanwise.document (id, sha256, title, source, text, imported_at, "
            "position) SELECT 'd' || g, encode(sha256(convert_to(%s || g, 'UTF8')), 'hex'), "
            "'Document ' || g, 'd' || g || '.txt', %s || g, %s, g "
            "FROM generate_series(1, %s) AS g",
            (TEXT, TEXT, STAMP, count),
        )
        connection.execute(
            "INSERT INTO spanwise.assignment (document_id, annotator) "
            "SELECT d.id, a FROM spanwise.document d, unnest(%s::text[]) AS a",
            (annotators,),
        )
        connection.execute(
            "INSERT INTO spanwise.label_schema (id, labels, relation_types, entity_types) "
            "VALUES (1, %s, %s, %s)",
            _schema_rows(),
        )
        connection.commit()


def _schema_rows() -> tuple[str, str, str]:
    from db.schema.label_schema import load_schema
    from db.team.server_schema import schema_json

    data = schema_json(load_schema())
    return (
        json.dumps(data["labels"]),
        json.dumps(data["relations"]),
        json.dumps(data["entity_types"]),
    )


# -- W9 ---------------------------------------------------------------------------------------


def w9(work: Path, cluster: Cluster, scale: float, runs: int) -> dict[str, object]:
    total = max(int(20_000 * scale), 100)
    documents = 100 if total >= 10_000 else 10
    address = _project(cluster, "bench_w9")
    ana = _person(cluster, address, "ana", "annotator", "bench_w9")
    _documents(address, documents, ["ana"])
    laptop = work / "w9-ana.db"
    store = Store(laptop)
    sync(store, ana)
    per_document = total // documents
    for summary in store.documents("ana"):
        records = [
            new_annotation(summary.id, "ana", "Quote", k * 5, k * 5 + 4, {"kind": "direct"})
            for k in range(per_document)
        ]
        store.apply(Change("Add", tuple(added(r) for r in records)))
    rows = _server_rows(store)
    store.close()
    pristine = work / "w9-pristine.db"
    shutil.copy(laptop, pristine)
    for suffix in ("-wal", "-shm"):
        if laptop.with_name(laptop.name + suffix).exists():
            shutil.copy(
                laptop.with_name(laptop.name + suffix), pristine.with_name(pristine.name + suffix)
            )

    import psycopg

    def reset() -> None:
        with psycopg.connect(address) as connection:
            connection.execute("DELETE FROM spanwise.annotation")
            connection.execute("DELETE FROM spanwise.status")
            connection.commit()

    times, floor = [], []
    for _ in range(runs):
        reset()
        for suffix in ("", "-wal", "-shm"):
            source = pristine.with_name(pristine.name + suffix)
            target = laptop.with_name(laptop.name + suffix)
            if source.exists():
                shutil.copy(source, target)
            else:
                target.unlink(missing_ok=True)
        store = Store(laptop)
        started = time.perf_counter()
        report = sync(store)
        times.append(time.perf_counter() - started)
        assert report.pushed.written["annotation"] == total, report.describe()
        store.close()
        reset()
        with psycopg.connect(address) as connection:
            started = time.perf_counter()
            with connection.cursor().copy(
                'COPY spanwise.annotation (id, document_id, annotator, label, start, "end", '
                "attributes, note, created, modified, fragments, deleted) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)
            connection.commit()
            floor.append(time.perf_counter() - started)
    result = timing_summary(times, floor, False)
    result["met"] = result["ratio"] is not None and float(result["ratio"]) <= 3  # type: ignore[arg-type]
    result["annotations"] = total
    return result


def _server_rows(store: Store) -> list[tuple[Any, ...]]:
    rows = []
    for summary in store.documents("ana"):
        for a in store.annotations(summary.id, "ana"):
            rows.append(
                (
                    a.id,
                    a.document_id,
                    "ana",
                    a.label,
                    a.start,
                    a.end,
                    json.dumps(a.attributes),
                    a.note,
                    a.created,
                    a.modified,
                    None,
                    False,
                )
            )
    return rows


# -- W10 and W11 ------------------------------------------------------------------------------


def big_server(cluster: Cluster, scale: float) -> tuple[str, str, str, int]:
    """10 annotators x 2,000 documents x 50 annotations (scaled): the manager's, ana's and the
    reviewer's addresses, and the number of annotations."""
    documents = max(int(2_000 * scale), 10)
    address = _project(cluster, "bench_big")
    ana = _person(cluster, address, "ana", "annotator", "bench_big")
    rita = _person(cluster, address, "rita", "reviewer", "bench_big")
    names = ["ana"] + [f"annotator{i}" for i in range(1, 10)]
    import psycopg

    with psycopg.connect(address) as connection:
        connection.execute(
            "INSERT INTO spanwise.person (name, login, role) "
            "SELECT n, 'bench_big_' || n, 'annotator' FROM unnest(%s::text[]) AS n",
            (names[1:],),
        )
        connection.commit()
    _documents(address, documents, names)
    with psycopg.connect(address) as connection:
        connection.execute(
            'INSERT INTO spanwise.annotation (id, document_id, annotator, label, start, "end", '
            "attributes, note, created, modified) "
            "SELECT md5(a || '/' || d || '/' || k), 'd' || d, a, "
            "CASE WHEN k %% 3 = 0 THEN 'Quote' WHEN k %% 3 = 1 THEN 'Speaker' ELSE 'Cue' END, "
            "k * 20, k * 20 + 8, "
            "CASE WHEN k %% 3 = 0 THEN '{\"kind\": \"direct\"}'::jsonb ELSE '{}'::jsonb END, "
            "NULL, %s, %s "
            "FROM unnest(%s::text[]) AS a, generate_series(1, %s) AS d, "
            "generate_series(0, 49) AS k",
            (STAMP, STAMP, names, documents),
        )
        connection.execute("ANALYZE")
        connection.commit()
    return address, ana, rita, len(names) * documents * 50


def w10(work: Path, ana: str, runs: int) -> dict[str, object]:
    laptop = work / "w10-ana.db"
    store = Store(laptop)
    sync(store, ana)  # ana's first pull: her documents and her 100,000 annotations
    mine = [a for d in store.documents("ana")[:20] for a in store.annotations(d.id, "ana")][:100]
    times = []
    for run in range(runs):
        for record in mine:
            update_annotation(store, record.id, note=f"checked, round {run}")
        started = time.perf_counter()
        report = sync(store)
        times.append(time.perf_counter() - started)
        assert report.pushed.written["annotation"] == len(mine), report.describe()
    store.close()
    result = timing_summary(times, None, False)
    result["met"] = float(result["median_s"]) <= 1.0  # type: ignore[arg-type]
    return result


PULL_CHILD = """
import json, resource, sys, time
from db.store import Store
from db.team.sync import sync
store = Store(sys.argv[1])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
report = sync(store, sys.argv[2])
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
store.close()
print(json.dumps({"seconds": elapsed, "before_kb": before, "peak_kb": peak,
                  "pulled": report.pulled.written.get("annotation", 0)}))
"""


def w11(work: Path, manager: str, rita: str, annotations: int, runs: int) -> dict[str, object]:
    import psycopg

    times, floor, extra, peaks = [], [], [], []
    for run in range(runs):
        laptop = work / f"w11-rita-{run}.db"
        output = subprocess.run(
            [sys.executable, "-c", PULL_CHILD, str(laptop), rita],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ},
        )
        measured = json.loads(output.stdout.strip().splitlines()[-1])
        assert measured["pulled"] == annotations, measured
        times.append(measured["seconds"])
        extra.append((measured["peak_kb"] - measured["before_kb"]) / 1024)
        peaks.append(measured["peak_kb"] / 1024)
        for suffix in ("", "-wal", "-shm"):
            laptop.with_name(laptop.name + suffix).unlink(missing_ok=True)
        with psycopg.connect(manager) as connection:
            started = time.perf_counter()
            with connection.cursor().copy(
                'COPY (SELECT id, document_id, annotator, label, start, "end", attributes, note, '
                "created, fragments, modified, deleted, txid FROM spanwise.annotation) TO STDOUT"
            ) as copy:
                for _data in copy:
                    pass
            floor.append(time.perf_counter() - started)
    result = timing_summary(times, floor, False)
    extra_mb = round(_median(extra))
    result["extra_mb"] = extra_mb
    result["peak_rss_mb"] = round(_median(peaks))
    result["annotations"] = annotations
    ratio = result["ratio"]
    result["met"] = ratio is not None and float(ratio) <= 3 and extra_mb <= 500  # type: ignore[arg-type]
    return result


def team_workloads(work: Path, scale: float, runs: int) -> dict[str, dict[str, object]]:
    with running_cluster() as cluster:
        os.environ.update(cluster.environment())
        results = {"W9": w9(work, cluster, scale, runs)}
        manager, ana, rita, annotations = big_server(cluster, scale)
        results["W10"] = w10(work, ana, runs)
        results["W11"] = w11(work, manager, rita, annotations, min(runs, 3))
    return results
