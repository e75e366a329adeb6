"""Which importable format a file or folder is in, from its extension and content.

The one answer to "how will `spanwise import` read this path": a Spanwise export, plain text,
or another tool's format. Every format module is imported here (a missing one is skipped, so
detection works while formats are added), and each importable format's `sniff` is asked in a
fixed order, most specific first: the first that recognises the path names the format.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from db.errors import FormatUnknown, ImportRefused
from db.files.text_files import TEXT_SUFFIXES
from db.formats import FORMATS, Format
from db.formats.spanwise_stream import looks_like_spanwise_file

SPANWISE = "spanwise"
TEXT = "text"

FORMAT_MODULES = (
    "db.formats.uima_cas",
    "db.formats.webanno_tsv",
    "db.formats.brat",
    "db.formats.parc",
    "db.formats.label_studio",
    "db.formats.doccano",
    "db.formats.w3c",
    "db.formats.training",
)
# Asked first when several formats could claim a path: those with an unmistakable marker
# (UIMA CAS, WebAnno TSV) before the rest; PARC (brat files with PARC's attribution events)
# before plain brat; UIMA CAS JSON before Label Studio's .json.
PREFERENCE = (
    "uima-xmi",
    "uima-json",
    "webanno-tsv",
    "parc-brat",
    "brat",
    "label-studio",
    "doccano",
)


def load_formats() -> dict[str, Format]:
    """Import every format module there is; returns the registry."""
    for module in FORMAT_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:  # the module exists but something it imports does not
                raise
    return FORMATS


def importable_formats() -> list[Format]:
    """The formats an import can read, in menu order."""
    formats = load_formats()
    ordered = [formats[name] for name in PREFERENCE if name in formats]
    ordered += [fmt for name, fmt in formats.items() if name not in PREFERENCE]
    return [fmt for fmt in ordered if fmt.can_import]


def known_formats() -> str:
    """`name (description)` for every format `spanwise import` reads, for messages."""
    own = [f"{SPANWISE} (Spanwise JSON v1)", f"{TEXT} (.txt and .md files, folders of them)"]
    return "; ".join(own + [f"{fmt.name} ({fmt.description})" for fmt in importable_formats()])


def detect(path: Path, loaded: dict[Path, dict[str, Any]] | None = None) -> str:
    """The format `path` is in, as `spanwise import` reads it: spanwise, text, or another
    tool's format; refuses, naming the known formats, when none recognises it. A Spanwise
    export is known by its head alone (`loaded` is no longer filled: the import streams)."""
    path = Path(path)
    if not path.exists():
        raise ImportRefused(f"{path}: no such file or folder")
    problem = f"{path}: not in a format Spanwise recognises"
    if path.is_file() and path.suffix.lower() == ".json":
        try:
            spanwise = looks_like_spanwise_file(path)  # reads the head, not the documents
        except ImportRefused as exc:  # not JSON: say so, unless another format claims it
            problem = f"{exc}, nor in another format Spanwise recognises"
        else:
            if spanwise:
                return SPANWISE
            problem = f'{path}: not a Spanwise export (no "format": "spanwise") nor in another '
            problem += "format Spanwise recognises"
    for fmt in importable_formats():
        if fmt.sniff(path):
            return fmt.name
    if path.is_dir() or path.suffix.lower() in TEXT_SUFFIXES:
        return TEXT
    raise FormatUnknown(
        f"{problem}; known formats: {known_formats()}. "
        "Name the format explicitly if the file is in one of them."
    )
