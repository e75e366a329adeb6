"""The panels beside the article: the annotation list (filter by label, group by entity) and
the entity list (coreference chains with their mention and quote counts)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.records import EntityData
from db.schema.label_schema import LabelDef
from desktop.document.open_document import OpenDocument
from desktop.widgets.item_models import AnnotationFilterModel, AnnotationTableModel, EntityListModel
from desktop.widgets.palette import annotator_colour

ALL_LABELS = "All labels"
ALL_ANNOTATORS = "All annotators"


def _table(name: str, accessible: str) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setAccessibleName(accessible)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(False)
    table.setTabKeyNavigation(False)
    rows = table.verticalHeader()
    rows.setMinimumSectionSize(table.fontMetrics().height() + 4)
    rows.setDefaultSectionSize(table.fontMetrics().height() + 8)
    return table


class AnnotationPanel(QWidget):
    """The annotation list with its label filter and 'group by entity' switch.

    The list shows the table model itself until a filter or grouping is asked for, and only
    then goes through the proxy: a proxy asks Python about every row on each reset, which a
    20,000-annotation document would pay on every open.
    """

    rowChosen = Signal(int)  # a row of `shown` that became current

    def __init__(self, doc: OpenDocument, labels: list[LabelDef]) -> None:
        super().__init__()
        self.model = AnnotationTableModel(doc, labels)
        self.proxy = AnnotationFilterModel(self.model)
        self.shown: AnnotationTableModel | AnnotationFilterModel = self.model
        self.table = _table("annotationList", "Annotations")
        self._show(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        widths = {
            AnnotationTableModel.LABEL: self.fontMetrics().horizontalAdvance("Participant") + 36,
            AnnotationTableModel.SPEAKER: 85,
            AnnotationTableModel.ENTITY: 85,
            AnnotationTableModel.ATTRIBUTES: 90,
            AnnotationTableModel.ANNOTATOR: 55,
        }
        for column, width in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, max(width, header.sectionSizeHint(column)))
        header.setSectionResizeMode(AnnotationTableModel.TEXT, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)

        self.label_filter = QComboBox()
        self.label_filter.setObjectName("labelFilter")
        self.label_filter.setAccessibleName("Show annotations with label")
        self.label_filter.addItems([ALL_LABELS, *(label.name for label in labels)])
        self.label_filter.currentTextChanged.connect(
            lambda text: self._filter(label=None if text == ALL_LABELS else text)
        )
        self.annotator_filter = QComboBox()
        self.annotator_filter.setObjectName("annotatorFilter")
        self.annotator_filter.setAccessibleName("Show annotations by annotator")
        self.annotator_filter.addItem(ALL_ANNOTATORS)
        self.annotator_filter.currentTextChanged.connect(
            lambda text: self._filter(annotator=None if text == ALL_ANNOTATORS else text)
        )
        self.group = QCheckBox("Group by entity")
        self.group.setObjectName("groupByEntity")
        self.group.setAccessibleName("Group annotations by entity")
        self.group.toggled.connect(lambda on: self._filter(grouped=on))
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.label_filter)
        bar.addWidget(self.annotator_filter)
        bar.addWidget(self.group)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(bar)
        layout.addWidget(self.table)

    _UNSET: object = object()

    def _filter(
        self, label: object = _UNSET, annotator: object = _UNSET, grouped: object = _UNSET
    ) -> None:
        if label is not self._UNSET:
            self.proxy.set_label(label)  # type: ignore[arg-type]
        if annotator is not self._UNSET:
            self.proxy.set_annotator(annotator)  # type: ignore[arg-type]
        if grouped is not self._UNSET:
            self.proxy.set_grouped(bool(grouped))
        active = bool(self.proxy.label or self.proxy.annotator or self.proxy.grouped)
        self.proxy.connect_source(active)
        self._show(self.proxy if active else self.model)

    def _show(self, model: AnnotationTableModel | AnnotationFilterModel) -> None:
        if self.table.model() is model:
            return
        self.shown = model
        self.table.setModel(model)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.rowChosen.emit(current.row())
        )


class AnnotatorPanel(QWidget):
    """Which annotators' work is shown; the current annotator's always is (and is editable)."""

    def __init__(self, doc: OpenDocument, panel: AnnotationPanel) -> None:
        super().__init__()
        self.doc = doc
        self.annotations = panel
        self.list = QListWidget()
        self.list.setObjectName("annotatorList")
        self.list.setAccessibleName("Annotators shown")
        self.list.itemChanged.connect(self._changed)
        hint = QLabel("Tick colleagues to show their work (read-only), underlined in their colour.")
        hint.setWordWrap(True)
        hint.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(hint)
        layout.addWidget(self.list)

    def set_annotators(self, names: list[str]) -> None:
        """List these annotators, each with a check box for showing their work."""
        self.list.blockSignals(True)
        self.list.clear()
        for name in names:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setForeground(annotator_colour(name))
            flags = Qt.ItemFlag.ItemIsEnabled
            if name != self.doc.annotator:
                flags |= Qt.ItemFlag.ItemIsUserCheckable
            else:
                item.setText(f"{name} (you)")
            item.setFlags(flags)
            shown = name == self.doc.annotator or name in self.doc.others
            item.setCheckState(Qt.CheckState.Checked if shown else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.blockSignals(False)
        combo = self.annotations.annotator_filter
        current = combo.currentText()
        combo.blockSignals(True)
        combo.clear()
        combo.addItems([ALL_ANNOTATORS, *names])
        combo.setCurrentText(current if current in names else ALL_ANNOTATORS)
        combo.blockSignals(False)

    def checked(self) -> set[str]:
        """The annotators whose work is shown."""
        return {
            str(self.list.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.list.count())
            if self.list.item(row).checkState() == Qt.CheckState.Checked
        }

    def _changed(self, _item: QListWidgetItem) -> None:
        self.doc.show_annotators(self.checked())


class EntityPanel(QWidget):
    """The document's entities; choosing one emphasises all its mentions and quotes."""

    def __init__(self, doc: OpenDocument) -> None:
        super().__init__()
        self.doc = doc
        self.model = EntityListModel(doc)
        self.table = _table("entityList", "Entities")
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 70), (2, 70), (3, 55)):  # fixed: no pass over every row
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, max(width, header.sectionSizeHint(column)))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)

    def selected_entities(self) -> list[EntityData]:
        """The entities selected in the list."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.entity(row) for row in rows]

    def select_entity(self, entity_id: str | None) -> None:
        """Select this entity in the list (or none)."""
        row = self.model.row_of(entity_id) if entity_id else -1
        if row < 0:
            self.table.clearSelection()
            return
        self.table.selectRow(row)

    def group_of(self, entities: list[EntityData]) -> set[str]:
        """The mentions and the quotes of these entities."""
        ids: set[str] = set()
        for entity in entities:
            ids |= set(entity.mentions)
            ids |= {quote.id for quote in self.doc.quotes_of(entity)}
        return ids
