"""Qt item models over the store's plain records (the document list, the annotation list)."""

from __future__ import annotations

from bisect import bisect_left
from os.path import commonprefix
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from db.records import AnnotationData, DocumentSummary, EntityData
from db.schema.label_schema import LabelDef
from desktop.document.open_document import OpenDocument, sort_key
from desktop.widgets.plain_text import tooltip_text

Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_ID_ROLE = Qt.ItemDataRole.UserRole
_SORT_ROLE = Qt.ItemDataRole.UserRole + 1


def one_line(text: str, limit: int = 120) -> str:
    """Text for a list cell: line breaks as spaces, shortened with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def attributes_text(record: AnnotationData) -> str:
    """An annotation's attributes as one line: key=value, comma-separated."""
    return ", ".join(f"{k}={v}" for k, v in record.attributes.items() if v not in (None, ""))


class _ListModel(QAbstractTableModel):
    """A flat table over a Python list of records, with named columns."""

    COLUMNS: tuple[str, ...] = ()
    _rows: list[Any]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == _DISPLAY:
            return self.COLUMNS[section]
        return None


def distinguishable_titles(rows: list[DocumentSummary], keep: int = 12) -> list[str]:
    """Titles a narrow list can tell apart: a beginning shared with another document's title
    ("Article number 117: …" imported 200 times) is cut down to its last word, so what
    differs comes first ("…number 117: …"); a title shared whole is led by its file name."""
    titles = [one_line(r.title, 200) for r in rows]
    order = sorted(range(len(titles)), key=lambda i: titles[i])
    shared = [0] * len(titles)
    for before, after in zip(order, order[1:], strict=False):
        common = len(commonprefix([titles[before], titles[after]]))
        shared[before] = max(shared[before], common)
        shared[after] = max(shared[after], common)
    counts: dict[str, int] = {}
    for title in titles:
        counts[title] = counts.get(title, 0) + 1
    shown = []
    for row, title, common in zip(rows, titles, shared, strict=True):
        if counts[title] > 1:  # the file tells them apart: it comes first
            shown.append(one_line(f"{row.source} · {title}", 120))
            continue
        if common > keep:
            words_end = title.rfind(" ", 0, common)  # the shared part's last word stays
            cut = title.rfind(" ", 0, words_end) if words_end > 0 else -1
            if cut > 0:
                title = "…" + title[cut + 1 :]
        shown.append(one_line(title, 80))
    return shown


class DocumentListModel(_ListModel):
    """Documents with this annotator's status and annotation count."""

    COLUMNS = ("Title", "Status", "Annotations")

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[DocumentSummary] = []
        self._shown: list[str] = []

    def set_documents(self, rows: list[DocumentSummary]) -> None:
        """Show these documents (titles made distinguishable where two are alike)."""
        self._shown = distinguishable_titles(rows)
        if [r.id for r in rows] == [r.id for r in self._rows]:
            self._rows = rows
            if rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, 2))
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def document(self, row: int) -> DocumentSummary:
        """The document in this row."""
        return self._rows[row]

    def update_row(self, row: int, summary: DocumentSummary) -> None:
        """Replace one row's summary (its count or status changed)."""
        if self._rows[row] != summary:
            retitled = summary.title != self._rows[row].title
            self._rows[row] = summary
            if retitled:
                self._shown = distinguishable_titles(self._rows)
            self.dataChanged.emit(self.index(row, 0), self.index(row, 2))

    def row_of(self, document_id: str | None) -> int:
        """The row of this document, or -1."""
        return next((i for i, r in enumerate(self._rows) if r.id == document_id), -1)

    def row_of_source(self, source: str) -> int:
        """The row of the document imported from a file of this name, or -1."""
        return next((i for i, r in enumerate(self._rows) if r.source == source), -1)

    def rows(self) -> list[DocumentSummary]:
        """Every document's summary, in list order."""
        return list(self._rows)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        """What a cell shows (title, status, count) for Qt's view."""
        if not index.isValid():
            return None
        doc = self._rows[index.row()]
        if role == _DISPLAY:
            shown = self._shown[index.row()]
            return (shown, doc.status, doc.annotation_count)[index.column()]
        if role == _TOOLTIP:
            return tooltip_text(f"{doc.title}\n{doc.source} · {doc.id}")
        if role == _ID_ROLE:
            return doc.id
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class AnnotationTableModel(_ListModel):
    """The open document's annotations in text order; updated row by row, never re-queried.

    `updating` is true while rows move, so views can tell a user's choice of row from the
    current row Qt moves along with an insertion or removal.
    """

    COLUMNS = ("Label", "Text", "Speaker", "Entity", "Attributes", "Annotator")
    LABEL, TEXT, SPEAKER, ENTITY, ATTRIBUTES, ANNOTATOR = range(6)

    def __init__(self, doc: OpenDocument, labels: list[LabelDef]) -> None:
        super().__init__()
        self.doc = doc
        self.colours = {label.name: QColor(label.colour) for label in labels}
        self.updating = False
        doc.reset.connect(self._reset)
        doc.added.connect(self._added)
        doc.removed.connect(self._removed)
        doc.changed.connect(self._changed)
        doc.linksChanged.connect(self._links_changed)
        self._rows = doc.records()

    def record(self, row: int) -> AnnotationData:
        """The annotation in this row."""
        return self._rows[row]

    def row_of(self, annotation_id: str) -> int:
        """The row of this annotation, or -1."""
        return next((i for i, r in enumerate(self._rows) if r.id == annotation_id), -1)

    def _row_of_record(self, record: AnnotationData) -> int:
        """The row of a record, found by its place in the text order (the rows keep it)."""
        row = bisect_left(self._rows, sort_key(record), key=sort_key)
        if row < len(self._rows) and self._rows[row].id == record.id:
            return row
        return self.row_of(record.id)

    def _reset(self) -> None:
        self.beginResetModel()
        self._rows = self.doc.records()
        self.endResetModel()

    def _added(self, record: AnnotationData) -> None:
        row = self.doc.index_of(record.id)
        self.updating = True
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, record)
        self.endInsertRows()
        self.updating = False

    def _removed(self, record: AnnotationData) -> None:
        row = self._row_of_record(record)
        self.updating = True
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()
        self.updating = False

    def _changed(self, old: AnnotationData, new: AnnotationData) -> None:
        row = self._row_of_record(old)
        if row == self.doc.index_of(new.id):  # same place: the row keeps its selection
            self._rows[row] = new
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))
            return
        self._removed(old)
        self._added(new)

    def _links_changed(self) -> None:
        if self._rows:
            first, last = self.index(0, self.SPEAKER), self.index(len(self._rows) - 1, self.ENTITY)
            self.dataChanged.emit(first, last)

    def speaker_text(self, record: AnnotationData) -> str:
        """A quote's speaker: the entity's name, else the mention's text."""
        speaker = self.doc.link_target(record.id, "speaker")
        if speaker is None:
            return ""
        entity = self.doc.entity_of(speaker.id)
        return entity.name if entity else self.doc.text_of(speaker)

    def entity_text(self, record: AnnotationData) -> str:
        """The name of the entity the annotation is a mention of ('' when none)."""
        entity = self.doc.entity_of(record.id)
        return entity.name if entity else ""

    def display(self, record: AnnotationData, column: int) -> str:
        """What one column shows of an annotation."""
        if column == self.LABEL:
            return record.label
        if column == self.TEXT:
            return one_line(self.doc.text_of(record), 80)
        if column == self.SPEAKER:
            return self.speaker_text(record)
        if column == self.ENTITY:
            return self.entity_text(record)
        if column == self.ATTRIBUTES:
            return attributes_text(record)
        return record.annotator

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        """What a cell shows for Qt's view: the columns, the text and note as tooltip."""
        if not index.isValid():
            return None
        record = self._rows[index.row()]
        if role == _DISPLAY:
            return self.display(record, index.column())
        if role == _TOOLTIP:
            tip = one_line(self.doc.text_of(record), 400)
            if record.note:
                tip += f"\nNote: {record.note}"
            return tooltip_text(tip)
        if role == Qt.ItemDataRole.DecorationRole and index.column() == self.LABEL:
            return self.colours.get(record.label)
        if role == _ID_ROLE:
            return record.id
        if role == _SORT_ROLE:
            return (self.entity_text(record) or "\uffff", record.start, -record.end, record.id)
        return None


class AnnotationFilterModel(QSortFilterProxyModel):
    """Filters the annotation list by label, and groups it by entity when asked."""

    def __init__(self, source: AnnotationTableModel) -> None:
        super().__init__()
        self.table = source  # connected only while a filter is active (see connect())
        self.label: str | None = None
        self.annotator: str | None = None
        self.grouped = False
        self.setSortRole(_SORT_ROLE)

    def connect_source(self, active: bool) -> None:
        """Follow the table only while filtering: otherwise every reset of the table would
        run filterAcceptsRow over all its rows for a list nobody sees."""
        wanted = self.table if active else None
        if self.sourceModel() is not wanted:
            self.setSourceModel(wanted)  # type: ignore[arg-type]  # None detaches (Qt docs)
            if active and self.grouped:
                self.sort(0)

    def set_label(self, label: str | None) -> None:
        """Show only this label's annotations (None: all)."""
        self.beginFilterChange()
        self.label = label
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_annotator(self, annotator: str | None) -> None:
        """Show only this annotator's annotations (None: all)."""
        self.beginFilterChange()
        self.annotator = annotator
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_grouped(self, grouped: bool) -> None:
        """Group the annotations by entity, or keep text order."""
        self.grouped = grouped
        self.setDynamicSortFilter(grouped)
        if grouped:
            self.sort(0)
        else:
            self.sort(-1)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        """Whether a row passes the label and annotator filters."""
        record = self.table.record(source_row)
        return (self.label is None or record.label == self.label) and (
            self.annotator is None or record.annotator == self.annotator
        )

    def lessThan(self, left: Index, right: Index) -> bool:
        """Text order, or entity first when grouped."""
        if not self.grouped:
            return left.row() < right.row()
        return bool(left.data(_SORT_ROLE) < right.data(_SORT_ROLE))

    def record(self, row: int) -> AnnotationData:
        """The annotation shown in this row."""
        return self.table.record(self.mapToSource(self.index(row, 0)).row())

    def row_of(self, annotation_id: str) -> int:
        """The row showing this annotation, or -1."""
        source_row = self.table.row_of(annotation_id)
        if source_row < 0:
            return -1
        return self.mapFromSource(self.table.index(source_row, 0)).row()


class EntityListModel(_ListModel):
    """The document's entities with how many mentions and quotes each has."""

    COLUMNS = ("Entity", "Type", "Mentions", "Quotes")

    def __init__(self, doc: OpenDocument) -> None:
        super().__init__()
        self.doc = doc
        self._rows: list[EntityData] = []
        doc.linksChanged.connect(self.refresh)
        doc.reset.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Reload the entities from the open document."""
        self.beginResetModel()
        self._rows = sorted(self.doc.entities.values(), key=lambda e: (e.name.lower(), e.id))
        self.endResetModel()

    def entity(self, row: int) -> EntityData:
        """The entity in this row."""
        return self._rows[row]

    def row_of(self, entity_id: str) -> int:
        """The row of this entity, or -1."""
        return next((i for i, e in enumerate(self._rows) if e.id == entity_id), -1)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        """What a cell shows (name, type, counts) for Qt's view."""
        if not index.isValid():
            return None
        entity = self._rows[index.row()]
        if role == _DISPLAY:
            column = index.column()
            if column == 0:
                mine = entity.annotator == self.doc.annotator
                return entity.name if mine else f"{entity.name} ({entity.annotator})"
            if column == 1:
                return entity.label
            if column == 2:
                return len(entity.mentions)
            return len(self.doc.quotes_of(entity))
        if role == _TOOLTIP:
            mentions = [self.doc.get(m) for m in entity.mentions]
            texts = [one_line(self.doc.text_of(m), 60) for m in mentions if m is not None]
            return tooltip_text(f"{entity.name}\n" + "\n".join(texts))
        if role == _ID_ROLE:
            return entity.id
        return None
