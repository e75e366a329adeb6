"""The application icon Qt shows on every window, the task bar and the window switcher."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

from desktop.identity import ICON_SIZES, icon_png

# Window decorations and switchers use up to 128 px (larger ones come from the launcher's
# theme icon); on X11 the 256 and 512 px images would add 10 ms to the window's first show.
WINDOW_ICON_SIZES = tuple(size for size in ICON_SIZES if size <= 128)


def application_icon() -> QIcon:
    """Spanwise's icon at each size a window shows, so none is scaled from a blurry neighbour.

    The files load when the window is shown, not here."""
    icon = QIcon()
    for size in WINDOW_ICON_SIZES:
        icon.addFile(str(icon_png(size)), QSize(size, size))
    return icon
