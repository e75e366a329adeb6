"""The quote definition is a setting of the label schema: speech only (the default) or the
broad, PARC-style definition (speech, beliefs and intentions), with the project's own cues;
the suggester reads it from the database, and exports carry it with the trained models."""

from __future__ import annotations

import base64
import json
import re
import tempfile
import zlib
from pathlib import Path

import jsonschema
import pytest

from db.errors import SpanwiseError
from db.formats.spanwise_json import export_json, import_export, parse_export
from db.model_payload import PAYLOAD_FORMAT
from db.model_records import ModelRecord
from db.schema.label_schema import load_schema
from db.schema.quote_definition import BROAD, SPEECH, SuggestSettings
from db.store import Store
from db.suggest import lexicon_for, suggest
from resources import resource
from seeds import seed_paths
from tests.db.conftest import OpenStore

ROOT = Path(__file__).resolve().parents[2]
EXPORT_SCHEMA = json.loads((ROOT / "resources" / "export.schema.json").read_text("utf-8"))
TEXT = (
    "The mayor believes that the barrier will hold. Residents said the water was rising. "
    "Anna Berg is convinced that the dam is safe. The union wants the plant to stay open."
)


def quotes(settings: SuggestSettings | None) -> list[str]:
    found = suggest(TEXT, "d", "me", lexicon_for(settings))
    return [TEXT[s.quote.start : s.quote.end] for s in found]


def broad_schema() -> str:
    return resource("schemas", "news-broad.json").read_text(encoding="utf-8")


def test_speech_only_is_the_default_and_the_broad_definition_adds_beliefs_and_intentions(
    open_store: OpenStore, tmp_path: Path
) -> None:
    news = open_store(tmp_path / "news.db")
    assert news.suggest_settings() == SuggestSettings(SPEECH)
    assert quotes(news.suggest_settings()) == ["the water was rising"]
    broad = open_store(tmp_path / "broad.db", broad_schema())
    assert broad.suggest_settings().quote_definition == BROAD
    assert quotes(broad.suggest_settings()) == [
        "the barrier will hold",
        "the water was rising",
        "the dam is safe",
        "the plant to stay open",
    ]


def test_the_schemas_own_cues_are_added(open_store: OpenStore, tmp_path: Path) -> None:
    data = json.loads(resource("schemas", "news.json").read_text(encoding="utf-8"))
    data["suggest"] = {
        "quote_definition": "speech",
        "lexicon": {"verbs": [{"lemma": "reckon", "forms": ["reckons"], "zero_that": True}]},
    }
    store = open_store(tmp_path / "mine.db", json.dumps(data))
    text = "Olsen reckons the bridge will open in May."
    found = suggest(text, "d", "me", lexicon_for(store.suggest_settings()))
    assert [text[s.quote.start : s.quote.end] for s in found] == ["the bridge will open in May"]


@pytest.mark.parametrize(
    ("suggest_settings", "message"),
    [
        ({"quote_definition": "opinions"}, "suggest.quote_definition must be one of speech, broad"),
        ({"definition": "broad"}, "suggest.definition is not a setting"),
        ({"lexicon": []}, "suggest.lexicon must be an object"),
        ({"lexicon": {"verbs": [{"lemma": "x", "forms": []}]}}, "verbs[0].forms must be"),
        ("broad", "'suggest' must be an object"),
    ],
)
def test_a_wrong_setting_is_refused_naming_the_file_and_field(
    suggest_settings: object, message: str
) -> None:
    data = json.loads(resource("schemas", "news.json").read_text(encoding="utf-8"))
    data["suggest"] = suggest_settings
    with pytest.raises(SpanwiseError, match=re.escape(message)) as refused:
        load_schema(json.dumps(data), "mine.json")
    assert str(refused.value).startswith("mine.json: ")


def tiny_payload(folder: Path) -> bytes:
    """A real, tiny model payload (a CRFsuite tagger trained on two words): an import tries
    a model's tagger before keeping it."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    trainer.append([{"w=said": 1.0}, {"w=Ana": 1.0}], ["B-Cue", "B-Speaker"])
    trainer.train(str(folder / "tiny.crfsuite"))
    data = {
        "format": PAYLOAD_FORMAT,
        "settings": SuggestSettings(BROAD).to_json(),
        "uses_rules": True,
        "crf": base64.b64encode((folder / "tiny.crfsuite").read_bytes()).decode("ascii"),
        "cue_weights": {},
        "speaker_weights": {},
    }
    return zlib.compress(json.dumps(data).encode("utf-8"))


_PAYLOAD: list[bytes] = []


def model(version: int, annotator: str = "gold") -> ModelRecord:
    if not _PAYLOAD:
        with tempfile.TemporaryDirectory() as folder:
            _PAYLOAD.append(tiny_payload(Path(folder)))
    return ModelRecord(
        f"model-{version}", version, annotator, "2026-12-01T10:00:00.000Z", BROAD,
        ("doc1",), {"articles": 1, "quotes": 3}, "test", 1, _PAYLOAD[0],
    )  # fmt: skip


def test_exports_carry_the_definition_and_the_models_and_an_import_adds_them(
    open_store: OpenStore, tmp_path: Path
) -> None:
    source = open_store(tmp_path / "source.db", broad_schema())
    source.import_texts(seed_paths())
    source.save_model(model(1))
    source.save_model(model(2))
    data = export_json(source)
    jsonschema.validate(data, EXPORT_SCHEMA)
    assert data["suggest"]["quote_definition"] == BROAD
    assert [m["version"] for m in data["suggestion_models"]] == [2, 1]
    data = json.loads(json.dumps(data))  # as read back from the file
    fresh = open_store(tmp_path / "fresh.db")  # has the news schema's own definition
    empty_settings = open_store(tmp_path / "old.db")
    with empty_settings.engine.begin() as connection:  # a database from before settings
        connection.exec_driver_sql("DELETE FROM setting WHERE key = 'suggest_settings'")
    for target in (fresh, empty_settings):
        summary = import_export(target, data, "source.json")
        assert "2 trained suggestion models added" in summary.messages
        assert [m.version for m in target.models()] == [2, 1]
        assert target.latest_model() == model(2)
        again = import_export(target, data, "source.json")  # the same file twice: nothing new
        assert not any("model" in line for line in again.messages)
    assert fresh.suggest_settings().quote_definition == SPEECH  # a database keeps its own
    assert empty_settings.suggest_settings().quote_definition == BROAD  # adopted


def test_an_export_without_models_or_definition_still_imports(
    open_store: OpenStore, tmp_path: Path, store: Store
) -> None:
    store.import_texts(seed_paths())
    data = export_json(store)
    del data["suggest"]
    assert "suggestion_models" not in data
    target = open_store(tmp_path / "target.db")
    import_export(target, data, "old.json")
    assert target.models() == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"payload": "not base64!"}, "suggestion_models[0].payload is not base64"),
        ({"version": -1}, "suggestion_models[0].version must be a whole number"),
        ({"quote_definition": "all"}, "suggestion_models[0].quote_definition must be one of"),
        ({"documents": "doc1"}, "suggestion_models[0].documents must be a list"),
        ({"counts": {"quotes": "3"}}, "suggestion_models[0].counts must map names to numbers"),
    ],
)
def test_a_damaged_model_in_an_export_is_refused_naming_it(
    store: Store, change: dict[str, object], message: str
) -> None:
    store.save_model(model(1))
    data = export_json(store)
    data["suggestion_models"][0].update(change)
    with pytest.raises(SpanwiseError, match=re.escape(message)):
        parse_export(data, "bad.json")
