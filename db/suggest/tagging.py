"""What the trainable suggester reads: an article cut into stretches of tokens, each token
described by a few string features, and the tags (Quote, Speaker, Cue) it learns to give.

A stretch is a paragraph, or a run of its sentences when it is long, so that a quote's
content is seen as one piece however many sentences it has. A token's features say what
it is (the word, its ending and shape, whether the lexicon knows it as a cue of speech or
of belief, a speaker noun or a pronoun), where it is (first or last of its sentence, inside
quotation marks, before or after a cue in its sentence), what its neighbours are, and,
when the model uses the rules, what the rules made of it. The same code describes the
training articles and the ones suggested for, so the two can never drift apart.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from db.suggest.analysis import Analysis
from db.suggest.found import Found
from db.suggest.lexicon import Lexicon
from db.suggest.speakers import PRONOUNS
from db.suggest.text_units import CLOSING_MARKS, OPENING_MARKS, Token, tokens

QUOTE, SPEAKER, CUE = "Q", "S", "C"
LABELS = {QUOTE: "Quote", SPEAKER: "Speaker", CUE: "Cue"}
OUTSIDE = "O"
MAX_STRETCH = 2500  # code points: a paragraph longer than this is cut between sentences
_MARKS = set(OPENING_MARKS + CLOSING_MARKS)

Span = tuple[int, int]


@dataclass(slots=True)
class Stretch:
    """A paragraph (or part of one): its tokens and their features."""

    start: int
    end: int
    tokens: list[Token]
    features: list[list[str]]


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of tokens with one tag: a Quote piece, a Speaker or a Cue."""

    label: str
    start: int
    end: int
    first: int  # index of its first token in the article's tokens
    last: int  # index of its last token


class Words:
    """The lexicon's words the features name: cue words of speech and of belief, speaker
    nouns. Belief cues are known whatever the project's definition: the model learns from
    the annotations whether they count."""

    def __init__(self, lexicon: Lexicon, broad: Lexicon) -> None:
        self.speech = {form for verb in lexicon.verbs for form in verb.forms}
        self.speech |= {p.phrase.split()[0].lower() for p in lexicon.phrases}
        self.belief = {form for verb in broad.verbs for form in verb.forms} - self.speech
        self.belief_phrases = {p.phrase.lower() for p in broad.phrases if " " in p.phrase}
        self.phrase_openers = {phrase.split()[0] for phrase in self.belief_phrases}
        self.roles = lexicon.roles
        self.organisations = lexicon.organisations
        self.groups = lexicon.groups


def _shape(text: str) -> str:
    first = text[0]
    if first.isalpha():
        if text.isupper() and len(text) > 1:
            return "AA"
        return "Aa" if first.isupper() else "a"
    if first.isdigit():
        return "9"
    if first in _MARKS:
        return "q"
    return text if len(text) == 1 else "p"


class Describer:
    """Features of every token of an article (one Analysis), optionally with the rules'
    findings; word features are computed once per distinct word."""

    def __init__(
        self, analysis: Analysis, words: Words, rules: Sequence[Found] | None = None
    ) -> None:
        self.analysis = analysis
        self.words = words
        self.rules = rules
        self._by_word: dict[str, list[str]] = {}
        self._as_neighbour: dict[str, tuple[str, str, str, str, str, str]] = {}
        self._rule_spans = _rule_spans(rules) if rules is not None else None
        self._rule_starts = [s for s, _e, _n in self._rule_spans or ()]
        self._piece_opens = [p[0] for p in analysis.pieces]
        self._sentence_starts = [start for start, _ in analysis.sentences.spans]

    def stretches(self) -> list[Stretch]:
        """The text cut into the stretches the tagger labels token by token."""
        result = []
        for start, end in _cut(self.analysis):
            found = tokens(self.analysis.text, start, end)
            if found:
                result.append(Stretch(start, end, found, self._features(found)))
        return result

    def _word(self, token: Token) -> list[str]:
        cached = self._by_word.get(token.text)
        if cached is not None:
            return cached
        low = token.lower
        words = self.words
        features = ["b", "w=" + low, "sh=" + _shape(token.text)]
        if len(low) > 4:
            features.append("sf=" + low[-3:])
        if low in words.speech:
            features.append("lx=speech")
        elif low in words.belief:
            features.append("lx=belief")
        if low in PRONOUNS:
            features.append("lx=pronoun")
        elif low in words.roles:
            features.append("lx=role")
        elif low in words.organisations:
            features.append("lx=org")
        elif low in words.groups:
            features.append("lx=group")
        self._by_word[token.text] = features
        return features

    def _context(self, token: Token) -> tuple[str, str, str, str, str, str]:
        """The features a token gives its neighbours (w-1=..., w+1=..., w-2=..., w+2=...,
        sh-1=..., sh+1=...), made once per distinct word."""
        found = self._as_neighbour.get(token.text)
        if found is None:
            low, shape = token.lower, _shape(token.text)
            found = (
                "w-1=" + low, "w+1=" + low, "w-2=" + low, "w+2=" + low,
                "sh-1=" + shape, "sh+1=" + shape,
            )  # fmt: skip
            self._as_neighbour[token.text] = found
        return found

    def _features(self, found: list[Token]) -> list[list[str]]:
        count = len(found)
        base = [self._word(token) for token in found]
        context = [self._context(token) for token in found]
        starts = [token.start for token in found]
        extras: list[list[str]] = [[] for _ in range(count)]
        self._quotations(found, starts, extras)
        sentence_of = self._sentence_indices(starts)
        self._cues(found, starts, sentence_of, extras)
        if self._rule_spans:
            self._rules(found, starts, extras)
        result: list[list[str]] = []
        append = result.append
        last = count - 1
        for i in range(count):
            features = [
                *base[i],
                context[i - 1][0] if i else "w-1=^",
                context[i + 1][1] if i < last else "w+1=$",
                context[i - 2][2] if i > 1 else "w-2=^",
                context[i + 2][3] if i + 1 < last else "w+2=$",
                context[i - 1][4] if i else "sh-1=^",
                context[i + 1][5] if i < last else "sh+1=$",
                *extras[i],
            ]
            sentence = sentence_of[i]
            if i == 0 or sentence_of[i - 1] != sentence:
                features.append("bos")
            if i == last or sentence_of[i + 1] != sentence:
                features.append("eos")
            append(features)
        return result

    def _quotations(self, found: list[Token], starts: list[int], extras: list[list[str]]) -> None:
        """'qo' / 'qc' on a quotation's opening and closing marks, 'inq' on what lies
        between (the rules' pass over the marks: nested quotes and paragraphs handled)."""
        pieces, opens = self.analysis.pieces, self._piece_opens
        first = max(0, bisect_right(opens, starts[0]) - 1)
        last = bisect_right(opens, found[-1].end)
        for open_at, close_at in pieces[first:last]:
            index = bisect_left(starts, open_at)
            if index < len(starts) and starts[index] == open_at:
                extras[index].append("qo")
                index += 1
            stop = bisect_left(starts, close_at)
            for i in range(index, stop):
                extras[i].append("inq")
            if stop < len(starts) and starts[stop] == close_at and found[stop].text in _MARKS:
                extras[stop].append("qc")

    def _sentence_indices(self, starts: list[int]) -> list[int]:
        sentence_starts = self._sentence_starts
        index = bisect_right(sentence_starts, starts[0]) - 1
        following = sentence_starts[index + 1] if index + 1 < len(sentence_starts) else 1 << 62
        result = []
        for start in starts:
            while start >= following:
                index += 1
                following = (
                    sentence_starts[index + 1] if index + 1 < len(sentence_starts) else 1 << 62
                )
            result.append(index)
        return result

    def _cues(
        self,
        found: list[Token],
        starts: list[int],
        sentence_of: list[int],
        extras: list[list[str]],
    ) -> None:
        """The cues (the lexicon's, found outside quotations by the rules' pass, and belief
        words and phrases), and where each token stands to the cues of its sentence."""
        analysis, words = self.analysis, self.words
        count = len(found)
        is_cue = [False] * count
        cues = analysis.cues
        first = bisect_left(analysis.cue_starts, starts[0])
        last = bisect_left(analysis.cue_starts, found[-1].end)
        for cue in cues[first:last]:
            index = bisect_left(starts, cue.start)
            kind = "cue=" + cue.rule[4:]
            marker = "B"
            while index < count and starts[index] < cue.end:
                extras[index].append(kind + marker)
                is_cue[index] = True
                marker = "I"
                index += 1
        belief, phrases, openers = words.belief, words.belief_phrases, words.phrase_openers
        for i, token in enumerate(found):
            low = token.lower
            if is_cue[i]:
                continue
            if low in belief:
                is_cue[i] = True
                extras[i].append("cue=beliefB")
            elif low in openers and i + 1 < count and f"{low} {found[i + 1].lower}" in phrases:
                is_cue[i] = True
                extras[i].append("cue=belief-phraseB")
        if any(is_cue):
            _mark_beside_cues(range(count), is_cue, sentence_of, extras, "after-cue")
            _mark_beside_cues(range(count - 1, -1, -1), is_cue, sentence_of, extras, "before-cue")

    def _rules(self, found: list[Token], starts: list[int], extras: list[list[str]]) -> None:
        """What the rules made of each token: inside (or first of) a quote of some kind, a
        speaker, a cue."""
        spans, rule_starts = self._rule_spans or [], self._rule_starts
        first = max(0, bisect_left(rule_starts, starts[0]) - 8)  # a quote may hold its cue
        last = bisect_left(rule_starts, found[-1].end)
        count = len(found)
        for start, end, name in spans[first:last]:
            if end <= starts[0]:
                continue
            index = bisect_left(starts, start)
            marker = "B"
            while index < count and found[index].end <= end:
                extras[index].append(name + marker)
                marker = "I"
                index += 1


def _mark_beside_cues(
    order: range,
    is_cue: list[bool],
    sentence_of: list[int],
    extras: list[list[str]],
    name: str,
) -> None:
    """Mark the tokens that come after a cue of their sentence, in the order walked (so
    walking backwards marks those before one)."""
    seen_sentence, seen = -1, False
    for i in order:
        if sentence_of[i] != seen_sentence:
            seen_sentence, seen = sentence_of[i], False
        if is_cue[i]:
            seen = True
        elif seen:
            extras[i].append(name)


def _cut(analysis: Analysis) -> Iterable[Span]:
    """Paragraphs, and long ones in runs of whole sentences."""
    spans = analysis.sentences.spans
    starts = [s for s, _ in spans]
    for start, end in analysis.lines:
        if end - start <= MAX_STRETCH:
            yield start, end
            continue
        piece_start = start
        first = bisect_left(starts, start)
        last = bisect_left(starts, end)
        for _s, sentence_end in spans[first:last]:
            if sentence_end - piece_start >= MAX_STRETCH:
                yield piece_start, sentence_end
                piece_start = sentence_end
        if piece_start < end:
            yield piece_start, end


def _rule_spans(rules: Sequence[Found]) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    for item in rules:
        for start, end in item.spans:
            spans.append((start, end, "rq=" + item.kind))
        if item.speaker is not None:
            spans.append((item.speaker.start, item.speaker.end, "rs"))
        if item.cue is not None:
            spans.append((item.cue.start, item.cue.end, "rc"))
    spans.sort()
    return spans


# -- tags ------------------------------------------------------------------------------------


def tags_for(stretch: Stretch, labelled: Sequence[tuple[str, Span]]) -> list[str]:
    """The training tags of a stretch's tokens: B-/I- Q, S or C for tokens wholly inside a
    labelled span (a Speaker or Cue inside a Quote wins), O elsewhere."""
    found = stretch.tokens
    starts = [t.start for t in found]
    tags = [OUTSIDE] * len(found)
    order = {QUOTE: 0, SPEAKER: 1, CUE: 1}
    for label, (start, end) in sorted(labelled, key=lambda item: order[item[0]]):
        if end <= stretch.start or start >= stretch.end:
            continue
        first = bisect_left(starts, start)
        inside = False
        for i in range(first, len(found)):
            token = found[i]
            if token.start >= end:
                break
            if token.end <= end:
                tags[i] = ("I-" if inside else "B-") + label
                inside = True
    return tags


def segments(stretch: Stretch, tags: Sequence[str], offset: int) -> list[Segment]:
    """The tagged runs of a stretch (`offset`: the index of its first token in the article)."""
    found: list[Segment] = []
    label = ""
    first = 0
    for i, tag in enumerate([*tags, OUTSIDE]):
        if label and (tag == OUTSIDE or tag.startswith("B-") or tag[2:] != label):
            tokens_ = stretch.tokens
            found.append(
                Segment(
                    label, tokens_[first].start, tokens_[i - 1].end, offset + first, offset + i - 1
                )
            )
            label = ""
        if tag != OUTSIDE and not label:
            label, first = tag[2:], i
    return found
