"""Reading article text files: strict decoding, and refusals that name the problem."""

from __future__ import annotations

import codecs
import hashlib
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from db.errors import EncodingRefused, ImportRefused
from db.files.input_files import named_files, read_input
from db.text.plain import shown

MAX_TEXT_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = (".txt", ".md")
# The extensions of files documents are read from. Only these are taken off a document's
# source to name the files it is exported to: corpora name documents "esp.train-doc-100.txt",
# and Path.stem / with_suffix("") would cut "esp.train-doc-100" down to "esp".
SOURCE_SUFFIXES = frozenset(
    {*TEXT_SUFFIXES, ".ann", ".tsv", ".xmi", ".json", ".jsonl", ".xml", ".conll", ".conllu"}
)


@dataclass(frozen=True)
class TextFile:
    """A decoded article, ready to become a Document."""

    path: Path
    title: str
    text: str

    @property
    def sha256(self) -> str:
        """The text's SHA-256: the document's identity in the database."""
        return text_sha256(self.text)


def text_sha256(text: str) -> str:
    """The document's identity: SHA-256 of its text as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def decode_text(data: bytes, name: str, encoding: str | None = None) -> str:
    """Decode UTF-8 (BOM optional) or BOM-marked UTF-16; refuse anything else clearly."""
    if not data:
        raise ImportRefused(f"{name}: the file is empty")
    if len(data) > MAX_TEXT_BYTES:
        raise _too_large(name, len(data))
    if encoding is not None:
        check_encoding(encoding, name)
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            problem = f"{name}: not valid {encoding} at byte {exc.start} ({exc.reason})"
            raise EncodingRefused(problem, problem) from exc
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ImportRefused(
                f"{name}: not valid UTF-16 at byte {exc.start} ({exc.reason})"
            ) from exc
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            offset = exc.start + (3 if data.startswith(codecs.BOM_UTF8) else 0)
            raise _not_utf8(data, name, offset) from exc
        # UTF-16 of Latin text without a BOM is valid UTF-8 full of NULs: say what it is.
        order = _utf16_order(data) if "\x00" in text else None
        if order is not None:
            problem = (
                f"{name}: it looks like UTF-16 without a BOM (NUL bytes from byte {data.index(0)})"
            )
            raise EncodingRefused(f"{problem}; import it with --encoding {order}", problem, order)
    _check_is_text(text, name)
    return text


def check_encoding(encoding: str, name: str = "--encoding") -> None:
    """Refuse a name Python does not know, or a codec that does not turn bytes into text
    (rot13, base64, zlib: codecs, but not text encodings)."""
    try:
        info = codecs.lookup(encoding)
    except LookupError as exc:
        raise ImportRefused(f"{shown(name)}: unknown encoding '{shown(encoding)}'") from exc
    if not getattr(info, "_is_text_encoding", True):
        raise ImportRefused(
            f"{shown(name)}: '{shown(encoding)}' is not a text encoding (try utf-8, latin-1, "
            "cp1252, utf-16)"
        )


def _utf16_order(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the bytes look like UTF-16 without a byte order mark
    (most text in Latin script is every other byte zero), else None."""
    sample = data[:8192]
    zeros_even = sample[0::2].count(0)
    zeros_odd = sample[1::2].count(0)
    half = max(len(sample) // 2, 1)
    if max(zeros_even, zeros_odd) > half * 0.3 and min(zeros_even, zeros_odd) < half * 0.05:
        return "utf-16-le" if zeros_odd > zeros_even else "utf-16-be"
    return None


def _not_utf8(data: bytes, name: str, offset: int) -> ImportRefused:
    """Tell UTF-16 without a byte order mark and binary files from a stray bad byte."""
    order = _utf16_order(data)
    if order is not None:
        problem = f"{name}: not valid UTF-8 at byte {offset}; it looks like UTF-16 without a BOM"
        return EncodingRefused(f"{problem} (import it with --encoding {order})", problem, order)
    if b"\x00" in data[:8192]:
        return ImportRefused(
            f"{name}: looks binary (NUL bytes), not valid UTF-8 at byte {offset}: not a text file"
        )
    problem = f"{name}: not valid UTF-8 at byte {offset}"
    return EncodingRefused(
        f"{problem}; re-save it as UTF-8, or import it from the command line with --encoding",
        problem,
    )


def _too_large(name: str, size: int) -> ImportRefused:
    return ImportRefused(
        f"{name}: the file is {size / 1048576:.1f} MB; the limit is "
        f"{MAX_TEXT_BYTES // 1048576} MB per document"
    )


def _check_is_text(text: str, name: str) -> None:
    if not text.strip():
        raise ImportRefused(f"{name}: the file holds only white space")
    nul = text.find("\x00")
    if nul >= 0:
        raise ImportRefused(f"{name}: looks binary (NUL character at offset {nul})")
    controls = sum(
        1 for ch in text[:65536] if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\x0b\x0c"
    )
    if controls > 8:
        raise ImportRefused(f"{name}: looks binary ({controls} control characters)")
    surrogate = next((i for i, ch in enumerate(text) if "\ud800" <= ch <= "\udfff"), None)
    if surrogate is not None:
        raise ImportRefused(f"{name}: holds an unpaired surrogate at offset {surrogate}")


def split_source(name: str) -> tuple[str, str]:
    """A document's source file name as (name, extension), the extension only when it is one
    documents are read from: "esp.train-doc-100.txt" gives ("esp.train-doc-100", ".txt"),
    "esp.train-doc-100" keeps its whole name."""
    path = Path(name)
    if path.suffix.lower() in SOURCE_SUFFIXES:
        return path.name[: -len(path.suffix)], path.suffix
    return path.name, ""


def title_for(path: Path, text: str) -> str:
    """The first non-empty line, shortened, or the file name."""
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line if len(line) <= 120 else line[:119] + "…"
    return path.stem


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named directly, and the .txt/.md files of named folders (sorted); anything but
    a regular file, or a file a link takes outside its folder, is refused by name."""
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise ImportRefused(f"{shown(path)}: no such file or folder")
        yield from named_files([path], lambda p: p.suffix.lower() in TEXT_SUFFIXES)


def read_text_file(path: Path, encoding: str | None = None) -> TextFile:
    """Read and decode one article file."""
    data = read_input(path, MAX_TEXT_BYTES)
    text = decode_text(data, shown(path), encoding)
    return TextFile(path, title_for(path, text), text)


def read_text_files(paths: Iterable[str | Path], encoding: str | None = None) -> list[TextFile]:
    """Read every file named (folders expanded) before anything is imported."""
    files = list(expand_paths(Path(p) for p in paths))
    if not files:
        raise ImportRefused("no .txt or .md files to import")
    return [read_text_file(path, encoding) for path in files]
