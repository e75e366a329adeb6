"""`spanwise install-desktop`: Spanwise in the desktop's application menu, with its icon.

    spanwise install-desktop            write the launcher entry and the icons
    spanwise install-desktop --remove   take away exactly what it wrote

The freedesktop entry goes into the user's applications folder and the icon into the hicolor
icon theme, both under the XDG data home that platformdirs names (~/.local/share unless
$XDG_DATA_HOME says otherwise). The entry starts the very program that wrote it: the bundle's
executable, or the `spanwise` script of the virtual environment (pipx's or yours) it runs in.
A record of the folders it had to create, kept in Spanwise's data folder, lets `--remove` leave
the tree as it found it. Nothing here loads Qt or opens a database.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.errors import SpanwiseError
from db.files.outputs import write_bytes_atomically
from db.text.messages import counted
from desktop.identity import APP_ID, APP_NAME, ICON_SIZES, data_folder, icon_png, icon_svg

RECORD = "install-desktop.json"
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")  # characters that make an Exec argument quoted


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add `install-desktop` to the `spanwise` command's subcommands."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "install-desktop",
        help="add Spanwise and its icon to the desktop's application menu (Linux)",
        description="Write a launcher entry and icons under the XDG data home (Linux and "
        "other freedesktop desktops); --remove takes away exactly what was written.",
    )
    parser.add_argument(
        "--remove", action="store_true", help="remove the entry and icons install-desktop wrote"
    )
    return parser


def run(args: argparse.Namespace) -> int:
    """Install (or with --remove, uninstall) the launcher entry and icons."""
    if sys.platform in ("win32", "darwin"):
        raise SpanwiseError(
            "install-desktop writes a freedesktop launcher (Linux); on Windows and macOS "
            "pin the bundle's Spanwise program instead"
        )
    place = DesktopPlace.of_user()
    if args.remove:
        removed = place.remove()
        print(f"removed {counted(removed, 'file')}" if removed else "nothing to remove")
        return 0
    written = place.install(launcher_command())
    print(f"installed {place.entry} and {written - 1} icons (hicolor theme)")
    print(f"`{APP_ID} install-desktop --remove` takes them away")
    return 0


def launcher_command() -> list[str]:
    """The command the entry starts: this program, as the user installed it."""
    if getattr(sys, "frozen", False):  # the PyInstaller bundle's executable
        return [str(Path(sys.executable).absolute())]
    script = Path(sys.executable).absolute().parent / APP_ID  # a venv's (or pipx's) script
    if script.is_file():
        return [str(script)]
    return [str(Path(sys.executable).absolute()), "-m", "desktop.cli"]


def exec_argument(argument: str) -> str:
    """One Exec argument as the Desktop Entry spec wants it: quoted when it holds a reserved
    character, `%` doubled; the string escapes are applied by `entry_value`."""
    argument = argument.replace("%", "%%")
    if not _RESERVED & set(argument):
        return argument
    for special in ("\\", '"', "`", "$"):
        argument = argument.replace(special, "\\" + special)
    return f'"{argument}"'


def entry_value(value: str) -> str:
    """A desktop entry string value: backslashes doubled (after Exec's own escaping)."""
    return value.replace("\\", "\\\\")


def desktop_entry(command: list[str]) -> str:
    """The launcher entry's text (Desktop Entry Specification 1.4, which validators know)."""
    exec_line = " ".join(exec_argument(a) for a in [*command, "gui"])
    return "\n".join(
        [
            "[Desktop Entry]",
            "Type=Application",
            "Version=1.4",
            f"Name={APP_NAME}",
            "GenericName=News annotator",
            "Comment=Annotate quotes, speakers and events in news articles, offline",
            f"Icon={APP_ID}",
            f"TryExec={entry_value(command[0])}",
            f"Exec={entry_value(exec_line)}",
            "Terminal=false",
            "Categories=Office;",
            "Keywords=annotation;annotate;quotes;speakers;news;corpus;",
            f"StartupWMClass={APP_NAME}",
            "StartupNotify=true",
            "",
        ]
    )


@dataclass(frozen=True)
class DesktopPlace:
    """Where a user's desktop looks for launcher entries and icons."""

    data_home: Path  # $XDG_DATA_HOME or ~/.local/share
    record: Path  # the install record, in Spanwise's data folder

    @classmethod
    def of_user(cls) -> DesktopPlace:
        """The places for the user running Spanwise (XDG data home)."""
        from platformdirs import user_data_path

        return cls(user_data_path(), data_folder() / RECORD)

    @property
    def entry(self) -> Path:
        """The launcher entry's file."""
        return self.data_home / "applications" / f"{APP_ID}.desktop"

    def icons(self) -> list[tuple[Path, Path]]:
        """(shipped icon, where the hicolor theme wants it), every size and the SVG."""
        theme = self.data_home / "icons" / "hicolor"
        pairs = [
            (icon_png(size), theme / f"{size}x{size}" / "apps" / f"{APP_ID}.png")
            for size in ICON_SIZES
        ]
        return [*pairs, (icon_svg(), theme / "scalable" / "apps" / f"{APP_ID}.svg")]

    def install(self, command: list[str]) -> int:
        """Write the entry and icons; returns how many files were written."""
        files = {self.entry: desktop_entry(command).encode("utf-8")}
        files |= {target: source.read_bytes() for source, target in self.icons()}
        created = self._recorded_folders()
        for target in files:
            created += _make_folders(target.parent)
        created += _make_folders(self.record.parent)
        write_bytes_atomically(
            self.record, json.dumps({"folders": created}, indent=1).encode("utf-8")
        )
        for target, content in files.items():
            write_bytes_atomically(target, content)
        return len(files)

    def remove(self) -> int:
        """Delete the entry and icons, then the folders install made, if empty; returns how
        many files were deleted."""
        removed = 0
        for target in [self.entry, *(target for _source, target in self.icons())]:
            if target.is_file():
                target.unlink()
                removed += 1
        folders = self._recorded_folders()
        self.record.unlink(missing_ok=True)
        for folder in sorted(folders, key=lambda f: len(Path(f).parts), reverse=True):
            path = Path(folder)
            if path.is_dir() and not any(path.iterdir()):
                path.rmdir()
        return removed

    def _recorded_folders(self) -> list[str]:
        try:
            folders = json.loads(self.record.read_text(encoding="utf-8"))["folders"]
        except (OSError, ValueError, KeyError, TypeError):
            return []
        return [f for f in folders if isinstance(f, str)]


def _make_folders(folder: Path) -> list[str]:
    """Create a folder and its missing parents; returns those it created."""
    missing = [p for p in [folder, *folder.parents] if not p.exists()]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SpanwiseError(f"{folder}: cannot create the folder ({exc.strerror})") from exc
    return [str(p) for p in missing]
