"""The X11 suite: the window on a real X server (Xvfb, Qt's xcb platform), driven by real X
input events (xdotool's XTEST), which go through X's keymap and Qt's shortcut map exactly as
a person's keys do. `make x11` runs it under xvfb-run."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint
from PySide6.QtGui import QGuiApplication, QWindow
from PySide6.QtWidgets import QWidget

pytestmark = pytest.mark.x11


@pytest.fixture(autouse=True)
def _real_x_server() -> None:
    assert QGuiApplication.platformName() == "xcb", "the X11 suite runs on xcb (make x11)"
    assert shutil.which("xdotool"), "xdotool sends the X input events"


class XInput(QObject):
    """Keys and mouse gestures sent to the X server; `events` counts what a person would do
    (one key chord, one typed character, one drag or double-click each)."""

    def __init__(self, qtbot) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.qtbot = qtbot
        self.events = 0
        self._releases = 0
        app = QGuiApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kinds = (QEvent.Type.KeyRelease, QEvent.Type.MouseButtonRelease)
        if event.type() in kinds and isinstance(watched, QWindow):
            self._releases += 1  # every X key or button release reaches a Qt window
        return False

    def _send(self, arguments: list[str], releases: int) -> None:
        expected = self._releases + releases
        subprocess.run(["xdotool", *arguments], check=True)
        self.qtbot.waitUntil(lambda: self._releases >= expected)

    def key(self, *chords: str) -> None:
        """Press key chords ("ctrl+shift+s", "Return") one after the other."""
        for chord in chords:
            self._send(["key", chord], len(chord.split("+")))
            self.events += 1

    def type(self, text: str) -> None:
        self._send(["type", "--delay", "2", text], len(text))
        self.events += len(text)

    def _point(self, widget: QWidget, point: QPoint) -> list[str]:
        where = widget.mapToGlobal(point)
        return ["mousemove", "--sync", str(where.x()), str(where.y())]

    def drag(self, widget: QWidget, start: QPoint, end: QPoint) -> None:
        """Press the left button at `start`, move to `end`, release: one selection gesture."""
        moves = [*self._point(widget, start), "mousedown", "1"]
        moves += [
            *self._point(widget, (start + end) / 2),
            *self._point(widget, end),
            "mouseup",
            "1",
        ]
        self._send(moves, 1)
        self.events += 1

    def double_click(self, widget: QWidget, point: QPoint) -> None:
        self._send([*self._point(widget, point), "click", "--repeat", "2", "1"], 2)
        self.events += 1

    def close(self) -> None:
        app = QGuiApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


@pytest.fixture
def x_input(qtbot) -> Iterator[XInput]:  # type: ignore[no-untyped-def]
    keyboard = XInput(qtbot)
    yield keyboard
    keyboard.close()
