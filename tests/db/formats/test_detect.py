"""Format detection: by extension and content, over every registered importable format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from db.errors import ImportRefused
from db.formats import FORMATS, WriteOptions
from db.formats import detect as detection
from db.formats.batch_import import import_paths
from db.formats.detect import detect, importable_formats, load_formats
from db.formats.spanwise_json import export_json, save_export
from db.store import Store
from tests.db.formats.sample_b import fill


def test_every_format_module_of_part_b_is_loaded() -> None:
    formats = load_formats()
    assert {"doccano", "label-studio", "w3c", "bio", "spacy"} <= set(formats)
    assert all(fmt.can_import for fmt in importable_formats())


def test_files_written_by_spanwise_are_recognised(store: Store, tmp_path: Path) -> None:
    documents = fill(store)
    for name, file_name in (("doccano", "out.jsonl"), ("label-studio", "tasks.json")):
        target = tmp_path / file_name
        FORMATS[name].write(documents, store.schema(), target, WriteOptions())
        assert detect(target) == name


def test_tool_exports_are_recognised_by_content(tmp_path: Path) -> None:
    doccano = tmp_path / "admin.jsonl"
    doccano.write_text('\n{"id": 1, "text": "Hi.", "label": [[0, 2, "X"]]}\n', "utf-8")
    assert detect(doccano) == "doccano"
    studio = tmp_path / "project-1.json"
    studio.write_text(json.dumps([{"id": 1, "data": {"text": "Hi."}, "annotations": []}]), "utf-8")
    assert detect(studio) == "label-studio"
    folder = tmp_path / "doccano-export"
    folder.mkdir()
    (folder / "ana.jsonl").write_text(doccano.read_text("utf-8"), "utf-8")
    assert detect(folder) == "doccano"


@pytest.mark.parametrize(
    ("file_name", "content"),
    [
        ("train.jsonl", '{"text": "Hi.", "spans": [{"start": 0, "end": 2, "label": "X"}]}\n'),
        ("notes.json", '{"some": "object"}'),
        ("list.jsonl", "[1, 2, 3]\n"),
        ("broken.json", "[{"),
        ("image.png", "\x89PNG"),
    ],
)
def test_unknown_content_is_refused_listing_the_known_formats(
    tmp_path: Path, file_name: str, content: str
) -> None:
    path = tmp_path / file_name
    path.write_text(content, "utf-8")
    with pytest.raises(ImportRefused) as refused:
        detect(path)
    message = str(refused.value)
    assert str(path) in message and "known formats:" in message
    assert "doccano (" in message and "label-studio (" in message
    assert "spanwise (" in message and "text (" in message
    assert "w3c" not in message and "spacy" not in message  # export only


def test_spanwise_export_is_named_as_import_reads_it(store: Store, tmp_path: Path) -> None:
    """detect() refused the very export `spanwise import` accepts ("not in a format Spanwise
    recognises"); it names it now, and the import takes what detect() names."""
    fill(store)
    target = tmp_path / "export.json"
    save_export(export_json(store), target)
    assert detect(target) == "spanwise"  # from its head: the import streams the rest
    other = Store(tmp_path / "other.db")
    try:
        summary = import_paths(other, [target])
        assert summary.documents_new == len(store.documents("nobody"))
    finally:
        other.close()


def test_text_files_and_folders_are_named_text(tmp_path: Path) -> None:
    article = tmp_path / "article.md"
    article.write_text("# A title\n\nSome words.", "utf-8")
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("Words.", "utf-8")
    assert (detect(article), detect(folder)) == ("text", "text")


def test_missing_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportRefused, match="no such file or folder"):
        detect(tmp_path / "nowhere.jsonl")


def test_a_format_module_that_does_not_exist_is_skipped(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(
        detection, "FORMAT_MODULES", ("db.formats.not_written_yet", *detection.FORMAT_MODULES)
    )
    doccano = tmp_path / "a.jsonl"
    doccano.write_text('{"text": "Hi.", "label": []}\n', "utf-8")
    assert detect(doccano) == "doccano"


def test_more_specific_formats_are_asked_first() -> None:
    names = [fmt.name for fmt in importable_formats()]
    for specific, general in (("parc-brat", "brat"), ("uima-json", "label-studio")):
        if specific in names and general in names:
            assert names.index(specific) < names.index(general)
    assert names.index("label-studio") < names.index("doccano")
