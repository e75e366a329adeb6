"""Keys on a real X server: label, undo, redo by both keys, suggest-and-accept from a freshly
opened window, find, attribute by keyboard only, the event role menu, a real save dialog;
counted in the input events a person makes."""

from __future__ import annotations

import json
import subprocess

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QWidget

from desktop.widgets.dialogs import Dialogs
from tests.desktop.answering import DialogAnswerer
from tests.desktop.key_map import key_clashes, keys_of

TEXT = (
    "“We will rebuild the bridge by spring,” Mayor Ana Souza said on Monday.\n\n"
    "The minister said the plan was sound.\n\n"
    "He added that the roads would reopen by Friday."
)


def point_at(view, offset: int, after: bool = False) -> QPoint:
    """The viewport point just inside the character at `offset` (or just before it)."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.doc.positions.to_qt(offset))
    rect = view.cursorRect(cursor)
    return QPoint(rect.x() + (-1 if after else 1), rect.center().y())


def drag_over(x_input, view, piece: str) -> None:
    start = view.doc.text.index(piece)
    x_input.drag(view.viewport(), point_at(view, start), point_at(view, start + len(piece), True))
    assert view.selected_span() == (start, start + len(piece))


def speaker_of(window, quote) -> str | None:
    target = window.doc.link_target(quote.id, "speaker")
    return window.doc.text_of(target) if target is not None else None


def quotes(window) -> list:
    return [r for r in window.doc.records() if r.label == "Quote"]


def test_no_key_is_bound_twice_and_redo_has_both_keys(make_window):
    window = make_window({"a.txt": TEXT})
    assert key_clashes(window) == []
    assert keys_of(window, "undo") == ["Ctrl+Z"]
    assert keys_of(window, "redo") == ["Ctrl+Shift+Z", "Ctrl+Y"]


def test_label_then_undo_and_redo_by_both_promised_keys(make_window, x_input):
    window = make_window({"a.txt": TEXT})
    drag_over(x_input, window.article, "The minister")
    x_input.key("2")
    assert [r.label for r in window.doc.records()] == ["Speaker"]
    x_input.key("ctrl+z")
    assert len(window.doc) == 0
    x_input.key("ctrl+shift+z")
    assert len(window.doc) == 1, "Ctrl+Shift+Z redoes"
    x_input.key("ctrl+z")
    x_input.key("ctrl+y")
    assert len(window.doc) == 1, "Ctrl+Y redoes"
    assert "Redone" in window.statusBar().currentMessage()


def test_suggest_and_accept_from_a_fresh_window_in_two_events(make_window, x_input):
    window = make_window({"a.txt": TEXT}, focus_article=False)
    x_input.key("ctrl+shift+s", "Return")
    [quote] = quotes(window)
    assert speaker_of(window, quote) == "Mayor Ana Souza"
    assert x_input.events == 2


def test_an_attributed_quote_by_hand_takes_at_most_six_events(make_window, x_input):
    window = make_window({"a.txt": TEXT}, focus_article=False)
    view = window.article
    drag_over(x_input, view, "that the roads would reopen by Friday")
    x_input.key("1")
    drag_over(x_input, view, "He")
    x_input.key("s")
    [quote] = quotes(window)
    assert speaker_of(window, quote) == "He"
    assert x_input.events <= 6
    assert x_input.events == 4  # drag, 1, drag, S


def test_find_keeps_the_quote_and_attributes_by_keyboard_only(make_window, x_input):
    window = make_window({"a.txt": TEXT}, focus_article=False)
    x_input.key("ctrl+f")
    x_input.type("the roads would reopen by Friday")
    x_input.key("Escape", "1")
    x_input.key("ctrl+f")
    x_input.type("he a")
    x_input.key("Escape", "shift+Left", "s")
    [quote] = quotes(window)
    assert window.doc.text_of(quote) == "the roads would reopen by Friday"
    assert speaker_of(window, quote) == "He", window.statusBar().currentMessage()


def test_the_role_menu_opens_at_the_caret_and_its_letter_picks_the_role(make_window, x_input):
    window = make_window({"a.txt": "Troops were placed on alert in Kursk by the army."})
    window.dialogs = Dialogs()
    view = window.article
    text = window.doc.text
    view.select_span(text.index("placed"), text.index(" in"))
    x_input.key("4")
    seen: list[QMenu] = []
    answers = DialogAnswerer()

    def letter_r(menu: QWidget) -> None:
        assert isinstance(menu, QMenu)
        seen.append(menu)
        caret = view.viewport().mapToGlobal(view.cursorRect().bottomLeft())
        assert (menu.pos() - caret).manhattanLength() <= 4
        subprocess.run(["xdotool", "key", "r"], check=True)

    answers.then(QMenu, letter_r)
    x_input.key("a")
    answers.stop()
    assert seen and window.links.pick is not None
    assert window.links.pick.relation.name == "participant"


@pytest.fixture
def widget_dialogs() -> None:
    """Qt's own dialogs, typed into by X keys (a native GTK dialog is another program)."""
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)


def test_ctrl_e_exports_through_the_real_save_dialog(
    make_window, x_input, widget_dialogs, tmp_path
):
    window = make_window({"a.txt": TEXT})
    window.dialogs = Dialogs()
    target = tmp_path / "everything.json"
    answers = DialogAnswerer()

    def type_path(dialog: QWidget) -> None:
        subprocess.run(["xdotool", "key", "ctrl+a"], check=True)
        subprocess.run(["xdotool", "type", "--delay", "2", str(target)], check=True)
        QApplication.processEvents()
        if QApplication.activePopupWidget() is not None:  # the file name completer's list
            subprocess.run(["xdotool", "key", "Escape"], check=True)
        subprocess.run(["xdotool", "key", "Return"], check=True)

    answers.then(QFileDialog, type_path)
    x_input.key("ctrl+e")
    answers.stop()
    assert answers.unexpected == [] and answers.expected == []
    assert json.loads(target.read_text(encoding="utf-8"))["documents"][0]["text"] == TEXT


def test_suggestion_keys_work_after_choosing_the_document_in_the_list(make_window, x_input):
    window = make_window({"a.txt": TEXT, "b.txt": "Nothing to suggest here."})
    listing = window.document_list
    row = window.document_model.row_of_source("a.txt")
    x_input.double_click(
        listing.viewport(), listing.visualRect(listing.model().index(row, 0)).center()
    )
    assert window.doc.document.source == "a.txt" and listing.hasFocus()
    x_input.key("ctrl+shift+s", "n", "BackSpace", "Return")
    assert len(quotes(window)) == 1  # N moved on, Backspace rejected, Enter accepted
