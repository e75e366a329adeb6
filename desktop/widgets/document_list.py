"""The window's document list, read a page at a time as it scrolls into view.

A 50,000-document database used to be read whole (titles, statuses, a count over every
annotation) before the window could paint. This model reads the first page, and Qt asks
for the next one (canFetchMore/fetchMore) when the list is scrolled near its end; a page is
one indexed query (Store.document_page), so the window starts as fast at any size. Whatever
needs the whole list (finding a document not read yet, "done, open the next not done")
reads the rest first.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex

from db.records import DocumentSummary
from db.store import Store
from desktop.widgets.item_models import DocumentListModel, Index, distinguishable_titles

PAGE = 500  # rows a fetch reads: many screens, a few milliseconds


class LazyDocumentListModel(DocumentListModel):
    """DocumentListModel over a store, filled page by page."""

    def __init__(self) -> None:
        super().__init__()
        self._store: Store | None = None
        self._annotator = ""
        self._complete = True
        self._row_of: dict[str, int] = {}

    def load(self, store: Store, annotator: str) -> None:
        """(Re)read the list: as many rows as were read before, at least a page, so that a
        refresh keeps the rows the user has scrolled to."""
        self._store, self._annotator = store, annotator
        wanted = max(PAGE, len(self._rows))
        rows = store.document_page(annotator, 0, wanted)
        self._complete = len(rows) < wanted
        self.set_documents(rows)

    def set_documents(self, rows: list[DocumentSummary]) -> None:
        """Show these rows, and index them by document id."""
        super().set_documents(rows)
        self._row_of = {row.id: index for index, row in enumerate(self._rows)}

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        """Whether rows remain unread (Qt asks when the user scrolls near the end)."""
        return not parent.isValid() and not self._complete

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        """Read the next page of documents into the list."""
        if parent.isValid() or self._complete or self._store is None:
            return
        start = len(self._rows)
        page = self._store.document_page(self._annotator, start, PAGE)
        self._complete = len(page) < PAGE
        if not page:
            return
        self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
        self._rows.extend(page)
        self._shown.extend(distinguishable_titles(page))  # titles told apart within a page
        for offset, row in enumerate(page):
            self._row_of[row.id] = start + offset
        self.endInsertRows()

    def fetch_all(self) -> None:
        """Read every remaining page (before a search over the whole list)."""
        while self.canFetchMore():
            self.fetchMore()

    def update_row(self, row: int, summary: DocumentSummary) -> None:
        """Replace one row's summary, keeping its index by id."""
        super().update_row(row, summary)
        self._row_of[summary.id] = row

    def row_of(self, document_id: str | None) -> int:
        """The row of a document, reading further pages if it is not read yet; -1 if none."""
        if document_id is None:
            return -1
        if document_id not in self._row_of and not self._complete:
            self.fetch_all()
        return self._row_of.get(document_id, -1)

    def row_of_source(self, source: str) -> int:
        """The row of a document by source file, reading further pages if needed; -1 if none."""
        found = super().row_of_source(source)
        if found < 0 and not self._complete:
            self.fetch_all()
            found = super().row_of_source(source)
        return found

    def rows(self) -> list[DocumentSummary]:
        """Every row, all pages read."""
        self.fetch_all()
        return super().rows()
