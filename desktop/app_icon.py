"""The application icon Qt shows on every window, the task bar and the window switcher."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

from desktop.identity import ICON_SIZES, icon_png


def application_icon() -> QIcon:
    """Spanwise's icon at every rendered size, so no size is scaled from a blurry neighbour.

    The files load when a size is first drawn, not here: the start does not wait for them."""
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(icon_png(size)), QSize(size, size))
    return icon
