"""Reading `COPY ... TO STDOUT` fast, and beside the writing.

A reviewer's first pull is a million rows: psycopg's row-by-row COPY reader spends more on
its generators than on the data. Here COPY's text format is split a block at a time
(`\\t` between fields, `\\n` between rows, `\\N` for NULL, backslash escapes only where a line
has them), and a thread reads and splits the next chunk while the caller writes the last one
into SQLite (whose writes release the GIL).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator, Sequence
from typing import Any

CHUNK_ROWS = 20_000
_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}


def _unescape(field: str) -> str | None:
    if field == "\\N":
        return None
    out = []
    index = 0
    while index < len(field):
        char = field[index]
        if char != "\\" or index + 1 == len(field):
            out.append(char)
            index += 1
            continue
        code = field[index + 1]
        if code in _ESCAPES:
            out.append(_ESCAPES[code])
            index += 2
        elif code.isdigit():  # \ooo, up to three octal digits
            end = index + 1
            while end < len(field) and end < index + 4 and field[end] in "01234567":
                end += 1
            out.append(chr(int(field[index + 1 : end], 8)))
            index = end
        elif code == "x":
            end = index + 2
            while end < len(field) and end < index + 4 and field[end] in "0123456789abcdefABCDEF":
                end += 1
            out.append(chr(int(field[index + 2 : end], 16)))
            index = end
        else:
            out.append(code)
            index += 2
    return "".join(out)


def _fields(line: str) -> list[Any]:
    parts = line.split("\t")
    backslashes = line.count("\\")
    if not backslashes:
        return parts
    if backslashes == line.count("\\N"):  # data's own backslashes come doubled: only NULLs
        return [None if p == "\\N" else p for p in parts]
    return [_unescape(p) for p in parts]


def copy_chunks(
    cursor: Any, statement: Any, integers: Sequence[int] = (), booleans: Sequence[int] = ()
) -> Iterator[list[list[Any]]]:
    """The rows of a COPY TO STDOUT in chunks, each row a list of str/None, with the columns
    at `integers` as int and at `booleans` as bool."""
    with cursor.copy(statement) as copy:
        rest = b""
        chunk: list[list[Any]] = []
        for block in copy:
            data = rest + bytes(block)
            cut = data.rfind(b"\n") + 1
            rest = data[cut:]
            if not cut:
                continue
            for line in data[: cut - 1].decode("utf-8").split("\n"):
                row = _fields(line)
                for index in integers:
                    row[index] = int(row[index])
                for index in booleans:
                    row[index] = row[index] == "t"
                chunk.append(row)
            if len(chunk) >= CHUNK_ROWS:
                yield chunk
                chunk = []
        if chunk:
            yield chunk


_END = object()


def in_background(chunks: Iterator[Any], depth: int = 3) -> Iterator[Any]:
    """The same chunks, produced by a thread of their own a few ahead of the consumer. An
    error in the producer is raised here; if the consumer stops early, the producer is run
    to its end (a COPY must be read out before its connection is used again)."""
    handoff: queue.Queue[Any] = queue.Queue(maxsize=depth)
    failure: list[BaseException] = []

    def produce() -> None:
        try:
            for item in chunks:
                handoff.put(item)
        except BaseException as exc:  # handed to the consumer
            failure.append(exc)
        finally:
            handoff.put(_END)

    thread = threading.Thread(target=produce, name="spanwise-copy", daemon=True)
    thread.start()
    finished = False
    try:
        while True:
            item = handoff.get()
            if item is _END:
                finished = True
                break
            yield item
    finally:
        if not finished:
            while handoff.get() is not _END:
                pass
        thread.join()
    if failure:
        raise failure[0]
