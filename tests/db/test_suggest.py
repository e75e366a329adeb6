"""The quote suggester on small cases for every style a news article uses, its entities,
offsets in awkward text, and accepting a suggestion through Store.apply."""

from __future__ import annotations

import json
import random
from pathlib import Path

import jsonschema
import pytest

from db.changes import Change, added
from db.errors import SpanwiseError
from db.files.text_files import TextFile, decode_text, text_sha256
from db.formats.spanwise_json import FORMAT, VERSION, document_json, parse_export
from db.records import AnnotationData, DocumentData, EntityData, RelationData
from db.schema.label_schema import load_schema
from db.storage.checks import check_spans
from db.store import Store
from db.suggest import (
    Suggestion,
    Suggestions,
    accept_change,
    load_lexicon,
    pending,
    suggest,
    suggestion_key,
)
from db.suggest.accept import accept_all_change

ROOT = Path(__file__).resolve().parents[2]
EXPORT_SCHEMA = json.loads((ROOT / "resources" / "export.schema.json").read_text("utf-8"))


def words(text: str, suggestion: Suggestion) -> list[str]:
    return [text[s:e] for s, e in suggestion.quote.spans]


def spoken(text: str, suggestion: Suggestion) -> str | None:
    speaker = suggestion.speaker
    return None if speaker is None else text[speaker.start : speaker.end]


def cue(text: str, suggestion: Suggestion) -> str | None:
    found = suggestion.cue
    return None if found is None else text[found.start : found.end]


def only(text: str) -> Suggestion:
    [item] = suggest(text)
    return item


def summary(text: str) -> list[tuple[str, list[str], str | None, str | None]]:
    return [(s.kind, words(text, s), spoken(text, s), cue(text, s)) for s in suggest(text)]


# -- direct quotes in every style ----------------------------------------------------------


@pytest.mark.parametrize(
    ("opening", "closing"),
    [("“", "”"), ('"', '"'), ("«", "»"), ("»", "«"), ("„", "“"), ("‘", "’"), ("„", "”")],
)
def test_a_direct_quote_in_each_style_of_marks(opening: str, closing: str) -> None:
    text = f"{opening}The line will reopen in March,{closing} said Marta Lindqvist."
    assert summary(text) == [
        ("direct", ["The line will reopen in March"], "Marta Lindqvist", "said")
    ]


def test_nested_quotes_stay_inside_the_quote() -> None:
    text = "“Nobody planned for a ‘once in a century’ flood,” she said."
    item = only(text)
    assert words(text, item) == ["Nobody planned for a ‘once in a century’ flood"]
    british = "‘We were told it was “fit for purpose”,’ he said."
    assert words(british, only(british)) == ["We were told it was “fit for purpose”"]
    german = "„Wir sagen ‚nein‘ dazu“, sagte er. „Der Plan ist gut“, said Anna Weber."
    assert [words(german, s) for s in suggest(german)][-1] == ["Der Plan ist gut"]


def test_an_apostrophe_never_closes_a_single_quote() -> None:
    text = "‘Ukraine’s army can’t hold the line,’ the minister said."
    assert words(text, only(text)) == ["Ukraine’s army can’t hold the line"]
    straight = "'The drivers' union won't sign,' said Tom Weller."
    assert words(straight, only(straight)) == ["The drivers' union won't sign"]


def test_a_quote_interrupted_by_its_attribution_is_one_quote_in_two_pieces() -> None:
    text = "“We planned for a flood,” she said, “and the pumps were ready.”"
    item = only(text)
    assert item.rule == "direct:interrupted"
    assert words(text, item) == ["We planned for a flood", "and the pumps were ready."]
    assert item.quote.fragments == item.quote.spans
    assert (spoken(text, item), cue(text, item)) == ("she", "said")


def test_a_quote_over_several_paragraphs_has_one_piece_per_paragraph() -> None:
    text = (
        "In a statement, the company said: “We are in talks with the ministry.\n\n"
        "“Our crews have worked around the clock.\n\n"
        "“We expect a new timetable before the summer.”\n\nThe hearing is on Monday."
    )
    item = only(text)
    assert words(text, item) == [
        "We are in talks with the ministry.",
        "Our crews have worked around the clock.",
        "We expect a new timetable before the summer.",
    ]
    assert item.rule == "direct:cue-before-colon+paragraphs"
    assert (spoken(text, item), cue(text, item)) == ("the company", "said")


def test_a_quote_after_a_colon() -> None:
    text = "Lindqvist told reporters: “The tunnel will open when it is ready.”"
    assert summary(text) == [
        ("direct", ["The tunnel will open when it is ready."], "Lindqvist", "told")
    ]
    phrase = "Kovalenko commented on the report, posting on Telegram: “It is not worth it.”"
    assert summary(phrase) == [
        ("direct", ["It is not worth it."], "Kovalenko", "posting on Telegram")
    ]


def test_a_quote_without_its_own_attribution_keeps_the_speaker_before_it() -> None:
    text = (
        "“The tunnel will open when it is ready,” Lindqvist said. “Not a day before.”\n\n"
        "“We will not cut corners.”"
    )
    first, second, third = suggest(text)
    assert [second.rule, third.rule] == ["direct:same-paragraph", "direct:next-paragraph"]
    assert second.speaker == first.speaker == third.speaker
    assert second.cue is None


def test_short_quoted_titles_without_a_speaker_are_not_quotes() -> None:
    assert suggest("The film “Dune” opened on Friday in 40 cinemas.") == Suggestions(
        "", "suggest", ()
    )


# -- indirect and mixed ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "speaker", "cue_word", "content"),
    [
        (
            "Lindqvist said that the line would reopen.",
            "Lindqvist",
            "said",
            "the line would reopen",
        ),
        ("The union claimed that pay had fallen.", "The union", "claimed", "pay had fallen"),
        ("He added that talks would go on.", "He", "added", "talks would go on"),
        ("Experts warned that the ice is thin.", "Experts", "warned", "the ice is thin"),
        (
            "The ministry said in a statement that the plan was safe.",
            "The ministry",
            "said",
            "the plan was safe",
        ),
        (
            "Doyle told RTÉ radio that the offer was fair.",
            "Doyle",
            "told",
            "the offer was fair",
        ),
        ("Nair said the barrier would be built.", "Nair", "said", "the barrier would be built"),
    ],
)
def test_a_reporting_verb_with_its_clause(
    text: str, speaker: str, cue_word: str, content: str
) -> None:
    item = only(text)
    assert (item.kind, words(text, item), spoken(text, item), cue(text, item)) == (
        "indirect",
        [content],
        speaker,
        cue_word,
    )


def test_according_to_before_and_after_the_clause() -> None:
    before = "According to the ministry, more water entered the shaft."
    after = "More water entered the shaft, according to the ministry."
    assert summary(before) == [
        ("indirect", ["more water entered the shaft"], "the ministry", "According to")
    ]
    assert summary(after) == [
        ("indirect", ["More water entered the shaft"], "the ministry", "according to")
    ]


def test_an_attribution_after_the_clause_and_in_its_middle() -> None:
    postposed = "The line will reopen in March, the transport ministry said on Tuesday."
    assert summary(postposed) == [
        ("indirect", ["The line will reopen in March"], "the transport ministry", "said")
    ]
    middle = "The details, it said, would be announced within days."
    assert words(middle, only(middle)) == ["The details", "would be announced within days"]


def test_a_clause_with_a_quoted_fragment_is_a_mixed_quote() -> None:
    text = "The President emphasized that such actions show “the contempt that reigns.”"
    assert summary(text) == [
        (
            "mixed",
            ["such actions show “the contempt that reigns.”"],
            "The President",
            "emphasized",
        )
    ]


def test_a_second_attribution_ends_the_first_clause() -> None:
    text = "Kovalenko said that the rumours were wrong, stating that they “end up like others.”"
    first, second = suggest(text)
    assert words(text, first) == ["the rumours were wrong"]
    assert (second.kind, words(text, second)) == ("mixed", ["they “end up like others.”"])
    assert first.speaker == second.speaker


def test_reporting_words_inside_quotations_are_never_cues() -> None:
    text = (
        "“They said it was over, according to the ministry,” Lindqvist said. "
        "Nair said the roads would reopen. ‘Nobody told us,’ she added."
    )
    assert summary(text) == [
        ("direct", ["They said it was over, according to the ministry"], "Lindqvist", "said"),
        ("indirect", ["the roads would reopen"], "Nair", "said"),
        ("direct", ["Nobody told us"], "she", "added"),
    ]


def test_a_noun_that_looks_like_a_cue_is_not_one() -> None:
    assert len(suggest("The report that the ministry published on Monday is long.")) == 0
    assert len(suggest("Shops in Norway and Denmark reported problems on Monday.")) == 0


# -- speakers and entities ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "speaker", "kind"),
    [
        ("“It is over,” said Marta Lindqvist.", "Marta Lindqvist", "name"),
        ("“It is over,” Lindqvist said.", "Lindqvist", "name"),
        ("“It is over,” the President emphasized.", "the President", "role"),
        ("“It is over,” a spokesperson for the committee said.", None, "role"),
        ("“It is over,” the transport ministry said.", "the transport ministry", "organisation"),
        ("“It is over,” she said.", "she", "pronoun"),
        (
            "“It is over,” Andriy Kovalenko, head of the centre, said.",
            "Andriy Kovalenko",
            "name",
        ),
        (
            "“It is over,” the party’s spokesman, Ahmet Yilmaz, told the paper.",
            "Ahmet Yilmaz",
            "name",
        ),
        ("“It is over,” said the mayor, Lisa Grant.", "Lisa Grant", "name"),
        (
            "“This must stop,” said the report’s lead author, Professor Anders Holm.",
            "Professor Anders Holm",
            "name",
        ),
        ("“No,” said Petrov’s deputy, Ivan Orlov, on Monday.", "Ivan Orlov", "name"),
    ],
)
def test_the_speaker_noun_phrase(text: str, speaker: str | None, kind: str) -> None:
    item = only(text)
    expected = speaker or "a spokesperson for the committee"
    assert spoken(text, item) == expected
    assert item.speaker is not None
    assert item.speaker.attributes["rule"].startswith(f"speaker:{kind}")


def test_pronouns_and_short_names_join_the_latest_full_name() -> None:
    text = (
        "Ukrainian President Volodymyr Zelensky claimed that the troops were hidden.\n\n"
        "Andriy Kovalenko said that the reports were exaggerated.\n\n"
        "He added that more troops were coming. “We are ready,” Zelensky wrote.\n\n"
        "The President emphasized that help was needed."
    )
    items = suggest(text)
    names = [item.entity.name if item.entity else None for item in items]
    assert names == [
        "Volodymyr Zelensky",
        "Andriy Kovalenko",
        "Andriy Kovalenko",
        "Volodymyr Zelensky",
        "Volodymyr Zelensky",
    ]
    assert [item.entity.rule for item in items if item.entity] == [
        "entity:name",
        "entity:name",
        "coref:pronoun",
        "coref:short-name",
        "coref:role",
    ]
    zelensky = items[0].entity
    assert zelensky is not None and zelensky.label == "person"
    assert len(zelensky.mention_spans) == 3


def test_a_pronoun_keeps_to_the_person_it_was_used_for() -> None:
    text = (
        "Marta Lindqvist said that the line was safe. She added that the pumps worked.\n\n"
        "Henrik Sjöberg said that it was late. He added that crews were tired.\n\n"
        "She insisted that the work would go on."
    )
    names = [s.entity.name for s in suggest(text) if s.entity]
    assert names == ["Marta Lindqvist"] * 2 + ["Henrik Sjöberg"] * 2 + ["Marta Lindqvist"]


def test_it_refers_to_the_latest_organisation() -> None:
    text = (
        "Marta Lindqvist said that the line was safe. The ministry disputes that account. "
        "It said in a statement that the report was one of many."
    )
    last = suggest(text)[-1]
    assert (spoken(text, last), last.entity and last.entity.label) == ("It", "organisation")
    assert last.entity is not None and last.entity.name == "ministry"


# -- rules, offsets, lexicon -----------------------------------------------------------------


def test_every_suggestion_carries_its_rule_and_origin() -> None:
    text = (
        "“It is over,” she said. Lindqvist said that the line would reopen. According to "
        "the ministry, the pumps work."
    )
    items = suggest(text, "doc", "ana")
    assert len(items) == 3
    for item in items:
        records = [item.quote, item.speaker, item.cue]
        for record in records:
            assert record is not None
            assert record.attributes["origin"] == "suggested"
            assert record.attributes["rule"]
            assert (record.document_id, record.annotator) == ("doc", "ana")
        assert item.quote.attributes["kind"] == item.kind
        assert item.quote.attributes["rule"] == item.rule
        assert [link.type for link in item.relations] == ["speaker", "cue"]


def test_offsets_are_code_points_with_emoji_combining_marks_and_crlf() -> None:
    text = (
        "Fans wrote 🛴✨ all day.\r\n\r\n"
        "„Parked my scooter 🛴 perfectly,“ said Zoe\u0308 Kranich.\r\n\r\n"
        "Kranich warned that the ruling „sends the wrong message“.\r\n"
    )
    first, second = suggest(text)
    assert words(text, first) == ["Parked my scooter 🛴 perfectly"]
    assert spoken(text, first) == "Zoe\u0308 Kranich"
    assert words(text, second) == ["the ruling „sends the wrong message“"]
    assert second.kind == "mixed"
    assert second.entity is not None and second.entity.name == "Zoe\u0308 Kranich"


def test_the_same_text_gives_the_same_suggestions_and_keys() -> None:
    text = "“It is over,” she said. Lindqvist said that the line would reopen."
    first, again = suggest(text, "doc"), suggest(text, "doc")
    assert [s.key for s in first] == [s.key for s in again]
    assert [s.quote.id for s in first] == [s.quote.id for s in again]
    assert suggestion_key(first.items[0]) == "direct:cue-after@1-11"


def test_a_users_lexicon_adds_cues(tmp_path: Path) -> None:
    text = "Lindqvist murmured that the line would reopen."
    assert len(suggest(text)) == 0
    extra = tmp_path / "mine.json"
    extra.write_text(
        json.dumps({"verbs": [{"lemma": "murmur", "forms": ["murmur", "murmured"]}]}), "utf-8"
    )
    [item] = suggest(text, lexicon=load_lexicon(extra))
    assert (cue(text, item), words(text, item)) == ("murmured", ["the line would reopen"])


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('{"verbs": [{"lemma": "mutter"}]}', "verbs[0].forms"),
        ('{"phrases": [{"phrase": "in a tweet", "kind": "loud"}]}', "phrases[0].kind"),
        ('{"roles": "minister"}', "'roles' must be a list"),
        ("{not json", "not valid JSON"),
    ],
)
def test_a_bad_lexicon_file_is_refused_with_the_field(
    tmp_path: Path, content: str, problem: str
) -> None:
    extra = tmp_path / "bad.json"
    extra.write_text(content, "utf-8")
    with pytest.raises(SpanwiseError, match="bad.json") as info:
        load_lexicon(extra)
    assert problem in str(info.value)


# -- the export and acceptance ---------------------------------------------------------------


def _export(text: str, items: Suggestions) -> dict[str, object]:
    sha = text_sha256(text)
    document = DocumentData(sha[:16], "t", "t.txt", text, sha, "2026-01-01T00:00:00.000Z")
    schema = load_schema()
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": "2026-01-01T00:00:00.000Z",
        "labels": [label.to_json() for label in schema.labels],
        "relation_types": [r.to_json() for r in schema.relation_types],
        "entity_types": list(schema.entity_types),
        "documents": [document_json(items.exported(document))],
    }


def test_suggestions_export_as_a_valid_spanwise_document() -> None:
    text = (
        "“It is over,” said Marta Lindqvist. She added that the line would reopen.\r\n"
        "„Never,“ Lindqvist said, „will it close again.“"
    )
    data = _export(text, suggest(text, text_sha256(text)[:16]))
    jsonschema.validate(data, EXPORT_SCHEMA)
    _, [document] = parse_export(data, "suggestions")
    assert {a.label for a in document.annotations} == {"Quote", "Speaker", "Cue"}
    [entity] = document.entities
    assert (entity.name, len(entity.mentions)) == ("Marta Lindqvist", 3)


def _seed(store: Store, text: str) -> str:
    store.import_batch([TextFile(Path("a.txt"), "a", text)], [])
    [doc] = store.documents("ana")
    return doc.id


def _state(
    store: Store, doc: str
) -> tuple[list[AnnotationData], list[RelationData], list[EntityData]]:
    return (
        store.annotations(doc, "ana"),
        store.relations(doc, "ana"),
        store.entities(doc, "ana"),
    )


def test_accepting_a_suggestion_is_one_change_the_store_takes(store: Store) -> None:
    text = (
        "Marta Lindqvist said that the line would reopen. “It is over,” she said.\n\n"
        "“Not a day before,” Lindqvist added."
    )
    doc = _seed(store, text)
    first, second, third = suggest(text, doc, "ana")
    store.apply(accept_change(first, *_state(store, doc)))
    [entity] = store.entities(doc, "ana")
    assert entity.name == "Marta Lindqvist"
    quote = next(a for a in store.annotations(doc, "ana") if a.label == "Quote")
    assert quote.attributes == {
        "kind": "indirect",
        "rule": "indirect:that-clause",
        "origin": "suggested",
    }
    assert sorted(r.type for r in store.relations(doc, "ana")) == ["cue", "speaker"]
    # the pronoun's and the surname's quotes join the same entity, whatever it is called now
    store.apply(accept_change(second, *_state(store, doc)))
    store.apply(accept_change(third, *_state(store, doc)))
    [entity] = store.entities(doc, "ana")
    assert len(entity.mentions) == 3
    assert len([a for a in store.annotations(doc, "ana") if a.label == "Quote"]) == 3
    # accepting again changes nothing
    assert accept_change(third, *_state(store, doc)).is_empty()


def _accepted(store: Store, doc: str, who: str) -> tuple[list, list, list]:
    """What an annotator has, by text and label rather than by (random) ids."""
    records = {a.id: (a.label, a.spans) for a in store.annotations(doc, who)}
    return (
        sorted(records.values()),
        sorted((r.type, records[r.source], records[r.target]) for r in store.relations(doc, who)),
        sorted((e.name, sorted(records[m] for m in e.mentions)) for e in store.entities(doc, who)),
    )


def test_accept_all_is_the_same_as_accepting_each_in_turn(store: Store) -> None:
    """On the gold articles together (about 160 quotes, shared speakers, entities growing),
    Accept all gives exactly what Enter on every suggestion would."""
    texts = [parse_export(json.loads(p.read_text("utf-8")), p.name)[1][0] for p in GOLD]
    text = "\n\n".join(item.document.text for item in texts)
    doc = _seed(store, text)
    store.apply(accept_all_change(suggest(text, doc, "ana"), [], [], []))
    for suggestion in suggest(text, doc, "ben"):
        mine = store.annotations(doc, "ben"), store.relations(doc, "ben")
        store.apply(accept_change(suggestion, *mine, store.entities(doc, "ben")))
    ana, ben = _accepted(store, doc, "ana"), _accepted(store, doc, "ben")
    assert ana == ben
    assert len(ana[0]) > 400 and len(ana[2]) > 20


def test_undo_of_an_accepted_suggestion_removes_all_of_it(store: Store) -> None:
    text = "“It is over,” said Marta Lindqvist."
    doc = _seed(store, text)
    [item] = suggest(text, doc, "ana")
    change = accept_change(item, *_state(store, doc))
    store.apply(change)
    assert len(store.annotations(doc, "ana")) == 3
    store.apply(change.inverse())
    assert _state(store, doc) == ([], [], [])


def test_accepting_reuses_what_the_annotator_already_has(store: Store) -> None:
    text = "“It is over,” said Marta Lindqvist. “It is done,” said Henrik Sjöberg."
    doc = _seed(store, text)
    first, second = suggest(text, doc, "ana")
    assert first.speaker is not None and second.speaker is not None
    mine = store.add_annotation(doc, "ana", "Quote", *first.quote.spans[0], {"kind": "direct"})
    other = store.add_annotation(doc, "ana", "Speaker", second.speaker.start, second.speaker.end)
    store.apply(
        accept_change(second, *_state(store, doc))  # its speaker exists: only linked
    )
    linked = {r.type: r.target for r in store.relations(doc, "ana")}
    assert linked["speaker"] == other.id
    # a quote that already has a speaker link keeps it
    store.add_annotation(doc, "ana", "Speaker", 0, 2)
    person = next(a for a in store.annotations(doc, "ana") if (a.start, a.end) == (0, 2))
    store.apply(
        Change("link", (), (added(RelationData("r1", doc, "ana", "speaker", mine.id, person.id)),))
    )
    change = accept_change(first, *_state(store, doc))
    assert [p.after.type for p in change.relations if p.after] == ["cue"]
    store.apply(change)
    quotes = [a for a in store.annotations(doc, "ana") if a.label == "Quote"]
    assert len(quotes) == 2 and quotes[0].attributes == {"kind": "direct"}


def test_pending_hides_rejected_and_annotated_suggestions(store: Store) -> None:
    text = "“It is over,” said Marta Lindqvist. “It is done,” said Henrik Sjöberg."
    doc = _seed(store, text)
    first, second = suggest(text, doc, "ana")
    assert [s.key for s in pending(suggest(text, doc, "ana"), [], {first.key})] == [second.key]
    store.apply(accept_change(second, *_state(store, doc)))
    later = pending(suggest(text, doc, "ana"), store.annotations(doc, "ana"))
    assert [s.key for s in later] == [first.key]


# -- the gold set ----------------------------------------------------------------------------


GOLD = sorted((ROOT / "tests" / "gold").rglob("*.spanwise.json"))


def test_the_gold_set_is_valid_and_matches_its_articles() -> None:
    assert len(GOLD) >= 5
    for path in GOLD:
        data = json.loads(path.read_text("utf-8"))
        jsonschema.validate(data, EXPORT_SCHEMA)
        _, [document] = parse_export(data, path.name)
        source = document.document.source
        candidates = [p for p in ROOT.rglob(source) if ".venv" not in p.parts]
        assert candidates, source
        text = decode_text(candidates[0].read_bytes(), source)
        assert text == document.document.text
        shortest = 11 if "broad" in path.parts else 15  # the broad set: shorter articles
        assert sum(a.label == "Quote" for a in document.annotations) >= shortest


def test_any_mix_of_marks_and_words_gives_valid_spans_or_nothing() -> None:
    """Unbalanced marks, stray apostrophes, CRLF, emoji: never an error, never a bad span."""
    pieces = [
        "“", "”", "„", "«", "»", "‘", "’", "'", '"', "‹", "›", " said ", " she ", "added that ",
        "According to ", " the ministry ", ", ", ". ", ": ", "\n", "\r\n\r\n", "Marta Lindqvist",
        " Dr. ", "🛴", "e\u0308", " told reporters ", "(HUR)", " — ", "It ", "warned", " 1.4 ",
    ]  # fmt: skip
    chance = random.Random(7)
    for _ in range(300):
        text = "".join(chance.choice(pieces) for _ in range(chance.randint(0, 50)))
        for item in suggest(text, "doc"):
            for record in (item.quote, item.speaker, item.cue):
                if record is not None:
                    check_spans(text, record.start, record.end, record.fragments)
                    piece = text[record.start : record.end]
                    assert piece == piece.strip()


def test_a_text_without_full_stops_is_read_to_its_end() -> None:
    """A transcript or a text pasted without punctuation is one endless "sentence": it is read
    in pieces, so attributions are still found all through it (and quickly: the pieces keep
    the rules from reading a whole book back and forth for every cue)."""
    from db.suggest.text_units import MAX_SENTENCE

    text = "and she said that the roads would reopen and he said that they would not " * 400
    found = suggest(text)
    assert len(found) >= 700  # two reports in each repeated piece, bar those cut at a seam
    assert found[-1].quote.start > len(text) - 200
    for item in found:
        assert text[item.speaker.start : item.speaker.end] in ("she", "he")
        assert item.quote.end - item.quote.start < MAX_SENTENCE


def test_thousands_of_unclosed_marks_give_no_quotation() -> None:
    text = "“He said " * 3000 + "«" * 3000 + "'" * 3000
    assert [item for item in suggest(text) if item.kind != "indirect"] == []
