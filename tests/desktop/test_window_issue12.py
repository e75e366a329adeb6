"""What a person saw wrong in the window (issue 12): link labels over words, titles that
could not be told apart, a cut header, blank panes on an empty database, a stale review
hint, the save time in UTC, keys listed twice."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import QHeaderView, QTableView, QTableWidget, QTreeView

from db.store import Store
from seeds import seed_paths
from tests.desktop.key_map import key_clashes, keys_of
from tests.readme_screenshot import annotate_seed


def text_rects(view) -> list[QRectF]:
    """Where the article's visible lines hold text, in viewport coordinates."""
    rects = []
    block = view.firstVisibleBlock()
    offset = view.contentOffset()
    while block.isValid():
        top = view.blockBoundingGeometry(block).translated(offset).top()
        if top > view.viewport().height():
            break
        layout = block.layout()
        for index in range(layout.lineCount()):
            line = layout.lineAt(index)
            if line.textLength() and block.text().strip():
                rects.append(
                    QRectF(
                        line.x() + offset.x(),
                        top + line.y(),
                        line.naturalTextWidth(),
                        line.height(),
                    )
                )
        block = block.next()
    return rects


def test_link_labels_cover_no_text(make_window, qtbot, tmp_path):
    database = tmp_path / "annotated.db"
    store = Store(database)
    quote_id = annotate_seed(store, "ana")  # the README's attribution example
    store.close()
    window = make_window(database=database)
    window.select_annotation(window.doc.get(quote_id))
    window.article.viewport().repaint()
    labels = window.article.link_labels
    assert sorted(label.name for label in labels) == ["cue", "speaker"]
    covered = [
        (label.name, rect)
        for label in labels
        for rect in text_rects(window.article)
        if label.rect.intersects(rect)
    ]
    assert covered == []
    for first, second in zip(labels, labels[1:], strict=False):
        assert not first.rect.intersects(second.rect)  # nor each other
    shown = window.article.rect()
    for label in labels:  # and they are on screen, in the article
        corner = window.article.viewport().mapTo(window.article, label.rect.topLeft().toPoint())
        assert shown.contains(corner)


def test_two_hundred_similar_titles_are_told_apart(make_window, qtbot):
    texts = {
        f"{n:03}.txt": f"Article number {n} of the wire service feed\n\nBody {n}."
        for n in range(200)
    }
    texts["dup-a.txt"] = "Same title\n\nOne."
    texts["dup-b.txt"] = "Same title\n\nTwo."
    window = make_window(texts)
    listing: QTreeView = window.document_list
    width = listing.header().sectionSize(0) - 8
    model = window.document_model
    shown = [
        listing.fontMetrics().elidedText(model.index(row, 0).data(), listing.textElideMode(), width)
        for row in range(model.rowCount())
    ]
    assert len(set(shown)) == len(shown), sorted(shown)[:5]
    assert model.index(0, 0).data(3)  # the tooltip keeps the whole title and the file


def test_no_column_header_is_cut(make_window, qtbot):
    window = make_window(seed=True)
    window.show()
    tables = [window.annotation_list, window.entity_list]
    for table in tables:
        header: QHeaderView = table.horizontalHeader()
        for column in range(header.count()):
            assert header.sectionSize(column) >= header.sectionSizeHint(column), (
                table.objectName(),
                table.model().headerData(column, header.orientation()),
            )


def test_an_empty_database_opens_on_the_welcome_pane(make_window, qtbot):
    window = make_window()
    assert window.pages.currentWidget() is window.welcome
    buttons = window.welcome.buttons
    assert set(buttons) == {"importText", "importFolder", "importAnnotations", "exampleArticle"}
    keys = window.welcome.findChild(object, "welcomeKeys").text()
    assert "1 Quote" in keys and "S links its speaker" in keys
    buttons["exampleArticle"].click()
    assert window.pages.currentWidget() is window.centre
    assert window.doc.document.source == seed_paths()[0].name
    assert window.article.hasFocus()


def test_the_example_article_is_one_click_away_in_any_database(make_window, qtbot):
    window = make_window({"mine.txt": "My own article."})
    window.actions_by_name["exampleArticle"].trigger()
    window.actions_by_name["exampleArticle"].trigger()  # twice: opened, not imported twice
    assert window.document_model.rowCount() == 2
    assert window.doc.document.source == seed_paths()[0].name


def test_leaving_review_takes_its_keys_out_of_the_status_bar(make_window, qtbot):
    window = make_window({"a.txt": "Ana said hello."})
    window.actions_by_name["reviewMode"].trigger()
    assert "F8" in window.statusBar().currentMessage()
    window.actions_by_name["reviewMode"].trigger()
    assert "F8" not in window.statusBar().currentMessage()
    assert window.pages.currentWidget() is window.centre


def test_the_save_time_is_local(make_window, qtbot, monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Kolkata")  # UTC+05:30: UTC would be plainly wrong
    time.tzset()
    try:
        window = make_window({"a.txt": "Ana said hello."})
        window.article.select_span(0, 3)
        window.actions_by_name["label:Speaker"].trigger()
        shown = window.save_label.text()
        assert "UTC" not in shown
        clock = shown.split("(")[1].rstrip(")")
        now = datetime.now()
        moments = [(now + timedelta(seconds=s)).strftime("%H:%M:%S") for s in (-2, -1, 0)]
        assert clock in moments
    finally:
        monkeypatch.undo()
        time.tzset()


def test_no_key_is_bound_twice_and_f1_lists_each_once(make_window, qtbot):
    window = make_window({"a.txt": "Ana said hello."})
    assert key_clashes(window) == []
    assert keys_of(window, "redo") == ["Ctrl+Shift+Z", "Ctrl+Y"]
    window.actions_by_name["shortcuts"].trigger()
    table = window.findChild(QTableWidget, "shortcutTable")
    for row in range(table.rowCount()):
        keys = table.item(row, 1).text().split(", ")
        assert len(keys) == len(set(keys)), table.item(row, 0).text()
    window.actions_by_name["shortcuts"].trigger()  # F1 again: the same window, not another
    assert len(window.findChildren(QTableWidget, "shortcutTable")) == 1
    table.activateWindow()
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Escape)  # closed from the keyboard
    assert not table.isVisible()


def test_a_latin1_file_asks_for_its_encoding_not_for_a_command_line_flag(
    make_window, qtbot, tmp_path
):
    window = make_window({"a.txt": "First."})
    latin = tmp_path / "western.txt"
    latin.write_bytes("Le café est servi.".encode("latin-1"))
    window.dialogs.encodings.append(None)  # cancelled first: the refusal names no flag
    window.files.import_paths([latin])
    [(problem, offered)] = window.dialogs.encoding_questions
    assert offered[0].startswith("windows-1252")
    assert "--encoding" not in window.dialogs.errors[0][1]
    window.dialogs.encodings.append("latin-1")
    assert window.files.import_paths([latin])
    assert window.document_model.row_of_source("western.txt") >= 0


def test_every_table_fits_the_default_window(make_window, qtbot):
    window = make_window(seed=True)
    for table in window.findChildren(QTableView):
        if not table.isVisible():
            continue
        header = table.horizontalHeader()
        last = max(range(header.count()), key=header.sectionViewportPosition)
        right = header.sectionViewportPosition(last) + header.sectionSize(last)
        assert right <= table.viewport().width() + 1, table.objectName()


def test_sync_with_no_address_says_nothing_was_synced(make_window, qtbot):
    """The address field starts empty (the example is in the question, not in the field):
    OK on nothing, or on the example, says so instead of doing nothing silently."""
    window = make_window({"a.txt": "Ana said hello."})
    for answer in ("", "postgresql://you@host/project"):
        window.dialogs.texts.append(answer)
        window.actions_by_name["sync"].trigger()
        assert "No server address given" in window.statusBar().currentMessage()
        assert not window.team.running


def test_no_menu_gives_one_letter_to_two_items(make_window, qtbot):
    """Alt+F then a letter must name one item: two with the same underlined letter make the
    key cycle between them instead of choosing."""
    from PySide6.QtWidgets import QMenu

    window = make_window({"a.txt": "Ana said hello."})
    for menu in window.menuBar().findChildren(QMenu):
        letters = [
            a.text().split("&", 1)[1][0].lower()
            for a in menu.actions()
            if "&" in a.text().replace("&&", "")
        ]
        assert len(letters) == len(set(letters)), (menu.title(), letters)
