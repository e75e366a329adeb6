"""PARC / PolNeAR attribution in brat: Source/Cue/Content and Attribution events become
Spanwise's Quote/Speaker/Cue and speaker/cue links, and back, through the shipped mapping."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.errors import SpanwiseError
from db.formats import FORMATS, ReadOptions, WriteOptions
from db.formats.brat.standoff import parse_standoff
from db.formats.parc import ParcBratFormat, load_mapping
from db.store import Store
from tests.db.conftest import OpenStore
from tests.db.formats import SAMPLE, at, content, fill_sample, import_into, round_trip

PARC = ParcBratFormat()
TEXT = (
    '"We will 👍🏽 win," said Ana Kova\u0301c\u030c, "and soon."\r\n'
    "She believes the war ends. It was reported.\n"
)


def polnear_file(folder: Path) -> None:
    """A PolNeAR-style file: trigger T on the cue, a content in two pieces written out of
    order, and an attribution with no source."""
    folder.mkdir()
    q1, q2 = at(TEXT, '"We will 👍🏽 win,"'), at(TEXT, '"and soon."')
    said, ana = at(TEXT, "said"), at(TEXT, "Ana Kova\u0301c\u030c")
    she, believes, war = at(TEXT, "She"), at(TEXT, "believes"), at(TEXT, "the war ends")
    reported, it = at(TEXT, "was reported"), at(TEXT, "It")
    lines = [
        f"T1\tContent {q2[0]} {q2[1]};{q1[0]} {q1[1]}\t{TEXT[slice(*q2)]} {TEXT[slice(*q1)]}",
        f"T2\tCue {said[0]} {said[1]}\tsaid",
        f"T3\tSource {ana[0]} {ana[1]}\t{TEXT[slice(*ana)]}",
        f"T4\tAttribution {said[0]} {said[1]}\tsaid",
        "E1\tAttribution:T4 Content:T1 Cue:T2 Source:T3",
        f"T5\tSource {she[0]} {she[1]}\tShe",
        f"T6\tCue {believes[0]} {believes[1]}\tbelieves",
        f"T7\tContent {war[0]} {war[1]}\tthe war ends",
        f"T8\tAttribution {believes[0]} {believes[1]}\tbelieves",
        "E2\tAttribution:T8 Content:T7 Cue:T6 Source:T5",
        f"T9\tContent {it[0]} {it[1]}\tIt",
        f"T10\tAttribution-no-source {reported[0]} {reported[1]}\twas reported",
        "E3\tAttribution-no-source:T10 Content:T9",
    ]
    (folder / "story.txt").write_bytes(TEXT.encode("utf-8"))
    (folder / "story.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_attributions_become_quotes_speakers_cues_and_links(store: Store, tmp_path: Path) -> None:
    polnear_file(tmp_path / "parc")
    import_into(store, PARC.read([tmp_path / "parc"], ReadOptions(annotator="ana")))
    [item] = store.export_documents()
    text = item.document.text
    shown = {a.id: (a.label, " ".join(text[s:e] for s, e in a.spans)) for a in item.annotations}
    links = sorted((r.type, shown[r.source][1], shown[r.target][1]) for r in item.relations)
    assert links == sorted(
        [
            ("cue", "It", "was reported"),  # no cue named: the trigger's words are the cue
            ("cue", "the war ends", "believes"),
            ("cue", '"We will 👍🏽 win," "and soon."', "said"),
            ("speaker", "the war ends", "She"),
            ("speaker", '"We will 👍🏽 win," "and soon."', "Ana Kova\u0301c\u030c"),
        ]
    )
    assert sorted(label for label, _ in shown.values()) == sorted(
        ["Quote", "Quote", "Quote", "Cue", "Cue", "Cue", "Speaker", "Speaker"]
    )  # the Attribution triggers on the cues are not kept twice


def test_round_trip_through_parc_brat(open_store: OpenStore, tmp_path: Path) -> None:
    source, target = open_store(), open_store(tmp_path / "second.db")
    fill_sample(source)
    _batch, again = round_trip(PARC, source, target, tmp_path / "out")
    assert content(again) == content(source.export_documents())
    standoff = parse_standoff((tmp_path / "out" / "sample.ann").read_text("utf-8"), "sample")
    kinds = sorted(e.type for e in standoff.events.values())
    assert kinds == ["Attribution", "Attribution", "Event"]
    attribution = next(e for e in standoff.events.values() if e.type == "Attribution")
    assert [role for role, _ in attribution.args] == ["Content", "Source", "Cue"]
    trigger = standoff.textbounds[attribution.trigger]
    cue = standoff.textbounds[dict(attribution.args)["Cue"]]
    assert trigger.fragments == cue.fragments and cue.type == "Cue"
    assert {b.type for b in standoff.textbounds.values()} >= {"Content", "Source", "Cue"}
    conf = (tmp_path / "out" / "annotation.conf").read_text("utf-8")
    assert "Attribution\tContent:Content, Source*:Source, Cue*:Cue" in conf
    assert (tmp_path / "out" / "sample.txt").read_bytes() == SAMPLE.encode("utf-8")


def test_quote_without_speaker_is_an_attribution_without_source(
    store: Store, tmp_path: Path
) -> None:
    fill_sample(store)  # three quotes: two with speaker and cue, "win" with neither
    out = tmp_path / "out"  # an export folder is new, empty or an export
    PARC.write(store.export_documents(), store.schema(), out, WriteOptions())
    standoff = parse_standoff((out / "sample.ann").read_text("utf-8"), "sample")
    contents = [b for b in standoff.textbounds.values() if b.type == "Content"]
    in_events = {t for e in standoff.events.values() for _r, t in e.args}
    assert len(contents) == 3 and sum(b.id in in_events for b in contents) == 2


def test_mapping_file_is_shipped_and_checked() -> None:
    mapping = load_mapping()
    assert mapping.labels == {"Content": "Quote", "Source": "Speaker", "Cue": "Cue"}
    assert mapping.roles == {"Source": "speaker", "Cue": "cue"}
    with pytest.raises(SpanwiseError, match="'roles' must be a non-empty dict"):
        load_mapping('{"labels": {"Content": "Quote"}, "content_role": "Content"}', "mine.json")
    assert FORMATS["parc-brat"].can_import and FORMATS["parc-brat"].can_export


def test_sniffs_attribution_files_only(tmp_path: Path) -> None:
    polnear_file(tmp_path / "parc")
    assert PARC.sniff(tmp_path / "parc")
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.txt").write_text("Text.", encoding="utf-8")
    (other / "a.ann").write_text("T1\tPerson 0 4\tText\n", encoding="utf-8")
    assert not PARC.sniff(other)
