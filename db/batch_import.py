"""One import of many paths (text files, folders, Spanwise exports): read and check all of
them, then write everything in one transaction, so a refused file leaves nothing behind."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from db.errors import ImportRefused
from db.records import ExportedDocument, ImportSummary
from db.schema import Schema
from db.spanwise_json import load_export_file, looks_like_spanwise, parse_export
from db.store import Progress, Store
from db.textfiles import TextFile, read_text_files


@dataclass
class ImportPlan:
    """Everything an import will write, already decoded and checked."""

    texts: list[TextFile] = field(default_factory=list)
    exports: list[tuple[Schema, Sequence[ExportedDocument]]] = field(default_factory=list)


def plan_import(paths: Iterable[str | Path], encoding: str | None = None) -> ImportPlan:
    """Read every path; `.json` files must be Spanwise exports, the rest article text."""
    plan = ImportPlan()
    text_paths: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.suffix.lower() != ".json":
            text_paths.append(path)
            continue
        data = load_export_file(path)
        if not looks_like_spanwise(data):
            raise ImportRefused(f'{path}: not a Spanwise export (no "format": "spanwise")')
        plan.exports.append(parse_export(data, str(path)))
    if text_paths:
        plan.texts = read_text_files(text_paths, encoding)
    return plan


def import_paths(
    store: Store,
    paths: Iterable[str | Path],
    encoding: str | None = None,
    replace: bool = False,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import text files, folders and Spanwise exports together, all or nothing."""
    plan = plan_import(paths, encoding)
    return store.import_batch(plan.texts, plan.exports, replace, progress)
