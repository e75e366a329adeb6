"""Finding quotations by their marks: “…”, "…", «…», »…«, „…“, ‘…’, '…', ‹…›, and quotes nested
in them, and quotations that run over paragraphs (the opening mark repeated at each paragraph,
the closing mark only at the end).

One pass over the marks with a stack, line by line. An apostrophe (’ or ') inside a word is
never a mark, so "Ukraine’s" and "don't" cannot close a quotation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from db.text.spans import strip_span

MARK = re.compile(r"[\"'“”„«»‘’‚‹›]")
# What can close a quotation opened by each mark.
CLOSERS = {
    "“": "”",
    "„": "“”",
    "«": "»",
    "»": "«",
    "‘": "’",
    "‚": "‘’",
    "‹": "›",
    "›": "‹",
    '"': '"',
    "'": "'",
}
# The openers each mark can close.
_CLOSES = {
    mark: tuple(opener for opener, closers in CLOSERS.items() if mark in closers)
    for mark in set("".join(CLOSERS.values()))
}
# Marks that may start a paragraph continuing a quotation opened by the key.
CONTINUERS = {"“": "“", "„": "„", "«": "«»", "»": "»", '"': '"', "‘": "‘", "'": "'"}
_APOSTROPHES = "’'"
_BEFORE_OPENING = " \t\u00a0\u202f([{–—-:/“„«»‘‚‹›\"'"


@dataclass(frozen=True)
class Quotation:
    """A top-level quotation: one piece per paragraph it runs over.

    `pieces` are (opening mark, closing mark or the paragraph's end where it goes on);
    `nested` are the closed quotations inside it, as (opening mark, closing mark).
    """

    opener: str
    pieces: tuple[tuple[int, int], ...]
    closed: bool
    nested: tuple[tuple[int, int], ...] = ()

    @property
    def open(self) -> int:
        """Where the quote opens (its first piece's start)."""
        return self.pieces[0][0]

    @property
    def close(self) -> int:
        """The closing mark's offset (the quotation ends after it)."""
        return self.pieces[-1][1]

    @property
    def multi_paragraph(self) -> bool:
        """Whether the quote runs over more than one paragraph."""
        return len(self.pieces) > 1

    def contents(self, text: str) -> list[tuple[int, int]]:
        """The words inside the marks, one span per paragraph, white space trimmed."""
        spans = []
        for mark, end in self.pieces:
            start, stop = strip_span(text, mark + 1, end)
            if start < stop:
                spans.append((start, stop))
        return spans


@dataclass
class _Open:
    opener: str
    position: int
    pieces: list[tuple[int, int]] = field(default_factory=list)
    nested: list[tuple[int, int]] = field(default_factory=list)


def find_quotations(text: str, line_spans: list[tuple[int, int]]) -> list[Quotation]:
    """Every closed top-level quotation, in text order."""
    found: list[Quotation] = []
    carry: _Open | None = None
    for line_start, line_end in line_spans:
        stack: list[_Open] = []
        levels: dict[str, list[int]] = {}  # opener -> its stack levels, innermost last
        skip = -1
        if carry is not None and text[line_start] in CONTINUERS.get(carry.opener, ""):
            carry.position = line_start
            stack.append(carry)
            levels[carry.opener] = [0]
            skip = line_start
        elif carry is not None:
            found.extend(_promoted(text, carry))
        carry = None
        for match in MARK.finditer(text, line_start, line_end):
            position = match.start()
            if position == skip:
                continue
            mark = match.group()
            before = text[position - 1] if position > line_start else " "
            after = text[position + 1] if position + 1 < line_end else " "
            if mark in _APOSTROPHES and before.isalnum() and after.isalnum():
                continue  # an apostrophe inside a word
            if mark in _APOSTROPHES and _plural_possessive(text, position, line_end):
                continue  # "the drivers' union", when the quotation closes later
            level = _closing_level(levels, mark, before, after)
            if level is not None:
                closing = stack[level]
                for inner in reversed(stack[level:]):
                    levels[inner.opener].pop()
                del stack[level:]
                if level == 0:
                    pieces = (*closing.pieces, (closing.position, position))
                    found.append(Quotation(closing.opener, pieces, True, tuple(closing.nested)))
                else:
                    stack[0].nested.append((closing.position, position))
            elif mark in CLOSERS and _can_open(mark, before, after):
                levels.setdefault(mark, []).append(len(stack))
                stack.append(_Open(mark, position))
        if stack:
            carry = stack[0]
            carry.pieces.append((carry.position, line_end))
    if carry is not None:
        found.extend(_promoted(text, carry))
    found.sort(key=lambda q: q.open)
    return found


def _plural_possessive(text: str, position: int, line_end: int) -> bool:
    """A plural possessive ("drivers' union"): an s, the mark, a lower-case word, and the
    same mark again later in the paragraph."""
    return (
        position > 0
        and text[position - 1] in "sS"
        and text[position + 1 : position + 2] == " "
        and text[position + 2 : position + 3].islower()
        and text.find(text[position], position + 1, line_end) >= 0
    )


def _promoted(text: str, unclosed: _Open) -> list[Quotation]:
    """Quotations inside a mark that never closed (a stray ‘ or a typo) stand on their own."""
    return [Quotation(text[s], ((s, e),), True) for s, e in unclosed.nested]


def _closing_level(levels: dict[str, list[int]], mark: str, before: str, after: str) -> int | None:
    """The stack level this mark closes: the innermost quotation it can close (looked up by
    opener, so a paragraph of a thousand unclosed marks stays linear)."""
    # a single closing mark follows a word or punctuation, and no letter follows it
    single = mark in _APOSTROPHES or mark == "‘"
    if single and (before.isspace() or after.isalnum()):
        return None
    innermost = -1
    for opener in _CLOSES.get(mark, ()):
        held = levels.get(opener)
        if held and held[-1] > innermost:
            innermost = held[-1]
    return None if innermost < 0 else innermost


def _can_open(mark: str, before: str, after: str) -> bool:
    """An opening mark follows a space, a bracket or another mark, and precedes a word."""
    if after.isspace() and mark not in "«»‹›":
        return False  # guillemets may have a space inside: « Bonjour »
    if mark in "'‘‚" and after.isdigit():
        return False  # '90s
    return before in _BEFORE_OPENING or mark in "„«»‹›“"
