"""The trainable suggester: it learns an annotator's definition of a quote (and what they
rejected), suggests through the same records as the rules, marked as the model's, and is
kept in the database as versions that travel with exports. Small corpora, so each training
takes a fraction of a second; the full learning curves are in `make eval`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from db.changes import Change, added
from db.errors import SpanwiseError
from db.formats.spanwise_json import export_json, import_export, parse_export
from db.records import REJECTED, SUGGESTION_PREFIX, DecisionData, ExportedDocument, now_iso
from db.schema.quote_definition import SuggestSettings
from db.store import Store
from db.suggest import accept_change, lexicon_for, pending, suggest
from db.suggest.learned import LearnedModel
from db.suggest.train_store import latest_model, train_from_store
from db.suggest.training import Example, examples_from, train
from tests.db.conftest import OpenStore

GOLD = Path(__file__).resolve().parents[1] / "gold"


def gold(folder: Path, *names: str) -> list[ExportedDocument]:
    documents = []
    for name in names:
        path = folder / f"{name}.spanwise.json"
        documents += parse_export(json.loads(path.read_text(encoding="utf-8")), path.name)[1]
    return documents


DEVELOPMENT = ("alpine-evacuation", "berlin-scooters", "payments-outage", "rail-tunnel-delay")


@pytest.fixture(scope="module")
def trained() -> LearnedModel:
    return train(examples_from(gold(GOLD, *DEVELOPMENT), "gold")).model


def quotes_of(text: str, **options: object) -> list[str]:
    return [" … ".join(text[s:e] for s, e in x.quote.spans) for x in suggest(text, "d", **options)]


def test_model_suggestions_are_marked_and_accepted_like_the_rules(trained: LearnedModel) -> None:
    [article] = gold(GOLD / "held-out", "port-strike")
    text = article.document.text
    found = suggest(text, article.document.id, "ana", model=trained)
    assert len(found) >= 18
    for item in found:
        assert item.rule.startswith("model:")
        assert item.quote.attributes["origin"] == "suggested"
        assert item.quote.attributes["model"] == str(trained.version)
        assert item.quote.attributes["kind"] == item.kind
        for record in (item.quote, item.speaker, item.cue):
            if record is not None:
                assert all(text[s:e].strip() == text[s:e] for s, e in record.spans)
    first = found[0]
    assert text[first.quote.start : first.quote.end] == "Nobody takes this decision lightly"
    assert first.speaker is not None and text[first.speaker.start : first.speaker.end] == (
        "Siobhán Kearney"
    )
    assert first.entity is not None and first.entity.name == "Siobhán Kearney"
    change = accept_change(first, [], [], [])
    assert {a.label for a in (p.after for p in change.annotations) if a} == {
        "Quote", "Speaker", "Cue",
    }  # fmt: skip


def test_with_the_rules_as_features_the_held_out_articles_score_as_the_rules_do(
    trained: LearnedModel,
) -> None:
    """Trained on four gold articles, scored on the two held-out ones: every gold quote is
    found with its pieces overlapping, and almost all with the right speaker."""
    held_out = gold(GOLD / "held-out", "port-strike", "wildfire-evacuation")
    found = total = right_speaker = 0
    for item in held_out:
        text = item.document.text
        by_id = {a.id: a for a in item.annotations}
        speaker_of = {r.source: by_id[r.target] for r in item.relations if r.type == "speaker"}
        mine = suggest(text, "d", model=trained)
        for quote in (a for a in item.annotations if a.label == "Quote"):
            total += 1
            match = next(
                (s for s in mine if s.quote.start < quote.end and quote.start < s.quote.end), None
            )
            if match is None:
                continue
            found += 1
            wanted = speaker_of.get(quote.id)
            if (
                wanted is not None
                and match.speaker is not None
                and (match.speaker.start < wanted.end and wanted.start < match.speaker.end)
            ):
                right_speaker += 1
    assert found / total >= 0.95
    assert right_speaker / total >= 0.80  # pronouns count only when they are the gold mention


def test_the_payload_reads_back_to_the_same_suggestions(trained: LearnedModel) -> None:
    [article] = gold(GOLD / "held-out", "wildfire-evacuation")
    text = article.document.text
    again = LearnedModel.from_payload(trained.payload(), 7)
    assert again.version == 7
    first = [(s.quote.spans, s.rule) for s in suggest(text, "d", model=trained)]
    assert [(s.quote.spans, s.rule) for s in suggest(text, "d", model=again)] == first


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"not a model", "the suggestion model is damaged"),
        (__import__("zlib").compress(b'{"format": 99}'), "has format 99; this Spanwise reads"),
    ],
)
def test_a_damaged_model_is_refused_in_one_line(payload: bytes, message: str) -> None:
    with pytest.raises(SpanwiseError, match=re.escape(message)) as refused:
        LearnedModel.from_payload(payload)
    assert "\n" not in str(refused.value)


def example(
    text: str, quotes: list[str], complete: bool = True, rejected: tuple[str, ...] = ()
) -> Example:
    item = Example("d", text, complete)
    for words in quotes:
        start = text.index(words)
        item.quotes.append(((start, start + len(words)),))
    item.rejected = [((text.index(r), text.index(r) + len(r)),) for r in rejected]
    return item


def test_rejected_suggestions_are_negative_evidence() -> None:
    """The annotator marks what follows "said"; in a document they have not finished they
    rejected what followed "warned": the model stops suggesting "warned" clauses, and the
    rest of that unfinished document (a "said" clause nobody marked yet) is not taught."""
    marked = example(
        "The mayor said that the bridge would open in May. Residents said that the park was safe.",
        ["the bridge would open in May", "the park was safe"],
    )
    refused = example(
        "The union warned that the strike would go on. The minister said that talks would resume.",
        [],
        complete=False,
        rejected=("the strike would go on",),
    )
    new = "The agency warned that prices would rise. The chief said that rates would fall."
    before = train([marked]).model
    assert quotes_of(new, model=before) == ["prices would rise", "rates would fall"]
    after = train([marked, refused]).model
    assert quotes_of(new, model=after) == ["rates would fall"]


def test_the_model_learns_the_broad_definition_the_rules_lack() -> None:
    """Trained on four broad-definition articles, it finds beliefs and intentions with cues
    no lexicon has ("is adamant", "is optimistic") in an article it never saw."""
    broad = GOLD / "broad"
    model = train(
        examples_from(
            gold(broad, "harbour-bridge", "flood-insurance", "school-merger", "library-cuts"),
            "gold",
        ),
        SuggestSettings("broad"),
    ).model
    [unseen] = gold(broad, "wind-farm")
    text = unseen.document.text
    mine = quotes_of(text, model=model)
    rules = quotes_of(text, lexicon=lexicon_for(SuggestSettings("broad")))
    assert "his members were never properly consulted" in mine
    assert "his members were never properly consulted" not in rules
    wanted = [text[a.start : a.end] for a in unseen.annotations if a.label == "Quote"]

    def recall(found: list[str]) -> float:
        return sum(any(w in f or f in w for f in found) for w in wanted) / len(wanted)

    assert recall(mine) >= recall(rules) + 0.2


# -- in the database ---------------------------------------------------------------------------


@pytest.fixture
def gold_store(open_store: OpenStore, tmp_path: Path) -> Store:
    store = open_store(tmp_path / "project.db")
    for name in DEVELOPMENT:
        path = GOLD / f"{name}.spanwise.json"
        import_export(store, json.loads(path.read_text(encoding="utf-8")), path.name)
    return store


def test_training_keeps_a_new_version_with_what_it_learnt_from(gold_store: Store) -> None:
    assert latest_model(gold_store) is None
    first = train_from_store(gold_store)
    assert (first.version, first.annotator, first.quote_definition) == (1, "gold", "speech")
    assert first.counts["articles"] == 4 and first.counts["quotes"] == 86
    assert sorted(first.documents) == sorted(d.id for d in gold_store.documents("gold"))
    assert first.describe().startswith("version 1, learnt from gold: 4 articles, 86 quotes")
    [doc, *_] = gold_store.documents("gold")
    key = f"direct:cue-after@{0}-{5}"
    gold_store.apply(
        Change(
            "Reject",
            decisions=(
                added(DecisionData(doc.id, "gold", SUGGESTION_PREFIX + key, REJECTED, now_iso())),
            ),
        )
    )
    second = train_from_store(gold_store)
    assert second.version == 2 and second.counts["rejected"] == 1
    assert [m.version for m in gold_store.models()] == [2, 1]
    found = latest_model(gold_store)
    assert found is not None and found[0] == second and found[1].version == 2


def test_a_model_travels_with_an_export(
    gold_store: Store, open_store: OpenStore, tmp_path: Path
) -> None:
    record = train_from_store(gold_store)
    data = json.loads(json.dumps(export_json(gold_store)))
    elsewhere = open_store(tmp_path / "elsewhere.db")
    import_export(elsewhere, data, "project.json")
    found = latest_model(elsewhere)
    assert found is not None and found[0] == record
    [article] = gold(GOLD / "held-out", "port-strike")
    text = article.document.text
    here = latest_model(gold_store)
    assert here is not None
    assert [s.key for s in suggest(text, "d", model=found[1])] == [
        s.key for s in suggest(text, "d", model=here[1])
    ]


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("nobody", "unknown annotator 'nobody'"),
        ("ana", "nothing to learn from: ana has annotated no quotes"),
    ],
)
def test_training_refuses_what_it_cannot_learn_from(
    gold_store: Store, who: str, message: str
) -> None:
    gold_store.ensure_annotator("ana")
    with pytest.raises(SpanwiseError, match=re.escape(message)):
        train_from_store(gold_store, who)
    assert gold_store.models() == []


def test_a_rejected_rule_suggestion_stays_away_when_the_model_suggests_the_same_quote(
    trained: LearnedModel,
) -> None:
    [article] = gold(GOLD / "held-out", "port-strike")
    text = article.document.text
    rules = suggest(text, "d", "ana")
    model = suggest(text, "d", "ana", model=trained)
    same = next(m for m in model if any(r.quote.spans == m.quote.spans for r in rules))
    rule_key = next(r.key for r in rules if r.quote.spans == same.quote.spans)
    assert same.key != rule_key
    assert same not in pending(model, [], {rule_key})
    assert same in pending(model, [], set())
