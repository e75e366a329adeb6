"""What the readers and writers of other tools' JSON (doccano, Label Studio, W3C, training
data) share: reading files with refusals that name the line, checking a document text,
collecting the labels and link types imported work needs, and writing a file atomically."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from db.errors import ImportRefused
from db.files.input_files import check_input, folder_files, read_head, read_input
from db.files.json_files import parse_json
from db.files.text_files import MAX_TEXT_BYTES, text_sha256
from db.records import DocumentData, ExportedDocument, now_iso

MAX_FILE_BYTES = 512 * 1024 * 1024


def read_bytes(path: Path) -> bytes:
    """A tool's file, read within the size every tool's file is allowed."""
    return read_input(path, MAX_FILE_BYTES)


def decode_utf8(raw: bytes, path: Path) -> str:
    """The bytes as UTF-8 text; anything else is refused naming the file."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(f"{path}: not UTF-8 at byte {exc.start}") from exc


def read_json(path: Path) -> Any:
    """One JSON document; a syntax error is refused with its line and column."""
    text = decode_utf8(read_bytes(path), path)
    if not text.strip():
        raise ImportRefused(f"{path}: the file is empty")
    return parse_json(text, str(path))


def read_json_lines(path: Path) -> list[tuple[int, Any]]:
    """(line number, value) for every non-blank line of a JSON lines file."""
    text = decode_utf8(read_bytes(path), path)
    records: list[tuple[int, Any]] = []
    # split on \n only: a JSON line may hold a \r or U+2028 inside a string
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        records.append((number, parse_json(line, f"{path}, line {number}", one_line=True)))
    if not records:
        raise ImportRefused(f"{path}: the file is empty")
    return records


def first_json_line(path: Path) -> Any:
    """The first non-blank line of a file as JSON, or None (for sniffing; never raises)."""
    head = read_head(path, 4 * 1024 * 1024)
    for line in head.split(b"\n")[:100]:
        if line.strip():
            try:
                return json.loads(line.decode("utf-8-sig"))
            except (ValueError, RecursionError):
                return None
    return None


def expand(paths: Sequence[Path], suffixes: tuple[str, ...]) -> list[Path]:
    """Files named directly, and the files with these suffixes inside named folders."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = folder_files(path, lambda p: p.suffix.lower() in suffixes, recursive=False)
            if not found:
                raise ImportRefused(f"{path}: no {' or '.join(suffixes)} files in this folder")
            files.extend(found)
        elif path.exists() or path.is_symlink():
            check_input(path)
            files.append(path)
        else:
            raise ImportRefused(f"{path}: no such file or folder")
    if not files:
        raise ImportRefused("no files to import")
    return files


def check_text(text: Any, where: str) -> str:
    """A document text Spanwise can store, or a refusal naming where it came from."""
    if not isinstance(text, str):
        raise ImportRefused(f"{where}: the text must be a string")
    if not text.strip():
        raise ImportRefused(f"{where}: the text is empty")
    surrogate = next((i for i, ch in enumerate(text) if "\ud800" <= ch <= "\udfff"), None)
    if surrogate is not None:
        raise ImportRefused(f"{where}: the text holds an unpaired surrogate at {surrogate}")
    if len(text.encode("utf-8")) > MAX_TEXT_BYTES:
        raise ImportRefused(f"{where}: the text is larger than 20 MB")
    return text


def new_document(text: str, title: str, source: str) -> DocumentData:
    """An imported document; the database gives it its id and import time."""
    return DocumentData("", title, source, text, text_sha256(text), "")


def title_of(text: str, fallback: str) -> str:
    """The first non-empty line, shortened (as for text files), or the fallback."""
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line if len(line) <= 120 else line[:119] + "…"
    return fallback


def iso_time(value: Any) -> str:
    """A tool's timestamp in the form Spanwise writes (UTC, milliseconds, Z); now if none."""
    if isinstance(value, str) and value:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return now_iso()
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return now_iso()


def whole_int(value: Any) -> bool:
    """Whether a JSON value is a whole number (true and false are not)."""
    return isinstance(value, int) and not isinstance(value, bool)


def as_offset(value: Any) -> int | None:
    """A JSON whole number (not true/false), or None."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def only_annotator(
    documents: Iterable[ExportedDocument], annotator: str | None
) -> Iterator[ExportedDocument]:
    """The documents with only this annotator's work (all of it when None)."""
    for item in documents:
        if annotator is None:
            yield item
            continue
        yield replace(
            item,
            statuses={k: v for k, v in item.statuses.items() if k == annotator},
            annotations=[a for a in item.annotations if a.annotator == annotator],
            relations=[r for r in item.relations if r.annotator == annotator],
            entities=[e for e in item.entities if e.annotator == annotator],
        )


def owners(item: ExportedDocument) -> list[str]:
    """Annotators with spans in a document, or who marked it done without any, sorted."""
    names = {a.annotator for a in item.annotations}
    names |= {name for name, status in item.statuses.items() if status == "done"}
    return sorted(names)


def json_line(value: Any) -> str:
    """One JSON Lines line."""
    return json.dumps(value, ensure_ascii=False) + "\n"
