"""Review > Agreement: the numbers of `spanwise agree` in the window, with the charts, and the
report to keep (the same HTML as `spanwise agree --html`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from db.errors import SpanwiseError

if TYPE_CHECKING:
    from db.agreement.measure import AgreementResult
    from desktop.controllers.window_face import WindowFace

MEASURES = (
    ("exact_f1", "exact F1"),
    ("overlap_f1", "overlap F1"),
    ("kappa", "kappa"),
    ("alpha", "alpha"),
    ("alpha_u", "alpha-U"),
)
THIS_DOCUMENT, ALL_DOCUMENTS = "This document", "All documents"


class AgreementDialog(QDialog):
    """Review > Agreement: choose annotators, see the numbers and charts, save the report."""

    def __init__(self, window: WindowFace) -> None:
        # Long because builds the dialog's widgets and layout in reading order.
        super().__init__(window.qt)
        self.setObjectName("agreementDialog")
        self.setAccessibleName("Agreement between annotators")
        self.setWindowTitle("Agreement — Spanwise")
        self.window_ = window
        self.outcome: AgreementResult | None = None

        self.annotators = QListWidget()
        self.annotators.setObjectName("agreementAnnotators")
        self.annotators.setAccessibleName("Annotators to compare")
        self.annotators.setMaximumHeight(110)
        for name in window.annotators_of_document() or window.store.annotators():
            item = QListWidgetItem(name)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            checked = name in window.compare_view.pair()
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.annotators.addItem(item)
        self.scope = QComboBox()
        self.scope.setObjectName("agreementScope")
        self.scope.setAccessibleName("Documents to measure")
        self.scope.addItems([THIS_DOCUMENT, ALL_DOCUMENTS])
        compute = QPushButton("&Compute")
        compute.setObjectName("computeAgreement")
        compute.clicked.connect(self.compute)
        self.save = QPushButton("&Save report…")
        self.save.setObjectName("saveAgreementReport")
        self.save.setEnabled(False)
        self.save.clicked.connect(self.save_report)
        controls = QHBoxLayout()
        controls.addWidget(self.annotators, 1)
        side = QVBoxLayout()
        side.addWidget(self.scope)
        side.addWidget(compute)
        side.addWidget(self.save)
        side.addStretch(1)
        controls.addLayout(side)

        self.table = QTableWidget(0, len(MEASURES) + 1)
        self.table.setObjectName("agreementTable")
        self.table.setAccessibleName("Agreement per label")
        self.table.setHorizontalHeaderLabels(["label", *(name for _key, name in MEASURES)])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel()
        self.summary.setObjectName("agreementSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.bars = QSvgWidget()
        self.bars.setObjectName("agreementBars")
        self.bars.setMinimumHeight(180)
        self.confusion = QSvgWidget()
        self.confusion.setObjectName("agreementConfusion")
        self.confusion.setMinimumHeight(180)
        charts = QHBoxLayout()
        charts.addWidget(self.bars, 3)
        charts.addWidget(self.confusion, 2)

        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addLayout(charts, 1)
        self.resize(900, 700)

    def chosen(self) -> list[str]:
        """The annotators ticked in the list."""
        return [
            self.annotators.item(row).text()
            for row in range(self.annotators.count())
            if self.annotators.item(row).checkState() == Qt.CheckState.Checked
        ]

    def compute(self) -> None:
        """Measure agreement between the ticked annotators and show it."""
        from db.agreement.measure import agreement
        from db.agreement.report import bars_svg, confusion_svg, number

        window = self.window_
        documents = None
        if self.scope.currentText() == THIS_DOCUMENT and window.doc.document_id:
            documents = [window.doc.document_id]
        try:
            result = agreement(window.store, self.chosen(), None, documents)
        except SpanwiseError as exc:
            self.summary.setText(str(exc))
            self.save.setEnabled(False)
            return
        self.outcome = result
        rows = [*sorted(result.labels.items()), ("overall", result.overall)]
        self.table.setRowCount(len(rows))
        for index, (label, row) in enumerate(rows):
            self.table.setItem(index, 0, QTableWidgetItem(label))
            for column, (key, _name) in enumerate(MEASURES, start=1):
                self.table.setItem(index, column, QTableWidgetItem(number(getattr(row, key))))
        attribution, coreference = result.section.attribution, result.section.coreference
        self.summary.setText(
            f"{len(result.annotators)} annotators. Same speaker for "
            f"{number(attribution.speaker)} of the quotes both marked, same cue "
            f"{number(attribution.cue)}; coreference link F1 {number(coreference.link_f1)}, "
            f"B-cubed {number(coreference.b3_f1)}. Token alpha (one value per token: its "
            f"label or none) {number(result.section.token_alpha.alpha)}."
        )
        self.bars.load(QByteArray(bars_svg(result).encode("utf-8")))
        self.confusion.load(QByteArray(confusion_svg(result).encode("utf-8")))
        self.save.setEnabled(True)

    def save_report(self) -> None:
        """Save the report as one self-contained HTML file, where the user says."""
        from pathlib import Path

        from db.agreement.report import save_report

        if self.outcome is None:
            return
        target = self.window_.dialogs.save_file(
            self, "Save agreement report", "agreement.html", "HTML (*.html)"
        )
        if target:
            try:
                save_report(self.outcome, Path(target))
            except SpanwiseError as exc:
                self.window_.dialogs.error(self, "Report not saved", str(exc))
                return
            self.window_.show_message(f"Agreement report saved to {target}")
