"""Training the suggester from the window: in the background with progress, the version and
what it learnt from shown, suggestions from the model marked in the list, automatic
retraining after every N annotations (remembered), and a refusal said in one line."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu

from db.formats.spanwise_json import import_export
from db.store import Store
from desktop.controllers.suggestion_list import SuggestionList

GOLD = Path(__file__).resolve().parents[1] / "gold"
TRAINING = 120_000  # ms: a fresh interpreter, then a second or two of training


def project(tmp_path: Path) -> Path:
    """A database with two gold articles (the work to learn from) and one to annotate."""
    database = tmp_path / "project.db"
    store = Store(database)
    for path in (
        GOLD / "alpine-evacuation.spanwise.json",
        GOLD / "berlin-scooters.spanwise.json",
    ):
        import_export(store, json.loads(path.read_text(encoding="utf-8")), path.name)
    held = GOLD / "held-out" / "port-strike.spanwise.json"
    data = json.loads(held.read_text(encoding="utf-8"))
    data["documents"][0]["annotations"] = []
    data["documents"][0]["relations"] = []
    data["documents"][0]["entities"] = []
    data["documents"][0]["status"] = {}
    import_export(store, data, held.name)
    store.close()
    return database


def open_port_strike(window) -> None:
    summary = next(d for d in window.store.documents("ana") if "Dublin" in d.title)
    window.open_document(summary.id)


def test_train_in_the_background_then_suggest_with_the_model(make_window, qtbot, tmp_path):
    window = make_window(database=project(tmp_path))
    open_port_strike(window)
    menu = window.menuBar().findChild(QMenu, "annotateMenu")
    names = [a.objectName() for a in menu.actions()]
    assert {"trainSuggestions", "retrainAutomatically", "useTrainedModel"} <= set(names)
    window.actions_by_name["trainSuggestions"].trigger()
    panel = window.training.panel
    assert panel is not None and panel.isVisible()
    assert panel.version.text() == "No model yet: suggestions come from the rules."
    assert panel.learn_from.currentText() == "gold"
    # the progress arrives while the model trains: the window's event loop never waits
    with (
        qtbot.waitSignal(window.training.finished, timeout=TRAINING) as done,
        qtbot.waitSignal(window.training.progressed, timeout=TRAINING),
    ):
        qtbot.mouseClick(panel.train_button, Qt.MouseButton.LeftButton)
        assert window.training.running and not panel.train_button.isEnabled()
        assert panel.progress.isVisible()
    assert done.args[0].startswith("version 1, learnt from gold: 2 articles, 41 quotes")
    assert panel.version.text().startswith("version 1, learnt from gold: 2 articles")
    assert panel.status.text().startswith("Trained version 1")
    assert panel.train_button.isEnabled() and not panel.progress.isVisible()
    assert "Suggestion model trained: version 1" in window.statusBar().currentMessage()
    panel.close()  # back to the article
    with qtbot.waitActive(window):
        window.activateWindow()
    window.article.setFocus()
    qtbot.keyClick(
        window.article,
        Qt.Key.Key_S,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    hints = window.suggestions
    assert len(hints.items) >= 15
    listing = window.findChild(SuggestionList, "suggestionDock")
    assert listing is not None and listing.isVisible()
    lines = [listing.list.item(i).text() for i in range(listing.list.count())]
    assert len(lines) == len(hints.items)
    assert all(line.startswith("[model v1] ") for line in lines)
    assert "[model:" in window.statusBar().currentMessage()
    listing.list.setCurrentRow(2)  # picking a line makes it the current suggestion
    assert hints.index == 2
    qtbot.keyClick(window.article, Qt.Key.Key_Return)
    quote = next(r for r in window.doc.records() if r.label == "Quote")
    assert quote.attributes["rule"].startswith("model:") and quote.attributes["model"] == "1"

    window.actions_by_name["useTrainedModel"].trigger()  # off: the rules again
    assert window.settings.value("suggest/use_model", type=bool) is False
    hints.request()
    assert listing.list.item(0).text().startswith("[rules] ")


def test_retraining_automatically_after_every_n_annotations(make_window, qtbot, tmp_path):
    window = make_window(database=project(tmp_path))
    open_port_strike(window)
    window.actions_by_name["trainSuggestions"].trigger()
    panel = window.training.panel
    panel.every.setValue(2)
    qtbot.mouseClick(panel.automatic, Qt.MouseButton.LeftButton)
    assert window.actions_by_name["retrainAutomatically"].isChecked()
    assert window.settings.value("suggest/retrain_automatically", type=bool) is True
    assert window.settings.value("suggest/retrain_every", type=int) == 2
    panel.close()
    with qtbot.waitActive(window):
        window.activateWindow()
    window.article.setFocus()
    window.suggestions.request()  # the rules, no model yet
    qtbot.keyClick(window.article, Qt.Key.Key_Return)  # accepted: one
    assert not window.training.running
    with (
        qtbot.waitSignal(window.training.finished, timeout=TRAINING),
        qtbot.waitSignal(window.training.started, timeout=5000),
    ):
        qtbot.keyClick(window.article, Qt.Key.Key_Backspace)  # rejected: two
    assert [m.version for m in window.store.models()] == [1]
    window.actions_by_name["undo"].trigger()  # undo and redo are not new work
    window.actions_by_name["redo"].trigger()
    assert window.training.counted == 0 and not window.training.running


def test_a_refused_training_says_why(make_window, qtbot, tmp_path):
    window = make_window(database=project(tmp_path))
    window.actions_by_name["trainSuggestions"].trigger()
    panel = window.training.panel
    panel.learn_from.setCurrentText("ana")
    with qtbot.waitSignal(window.training.failed, timeout=TRAINING) as refused:
        qtbot.mouseClick(panel.train_button, Qt.MouseButton.LeftButton)
    assert refused.args[0].startswith("nothing to learn from: ana has annotated no quotes")
    assert panel.status.text().startswith("Not trained: nothing to learn from")
    assert window.store.models() == []
    assert window.settings.value("suggest/learn_from") == "ana"  # remembered
