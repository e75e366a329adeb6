"""One import of many paths (text files, folders, Spanwise exports, other tools' formats): read
and check all of them, then write everything in one transaction, so a refused file leaves
nothing behind."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from db.errors import ImportRefused
from db.files.input_files import check_input
from db.files.text_files import TextFile, read_text_files
from db.formats import FormatReport, ReadOptions
from db.formats.detect import SPANWISE, TEXT, detect, load_formats
from db.formats.spanwise_stream import named_refusal, stream_export
from db.import_consent import Consent
from db.import_summary import ImportSummary
from db.records import ExportedDocument
from db.schema.label_schema import Schema
from db.store import Progress, Store
from db.text.messages import Messages
from db.text.plain import shown


@dataclass
class ImportPlan:
    """Everything an import will write, already decoded and checked."""

    texts: list[TextFile] = field(default_factory=list)
    exports: list[tuple[Schema, Sequence[ExportedDocument]]] = field(default_factory=list)
    reports: list[tuple[Path, str, FormatReport]] = field(default_factory=list)


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
            raise ImportRefused(f"{shown(path)}: no such file or folder")
        if not path.is_dir():
            check_input(path)  # a FIFO or a device named directly is never read
        name = fmt or detect(path, loaded)
        if name == TEXT:
            text_paths.append(path)
        elif name == SPANWISE:  # read a document at a time while the import writes
            plan.exports.append(stream_export(path))
        else:
            by_format.setdefault(name, []).append(path)
    if by_format:
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
    consent: Consent | None = None,
) -> ImportSummary:
    """Import text files, folders, Spanwise exports and other formats together, all or
    nothing; what a format could not carry is listed in the summary's messages.

    Files come from users: without `consent` the import refuses (ConsentNeeded) to write
    under gold or to add labels and link types to the database's schema."""
    plan = plan_import(paths, encoding, fmt, options)
    try:
        summary = store.import_batch(
            plan.texts, plan.exports, replace, progress, consent or Consent()
        )
    except ImportRefused as exc:
        refusal = named_refusal(plan.exports, exc)
        if refusal is exc:
            raise
        raise refusal from exc
    messages = Messages()
    for path, name, report in plan.reports:
        messages.append(f"{path} ({name}): {report.describe()}")
        messages.extend(report.messages)
    messages.extend(summary.messages)
    summary.messages = messages
    return summary
