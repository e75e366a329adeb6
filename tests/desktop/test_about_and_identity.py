"""Help > About, the application icon, and one name for settings, data and the launcher."""

from __future__ import annotations

import configparser
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir
from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtGui import QGuiApplication, QImage, QImageReader
from PySide6.QtWidgets import QLineEdit, QPushButton

from bundle.render_icons import ICO_SIZES, render_image, write_platform_icons
from db import __version__
from desktop.app import ensure_app
from desktop.cli.install import desktop_entry
from desktop.identity import APP_NAME, ICON_SIZES, icon_png, icon_svg
from desktop.session import default_database_path
from desktop.widgets.about_dialog import AboutDialog
from desktop.widgets.app_icon import WINDOW_ICON_SIZES
from desktop.window.main_window import MainWindow


def open_about(window: MainWindow) -> AboutDialog:
    """Help > About Spanwise, as the menu bar offers it."""
    menus = {a.text(): a.menu() for a in window.menuBar().actions() if a.menu()}
    about = next(a for a in menus["&Help"].actions() if a.text() == "&About Spanwise")
    about.trigger()
    dialog = window.findChild(AboutDialog)
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_about_shows_version_database_and_data_folder_each_copyable(make_window, qtbot):
    window = make_window({"a.txt": "An article."})
    dialog = open_about(window)
    fields = {f.accessibleName(): f for f in dialog.findChildren(QLineEdit)}
    assert fields["Version"].text().startswith(f"{__version__} (Python ")
    assert fields["Database"].text() == str(window.store.path)
    assert fields["Data folder"].text() == user_data_dir(APP_NAME, appauthor=False)
    assert all(f.isReadOnly() for f in fields.values())
    clipboard = QGuiApplication.clipboard()

    database_copy = dialog.findChild(QPushButton, "copyDatabase")
    qtbot.mouseClick(database_copy, Qt.MouseButton.LeftButton)
    assert clipboard.text() == str(window.store.path)

    folder = fields["Data folder"]  # or select the text and copy it with the keyboard
    folder.setFocus()
    qtbot.keyClick(folder, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(folder, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert clipboard.text() == folder.text()

    qtbot.mouseClick(dialog.findChild(QPushButton, "copyAll"), Qt.MouseButton.LeftButton)
    assert clipboard.text().splitlines() == [
        f"Version: {fields['Version'].text()}",
        f"Database: {window.store.path}",
        f"Data folder: {folder.text()}",
    ]
    assert open_about(window) is dialog  # asked again: the same dialog comes forward
    dialog.close()


def test_settings_data_and_launcher_agree_on_the_name(tmp_path: Path, qapp):
    app = ensure_app()
    settings = Path(QSettings().fileName())  # where MainWindow keeps its settings
    assert settings.parent == Path(user_config_dir(APP_NAME, appauthor=False))
    assert settings == Path(QSettings(app.organizationName(), app.applicationName()).fileName())
    assert default_database_path().parent == Path(user_data_dir(APP_NAME, appauthor=False))
    entry_file = tmp_path / "spanwise.desktop"
    entry_file.write_text(desktop_entry(["/opt/spanwise/spanwise"]), encoding="utf-8")
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(entry_file, encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Icon"] == app.desktopFileName()  # Wayland matches windows to entries by it
    assert entry["StartupWMClass"] == app.applicationName()  # X11 matches by WM_CLASS
    assert entry["Name"] == app.applicationName()


def test_every_window_has_the_icon(make_window):
    window = make_window()
    icon = window.windowIcon()
    assert icon.availableSizes() == [QSize(s, s) for s in WINDOW_ICON_SIZES]
    premultiplied = QImage.Format.Format_ARGB32_Premultiplied  # as a pixmap holds it
    shown = icon.pixmap(48, 48).toImage().convertToFormat(premultiplied)
    assert shown == QImage(str(icon_png(48))).convertToFormat(premultiplied)


def test_the_committed_icons_are_what_the_svg_draws():
    """Editing the SVG without `python -m bundle.render_icons` would ship a stale icon."""
    for size in ICON_SIZES:
        committed = QImage(str(icon_png(size))).convertToFormat(QImage.Format.Format_ARGB32)
        assert committed == render_image(icon_svg(), size), f"{size}px differs: re-render"


def test_windows_and_macos_icon_files_hold_every_size(tmp_path: Path):
    ico, icns = write_platform_icons(tmp_path)
    for path, sizes in ((ico, ICO_SIZES), (icns, (16, 32, 64, 128, 256, 512))):
        reader = QImageReader(str(path))
        found = set()
        for index in range(reader.imageCount()):
            reader.jumpToImage(index)
            image = reader.read()
            assert not image.isNull(), f"{path.name} image {index}: {reader.errorString()}"
            found.add(image.width())
        assert found == set(sizes), path.name
