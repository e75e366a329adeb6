"""The HTML agreement report (db/agreement/report.py): self-contained, escaped, with charts."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from db.agreement.measure import agreement
from db.agreement.report import bars_svg, confusion_svg, render_report
from db.files.text_files import text_sha256
from db.records import AnnotationData, DocumentData, ExportedDocument
from db.store import Store
from tests.db.conftest import OpenStore

BOLD = "<b>Quote</b>"
TEXT = "Alice said that Bob left the city at night."


class Elements(HTMLParser):
    """Every start tag and its attributes, to look at the report as a browser would."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def annotation(key: str, who: str, label: str, start: int, end: int) -> AnnotationData:
    stamp = "2026-11-26T00:00:00.000Z"
    return AnnotationData(key, "", who, label, start, end, {}, None, stamp, stamp)


def hostile_store(open_store: OpenStore, tmp_path: Path) -> Store:
    """Labels, annotator names and a title that are also HTML."""
    schema = {
        "name": "hostile",
        "labels": [
            {"name": BOLD, "colour": "#f4b400"},
            {"name": "Speaker & Co", "colour": "#4285f4"},
        ],
    }
    store = open_store(tmp_path / "hostile.db", json.dumps(schema))
    bob = (TEXT.index("Bob left"), TEXT.index("Bob left") + 8)
    spans = [
        annotation("1", "<b>ana</b>", BOLD, *bob),
        annotation("2", "<b>ana</b>", "Speaker & Co", 0, 5),
        annotation("3", "ben", BOLD, bob[0], bob[1] + 9),
        annotation("4", "ben", BOLD, 0, 5),
    ]
    document = DocumentData(
        "", "<script>alert('title')</script> & friends", "t.txt", TEXT, text_sha256(TEXT),
        "2026-11-26T00:00:00.000Z",
    )  # fmt: skip
    exported = ExportedDocument(document, {"<b>ana</b>": "done", "ben": "done"}, spans)
    store.import_batch([], [(store.schema(), [exported])])
    return store


@pytest.fixture
def report(open_store: OpenStore, tmp_path: Path) -> str:
    store = hostile_store(open_store, tmp_path)
    return render_report(agreement(store, ["<b>ana</b>", "ben"]))


def test_user_text_is_escaped_everywhere(report: str) -> None:
    assert "<b>" not in report
    assert "<script" not in report
    assert "&lt;b&gt;ana&lt;/b&gt;" in report
    assert "&lt;b&gt;Quote&lt;/b&gt;" in report
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt; &amp; friends" in report
    assert "Speaker &amp; Co" in report
    parser = Elements()
    parser.feed(report)
    assert "b" not in {tag for tag, _ in parser.tags}
    shown = "".join(parser.text)
    assert "<b>ana</b>" in shown  # a browser shows the names as typed
    assert "<script>alert('title')</script> & friends" in shown


def test_report_is_self_contained(report: str) -> None:
    parser = Elements()
    parser.feed(report)
    tags = {tag for tag, _ in parser.tags}
    assert "script" not in tags
    assert not {"img", "link", "iframe", "object"} & tags
    for _tag, attributes in parser.tags:
        assert "src" not in attributes
        assert "href" not in attributes
    # The only URL is the SVG namespace name, which is never fetched.
    assert set(re.findall(r"https?://[^\"' ]+", report)) == {"http://www.w3.org/2000/svg"}
    assert report.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in report


def test_report_has_the_table_the_bars_and_the_heat_map(report: str) -> None:
    parser = Elements()
    parser.feed(report)
    assert [tag for tag, _ in parser.tags].count("svg") == 2
    shown = "".join(parser.text)
    # The per-label table: ana's Quote and ben's first one overlap; ben's second does not.
    assert "overall" in shown
    assert "0.667" in shown  # overlap F1 of Quote: 2 * 1 / (1 + 2)
    # The heat map: ana's Speaker span is ben's Quote span "Alice".
    assert "Speaker &amp; Co / &lt;b&gt;Quote&lt;/b&gt;: 1" in report
    assert "exact F1" in shown and "alpha_U" in shown
    assert "Token alpha (one variable per token, its label or none, over " in shown


def test_charts_on_their_own_are_svg(open_store: OpenStore, tmp_path: Path) -> None:
    result = agreement(hostile_store(open_store, tmp_path), ["<b>ana</b>", "ben"])
    for svg in (bars_svg(result), confusion_svg(result)):
        assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
        assert svg.endswith("</svg>")
        assert "<b>" not in svg


def test_undefined_measures_show_as_a_dash(store: Store) -> None:
    stamp = "2026-11-26T00:00:00.000Z"
    document = DocumentData("", "Empty", "e.txt", TEXT, text_sha256(TEXT), stamp)
    store.import_batch(
        [], [(store.schema(), [ExportedDocument(document, {"ana": "done", "ben": "done"}, [])])]
    )
    html = render_report(agreement(store, ["ana", "ben"]))
    assert "<td>—</td>" in html
    assert "nan" not in html.lower()
