"""The article: read-only plain text with annotation highlights.

Only the visible part of the text is decorated (a 2 MB text with 20,000 spans would take
more than a second to decorate whole), and every Qt position goes through the document's
PositionMap, the one place where code points and UTF-16 positions meet.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import cast

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
    QTextLine,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from db.records import AnnotationData
from db.schema.label_schema import LabelDef
from desktop.document.open_document import FIRST_SCREENS, OpenDocument
from desktop.document.span_stacks import Stack, merged_stacks, spans_of, stack_of
from desktop.widgets.item_models import attributes_text, one_line
from desktop.widgets.palette import annotator_colour
from desktop.widgets.plain_text import tooltip_text

_MARGIN = 3000  # Qt positions decorated beyond the visible edges, so a scroll step is ready
_LAYER_ALPHA = 70
_RELATED_ALPHA = 120
_OTHER_ALPHA = 35
_CURRENT_ALPHA = 150
TOOLTIP_LINES = 12
MAX_DRAWN_STACKS = 4000  # distinct spans on screen beyond which each label's are merged
TEXT_POINT_SIZE = 12.5  # the article's type size (bundle/check_install.py looks for it)


def _x_of(line: QTextLine, position: int) -> float:
    """The x of a caret before `position` in a line (PySide returns (x, position))."""
    x, _ = cast(tuple[float, int], line.cursorToX(position))
    return x


@dataclass(frozen=True)
class LinkLabel:
    """A link's type as drawn in the margin (rect in the viewport's coordinates: the margin
    lies left of the viewport, so its x is negative)."""

    name: str
    colour: QColor
    rect: QRectF


class LinkGutter(QWidget):
    """The margin left of the article where the selected annotation's link types are
    written, level with each target's line: drawn over the text they hid the words (the
    lines of a plain text view have no spacing to put them in)."""

    def __init__(self, view: ArticleView, link_types: list[str]) -> None:
        super().__init__(view)
        self.setObjectName("linkGutter")
        self.view = view
        font = QFont(view.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.72))
        self.setFont(font)
        metrics = self.fontMetrics()
        widest = max(metrics.horizontalAdvance(name) for name in link_types)
        self._width = min(widest, metrics.horizontalAdvance("m") * 12) + 12
        view.setViewportMargins(self._width, 0, 0, 0)
        self.fit()

    def margin_width(self) -> int:
        """The gutter's width: the widest link label, within twelve letters."""
        return self._width

    def label_height(self) -> int:
        """The height of one link label in the gutter."""
        return self.fontMetrics().height() + 2

    def fit(self) -> None:
        """Take the article's left margin, full height."""
        area = self.view.contentsRect()
        self.setGeometry(area.left(), area.top(), self._width, area.height())

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw the link labels beside the lines of their annotations."""
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.view.palette().base())  # one page with the text
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        shift = QPointF(self._width, 0)  # viewport coordinates to ours
        for label in self.view.link_labels:
            rect = label.rect.translated(shift)
            fill = QColor(label.colour)
            fill.setAlpha(28)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(rect, 3, 3)
            painter.setPen(label.colour)
            text = metrics.elidedText(
                label.name, Qt.TextElideMode.ElideRight, int(rect.width()) - 4
            )
            painter.drawText(
                rect.adjusted(0, 0, -3, 0),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                text,
            )
        painter.end()


class ArticleView(QPlainTextEdit):
    """Shows the open document and reports which annotation the user points at."""

    annotationClicked = Signal(object)  # AnnotationData | None

    def __init__(
        self,
        doc: OpenDocument,
        labels: list[LabelDef],
        link_types: list[str] | None = None,
        parent: QWidget | None = None,
    ):
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
        font.setPointSizeF(TEXT_POINT_SIZE)
        self.setFont(font)
        self.document().setDocumentMargin(18)
        self.setTabStopDistance(4 * self.fontMetrics().horizontalAdvance(" "))
        self.setMouseTracking(True)
        self.doc = doc
        self.colours = {label.name: QColor(label.colour) for label in labels}
        self._shown_document: tuple[str | None, int] = (None, -1)
        self._drawn: tuple[int, int, set[Stack]] = (0, 0, set())
        self._decorated_special: list[str] = []
        self._emphasised: list[str] = []
        self.group_ids: set[str] = set()
        self._holds = 0
        self._stale = False
        self._decorating = False
        self.candidate_id: str | None = None
        self.suggested: list[tuple[tuple[int, int], ...]] = []
        self._suggested_starts: list[int] = []
        self.suggested_parts: list[tuple[tuple[int, int], ...]] = []
        self.suggested_current: tuple[tuple[int, int], ...] | None = None
        doc.reset.connect(self._load)
        doc.added.connect(self.refresh_highlights)
        doc.removed.connect(self.refresh_highlights)
        doc.changed.connect(self.refresh_highlights)
        doc.linksChanged.connect(self.refresh_highlights)
        doc.currentChanged.connect(self._current_changed)
        self.verticalScrollBar().valueChanged.connect(self.refresh_highlights)
        self.link_labels: list[LinkLabel] = []  # what the margin shows, in viewport coordinates
        self.gutter = LinkGutter(self, link_types or ["participant"])
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
        """The caret's position as a code-point offset into the text."""
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
        """Put the caret at this code-point offset."""
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
        """Which annotations are drawn right now (for tests and the benchmark): those of the
        distinct spans drawn, and the emphasised ones."""
        start, end, drawn = self._drawn
        ids = [r.id for r in self.doc.overlapping(start, end) if stack_of(r) in drawn]
        return ids + [i for i in self._decorated_special if i not in set(ids)]

    def emphasised_ids(self) -> set[str]:
        """Annotations drawn emphasised: the selected one, what it links to, its coreferents,
        the chosen entity's mentions and quotes, and the pick candidate."""
        return set(self._emphasised)

    def set_group(self, annotation_ids: set[str]) -> None:
        """Emphasise a group (an entity's mentions and quotes) until it is cleared."""
        self.group_ids = set(annotation_ids)
        self.refresh_highlights()

    def set_suggestions(
        self,
        quotes: list[tuple[tuple[int, int], ...]],
        parts: list[tuple[tuple[int, int], ...]],
        current: tuple[tuple[int, int], ...] | None,
    ) -> None:
        """Suggested quotes (and the current one's speaker and cue), drawn dashed and muted."""
        self.suggested = quotes
        self._suggested_starts = [spans[0][0] for spans in quotes]  # in text order, disjoint
        self.suggested_parts = parts
        self.suggested_current = current
        self.viewport().update()

    def show_span(self, start: int, end: int) -> None:
        """Select this span (code points) and scroll it into view."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.doc.positions.to_qt(end))
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        cursor.setPosition(self.doc.positions.to_qt(start))
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def span_rects(self, start: int, end: int) -> list[QRectF]:
        """The rectangles a span covers on screen, one per visual line."""
        positions = self.doc.positions
        qt_start, qt_end = positions.to_qt(start), positions.to_qt(end)
        rects: list[QRectF] = []
        block = self.document().findBlock(qt_start)
        offset = self.contentOffset()
        height = self.viewport().height()
        while block.isValid() and block.position() <= qt_end:
            top = self.blockBoundingGeometry(block).translated(offset).top()
            if top > height:
                break
            layout = block.layout()
            for index in range(layout.lineCount()):
                line = layout.lineAt(index)
                line_start = block.position() + line.textStart()
                line_end = line_start + line.textLength()
                low, high = max(qt_start, line_start), min(qt_end, line_end)
                if low >= high:
                    continue
                x1 = _x_of(line, low - block.position())
                x2 = _x_of(line, high - block.position())
                rects.append(
                    QRectF(min(x1, x2) + offset.x(), top + line.y(), abs(x2 - x1), line.height())
                )
            block = block.next()
        return rects

    def _paint_suggestions(self, painter: QPainter) -> None:
        if not self.suggested:
            return
        start, end = self.visible_offsets()
        muted = QColor("#78909c")
        first = max(0, bisect_right(self._suggested_starts, start) - 1)  # only what is visible
        for spans in self.suggested[first:]:
            if spans[0][0] > end:
                break
            if spans[-1][1] < start:
                continue
            current = spans == self.suggested_current
            pen = QPen(muted.darker(150) if current else muted, 2.0 if current else 1.0)
            pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            fill = QColor(muted)
            fill.setAlpha(45 if current else 18)
            painter.setBrush(fill)
            for piece_start, piece_end in spans:
                for rect in self.span_rects(piece_start, piece_end):
                    painter.drawRect(rect.adjusted(-1, 0, 1, -1))
        pen = QPen(muted.darker(150), 1.0)
        pen.setStyle(Qt.PenStyle.DotLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for spans in self.suggested_parts:
            for piece_start, piece_end in spans:
                for rect in self.span_rects(piece_start, piece_end):
                    painter.drawRect(rect.adjusted(-1, 0, 1, -1))

    def set_candidate(self, annotation_id: str | None) -> None:
        """Outline this annotation as the pick's candidate (or none)."""
        self.candidate_id = annotation_id
        self.refresh_highlights()

    @contextmanager
    def held(self) -> Iterator[None]:
        """Decorate once after a whole edit, however many notices it sends on the way."""
        self._holds += 1
        try:
            yield
        finally:
            self._holds -= 1
            if not self._holds and self._stale:
                self.refresh_highlights()

    def refresh_highlights(self, *_args: object) -> None:
        """Redraw the highlights of the visible part of the text."""
        if self._holds or self._decorating:
            # Qt may scroll inside setExtraSelections, and a nested call would free the
            # selections it is still reading (a crash): decorate again once it is done
            self._stale = True
            return
        self._decorating = True
        try:
            for _ in range(3):  # the view moved meanwhile: once more (at most twice)
                self._stale = False
                self._decorate()
                if not self._stale:
                    break
        finally:
            self._decorating = False

    def _decorate(self) -> None:
        start, end = self.visible_offsets()
        if not self.doc.complete and end > FIRST_SCREENS:
            self.doc.ensure_complete()  # scrolled past the part loaded for the first paint
            return
        current = self.doc.current
        related = self.doc.related(current.id) if current is not None else set()
        special = related | self.group_ids | ({self.candidate_id} if self.candidate_id else set())
        emphasised = sorted(
            (
                record
                for record in map(self.doc.get, special)
                if record is not None
                and record.end > start
                and record.start < end
                and (current is None or record.id != current.id)
            ),
            key=lambda r: r.start - r.end,
        )
        # identical spans are drawn once (db: a file may stack a million on one word)
        stacks = list(self.doc.stacks.overlapping(start, end))
        if len(stacks) > MAX_DRAWN_STACKS:
            stacks = merged_stacks(stacks)
        stacks.sort(key=lambda stack: stack[0] + stack[1])  # longest first: nested on top
        mine = self.doc.annotator
        selections = [s for st in stacks if st[4] != mine for s in self._other_selections(st)]
        selections += [
            s for st in stacks if st[4] == mine for s in self._selections(st, _LAYER_ALPHA)
        ]
        for record in emphasised:
            selections += self._selections(stack_of(record), _RELATED_ALPHA, True, record.id)
        shown_current = current is not None and current.end > start and current.start < end
        if current is not None and shown_current:
            selections += self._selections(stack_of(current), _CURRENT_ALPHA, True, current.id)
        self._drawn = (start, end, set(stacks))
        self._decorated_special = [r.id for r in emphasised] + (
            [current.id] if current is not None and shown_current else []
        )
        self._emphasised = [r.id for r in emphasised] + ([current.id] if current else [])
        self.setExtraSelections(selections)
        self.viewport().update()

    def _selections(
        self, stack: Stack, alpha: int, underline: bool = False, record_id: str | None = None
    ) -> list[QTextEdit.ExtraSelection]:
        positions = self.doc.positions
        colour = QColor(self.colours.get(stack[3], QColor("#999999")))
        char_format = QTextCharFormat()
        if underline:
            char_format.setUnderlineStyle(
                QTextCharFormat.UnderlineStyle.WaveUnderline
                if record_id is not None and record_id == self.candidate_id
                else QTextCharFormat.UnderlineStyle.SingleUnderline
            )
            char_format.setUnderlineColor(colour.darker(180))
        colour.setAlpha(alpha)
        char_format.setBackground(colour)
        result = []
        for span_start, span_end in spans_of(stack):
            cursor = QTextCursor(self.document())
            cursor.setPosition(positions.to_qt(span_start))
            cursor.setPosition(positions.to_qt(span_end), QTextCursor.MoveMode.KeepAnchor)
            selection = QTextEdit.ExtraSelection()
            selection.cursor = cursor
            selection.format = char_format
            result.append(selection)
        return result

    def _other_selections(self, stack: Stack) -> list[QTextEdit.ExtraSelection]:
        """Another annotator's span: a faint fill and a dotted underline in their colour."""
        selections = self._selections(stack, _OTHER_ALPHA)
        for selection in selections:
            char_format = selection.format
            char_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
            char_format.setUnderlineColor(annotator_colour(stack[4]))
            selection.format = char_format
        return selections

    def _current_changed(self, record: AnnotationData | None) -> None:
        self.refresh_highlights()

    def _anchor(self, record: AnnotationData) -> QPoint:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.doc.positions.to_qt(record.start))
        rect = self.cursorRect(cursor)
        return QPoint(rect.left() + 4, rect.top())

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw suggestions (dashed, muted) and the selected annotation's links as arcs with
        their type, like brat's arrows."""
        super().paintEvent(event)
        if self.suggested:
            painter = QPainter(self.viewport())
            self._paint_suggestions(painter)
            painter.end()
        current = self.doc.current
        links = self.doc.links_from(current.id) + self.doc.links_to(current.id) if current else []
        if not links:
            self._place_link_labels([])
            return
        wanted: list[tuple[str, QColor, QRectF]] = []
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        height = self.viewport().height()
        for lane, relation in enumerate(links):
            source, target = self.doc.get(relation.source), self.doc.get(relation.target)
            if source is None or target is None:
                continue
            start, end = self._anchor(source), self._anchor(target)
            if not (-height < start.y() < 2 * height and -height < end.y() < 2 * height):
                continue
            top = min(start.y(), end.y()) - 10 - 8 * (lane % 3)
            path = QPainterPath(QPointF(start))
            path.cubicTo(QPointF(start.x(), top), QPointF(end.x(), top), QPointF(end))
            colour = QColor(self.colours.get(target.label, QColor("#555555"))).darker(160)
            painter.setPen(QPen(colour, 1.6))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
            painter.setBrush(colour)
            painter.drawEllipse(QPointF(end), 3, 3)
            wanted.append((relation.type, colour, self._line_rect(target)))
        painter.end()
        self._place_link_labels(wanted)

    def _line_rect(self, record: AnnotationData) -> QRectF:
        """The screen line where an annotation starts, in viewport coordinates."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.doc.positions.to_qt(record.start))
        return QRectF(self.cursorRect(cursor))

    def _place_link_labels(self, wanted: list[tuple[str, QColor, QRectF]]) -> None:
        """Each link's type goes into the margin left of the text, level with its target's
        line, never over a word; labels of targets on one line stack without overlapping."""
        placed: list[LinkLabel] = []
        height = self.gutter.label_height()
        left = -self.gutter.margin_width() + 2
        for name, colour, line in sorted(wanted, key=lambda w: (w[2].top(), w[2].left())):
            top = line.center().y() - height / 2
            for other in placed:
                if other.rect.bottom() > top:
                    top = other.rect.bottom() + 1
            rect = QRectF(left, top, self.gutter.margin_width() - 4, height)
            placed.append(LinkLabel(name, colour, rect))
        if placed != self.link_labels:
            self.link_labels = placed
            self.gutter.update()

    # -- events -------------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Keep the gutter beside the text and the highlights on the visible part."""
        super().resizeEvent(event)
        self.gutter.fit()
        self.refresh_highlights()

    def viewportEvent(self, event: QEvent) -> bool:
        """A tooltip over a highlight names its label and attributes (as plain text)."""
        if event.type() == QEvent.Type.ToolTip:
            help_event = cast(QHelpEvent, event)
            point = help_event.pos()
            offset = self.offset_at(point)
            hits = self.doc.at(offset) if offset is not None else []
            if hits:
                QToolTip.showText(
                    help_event.globalPos(),
                    tooltip_text(self.describe_all(hits)),
                    self.viewport(),
                )
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def describe_all(self, hits: list[AnnotationData]) -> str:
        """The tooltip of a place: its first annotations, and how many more there are."""
        lines = [self.describe(record) for record in hits[:TOOLTIP_LINES]]
        if len(hits) > TOOLTIP_LINES:
            lines.append(f"… and {len(hits) - TOOLTIP_LINES} more annotations here")
        return "\n".join(lines)

    def describe(self, record: AnnotationData) -> str:
        """One line about an annotation, for tooltips."""
        parts = [record.label]
        if not self.doc.mine(record):
            parts.append(f"by {record.annotator}")
        attributes = attributes_text(record)
        if attributes:
            parts.append(f"({attributes})")
        parts.append(f"“{one_line(self.doc.text_of(record), 60)}”")
        entity = self.doc.entity_of(record.id)
        if entity is not None:
            parts.append(f"[{entity.name}]")
        for relation in self.doc.links_from(record.id):
            target = self.doc.get(relation.target)
            if target is not None:
                parts.append(f"{relation.type}: “{one_line(self.doc.text_of(target), 30)}”")
        if record.note:
            parts.append(f"— {one_line(record.note, 60)}")
        return " ".join(parts)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """A click without a selection makes the annotation under it current."""
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
