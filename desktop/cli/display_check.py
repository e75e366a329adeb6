"""Before the window opens: can Qt's X11 platform (xcb) load its libraries here?

When one is missing, Qt prints "Could not load the Qt platform plugin "xcb"", a page of
advice, and aborts with a core dump. Minimal Debian and Ubuntu systems lack libxcb-cursor0
(and often libxcb-icccm4, libxcb-keysyms1). This check runs before the QApplication exists
and names, in one line, the packages to install. It imports no Qt.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping

from db.errors import SpanwiseError

# The X11 libraries Qt's xcb plugin (PySide6 6.11) links, with the Debian/Ubuntu package
# that holds each: `ldd .../PySide6/Qt/plugins/platforms/libqxcb.so`.
XCB_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
}


def load_library(name: str) -> object:
    """Load a shared library by its file name, as Qt's plugin loader will (OSError if not)."""
    return ctypes.CDLL(name)


def uses_xcb(env: Mapping[str, str], platform: str) -> bool:
    """Whether Qt will open its window through xcb: Linux, and QT_QPA_PLATFORM naming xcb
    first, or unset with an X display (a Wayland session gets Qt's Wayland platform)."""
    if not platform.startswith("linux"):
        return False
    chosen = env.get("QT_QPA_PLATFORM", "").strip()
    if chosen:
        return chosen.split(";")[0].split(":")[0] == "xcb"
    if not env.get("DISPLAY"):
        return False
    wayland = env.get("XDG_SESSION_TYPE") == "wayland" and env.get("WAYLAND_DISPLAY")
    return not wayland


def missing_xcb_libraries(load: Callable[[str], object] | None = None) -> list[str]:
    """The file names of the xcb libraries that cannot be loaded."""
    load = load or load_library
    missing = []
    for name in XCB_LIBRARIES:
        try:
            load(name)
        except OSError:
            missing.append(name)
    return missing


def require_display_libraries(
    env: Mapping[str, str] | None = None, platform: str | None = None
) -> None:
    """Refuse, in one line naming the packages to install, a start Qt would abort."""
    if not uses_xcb(os.environ if env is None else env, platform or sys.platform):
        return
    missing = missing_xcb_libraries()
    if missing:
        packages = " ".join(XCB_LIBRARIES[name] for name in missing)
        raise SpanwiseError(
            f"the window needs X11 libraries that are missing ({', '.join(missing)}); "
            f"install them (Debian/Ubuntu): sudo apt-get install {packages}"
        )
