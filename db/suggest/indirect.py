"""Indirect and mixed quotes: a reporting verb with its content clause ("said that …", "told
reporters that …", "said the line would …"), "According to X, …" / "…, according to X.",
"…, the ministry said." and "The details, it said, would …"; a clause holding a quotation is a
mixed quote. A later attribution in the same sentence (", stating that …", ", and X said …")
ends the clause before it."""

from __future__ import annotations

import re

from db.suggest.analysis import Analysis, Cue, token_index
from db.suggest.direct import READ_AHEAD, after_cue, sentence_subject
from db.suggest.found import Found, Span, trimmed
from db.suggest.lexicon import Verb
from db.suggest.speakers import (
    DETERMINERS,
    FUNCTION_WORDS,
    PRONOUNS,
    Mention,
    noun_phrase_at,
    speaker_after,
    speaker_before,
)
from db.suggest.text_units import Token
from db.suggest.words import ADJUNCT_STARTS, BEFORE_THAT, NOT_SOURCES

COMPLEMENTISERS = frozenset(("that", "whether"))
# function words that can open a reported clause: "said at least 14 homes", "said there was"
_CLAUSE_OPENERS = frozenset(("at least", "more than", "there", "here", "only", "about", "nearly"))
_QUOTE_TOKENS = frozenset("“”„«»‘’‚‹›\"'")
# "STOCKHOLM — ", "BRIG, Switzerland — ", "OSLO - ": where an article's first sentence begins
_DATELINE = re.compile(r"[A-ZÀ-Ý][A-ZÀ-Ý .'’-]+(?:, [A-Z][\w .]+)?(?:\s+\([A-Za-z]+\))?\s+[—–-]\s+")
_SPACE = re.compile(r"\s")
_FIRST_LOOK = 30  # characters read after a cue at first; rules that need more read on


class _Sentence:
    """The tokens of the sentence a cue is in, and where the cue is among them."""

    def __init__(self, analysis: Analysis, index: int, cue: Cue) -> None:
        self.analysis = analysis
        self.index = index
        self.start, self.end = analysis.sentences.spans[index]
        self.tokens = analysis.sentence_tokens(index, cue.end + _FIRST_LOOK)
        self.complete = analysis.sentence_complete(index)
        self.cues = analysis.sentence_cue_indices(index)
        position = token_index(self.tokens, cue.start)
        self.cue_index = -1 if position is None else position
        self.after = -1 if position is None else after_cue(self.tokens, cue, position)
        self._subject: Mention | None = None
        self._subject_read = False

    def subject(self) -> Mention | None:
        """The speaker right before the cue (read once: the rules after the first ask again;
        reading further on cannot change it)."""
        if not self._subject_read:
            self._subject = speaker_before(
                self.tokens, self.cue_index, self.analysis.lexicon, self.cues
            )
            self._subject_read = True
        return self._subject

    def is_verb_cue(self, index: int) -> bool:
        cue = self.analysis.cue_at.get(self.tokens[index].start)
        return cue is not None and cue.is_verb

    def token(self, index: int) -> Token | None:
        if index >= len(self.tokens) and not self.complete:
            self.read_on(index)
        return self.tokens[index] if 0 <= index < len(self.tokens) else None

    def read_on(self, index: int) -> None:
        """Read further into the sentence, until token `index` or the sentence's end."""
        while index >= len(self.tokens) and not self.complete:
            last = self.tokens[-1].end if self.tokens else self.start
            self.tokens = self.analysis.sentence_tokens(self.index, last + READ_AHEAD)
            self.complete = self.analysis.sentence_complete(self.index)
            self.cues = self.analysis.sentence_cue_indices(self.index)


def _clause(analysis: Analysis, start: int, end: int) -> Span | None:
    dateline = _DATELINE.match(analysis.text, start, end)
    if dateline is not None:
        start = dateline.end()
    span = trimmed(analysis.text, start, end)
    if span is None or _SPACE.search(analysis.text, span[0], span[1]) is None:
        return None  # a single word (the span is trimmed: a space inside separates two)
    return span


def _complement(sentence: _Sentence, verb: Verb | None) -> int | None:
    """The token index where the clause after "that"/"whether" begins."""
    first = sentence.token(sentence.after)
    if first is None:
        return None
    opens_clause = first.lower in COMPLEMENTISERS or first.lower in BEFORE_THAT
    if not opens_clause and (verb is None or not verb.takes_object):
        return None
    for index in range(sentence.after, sentence.after + 12):
        token = sentence.token(index)
        if token is None:
            return None
        if token.lower in COMPLEMENTISERS:
            return index + 1 if sentence.token(index + 1) is not None else None
        if token.text in ".;:!?" or token.text in _QUOTE_TOKENS:
            return None
        if index in sentence.cues and sentence.is_verb_cue(index):
            return None  # another verb: its own "that" ("in a statement that" is fine)
    return None


def _zero_that(sentence: _Sentence) -> int | None:
    """The clause right after a verb like 'said' ("said the line would reopen")."""
    first = sentence.token(sentence.after)
    if first is None or not first.is_word or sentence.after in sentence.cues:
        return None
    low = first.lower
    if low in FUNCTION_WORDS and low not in PRONOUNS and low not in DETERMINERS:
        following = sentence.token(sentence.after + 1)
        pair = f"{low} {following.lower}" if following is not None else low
        if low not in _CLAUSE_OPENERS and pair not in _CLAUSE_OPENERS:
            return None
    sentence.read_on(sentence.after + 6)
    words = [t for t in sentence.tokens[sentence.after :] if t.is_word]
    if len(words) < 3:
        return None
    before = sentence.token(sentence.cue_index - 1)
    if before is not None and before.lower == "to":
        return None  # "wants to say something"
    return sentence.after


def _inherited_speaker(
    analysis: Analysis, sentence: _Sentence, latest: dict[int, Found]
) -> Mention | None:
    """The speaker of ", stating that", "and warned that": the sentence's earlier attribution."""
    previous = latest.get(sentence.index)
    if previous is not None and previous.speaker is not None:
        return previous.speaker.with_rule(previous.speaker.rule.split("-")[0] + "-coordinated")
    return sentence_subject(analysis, sentence.tokens, sentence.cue_index)


def _that_clause(
    analysis: Analysis, cue: Cue, sentence: _Sentence, latest: dict[int, Found]
) -> Found | None:
    speaker = sentence.subject()
    inherited = False
    if speaker is None:
        previous = sentence.token(sentence.cue_index - 1)
        coordinated = previous is not None and previous.lower in ("and", "but", ",")
        if not (cue.word.is_participle or coordinated):
            return None
        inherited = True
    begin = _complement(sentence, cue.word.verb)
    tokens = sentence.tokens
    rule = "indirect:that-clause"
    if inherited:
        if begin is None:
            return None
        speaker = _inherited_speaker(analysis, sentence, latest)
    verb = cue.word.verb
    if (
        begin is None
        and speaker is not None
        and verb
        and verb.zero_that
        and not (cue.word.is_participle)
    ):
        begin = _zero_that(sentence)
        rule = "indirect:zero-that"
    if begin is None or speaker is None:
        return None
    clause = _clause(analysis, tokens[begin].start, sentence.end)
    if clause is None:
        return None
    return Found("indirect", rule, [clause], cue, speaker, inherited=inherited)


def _tail_end(sentence: _Sentence, index: int) -> int | None:
    """After a postposed attribution: the index of the comma or end closing it, if only a
    few words (on Tuesday, told reporters) come before it."""
    sentence.read_on(index + 8)
    tokens = sentence.tokens
    for position in range(index, min(index + 8, len(tokens) + 1)):
        if position == len(tokens):
            return position if sentence.complete else None
        token = tokens[position]
        if token.text in ",.!?…;":
            return position
        if token.lower in COMPLEMENTISERS or token.text in _QUOTE_TOKENS:
            return None
        if position in sentence.cues:
            return None
    return None


def _postposed(analysis: Analysis, cue: Cue, sentence: _Sentence) -> Found | None:
    """A clause before its attribution: "…, the ministry said on Tuesday." / "…, said the
    ministry." / "The plan, it said, was …" (a parenthetical: the quote has two pieces)."""
    speaker = sentence.subject()
    first = (
        sentence.cue_index
        if speaker is None
        else token_index(sentence.tokens, speaker.phrase_start)
    )
    if first is None or first < 3 or sentence.tokens[first - 1].text != ",":
        return None  # no comma ends a clause before the attribution: nothing to read on for
    sentence.read_on(sentence.after + 16)
    tokens = sentence.tokens
    lexicon = analysis.lexicon
    verb = cue.word.verb
    if speaker is not None:
        tail = _tail_end(sentence, sentence.after)
        following = sentence.token(sentence.after)
        if (
            following is not None
            and following.is_word
            and following.lower not in BEFORE_THAT
            and not (verb is not None and verb.takes_object)
        ):
            return None  # "… reported problems": the verb has an object, not a quote
    else:
        speaker = speaker_after(tokens, sentence.after, lexicon, sentence.cues)
        tail = None
        if speaker is not None:
            last = token_index(tokens, speaker.start)
            assert last is not None
            tail = _tail_end(sentence, last + len(speaker.words))
    if speaker is None or tail is None:
        return None
    head = _clause(analysis, sentence.start, tokens[first - 1].start)
    if head is None or analysis.text[head[0]] in _QUOTE_TOKENS:
        return None
    if tail < len(tokens) and tokens[tail].text == ",":
        following = sentence.token(tail + 1)
        if following is not None and not (
            following.lower in ADJUNCT_STARTS or following.lower.endswith("ing")
        ):
            rest = _clause(analysis, following.start, sentence.end)
            if rest is None:
                return None
            return Found("indirect", "indirect:parenthetical", [head, rest], cue, speaker)
    return Found("indirect", "indirect:postposed", [head], cue, speaker)


def _according_to(analysis: Analysis, cue: Cue, sentence: _Sentence) -> Found | None:
    """ "According to X, …", "…, according to X." and "…, according to X, …"."""
    sentence.read_on(sentence.after + 16)
    tokens = sentence.tokens
    mention = noun_phrase_at(tokens, sentence.after, analysis.lexicon, None, sentence.cues)
    if mention is None or mention.head in NOT_SOURCES:
        return None
    speaker = mention
    speaker.rule = f"speaker:{mention.kind}-according-to"  # a fresh mention
    last = token_index(tokens, mention.start)
    assert last is not None
    stop = _end_of_source(sentence, last + len(mention.words))
    following = sentence.token(stop)
    leading = tokens[: sentence.cue_index]
    if all(t.lower in ("but", "and", "yet") for t in leading):
        if following is None or following.text != "," or stop + 1 >= len(tokens):
            return None
        clause = _clause(analysis, tokens[stop + 1].start, sentence.end)
        if clause is None:
            return None
        return Found("indirect", "indirect:according-to-initial", [clause], cue, speaker)
    comma = sentence.token(sentence.cue_index - 1)
    if comma is None or comma.text != ",":
        return None
    head = _clause(analysis, sentence.start, comma.start)
    if head is None:
        return None
    if following is None:
        if not sentence.complete:
            return None
        return Found("indirect", "indirect:according-to-final", [head], cue, speaker)
    if following.text in ".!?…":
        return Found("indirect", "indirect:according-to-final", [head], cue, speaker)
    after = sentence.token(stop + 1)
    if following.text == "," and after is not None:
        rest = _clause(analysis, after.start, sentence.end)
        if rest is not None:
            rule = "indirect:according-to-parenthetical"
            return Found("indirect", rule, [head, rest], cue, speaker)
    return None


def _end_of_source(sentence: _Sentence, index: int) -> int:
    """After "according to X": skip a phrase describing X ("of the Swiss institute") up to
    the comma or the sentence's end."""
    for position in range(index, index + 20):
        token = sentence.token(position)
        if token is None or token.text in ",.!?…;:" or token.text in _QUOTE_TOKENS:
            return position
        if position in sentence.cues and sentence.is_verb_cue(position):
            return index
    return index


def _cut_before_later_attributions(analysis: Analysis, found: list[Found]) -> list[Found]:
    """A clause ends where a later attribution of its sentence starts (", stating that",
    ", and the report’s author said"); an attribution inside a clause without such a break
    is reported speech within the quote, not a quote of its own."""
    kept: list[Found] = []
    for item in sorted(found, key=lambda f: f.spans[0][0]):
        if kept and kept[-1].start <= item.attribution_start < kept[-1].end:
            earlier = kept[-1]
            cut = _separator_before(analysis.text, earlier.spans[-1][0], item.attribution_start)
            if cut is None:
                continue
            piece = _clause(analysis, earlier.spans[-1][0], cut)
            if piece is None:
                continue
            earlier.spans[-1] = piece
        kept.append(item)
    return kept


def _separator_before(text: str, start: int, position: int) -> int | None:
    """Where ", " / ", and " / " and " ends the clause before `position`, if it does."""
    before = text[start:position].rstrip()
    for ending in (", and", ", but", " and", " but", ","):
        if before.endswith(ending):
            return start + len(before) - len(ending)
    return None


def _mark_mixed(analysis: Analysis, found: list[Found], taken: set[int]) -> None:
    """A clause holding a quotation is a mixed quote; the quotation is used up."""
    for item in found:
        for start, end in item.spans:
            for index in analysis.quotations_between(start, end):
                if index in taken:
                    continue
                quotation = analysis.quotations[index]
                if quotation.close >= end and quotation.close < item.spans[-1][1] + 3:
                    item.spans[-1] = (item.spans[-1][0], quotation.close + 1)
                item.kind = "mixed"
                taken.add(index)
                item.quotations = (*item.quotations, index)


def _overlaps(found: Found, taken: set[int], analysis: Analysis) -> bool:
    """Does the quote overlap a quotation another rule has used?"""
    for start, end in found.spans:
        for index in analysis.quotations_overlapping(start, end):
            if index in taken:
                return True
    return False


def find_indirect(
    analysis: Analysis, used_cues: set[int], direct: list[Found], taken: set[int]
) -> list[Found]:
    """Indirect and mixed quotes from the cues direct quotes left; `taken` are quotations
    already used (it gains those mixed quotes take)."""
    latest: dict[int, Found] = {}
    for item in direct:
        if item.cue is not None and item.speaker is not None:
            index = analysis.sentences.index_at(item.cue.start)
            if index is not None:
                latest[index] = item
    found: list[Found] = []
    for cue in analysis.cues:
        phrase = cue.word.phrase
        is_source = phrase is not None and phrase.kind == "source"
        if cue.start in used_cues or not (is_source or cue.is_verb):
            continue
        index = analysis.sentences.index_at(cue.start)
        if index is None:
            continue
        sentence = _Sentence(analysis, index, cue)
        if sentence.cue_index < 0:
            continue
        result: Found | None = None
        if is_source:
            result = _according_to(analysis, cue, sentence)
        elif cue.is_verb:
            result = _that_clause(analysis, cue, sentence, latest)
            if result is None and not cue.word.is_participle:
                result = _postposed(analysis, cue, sentence)
        if result is None or _overlaps(result, taken, analysis):
            continue
        used_cues.add(cue.start)
        latest[index] = result
        found.append(result)
    found = _cut_before_later_attributions(analysis, found)
    _mark_mixed(analysis, found, taken)
    return found
