"""One import of many paths (text files, folders, Spanwise exports, other tools' formats): read
and check all of them, then write everything in one transaction, so a refused file leaves
nothing behind."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from db.errors import FormatUnknown, ImportRefused
from db.formats import FormatReport, ReadOptions
from db.records import ExportedDocument, ImportSummary
from db.schema import Schema
from db.spanwise_json import load_export_file, looks_like_spanwise, parse_export
from db.store import Progress, Store
from db.textfiles import TEXT_SUFFIXES, TextFile, read_text_files

SPANWISE = "spanwise"
TEXT = "text"


@dataclass
class ImportPlan:
    """Everything an import will write, already decoded and checked."""

    texts: list[TextFile] = field(default_factory=list)
    exports: list[tuple[Schema, Sequence[ExportedDocument]]] = field(default_factory=list)
    reports: list[tuple[Path, str, FormatReport]] = field(default_factory=list)


def format_of(path: Path, loaded: dict[Path, dict[str, Any]] | None = None) -> str:
    """spanwise, text, or another tool's format: by extension and content. A Spanwise export
    read on the way is kept in `loaded`, so it is not read twice."""
    json_problem: ImportRefused | None = None
    if path.is_file() and path.suffix.lower() == ".json":
        try:
            data = load_export_file(path)
            if looks_like_spanwise(data):
                if loaded is not None:
                    loaded[path] = data
                return SPANWISE
            json_problem = FormatUnknown(
                f'{path}: not a Spanwise export (no "format": "spanwise"), nor a format '
                "Spanwise recognises; name the format with --format"
            )
        except ImportRefused as exc:
            json_problem = exc  # not JSON at all: say so, unless another format claims it
    from db.formats.detect import detect

    try:
        return detect(path)
    except ImportRefused as exc:
        if json_problem is not None:
            raise json_problem from None
        if path.is_dir() or path.suffix.lower() in TEXT_SUFFIXES:
            return TEXT
        raise FormatUnknown(str(exc)) from exc


def plan_import(
    paths: Iterable[str | Path],
    encoding: str | None = None,
    fmt: str | None = None,
    options: ReadOptions | None = None,
) -> ImportPlan:
    """Read every path in its format (given, or detected per path)."""
    plan = ImportPlan()
    options = options or ReadOptions(encoding=encoding)
    text_paths: list[Path] = []
    by_format: dict[str, list[Path]] = {}
    loaded: dict[Path, dict[str, Any]] = {}
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise ImportRefused(f"{path}: no such file or folder")
        name = fmt or format_of(path, loaded)
        if name == TEXT:
            text_paths.append(path)
        elif name == SPANWISE:
            data = loaded.pop(path, None) or load_export_file(path)
            if not looks_like_spanwise(data):
                raise ImportRefused(f'{path}: not a Spanwise export (no "format": "spanwise")')
            plan.exports.append(parse_export(data, str(path)))
        else:
            by_format.setdefault(name, []).append(path)
    if by_format:
        from db.formats.detect import load_formats

        formats = load_formats()
        for name, format_paths in by_format.items():
            if name not in formats or not formats[name].can_import:
                raise ImportRefused(f"cannot import the format '{name}'")
            batch = formats[name].read(format_paths, options)
            plan.exports.append((batch.schema, batch.documents))
            plan.reports.append((format_paths[0], name, batch.report))
    if text_paths:
        plan.texts = read_text_files(text_paths, encoding)
    return plan


def import_paths(
    store: Store,
    paths: Iterable[str | Path],
    encoding: str | None = None,
    replace: bool = False,
    progress: Progress | None = None,
    fmt: str | None = None,
    options: ReadOptions | None = None,
) -> ImportSummary:
    """Import text files, folders, Spanwise exports and other formats together, all or
    nothing; what a format could not carry is listed in the summary's messages."""
    plan = plan_import(paths, encoding, fmt, options)
    summary = store.import_batch(plan.texts, plan.exports, replace, progress)
    for path, name, report in plan.reports:
        summary.messages.insert(0, f"{path} ({name}): {report.describe()}")
        summary.messages[1:1] = report.messages
    return summary
