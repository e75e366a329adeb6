"""The article: read-only plain text with annotation highlights.

Only the visible part of the text is decorated (a 2 MB text with 20,000 spans would take
more than a second to decorate whole), and every Qt position goes through the document's
PositionMap, the one place where code points and UTF-16 positions meet.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QResizeEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from db.records import AnnotationData
from db.schema import LabelDef
from desktop.item_models import attributes_text, one_line
from desktop.open_document import OpenDocument
from desktop.plain_text import tooltip_text

_MARGIN = 3000  # Qt positions decorated beyond the visible edges, so a scroll step is ready
_LAYER_ALPHA = 70
_CURRENT_ALPHA = 150


class ArticleView(QPlainTextEdit):
    """Shows the open document and reports which annotation the user points at."""

    annotationClicked = Signal(object)  # AnnotationData | None

    def __init__(self, doc: OpenDocument, labels: list[LabelDef], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("articleView")
        self.setAccessibleName("Article text")
        self.setAccessibleDescription(
            "Select text and press a label key to annotate; Tab moves between annotations"
        )
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setTabChangesFocus(False)
        font = QFont(self.font())
        font.setPointSizeF(12.5)
        self.setFont(font)
        self.document().setDocumentMargin(18)
        self.setTabStopDistance(4 * self.fontMetrics().horizontalAdvance(" "))
        self.setMouseTracking(True)
        self.doc = doc
        self.colours = {label.name: QColor(label.colour) for label in labels}
        self._shown_document: tuple[str | None, int] = (None, -1)
        self._decorated: list[str] = []
        doc.reset.connect(self._load)
        doc.added.connect(self.refresh_highlights)
        doc.removed.connect(self.refresh_highlights)
        doc.changed.connect(self.refresh_highlights)
        doc.currentChanged.connect(self._current_changed)
        self.verticalScrollBar().valueChanged.connect(self.refresh_highlights)
        self._load()

    # -- text and positions -------------------------------------------------------------------

    def _load(self) -> None:
        key = (self.doc.document_id, id(self.doc.document))
        if key != self._shown_document:
            self._shown_document = key
            self.setPlainText(self.doc.text)
        self.refresh_highlights()

    def selected_span(self) -> tuple[int, int] | None:
        """The selection as code-point offsets, or None when nothing is selected."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        positions = self.doc.positions
        return positions.to_offset(cursor.selectionStart()), positions.to_offset(
            cursor.selectionEnd()
        )

    def cursor_offset(self) -> int:
        return self.doc.positions.to_offset(self.textCursor().position())

    def select_span(self, start: int, end: int) -> None:
        """Select code points [start, end) and scroll them into view."""
        positions = self.doc.positions
        cursor = QTextCursor(self.document())
        cursor.setPosition(positions.to_qt(start))
        cursor.setPosition(positions.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def place_cursor(self, offset: int) -> None:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.doc.positions.to_qt(offset))
        self.setTextCursor(cursor)

    def show_annotation(self, record: AnnotationData) -> None:
        """Scroll so the whole annotation is in view, with the caret at its end."""
        positions = self.doc.positions
        cursor = QTextCursor(self.document())
        cursor.setPosition(positions.to_qt(record.start))
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        cursor.setPosition(positions.to_qt(record.end))
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def offset_at(self, point: QPoint) -> int | None:
        """The code point under a viewport point, or None past the end of a line."""
        cursor = self.cursorForPosition(point)
        position = cursor.position()
        if point.x() < self.cursorRect(cursor).x() and position > 0:
            position -= 1
        offset = self.doc.positions.to_offset(position)
        if offset >= len(self.doc.text):
            return None
        return offset

    def visible_offsets(self) -> tuple[int, int]:
        """Code points on screen, widened by a margin."""
        viewport = self.viewport()
        first = self.cursorForPosition(QPoint(0, 0)).position()
        last = self.cursorForPosition(QPoint(viewport.width(), viewport.height())).position()
        positions = self.doc.positions
        return positions.to_offset(max(0, first - _MARGIN)), positions.to_offset(last + _MARGIN)

    # -- decoration ---------------------------------------------------------------------------

    def decorated_ids(self) -> list[str]:
        """Which annotations are drawn right now (for tests and the benchmark)."""
        return list(self._decorated)

    def refresh_highlights(self, *_args: object) -> None:
        start, end = self.visible_offsets()
        records = sorted(self.doc.overlapping(start, end), key=lambda r: r.start - r.end)
        current = self.doc.current
        selections = []
        for record in records:
            if current is not None and record.id == current.id:
                continue
            selections.append(self._selection(record, emphasised=False))
        if current is not None and current.end > start and current.start < end:
            records.append(current)
            selections.append(self._selection(current, emphasised=True))
        self._decorated = [r.id for r in records]
        self.setExtraSelections(selections)

    def _selection(self, record: AnnotationData, emphasised: bool) -> QTextEdit.ExtraSelection:
        positions = self.doc.positions
        cursor = QTextCursor(self.document())
        cursor.setPosition(positions.to_qt(record.start))
        cursor.setPosition(positions.to_qt(record.end), QTextCursor.MoveMode.KeepAnchor)
        colour = QColor(self.colours.get(record.label, QColor("#999999")))
        char_format = QTextCharFormat()
        if emphasised:
            colour.setAlpha(_CURRENT_ALPHA)
            char_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            char_format.setUnderlineColor(QColor(self.colours.get(record.label)).darker(180))
        else:
            colour.setAlpha(_LAYER_ALPHA)
        char_format.setBackground(colour)
        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor  # type: ignore[attr-defined]
        selection.format = char_format  # type: ignore[attr-defined]
        return selection

    def _current_changed(self, record: AnnotationData | None) -> None:
        self.refresh_highlights()

    # -- events -------------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.refresh_highlights()

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            help_event = event
            point = help_event.pos()  # type: ignore[attr-defined]
            offset = self.offset_at(point)
            hits = self.doc.at(offset) if offset is not None else []
            if hits:
                QToolTip.showText(
                    help_event.globalPos(),  # type: ignore[attr-defined]
                    tooltip_text("\n".join(self.describe(r) for r in hits)),
                    self.viewport(),
                )
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def describe(self, record: AnnotationData) -> str:
        """One line about an annotation, for tooltips."""
        parts = [record.label]
        attributes = attributes_text(record)
        if attributes:
            parts.append(f"({attributes})")
        parts.append(f"“{one_line(self.doc.text[record.start : record.end], 60)}”")
        if record.note:
            parts.append(f"— {one_line(record.note, 60)}")
        return " ".join(parts)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or self.textCursor().hasSelection():
            return
        offset = self.offset_at(event.position().toPoint())
        hits = self.doc.at(offset) if offset is not None else []
        if not hits:
            self.annotationClicked.emit(None)
            return
        current = self.doc.current
        ids = [r.id for r in hits]
        if current is not None and current.id in ids:  # clicking again reaches the outer span
            self.annotationClicked.emit(hits[(ids.index(current.id) + 1) % len(hits)])
        else:
            self.annotationClicked.emit(hits[0])
