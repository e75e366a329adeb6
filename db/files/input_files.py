"""Which files an import may read, and reading them without blocking or leaking.

A folder from a colleague may hold a link to `/etc/passwd` (which would leave in every export
as a document), a FIFO (an endless wait) or a device (`/dev/zero`, endless memory). An import
reads only regular files, and from a folder only those inside it once links are resolved;
anything else it would have read is refused with its name. Opening never blocks (O_NONBLOCK,
then fstat says what was opened), so a FIFO swapped in after the check is refused too.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Sequence
from pathlib import Path

from db.errors import ImportRefused
from db.text.plain import shown

MAX_INPUT_BYTES = 512 * 1024 * 1024  # no annotation file is near this; a runaway one is
SETTINGS_FILE_BYTES = 16 * 1024 * 1024  # a schema or lexicon file


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def _inside(path: Path, root: Path) -> bool:
    return path.resolve().is_relative_to(root.resolve())


def check_input(path: Path, root: Path | None = None) -> None:
    """Refuse, naming the file, anything but a regular file (inside `root` once resolved)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        kind = "a link to nothing" if path.is_symlink() else "no such file"
        raise ImportRefused(f"{shown(path)}: {kind}") from None
    except OSError as exc:
        raise ImportRefused(f"{shown(path)}: cannot read ({exc.strerror})") from exc
    if root is not None and not _inside(path, root):
        raise ImportRefused(
            f"{shown(path)}: links to {shown(path.resolve())}, outside the folder "
            f"{shown(root)}; an import reads only files inside the folder it is given"
        )
    if not stat.S_ISREG(mode):
        raise ImportRefused(f"{shown(path)}: {_kind(mode)}, not a file Spanwise can import")


def folder_files(root: Path, wanted: Callable[[Path], bool], recursive: bool = True) -> list[Path]:
    """The files under `root` that `wanted` takes (by name), sorted; each one a regular file
    inside `root` once resolved, or the whole import is refused naming it. A linked folder
    inside `root` is not walked twice; one leading outside is refused."""
    found: list[Path] = []
    for folder, subfolders, names in os.walk(root, followlinks=False):
        here = Path(folder)
        for name in sorted(subfolders):
            linked = here / name
            if linked.is_symlink() and not _inside(linked, root):
                raise ImportRefused(
                    f"{shown(linked)}: links to the folder {shown(linked.resolve())}, outside "
                    f"{shown(root)}; an import reads only files inside the folder it is given"
                )
        if not recursive:
            subfolders.clear()
        for name in names:
            path = here / name
            if wanted(path):
                check_input(path, root)
                found.append(path)
    return sorted(found)


def named_files(
    paths: Sequence[Path], wanted: Callable[[Path], bool], recursive: bool = True
) -> list[Path]:
    """Files named directly (each a regular file) and the wanted files of named folders."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += folder_files(path, wanted, recursive)
        else:
            check_input(path)
            found.append(path)
    return found


def read_input(path: Path, limit: int = MAX_INPUT_BYTES, root: Path | None = None) -> bytes:
    """A file's bytes: a regular file (inside `root` when given), at most `limit` bytes."""
    if root is not None:
        check_input(path, root)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise ImportRefused(f"{shown(path)}: cannot read ({exc.strerror})") from exc
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ImportRefused(
                f"{shown(path)}: {_kind(info.st_mode)}, not a file Spanwise can import"
            )
        if info.st_size > limit:
            raise ImportRefused(
                f"{shown(path)}: {info.st_size / 1048576:.1f} MB is too large to import "
                f"(the limit is {limit // 1048576} MB)"
            )
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise ImportRefused(f"{shown(path)}: cannot read ({exc.strerror})") from exc
    if len(data) > limit:  # it grew while being read
        raise ImportRefused(f"{shown(path)}: too large to import")
    return data


def read_head(path: Path, size: int) -> bytes:
    """The first bytes of a regular file, for telling formats apart; b"" for anything else
    (a FIFO, a device, a missing file): detection never blocks and never raises."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return b""
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return b""
        try:
            return handle.read(size)
        except OSError:
            return b""
