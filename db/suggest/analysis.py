"""One article prepared for the rules: its paragraphs, quotations, sentences and cues, with
the lookups the rules share (which sentence is here, is this inside a quotation)."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Container, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from db.suggest.lexicon import CueWord, Lexicon
from db.suggest.quotes import Quotation, find_quotations
from db.suggest.text_units import Token, lines, split_sentences, tokens

_SPACE = re.compile(r"\s")
_NONE: frozenset[int] = frozenset()
# a determiner or a possessive right before a cue word makes it a noun
_NOUN_BEFORE = re.compile(
    r"(?:\b(?:[Tt]he|an?|An?|[Hh]is|[Hh]er|[Ii]ts|[Tt]heir|[Oo]ur|[Tt]his|[Tt]hat|[Nn]o)"
    r"|\w[’']s)[^\S\r\n]+(?:\d[\d,.]*[^\S\r\n]+)?$"
)
_SENTENCE_OPENERS = " \t\u00a0\u202f“„«»‘‚‹›\"'(–—-:"


@dataclass(slots=True)
class Cue:
    """A reporting verb or phrase found outside quotations (never changed once found)."""

    start: int
    end: int
    word: CueWord

    @property
    def rule(self) -> str:
        """The rule that found the cue, for the suggestion's origin."""
        if self.word.phrase is not None:
            return f"cue:phrase-{self.word.phrase.kind}"
        return "cue:verb"

    @property
    def is_verb(self) -> bool:
        """Whether the cue is a verb of speech (not a phrase or a noun)."""
        return self.word.verb is not None or (
            self.word.phrase is not None and self.word.phrase.kind == "verb"
        )


class Analysis:
    """Everything the rules read about one text, computed once (linear in its length)."""

    def __init__(self, text: str, lexicon: Lexicon) -> None:
        self.text = text
        self.lexicon = lexicon
        self.lines = lines(text)
        self.line_starts = [s for s, _ in self.lines]
        self.quotations = find_quotations(text, self.lines)
        self.quotation_opens = [q.open for q in self.quotations]
        # every piece of every quotation, per line: (opening mark, closing mark or line end)
        self.pieces = sorted(p for q in self.quotations for p in q.pieces)
        self.outside = _outside(self.pieces, len(text))
        self.sentences = split_sentences(text, self.lines, self.pieces)
        self._tokens: dict[int, tuple[list[Token], int]] = {}
        self._cue_indices: dict[int, set[int]] = {}
        self.cues = self._find_cues()
        self.cue_starts = [c.start for c in self.cues]
        self.cue_at = {c.start: c for c in self.cues}
        self.cue_ending = {c.end: c for c in self.cues}  # cues never overlap

    # -- lookups ------------------------------------------------------------------------------

    def untaken_quotations(self, taken: Container[int]) -> Iterator[tuple[int, Quotation, int]]:
        """(index, quotation, sentence it opens in) of the quotations not in `taken`, which
        is asked afresh at each step: a rule may take the next one as it goes."""
        for index, quotation in enumerate(self.quotations):
            if index in taken:
                continue
            sentence = self.sentences.index_at(quotation.open)
            if sentence is not None:
                yield index, quotation, sentence

    def line_index(self, position: int) -> int:
        """The index of the line holding this position."""
        return bisect_right(self.line_starts, position) - 1

    def sentence_tokens(self, index: int, upto: int | None = None) -> list[Token]:
        """The tokens of sentence `index` from its start to at least `upto` (to its end when
        None). Cached and grown on demand: a clause after its cue is never tokenised."""
        start, end = self.sentences.spans[index]
        stop = end if upto is None else min(end, upto)
        found, covered = self._tokens.get(index, ([], start))
        if covered < stop:
            space = _SPACE.search(self.text, stop, end)
            stop = end if space is None else space.start()
            first = len(found)
            found.extend(tokens(self.text, covered, stop))
            self._tokens[index] = (found, stop)
            # the cues among the new tokens only: a sentence read in many steps stays linear
            cues = self._cue_indices.setdefault(index, set())
            cues.update(self._cue_positions(found, first))
        return found

    def sentence_complete(self, index: int) -> bool:
        """Have the sentence's tokens been read to its end?"""
        entry = self._tokens.get(index)
        return entry is not None and entry[1] == self.sentences.spans[index][1]

    def cached_tokens(self, index: int) -> list[Token] | None:
        """The sentence's tokens as far as a rule has needed them already."""
        entry = self._tokens.get(index)
        return entry[0] if entry else None

    def sentence_cue_indices(self, index: int) -> AbstractSet[int]:
        """Token indices of the cues among the sentence's tokens read so far (it grows as
        they are read on)."""
        return self._cue_indices.get(index, _NONE)

    def cue_indices(self, tokens_: list[Token]) -> frozenset[int]:
        """Token indices of the cues among these tokens."""
        return frozenset(self._cue_positions(tokens_, 0))

    def _cue_positions(self, tokens_: list[Token], first: int) -> list[int]:
        """Indices of the tokens from `first` on that start a cue (one walk over both)."""
        if first >= len(tokens_):
            return []
        cues = self.cues_between(tokens_[first].start, tokens_[-1].end)
        found = []
        position = first
        count = len(tokens_)
        for cue in cues:
            while position < count and tokens_[position].start < cue.start:
                position += 1
            if position < count and tokens_[position].start == cue.start:
                found.append(position)
        return found

    def tokens_in(self, start: int, end: int) -> list[Token]:
        """Tokens of any stretch of text (not cached)."""
        space = _SPACE.search(self.text, end)
        return tokens(self.text, start, len(self.text) if space is None else space.start())

    def first_cue(self, start: int, end: int, accept: Callable[[Cue], bool]) -> Cue | None:
        """The first cue starting in [start, end) that `accept` takes."""
        cues = self.cues
        index = bisect_left(self.cue_starts, start)
        while index < len(cues) and cues[index].start < end:
            if accept(cues[index]):
                return cues[index]
            index += 1
        return None

    def last_cue(self, start: int, end: int, accept: Callable[[Cue], bool]) -> Cue | None:
        """The last cue starting in [start, end) that `accept` takes."""
        cues = self.cues
        index = bisect_left(self.cue_starts, end) - 1
        while index >= 0 and cues[index].start >= start:
            if accept(cues[index]):
                return cues[index]
            index -= 1
        return None

    def has_cue(self, start: int, end: int) -> bool:
        """Does a cue start in [start, end)?"""
        return bisect_left(self.cue_starts, start) < bisect_left(self.cue_starts, end)

    def cues_between(self, start: int, end: int) -> list[Cue]:
        """The cues starting inside [start, end)."""
        return self.cues[bisect_left(self.cue_starts, start) : bisect_left(self.cue_starts, end)]

    def quotations_between(self, start: int, end: int) -> list[int]:
        """Indices of quotations opening in [start, end)."""
        return list(
            range(bisect_left(self.quotation_opens, start), bisect_left(self.quotation_opens, end))
        )

    def quotations_overlapping(self, start: int, end: int) -> list[int]:
        """Indices of quotations sharing a character with [start, end)."""
        first = max(bisect_left(self.quotation_opens, start) - 1, 0)
        last = bisect_left(self.quotation_opens, end)
        return [
            i
            for i in range(first, last)
            if self.quotations[i].open < end and start <= self.quotations[i].close
        ]

    # -- cues ---------------------------------------------------------------------------------

    def outside_matches(self, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
        """The pattern's matches that start outside quotations, in text order: the same as
        scanning the whole text and dropping those inside, as no word runs into an opening
        mark (see quotes._can_open), without scanning the quotations."""
        text = self.text
        for start, end in self.outside:
            yield from pattern.finditer(text, start, end)

    def _find_cues(self) -> list[Cue]:
        found = []
        text = self.text
        words: dict[str, CueWord] = {}
        for match in self.outside_matches(self.lexicon.cue_pattern):
            start = match.start()
            matched = match.group()
            word = words.get(matched)
            if word is None:
                word = words[matched] = self.lexicon.cue(matched)
            if word.verb is not None and text[start].isupper() and not self._starts_sentence(start):
                continue  # "Kyiv Post", "Member States"
            if word.verb is not None and _NOUN_BEFORE.search(text, max(0, start - 20), start):
                continue  # "the report", "a statement", "the HUR’s report": nouns
            found.append(Cue(start, match.end(), word))
        return found

    def _starts_sentence(self, position: int) -> bool:
        before = position
        while before > 0 and self.text[before - 1] in _SENTENCE_OPENERS:
            before -= 1
        return before == 0 or self.text[before - 1] in "\r\n.!?…"


def _outside(pieces: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """The stretches of text between quotation pieces (a closing mark starts one)."""
    stretches = []
    previous = 0
    for opening, closing in pieces:
        if opening > previous:
            stretches.append((previous, opening))
        previous = closing
    if previous < length:
        stretches.append((previous, length))
    return stretches


def _start(token: Token) -> int:
    return token.start


def token_index(tokens_: list[Token], position: int) -> int | None:
    """The index of the token starting at `position`."""
    index = bisect_left(tokens_, position, key=_start)
    if index < len(tokens_) and tokens_[index].start == position:
        return index
    return None
