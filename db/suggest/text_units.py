"""Paragraphs, sentences and word tokens of an article, as code-point spans of its text.

Nothing is normalised: CRLF, combining marks and emoji stay as they are, and every span
indexes the original string. Sentences are split only where a quotation cannot be running
(see `Sentences`), so "“It is over.” She left." splits but "“It is over,” she said." does not.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from db.suggest.words import words
from db.text.spans import strip_span

# Combining marks continue a word (Zoe + U+0308 is one word, as it is one letter on screen).
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_WORD = rf"[^\W\d_][\w{_MARKS}]*(?:[’'\-\u2011][\w{_MARKS}]+)*"
TITLE_ABBREVIATIONS = tuple(
    sorted(
        words("Dr Mr Mrs Ms Mx Prof Gen Sen Rep Gov Lt Col Sgt Capt Cpl Adm Rev Jr Sr St Mt Pres")
    )
)
TOKEN = re.compile(
    r"(?:[A-Za-z]\.){2,}"  # U.S., a.m.
    r"|(?:" + "|".join(TITLE_ABBREVIATIONS) + r")\.(?=\s)"
    r"|" + _WORD + r"|\d[\d.,:]*\d|\d|\S"
)
LINE = re.compile(r"[^\r\n]+")
MAX_SENTENCE = 1500  # code points; news sentences stay under 600
OPENING_MARKS = "“„«»‘‚‹›\"'"
CLOSING_MARKS = "”“»«’‘›‹\"'"
_END = re.compile(r"[.!?…]+[”\"’»“‘›)\]]*")
_ABBREVIATIONS = words(
    " ".join(TITLE_ABBREVIATIONS).lower()
    + " jan feb mar apr jun jul aug sep sept oct nov dec no nos vs etc inc ltd co corp approx "
    "est fig vol pp cf"
)


@dataclass(slots=True)
class Token:
    """A word, number or punctuation mark, with what the rules ask of it most kept ready."""

    start: int
    end: int
    text: str
    lower: str
    is_word: bool
    is_capitalised: bool


def tokens(text: str, start: int, end: int) -> list[Token]:
    """Word, number and punctuation tokens of text[start:end].

    Only white space lies between tokens (any other character is one), so each token is the
    first occurrence of its text after the previous one: findall and find are faster than
    match objects, and this is the suggester's most frequent work."""
    found: list[Token] = []
    append = found.append
    find = text.find
    position = start
    for word in TOKEN.findall(text, start, end):
        position = find(word, position)
        after = position + len(word)
        initial = word[0]
        lower = word.lower()
        if lower == word:
            lower = word  # one string, not two, to make and to free
        append(Token(position, after, word, lower, initial.isalpha(), initial.isupper()))
        position = after
    return found


def lines(text: str) -> list[tuple[int, int]]:
    """Non-blank lines (paragraphs in an article), without their line breaks."""
    result = []
    for match in LINE.finditer(text):
        start, end = strip_span(text, *match.span())
        if start < end:
            result.append((start, end))
    return result


def sentence_ends(
    text: str, start: int, end: int, protected: Sequence[tuple[int, int]]
) -> list[int]:
    """Where sentences of the line text[start:end] end (exclusive offsets, the last = end).

    `protected` are quotations (open mark, close mark) in the line: a full stop inside one
    ends a sentence only when the quotation closes right after it and the next word starts
    with a capital ("“It is over.” She left."), never before ", she said".
    """
    ends = []
    for match in _END.finditer(text, start, end):
        stop, after = match.start(), match.end()
        inside = _inside(protected, stop) if protected else None
        if inside is not None and after <= inside[1]:
            continue  # within a quotation that goes on
        following = after
        while following < end and text[following] in " \t\u00a0\u202f":
            following += 1
        if following < end:
            if following == after:
                continue  # "1.4", "U.S.": no space after the stop
            nxt = text[following]
            if not (nxt.isupper() or nxt.isdigit() or nxt in OPENING_MARKS or nxt in "–—"):
                continue
        nxt = text[following : following + 1]
        if text[stop] == "." and _is_abbreviation(text, start, stop, nxt):
            continue
        ends.append(after)
    if not ends or ends[-1] != end:
        ends.append(end)
    return ends


def _inside(protected: Sequence[tuple[int, int]], position: int) -> tuple[int, int] | None:
    index = bisect_right(protected, (position, 1 << 62)) - 1
    if index >= 0 and protected[index][0] < position < protected[index][1]:
        return protected[index]
    return None


def _is_abbreviation(text: str, line_start: int, stop: int, following: str) -> bool:
    """A stop after "Dr", "Dec", "U.S" or an initial before a name ("J. Smith") does not end
    a sentence ("… on X. «We …" does)."""
    begin = stop
    while begin > line_start and (text[begin - 1].isalpha() or text[begin - 1] == "."):
        begin -= 1
    word = text[begin:stop]
    if not word:
        return False
    if "." in word or (len(word) == 1 and word.isupper()):
        return following.isupper()
    return word.lower() in _ABBREVIATIONS


class Sentences:
    """All sentences of a text, found line by line, with a fast lookup by position."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = spans
        self._starts = [s for s, _ in spans]

    def index_at(self, position: int) -> int | None:
        """The index of the unit holding this position, or None between units."""
        index = bisect_right(self._starts, position) - 1
        if index >= 0 and position < self.spans[index][1]:
            return index
        return None

    def at(self, position: int) -> tuple[int, int] | None:
        """The (start, end) of the unit holding this position, or None."""
        index = self.index_at(position)
        return None if index is None else self.spans[index]


def split_sentences(
    text: str, line_spans: Sequence[tuple[int, int]], protected: Sequence[tuple[int, int]]
) -> Sentences:
    """Sentences of every line; `protected` (sorted) are the quotations' pieces in each line."""
    spans = []
    starts = [p[0] for p in protected]
    for line_start, line_end in line_spans:
        local = protected[bisect_right(starts, line_start - 1) : bisect_right(starts, line_end)]
        begin = line_start
        for stop in sentence_ends(text, line_start, line_end, local):
            while begin < stop and text[begin].isspace():
                begin += 1
            if begin < stop:
                spans.extend(_capped(text, begin, stop))
            begin = stop
    return Sentences(spans)


def _capped(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A sentence, or if it is longer than any news sentence (a text without full stops),
    pieces of at most MAX_SENTENCE code points cut at white space: the rules read a
    sentence back and forth, so no sentence may hold a whole book."""
    pieces = []
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + 1, start + MAX_SENTENCE)
        if cut < 0:
            cut = start + MAX_SENTENCE
        pieces.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        pieces.append((start, end))
    return pieces
