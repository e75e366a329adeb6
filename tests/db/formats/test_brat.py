"""brat standoff: real corpora import with their exact texts, Spanwise round-trips through it,
broken files are refused with file and line, and the folder written is one brat can load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from db.errors import ImportRefused
from db.formats import FORMATS, ReadOptions, WriteOptions
from db.formats.brat import BratFormat
from db.formats.brat.conf import parse_conf
from db.formats.brat.standoff import parse_standoff
from db.store import Store
from tests.db.conftest import OpenStore
from tests.db.formats import SAMPLE, at, content, fill_sample, import_into, round_trip, shared
from tests.store_edits import update_annotation

BRAT = BratFormat()


def stored_texts_match(store: Store, folder: Path) -> int:
    """Every T line's stored text equals its fragments' text (joined by one space) in the
    imported document; returns how many T lines were checked."""
    checked = 0
    exported = {d.document.source: d for d in store.export_documents()}
    for ann in sorted(folder.glob("*.ann")):
        standoff = parse_standoff(ann.read_text(encoding="utf-8"), ann.name)
        item = exported[ann.with_suffix(".txt").name]
        spans = {a.spans: a for a in item.annotations}
        for bound in standoff.textbounds.values():
            record = spans[tuple(sorted(bound.fragments))]
            text = item.document.text
            assert " ".join(text[s:e] for s, e in bound.fragments) == bound.text.rstrip()
            assert text[record.start : record.end].startswith(text[slice(*bound.fragments[0])])
            checked += 1
    return checked


@pytest.mark.parametrize(
    "corpus", ["brat-tutorial-news", "dkpro-brat-fixtures", "commodity-news-events"]
)
def test_real_corpora_import_with_every_span_text_as_stored(store: Store, corpus: str) -> None:
    folder = shared(corpus)
    batch = BRAT.read([folder], ReadOptions())
    import_into(store, batch)
    assert stored_texts_match(store, folder) > 0
    again = store.import_batch([], [(batch.schema, batch.documents)])
    assert again.annotations_added == 0 and again.links_added == 0  # same ids: nothing doubled


def test_tutorial_events_relations_attributes_notes_and_equivalences(store: Store) -> None:
    import_into(store, BRAT.read([shared("brat-tutorial-news")], ReadOptions()))
    docs = {d.document.source: d for d in store.export_documents()}

    intro = docs["000-introduction.txt"]
    by_text = {intro.document.text[a.start : a.end]: a for a in intro.annotations}
    event = by_text["moving"]
    assert event.label == "Transfer-money" and event.attributes == {"Confidence": "High"}
    roles = {(r.type, intro.document.text[by_id.start : by_id.end])
             for r in intro.relations if r.source == event.id
             for by_id in [next(a for a in intro.annotations if a.id == r.target)]}  # fmt: skip
    # Beneficiary-Arg and Recipient-Arg name T4 and T6, defined after the E line.
    assert ("Beneficiary-Arg", "Raul Salinas de Gortari") in roles
    assert ("Recipient-Arg", "banks") in roles
    assert by_text["$100 million"].note == "100000000 USD"
    assert by_text["Raul Salinas de Gortari"].attributes == {
        "Mention": "Name",
        "Individual": "true",
    }
    assert by_text["former Mexican president"].attributes["norm:Wikipedia"] == "64488"

    structures = docs["090-event_structures.txt"]
    text = structures.document.text
    reported = next(a for a in structures.annotations if text[a.start : a.end] == "reported")
    merged = next(a for a in structures.annotations if text[a.start : a.end] == "merged")
    assert any(
        r.type == "Event-Arg" and r.source == reported.id and r.target == merged.id
        for r in structures.relations
    )  # an event as another event's argument

    aliases = docs["060-relation_annotation.txt"]
    [entity] = aliases.entities
    names = [
        aliases.document.text[a.start : a.end]
        for m in entity.mentions
        for a in aliases.annotations
        if a.id == m
    ]
    assert entity.name == "Joanne Rowling" and entity.label == "other"
    assert names == ["Joanne Rowling", "Jo Rowling", "J. K. Rowling"]
    assert store.schema().label("Person").forms_entities  # type: ignore[union-attr]


def test_discontinuous_span_and_events_without_arguments(store: Store) -> None:
    import_into(store, BRAT.read([shared("dkpro-brat-fixtures")], ReadOptions()))
    docs = {d.document.source: d for d in store.export_documents()}
    item = docs["document0d.txt"]
    [split] = [a for a in item.annotations if a.fragments]
    assert split.fragments == ((5, 7), (9, 10))
    assert " ".join(item.document.text[s:e] for s, e in split.fragments) == "is n"
    assert {a.label for a in item.annotations} == {"Token"} and not item.relations
    quote = docs["event.txt"]
    [link] = quote.relations
    assert link.type == "Speak"


def test_commodity_events_with_trailing_space_and_relations_between_events(store: Store) -> None:
    folder = shared("commodity-news-events")
    import_into(store, BRAT.read([folder], ReadOptions()))
    docs = {d.document.source: d for d in store.export_documents()}
    item = docs["Crude-drops-after-IMF-trims-global-growth-forecast-anew.txt"]
    text = item.document.text
    # "E20<TAB>Movement-up-gain:T80 " : an event with no argument and a trailing space
    ann = (folder / "Crude-drops-after-IMF-trims-global-growth-forecast-anew.ann").read_text()
    t80 = next(line for line in ann.split("\n") if line.startswith("T80\t"))
    start, end = (int(n) for n in t80.split("\t")[1].split()[1:])
    [e20] = [a for a in item.annotations if (a.start, a.end) == (start, end)]
    assert e20.label == "Movement-up-gain" and text[start:end] == t80.split("\t")[2]
    assert not [r for r in item.relations if r.source == e20.id]
    embargo = docs["embargo.txt"]
    labels = {a.id: a.label for a in embargo.annotations}
    events = {label.name for label in store.labels() if label.description == "brat event type"}
    causes = [r for r in embargo.relations if r.type == "Cause-Precondition"]
    assert causes and all(labels[r.source] in events and labels[r.target] in events for r in causes)
    polar = [a for a in embargo.annotations if "Polarity" in a.attributes]
    assert polar and {a.attributes["Polarity"] for a in polar} <= {"Positive", "Negative"}


def test_round_trip_keeps_spans_fragments_links_entities_attributes_notes(
    open_store: OpenStore, tmp_path: Path
) -> None:
    source, target = open_store(), open_store(tmp_path / "second.db")
    fill_sample(source)
    batch, again = round_trip(BRAT, source, target, tmp_path / "brat")
    assert content(again) == content(source.export_documents())
    ann = (tmp_path / "brat" / "sample.ann").read_text(encoding="utf-8")
    assert "Event:T" in ann and "patient:T" in ann  # the event and its roles
    assert "speaker Arg1:" in ann  # a quote's to-one links are relations
    assert (tmp_path / "brat" / "sample.txt").read_bytes() == SAMPLE.encode("utf-8")
    assert not batch.report.lost


def test_what_brat_cannot_carry_is_reported(open_store: OpenStore, tmp_path: Path) -> None:
    """Not representable in brat: entity names other than the first mention's text,
    single-mention entities, line breaks in notes, spaces in attribute values."""
    store = open_store()
    doc_id = fill_sample(store)
    mention = store.add_annotation(doc_id, "ana", "Participant", *at(SAMPLE, "Kyiv"))
    from db.changes import Change, added
    from db.records import EntityData

    lone = EntityData("e2", doc_id, "ana", "the capital", "other", (mention.id,))
    store.apply(Change("entity", (), (), (added(lone),)))
    update_annotation(store, mention.id, note="first\nsecond")
    out = tmp_path / "out"  # an export folder is new, empty or an export
    report = BRAT.write(store.export_documents(), store.schema(), out, WriteOptions())
    assert "entities with a single mention (a brat equivalence needs two)" in report.lost
    assert any("line breaks" in lost for lost in report.lost)


def test_a_broken_line_refuses_the_batch_with_file_and_line(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    shutil.copytree(shared("brat-tutorial-news"), folder)
    ann = folder / "040-text_span_annotation.ann"
    lines = ann.read_text(encoding="utf-8").split("\n")
    lines[1] = lines[1] + "\ncontinued text"  # a T line whose text held a newline
    ann.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ImportRefused, match=r"040-text_span_annotation\.ann, line 3"):
        BRAT.read([folder], ReadOptions())
    assert store.document_count() == 0


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("T1\tPerson 0 4\tNope", "says 'Nope'"),
        ("T1\tPerson 0 400\tThis", "past the end"),
        ("E1\tMerge:T9", "trigger T9"),
        ("R1\tRel Arg1:T1 Arg2:T7", "T7 does not exist"),
        ("T1\tPerson 4 2\tx", "empty or reversed"),
    ],
)
def test_bad_lines_name_the_problem(tmp_path: Path, line: str, problem: str) -> None:
    (tmp_path / "doc.txt").write_text("This is a text.", encoding="utf-8")
    body = line if line.startswith("T1") else "T1\tPerson 0 4\tThis\n" + line
    (tmp_path / "doc.ann").write_text(body + "\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match=problem):
        BRAT.read([tmp_path], ReadOptions())


def test_trailing_whitespace_empty_files_and_crlf_ann_are_tolerated(
    store: Store, tmp_path: Path
) -> None:
    text = "Ana 👍🏽 met Bo\u0301b.\r\nThen left."
    (tmp_path / "a.txt").write_bytes(text.encode("utf-8"))
    bob, met = at(text, "Bo\u0301b"), at(text, "met")
    (tmp_path / "a.ann").write_bytes(
        f"T1\tPerson 0 3\tAna \t\r\nT2\tPerson {bob[0]} {bob[1]}\tBo\u0301b\r\n\r\n"
        f"E1\tMeet:T3 \r\nT3\tMeet {met[0]} {met[1]}\tmet\r\n"
        "R1\tKnows Arg1:T1 Arg2:T2\t\r\n".encode()
    )
    (tmp_path / "b.txt").write_text("Nothing here.", encoding="utf-8")
    (tmp_path / "b.ann").write_bytes(b"")
    import_into(store, BRAT.read([tmp_path], ReadOptions(annotator="ana")))
    [item] = [d for d in store.export_documents() if d.document.source == "a.txt"]
    assert {item.document.text[a.start : a.end] for a in item.annotations} == {
        "Ana", "met", "Bo\u0301b"
    }  # fmt: skip
    assert [r.type for r in item.relations] == ["Knows"]
    assert store.document_count() == 2


def test_export_folder_declares_every_type_brat_needs(store: Store, tmp_path: Path) -> None:
    import_into(store, BRAT.read([shared("brat-tutorial-news")], ReadOptions()))
    fill_sample(store, "brat")
    out = tmp_path / "out"  # an export folder is new, empty or an export
    BRAT.write(store.export_documents(), store.schema(), out, WriteOptions())
    conf = parse_conf((out / "annotation.conf").read_text(encoding="utf-8"), "conf")
    assert (out / "visual.conf").is_file()
    declared_roles = {(e, r) for e, roles in conf.events.items() for r, _t, _m in roles}
    for ann in out.glob("*.ann"):
        standoff = parse_standoff(ann.read_text(encoding="utf-8"), ann.name)
        for bound in standoff.textbounds.values():
            assert bound.type in conf.entities or bound.type in conf.events
        for event in standoff.events.values():
            for role, _target in event.args:
                assert (event.type, role.rstrip("0123456789")) in declared_roles
        for relation in standoff.relations.values():
            assert relation.type in conf.relations
        for attribute in standoff.attributes:
            assert attribute.name in conf.attributes
        for equiv in standoff.equivs:
            assert equiv.type in conf.equivs


def test_several_annotators_go_to_one_folder_each(open_store: OpenStore, tmp_path: Path) -> None:
    source, target = open_store(), open_store(tmp_path / "second.db")
    fill_sample(source, "ana")
    doc_id = source.documents("bo")[0].id
    source.add_annotation(doc_id, "bo", "Speaker", *at(SAMPLE, "She"))
    BRAT.write(source.export_documents(), source.schema(), tmp_path / "out", WriteOptions())
    assert (tmp_path / "out" / "ana" / "sample.ann").is_file()
    assert (tmp_path / "out" / "bo" / "sample.ann").is_file()
    import_into(target, BRAT.read([tmp_path / "out"], ReadOptions()))
    assert content(target.export_documents()) == content(source.export_documents())


def test_registered_and_sniffed(tmp_path: Path) -> None:
    assert FORMATS["brat"].can_import and FORMATS["brat"].can_export
    assert BRAT.sniff(shared("brat-tutorial-news"))
    (tmp_path / "x.txt").write_text("x", encoding="utf-8")
    assert not BRAT.sniff(tmp_path)


def test_numbered_roles_keep_their_numbers_through_an_export(store: Store, tmp_path: Path) -> None:
    """brat's Org-Arg / Org-Arg2 (YouTube merged with Google) come back as they were."""
    folder = shared("brat-tutorial-news")
    import_into(store, BRAT.read([folder], ReadOptions()))
    out = tmp_path / "out"
    BRAT.write(store.export_documents(), store.schema(), out, WriteOptions())

    def merge_args(ann: Path) -> list[tuple[str, str]]:
        lines = ann.read_text(encoding="utf-8").splitlines()
        spans = {p[0]: p[2] for p in (line.split("\t") for line in lines) if p[0][:1] == "T"}
        for line in lines:
            parts = line.split("\t")
            if parts[0].startswith("E") and parts[1].startswith("Merge-org"):
                return [(a.split(":")[0], spans[a.split(":")[1]]) for a in parts[1].split()[1:]]
        return []

    original = merge_args(folder / "080-event-annotation.ann")
    assert original and merge_args(out / "080-event-annotation.ann") == original
