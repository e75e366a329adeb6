"""Comparing two annotators and adjudicating a gold version, without the window."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.changes import Change, added, removed
from db.formats.spanwise_json import export_json, import_export
from db.records import EntityData, RelationData, new_annotation
from db.review.adjudication import Verdict, accept_agreed, decide, gold_of, progress, side_of
from db.review.compare import Agreement, attribute_votes, compare
from db.store import Store, new_id

TEXT = "“We will win,” Bo Berg said. Later he added that peace was near. Ann smiled."


def _annotate(store: Store, doc_id: str, who: str, spans: list[tuple[str, str, dict[str, str]]]):
    made = {}
    for piece, label, attributes in spans:
        start = TEXT.index(piece)
        record = new_annotation(doc_id, who, label, start, start + len(piece), attributes)
        store.put_annotation(record)
        made[piece] = record
    return made


def _link(store: Store, doc_id: str, who: str, kind: str, source, target) -> None:
    relation = RelationData(new_id(), doc_id, who, kind, source.id, target.id)
    store.apply(Change("link", relations=(added(relation),)))


@pytest.fixture
def two(tmp_path: Path):
    """ana and ben on one document: they agree on the quote, not on its speaker or kind."""
    store = Store(tmp_path / "review.db")
    (tmp_path / "t.txt").write_text(TEXT, encoding="utf-8")
    store.import_texts([tmp_path / "t.txt"])
    doc_id = store.documents("ana")[0].id
    a = _annotate(
        store,
        doc_id,
        "ana",
        [
            ("“We will win,”", "Quote", {"kind": "direct"}),
            ("Bo Berg", "Speaker", {}),
            ("said", "Cue", {}),
            ("that peace was near", "Quote", {"kind": "indirect"}),
            ("Ann", "Speaker", {}),
        ],
    )
    b = _annotate(
        store,
        doc_id,
        "ben",
        [
            ("“We will win,”", "Quote", {"kind": "mixed"}),
            ("Berg", "Speaker", {}),
            ("said", "Cue", {}),
            ("peace was near", "Quote", {"kind": "indirect"}),
            ("smiled", "Cue", {}),
        ],
    )
    _link(store, doc_id, "ana", "speaker", a["“We will win,”"], a["Bo Berg"])
    _link(store, doc_id, "ben", "speaker", b["“We will win,”"], b["Berg"])
    _link(store, doc_id, "ana", "cue", a["“We will win,”"], a["said"])
    _link(store, doc_id, "ben", "cue", b["“We will win,”"], b["said"])
    yield store, doc_id
    store.close()


def _items(store: Store, doc_id: str):
    side_a, side_b = side_of(store, doc_id, "ana"), side_of(store, doc_id, "ben")
    return side_a, side_b, compare(side_a, side_b)


def test_every_annotation_is_classed_once(two):
    store, doc_id = two
    side_a, side_b, items = _items(store, doc_id)
    kinds = {(TEXT[i.start : i.end], i.kind) for i in items}
    assert kinds == {
        ("“We will win,”", Agreement.PARTLY),  # same span, other kind
        ("Bo Berg", Agreement.PARTLY),  # overlapping spans
        ("said", Agreement.AGREED),
        ("that peace was near", Agreement.PARTLY),
        ("Ann", Agreement.ONLY_A),
        ("smiled", Agreement.ONLY_B),
    }
    counted = [x.id for i in items for x in (i.a, i.b) if x]
    assert sorted(counted) == sorted(
        [x.id for x in side_a.annotations] + [x.id for x in side_b.annotations]
    )
    quote = next(i for i in items if i.a and i.a.label == "Quote" and i.a.start == 0)
    assert quote.differences == ("attribute kind",)  # Bo Berg ~ Berg: the speaker agrees


def test_a_speaker_of_another_entity_is_a_disagreement(two):
    store, doc_id = two
    ben_quote = next(a for a in store.annotations(doc_id, "ben") if a.start == 0)
    ben_link = next(r for r in store.relations(doc_id, "ben") if r.type == "speaker")
    smiled = next(a for a in store.annotations(doc_id, "ben") if a.label == "Cue" and a.start > 50)
    ann = new_annotation(doc_id, "ben", "Speaker", TEXT.index("Ann"), TEXT.index("Ann") + 3)
    store.put_annotation(ann)
    store.apply(
        Change(
            "relink",
            relations=(
                removed(ben_link),
                added(RelationData(new_id(), doc_id, "ben", "speaker", ben_quote.id, ann.id)),
            ),
        )
    )
    _, _, items = _items(store, doc_id)
    quote = next(i for i in items if i.a and i.a.start == 0)
    assert "speaker" in quote.differences
    assert smiled is not None


def test_attribute_votes_mark_majority_and_minority(two):
    store, doc_id = two
    third = new_annotation(doc_id, "cy", "Quote", 0, len("“We will win,”"), {"kind": "direct"})
    store.put_annotation(third)
    _, _, items = _items(store, doc_id)
    votes = attribute_votes(items, [store.annotations(doc_id, "cy")])
    quote = next(i for i in items if i.a and i.a.start == 0)
    assert votes[quote.key] == {"kind": {"direct": 2, "mixed": 1}}


def test_adjudication_copies_with_provenance_links_and_progress(two):
    store, doc_id = two
    side_a, side_b, items = _items(store, doc_id)
    gold = gold_of(store, doc_id, "gold")
    assert progress(items, gold) == (0, 5)
    store.apply(accept_agreed(items, side_a, side_b, gold))  # "said"
    by_text = {TEXT[i.start : i.end]: i for i in items}
    for text, verdict in (
        ("Bo Berg", Verdict.ACCEPT_A),
        ("“We will win,”", Verdict.ACCEPT_B),
        ("Ann", Verdict.REJECT),
        ("smiled", Verdict.ACCEPT_B),
    ):
        store.apply(
            decide(by_text[text], verdict, side_a, side_b, gold_of(store, doc_id, "gold"), items)
        )
    gold = gold_of(store, doc_id, "gold")
    assert progress(items, gold) == (4, 5)
    texts = sorted((TEXT[g.start : g.end], g.attributes["provenance"]) for g in gold.annotations)
    assert texts == [
        ("Bo Berg", "ana"),
        ("said", "ana, ben"),
        ("smiled", "ben"),
        ("“We will win,”", "ben"),
    ]
    quote = next(g for g in gold.annotations if g.label == "Quote")
    assert quote.attributes["kind"] == "mixed"
    links = {
        r.type: TEXT[store.annotation(r.target).start : store.annotation(r.target).end]
        for r in gold.relations
        if r.source == quote.id
    }
    assert links == {"speaker": "Bo Berg", "cue": "said"}
    # the originals are untouched
    assert [
        a.attributes.get("kind") for a in store.annotations(doc_id, "ana") if a.label == "Quote"
    ] == ["direct", "indirect"]


def test_undoing_a_decision_removes_the_copy_and_the_decision(two):
    store, doc_id = two
    side_a, side_b, items = _items(store, doc_id)
    only_a = next(i for i in items if i.kind is Agreement.ONLY_A)
    change = decide(only_a, Verdict.ACCEPT_A, side_a, side_b, gold_of(store, doc_id, "gold"))
    store.apply(change)
    assert len(store.annotations(doc_id, "gold")) == 1
    store.apply(change.inverse())
    assert store.annotations(doc_id, "gold") == []
    assert store.decisions(doc_id, "gold") == []


def test_entities_come_along_and_gold_exports(two, tmp_path):
    store, doc_id = two
    bo = next(a for a in store.annotations(doc_id, "ana") if a.label == "Speaker" and a.start < 30)
    entity = EntityData(new_id(), doc_id, "ana", "Bo Berg", "person", (bo.id,))
    store.apply(Change("entity", entities=(added(entity),)))
    side_a, side_b, items = _items(store, doc_id)
    item = next(i for i in items if i.a and i.a.id == bo.id)
    store.apply(decide(item, Verdict.ACCEPT_A, side_a, side_b, gold_of(store, doc_id, "gold")))
    [gold_entity] = store.entities(doc_id, "gold")
    assert gold_entity.name == "Bo Berg" and len(gold_entity.mentions) == 1
    data = export_json(store, "gold")
    other = Store(tmp_path / "other.db")
    try:
        import_export(other, data, "gold.json")
        assert [a.label for a in other.annotations(other.documents("gold")[0].id, "gold")] == [
            "Speaker"
        ]
    finally:
        other.close()
