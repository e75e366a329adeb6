"""H2: opening a document on which a file stacked a million identical spans (issue 13: a
24 MB brat .ann, 183 s and 2 GB before). The window must show the document at once and be
ready for input after its rows are read; the floor is reading those rows with plain sqlite3,
the least any implementation must do. Each side runs in its own process.

    python -m tests.bench.stacked_window           # build, measure, print one JSON object
    python -m tests.bench.stacked_window window DB | floor DB
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[2]
SCALE = float(os.environ.get("SPANWISE_BENCH_SCALE", "1"))


def _peak_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:  # noqa: PTH123
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def window(database: str) -> dict[str, float]:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from desktop.app import create_window

    app = QApplication.instance() or QApplication([])
    settings = QSettings(str(Path(database).with_suffix(".ini")), QSettings.Format.IniFormat)
    start = time.perf_counter()
    win = create_window(database, "brat", settings)
    win.resize(1440, 900)
    win.show()
    win.article.viewport().repaint()
    shown = time.perf_counter() - start
    app.processEvents()  # the rest of the rows load before any input is handled
    win.article.viewport().repaint()
    ready = time.perf_counter() - start
    drawn = len(win.article.extraSelections())
    spans = len(win.doc)
    win.close()
    win.store.close()
    return {"shown_s": shown, "ready_s": ready, "spans": spans, "selections": drawn,
            "peak_mb": _peak_mb()}  # fmt: skip


def floor(database: str) -> dict[str, float]:
    start = time.perf_counter()
    connection = sqlite3.connect(database)
    rows = connection.execute(
        'SELECT id, document_id, annotator_id, label_id, start, "end", attributes, note, '
        "created, modified, fragments FROM annotation"
    ).fetchall()
    connection.close()
    return {"read_s": time.perf_counter() - start, "rows": len(rows)}


def build(work: Path) -> Path:
    from db.formats.batch_import import import_paths
    from db.import_consent import TRUSTED
    from db.store import Store
    from tests.bench.import_memory import stacked_brat

    spans = max(1000, int(1_000_000 * SCALE))
    folder = work / "stacked"
    stacked_brat(folder, spans)
    database = work / "stacked.db"
    store = Store(database)
    import_paths(store, [folder], fmt="brat", consent=TRUSTED)
    store.close()
    return database


def _child(mode: str, database: Path) -> dict[str, Any]:
    from tests.bench.import_memory import json_child

    return json_child("tests.bench.stacked_window", mode, str(database))


def measure(work: Path, runs: int = 3) -> dict[str, object]:
    work = work / "w10"
    work.mkdir()
    database = build(work)
    windows = [_child("window", database) for _ in range(runs)]
    floors = [_child("floor", database) for _ in range(runs)]
    shown = sorted(w["shown_s"] for w in windows)[runs // 2]
    ready = sorted(w["ready_s"] for w in windows)[runs // 2]
    read = sorted(f["read_s"] for f in floors)[runs // 2]
    return {
        "median_s": round(ready, 3),
        "min_s": round(min(w["ready_s"] for w in windows), 3),
        "max_s": round(max(w["ready_s"] for w in windows), 3),
        "floor_median_s": round(read, 3),
        "ratio": round(ready / read, 2),
        "shown_s": round(shown, 3),
        "spans": int(windows[0]["spans"]),
        "selections": int(windows[0]["selections"]),
        "peak_mb": round(max(w["peak_mb"] for w in windows), 1),
        "file_mb": round((work / "stacked" / "doc.ann").stat().st_size / 1048576, 1),
        "met": shown <= 2.0 and ready / read <= 5,
    }


def main() -> int:
    import tempfile

    if len(sys.argv) == 3:
        mode, database = sys.argv[1], sys.argv[2]
        print(json.dumps(window(database) if mode == "window" else floor(database)))
        return 0
    with tempfile.TemporaryDirectory(prefix="spanwise-stacked-") as folder:
        print(json.dumps(measure(Path(folder)), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
