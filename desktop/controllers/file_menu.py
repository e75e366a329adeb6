"""The File menu's work: importing (text, Spanwise JSON, other tools' formats) and exporting,
with progress and all-or-nothing refusals, and switching or creating databases."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QProgressDialog

from db.errors import EncodingRefused, FormatUnknown, SpanwiseError
from db.files.text_files import split_source
from db.import_consent import Consent
from desktop.session import read_schema_file
from desktop.widgets.import_questions import import_asking, unexpected

if TYPE_CHECKING:
    from db.import_summary import ImportSummary
    from desktop.controllers.window_face import WindowFace

TEXT_FILTER = "Text files (*.txt *.md);;All files (*)"
JSON_FILTER = "Spanwise JSON (*.json);;All files (*)"


# What a text file that is not UTF-8 is most often in, first the one its bytes suggest.
COMMON_ENCODINGS = [
    "windows-1252 — Western European (Windows; covers Latin-1)",
    "iso-8859-1 — Latin-1",
    "iso-8859-15 — Latin-9 (with €)",
    "utf-16-le — UTF-16, little endian",
    "utf-16-be — UTF-16, big endian",
    "windows-1250 — Central European",
    "windows-1251 — Cyrillic",
    "koi8-r — Russian",
    "mac-roman — old Macintosh",
    "shift_jis — Japanese",
    "gb18030 — Chinese",
    "big5 — Traditional Chinese",
    "euc-kr — Korean",
    "utf-8 — Unicode",
]


_JSON_FORMATS = ("spanwise", "label-studio", "uima-json", "doccano")


def likely_first(formats: list[str], paths: list[Path]) -> list[str]:
    """The formats to offer, those a file's extension suggests first (a .json is no XMI)."""
    suffixes = {p.suffix.lower() for p in paths}
    if suffixes & {".json", ".jsonl"}:
        return [f for f in formats if f in _JSON_FORMATS] + [
            f for f in formats if f not in _JSON_FORMATS
        ]
    return formats


def encodings_to_offer(suggested: str | None, tried: str | None) -> list[str]:
    """The list to choose from: the suggested encoding first, the one just tried last."""
    first = [e for e in COMMON_ENCODINGS if suggested and e.startswith(suggested + " ")]
    rest = [e for e in COMMON_ENCODINGS if e not in first]
    if tried:
        rest = [e for e in rest if not e.startswith(tried + " ")] + [
            e for e in rest if e.startswith(tried + " ")
        ]
    return first + rest


class ImportCancelled(SpanwiseError):
    """The user pressed Cancel; the transaction rolls back."""


class FileMenu(QObject):
    """Imports and exports for one window; the window's actions call these."""

    def __init__(self, window: WindowFace) -> None:
        super().__init__(window.qt)
        self.window = window

    def _with_progress(self, title: str, work: Callable[[Callable[[int, int], None]], Any]) -> Any:
        dialog = QProgressDialog(title, "Cancel", 0, 100, self.window.qt)
        dialog.setObjectName("progressDialog")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.setAutoClose(True)

        def progress(done: int, total: int) -> None:
            dialog.setMaximum(max(total, 1))
            dialog.setValue(done)
            QApplication.processEvents()
            if dialog.wasCanceled():
                raise ImportCancelled(f"{title} cancelled; nothing was changed")

        try:
            return work(progress)
        finally:
            dialog.reset()
            dialog.deleteLater()

    def import_text_files(self) -> None:
        """File > Import text files."""
        paths = self.window.dialogs.open_files(self.window.qt, "Import text files", TEXT_FILTER)
        if paths:
            self.import_paths([Path(p) for p in paths])

    def import_folder(self) -> None:
        """File > Import a folder of text files."""
        folder = self.window.dialogs.open_folder(self.window.qt, "Import a folder of text files")
        if folder:
            self.import_paths([Path(folder)])

    def import_other_format(self) -> None:
        """brat, INCEpTION, doccano, Label Studio...: choose the format, then the files."""
        from db.formats.detect import importable_formats

        names = ["detect from the files"] + [f.name for f in importable_formats()]
        chosen = self.window.dialogs.choose_format(
            self.window.qt, "Import from another tool", names
        )
        if chosen is None:
            return
        folder_formats = {"brat", "parc-brat"}
        if chosen in folder_formats:
            folder = self.window.dialogs.open_folder(self.window.qt, f"Import a {chosen} folder")
            paths = [Path(folder)] if folder else []
        else:
            paths = [
                Path(p)
                for p in self.window.dialogs.open_files(self.window.qt, "Import files", "All (*)")
            ]
        if paths:
            fmt = None if chosen == names[0] else chosen
            self.import_paths(paths, f"Importing ({chosen})…", fmt)

    def export_other_format(self) -> None:
        """File > Export in another format: ask which and where, then write it."""
        from db.formats.export import export_formats, export_to

        chosen = self.window.dialogs.choose_format(
            self.window.qt, "Export in another format", export_formats()
        )
        if chosen is None:
            return
        folder_formats = {"brat", "parc-brat", "uima-xmi", "uima-json"}
        if chosen in folder_formats:
            target = self.window.dialogs.open_folder(
                self.window.qt, f"Folder to write the {chosen} files into"
            )
        else:
            target = self.window.dialogs.save_file(
                self.window.qt, f"Export as {chosen}", f"spanwise.{chosen}", "All files (*)"
            )
        if not target:
            return
        try:
            report = self._with_progress(
                f"Exporting ({chosen})…",
                lambda _p: export_to(self.window.store, chosen, Path(target)),
            )
        except (SpanwiseError, OSError) as exc:
            self.window.dialogs.error(self.window.qt, "Export failed", str(exc))
            return
        self.window.show_message(f"Exported to {target} ({chosen}): {report.describe()}")
        if report.lost or report.messages:
            self.window.dialogs.info(
                self.window.qt, "Export done", "\n".join([report.describe(), *report.messages])
            )

    def import_paths(
        self, paths: list[Path], title: str = "Importing…", fmt: str | None = None
    ) -> bool:
        """Import text files, folders, exports or other tools' files, all or nothing. A text
        file in another encoding, or a file no format claims, is asked about here (the
        encoding, the format) and the import tried again with the answer."""
        # Long because the ask-and-retry loop around one import: each answer (encoding, format,
        # consent) retries the same import, so the questions stay in one loop.
        from db.formats.batch_import import import_paths  # loaded when needed: a faster start

        encoding: str | None = None

        def run(consent: Consent) -> ImportSummary:
            return self._with_progress(
                title,
                lambda progress: import_paths(
                    self.window.store,
                    paths,
                    encoding,
                    progress=progress,
                    fmt=fmt,
                    consent=consent,
                ),
            )

        while True:
            try:
                summary = import_asking(
                    self.window.qt, self.window.dialogs, self.window.doc.annotator, run
                )
                break
            except EncodingRefused as exc:
                encoding = self.window.dialogs.choose_encoding(
                    self.window.qt, exc.problem, encodings_to_offer(exc.suggested, encoding)
                )
                if encoding is None:
                    return self._refused(exc.problem)
            except FormatUnknown as exc:
                from db.formats.detect import importable_formats

                formats = importable_formats()
                named = ", ".join(p.name for p in paths[:3]) + (" …" if len(paths) > 3 else "")
                fmt = self.window.dialogs.choose_format(
                    self.window.qt,
                    "Which format?",
                    likely_first([f.name for f in formats], paths),
                    f"Spanwise cannot tell which tool wrote {named}.\nWhich format is it?",
                    {f.name: f.description for f in formats},
                )
                if fmt is None:
                    return self._refused(str(exc).split(";")[0])  # not the command line's advice
            except SpanwiseError as exc:
                return self._refused(str(exc))
            except Exception as exc:  # a bug: still one line in a dialog, and nothing imported
                self.window.dialogs.error(self.window.qt, "Import failed", unexpected(paths, exc))
                return False
        if summary is None:
            self.window.show_message("Import not done; nothing was changed.")
            return False
        self.window.remember_file_state()
        self.window.refresh_documents()
        if self.window.doc.document is None:
            self.window.open_row(0)
        else:
            self.window.doc.reload()
        self.window.show_message(f"Imported {summary.describe()}.")
        if summary.messages or summary.consent_lines():
            self.window.dialogs.info(
                self.window.qt,
                "Import done",
                "\n".join(
                    [
                        f"Imported {summary.describe()}.",
                        *summary.annotator_lines(),
                        *summary.consent_lines(),
                        *summary.messages,
                    ]
                ),
            )
        return True

    def _refused(self, message: str) -> bool:
        self.window.dialogs.error(
            self.window.qt, "Import refused", f"{message}\n\nNothing was imported."
        )
        return False

    def import_annotations(self) -> None:
        """File > Import annotations (Spanwise JSON exports)."""
        paths = self.window.dialogs.open_files(self.window.qt, "Import annotations", JSON_FILTER)
        if paths:
            self.import_paths([Path(p) for p in paths], "Importing annotations…")

    def export_all(self) -> None:
        """File > Export database as JSON."""
        self._export(None, "spanwise-export.json")

    def export_document(self) -> None:
        """File > Export current document."""
        if self.window.doc.document is None:
            self.window.show_message("No document is open.")
            return
        document = self.window.doc.document
        self._export(document.id, f"{split_source(document.source)[0]}.json")

    def _export(self, document_id: str | None, suggested: str) -> None:
        from db.formats.spanwise_json import describe_export, export_json, save_export

        path = self.window.dialogs.save_file(
            self.window.qt, "Export as Spanwise JSON", suggested, JSON_FILTER
        )
        if not path:
            return
        try:
            data = export_json(self.window.store, None, document_id, lazy=True)
            self._with_progress("Exporting…", lambda _p: save_export(data, Path(path)))
        except (SpanwiseError, OSError) as exc:
            self.window.dialogs.error(self.window.qt, "Export failed", str(exc))
            return
        self.window.show_message(f"Exported {describe_export(data)} to {path}")

    def switch_database(self) -> None:
        """File > Switch or create database."""
        path = self.window.dialogs.choose_database(self.window.qt)
        if path:
            self.window.databaseSwitchRequested.emit(path, "")

    def new_database_from_schema(self) -> None:
        """Start a database whose labels and links come from the user's own schema file."""
        chosen = self.window.dialogs.open_files(self.window.qt, "Choose a schema file", JSON_FILTER)
        if not chosen:
            return
        try:
            schema_text = read_schema_file(Path(chosen[0]))
        except SpanwiseError as exc:
            self.window.dialogs.error(self.window.qt, "Schema refused", str(exc))
            return
        path = self.window.dialogs.choose_database(self.window.qt)
        if path:
            self.window.databaseSwitchRequested.emit(path, schema_text)
