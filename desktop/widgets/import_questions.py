"""Asking before an import writes under protected names or grows the schema, and a dialog
(never a silent traceback) for whatever goes wrong in an import.

The import runs once without the user's yes; if it needs one (db/import_consent.py) it has
rolled back, the window asks, listing what the files would do, and a yes runs it again.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtWidgets import QWidget

from db.files.text_files import shown
from db.import_consent import GOLD, Consent, ConsentNeeded
from db.import_summary import ImportSummary
from desktop.widgets.dialogs import Dialogs

RunImport = Callable[[Consent], ImportSummary]


def question(needed: ConsentNeeded, importer: str) -> str:
    """What the files would do that needs a yes, in the user's words."""
    lines = ["These files would:"]
    if needed.names_refused:
        who = []
        for name in needed.needs.names:
            role = "the adjudicated version" if name == GOLD else "your own name"
            who.append(f"{name} ({role})" if name in (GOLD, importer) else name)
        lines.append(
            f"• write under {', '.join(who)}: {needed.needs.describe_names()}; "
            "a file from someone else can pass for your work or the gold version"
        )
    if needed.schema_refused:
        lines.append(
            f"• add to this database's schema {needed.needs.describe_schema(limit=20)}; "
            "they stay in the database for good"
        )
    lines.append("")
    lines.append("Import them anyway?")
    return "\n".join(lines)


def import_asking(
    parent: QWidget, dialogs: Dialogs, importer: str, run: RunImport
) -> ImportSummary | None:
    """Run the import; when it needs a yes, ask, and run it again with the answer. None when
    the user said no (nothing was changed)."""
    consent = Consent(importer)
    try:
        return run(consent)
    except ConsentNeeded as needed:
        if not dialogs.confirm(parent, "Import these files?", question(needed, importer)):
            return None
        return run(
            Consent(
                importer,
                protected_names=needed.names_refused,
                new_schema=needed.schema_refused,
            )
        )


def unexpected(paths: Sequence[Path], exc: BaseException) -> str:
    """The one line a dialog shows for an error no check foresaw (the database is unchanged:
    the import's transaction rolled back). The traceback goes to standard error, for a bug
    report."""
    traceback.print_exception(exc, file=sys.stderr)
    where = shown(paths[0]) + (f" (and {len(paths) - 1} more)" if len(paths) > 1 else "")
    return (
        f"{where}: the import failed unexpectedly ({type(exc).__name__}: {shown(str(exc))[:200]}); "
        "nothing was imported. This is a bug in Spanwise: please report it with the file."
    )
