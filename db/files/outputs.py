"""Every file and folder Spanwise writes is complete or absent.

An export, a table or a backup is written under a temporary name beside its target, flushed
to disk, and renamed into place in one step when complete: a kill, a crash or a full disk
leaves the previous file (or nothing), never half a file under the final name.

A folder export (brat, UIMA CAS) is built whole in a temporary folder beside the target and
then renamed into place. The target may not exist yet, may be empty, or may be an earlier
Spanwise folder export (it holds MARKER), which the new one replaces in one exchange where
the system can swap two folders atomically (Linux), else by two renames. Any other folder
is refused: an export never mixes its files into someone's folder, nor deletes their files.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import glob
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from db.errors import SpanwiseError
from db.text.plain import shown

MARKER = ".spanwise-export"  # in every folder export: a later export may replace the folder


def _temporary_beside(target: Path, kind: str) -> Path:
    return target.with_name(f".{target.name}.{kind}-{os.getpid()}")


def _clear_leftovers(target: Path) -> None:
    """Remove what a killed earlier write to `target` left beside it (its process is gone)."""
    for kind in ("partial", "old"):
        for leftover in target.parent.glob(f".{glob.escape(target.name)}.{kind}-*"):
            pid = leftover.name.rsplit("-", 1)[-1]
            if pid.isdigit() and int(pid) != os.getpid() and not _running(int(pid)):
                with contextlib.suppress(OSError):
                    if leftover.is_dir() and not leftover.is_symlink():
                        shutil.rmtree(leftover)
                    else:
                        leftover.unlink()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: it exists
        return True
    return True


def cannot_write(target: Path, exc: OSError) -> SpanwiseError:
    """The one message for a file that could not be written: where, why, nothing left."""
    reason = exc.strerror or str(exc)
    return SpanwiseError(f"{shown(target)}: cannot write ({reason}); nothing was written there")


def _discard(partial: Path) -> None:
    """Remove a half-written file; on a read-only or vanished file system there is none."""
    with contextlib.suppress(OSError):
        partial.unlink(missing_ok=True)


def _sync(path: Path) -> None:
    with contextlib.suppress(OSError):  # a file system without fsync: the rename still holds
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_text(target: Path, newline: str | None = "\n") -> Iterator[IO[str]]:
    """A UTF-8 text file opened for writing under a temporary name, renamed onto `target`
    when the block ends without an error (removed when it does not)."""
    _clear_leftovers(target)
    partial = _temporary_beside(target, "partial")
    try:
        with partial.open("w", encoding="utf-8", newline=newline) as handle:
            yield handle
        _sync(partial)
        partial.replace(target)
    except OSError as exc:
        _discard(partial)
        raise cannot_write(target, exc) from exc
    except BaseException:
        _discard(partial)
        raise


def write_text_atomically(target: Path, text: str) -> None:
    """Write a whole UTF-8 text file, complete or not at all."""
    with atomic_text(target) as handle:
        handle.write(text)


def write_bytes_atomically(target: Path, content: bytes) -> None:
    """Write a whole file of bytes (an icon, a launcher entry), complete or not at all."""

    def write(partial: Path) -> None:
        partial.write_bytes(content)

    try:
        atomic_copy(target, write)
    except OSError as exc:
        raise cannot_write(target, exc) from exc


def atomic_copy(target: Path, write: Callable[[Path], None]) -> None:
    """`write(path)` makes the file (SQLite's backup API, say) under a temporary name, which
    is renamed onto `target` once `write` has returned."""
    _clear_leftovers(target)
    partial = _temporary_beside(target, "partial")
    _discard(partial)
    try:
        write(partial)
        _sync(partial)
        partial.replace(target)
    except BaseException:
        _discard(partial)
        raise


# -- folders --------------------------------------------------------------------------------


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where the system
    cannot."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange)
    return bool(result == 0)


def _check_replaceable(target: Path) -> None:
    if not target.exists():
        return
    if not target.is_dir():
        raise SpanwiseError(f"{shown(target)}: a file is in the way; choose a folder to export to")
    if any(target.iterdir()) and not (target / MARKER).is_file():
        raise SpanwiseError(
            f"{shown(target)}: the folder is not empty and holds no earlier Spanwise export; "
            "choose a new or empty folder (an export never mixes its files with others')"
        )


def _put_in_place(built: Path, target: Path) -> None:
    if not target.exists():
        built.rename(target)
        return
    if not any(target.iterdir()):
        target.rmdir()
        built.rename(target)
        return
    if _exchange(built, target):  # `built` now holds the earlier export
        shutil.rmtree(built, ignore_errors=True)
        return
    old = _temporary_beside(target, "old")
    target.rename(old)
    built.rename(target)
    shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def atomic_folder(target: Path) -> Iterator[Path]:
    """A temporary folder to write a whole folder export into; it becomes `target` when the
    block ends without an error, and is deleted when it does not."""
    _check_replaceable(target)
    _clear_leftovers(target)
    built = _temporary_beside(target, "partial")
    try:
        if built.exists():
            shutil.rmtree(built)
        built.mkdir(parents=True)
        yield built
        (built / MARKER).write_text(
            "Written by Spanwise; a later export to this folder replaces it whole.\n",
            encoding="utf-8",
        )
        _put_in_place(built, target)
    except OSError as exc:
        shutil.rmtree(built, ignore_errors=True)
        raise cannot_write(target, exc) from exc
    except BaseException:
        shutil.rmtree(built, ignore_errors=True)
        raise
