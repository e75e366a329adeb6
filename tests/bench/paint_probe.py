"""`python -m tests.bench.paint_probe PROGRAM ARGS...` runs a program (a module, `-m NAME`, or a
script) and prints "painted" on stdout the moment a plain text view holding text first paints:
W1's end point, found the same way in Spanwise and in its floor, with no hook in either.

It loads only what both load anyway (PySide6's QtWidgets), and stands its QApplication
subclass in for QApplication so it can watch every event from the first one.
"""

from __future__ import annotations

import runpy
import sys

from PySide6 import QtWidgets
from PySide6.QtCore import QEvent, QObject


class _FirstPaint(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            view = watched.parent()
            if (
                isinstance(view, QtWidgets.QPlainTextEdit)
                and view.viewport() is watched
                and view.document().characterCount() > 1
            ):
                print("painted", flush=True)
                app = QtWidgets.QApplication.instance()
                if app is not None:
                    app.removeEventFilter(self)
        return False


class _ProbedApplication(QtWidgets.QApplication):
    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        self._probe = _FirstPaint()
        self.installEventFilter(self._probe)


QtWidgets.QApplication = _ProbedApplication  # type: ignore[misc]

if __name__ == "__main__":
    if sys.argv[1] == "-m":
        module = sys.argv[2]
        sys.argv = [module, *sys.argv[3:]]
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    else:
        sys.argv = sys.argv[1:]
        runpy.run_path(sys.argv[0], run_name="__main__")
