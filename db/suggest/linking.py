"""From tagged spans to attributed quotes: pieces joined into quotes, each quote linked to
one of the cues and one of the speakers tagged near it (or to none).

The same candidate windows and features serve training (candidates: the annotator's own
spans) and suggesting (candidates: the tagger's), so the ranker learns exactly the choice
it is later asked to make. The cue is chosen first, then the speaker, which sees the
chosen cue (a speaker stands next to its cue) and the previous quote's speaker (a quote
without attribution of its own continues the one before).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from db.suggest.analysis import Analysis
from db.suggest.found import Found
from db.suggest.speakers import PRONOUNS
from db.suggest.tagging import CUE, QUOTE, SPEAKER, Segment, Stretch
from db.suggest.text_units import Token

NONE = ["none"]
CUE_WINDOW = 60  # tokens around a quote where its cue may be
SPEAKER_WINDOW = 150  # tokens: a speaker may be named a paragraph or two before
MAX_CANDIDATES = 8
_MARKS = set("“”„«»‘’‚‹›\"'")
_STOPS = set(".!?…:;")


@dataclass
class Quote:
    """A quote the tagger (or an annotator) marked: its pieces in text order."""

    pieces: list[Segment]

    @property
    def first(self) -> int:
        """The quote's first token."""
        return self.pieces[0].first

    @property
    def last(self) -> int:
        """The quote's last token."""
        return self.pieces[-1].last

    @property
    def spans(self) -> list[tuple[int, int]]:
        """The quote's pieces as (start, end) spans."""
        return [(p.start, p.end) for p in self.pieces]


class Article:
    """An article's tokens end to end, with their sentence and paragraph, for distances."""

    def __init__(self, analysis: Analysis, stretches: Sequence[Stretch]) -> None:
        self.analysis = analysis
        self.tokens: list[Token] = [t for s in stretches for t in s.tokens]
        self.starts = [t.start for t in self.tokens]
        sentence_starts = [s for s, _ in analysis.sentences.spans]
        line_starts = analysis.line_starts
        self.sentence = [bisect_right(sentence_starts, t.start) for t in self.tokens]
        self.paragraph = [bisect_right(line_starts, t.start) for t in self.tokens]
        self.piece_opens = [p[0] for p in analysis.pieces]
        self._kinds: dict[tuple[tuple[int, int], ...], str] = {}
        self.offsets: list[int] = []  # index of each stretch's first token
        count = 0
        for stretch in stretches:
            self.offsets.append(count)
            count += len(stretch.tokens)

    def index_at(self, position: int) -> int:
        """The index of the segment holding this position."""
        return max(0, bisect_right(self.starts, position) - 1)

    def kind(self, spans: Sequence[tuple[int, int]]) -> str:
        """direct (inside quotation marks), mixed (holding some) or indirect."""
        key = tuple(spans)
        found = self._kinds.get(key)
        if found is None:
            found = self._kinds[key] = self._kind(key)
        return found

    def _kind(self, spans: Sequence[tuple[int, int]]) -> str:
        pieces = self.analysis.pieces
        opens = self.piece_opens
        inside = touching = False
        for start, end in spans:
            index = bisect_right(opens, start) - 1
            if index >= 0 and pieces[index][0] < start and end <= pieces[index][1] + 1:
                inside = True
                continue
            first = bisect_left(opens, start)
            if first < len(pieces) and pieces[first][0] < end:
                touching = True
        if inside and not touching:
            return "direct"
        return "mixed" if touching or inside else "indirect"


def assemble(article: Article, found: Sequence[Segment]) -> list[Quote]:
    """Quote pieces joined into quotes: two pieces are one quote when only the attribution
    and punctuation lie between them and the first ends on a comma (“…,” she said, “…”),
    or only marks and a paragraph break inside one quotation (a quote running over
    paragraphs). Each piece is tidied first (see `tidy`)."""
    tags = {i: s.label for s in found for i in range(s.first, s.last + 1)}
    quotes: list[Quote] = []
    pieces = (tidy(article, s) for s in found if s.label == QUOTE)
    for piece in sorted((p for p in pieces if p is not None), key=lambda s: s.first):
        if quotes and _continues(article, tags, quotes[-1].pieces[-1], piece):
            quotes[-1].pieces.append(piece)
        else:
            quotes.append(Quote([piece]))
    return quotes


_LOOSE_ENDS = {",", ";", "and", "but", "or", "–", "—", "-"}


def tidy(article: Article, piece: Segment) -> Segment | None:
    """A quote piece without a dangling conjunction or comma at either end, and with the
    closing mark of a quotation it opens (“generous in the current climate.”)."""
    tokens_ = article.tokens
    first, last = piece.first, piece.last
    while first <= last and tokens_[first].lower in _LOOSE_ENDS and not tokens_[first].is_word:
        first += 1
    while last >= first and tokens_[last].lower in _LOOSE_ENDS:
        last -= 1
    if first > last:
        return None
    pieces = article.analysis.pieces
    opens = article.piece_opens
    start, end = tokens_[first].start, tokens_[last].end
    index = bisect_left(opens, start)
    if index < len(pieces) and pieces[index][0] < end < pieces[index][1] + 1:
        close = pieces[index][1]
        following = last + 1
        while following < len(tokens_) and tokens_[following].start <= close:
            if tokens_[following].start == close and tokens_[following].text in _MARKS:
                last = following  # the quotation inside closes just after: take its mark
                break
            if tokens_[following].is_word:
                break
            following += 1
    if (first, last) == (piece.first, piece.last):
        return piece
    return Segment(piece.label, tokens_[first].start, tokens_[last].end, first, last)


def _quotation_of(article: Article, position: int) -> int | None:
    """The quotation (index) whose pieces hold this position."""
    for index in article.analysis.quotations_overlapping(position, position + 1):
        return index
    return None


def _continues(article: Article, tags: dict[int, str], before: Segment, after: Segment) -> bool:
    gap = range(before.last + 1, after.first)
    if len(gap) > 16:
        return False
    tokens_ = article.tokens
    if article.paragraph[before.last] != article.paragraph[after.first]:
        quotation = _quotation_of(article, before.start)
        return quotation is not None and quotation == _quotation_of(article, after.start)
    attributed = False
    for i in gap:
        token = tokens_[i]
        if tags.get(i) in (SPEAKER, CUE):
            attributed = True
            continue
        if token.is_word or token.text in _STOPS:
            return False
    if attributed:
        # ", she said, “…": the attribution is set off by commas on both sides
        before_mark = [tokens_[i].text for i in gap if tokens_[i].text not in _MARKS]
        return bool(before_mark) and before_mark[0] == "," and before_mark[-1] == ","
    return True


def _bucket(value: int) -> str:
    for limit in (0, 1, 2, 3, 5, 8, 13, 21, 34, 55):
        if value <= limit:
            return str(limit)
    return "far"


@dataclass
class Linked:
    """A quote with the cue and speaker chosen for it."""

    quote: Quote
    cue: Segment | None
    speaker: Segment | None


class Linker:
    """Candidates and their features for one article; `rules` (when the model uses them)
    say which quote the rules tied to which spans."""

    def __init__(
        self, article: Article, segments: Sequence[Segment], rules: Sequence[Found] | None
    ) -> None:
        self.article = article
        self.cues = sorted((s for s in segments if s.label == CUE), key=lambda s: s.first)
        self.speakers = sorted((s for s in segments if s.label == SPEAKER), key=lambda s: s.first)
        self.cue_firsts = [s.first for s in self.cues]
        self.speaker_firsts = [s.first for s in self.speakers]
        self.quote_firsts: list[int] = []
        self.rule_links: set[tuple[int, int, str]] = set()
        if rules:
            for item in rules:
                for target, name in ((item.speaker, "s"), (item.cue, "c")):
                    if target is not None:
                        self.rule_links.add((item.start, target.start, name))
            self.rule_quotes = sorted((item.start, item.end) for item in rules)
        else:
            self.rule_quotes = []

    def set_quotes(self, quotes: Sequence[Quote]) -> None:
        """The quotes found in the text, which candidates must not fall inside."""
        self.quote_firsts = sorted(p.first for q in quotes for p in q.pieces)

    def _window(self, firsts: list[int], quote: Quote, reach: int) -> list[int]:
        """Indices of the candidates within `reach` tokens of the quote and at most two
        paragraphs before it (or one after), the nearest MAX_CANDIDATES of them."""
        low = bisect_left(firsts, quote.first - reach)
        high = bisect_right(firsts, quote.last + reach)
        paragraph = self.article.paragraph
        top, bottom = paragraph[quote.first] - 2, paragraph[quote.last] + 1
        found = [i for i in range(low, high) if top <= paragraph[firsts[i]] <= bottom]
        if len(found) > MAX_CANDIDATES:
            middle = (quote.first + quote.last) // 2
            found = sorted(sorted(found, key=lambda i: abs(firsts[i] - middle))[:MAX_CANDIDATES])
        return found

    def _place(self, quote: Quote, target: Segment, name: str) -> list[str]:
        """Where a candidate stands to the quote: side, distance in tokens, sentences,
        paragraphs, quotes in between, and whether the rules tied them."""
        article = self.article
        if target.last < quote.first:
            side, near, distance = "before", quote.first, quote.first - target.last
        elif target.first > quote.last:
            side, near, distance = "after", quote.last, target.first - quote.last
        else:
            side, near, distance = "inside", target.first, 0
        sentences = abs(article.sentence[near] - article.sentence[target.first])
        paragraphs = article.paragraph[near] - article.paragraph[target.first]
        low, high = sorted((near, target.first))
        between = bisect_left(self.quote_firsts, high) - bisect_right(self.quote_firsts, low)
        kind = article.kind(quote.spans)
        place = [
            f"{name}:side={side}",
            f"{name}:side={side}&{kind}",
            f"{name}:dist={_bucket(distance)}",
            f"{name}:dist={_bucket(distance)}&{side}",
            f"{name}:sent={min(sentences, 3)}",
            f"{name}:sent={min(sentences, 3)}&{side}",
            f"{name}:par={max(min(paragraphs, 3), -1)}",
            f"{name}:between={min(between, 2)}",
        ]
        if self.rule_quotes:
            tied = self._rule_start(quote)
            if tied is not None and (tied, target.start, name) in self.rule_links:
                place.append(f"{name}:rule")
        return place

    def _rule_start(self, quote: Quote) -> int | None:
        """The start of the rules' quote overlapping this one."""
        start = self.article.tokens[quote.first].start
        end = self.article.tokens[quote.last].end
        index = bisect_right(self.rule_quotes, (end, end)) - 1
        while index >= 0:
            rule_start, rule_end = self.rule_quotes[index]
            if rule_end > start:
                return rule_start
            if rule_end <= start:
                break
            index -= 1
        return None

    def cue_candidates(
        self, quote: Quote, used: set[int]
    ) -> tuple[list[Segment | None], list[list[str]]]:
        """The cue candidates near a quote (the first: no cue), with each one's features."""
        options: list[Segment | None] = [None]
        kind = self.article.kind(quote.spans)
        count = 0
        features = [[*NONE, f"none&{kind}"]]
        for index in self._window(self.cue_firsts, quote, CUE_WINDOW):
            cue = self.cues[index]
            count += 1
            words = " ".join(t.lower for t in self.article.tokens[cue.first : cue.last + 1])
            place = self._place(quote, cue, "c")
            place.append("c:w=" + words)
            if cue.start in used:
                place.append("c:used")
            options.append(cue)
            features.append(place)
        features[0].append(f"none&cands={min(count, 3)}")
        return options, features

    def speaker_candidates(
        self, quote: Quote, cue: Segment | None, previous: Segment | None, used: set[int]
    ) -> tuple[list[Segment | None], list[list[str]]]:
        """The speaker candidates near a quote (the first: none), with their features."""
        options: list[Segment | None] = [None]
        kind = self.article.kind(quote.spans)
        having = "cue" if cue is not None else "nocue"
        features = [[*NONE, f"none&{kind}", f"none&{having}"]]
        tokens_ = self.article.tokens
        for index in self._window(self.speaker_firsts, quote, SPEAKER_WINDOW):
            speaker = self.speakers[index]
            place = self._place(quote, speaker, "s")
            place.append("s:" + having)
            if cue is not None:
                if speaker.last < cue.first:
                    gap, side = cue.first - speaker.last, "before"
                else:
                    gap, side = speaker.first - cue.last, "after"
                place.append(f"s:cue={_bucket(max(gap, 0))}&{side}")
            if previous is not None and speaker.start == previous.start:
                place.append("s:previous&" + having)
            if speaker.start in used:
                place.append("s:used")
            if speaker.first == speaker.last and tokens_[speaker.first].lower in PRONOUNS:
                place.append("s:pronoun")
            options.append(speaker)
            features.append(place)
        return options, features
