"""The suggestion list: every suggestion still to review, beside the article, each saying
where it comes from (the rules, or the trained model and its version) and its rule.

Picking a line makes that suggestion the current one (Enter then accepts it as usual). The
list follows the suggestion controller: it is refilled whenever the suggestions or the
current one change, and shows itself when there are suggestions to review.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QDockWidget, QListWidget, QListWidgetItem

if TYPE_CHECKING:
    from db.suggest import Suggestion
    from desktop.controllers.window_face import WindowFace

MODEL_COLOUR = "#6a1b9a"  # the model's lines, apart from the rules' at a glance


def source_of(suggestion: Suggestion) -> str:
    """'model v3' for the trained model's suggestions, 'rules' for the rules'."""
    version = suggestion.quote.attributes.get("model")
    return f"model v{version}" if version is not None else "rules"


class SuggestionList(QDockWidget):
    """A dock listing every suggestion still to review, with its source and rule."""

    def __init__(self, window: WindowFace) -> None:
        super().__init__("Suggestions", window.qt)
        self.window_ = window
        self.setObjectName("suggestionDock")
        self.setAccessibleName("Suggestions to review")
        self.list = QListWidget()
        self.list.setObjectName("suggestionList")
        self.list.setAccessibleName("Suggestions, with where each comes from")
        self.list.setUniformItemSizes(True)
        self.list.currentRowChanged.connect(self._picked)
        self.setWidget(self.list)
        self._filling = False
        window.suggestions.itemsChanged.connect(self.refill)
        self.hide()

    def refill(self) -> None:
        """Show the suggestions as they are now."""
        hints = self.window_.suggestions
        text = self.window_.doc.text
        self._filling = True
        try:
            keys = [s.key for s in hints.items]
            shown = [
                self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())
            ]
            if keys != shown:
                self.list.clear()
                for suggestion in hints.items:
                    source = source_of(suggestion)
                    item = QListWidgetItem(
                        f"[{source}] {suggestion.describe(text)}"  # plain text, never HTML
                    )
                    item.setData(Qt.ItemDataRole.UserRole, suggestion.key)
                    item.setToolTip(f"{source}: {suggestion.rule}")
                    if source != "rules":
                        item.setForeground(QBrush(QColor(MODEL_COLOUR)))
                    self.list.addItem(item)
            self.list.setCurrentRow(hints.index)
        finally:
            self._filling = False
        if hints.items and not self.isVisible():
            self.show()

    def _picked(self, row: int) -> None:
        if not self._filling and row >= 0:
            self.window_.suggestions.go_to(row)


def install_suggestion_list(window: WindowFace) -> SuggestionList:
    """Add the suggestion list to the window's right side."""
    dock = SuggestionList(window)
    window.qt.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    dock.hide()
    return dock
