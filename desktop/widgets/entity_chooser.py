"""A type-ahead list for linking a mention to an entity: type to filter, Enter to choose,
or choose "New entity" to create one with the typed name."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.records import EntityData
from db.text.messages import counted

NEW = "__new__"


class EntityChooser(QDialog):
    """Returns (entity id or None for a new one, name) through `choice` after exec()."""

    def __init__(self, parent: QWidget | None, entities: list[EntityData], suggested: str):
        super().__init__(parent)
        self.setObjectName("entityChooser")
        self.setAccessibleName("Choose an entity")
        self.setWindowTitle("Link to entity")
        self.entities = sorted(entities, key=lambda e: e.name.lower())
        self.choice: tuple[str | None, str] | None = None
        layout = QVBoxLayout(self)
        hint = QLabel("Type to filter; Enter links to the highlighted entity.")
        hint.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(hint)
        self.filter = QLineEdit(suggested)
        self.filter.setObjectName("entityFilter")
        self.filter.setAccessibleName("Entity name")
        self.filter.textChanged.connect(self._refill)
        self.filter.installEventFilter(self)
        self.filter.returnPressed.connect(self.accept)
        layout.addWidget(self.filter)
        self.list = QListWidget()
        self.list.setObjectName("entityChoices")
        self.list.setAccessibleName("Entities")
        self.list.itemActivated.connect(lambda _item: self.accept())
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._refill()
        self.filter.selectAll()

    def _refill(self) -> None:
        typed = self.filter.text().strip()
        self.list.clear()
        needle = typed.lower()
        for entity in self.entities:
            if not needle or needle in entity.name.lower():
                count = counted(len(entity.mentions), "mention")
                item = QListWidgetItem(f"{entity.name}  ({count})")
                item.setData(Qt.ItemDataRole.UserRole, entity.id)
                self.list.addItem(item)
        if typed and not any(e.name.lower() == needle for e in self.entities):
            item = QListWidgetItem(f"New entity: {typed}")
            item.setData(Qt.ItemDataRole.UserRole, NEW)
            self.list.addItem(item)
        self.list.setCurrentRow(0)

    def eventFilter(self, watched: object, event: object) -> bool:
        """Up/Down in the filter field move through the list, as in a completer."""
        if (
            watched is self.filter
            and isinstance(event, QKeyEvent)
            and event.type() == QKeyEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down)
        ):
            step = -1 if event.key() == Qt.Key.Key_Up else 1
            row = max(0, min(self.list.count() - 1, self.list.currentRow() + step))
            self.list.setCurrentRow(row)
            return True
        return super().eventFilter(watched, event)  # type: ignore[arg-type]

    def accept(self) -> None:
        """Choose the highlighted entry (or a new entity with the typed name)."""
        item = self.list.currentItem()
        if item is None:
            return
        entity_id = item.data(Qt.ItemDataRole.UserRole)
        name = self.filter.text().strip()
        if entity_id == NEW:
            self.choice = (None, name)
        else:
            self.choice = (str(entity_id), name)
        super().accept()
