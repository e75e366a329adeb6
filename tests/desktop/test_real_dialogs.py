"""Every dialog path through the REAL Qt dialog, answered by typing and Enter: open files,
open a folder, save a file, choose a format, choose an encoding, message boxes, the event
role menu. The stand-in dialogs elsewhere cannot catch a dialog that fails to open."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu, QMessageBox

from desktop.widgets.dialogs import Dialogs
from tests.desktop.answering import DialogAnswerer, pressing, typing

BRAT = Path(__file__).parent.parent / "db" / "fixtures" / "brat"


@pytest.fixture
def answers() -> Iterator[DialogAnswerer]:
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)
    answerer = DialogAnswerer()
    yield answerer
    answerer.stop()
    assert answerer.unexpected == []
    assert answerer.expected == [], "a dialog the test answers never opened"


@pytest.fixture
def real_window(make_window):
    def make(*args, **kwargs):
        window = make_window(*args, **kwargs)
        window.dialogs = Dialogs()
        return window

    return make


def keys(qtbot, window, sequence: str) -> None:
    """Press a key chord in the article, through Qt's shortcut map."""
    from PySide6.QtGui import QKeySequence

    combo = QKeySequence(sequence)[0]
    qtbot.keyClick(window.article, combo.key(), combo.keyboardModifiers())


def test_ctrl_e_exports_through_the_real_save_dialog(real_window, answers, qtbot, tmp_path):
    window = real_window({"a.txt": "Ana said hello."})
    target = tmp_path / "all.json"
    answers.then(QFileDialog, typing(str(target)))
    keys(qtbot, window, "Ctrl+E")
    assert answers.titles == ["Export as Spanwise JSON"]
    assert json.loads(target.read_text(encoding="utf-8"))["documents"][0]["text"].startswith("Ana")
    assert "Exported 1 document, 0 annotations" in window.statusBar().currentMessage()


def test_export_of_the_current_document_through_the_real_save_dialog(
    real_window, answers, qtbot, tmp_path
):
    window = real_window({"a.txt": "Ana said hello.", "b.txt": "Ben said bye."})
    target = tmp_path / "one.json"
    answers.then(QFileDialog, typing(str(target)))
    keys(qtbot, window, "Ctrl+Shift+E")
    assert len(json.loads(target.read_text(encoding="utf-8"))["documents"]) == 1


@pytest.mark.parametrize("key", ["Ctrl+O", "Ctrl+Shift+O"])
def test_ctrl_o_imports_files_or_a_folder_chosen_in_the_real_dialog(
    real_window, answers, qtbot, tmp_path, key
):
    window = real_window({"a.txt": "First."})
    folder = tmp_path / "incoming"
    folder.mkdir()
    for number in range(3):
        (folder / f"{number}.txt").write_text(f"Article {number}.", encoding="utf-8")
    chosen = folder / "0.txt" if key == "Ctrl+O" else folder  # a file, or the whole folder
    answers.then(QFileDialog, typing(str(chosen)))
    keys(qtbot, window, key)
    assert window.document_model.rowCount() == (2 if key == "Ctrl+O" else 4)


def test_another_format_is_chosen_by_typing_its_name_then_the_folder(
    real_window, answers, qtbot, tmp_path
):
    window = real_window({"a.txt": "First."})
    target = tmp_path / "brat-out"
    target.mkdir()
    answers.then(QInputDialog, typing("brat")).then(QFileDialog, typing(str(target)))
    window.actions_by_name["exportFormat"].trigger()
    assert answers.titles == ["Export in another format", "Folder to write the brat files into"]
    assert {".ann", ".txt"} <= {p.suffix for p in target.iterdir()}


def test_a_latin1_file_is_imported_after_choosing_its_encoding(
    real_window, answers, qtbot, tmp_path
):
    window = real_window({"a.txt": "First."})
    latin = tmp_path / "western.txt"
    latin.write_bytes("Le café est servi à Zürich.".encode("latin-1"))
    answers.then(QFileDialog, typing(str(latin)))
    answers.then(QInputDialog, typing("latin-1"))
    keys(qtbot, window, "Ctrl+O")
    assert answers.titles[1] == "Which encoding?"
    window.open_row(window.document_model.row_of_source("western.txt"))
    assert window.doc.text == "Le café est servi à Zürich."


def test_a_refused_import_says_why_in_a_message_box_closed_with_enter(
    real_window, answers, qtbot, tmp_path
):
    window = real_window({"a.txt": "First."})
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    seen: list[str] = []

    def read_then_enter(box):
        seen.append(box.text())
        pressing(Qt.Key.Key_Return)(box)

    answers.then(QFileDialog, typing(str(binary))).then(QMessageBox, read_then_enter)
    keys(qtbot, window, "Ctrl+O")
    assert "not a text file" in seen[0] and "Nothing was imported" in seen[0]
    assert window.document_model.rowCount() == 1


def test_a_file_of_unknown_format_gets_its_format_chosen_and_imports(
    real_window, answers, qtbot, tmp_path
):
    window = real_window({"a.txt": "First."})
    tool_file = tmp_path / "from-doccano.json"
    tool_file.write_text(json.dumps({"text": "Ana said hello.", "label": []}), "utf-8")
    reports: list[str] = []

    def read_then_enter(box):
        reports.append(box.text())
        pressing(Qt.Key.Key_Return)(box)

    answers.then(QFileDialog, typing(str(tool_file)))
    asked: list[tuple[str, list[str]]] = []

    def read_then_type(dialog):
        asked.append((dialog.labelText(), dialog.comboBoxItems()))
        typing("doccano")(dialog)

    answers.then(QInputDialog, read_then_type)
    answers.then(QMessageBox, read_then_enter)
    keys(qtbot, window, "Ctrl+I")
    assert answers.titles[1] == "Which format?"
    [(question, offered)] = asked
    assert "from-doccano.json" in question  # the file is named, not only the title
    assert offered[0].startswith("uima-json — ")  # a .json file: JSON formats first, described
    assert not any(o.startswith("uima-xmi") for o in offered[:3])
    assert window.document_model.rowCount() == 2
    assert "(doccano): 1 document, 0 annotations" in reports[0]  # not "1 documents"


def test_deleting_a_linked_annotation_asks_and_enter_says_yes(real_window, answers, qtbot):
    window = real_window({"a.txt": "“We rebuild,” Ana said."})
    view = window.article
    view.select_span(1, 11)
    keys(qtbot, window, "1")
    keys(qtbot, window, "S")
    view.select_span(14, 17)
    keys(qtbot, window, "S")
    speaker = window.doc.records()[1]
    window.select_annotation(speaker)
    answers.then(QMessageBox, pressing(Qt.Key.Key_Return))
    keys(qtbot, window, "Delete")
    assert [r.label for r in window.doc.records()] == ["Quote"]


def test_the_event_role_menu_opens_at_the_caret_and_a_letter_picks_the_role(
    real_window, answers, qtbot
):
    window = real_window({"a.txt": "Troops were placed on alert in Kursk by the army."})
    view = window.article
    text = window.doc.text
    view.select_span(text.index("placed"), text.index(" in"))
    keys(qtbot, window, "4")
    menus: list[QMenu] = []

    def look_then_press_r(menu):
        menus.append(menu)
        texts = [a.text() for a in menu.actions()]
        letters = [t[t.index("&") + 1].lower() for t in texts]
        assert len(set(letters)) == len(letters), texts  # each role its own letter
        caret = view.viewport().mapToGlobal(view.cursorRect().bottomLeft())
        assert (menu.pos() - caret).manhattanLength() <= 4  # where the eyes are
        QTest.keyClick(menu, Qt.Key.Key_R)

    answers.then(QMenu, look_then_press_r)
    keys(qtbot, window, "A")
    assert menus and window.links.pick is not None
    assert window.links.pick.relation.name == "participant"
