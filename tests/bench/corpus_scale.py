"""W12-W14 (issue 18): a 50,000-document corpus. Each step runs in a child process, so that
its peak memory (VmHWM, tests/bench/peak.py) is its own; floors are timed in the same run.

- W12: `spanwise import` of a 50,000-document export into an empty database, beside the
  floor (the same file read a document at a time with json + executemany into plain
  tables); the export of that database is timed too.
- W13: `spanwise agree ana ben` over 10,000 documents (and three annotators' files imported
  one after another onto the same 10,000 documents).
- W14: the window's start (`gui --screenshot`, whole process) at 50,000 documents against the
  same at 1,000.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from db.formats.spanwise_json import FORMAT, VERSION, document_json, write_export
from db.schema.label_schema import load_schema
from db.store import Store
from tests.bench import data

ROOT = Path(__file__).resolve().parents[2]
NAMES = ("W12", "W13", "W14")


def run(args: list[str]) -> tuple[float, float]:
    """Seconds and peak MB (tests/bench/peak.py) of a child Python process, which must
    succeed."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with tempfile.NamedTemporaryFile(suffix=".peak", delete=False) as handle:
        peak_file = Path(handle.name)
    start = time.perf_counter()
    child = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "tests.bench.peak", str(peak_file), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert child.stderr is not None
    _pid, status = os.waitpid(child.pid, 0)
    seconds = time.perf_counter() - start
    error = child.stderr.read().decode("utf-8", "replace")
    child.stderr.close()
    child.returncode = os.waitstatus_to_exitcode(status)
    peak = int(peak_file.read_text(encoding="ascii") or 0) / 1024
    peak_file.unlink()
    if child.returncode:
        raise RuntimeError(f"{' '.join(args)} failed ({child.returncode}):\n{error[-2000:]}")
    return seconds, peak


def cli(database: Path, *args: str) -> list[str]:
    return ["-m", "desktop.cli", "--db", str(database), *args]


def write_corpus(path: Path, documents: int) -> float:
    """A Spanwise export of `documents` generated documents, written one at a time; MB."""
    schema = load_schema()
    head: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": "2026-12-05T00:00:00.000Z",
        "labels": [label.to_json() for label in schema.labels],
        "relation_types": [relation.to_json() for relation in schema.relation_types],
        "entity_types": list(schema.entity_types),
        "documents": (
            {**document_json(item), "id": f"article-{index}"}
            for index, item in enumerate(data.corpus_stream(documents))
        ),
    }
    with path.open("w", encoding="utf-8") as handle:
        write_export(head, handle)
    return path.stat().st_size / 1048576


def empty_database(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    Store(path).close()  # creating the empty database is not the import
    return path


def _result(times: list[float], floor: list[float] | None, **extra: Any) -> dict[str, Any]:
    median = statistics.median(times)
    floor_median = statistics.median(floor) if floor else None
    return {
        "median_s": round(median, 3),
        "min_s": round(min(times), 3),
        "max_s": round(max(times), 3),
        "floor_median_s": round(floor_median, 3) if floor_median else None,
        "ratio": round(median / floor_median, 2) if floor_median else None,
        **extra,
    }


def w12(work: Path, scale: float, runs: int) -> tuple[dict[str, Any], Path]:
    count = max(4, int(50_000 * scale))
    export = work / "w12.json"
    size = write_corpus(export, count)
    times, peaks, floor, floor_peaks = [], [], [], []
    database = work / "w12.db"
    for _ in range(runs):
        seconds, peak = run(cli(empty_database(database), "import", str(export)))
        times.append(seconds)
        peaks.append(peak)
        seconds, peak = run(["-m", "tests.bench.corpus_child", str(export), str(work / "f.db")])
        floor.append(seconds)
        floor_peaks.append(peak)
    out = work / "w12-out.json"
    export_s, export_peak = run(cli(database, "export", "-o", str(out)))
    result = _result(
        times,
        floor,
        documents=count,
        file_mb=round(size, 1),
        peak_mb=round(max(peaks), 1),
        floor_peak_mb=round(max(floor_peaks), 1),
        export_s=round(export_s, 2),
        export_peak_mb=round(export_peak, 1),
    )
    ratio = result["ratio"] or 99
    result["met"] = ratio <= 3 and result["peak_mb"] <= 500
    return result, database


def w13(work: Path, scale: float, runs: int) -> dict[str, Any]:
    count = max(4, int(10_000 * scale))
    both = work / "w13.json"
    write_corpus(both, count)
    database = empty_database(work / "w13.db")
    imported, _peak = run(cli(database, "import", str(both)))
    files = []
    for who in ("ana", "ben"):
        path = work / f"w13-{who}.json"
        run(cli(database, "export", "--annotator", who, "-o", str(path)))
        files.append(path)
    cat = work / "w13-cat.json"  # a third annotator: ben's work under another name
    text = files[1].read_text(encoding="utf-8")
    cat.write_text(text.replace('"ben"', '"cat"').replace("-ben-", "-cat-"), encoding="utf-8")
    files.append(cat)
    three = empty_database(work / "w13-three.db")
    start = time.perf_counter()
    for path in files:
        run(cli(three, "import", "--allow-protected-names", str(path)))
    three_s = time.perf_counter() - start
    times, peaks = [], []
    for _ in range(runs):
        seconds, peak = run(cli(database, "agree", "ana", "ben"))
        times.append(seconds)
        peaks.append(peak)
    baseline, base_peak = run(
        ["-c", "import desktop.cli.main, db.agreement.measure"]
    )  # the code alone
    result = _result(
        times,
        None,
        documents=count,
        import_s=round(imported, 2),
        three_annotators_s=round(three_s, 2),
        peak_mb=round(max(peaks), 1),
        extra_mb=round(max(peaks) - base_peak, 1),
        start_s=round(baseline, 2),
    )
    result["met"] = result["median_s"] <= 5 and result["extra_mb"] <= 300
    return result


def w14(work: Path, scale: float, runs: int, large: Path | None) -> dict[str, Any]:
    small = empty_database(work / "w14-small.db")
    export = work / "w14-small.json"
    write_corpus(export, max(2, int(1000 * scale)))
    run(cli(small, "import", str(export)))
    if large is None:
        large = empty_database(work / "w14-large.db")
        export = work / "w14-large.json"
        write_corpus(export, max(4, int(50_000 * scale)))
        run(cli(large, "import", str(export)))
    shot = work / "w14.png"
    times, floor = [], []
    for _ in range(runs):  # alternating, so that machine noise falls on both alike
        times.append(run(cli(large, "--annotator", "ana", "gui", "--screenshot", str(shot)))[0])
        floor.append(run(cli(small, "--annotator", "ana", "gui", "--screenshot", str(shot)))[0])
    result = _result(times, floor, documents=max(4, int(50_000 * scale)))
    result["met"] = (result["ratio"] or 99) <= 1.1
    return result


def workloads(work: Path, scale: float, runs: int, only: set[str]) -> dict[str, dict[str, Any]]:
    results: dict[str, dict[str, Any]] = {}
    large = None
    if "W12" in only:
        results["W12"], large = w12(work, scale, max(1, runs - 2))
    if "W13" in only:
        results["W13"] = w13(work, scale, runs)
    if "W14" in only:
        results["W14"] = w14(work, scale, runs, large)
    return results


def table(results: dict[str, dict[str, Any]]) -> str:
    return "\n".join(f"{name}: {json.dumps(result)}" for name, result in results.items())
