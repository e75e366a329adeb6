"""Links, entities and fragments: every edit is one Change, checked as a whole before anything is
written, and undone exactly by applying its inverse."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from db.changes import Change, Pair, added, removed, updated
from db.errors import InvalidAnnotation
from db.formats.spanwise_json import export_json
from db.records import AnnotationData, EntityData, Fragments, RelationData
from db.store import Store, new_id
from tests.db.conftest import OpenStore
from tests.store_edits import delete_annotation

FIRST_SENTENCE = "While they were being trained, they were forbidden even to show their faces."
THIRD_SENTENCE = (
    "And now, after battles with our troops, the Russians are even trying to... "
    "literally burn the faces of the killed North Korean soldiers,"
)


def _find(text: str, needle: str, skip: int = 0, length: int | None = None) -> tuple[int, int]:
    """Offsets of `needle`, or of `length` characters `skip` characters into it (to pick one
    word of a phrase that occurs only once)."""
    start = text.index(needle) + skip
    return start, start + (len(needle) - skip if length is None else length)


@dataclass(frozen=True)
class Article:
    """The seed article with the spans the tests link: alice's, unless the name says bob."""

    store: Store
    doc: str
    text: str
    quote: AnnotationData  # "While they were being trained, ... faces."
    cue: AnnotationData  # "wrote" (Zelensky wrote on his Telegram channel)
    speaker: AnnotationData  # "Zelensky" (Zelensky wrote)
    quote2: AnnotationData  # "There is no reason for Koreans to fight and die for Putin."
    he: AnnotationData  # "he" (he added), a Speaker
    president: AnnotationData  # "Ukrainian President Volodymyr Zelensky", a Speaker
    event: AnnotationData  # "placed on alert"
    time: AnnotationData  # "On Dec. 13"
    troops: AnnotationData  # "the troops", a Participant
    bob_quote: AnnotationData
    bob_speaker: AnnotationData


@pytest.fixture
def article(store: Store, seed_doc: str) -> Article:
    text = store.document(seed_doc).text

    def add(label: str, span: tuple[int, int], annotator: str = "alice", **kw: Any) -> Any:
        return store.add_annotation(seed_doc, annotator, label, *span, **kw)

    direct = {"attributes": {"kind": "direct"}}
    return Article(
        store=store,
        doc=seed_doc,
        text=text,
        quote=add("Quote", _find(text, FIRST_SENTENCE), **direct),
        cue=add("Cue", _find(text, "Zelensky wrote", skip=9)),
        speaker=add("Speaker", _find(text, "Zelensky wrote", length=8)),
        quote2=add("Quote", _find(text, "There is no reason for Koreans"), **direct),
        he=add("Speaker", _find(text, "” he added", skip=2, length=2)),
        president=add("Speaker", _find(text, "Ukrainian President Volodymyr Zelensky")),
        event=add("Event", _find(text, "placed on alert"), attributes={"type": "military"}),
        time=add("Time", _find(text, "On Dec. 13")),
        troops=add("Participant", _find(text, "the troops")),
        bob_quote=add("Quote", _find(text, FIRST_SENTENCE), "bob", **direct),
        bob_speaker=add("Speaker", _find(text, "Zelensky wrote", length=8), "bob"),
    )


def link(
    a: Article,
    link_type: str,
    source: AnnotationData,
    target: AnnotationData,
    annotator: str = "alice",
) -> RelationData:
    return RelationData(new_id(), a.doc, annotator, link_type, source.id, target.id)


def entity(
    a: Article, name: str, *mentions: AnnotationData, annotator: str = "alice"
) -> EntityData:
    return EntityData(new_id(), a.doc, annotator, name, "person", tuple(m.id for m in mentions))


def links(*items: RelationData) -> Change:
    return Change("Link", relations=tuple(added(item) for item in items))


def entities(*items: EntityData) -> Change:
    return Change("Group", entities=tuple(added(item) for item in items))


def state(store: Store, doc: str) -> dict[str, list[Any]]:
    """Everything a document holds, as plain data in a stable order."""
    return {
        "annotations": sorted(store.annotations(doc), key=lambda a: a.id),
        "relations": sorted(store.relations(doc), key=lambda r: r.id),
        "entities": sorted(store.entities(doc), key=lambda e: e.id),
    }


def snapshot(store: Store) -> dict[str, Any]:
    """The whole database as an export sees it (statuses too), and its annotators."""
    data = export_json(store)
    del data["exported_at"]
    return data | {"annotators": store.annotators()}


def assert_refused(store: Store, change: Change, *fragments: str) -> None:
    """The change raises InvalidAnnotation naming the problem, and nothing at all is stored."""
    before = snapshot(store)
    with pytest.raises(InvalidAnnotation) as refused:
        store.apply(change)
    for fragment in fragments:
        assert fragment in str(refused.value)
    assert snapshot(store) == before


# -- links -------------------------------------------------------------------------------------


def test_quote_linked_to_speaker_and_cue_reads_back_after_reopening(
    article: Article, open_store: OpenStore
) -> None:
    speaker = link(article, "speaker", article.quote, article.speaker)
    cue = link(article, "cue", article.quote, article.cue)
    article.store.apply(links(speaker, cue))
    article.store.close()

    reopened = open_store()
    assert sorted(reopened.relations(article.doc), key=lambda r: r.id) == sorted(
        [speaker, cue], key=lambda r: r.id
    )
    assert reopened.relations(article.doc, "alice") == reopened.relations(article.doc)
    assert reopened.relations(article.doc, "bob") == []
    targets = {
        r.type: reopened.annotation(r.target)
        for r in reopened.relations(article.doc)
        if r.source == article.quote.id
    }
    assert targets == {"speaker": article.speaker, "cue": article.cue}


def test_event_takes_several_agents_but_one_time(article: Article) -> None:
    store = article.store
    agents = [
        link(article, "agent", article.event, article.troops),
        link(article, "agent", article.event, article.president),  # a Speaker may be an agent
    ]
    store.apply(links(*agents, link(article, "time", article.event, article.time)))
    assert len(store.relations(article.doc)) == 3
    assert_refused(
        store,
        links(link(article, "time", article.event, article.time)),
        "at most 1 time link(s)",
    )


@pytest.mark.parametrize(
    ("link_type", "source", "target", "message"),
    [
        (
            "speaker",
            "quote",
            "cue",
            "a speaker link goes from Quote to Speaker, not from Quote to Cue",
        ),
        ("speaker", "speaker", "quote", "not from Speaker to Quote"),
        ("agent", "event", "time", "not from Event to Time"),
        ("cue", "event", "cue", "not from Event to Cue"),
        ("said", "quote", "speaker", "the schema has no link type 'said'"),
        ("speaker", "quote", "quote", "an annotation cannot be linked to itself"),
    ],
    ids=[
        "quote-to-cue-as-speaker",
        "backwards",
        "event-time-as-agent",
        "cue-of-event",
        "unknown",
        "self",
    ],
)
def test_link_the_schema_forbids_is_refused(
    article: Article, link_type: str, source: str, target: str, message: str
) -> None:
    bad = link(article, link_type, getattr(article, source), getattr(article, target))
    assert_refused(article.store, links(bad), message)
    assert article.store.relations(article.doc) == []


def test_second_speaker_link_on_one_quote_is_refused(article: Article) -> None:
    store = article.store
    first = link(article, "speaker", article.quote, article.speaker)
    store.apply(links(first))
    assert_refused(
        store,
        links(link(article, "speaker", article.quote, article.president)),
        "at most 1 speaker link(s)",
    )
    assert store.relations(article.doc) == [first]
    # Two at once are refused too, even with no link stored yet.
    assert_refused(
        store,
        links(
            link(article, "speaker", article.quote2, article.he),
            link(article, "speaker", article.quote2, article.president),
        ),
        "at most 1 speaker link(s)",
    )
    # Another quote may have its own speaker, the same one.
    store.apply(links(link(article, "speaker", article.quote2, article.speaker)))


def test_relinking_replaces_the_speaker_in_one_change(article: Article) -> None:
    store = article.store
    old = link(article, "speaker", article.quote, article.speaker)
    store.apply(links(old))
    new = link(article, "speaker", article.quote, article.president)
    relink = Change("Relink", relations=(removed(old), added(new)))
    store.apply(relink)
    assert store.relations(article.doc) == [new]
    store.apply(relink.inverse())
    assert store.relations(article.doc) == [old]


def test_link_retargeted_under_the_same_id(article: Article) -> None:
    store = article.store
    old = link(article, "speaker", article.quote, article.speaker)
    store.apply(links(old))
    new = dataclasses.replace(old, target=article.he.id)
    store.apply(Change("Retarget", relations=(updated(old, new),)))
    assert store.relations(article.doc) == [new]
    store.apply(Change("Retarget", relations=(updated(old, new),)).inverse())
    assert store.relations(article.doc) == [old]


def test_link_to_another_document_is_refused(article: Article, tmp_path: Path) -> None:
    store = article.store
    other_file = tmp_path / "other.txt"
    other_file.write_text("Zelensky spoke in Kyiv on Monday.\n", encoding="utf-8")
    store.import_texts([other_file])
    other_doc = next(d.id for d in store.documents("alice") if d.id != article.doc)
    elsewhere = store.add_annotation(other_doc, "alice", "Speaker", 0, 8)
    across = link(article, "speaker", article.quote, elsewhere)
    assert_refused(store, links(across), "must stay within one document")
    assert_refused(
        store, links(dataclasses.replace(across, document_id=other_doc)), "within one document"
    )
    assert store.relations(article.doc) == store.relations(other_doc) == []


def test_link_to_a_missing_annotation_is_refused(article: Article) -> None:
    to_nothing = dataclasses.replace(
        link(article, "speaker", article.quote, article.speaker), target="no-such-annotation"
    )
    assert_refused(
        article.store, links(to_nothing), "speaker link's target no-such-annotation does not exist"
    )
    from_nothing = dataclasses.replace(to_nothing, source="gone", target=article.speaker.id)
    assert_refused(article.store, links(from_nothing), "source gone does not exist")


def test_removing_a_link_that_is_not_there_is_refused(article: Article) -> None:
    never_stored = link(article, "speaker", article.quote, article.speaker)
    assert_refused(
        article.store, Change("Unlink", relations=(removed(never_stored),)), "no link with id"
    )


def test_link_between_another_annotators_annotations_is_refused(article: Article) -> None:
    cross = link(article, "speaker", article.bob_quote, article.bob_speaker, annotator="alice")
    assert_refused(article.store, links(cross))


def test_link_with_a_taken_id_is_refused_clearly(article: Article) -> None:
    first = link(article, "agent", article.event, article.troops)
    article.store.apply(links(first))
    again = dataclasses.replace(first, target=article.president.id)
    assert_refused(article.store, links(again), "exists already")


# -- inverse and deletion ----------------------------------------------------------------------


def test_inverse_restores_exactly_the_previous_state(article: Article) -> None:
    store, doc = article.store, article.doc
    old_link = link(article, "speaker", article.quote, article.speaker)
    zelensky = entity(article, "Zelensky", article.speaker, article.president)
    store.apply(Change("Set up", relations=(added(old_link),), entities=(added(zelensky),)))
    before = state(store, doc)

    added_cue = dataclasses.replace(
        article.cue,
        id=new_id(),
        start=_find(article.text, "” he added", skip=5)[0],
        end=_find(article.text, "” he added")[1],
    )
    quote2_after = dataclasses.replace(
        article.quote2, attributes={"kind": "indirect"}, note="checked", modified="later"
    )
    bigger = dataclasses.replace(
        zelensky, name="Volodymyr Zelensky", mentions=(*zelensky.mentions, article.he.id)
    )
    change = Change(
        "Attribute the second quote",
        annotations=(added(added_cue), updated(article.quote2, quote2_after)),
        relations=(
            added(link(article, "speaker", article.quote2, article.he)),
            added(link(article, "cue", article.quote2, added_cue)),
            removed(old_link),
        ),
        entities=(updated(zelensky, bigger),),
    )
    store.apply(change)
    after = state(store, doc)
    assert store.annotation(added_cue.id) == added_cue
    assert store.annotation(article.quote2.id) == quote2_after
    assert {(r.type, r.source) for r in after["relations"]} == {
        ("speaker", article.quote2.id),
        ("cue", article.quote2.id),
    }
    assert after["entities"] == [bigger]

    store.apply(change.inverse())
    assert state(store, doc) == before
    store.apply(change)  # redo is the change itself
    assert state(store, doc) == after
    assert change.inverse().inverse() == change


def test_deletion_change_takes_links_and_membership_along(article: Article) -> None:
    store, doc = article.store, article.doc
    spoke = link(article, "speaker", article.quote, article.speaker)
    acted = link(article, "agent", article.event, article.speaker)
    alone = entity(article, "Zelensky", article.speaker)
    pair = entity(article, "The President", article.president, article.he)
    store.apply(
        Change(
            "Set up", relations=(added(spoke), added(acted)), entities=(added(alone), added(pair))
        )
    )
    before = state(store, doc)

    change = store.deletion_change(article.speaker.id)
    assert change.annotations == (removed(article.speaker),)
    assert sorted(p.before.id for p in change.relations if p.before) == sorted([spoke.id, acted.id])
    assert all(p.after is None for p in change.relations)
    assert change.entities == (removed(alone),)  # left with no mention: goes too
    store.apply(change)
    assert store.annotation(article.speaker.id) is None
    assert store.relations(doc) == []
    assert store.entities(doc) == [pair]

    store.apply(change.inverse())
    assert state(store, doc) == before

    # A mention of an entity that keeps other mentions: the entity stays, without it.
    change = store.deletion_change(article.president.id)
    assert change.entities == (updated(pair, dataclasses.replace(pair, mentions=(article.he.id,))),)
    store.apply(change)
    assert [e.mentions for e in store.entities(doc) if e.id == pair.id] == [(article.he.id,)]
    store.apply(change.inverse())
    assert state(store, doc) == before


def test_deleting_a_quote_removes_its_outgoing_links(article: Article) -> None:
    store = article.store
    store.apply(
        links(
            link(article, "speaker", article.quote, article.speaker),
            link(article, "cue", article.quote, article.cue),
        )
    )
    deleted = delete_annotation(store, article.quote.id)
    assert deleted == article.quote
    assert store.relations(article.doc) == []
    assert store.annotation(article.speaker.id) == article.speaker


@pytest.mark.parametrize("dependent", ["link", "entity"])
def test_bare_deletion_of_an_annotation_still_in_use_is_refused(
    article: Article, dependent: str
) -> None:
    store = article.store
    if dependent == "link":
        store.apply(links(link(article, "speaker", article.quote, article.speaker)))
        message = "still has 1 link"
    else:
        store.apply(entities(entity(article, "Zelensky", article.speaker, article.president)))
        message = "still belongs to an entity"
    assert_refused(store, Change("Delete", annotations=(removed(article.speaker),)), message)
    assert store.annotation(article.speaker.id) == article.speaker


@pytest.mark.parametrize("dependent", ["link", "entity"])
def test_relabelling_an_annotation_its_links_forbid_is_refused(
    article: Article, dependent: str
) -> None:
    store = article.store
    if dependent == "link":
        store.apply(links(link(article, "speaker", article.quote, article.speaker)))
    else:
        store.apply(entities(entity(article, "Zelensky", article.speaker)))
    relabelled = dataclasses.replace(article.speaker, label="Cue")
    assert_refused(store, Change("Edit", annotations=(updated(article.speaker, relabelled),)))


# -- entities ----------------------------------------------------------------------------------


def test_entity_created_with_mentions_reads_back(article: Article, open_store: OpenStore) -> None:
    zelensky = entity(article, "Zelensky", article.president, article.speaker, article.he)
    article.store.apply(entities(zelensky))
    article.store.close()
    reopened = open_store()
    assert reopened.entities(article.doc) == [zelensky]
    assert reopened.entities(article.doc, "alice") == [zelensky]
    assert reopened.entities(article.doc, "bob") == []
    # mentions keep the order they were given in
    assert reopened.entities(article.doc)[0].mentions == (
        article.president.id,
        article.speaker.id,
        article.he.id,
    )


def test_entity_renamed(article: Article) -> None:
    store = article.store
    zelensky = entity(article, "Zelensky", article.speaker, article.he)
    store.apply(entities(zelensky))
    renamed = dataclasses.replace(zelensky, name="Volodymyr Zelensky")
    rename = Change("Rename", entities=(updated(zelensky, renamed),))
    store.apply(rename)
    assert store.entities(article.doc) == [renamed]
    store.apply(rename.inverse())
    assert store.entities(article.doc) == [zelensky]


@pytest.mark.parametrize("order", ["remove-first", "update-first"])
def test_two_entities_merged_in_one_change(article: Article, order: str) -> None:
    store = article.store
    a = entity(article, "Zelensky", article.speaker)
    b = entity(article, "The President", article.president, article.he)
    store.apply(entities(a, b))
    merged = dataclasses.replace(
        a, mentions=(article.speaker.id, article.president.id, article.he.id)
    )
    pairs: tuple[Pair[EntityData], ...] = (removed(b), updated(a, merged))
    merge = Change("Merge", entities=pairs if order == "remove-first" else pairs[::-1])
    store.apply(merge)
    assert store.entities(article.doc) == [merged]
    store.apply(merge.inverse())
    assert sorted(store.entities(article.doc), key=lambda e: e.id) == sorted(
        [a, b], key=lambda e: e.id
    )


@pytest.mark.parametrize("order", ["update-first", "add-first"])
def test_mention_split_into_a_new_entity(article: Article, order: str) -> None:
    store = article.store
    a = entity(article, "Zelensky", article.speaker, article.president, article.he)
    store.apply(entities(a))
    rest = dataclasses.replace(a, mentions=(article.speaker.id, article.president.id))
    split_off = entity(article, "Unnamed speaker", article.he)
    pairs: tuple[Pair[EntityData], ...] = (updated(a, rest), added(split_off))
    split = Change("Split", entities=pairs if order == "update-first" else pairs[::-1])
    store.apply(split)
    assert sorted(store.entities(article.doc), key=lambda e: e.name) == [split_off, rest]
    store.apply(split.inverse())
    assert store.entities(article.doc) == [a]


def test_mention_in_two_entities_is_refused(article: Article) -> None:
    store = article.store
    first = entity(article, "Zelensky", article.speaker)
    store.apply(entities(first))
    assert_refused(
        store,
        entities(entity(article, "Someone", article.he, article.speaker)),
        f"mention {article.speaker.id} already belongs to another entity",
    )
    # The same within one change, with neither stored yet.
    assert_refused(
        store,
        entities(entity(article, "A", article.he), entity(article, "B", article.he)),
        "already belongs to another entity",
    )
    assert store.entities(article.doc) == [first]


@pytest.mark.parametrize(
    ("mention", "message"),
    [
        ("quote", "Quote annotations cannot form entities"),
        ("cue", "Cue annotations cannot form entities"),
        ("bob_speaker", "in another document or by another annotator"),
    ],
)
def test_mention_an_entity_cannot_have_is_refused(
    article: Article, mention: str, message: str
) -> None:
    bad = entity(article, "Zelensky", article.speaker, getattr(article, mention))
    assert_refused(article.store, entities(bad), message)
    assert article.store.entities(article.doc) == []


def test_entity_of_another_annotators_mentions_is_refused(article: Article) -> None:
    bobs = entity(article, "Zelensky", article.speaker, annotator="bob")
    assert_refused(article.store, entities(bobs), "by another annotator")
    # bob can group his own mention
    article.store.apply(entities(entity(article, "Zelensky", article.bob_speaker, annotator="bob")))


def test_participants_form_entities_too(article: Article) -> None:
    troops = entity(article, "North Korean troops", article.troops)
    article.store.apply(entities(troops))
    assert article.store.entities(article.doc) == [troops]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda e, a: dataclasses.replace(e, mentions=("ghost",)), "mention ghost does not exist"),
        (lambda e, a: dataclasses.replace(e, name="  "), "an entity needs a name"),
        (
            lambda e, a: dataclasses.replace(e, mentions=(a.he.id, a.he.id)),
            "lists a mention twice",
        ),
    ],
    ids=["missing-mention", "blank-name", "mention-twice"],
)
def test_malformed_entity_is_refused(
    article: Article, edit: Callable[[EntityData, Article], EntityData], message: str
) -> None:
    bad = edit(entity(article, "Zelensky", article.speaker), article)
    assert_refused(article.store, entities(bad), message)


# -- fragments ---------------------------------------------------------------------------------


def _fragments(article: Article) -> Fragments:
    return (_find(article.text, FIRST_SENTENCE), _find(article.text, THIRD_SENTENCE))


def test_fragmented_quote_stores_and_reads_back(article: Article, open_store: OpenStore) -> None:
    fragments = _fragments(article)
    (a, _b), (_c, d) = fragments
    quote = article.store.add_annotation(
        article.doc, "alice", "Quote", a, d, {"kind": "direct"}, fragments=fragments
    )
    article.store.close()
    reopened = open_store()
    stored = reopened.annotation(quote.id)
    assert stored == quote
    assert stored is not None
    assert stored.fragments == fragments
    assert stored.spans == fragments
    assert [article.text[s:e] for s, e in stored.spans] == [FIRST_SENTENCE, THIRD_SENTENCE]
    assert article.quote.spans == ((article.quote.start, article.quote.end),)


def test_fragments_can_be_joined_and_split_again(article: Article) -> None:
    store = article.store
    fragments = _fragments(article)
    whole = dataclasses.replace(
        article.quote, start=fragments[0][0], end=fragments[1][1], fragments=()
    )
    split = dataclasses.replace(whole, fragments=fragments)
    store.apply(Change("Widen", annotations=(updated(article.quote, whole),)))
    store.apply(Change("Leave out the middle", annotations=(updated(whole, split),)))
    assert store.annotation(article.quote.id) == split
    store.apply(Change("Join", annotations=(updated(split, whole),)))
    assert store.annotation(article.quote.id) == whole


@pytest.mark.parametrize(
    ("shape", "message"),
    [
        ("start-inside", "start/end must be the first fragment's start and last one's end"),
        ("end-inside", "start/end must be the first fragment's start and last one's end"),
        ("unsorted", "fragments must be sorted and must not overlap"),
        ("overlapping", "fragments must be sorted and must not overlap"),
        ("single", "a discontinuous annotation needs at least two fragments"),
        ("empty-fragment", "is outside the text"),
    ],
)
def test_bad_fragments_are_refused(article: Article, shape: str, message: str) -> None:
    (a, b), (c, d) = _fragments(article)
    start, end, fragments = {
        "start-inside": (a + 1, d, ((a, b), (c, d))),
        "end-inside": (a, d - 1, ((a, b), (c, d))),
        "unsorted": (a, d, ((c, d), (a, b))),
        "overlapping": (a, d, ((a, c + 5), (c, d))),
        "single": (a, d, ((a, d),)),
        "empty-fragment": (a, d, ((a, a), (c, d))),
    }[shape]
    bad = dataclasses.replace(article.quote, id=new_id(), start=start, end=end, fragments=fragments)
    assert_refused(article.store, Change("Add", annotations=(added(bad),)), message)


@pytest.mark.parametrize("value", [12.5, True], ids=["float", "bool"])
def test_fragment_offsets_must_be_whole_numbers(article: Article, value: Any) -> None:
    (a, b), (c, d) = _fragments(article)
    bad = dataclasses.replace(
        article.quote, id=new_id(), start=0, end=d, fragments=((0, value), (c, d))
    )
    assert_refused(article.store, Change("Add", annotations=(added(bad),)))


# -- all or nothing ----------------------------------------------------------------------------


def _bad_link(a: Article) -> Pair[RelationData]:
    return added(link(a, "speaker", a.quote2, a.cue))


def _bad_entity(a: Article) -> Pair[EntityData]:
    return added(entity(a, "Quote group", a.quote2))


def _bad_annotation(a: Article) -> Pair[AnnotationData]:
    return added(dataclasses.replace(a.quote2, id=new_id(), end=len(a.text) + 1))


@pytest.mark.parametrize("bad_part", [_bad_link, _bad_entity, _bad_annotation])
def test_failed_change_leaves_the_database_exactly_as_it_was(
    article: Article, bad_part: Callable[[Article], Pair[Any]]
) -> None:
    store = article.store
    old_link = link(article, "speaker", article.quote, article.speaker)
    zelensky = entity(article, "Zelensky", article.speaker)
    store.apply(Change("Set up", relations=(added(old_link),), entities=(added(zelensky),)))
    store.set_status(article.doc, "alice", "done")

    carols = dataclasses.replace(article.cue, id=new_id(), annotator="carol")
    annotations: list[Pair[AnnotationData]] = [
        added(carols),  # a new annotator, and carol's document status, both rolled back
        updated(article.quote2, dataclasses.replace(article.quote2, attributes={"kind": "mixed"})),
        removed(article.troops),
    ]
    relations: list[Pair[RelationData]] = [
        removed(old_link),
        added(link(article, "speaker", article.quote, article.president)),
    ]
    entity_pairs: list[Pair[EntityData]] = [removed(zelensky)]
    part = bad_part(article)
    if isinstance(part.after, AnnotationData):
        annotations.append(part)
    elif isinstance(part.after, RelationData):
        relations.append(part)
    else:
        entity_pairs.append(part)
    change = Change("Mixed", tuple(annotations), tuple(relations), tuple(entity_pairs))

    assert_refused(store, change)
    assert "carol" not in store.annotators()
    assert store.status(article.doc, "alice") == "done"
    # Without the bad part, the same change goes through.
    good = Change(
        "Mixed",
        tuple(p for p in change.annotations if p is not part),
        tuple(p for p in change.relations if p is not part),
        tuple(p for p in change.entities if p is not part),
    )
    store.apply(good)
    assert "carol" in store.annotators()
