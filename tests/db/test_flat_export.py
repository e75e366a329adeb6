"""Quotes as a flat table: who said what, one row per Quote, as CSV or JSON Lines."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from db.changes import Change, added
from db.errors import SpanwiseError
from db.formats.flat_table import COLUMNS, quote_rows, write_quotes_csv, write_quotes_jsonl
from db.records import AnnotationData, EntityData, RelationData
from db.store import Store, new_id
from tests.db.conftest import OpenStore

FIRST_SENTENCE = "While they were being trained, they were forbidden even to show their faces."
THIRD_SENTENCE = (
    "And now, after battles with our troops, the Russians are even trying to... "
    "literally burn the faces of the killed North Korean soldiers,"
)
KEY_QUOTE = "There is no reason for Koreans to fight and die for Putin."
CONTEMPT = "the contempt that now reigns in Russia – contempt for all things human."
# Everything that trips up a CSV or JSONL reader: a comma, quotes, a line break, CRLF, a
# line separator, a dash and an emoji.
AWKWARD_TEXT = 'Kovalenko said: "They end up, like\r\neveryone “else” —\u2028😀" on Telegram.\n'
AWKWARD_QUOTE = "They end up, like\r\neveryone “else” —\u2028😀"


def _span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


@dataclass(frozen=True)
class Quotes:
    store: Store
    seed: str
    other: str
    key_quote: AnnotationData
    split_quote: AnnotationData
    unattributed: AnnotationData
    bobs_quote: AnnotationData
    awkward: AnnotationData


@pytest.fixture
def quotes(store: Store, seed_doc: str, tmp_path: Path) -> Quotes:
    text = store.document(seed_doc).text

    def add(label: str, span: tuple[int, int], annotator: str = "alice", **kw: Any) -> Any:
        return store.add_annotation(seed_doc, annotator, label, *span, **kw)

    direct = {"kind": "direct"}
    key_quote = add("Quote", _span(text, KEY_QUOTE), attributes=direct)
    he_at = text.index("” he added") + 2
    he = add("Speaker", (he_at, he_at + 2))
    added_cue = add("Cue", (he_at + 3, he_at + 8))
    president = add("Speaker", _span(text, "Ukrainian President Volodymyr Zelensky"))
    fragments = (_span(text, FIRST_SENTENCE), _span(text, THIRD_SENTENCE))
    split_quote = add(
        "Quote", (fragments[0][0], fragments[1][1]), attributes=direct, fragments=fragments
    )
    wrote_at = text.index("Zelensky wrote")
    zelensky = add("Speaker", (wrote_at, wrote_at + 8))
    wrote = add("Cue", (wrote_at + 9, wrote_at + 14))
    unattributed = add("Quote", _span(text, CONTEMPT), attributes={"kind": "indirect"})
    add("Event", _span(text, "placed on alert"), attributes={"type": "military"})
    bobs_quote = add("Quote", _span(text, KEY_QUOTE), "bob")

    def link(link_type: str, source: AnnotationData, target: AnnotationData) -> RelationData:
        return RelationData(new_id(), seed_doc, "alice", link_type, source.id, target.id)

    group = EntityData(
        new_id(), seed_doc, "alice", "Volodymyr Zelensky", "person", (president.id, he.id)
    )
    store.apply(
        Change(
            "Attribute",
            relations=(
                added(link("speaker", key_quote, he)),
                added(link("cue", key_quote, added_cue)),
                added(link("speaker", split_quote, zelensky)),
                added(link("cue", split_quote, wrote)),
            ),
            entities=(added(group),),
        )
    )

    awkward_file = tmp_path / "awkward.txt"
    awkward_file.write_bytes(AWKWARD_TEXT.encode("utf-8"))
    store.import_texts([awkward_file])
    other = next(d.id for d in store.documents("alice") if d.id != seed_doc)
    awkward = store.add_annotation(other, "alice", "Quote", *_span(AWKWARD_TEXT, AWKWARD_QUOTE))
    kovalenko = store.add_annotation(other, "alice", "Speaker", 0, 9)
    store.apply(
        Change(
            "Link",
            relations=(
                added(RelationData(new_id(), other, "alice", "speaker", awkward.id, kovalenko.id)),
            ),
        )
    )
    return Quotes(
        store,
        seed_doc,
        other,
        key_quote,
        split_quote,
        unattributed,
        bobs_quote,
        awkward,
    )


def _row(q: Quotes, annotation: AnnotationData, /, **values: Any) -> dict[str, Any]:
    document = q.store.document(annotation.document_id)
    return {
        "document": document.id,
        "title": document.title,
        "kind": annotation.attributes.get("kind", ""),
        "annotator": annotation.annotator,
        "start": annotation.start,
        "end": annotation.end,
    } | values


def _expected(q: Quotes) -> list[dict[str, Any]]:
    return [  # document order, then text order
        _row(
            q,
            q.split_quote,
            quote=f"{FIRST_SENTENCE} … {THIRD_SENTENCE}",
            speaker="Zelensky",  # no entity: the mention itself
            speaker_mention="Zelensky",
            cue="wrote",
        ),
        _row(q, q.unattributed, quote=CONTEMPT, speaker="", speaker_mention="", cue=""),
        _row(
            q,
            q.key_quote,
            quote=KEY_QUOTE,
            speaker="Volodymyr Zelensky",  # the entity's name, not "he"
            speaker_mention="he",
            cue="added",
        ),
        _row(
            q,
            q.awkward,
            quote=AWKWARD_QUOTE,
            speaker="Kovalenko",
            speaker_mention="Kovalenko",
            cue="",
        ),
    ]


def test_one_row_per_quote_of_an_annotator(quotes: Quotes) -> None:
    rows = quote_rows(quotes.store, annotator="alice")
    assert rows == _expected(quotes)
    assert all(list(row) == list(COLUMNS) for row in rows)
    assert [row["document"] for row in rows] == [quotes.seed] * 3 + [quotes.other]
    assert rows[0]["title"].startswith("Ukrainian President Volodymyr Zelensky claimed")


def test_rows_of_all_annotators_and_of_one_document(quotes: Quotes) -> None:
    every = quote_rows(quotes.store)
    assert len(every) == 5
    bobs = _row(
        quotes,
        quotes.bobs_quote,
        quote=KEY_QUOTE,
        speaker="",
        speaker_mention="",
        cue="",
        annotator="bob",
    )
    assert bobs in every
    assert [r for r in every if r["annotator"] == "alice"] == _expected(quotes)
    assert quote_rows(quotes.store, annotator="bob") == [bobs]
    assert quote_rows(quotes.store, document_id=quotes.other) == _expected(quotes)[-1:]
    with pytest.raises(SpanwiseError, match="unknown annotator 'nobody'"):  # not an empty table
        quote_rows(quotes.store, annotator="nobody")


def test_csv_is_utf8_with_a_stable_header(quotes: Quotes, tmp_path: Path) -> None:
    rows = quote_rows(quotes.store, annotator="alice")
    path = tmp_path / "quotes.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        write_quotes_csv(rows, handle)
    raw = path.read_bytes()
    assert raw.startswith(b"document,title,quote,kind,speaker,speaker_mention,cue,annotator")
    assert raw.startswith(b"document,")  # no byte order mark
    assert "😀".encode() in raw
    assert raw.decode("utf-8").splitlines()[0].split(",") == list(COLUMNS)

    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        read = list(reader)
    assert reader.fieldnames == list(COLUMNS)
    assert read == [{key: str(value) for key, value in row.items()} for row in rows]
    assert read[-1]["quote"] == AWKWARD_QUOTE  # comma, quotes, CRLF, separator intact


def test_jsonl_is_one_object_per_line(quotes: Quotes) -> None:
    rows = quote_rows(quotes.store)
    handle = io.StringIO()
    write_quotes_jsonl(rows, handle)
    text = handle.getvalue()
    assert text.endswith("\n")
    lines = text.splitlines()  # splits at \u2028 too: that one must be escaped
    assert len(lines) == len(rows) == 5
    assert [json.loads(line) for line in lines] == rows
    assert all(list(json.loads(line)) == list(COLUMNS) for line in lines)
    assert "“else”" in text and "😀" in text  # readable, not \u-escaped
    assert "\\u2028" in text


def test_no_quotes_gives_a_header_only(open_store: OpenStore, tmp_path: Path) -> None:
    store = open_store(tmp_path / "empty.db")
    assert quote_rows(store) == []
    handle = io.StringIO(newline="")
    write_quotes_csv([], handle)
    assert handle.getvalue() == ",".join(COLUMNS) + "\r\n"
    handle = io.StringIO()
    write_quotes_jsonl([], handle)
    assert handle.getvalue() == ""
