"""What the user sees: literal text, tooltips, highlights of what is on screen, screenshots."""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent, QTextCursor
from PySide6.QtWidgets import QToolTip

from tests.store_edits import update_annotation

HTML_TEXT = 'Click <a href="x">here</a> &amp; <b>bold</b> <img src="y.png"> now.'


def test_html_looking_text_is_shown_literally_everywhere(make_window, qtbot):
    window = make_window({"<b>title<i>.txt": HTML_TEXT})
    assert window.article.document().toRawText() == HTML_TEXT
    window.article.select_span(6, 26)
    window.actions_by_name["label:Quote"].trigger()
    record = window.doc.records()[0]
    cell = window.annotation_model.index(0, 1)
    assert window.annotation_model.data(cell) == '<a href="x">here</a>'
    tip = window.annotation_model.data(cell, Qt.ItemDataRole.ToolTipRole)
    assert "&lt;a href=&quot;x&quot;&gt;" in tip  # escaped, so shown as typed
    assert window.attribute_panel.summary.textFormat() == Qt.TextFormat.PlainText
    assert '<a href="x">here</a>' in window.attribute_panel.summary.text()
    assert window.document_model.data(window.document_model.index(0, 0)) == HTML_TEXT[:80]
    assert record.label == "Quote"


def test_hovering_a_highlight_shows_label_and_attributes(make_window, qtbot):
    window = make_window({"a.txt": "“We will win,” the President said."})
    window.article.select_span(0, 14)
    window.actions_by_name["label:Quote"].trigger()
    record = window.doc.records()[0]
    update_annotation(window.store, record.id, attributes={"kind": "direct"})
    window.doc.reload()
    view = window.article
    cursor = QTextCursor(view.document())
    cursor.setPosition(4)
    point = view.cursorRect(cursor).center() + QPoint(2, 0)
    event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    view.viewportEvent(event)
    assert QToolTip.isVisible()
    assert "Quote (kind=direct)" in QToolTip.text()
    QToolTip.hideText()


def test_only_the_visible_part_is_decorated_and_scrolling_keeps_up(make_window, qtbot):
    sentence = "Officials said the convoy moved north before dawn. "
    text = sentence * 4000  # ~200 kB
    window = make_window({"big.txt": text})
    store, doc_id = window.store, window.doc.document_id
    for i in range(0, len(text) - 10, 97):
        store.add_annotation(doc_id, "ana", "Event", i, i + 8)
    window.doc.reload()
    total = len(window.doc)
    decorated = window.article.decorated_ids()
    assert 0 < len(decorated) < total / 10
    scrollbar = window.article.verticalScrollBar()
    scrollbar.setValue(scrollbar.maximum())
    last = window.doc.records()[-1]
    assert last.id in window.article.decorated_ids()
    assert window.doc.records()[0].id not in window.article.decorated_ids()


def test_labelling_then_jumping_to_the_end_keeps_the_window_alive(make_window, qtbot):
    """Ctrl+End after a label made Qt scroll inside setExtraSelections, whose nested call
    freed the selections it was reading: a crash. Decorating never nests now."""
    paragraph = "“We had no other choice,” she said. The bridge was simply unsafe today.\n\n"
    window = make_window({"a.txt": "Title\n\n" + paragraph * 200})
    view = window.article
    depth, deepest = [0], [0]
    real = view.setExtraSelections

    def counting(selections):
        depth[0] += 1
        deepest[0] = max(deepest[0], depth[0])
        try:
            real(selections)
        finally:
            depth[0] -= 1

    view.setExtraSelections = counting
    view.setFocus()
    view.place_cursor(10)
    qtbot.keyClick(view, Qt.Key.Key_1)
    [record] = window.doc.records()
    assert record.id in view.decorated_ids()
    qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert view.decorated_ids() == [] and deepest[0] == 1
    qtbot.keyClick(view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert view.decorated_ids() == [record.id]


def test_screenshot_command_renders_the_window(tmp_path):
    db = tmp_path / "shot.db"
    png = tmp_path / "shot.png"
    result = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "--db", str(db), "gui", "--screenshot", str(png)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 10_000


def test_a_long_document_paints_its_top_first_then_loads_the_rest(make_window, qtbot, monkeypatch):
    from desktop.document import open_document

    monkeypatch.setattr(open_document, "EAGER_LIMIT", 50)
    monkeypatch.setattr(open_document, "FIRST_SCREENS", 3000)
    sentence = "Officials said the convoy moved north before dawn. "
    text = sentence * 400
    window = make_window({"short.txt": "A short one.", "long.txt": text})
    long_id = next(d.id for d in window.document_model.rows() if d.source == "long.txt")
    for i in range(0, len(text) - 10, 97):
        window.store.add_annotation(long_id, "ana", "Event", i, i + 8)
    total = len(window.store.annotations(long_id, "ana"))
    window.open_document(long_id)
    assert not window.doc.complete and 0 < len(window.doc) < total
    assert window.article.decorated_ids()  # the top is painted with its highlights
    qtbot.waitUntil(lambda: window.doc.complete)  # the rest follows before any input
    assert len(window.doc) == total
    assert window.annotation_model.rowCount() == total


def test_an_edit_before_the_rest_has_loaded_waits_for_it(make_window, qtbot, monkeypatch):
    from desktop.document import open_document

    monkeypatch.setattr(open_document, "EAGER_LIMIT", 50)
    monkeypatch.setattr(open_document, "FIRST_SCREENS", 3000)
    text = "Officials said the convoy moved north before dawn. " * 400
    window = make_window({"short.txt": "A short one.", "long.txt": text})
    long_id = next(d.id for d in window.document_model.rows() if d.source == "long.txt")
    for i in range(0, len(text) - 10, 97):
        window.store.add_annotation(long_id, "ana", "Event", i, i + 8)
    window.open_document(long_id)
    window.article.select_span(0, 9)
    window.actions_by_name["label:Speaker"].trigger()
    assert window.doc.complete
    assert len(window.doc) == len(window.store.annotations(long_id, "ana"))


def test_a_message_during_long_work_shows_the_arrow_not_the_wait_cursor(qtbot):
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from desktop.widgets.dialogs import Dialogs

    seen = []

    def answer():
        seen.append(QGuiApplication.overrideCursor())
        QApplication.activeModalWidget().done(0)

    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # long work under way
    try:
        QTimer.singleShot(0, answer)
        Dialogs().error(None, "Could not save", "The disk is full.")
        assert seen == [None]  # the arrow while the message waits for the user
        assert QGuiApplication.overrideCursor() is not None  # the work goes on: wait again
    finally:
        while QGuiApplication.overrideCursor() is not None:
            QGuiApplication.restoreOverrideCursor()
