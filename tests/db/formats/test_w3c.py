"""W3C Web Annotation export: both selectors on every span, links and entities, and
re-anchoring an exported annotation in an edited text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from db.errors import ImportRefused, SpanwiseError
from db.formats import FORMATS, ReadOptions, WriteOptions
from db.formats.w3c import W3CFormat, annotation_iri, reanchor, reanchor_quote
from db.store import Store
from tests.db.formats.sample_b import TEXT, at, fill

W3C = W3CFormat()


def export(store: Store, tmp_path: Path, annotator: str | None = None) -> list[dict[str, Any]]:
    target = tmp_path / "annotations.jsonld"
    W3C.write(fill(store), store.schema(), target, WriteOptions(annotator=annotator))
    collection = json.loads(target.read_text("utf-8"))
    assert collection["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert collection["type"] == "AnnotationCollection"
    items: list[dict[str, Any]] = collection["first"]["items"]
    assert collection["total"] == len(items)
    return items


def by_label(items: list[dict[str, Any]], label: str, annotator: str = "ana") -> dict[str, Any]:
    return next(
        item
        for item in items
        if item["motivation"] == "tagging"
        and item["creator"]["nickname"] == annotator
        and item["body"][0]["value"] == label
    )


def selectors(target: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["type"]: s for s in target["selector"]}


def test_registered_as_export_only(tmp_path: Path) -> None:
    assert FORMATS["w3c"].can_export and not FORMATS["w3c"].can_import
    with pytest.raises(ImportRefused, match="export format"):
        W3C.read([tmp_path], ReadOptions())


def test_every_span_has_exact_position_and_quote_selectors(store: Store, tmp_path: Path) -> None:
    items = export(store, tmp_path)
    spans = [item for item in items if item["motivation"] == "tagging"]
    assert len(spans) == 10
    for item in spans:
        targets = item["target"] if isinstance(item["target"], list) else [item["target"]]
        for target in targets:
            chosen = selectors(target)
            position, quote = chosen["TextPositionSelector"], chosen["TextQuoteSelector"]
            # code points into the text exactly as stored: emoji, combining marks and CRLF
            assert TEXT[position["start"] : position["end"]] == quote["exact"]
            assert TEXT[: position["start"]].endswith(quote["prefix"])
            assert TEXT[position["end"] :].startswith(quote["suffix"])
            assert target["source"]["type"] == "Text"
    flag = by_label(items, "Participant")
    assert selectors(flag["target"])["TextQuoteSelector"]["exact"] == "🇺🇦"


def test_labels_attributes_notes_fragments_and_entities_are_bodies(
    store: Store, tmp_path: Path
) -> None:
    items = export(store, tmp_path)
    quote = by_label(items, "Quote")
    purposes = [(b["purpose"], b["value"]) for b in quote["body"]]
    assert purposes == [
        ("tagging", "Quote"),
        ("classifying", "kind=direct"),
        ("commenting", "two pieces 😀"),
    ]
    assert [selectors(t)["TextQuoteSelector"]["exact"] for t in quote["target"]] == [
        "We will win 😀,",
        "café\u0301 👍🏽",
    ]
    speaker = by_label(items, "Speaker")
    identifying = [b for b in speaker["body"] if b["purpose"] == "identifying"]
    assert [b["value"] for b in identifying] == ["Volodymyr Zelensky"]
    assert quote["creator"] == {"type": "Person", "nickname": "ana"}
    assert quote["created"] == "2026-01-02T03:04:05.000Z"


def test_links_are_linking_annotations_between_span_annotations(
    store: Store, tmp_path: Path
) -> None:
    items = export(store, tmp_path)
    ids = {item["id"] for item in items}
    links = [item for item in items if item["motivation"] == "linking"]
    assert len(links) == 6
    speaker_link = next(
        link
        for link in links
        if link["body"][1]["value"] == "speaker" and link["creator"]["nickname"] == "ana"
    )
    assert speaker_link["target"] == by_label(items, "Quote")["id"]
    he = next(
        item
        for item in items
        if item["motivation"] == "tagging"
        and not isinstance(item["target"], list)
        and selectors(item["target"])["TextQuoteSelector"]["exact"] == "he"
    )
    assert speaker_link["body"][0] == {
        "type": "SpecificResource",
        "source": he["id"],
        "purpose": "linking",
    }
    assert all(link["target"] in ids and link["body"][0]["source"] in ids for link in links)


def test_one_annotator_only(store: Store, tmp_path: Path) -> None:
    items = export(store, tmp_path, annotator="ben")
    assert {item["creator"]["nickname"] for item in items} == {"ben"}
    assert len(items) == 3  # two spans and one link


def test_report_lists_what_the_export_leaves_out(store: Store, tmp_path: Path) -> None:
    report = W3C.write(fill(store), store.schema(), tmp_path / "a.jsonld", WriteOptions())
    assert report.counts == {"annotations": 10, "links": 6, "entities": 1, "documents": 1}
    assert "document statuses" in report.lost
    assert "entity types (person, organisation, ...)" in report.lost


# -- re-anchoring -----------------------------------------------------------------------------


def test_unchanged_text_anchors_where_it_was(store: Store, tmp_path: Path) -> None:
    for item in export(store, tmp_path):
        if item["motivation"] != "tagging":
            continue
        anchors = reanchor(item, TEXT)
        assert anchors is not None and not any(anchor.moved for anchor in anchors)


def test_anchors_follow_an_edit_before_them(store: Store, tmp_path: Path) -> None:
    items = export(store, tmp_path)
    edited = "BREAKING 🚨🚨\r\n" + TEXT.replace("Kyiv", "Kyiv (the capital)")
    quote = by_label(items, "Quote")
    anchors = reanchor(quote, edited)
    assert anchors is not None and all(anchor.moved for anchor in anchors)
    assert [edited[a.start : a.end] for a in anchors] == ["We will win 😀,", "café\u0301 👍🏽"]
    dawn = reanchor(by_label(items, "Time"), edited)
    assert dawn is not None and edited[dawn[0].start : dawn[0].end] == "dawn"


def test_context_chooses_between_repeated_quotes() -> None:
    text = "He said no. She said no. They said no."
    start = text.index("no", text.index("She"))
    annotation = {
        "target": {
            "selector": [
                {"type": "TextPositionSelector", "start": start, "end": start + 2},
                {
                    "type": "TextQuoteSelector",
                    "exact": "no",
                    "prefix": "She said ",
                    "suffix": ". They",
                },
            ]
        }
    }
    changed = "Today: " + text.replace("He said", "He, tired, said")
    [anchor] = reanchor(annotation, changed) or []
    assert changed[anchor.start - 9 : anchor.end] == "She said no"
    # with no context to go by, the occurrence nearest the old position wins
    assert reanchor_quote(changed, "no", near=start + 14) == (
        changed.index("no", changed.index("She")),
        changed.index("no", changed.index("She")) + 2,
    )


def test_a_quote_that_is_gone_does_not_anchor(store: Store, tmp_path: Path) -> None:
    place = by_label(export(store, tmp_path), "Place")
    assert reanchor(place, TEXT.replace("Kyiv", "Lviv")) is None


def test_links_cannot_be_reanchored_on_their_own(store: Store, tmp_path: Path) -> None:
    link = next(item for item in export(store, tmp_path) if item["motivation"] == "linking")
    with pytest.raises(SpanwiseError, match="TextQuoteSelector"):
        reanchor(link, TEXT)
    assert link["id"].startswith(annotation_iri(""))


def test_reanchored_offsets_are_code_points_after_emoji_and_crlf(
    store: Store, tmp_path: Path
) -> None:
    flag = by_label(export(store, tmp_path), "Participant")
    edited = TEXT.replace("\r\n", "\r\n😀\r\n", 1)
    [anchor] = reanchor(flag, edited) or []
    assert (anchor.start, anchor.end) == (at("🇺🇦")[0] + 3, at("🇺🇦")[1] + 3)
    assert edited[anchor.start : anchor.end] == "🇺🇦"
