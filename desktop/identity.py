"""Spanwise's name as the system knows it, said once.

QSettings, platformdirs and the launcher entry find the same folders and the same icon only if
they use the same words; everything that names the application takes them from here. No Qt:
the command line and the database path read these without loading the window.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "Spanwise"
ORGANISATION = "Spanwise"  # QSettings' first folder level; the same word keeps one folder
APP_ID = "spanwise"  # the launcher file, the icon theme name and the Wayland app id
DATABASE_FILE = "spanwise.db"


def data_folder() -> Path:
    """The user data folder (the default database, its backups): platformdirs' answer."""
    from platformdirs import user_data_dir  # only when it is asked for

    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_database_path() -> Path:
    """$SPANWISE_DB, or spanwise.db in the user's data folder."""
    env = os.environ.get("SPANWISE_DB")
    if env:
        return Path(env).expanduser()
    return data_folder() / DATABASE_FILE


# The icon's sizes as rendered from its SVG by bundle/render_icons.py (hicolor's usual sizes).
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def icon_png(size: int) -> Path:
    """The shipped icon rendered at `size` pixels (resources are installed unzipped)."""
    from resources import resource

    return Path(str(resource("icons", f"{APP_ID}-{size}.png")))


def icon_svg() -> Path:
    """The icon's source, also installed as the scalable icon."""
    from resources import resource

    return Path(str(resource("icons", f"{APP_ID}.svg")))
