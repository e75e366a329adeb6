"""`make bench` still runs: a tiny version of it, no timing judged (that is the benchmark's
job, never the tests')."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_benchmark_runs_and_writes_every_workload(tmp_path):
    out = tmp_path / "bench-results.json"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "SPANWISE_BENCH_SCALE": "0.005",
        "SPANWISE_BENCH_RUNS": "1",
        "SPANWISE_BENCH_OUT": str(out),
    }
    result = subprocess.run(
        [sys.executable, "-m", "tests.bench.bench"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    from tests.team.cluster import server_bin

    last = 11 if server_bin() is not None else 8  # W9-W11 need a PostgreSQL
    corpus = ["W12", "W13", "W14"]  # issue 18's 50,000-document corpus
    assert sorted(data["workloads"]) == sorted(
        [f"W{i}" for i in range(1, last + 1)] + ["H2", *corpus]
    )
    formats = {"spanwise", "text", "brat", "parc-brat", "uima-xmi", "uima-json", "doccano"}
    formats |= {"label-studio", "webanno-tsv"}
    assert formats <= set(data["H1_import_memory"])  # every format Spanwise imports
    assert all("factor" in measured for measured in data["H1_import_memory"].values())
    for name, workload in data["workloads"].items():
        assert {"median_s", "min_s", "max_s", "floor_median_s", "ratio", "target", "met"} <= set(
            workload
        ), name
    assert "W1" in result.stdout and "met" in result.stdout
