"""Compare two annotators on one document and adjudicate a gold version.

The text shows every item in its review state (colours after INCEpTION's curation view, with a
legend); the table lists the items with what differs and, for attributes, how many chose each
value. F8 / Shift+F8 walk the disagreements; A, B, H (both), R (reject), E (edit) decide the
selected one and move on; Ctrl+Shift+A accepts everything agreed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from db.review.adjudication import Gold, Verdict, accept_agreed, decide, gold_of, progress, side_of
from db.review.compare import Agreement, Item, Side, attribute_votes, compare
from desktop.document.commands import Applied
from desktop.document.offsets import PositionMap
from desktop.widgets.item_models import one_line
from desktop.widgets.palette import REVIEW_COLOURS

if TYPE_CHECKING:
    from desktop.controllers.window_face import WindowFace

STATE_NAMES = {
    "agreed": "agreed, not accepted yet",
    "disagreed": "disagreed",
    "incomplete": "incomplete",
    "accepted": "accepted",
    "rejected": "rejected",
}


def review_state(item: Item, gold: Gold) -> str:
    """The item's review state as the colours show it (agreed, accepted, rejected...)."""
    decision = gold.decisions.get(item.key)
    if decision is not None:
        return "rejected" if decision.value == Verdict.REJECT.value else "accepted"
    if item.kind is Agreement.AGREED:
        return "agreed"
    if item.kind is Agreement.PARTLY:
        return "disagreed"
    return "incomplete"


class CompareView(QWidget):
    """The review page of the window (objectName compareView)."""

    def __init__(self, window: WindowFace) -> None:
        # Long because builds the review page's widgets and layout in reading order.
        super().__init__()
        self.setObjectName("compareView")
        self.setAccessibleName("Compare annotators")
        self.main = window
        window.changeApplied.connect(self._change_applied)
        self.items: list[Item] = []
        self.side_a: Side | None = None
        self.side_b: Side | None = None
        self.gold: Gold | None = None
        self.votes: dict[str, dict[str, dict[str, int]]] = {}
        self.positions = PositionMap("")

        self.annotator_a = self._combo("compareA", "Annotator A")
        self.annotator_b = self._combo("compareB", "Annotator B")
        self.gold_name = QLineEdit("gold")
        self.gold_name.setObjectName("goldName")
        self.gold_name.setAccessibleName("Gold annotator name")
        self.gold_name.setMaximumWidth(120)
        self.gold_name.editingFinished.connect(self.refresh)
        self.progress = QLabel()
        self.progress.setObjectName("adjudicationProgress")
        self.progress.setTextFormat(Qt.TextFormat.PlainText)
        bar = QHBoxLayout()
        for text, widget in (("A:", self.annotator_a), ("B:", self.annotator_b)):
            bar.addWidget(QLabel(text))
            bar.addWidget(widget)
        bar.addWidget(QLabel("Gold:"))
        bar.addWidget(self.gold_name)
        bar.addStretch(1)
        bar.addWidget(self.progress)

        legend = QHBoxLayout()
        legend.setSpacing(12)
        for state, colour in REVIEW_COLOURS.items():
            swatch = QLabel(f"■ {STATE_NAMES[state]}")
            swatch.setTextFormat(Qt.TextFormat.PlainText)
            swatch.setStyleSheet(f"color: {QColor(colour).darker(130).name()};")
            legend.addWidget(swatch)
        legend.addStretch(1)
        self.setToolTip(
            "F8 / Shift+F8: next / previous disagreement. A, B: accept A's or B's. "
            "H: accept both. R: reject. E: accept and edit in gold. "
            "Ctrl+Shift+A: accept everything agreed."
        )

        self.text = QPlainTextEdit()
        self.text.setObjectName("compareText")
        self.text.setAccessibleName("Document with both annotators' spans")
        self.text.setReadOnly(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("compareItems")
        self.table.setAccessibleName("Agreements and disagreements")
        self.table.setHorizontalHeaderLabels(["State", "A", "B", "Text", "Differences", "Votes"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.currentCellChanged.connect(lambda row, *_: self._show_row(row))
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.text)
        splitter.addWidget(self.table)
        splitter.setSizes([600, 600])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addLayout(legend)
        layout.addWidget(splitter, 1)
        self._build_actions()

    def _combo(self, name: str, accessible: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        combo.currentTextChanged.connect(lambda _text: self.refresh())
        return combo

    def _build_actions(self) -> None:
        specs = [
            ("nextDisagreement", "Next disagreement", ["F8"], lambda: self.step(False)),
            (
                "previousDisagreement",
                "Previous disagreement",
                ["Shift+F8"],
                lambda: self.step(True),
            ),
            ("acceptA", "Accept A", ["A"], lambda: self.decide(Verdict.ACCEPT_A)),
            ("acceptB", "Accept B", ["B"], lambda: self.decide(Verdict.ACCEPT_B)),
            ("acceptBoth", "Accept both", ["H"], lambda: self.decide(Verdict.ACCEPT_BOTH)),
            ("reject", "Reject", ["R"], lambda: self.decide(Verdict.REJECT)),
            ("editInGold", "Edit in gold", ["E"], lambda: self.decide(Verdict.EDIT)),
            ("acceptAgreed", "Accept all agreed", ["Ctrl+Shift+A"], self.accept_all_agreed),
        ]
        for name, text, keys, slot in specs:
            action = self.main.make_action(
                name, text, slot, keys, widgets=[self], tip=f"{text} (review)"
            )
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    # -- state --------------------------------------------------------------------------------

    def _change_applied(self, applied: Applied) -> None:
        """An undo or redo while reviewing changes what the items show: compare again."""
        if applied.stepped and self.main.reviewing:
            self.refresh()

    def pair(self) -> tuple[str, str]:
        """The two annotators compared: A, the reference, and B."""
        return self.annotator_a.currentText(), self.annotator_b.currentText()

    def set_annotators(self, names: list[str]) -> None:
        """Offer these annotators in both combo boxes, keeping the choice where possible."""
        for combo, index in ((self.annotator_a, 0), (self.annotator_b, 1)):
            current = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(names)
            if current in names:
                combo.setCurrentText(current)
            elif len(names) > index:
                combo.setCurrentIndex(index)
            combo.blockSignals(False)

    def refresh(self) -> None:
        """Re-read both sides and the gold version (after any decision, undo or import)."""
        doc = self.main.doc
        name_a, name_b = self.annotator_a.currentText(), self.annotator_b.currentText()
        gold_name = self.gold_name.text().strip() or "gold"
        if doc.document is None or not name_a or not name_b:
            self.items = []
            self._fill()
            return
        if self.text.toPlainText() != doc.document.text or self.positions.length != len(
            doc.document.text
        ):
            self.text.setPlainText(doc.document.text)
            self.positions = PositionMap(doc.document.text)
        store = self.main.store
        self.side_a = side_of(store, doc.document.id, name_a)
        self.side_b = side_of(store, doc.document.id, name_b)
        self.gold = gold_of(store, doc.document.id, gold_name)
        self.items = compare(self.side_a, self.side_b)
        others = [
            store.annotations(doc.document.id, name)
            for name in store.annotators()
            if name not in (name_a, name_b, gold_name)
        ]
        self.votes = attribute_votes(self.items, others)
        self._fill()

    def _fill(self) -> None:
        row = max(self.table.currentRow(), 0)
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.items))
        text = self.main.doc.text
        for index, item in enumerate(self.items):
            state = review_state(item, self.gold) if self.gold else "incomplete"
            votes = "; ".join(
                f"{key}: "
                + " · ".join(
                    f"{value} ×{n}" for value, n in sorted(counts.items(), key=lambda kv: -kv[1])
                )
                for key, counts in self.votes.get(item.key, {}).items()
            )
            cells = [
                STATE_NAMES[state],
                item.a.label if item.a else "",
                item.b.label if item.b else "",
                one_line(text[item.start : item.end], 80),
                ", ".join(item.differences),
                votes,
            ]
            for column, value in enumerate(cells):
                cell = QTableWidgetItem(value)
                if column == 0:
                    cell.setBackground(QColor(REVIEW_COLOURS[state]))
                self.table.setItem(index, column, cell)
        self.table.blockSignals(False)
        if self.items:
            self.table.setCurrentCell(min(row, len(self.items) - 1), 0)
        self._decorate()
        if self.gold is not None:
            resolved, total = progress(self.items, self.gold)
            self.progress.setText(f"{resolved} of {total} disagreements resolved")
        else:
            self.progress.setText("")

    def _decorate(self) -> None:
        selections = []
        current = self.current_item()
        for item in self.items:
            state = review_state(item, self.gold) if self.gold else "incomplete"
            colour = QColor(REVIEW_COLOURS[state])
            colour.setAlpha(70 if state in ("agreed", "accepted", "rejected") else 150)
            for annotation in (item.a, item.b):
                if annotation is None:
                    continue
                for start, end in annotation.spans:
                    char_format = QTextCharFormat()
                    char_format.setBackground(colour)
                    if item is current:
                        char_format.setUnderlineStyle(
                            QTextCharFormat.UnderlineStyle.SingleUnderline
                        )
                    cursor = QTextCursor(self.text.document())
                    cursor.setPosition(self.positions.to_qt(start))
                    cursor.setPosition(self.positions.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
                    selection = QTextEdit.ExtraSelection()
                    selection.cursor = cursor
                    selection.format = char_format
                    selections.append(selection)
        self.text.setExtraSelections(selections)

    def current_item(self) -> Item | None:
        """The item of the table's current row, if any."""
        row = self.table.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def _show_row(self, row: int) -> None:
        if not 0 <= row < len(self.items):
            return
        item = self.items[row]
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(self.positions.to_qt(item.start))
        cursor.setPosition(self.positions.to_qt(item.end), QTextCursor.MoveMode.KeepAnchor)
        self.text.setTextCursor(cursor)
        self.text.ensureCursorVisible()
        self._decorate()

    # -- navigation and decisions -------------------------------------------------------------

    def step(self, backwards: bool, unresolved_only: bool = False) -> bool:
        """Select the next (previous) disagreement; returns False when there is none."""
        count = len(self.items)
        start = self.table.currentRow()
        for offset in range(1, count + 1):
            row = (start + (-offset if backwards else offset)) % count
            item = self.items[row]
            if not item.is_disagreement:
                continue
            if unresolved_only and self.gold is not None and item.key in self.gold.decisions:
                continue
            self.table.setCurrentCell(row, 0)
            return True
        return False

    def decide(self, verdict: Verdict) -> None:
        """Apply the reviewer's verdict on the current item (one undo step)."""
        item = self.current_item()
        if item is None or self.side_a is None or self.side_b is None or self.gold is None:
            return
        if verdict is Verdict.ACCEPT_A and item.a is None:
            self.main.show_message("A has nothing here; accept B, or reject.")
            return
        if verdict is Verdict.ACCEPT_B and item.b is None:
            self.main.show_message("B has nothing here; accept A, or reject.")
            return
        change = decide(item, verdict, self.side_a, self.side_b, self.gold, self.items)
        if not self.main.push(change):
            return
        self.refresh()
        if verdict is Verdict.EDIT:
            self.main.edit_in_gold(self.gold_name.text().strip() or "gold", item)
            return
        if not self.step(False, unresolved_only=True):
            self.main.show_message("Every disagreement of this document is resolved.")

    def accept_all_agreed(self) -> None:
        """Accept every item both annotators agree on into gold (one undo step)."""
        if self.side_a is None or self.side_b is None or self.gold is None:
            return
        change = accept_agreed(self.items, self.side_a, self.side_b, self.gold)
        if change.is_empty():
            self.main.show_message("Nothing agreed is left to accept.")
            return
        if not self.main.backup_before("accept-all"):
            return
        self.main.push(change)
        self.refresh()
