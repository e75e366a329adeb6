"""Turning a rough selection into a clean span: whole words, no surrounding white space.

Pure functions on code-point offsets, so the GUI and the tests share them.
"""

from __future__ import annotations

import unicodedata

_JOINERS = {"'", "’", "-", "‐", "\u00ad"}  # inside words: can’t, Kovalenko's, well-known
_ZWJ = "\u200d"


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_" or unicodedata.category(ch)[0] == "M"


def _is_continuation(text: str, index: int) -> bool:
    """True where `index` is inside a grapheme: before a combining mark, around a ZWJ,
    before a variation selector or an emoji skin-tone modifier."""
    if index <= 0 or index >= len(text):
        return False
    ch, prev = text[index], text[index - 1]
    return (
        unicodedata.category(ch) in ("Mn", "Mc", "Me")
        or ch == _ZWJ
        or prev == _ZWJ
        or "\ufe00" <= ch <= "\ufe0f"
        or "\U0001f3fb" <= ch <= "\U0001f3ff"
    )


def _inside_word(text: str, index: int) -> bool:
    """True where `index` splits a word in two."""
    if index <= 0 or index >= len(text):
        return False
    before, after = text[index - 1], text[index]
    if _is_word_char(before) and _is_word_char(after):
        return True
    if before in _JOINERS and _is_word_char(after) and index >= 2:
        return _is_word_char(text[index - 2])
    if after in _JOINERS and _is_word_char(before) and index + 1 < len(text):
        return _is_word_char(text[index + 1])
    return False


def snap_span(text: str, start: int, end: int, whole_words: bool = True) -> tuple[int, int]:
    """Widen to whole words (unless `whole_words` is False), keep graphemes whole, and trim
    white space at both ends. Returns (start, start) when nothing but white space is left."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    while _is_continuation(text, start):
        start -= 1
    while _is_continuation(text, end):
        end += 1
    if whole_words and start < end:
        while _inside_word(text, start):
            start -= 1
        while _inside_word(text, end):
            end += 1
    return strip_span(text, start, end)


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """text[start:end] without white space at either end, as offsets (equal when nothing
    else is there): .strip() without copying the stretch."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def word_at(text: str, index: int) -> tuple[int, int]:
    """The word around a position (for keyboard labelling with no selection)."""
    if not text:
        return 0, 0
    index = max(0, min(index, len(text) - 1))
    if not _is_word_char(text[index]) and index > 0 and _is_word_char(text[index - 1]):
        index -= 1
    if not _is_word_char(text[index]):
        return index, index
    return snap_span(text, index, index + 1)
