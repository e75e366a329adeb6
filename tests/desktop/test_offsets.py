"""PositionMap against what Qt really does with a text in a QPlainTextEdit.

Qt counts UTF-16 units and turns CRLF, lone CR and LF into one paragraph separator (U+2029);
Spanwise stores code points into the text exactly as imported. Every offset must land on the
same character in both.
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit
from pytestqt.qtbot import QtBot

from desktop.document.offsets import PositionMap

PARAGRAPH = "\u2029"

TEXTS = {
    "ascii": "Plain words, nothing more.",
    "emoji": "Hi 😀 there 🇺🇦 and 𝕏 ok 🎉",
    "combining": "cafe\u0301 and re\u0301sume\u0301, n\u0303",
    "crlf": "First line\r\nsecond 😀 line\r\n\r\nlast\r\n",
    "lone-cr": "old\rmac\r\rstyle",
    "lf": "unix\nlines\n\n",
    "mixed-breaks": "a\r\nb\rc\nd\r\r\ne\n\rf",
    "tabs": "col1\tcol2\t\tcol3",
    "hebrew": "הוא אמר: ״שלום״ 😀",
    "arabic": "قال الرئيس «مرحبا» اليوم\r\nوغدا",
    "zwj": "family 👨\u200d👩\u200d👧\u200d👦 and 🏳\ufe0f\u200d🌈 flags",
    "nbsp": "10\u00a0000 people,\u00a0today\u202f!",
    "separators": "line\u2028break and\u2029paragraph\u2028😀",
    "everything": "Z said\u00a0“e\u0301\U0001f600”\r\n\tעברית\rعربي\u2028👩\u200d💻\u2029end",
}


def _qt_form(text: str) -> str:
    """The text as Qt's document holds it: every kind of line break a paragraph separator."""
    return text.replace("\r\n", PARAGRAPH).replace("\r", PARAGRAPH).replace("\n", PARAGRAPH)


def _inside_crlf(text: str, offset: int) -> bool:
    """True for the offset between a CR and its LF, which Qt has no position for."""
    return 0 < offset < len(text) and text[offset - 1 : offset + 1] == "\r\n"


def _qt_char(ch: str) -> str:
    return PARAGRAPH if ch in "\r\n" else ch


def _units(text: str) -> bytes:
    return text.encode("utf-16-le", "surrogatepass")


@pytest.fixture
def editor(qtbot: QtBot) -> QPlainTextEdit:
    widget = QPlainTextEdit()
    qtbot.addWidget(widget)
    return widget


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_every_offset_lands_on_the_same_character(editor: QPlainTextEdit, text: str) -> None:
    editor.setPlainText(text)
    document = editor.document()
    raw = document.toRawText()
    assert raw == _qt_form(text)
    qt_units = _units(raw)
    mapping = PositionMap(text)

    assert mapping.qt_length == document.characterCount() - 1
    assert mapping.qt_length == len(qt_units) // 2
    assert mapping.to_qt(0) == 0
    assert mapping.to_qt(len(text)) == mapping.qt_length

    for offset, ch in enumerate(text):
        if _inside_crlf(text, offset):
            # The LF of a CRLF shares the CR's paragraph separator: it maps past it.
            assert mapping.to_qt(offset) == mapping.to_qt(offset - 1) + 1
            assert mapping.to_qt(offset) == mapping.to_qt(offset + 1)
            continue
        position = mapping.to_qt(offset)
        expected = _units(_qt_char(ch))
        actual = qt_units[2 * position : 2 * position + len(expected)]
        assert actual == expected, f"offset {offset} ({ch!r}) -> Qt position {position}"
        if len(expected) == 2:  # a BMP character: Qt's own view of the position agrees
            assert document.characterAt(position) == _qt_char(ch)
        assert mapping.to_offset(position) == offset

    assert mapping.to_offset(mapping.qt_length) == len(text)


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_selection_from_mapped_offsets_selects_the_span(editor: QPlainTextEdit, text: str) -> None:
    editor.setPlainText(text)
    mapping = PositionMap(text)
    cursor = QTextCursor(editor.document())
    starts = [i for i in range(len(text)) if not _inside_crlf(text, i)]
    for start in starts:
        for end in range(start + 1, len(text) + 1):
            cursor.setPosition(mapping.to_qt(start))
            cursor.setPosition(mapping.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
            assert cursor.selectedText() == _qt_form(text[start:end]), (start, end)


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_qt_selection_maps_back_to_the_span(editor: QPlainTextEdit, text: str) -> None:
    """What the user selects in the editor becomes offsets that slice the same text."""
    editor.setPlainText(text)
    mapping = PositionMap(text)
    cursor = QTextCursor(editor.document())
    anchors = [mapping.to_qt(i) for i in range(len(text)) if not _inside_crlf(text, i)]
    for anchor in anchors:
        cursor.setPosition(anchor)
        cursor.movePosition(
            QTextCursor.MoveOperation.NextCharacter, QTextCursor.MoveMode.KeepAnchor
        )
        start = mapping.to_offset(cursor.selectionStart())
        end = mapping.to_offset(cursor.selectionEnd())
        assert _qt_form(text[start:end]) == cursor.selectedText(), anchor


def test_leading_byte_order_mark(editor: QPlainTextEdit) -> None:
    text = "\ufeffZelensky said: “no”.\r\nEnd"
    editor.setPlainText(text)
    mapping = PositionMap(text)
    assert mapping.qt_length == editor.document().characterCount() - 1
    cursor = QTextCursor(editor.document())
    start, end = text.index("Zelensky"), text.index(" said")
    cursor.setPosition(mapping.to_qt(start))
    cursor.setPosition(mapping.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
    assert cursor.selectedText() == "Zelensky"


def test_position_inside_a_surrogate_pair_falls_back_to_the_character() -> None:
    text = "a😀b"
    mapping = PositionMap(text)
    assert [mapping.to_qt(i) for i in range(4)] == [0, 1, 3, 4]
    assert mapping.to_offset(2) == 1  # between the two halves of the emoji
    assert mapping.to_offset(3) == 2


def test_out_of_range_values_are_clamped() -> None:
    text = "x\r\ny😀"
    mapping = PositionMap(text)
    assert mapping.qt_length == 5
    assert mapping.to_qt(-3) == 0
    assert mapping.to_qt(99) == mapping.qt_length
    assert mapping.to_offset(-1) == 0
    assert mapping.to_offset(99) == len(text)


def test_empty_text() -> None:
    mapping = PositionMap("")
    assert mapping.qt_length == 0
    assert mapping.to_qt(0) == 0
    assert mapping.to_offset(0) == 0


def test_long_text_with_many_shifts() -> None:
    line = "Zelensky said 😀 “yes”.\r\n"
    text = line * 20_000
    mapping = PositionMap(text)
    per_line = len(line)
    qt_per_line = len(_units(_qt_form(line))) // 2
    assert mapping.qt_length == qt_per_line * 20_000
    for n in (0, 1, 9_999, 19_999):
        assert mapping.to_qt(n * per_line) == n * qt_per_line
        assert mapping.to_offset(n * qt_per_line) == n * per_line
