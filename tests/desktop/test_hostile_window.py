"""A hostile colleague's file, in the window (issue 13): stacked spans stay cheap to draw, every
import error ends in a dialog, the window asks before a file writes under gold or grows the
schema, and label names show as plain text in tooltips."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QTimer
from PySide6.QtGui import QHelpEvent, QTextDocument
from PySide6.QtWidgets import QApplication, QMessageBox, QToolTip

from db.files.text_files import text_sha256
from db.records import AnnotationData, DocumentData, ExportedDocument
from db.schema.label_schema import load_schema
from db.store import Store
from desktop.widgets.dialogs import Dialogs
from tests.robust.helpers import document_json, news_export

STAMP = "2026-01-01T00:00:00.000Z"


def answer_next_dialog(
    seen: list[tuple[str, str]], button: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok
) -> None:
    """Answer the next real message box as a user would (it is shown modal): note its title
    and text, then press `button`."""

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, answer)
            return
        seen.append((box.windowTitle(), box.text()))
        box.button(button).click()

    QTimer.singleShot(0, answer)


def rendered(tip: str) -> str:
    """What a tooltip shows: Qt renders it as rich text when it looks like markup."""
    document = QTextDocument()
    document.setHtml(tip)
    return document.toPlainText()


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# -- 4. spans stacked on one place are drawn once ---------------------------------------------


def test_identical_stacked_spans_are_drawn_once_and_told_in_the_tooltip(make_window, qtbot):
    text = "Ana said hello to everyone in the room today."
    window = make_window({"a.txt": text})
    doc_id = window.doc.document_id
    stacked = [
        AnnotationData(f"s{i}", doc_id, "ana", "Quote", 0, 8, created=STAMP, modified=STAMP)
        for i in range(5000)
    ]
    other = AnnotationData("cue", doc_id, "ana", "Cue", 4, 8, created=STAMP, modified=STAMP)
    document = DocumentData(doc_id, "a", "a.txt", text, text_sha256(text), STAMP)
    exported = ExportedDocument(document, {}, [*stacked, other])
    window.store.import_documents(load_schema(), [exported])
    window.doc.reload()
    view = window.article

    assert len(view.extraSelections()) == 2  # one per distinct span, not 5,001
    assert len(view.decorated_ids()) == 5001
    view.place_cursor(1)
    point = view.cursorRect().center()
    event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), event)
    assert QToolTip.isVisible()
    lines = rendered(QToolTip.text()).splitlines()
    assert len(lines) == 13 and lines[-1] == "… and 4988 more annotations here"
    QToolTip.hideText()
    window.article.select_span(9, 14)
    window.actions_by_name["label:Speaker"].trigger()  # editing goes on as usual
    assert len(window.doc) == 5002 and window.doc.current is not None
    assert window.doc.current.id in view.decorated_ids()


# -- 5. an error in an import ends in a dialog, through the real dialog --------------------------


def test_an_import_with_messages_shows_them_in_a_real_dialog(make_window, qtbot, tmp_path):
    window = make_window()
    window.dialogs = Dialogs()  # the real dialogs: a wrong parent would raise TypeError
    rng = random.Random(3)
    doc = document_json("Ben said it twice.\n" * 3, "Twice", rng, 4, "ben")
    first = write_json(tmp_path / "first.json", news_export([doc]))
    doc["annotations"][0]["note"] = "changed"
    second = write_json(tmp_path / "second.json", news_export([doc]))
    assert window.files.import_paths([first])
    seen: list[tuple[str, str]] = []
    answer_next_dialog(seen)
    assert window.files.import_paths([second])
    [(title, message)] = seen
    assert title == "Import done"
    assert "1 conflicting" in message and "kept the database's" in message


def test_an_unforeseen_error_in_an_import_is_one_line_in_a_dialog(
    make_window, qtbot, tmp_path, monkeypatch, capsys
):
    import db.formats.batch_import

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise TypeError("unhashable type: 'list'")

    monkeypatch.setattr(db.formats.batch_import, "import_paths", broken)
    window = make_window()
    window.dialogs = Dialogs()
    article = tmp_path / "a.txt"
    article.write_text("An article.\n", encoding="utf-8")
    seen: list[tuple[str, str]] = []
    answer_next_dialog(seen)
    assert not window.files.import_paths([article])
    [(title, message)] = seen
    assert title == "Import failed"
    assert message.startswith(f"{article}: the import failed unexpectedly (TypeError")
    assert "nothing was imported" in message
    assert "Traceback" in capsys.readouterr().err  # for the bug report, not for the dialog


# -- 6. the window asks before a file writes under gold or grows the schema ----------------------


def _export_by(tmp_path: Path, annotator: str, labels: list[dict[str, Any]] | None = None) -> Path:
    rng = random.Random(9)
    doc = document_json(f"{annotator} wrote this text.\n" * 3, annotator, rng, 4, annotator)
    return write_json(tmp_path / f"{annotator}.json", news_export([doc], labels))


@pytest.mark.parametrize("yes", [False, True])
def test_the_window_asks_before_a_file_writes_under_gold_or_adds_labels(
    make_window, qtbot, tmp_path, yes
):
    window = make_window(annotator="ana")
    window.dialogs.confirm_answer = yes
    labels = news_export([])["labels"] + [{"name": "Rumour", "colour": "#123456"}]
    before = window.store.document_count()
    path = _export_by(tmp_path, "gold", labels)

    assert window.files.import_paths([path]) is yes

    [question] = window.dialogs.confirmations
    assert "write under gold (the adjudicated version)" in question
    assert "add to this database's schema 1 label(s): Rumour" in question
    assert window.store.document_count() == before + yes
    assert ("Rumour" in [label.name for label in window.store.labels()]) is yes


def test_a_colleagues_file_with_known_labels_is_imported_without_a_question(
    make_window, qtbot, tmp_path
):
    window = make_window(annotator="ana")
    assert window.files.import_paths([_export_by(tmp_path, "ben")])
    assert window.dialogs.confirmations == []
    mine = _export_by(tmp_path, "ana")  # your own name, from a file: asked
    assert window.files.import_paths([mine])
    [question] = window.dialogs.confirmations
    assert "write under ana (your own name)" in question


def test_the_question_goes_through_the_real_dialog(make_window, qtbot, tmp_path):
    window = make_window(annotator="ana")
    window.dialogs = Dialogs()
    seen: list[tuple[str, str]] = []
    answer_next_dialog(seen, QMessageBox.StandardButton.No)
    assert not window.files.import_paths([_export_by(tmp_path, "gold")])
    [(title, message)] = seen
    assert title == "Import these files?" and "gold" in message
    assert window.store.document_count() == 0


# -- 7. label names are plain text in every tooltip ----------------------------------------------


def test_label_names_show_as_plain_text_in_action_and_undo_tooltips(make_window, qtbot, tmp_path):
    name = '<img src="x.png"><b>Bold</b> & more'
    schema = {"labels": [{"name": name, "colour": "#123456", "shortcut": "1"}]}
    db = tmp_path / "markup.db"
    Store(db, json.dumps(schema)).close()
    window = make_window({"a.txt": "Some words to label here."}, database=db)
    window.open_row(0)
    action = window.actions_by_name[f"label:{name}"]
    assert looks_like_markup(action.toolTip())  # so it must be escaped markup
    assert rendered(action.toolTip()).startswith(f"Label the selection as {name}")
    window.article.select_span(0, 4)
    action.trigger()
    undo = window.actions_by_name["undo"]
    assert f"Undo Add {name}" in rendered(undo.toolTip())
    assert action.text() == name.replace("&", "&&")


def looks_like_markup(text: str) -> bool:
    """Qt's own test (Qt::mightBeRichText), which tooltips apply to what they are given."""
    from PySide6.QtGui import Qt as QtGui

    might: Callable[[str], bool] = QtGui.mightBeRichText  # type: ignore[attr-defined]
    return might(text)
