"""Qt item models over the store's plain records (the document list, the annotation list)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from db.records import AnnotationData, DocumentSummary
from db.schema import LabelDef
from desktop.open_document import OpenDocument
from desktop.plain_text import tooltip_text

Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_ID_ROLE = Qt.ItemDataRole.UserRole


def one_line(text: str, limit: int = 120) -> str:
    """Text for a list cell: line breaks as spaces, shortened with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def attributes_text(record: AnnotationData) -> str:
    return ", ".join(f"{k}={v}" for k, v in record.attributes.items() if v not in (None, ""))


class DocumentListModel(QAbstractTableModel):
    """Documents with this annotator's status and annotation count."""

    COLUMNS = ("Title", "Status", "Annotations")

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[DocumentSummary] = []

    def set_documents(self, rows: list[DocumentSummary]) -> None:
        if [r.id for r in rows] == [r.id for r in self._rows]:
            self._rows = rows
            if rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, 2))
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def document(self, row: int) -> DocumentSummary:
        return self._rows[row]

    def row_of(self, document_id: str | None) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == document_id), -1)

    def rows(self) -> list[DocumentSummary]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == _DISPLAY:
            return self.COLUMNS[section]
        return None

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        doc = self._rows[index.row()]
        if role == _DISPLAY:
            return (one_line(doc.title, 80), doc.status, doc.annotation_count)[index.column()]
        if role == _TOOLTIP:
            return tooltip_text(f"{doc.title}\n{doc.source} · {doc.id}")
        if role == _ID_ROLE:
            return doc.id
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class AnnotationTableModel(QAbstractTableModel):
    """The open document's annotations in text order; updated row by row, never re-queried."""

    COLUMNS = ("Label", "Text", "Attributes", "Annotator")

    def __init__(self, doc: OpenDocument, labels: list[LabelDef]) -> None:
        super().__init__()
        self.doc = doc
        self.colours = {label.name: QColor(label.colour) for label in labels}
        doc.reset.connect(self._reset)
        doc.added.connect(self._added)
        doc.removed.connect(self._removed)
        doc.changed.connect(self._changed)
        self._rows = doc.records()

    def record(self, row: int) -> AnnotationData:
        return self._rows[row]

    def row_of(self, annotation_id: str) -> int:
        return self.doc.index_of(annotation_id)

    def _reset(self) -> None:
        self.beginResetModel()
        self._rows = self.doc.records()
        self.endResetModel()

    def _added(self, record: AnnotationData) -> None:
        row = self.doc.index_of(record.id)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, record)
        self.endInsertRows()

    def _removed(self, record: AnnotationData) -> None:
        row = next(i for i, r in enumerate(self._rows) if r.id == record.id)
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()

    def _changed(self, old: AnnotationData, new: AnnotationData) -> None:
        self._removed(old)
        self._added(new)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == _DISPLAY:
            return self.COLUMNS[section]
        return None

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        record = self._rows[index.row()]
        if role == _DISPLAY:
            column = index.column()
            if column == 0:
                return record.label
            if column == 1:
                return one_line(self.doc.text[record.start : record.end], 80)
            if column == 2:
                return attributes_text(record)
            return record.annotator
        if role == _TOOLTIP:
            tip = one_line(self.doc.text[record.start : record.end], 400)
            if record.note:
                tip += f"\nNote: {record.note}"
            return tooltip_text(tip)
        if role == Qt.ItemDataRole.DecorationRole and index.column() == 0:
            return self.colours.get(record.label)
        if role == _ID_ROLE:
            return record.id
        return None
