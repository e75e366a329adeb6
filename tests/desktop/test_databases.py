"""Switching databases and starting one from the user's own schema, from the File menu."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.app import WindowKeeper

CUSTOM_SCHEMA = {
    "labels": [
        {"name": "Claim", "colour": "#aa3300", "shortcut": "1"},
        {"name": "Source", "colour": "#0033aa", "shortcut": "2", "entities": True},
    ],
    "relations": [{"name": "speaker", "from": ["Claim"], "to": ["Source"], "max": 1}],
}


def test_switching_database_opens_a_window_on_it(make_window, qtbot, tmp_path):
    window = make_window({"a.txt": "First database."})
    keeper = WindowKeeper(window)
    other = tmp_path / "other.db"
    window.dialogs.databases.append(str(other))
    window.actions_by_name["switchDatabase"].trigger()
    assert keeper.window is not window
    qtbot.addWidget(keeper.window)
    assert keeper.window.store.path == other and other.exists()
    assert keeper.window.document_model.rowCount() == 0
    assert "other.db" in keeper.window.windowTitle()
    keeper.window.close()
    keeper.window.store.close()


def test_new_database_from_a_schema_file_has_its_labels(make_window, qtbot, tmp_path):
    window = make_window({"a.txt": "First database."})
    keeper = WindowKeeper(window)
    schema = tmp_path / "claims.json"
    schema.write_text(json.dumps(CUSTOM_SCHEMA), encoding="utf-8")
    window.dialogs.files.append([str(schema)])
    window.dialogs.databases.append(str(tmp_path / "claims.db"))
    window.actions_by_name["newDatabaseFromSchema"].trigger()
    new = keeper.window
    qtbot.addWidget(new)
    assert [label.name for label in new.labels] == ["Claim", "Source"]
    assert "label:Claim" in new.actions_by_name and "label:Quote" not in new.actions_by_name
    assert [r.name for r in new.store.relation_types()] == ["speaker"]
    new.close()
    new.store.close()


def test_a_schema_naming_an_unknown_label_is_refused_with_its_line(make_window, qtbot, tmp_path):
    window = make_window({"a.txt": "First database."})
    schema = tmp_path / "bad.json"
    schema.write_text(
        '{"labels": [{"name": "Claim"}],\n "relations": [{"name": "speaker",\n'
        '   "from": ["Claim"],\n   "to": ["Sauce"]}]}',
        encoding="utf-8",
    )
    window.dialogs.files.append([str(schema)])
    window.actions_by_name["newDatabaseFromSchema"].trigger()
    [(title, message)] = window.dialogs.errors
    assert "line 4" in message and "Sauce" in message
    assert not (tmp_path / "claims.db").exists()


BRAT = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "brat-tutorial-news"


@pytest.mark.skipif(not BRAT.exists(), reason="shared/data is not beside the clone")
def test_import_from_another_tool_and_export_in_another_format(make_window, qtbot, tmp_path):
    window = make_window({"a.txt": "First database."})
    window.dialogs.formats = ["brat"]
    window.dialogs.folders.append(str(BRAT))
    window.actions_by_name["importFormat"].trigger()
    assert window.document_model.rowCount() == 14
    target = tmp_path / "out.jsonl"
    window.dialogs.formats = ["doccano"]
    window.dialogs.save_paths.append(str(target))
    window.actions_by_name["exportFormat"].trigger()
    assert len(target.read_text(encoding="utf-8").splitlines()) == 14
    assert window.dialogs.errors == []


def test_restore_a_backup_from_the_file_menu(make_window, qtbot, tmp_path):
    window = make_window({"a.txt": "Bo said hello to Ann."})
    keeper = WindowKeeper(window)
    window.article.select_span(0, 2)
    window.actions_by_name["label:Speaker"].trigger()
    assert window.backup_before("accept-all")  # a copy with one annotation
    window.article.select_span(3, 7)
    window.actions_by_name["label:Cue"].trigger()
    assert len(window.doc) == 2
    window.dialogs.choose_format = lambda parent, title, names: next(  # type: ignore
        name for name in names if name.endswith("accept-all")
    )
    window.actions_by_name["restoreBackup"].trigger()
    restored = keeper.window
    qtbot.addWidget(restored)
    assert restored is not window
    assert [r.label for r in restored.doc.records()] == ["Speaker"]
    from db.storage.backups import list_backups

    reasons = {b.reason for b in list_backups(restored.store.path)}
    assert "before-restore" in reasons  # the replaced database was kept too
    restored.close()
    restored.store.close()
