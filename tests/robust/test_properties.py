"""Properties over generated data (hypothesis):

- desktop/document/offsets.py PositionMap agrees with a real QTextDocument on every text:
  the Qt position of each code-point offset is where Qt puts that character, and back again.
- export -> import into an empty database -> export gives the same file (but `exported_at`),
  and importing an export into the database it came from changes nothing.

`make fuzz` runs more examples (SPANWISE_FUZZ_INPUTS).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication

from db.changes import Change, added
from db.files.text_files import TextFile
from db.formats.spanwise_json import export_json, import_export, parse_export_bytes
from db.records import EntityData, RelationData
from db.store import Store, new_id
from desktop.document.offsets import PositionMap

INPUTS = int(os.environ.get("SPANWISE_FUZZ_INPUTS", "300"))


def _settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,  # nothing written into the work tree
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


# Characters whose length or meaning differs between Python, UTF-16 and Qt's document.
TRICKY = [
    "a",
    "Z",
    " ",
    "\t",
    "\r",
    "\n",
    "\r\n",
    "\u2028",
    "\u2029",
    "\x85",
    "\x0b",
    "\x0c",
    "\u00a0",
    "\u200b",
    "\u200d",
    "\ufeff",
    "e\u0301",
    "😀",
    "👩\u200d👩\u200d👧",
    "🇺🇦",
    "𝕏",
    "\U0010fffd",
    "ש",
    "م",
    "\u202e",
    "é",
    "한",
    "\ufffd",
]
texts = st.lists(st.sampled_from(TRICKY), min_size=0, max_size=30).map("".join)


def _qt_length(document: QTextDocument, text: str) -> int:
    document.setPlainText(text)
    return document.characterCount() - 1  # Qt counts a final paragraph break


def _first_utf16_unit(ch: str) -> str:
    code = ord(ch)
    return ch if code < 0x10000 else chr(0xD800 + ((code - 0x10000) >> 10))


@_settings(max(100, INPUTS // 2))
@given(text=texts)
def test_position_map_agrees_with_qt_on_every_offset(qapp: QApplication, text: str) -> None:
    document = QTextDocument()
    positions = PositionMap(text)
    assert positions.qt_length == _qt_length(document, text)
    for offset in range(len(text) + 1):
        # Where Qt puts an offset: the length of the text before it, as Qt counts it.
        assert positions.to_qt(offset) == _qt_length(document, text[:offset]), offset
    document.setPlainText(text)
    for offset, ch in enumerate(text):
        qt = positions.to_qt(offset)
        if ch not in "\r\n\u2029" and not (offset == 0 and ch == "\ufeff"):
            assert document.characterAt(qt) == _first_utf16_unit(ch), offset
        between_cr_and_lf = ch == "\n" and offset > 0 and text[offset - 1] == "\r"
        leading_bom = offset == 0 and ch == "\ufeff"
        if not (between_cr_and_lf or leading_bom):
            assert positions.to_offset(qt) == offset
        if ord(ch) >= 0x10000:  # inside the surrogate pair: back to the character's start
            assert positions.to_offset(qt + 1) == offset
    previous = 0
    for qt in range(positions.qt_length + 1):
        offset = positions.to_offset(qt)
        assert previous <= offset and positions.to_qt(offset) <= qt
        previous = offset


# -- export -> import -> export ----------------------------------------------------------------


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("empty") / "empty.db"
    Store(path).close()
    return path


class Databases:
    """Fresh copies of an empty database (migrations run once, not per example)."""

    def __init__(self, template: Path, folder: Path) -> None:
        self.template = template
        self.folder = folder
        self.stores: list[Store] = []

    def fresh(self) -> Store:
        path = self.folder / f"db-{len(self.stores)}.db"
        shutil.copyfile(self.template, path)
        store = Store(path)
        self.stores.append(store)
        return store

    def close(self) -> None:
        for store in self.stores:
            store.close()


@pytest.fixture
def databases(empty_db: Path, tmp_path: Path) -> Iterator[Databases]:
    made = Databases(empty_db, tmp_path)
    yield made
    made.close()


ATTRIBUTES = {"Quote": ("kind", ["direct", "indirect", "mixed"]), "Event": ("type", ["attack"])}
LABELS = ["Quote", "Speaker", "Cue", "Event", "Participant", "Time", "Place"]
notes = st.one_of(st.none(), st.lists(st.sampled_from(TRICKY), max_size=5).map("".join))


@st.composite
def annotated_document(draw: st.DrawFn) -> dict[str, Any]:
    text = draw(st.lists(st.sampled_from(TRICKY), min_size=1, max_size=40).map("".join))
    spans = []
    for _ in range(draw(st.integers(0, 8))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        label = draw(st.sampled_from(LABELS))
        fragments: tuple[tuple[int, int], ...] = ()
        if end - start >= 3 and draw(st.booleans()):
            cut = draw(st.integers(start + 1, end - 2))
            fragments = ((start, cut), (cut + 1, end))
        attributes = {}
        if label in ATTRIBUTES and draw(st.booleans()):
            key, values = ATTRIBUTES[label]
            attributes[key] = draw(st.sampled_from(values))
        annotator = draw(st.sampled_from(["ana", "ben", "Zoë 😀"]))
        spans.append((annotator, label, start, end, fragments, attributes, draw(notes)))
    status = draw(st.sampled_from(["new", "in progress", "done"]))
    return {"text": text, "spans": spans, "status": status}


def _fill(store: Store, spec: dict[str, Any]) -> None:
    """Build the document the way the window does: text import, then edits as Changes."""
    store.import_batch([TextFile(Path("article.txt"), "Article", spec["text"])], [])
    [doc] = store.documents("ana")
    store.set_status(doc.id, "ana", spec["status"])
    made = []
    for annotator, label, start, end, fragments, attributes, note in spec["spans"]:
        record = store.add_annotation(
            doc.id, annotator, label, start, end, attributes, note, fragments
        )
        made.append(record)
    for source in made:  # link each Quote to a Speaker of its annotator, if there is one
        target = next(
            (t for t in made if t.label == "Speaker" and t.annotator == source.annotator), None
        )
        if source.label == "Quote" and target is not None:
            link = RelationData(new_id(), doc.id, source.annotator, "speaker", source.id, target.id)
            store.apply(Change("Link", relations=(added(link),)))
    for annotator in {r.annotator for r in made}:
        mentions = tuple(
            r.id for r in made if r.annotator == annotator and r.label in ("Speaker", "Participant")
        )
        if mentions:
            entity = EntityData(new_id(), doc.id, annotator, "Someone ✓", "person", mentions)
            store.apply(Change("Entity", entities=(added(entity),)))


def _exported(store: Store) -> dict[str, Any]:
    data = export_json(store)
    del data["exported_at"]
    return data


def _through_a_file(data: dict[str, Any]) -> dict[str, Any]:
    return parse_export_bytes(json.dumps(data, ensure_ascii=False).encode(), "export.json")


@_settings(max(15, INPUTS // 20))
@given(spec=annotated_document())
def test_export_import_export_gives_the_same_file(
    databases: Databases, spec: dict[str, Any]
) -> None:
    first = databases.fresh()
    _fill(first, spec)
    exported = export_json(first)
    for document in exported["documents"]:
        for item in document["annotations"]:
            assert document["text"][item["start"] : item["end"]] == item["text"]
    second = databases.fresh()
    summary = import_export(second, _through_a_file(exported), "export.json")
    assert summary.documents_new == 1
    assert _exported(second) == _exported(first)
    again = import_export(first, _through_a_file(exported), "export.json")
    assert again.annotations_added == again.annotations_conflicting == 0
    assert again.links_added == again.entities_added == again.other_conflicting == 0
    assert _exported(first) == {k: v for k, v in exported.items() if k != "exported_at"}
