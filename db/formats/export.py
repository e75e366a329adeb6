"""Export in any format: Spanwise JSON, or another tool's, from the same store data."""

from __future__ import annotations

from pathlib import Path

from db.errors import SpanwiseError
from db.formats import FormatReport, WriteOptions
from db.formats.spanwise_json import export_json, save_export
from db.store import Store

SPANWISE = "spanwise"


def export_formats() -> list[str]:
    """The names of the formats an export can write, Spanwise JSON first."""
    from db.formats.detect import load_formats

    return [SPANWISE] + sorted(n for n, f in load_formats().items() if f.can_export)


def export_to(
    store: Store,
    fmt: str,
    target: Path,
    annotator: str | None = None,
    document_id: str | None = None,
) -> FormatReport:
    """Write the database (or one annotator's work, or one document) to `target`."""
    if fmt == SPANWISE:
        data = export_json(store, annotator, document_id)
        save_export(data, target)
        report = FormatReport()
        report.count("documents", len(data["documents"]))
        report.count("annotations", sum(len(d["annotations"]) for d in data["documents"]))
        report.count("links", sum(len(d["relations"]) for d in data["documents"]))
        report.count("entities", sum(len(d["entities"]) for d in data["documents"]))
        return report
    from db.formats.detect import load_formats

    formats = load_formats()
    if fmt not in formats or not formats[fmt].can_export:
        raise SpanwiseError(
            f"cannot export the format '{fmt}'; choose one of {', '.join(export_formats())}"
        )
    documents = store.export_documents(annotator, document_id)
    return formats[fmt].write(documents, store.schema(), target, WriteOptions(annotator))
