"""Reading a Spanwise export a document at a time, however large the file.

An export is one JSON object whose "documents" array may hold 50,000 documents (gigabytes).
Parsing it whole took 8-12x its size in memory. This reader keeps a window of the file's
text and decodes one value at a time with json's C decoder (`raw_decode`): the head (every
key but "documents") as values, then each document in turn. Memory is a constant plus the
largest single document; time is linear (the window grows by doubling when a document does
not fit, so a long document is decoded a bounded number of times).

Head keys after "documents" (never written so by Spanwise, but valid JSON) are found by one
pass that skips the documents first, so the schema is known before the first document.
"""

from __future__ import annotations

import codecs
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from db.errors import ImportRefused
from db.text.plain import shown

_CHUNK = 1 << 20  # bytes read at a time
_NEAR_END = 16  # a decoding error this close to the window's end may be a cut-off value
_SPACE = " \t\n\r"
# head keys the import uses: read before the documents, as Spanwise writes them
SCHEMA_KEYS = {"format", "version", "labels", "relation_types", "entity_types", "suggest"}
SCHEMA_KEYS |= {"suggestion_models"}


def _no_constant(constant: str) -> Any:
    raise ValueError(f"{constant} is not a number JSON allows")


_DECODER = json.JSONDecoder(parse_constant=_no_constant)


class _Window:
    """The file's text from `pos` on, read in chunks as decoding needs it."""

    def __init__(self, handle: BinaryIO, name: str) -> None:
        self.handle = handle
        self.name = name
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.text = ""
        self.pos = 0
        self.line = 1  # line and column of text[0], for error positions
        self.column = 1
        self.eof = False
        self.escaped = False  # whether the last value read holds a \u escape

    def more(self, at_least: int = _CHUNK) -> bool:
        """Read at least `at_least` more bytes (or to the end); False at the end of file."""
        if self.eof:
            return False
        self._compact()
        pieces = [self.text]
        read = 0
        while read < at_least:
            try:
                raw = self.handle.read(max(_CHUNK, at_least - read))
            except OSError as exc:
                raise ImportRefused(f"{self.name}: cannot read ({exc.strerror})") from exc
            if not raw:
                self.eof = True
                break
            read += len(raw)
            try:
                pieces.append(self.decoder.decode(raw))
            except UnicodeDecodeError as exc:
                raise ImportRefused(f"{self.name}: not UTF-8 ({exc.reason})") from exc
        if self.eof:
            try:
                pieces.append(self.decoder.decode(b"", final=True))
            except UnicodeDecodeError as exc:
                raise ImportRefused(f"{self.name}: not UTF-8 at its end ({exc.reason})") from exc
        self.text = "".join(pieces)
        return read > 0

    def _compact(self) -> None:
        if self.pos:
            self.line, self.column = self._place(self.pos)
            self.text = self.text[self.pos :]
            self.pos = 0

    def _place(self, at: int) -> tuple[int, int]:
        newlines = self.text.count("\n", 0, at)
        if not newlines:
            return self.line, self.column + at
        return self.line + newlines, at - self.text.rfind("\n", 0, at)

    def skip_space(self) -> str:
        """The next character that is not white space ("" at the end of the file)."""
        while True:
            text, pos = self.text, self.pos
            while pos < len(text) and text[pos] in _SPACE:
                pos += 1
            self.pos = pos
            if pos < len(text):
                return text[pos]
            if not self.more():
                return ""

    def expect(self, char: str, what: str) -> None:
        found = self.skip_space()
        if found != char:
            self.refuse(f"expected {what}, found {_found(found)}")
        self.pos += 1

    def value(self) -> Any:
        """The next JSON value, reading more of the file until it is complete."""
        self.skip_space()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as exc:
                cut = exc.msg.startswith("Unterminated string") or exc.pos >= len(self.text) - (
                    _NEAR_END
                )
                if cut and self.more(max(_CHUNK, len(self.text))):  # doubles: linear overall
                    continue
                self.refuse(exc.msg, exc.pos)
            except ValueError as exc:  # NaN / Infinity, or a number of thousands of digits
                raise ImportRefused(
                    f"{self.name}: not valid JSON ({str(exc).split(';')[0]})"
                ) from exc
            except RecursionError as exc:
                raise ImportRefused(f"{self.name}: JSON nested too deeply") from exc
            if end == len(self.text) and not self.eof and not isinstance(value, (dict, list, str)):
                self.more()  # a number or literal may go on in the next chunk
                continue
            # a lone surrogate can only come from a \u escape: a later check may skip
            self.escaped = self.text.find("\\u", self.pos, end) >= 0
            self.pos = end
            return value

    def refuse(self, problem: str, at: int | None = None) -> None:
        line, column = self._place(self.pos if at is None else at)
        raise ImportRefused(
            f"{self.name}: not valid JSON (line {line}, column {column}: {problem})"
        )


def _found(char: str) -> str:
    return "the end of the file" if not char else repr(char)


def open_input(path: Path) -> BinaryIO:
    """A regular file opened for reading without blocking (a FIFO or device is refused)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise ImportRefused(f"{shown(path)}: cannot read ({exc.strerror})") from exc
    handle = os.fdopen(fd, "rb")
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        handle.close()
        raise ImportRefused(f"{shown(path)}: not a regular file Spanwise can import")
    return handle


class ExportStream:
    """One export file, read again from its start each time its documents are walked: its
    head (every key but "documents") and its documents as raw JSON objects."""

    def __init__(self, path: Path, head: dict[str, Any], documents_after_head: bool) -> None:
        self.path = path
        self.name = shown(path)
        self.head = head
        self._after_head = documents_after_head
        self.size = path.stat().st_size
        self.read_bytes = 0  # how far the current walk has read, for progress
        self.escaped = True  # whether the document just read holds a \u escape

    @classmethod
    def open(cls, path: Path) -> ExportStream:
        """Read the head; refuse what is not a JSON object with a "documents" array."""
        head, complete = _read_head(path, stop_at_documents=True)
        if not complete:  # some head keys come after the documents: one pass to find them
            head, _ = _read_head(path, stop_at_documents=False)
        return cls(path, head, complete)

    def raw_documents(self) -> Iterator[Any]:
        """Each element of "documents" in order (what it is, a later check says)."""
        with open_input(self.path) as handle:
            window = _Window(handle, self.name)
            if not _to_documents(window):
                return
            for element in _elements(window):
                self.read_bytes = handle.tell()
                self.escaped = window.escaped
                yield element
            _finish(window, head_read_first=self._after_head)


def _read_head(path: Path, stop_at_documents: bool) -> tuple[dict[str, Any], bool]:
    """The head's keys; `complete` when "documents" came after every other key (or the
    reading went to the end)."""
    name = shown(path)
    with open_input(path) as handle:
        window = _Window(handle, name)
        first = window.skip_space()
        if first == "":
            raise ImportRefused(f"{name}: the file is empty")
        if first != "{":
            window.value()  # not JSON at all says so, with where
            raise ImportRefused(f"{name}: a Spanwise export is a JSON object")
        window.pos += 1
        head: dict[str, Any] = {}
        seen_documents = False
        for key in _keys(window, name):
            if key == "documents":
                if seen_documents:
                    window.refuse("'documents' appears twice")
                seen_documents = True
                if window.skip_space() != "[":
                    raise ImportRefused(f"{name}: documents: 'documents' must be list")
                if stop_at_documents:  # Spanwise writes the documents last
                    return head, "labels" in head
                for _ in _elements(window, skip=True):
                    pass
            else:
                head[key] = window.value()
        if window.skip_space() != "":
            window.refuse("Extra data after the export")
        if not seen_documents:
            head.setdefault("documents", None)  # refused with "missing field 'documents'"
        elif not stop_at_documents:
            head["documents"] = []
        return head, True


def _keys(window: _Window, name: str) -> Iterator[str]:
    """The object's keys in order; the caller reads each key's value."""
    char = window.skip_space()
    if char == "}":
        window.pos += 1
        return
    while True:
        yield _key(window)
        if not _another(window, "}"):
            return


def _key(window: _Window) -> str:
    """A member's key and its colon."""
    if window.skip_space() != '"':
        window.refuse(f"expected a key, found {_found(window.skip_space())}")
    key = window.value()
    window.expect(":", "':'")
    return str(key)


def _another(window: _Window, close: str) -> bool:
    """After a member: True at a comma, False at the closing bracket (either read)."""
    char = window.skip_space()
    if char not in (",", close):
        window.refuse(f"expected ',' or {close!r}, found {_found(char)}")
    window.pos += 1
    return char == ","


def _elements(window: _Window, skip: bool = False) -> Iterator[Any]:
    """The elements of the array that starts at the window's position."""
    if window.skip_space() != "[":
        window.refuse("'documents' must be list")
    window.pos += 1
    if window.skip_space() == "]":
        window.pos += 1
        return
    while True:
        value = window.value()
        yield None if skip else value
        if not _another(window, "]"):
            return


def _to_documents(window: _Window) -> bool:
    """Move to the documents array; False when the file has none."""
    window.expect("{", "a JSON object")
    for key in _keys(window, window.name):
        if key == "documents":
            return True
        window.value()
    return False


def _finish(window: _Window, head_read_first: bool) -> None:
    """Read the rest of the object after its documents: nothing but JSON may follow. When the
    head was read only up to the documents, a key after them comes too late to be used:
    refused, rather than silently left out."""
    while _another(window, "}"):
        key = _key(window)
        if key == "documents":
            window.refuse("'documents' appears twice")
        if head_read_first and key in SCHEMA_KEYS:
            raise ImportRefused(
                f"{window.name}: {key!r} comes after 'documents'; a Spanwise export "
                "gives it before them (as Spanwise writes it)"
            )
        window.value()
    if window.skip_space() != "":
        window.refuse("Extra data after the export")
