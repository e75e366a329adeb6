"""Every item model of the window under Qt's own model tester (QAbstractItemModelTester,
through pytest-qt's qtmodeltester), which stays attached while the user labels, links,
undoes, filters and switches documents; any broken promise is a Qt warning, so a failure."""

from __future__ import annotations

from PySide6.QtTest import QAbstractItemModelTester

TEXT = "“We will rebuild the bridge,” Mayor Ana Souza said.\n\nSouza added more."


def test_every_model_keeps_its_promises_through_edits_undo_and_switches(
    make_window, qtbot, qtmodeltester
):
    window = make_window({"a.txt": TEXT, "b.txt": "Another article, said Ben."})
    panel = window.annotation_panel
    models = [window.document_model, panel.model, panel.proxy, window.entity_panel.model]
    qtmodeltester.check(models[0])
    # pytest-qt's fixture keeps one tester at a time (a second check() drops the first), so
    # the others get Qt's tester directly, in the same Warning mode (a warning fails the test)
    mode = QAbstractItemModelTester.FailureReportingMode.Warning
    testers = [QAbstractItemModelTester(model, mode, model) for model in models[1:]]
    assert len(testers) == 3
    window.suggestions.request()
    window.actions_by_name["acceptAllSuggestions"].trigger()  # labels, links and an entity
    panel.group.setChecked(True)  # the proxy follows the table, sorted by entity
    panel.label_filter.setCurrentText("Quote")
    quotes = len(window.doc.records())
    window.article.select_span(0, 2)
    window.actions_by_name["label:Cue"].trigger()
    window.actions_by_name["undo"].trigger()
    window.actions_by_name["undo"].trigger()
    window.actions_by_name["redo"].trigger()
    assert len(window.doc.records()) == quotes
    window.step_document(1)  # another document: every model resets
    window.article.select_span(0, 7)
    window.actions_by_name["label:Speaker"].trigger()
    window.step_document(-1)
    panel.label_filter.setCurrentText("All labels")
    panel.group.setChecked(False)
    window.actions_by_name["undo"].trigger()  # undoing in the other document goes there
    assert window.doc.document.source == "b.txt"
