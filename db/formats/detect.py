"""Which importable format a file or folder is in, from its extension and content.

Every format module is imported here (a missing one is skipped, so detection works while
formats are added), and each importable format's `sniff` is asked in a fixed order, most
specific first: the first that recognises the path names the format.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from db.errors import ImportRefused
from db.formats import FORMATS, Format

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
    formats = load_formats()
    ordered = [formats[name] for name in PREFERENCE if name in formats]
    ordered += [fmt for name, fmt in formats.items() if name not in PREFERENCE]
    return [fmt for fmt in ordered if fmt.can_import]


def known_formats() -> str:
    """`name (description)` for every importable format, for messages."""
    return "; ".join(f"{fmt.name} ({fmt.description})" for fmt in importable_formats())


def detect(path: Path) -> str:
    """The name of the format `path` is in; refuses, naming the known formats, when none
    recognises it."""
    path = Path(path)
    if not path.exists():
        raise ImportRefused(f"{path}: no such file or folder")
    for fmt in importable_formats():
        if fmt.sniff(path):
            return fmt.name
    raise ImportRefused(
        f"{path}: not in a format Spanwise recognises; known formats: {known_formats()}. "
        "Name the format explicitly if the file is in one of them."
    )
