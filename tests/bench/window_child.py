"""Runs in its own process: the window workloads (W2 open, W3 edit, W4 scroll, W8 memory) or
their floors, printing one JSON object. A fresh process per side keeps peak memory honest."""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QPlainTextEdit  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def floor(database: str, runs: int) -> dict[str, object]:
    """The least any implementation must do: put the text in a QPlainTextEdit and paint it."""
    from db.store import Store

    store = Store(Path(database))
    doc_id = next(d.id for d in store.documents("bench") if d.source == "big.txt")
    text = store.document(doc_id).text
    store.close()
    app = QApplication.instance() or QApplication([])
    times = []
    view = QPlainTextEdit()
    view.setReadOnly(True)
    view.resize(900, 800)
    view.show()
    for _ in range(runs):
        view.setPlainText("")
        app.processEvents()
        start = time.perf_counter()
        view.setPlainText(text)
        view.viewport().repaint()
        times.append(time.perf_counter() - start)
    return {"open": times, "rss_mb": peak_rss_mb()}


def window(database: str, runs: int) -> dict[str, object]:
    from desktop.app import create_window

    app = QApplication.instance() or QApplication([])
    settings = QSettings(str(Path(database).with_suffix(".ini")), QSettings.Format.IniFormat)
    win = create_window(database, "bench", settings)
    win.resize(1440, 900)
    win.show()
    win.activateWindow()
    app.processEvents()
    small, big = (
        next(d.id for d in win.document_model.rows() if d.source != "big.txt"),
        next(d.id for d in win.document_model.rows() if d.source == "big.txt"),
    )
    opens = []
    for _ in range(runs):
        win.open_document(small)
        app.processEvents()
        start = time.perf_counter()
        win.open_document(big)
        win.article.viewport().repaint()
        opens.append(time.perf_counter() - start)
    app.processEvents()  # the rest of the document loads before any input is handled
    rss = peak_rss_mb()
    edits = _edits(win, app, runs)
    frames = _scroll(win, app)
    win.close()
    win.store.close()
    return {
        "open": opens,
        "edit": edits,
        "scroll": frames,
        "rss_mb": rss,
        "decorated": len(win.article.decorated_ids()),
        "annotations": len(win.doc),
    }


def _timed(app: QApplication, win: object, action: object) -> float:
    start = time.perf_counter()
    action()  # type: ignore[operator]
    win.article.viewport().repaint()  # type: ignore[attr-defined]
    return time.perf_counter() - start


def _edits(win: object, app: QApplication, runs: int) -> list[float]:
    """Add a span, link it, undo, redo, delete: each from the key event to the repaint."""
    view = win.article  # type: ignore[attr-defined]
    view.setFocus()
    text = win.doc.text  # type: ignore[attr-defined]
    times = []
    offset = 2000
    for _ in range(runs):
        offset = text.index(" said", offset + 50)
        quote_end = offset
        quote_start = text.rindex(" ", 0, quote_end - 20) + 1

        def add(start: int = quote_start, end: int = quote_end) -> None:
            view.select_span(start, end)
            QTest.keyClick(view, Qt.Key.Key_1)

        def link(cue: int = offset) -> None:
            QTest.keyClick(view, Qt.Key.Key_S)
            view.select_span(cue + 1, cue + 5)
            QTest.keyClick(view, Qt.Key.Key_2)

        def undo() -> None:
            QTest.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

        def redo() -> None:
            QTest.keyClick(
                view,
                Qt.Key.Key_Z,
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
            )

        def delete() -> None:
            win.dialogs.confirm = lambda *_args: True  # type: ignore[attr-defined]
            QTest.keyClick(view, Qt.Key.Key_Delete)

        for step in (add, link, undo, redo, delete):
            times.append(_timed(app, win, step))
    return times


def _scroll(win: object, app: QApplication) -> list[float]:
    """Top to bottom, one page at a time: the time of each step and its repaint."""
    bar = win.article.verticalScrollBar()  # type: ignore[attr-defined]
    bar.setValue(0)
    app.processEvents()
    frames = []
    while bar.value() < bar.maximum():
        target = min(bar.maximum(), bar.value() + bar.pageStep())
        frames.append(_timed(app, win, lambda t=target: bar.setValue(t)))
    return frames


if __name__ == "__main__":
    mode, database, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    result = floor(database, runs) if mode == "floor" else window(database, runs)
    print(json.dumps(result))
    sys.stdout.flush()
    if mode == "window":
        print(json.dumps({"median_edit": statistics.median(result["edit"])}), file=sys.stderr)
