"""The counts one document contributes to agreement, and their sum over a corpus.

An annotator takes part in a document when they have annotated it (an annotation, or the
status 'in progress' or 'done'); a document with fewer than two of the compared annotators
taking part is left out. A label nobody used in a document adds only its 'outside' tokens
and its gaps, which `CommonTallies` carries once for all labels, so the work per document
grows with the labels actually used there.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from operator import itemgetter
from typing import TypeVar

from db.agreement.links import QUOTE_LABEL, AnnotatorWork, Matcher, PairLinks, index_work
from db.agreement.spans import (
    LabelSpans,
    Tokens,
    coverage_histogram,
    intersection_length,
    match_labels,
    match_overlapping,
)
from db.agreement.stats import (
    SAME_IN_EVERY_PART,
    AttributionTally,
    LinkTally,
    SpanTally,
    Summed,
    TokenAlphaTally,
    TokenTally,
    gap_lengths,
    unitizing_observed,
)
from db.records import AnnotationData, ExportedDocument

Pair = tuple[int, int]  # indices into the annotator list, first < second
ConfusionKey = tuple[str | None, str | None]
WORKING_STATUSES = ("in progress", "done")


@dataclass(slots=True)
class LabelTallies(Summed):
    """One label's counts (in one document or summed over many), kept flat because a corpus
    has one per document and label.

    `pairs[pair]` is [first's spans, second's spans, exact matches, overlap matches,
    tokens both put in the label, first only, second only]; `inside` and `mismatches` feed
    alpha (`AlphaTally`); `observed`, `units`, `gaps` and `unitized_lengths` (texts where
    someone used the label, all annotators present) feed alpha_U (`UnitizingTally`).
    """

    annotations: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, int] = field(default_factory=dict)
    pairs: dict[Pair, list[int]] = field(default_factory=dict)
    inside: int = 0
    mismatches: dict[int, int] = field(default_factory=dict)
    observed: int = 0
    units: list[int] = field(default_factory=list)
    gaps: list[int] = field(default_factory=list)
    unitized_lengths: list[int] = field(default_factory=list)

    def span_tally(self, pair: Pair) -> SpanTally:
        """The span counts of one pair of annotators."""
        counts = self.pairs.get(pair)
        return SpanTally(*counts[:4]) if counts else SpanTally()

    def token_tally(self, pair: Pair) -> TokenTally:
        """The token table of one pair of annotators."""
        counts = self.pairs.get(pair)
        return TokenTally(*counts[4:]) if counts else TokenTally()


@dataclass
class CommonTallies(Summed):
    """What every label shares: documents and tokens compared, the continuum for alpha_U."""

    documents: int = 0
    pair_documents: dict[Pair, int] = field(default_factory=dict)
    pair_tokens: dict[Pair, int] = field(default_factory=dict)
    tokens: int = 0
    alpha_values: int = 0
    coders: int = field(default=0, metadata=SAME_IN_EVERY_PART)
    unitized_lengths: list[int] = field(default_factory=list)  # texts all annotated
    confusion: dict[ConfusionKey, int] = field(default_factory=dict)
    attribution: AttributionTally = field(default_factory=AttributionTally)
    coreference: LinkTally = field(default_factory=LinkTally)
    token_alpha: TokenAlphaTally = field(default_factory=TokenAlphaTally)


K = TypeVar("K")


def add_counts(target: dict[K, int], source: dict[K, int]) -> None:
    """Add `source`'s counts into `target`, key by key."""
    for key, count in source.items():
        target[key] = target.get(key, 0) + count


@dataclass
class DocumentTallies:
    """A document's contribution: who took part, the shared counts, and per-label counts."""

    present: list[str]
    common: CommonTallies
    labels: dict[str, LabelTallies]


def document_tallies(
    item: ExportedDocument,
    annotators: Sequence[str],
    labels: Collection[str],
    mention_labels: Sequence[str],
) -> DocumentTallies:
    """Everything one document adds to the agreement of `annotators` on `labels`."""
    work = index_work(item, annotators)
    present = [
        name
        for name in annotators
        if work[name].by_label or item.statuses.get(name) in WORKING_STATUSES
    ]
    common = CommonTallies()
    if len(present) < 2:
        return DocumentTallies(present, common, {})
    text_length = len(item.document.text)
    tokens = Tokens(item.document.text)
    everyone = len(present) == len(annotators)
    pairs = [
        (i, j)
        for i, j in combinations(range(len(annotators)), 2)
        if annotators[i] in present and annotators[j] in present
    ]
    common.documents = 1
    common.tokens = len(tokens)
    common.alpha_values = len(present) * len(tokens)
    for pair in pairs:
        common.pair_documents[pair] = 1
        common.pair_tokens[pair] = len(tokens)
    if everyone:
        common.coders = len(annotators)
        common.unitized_lengths.append(text_length)
    used = sorted({label for name in present for label in work[name].by_label} & set(labels))
    matchings: dict[tuple[Pair, str], list[tuple[int, int]]] = {}
    per_label: dict[str, LabelTallies] = {}
    token_ranges: list[tuple[int, str, list[tuple[int, int]]]] = []
    for label in used:
        pieces = {name: LabelSpans(work[name].by_label.get(label, []), tokens) for name in present}
        per_label[label] = _label_tallies(
            annotators, pairs, pieces, everyone, text_length, matchings, label
        )
        for coder, name in enumerate(present):
            token_ranges.append((coder, label, pieces[name].token_ranges))
    common.token_alpha = token_alpha_tally(len(present), len(tokens), token_ranges)
    for pair in pairs:
        first, second = work[annotators[pair[0]]], work[annotators[pair[1]]]
        add_counts(common.confusion, _confusion(first, second, used, pair, matchings))
        matcher = _matcher(first, second, pair, matchings)
        if first.links or second.links or first.entity_of or second.entity_of:
            links = PairLinks(first, second, mention_labels, matcher)
            if first.entity_of or second.entity_of:
                common.coreference.add(links.coreference())
            common.attribution.add(links.attribution())
        elif QUOTE_LABEL in first.by_label and QUOTE_LABEL in second.by_label:
            common.attribution.quotes_matched += len(matcher(QUOTE_LABEL))
    return DocumentTallies(present, common, per_label)


def token_alpha_tally(
    coders: int, token_count: int, ranges: Sequence[tuple[int, str, Sequence[tuple[int, int]]]]
) -> TokenAlphaTally:
    """The multi-valued token variable of one document: `ranges` are (coder, label, token
    ranges of the label); a sweep over the range ends visits each stretch of tokens that
    has the same values for every coder once, so the cost grows with the spans, not with
    the tokens."""
    tally = TokenAlphaTally(values=coders * token_count)
    events: list[tuple[int, int, int, str]] = []
    for coder, label, token_ranges in ranges:
        for first, last in token_ranges:
            events.append((first, 1, coder, label))
            events.append((last, -1, coder, label))
    events.sort(key=itemgetter(0, 1))
    active: list[dict[str, int]] = [{} for _ in range(coders)]
    position = 0
    squares = coders * coders
    for index, (at, step, coder, label) in enumerate(events):
        if index and at > position:
            _add_stretch(tally, active, at - position, squares)
        position = at
        labels = active[coder]
        count = labels.get(label, 0) + step
        if count:
            labels[label] = count
        else:
            del labels[label]
    return tally


def _add_stretch(
    tally: TokenAlphaTally, active: Sequence[dict[str, int]], length: int, squares: int
) -> None:
    """`length` tokens on which coder k has the labels active[k] (a combined value when
    there are several, none when there are none)."""
    counts: dict[str, int] = {}
    for labels in active:
        if labels:
            value = "+".join(sorted(labels)) if len(labels) > 1 else next(iter(labels))
            counts[value] = counts.get(value, 0) + 1
    if not counts:
        return
    none = len(active) - sum(counts.values())
    for value, count in counts.items():
        tally.by_value[value] = tally.by_value.get(value, 0) + count * length
    disagreement = squares - none * none - sum(count * count for count in counts.values())
    if disagreement:
        coders = len(active)
        tally.disagreements[coders] = tally.disagreements.get(coders, 0) + disagreement * length


def _label_tallies(
    annotators: Sequence[str],
    pairs: Sequence[Pair],
    pieces: dict[str, LabelSpans],
    everyone: bool,
    text_length: int,
    matchings: dict[tuple[Pair, str], list[tuple[int, int]]],
    label: str,
) -> LabelTallies:
    tallies = LabelTallies()
    for name, spans in pieces.items():
        tallies.annotations[name] = len(spans.spans)
        tallies.tokens[name] = spans.token_count
    coders = len(pieces)
    both = 0
    for pair in pairs:
        first, second = pieces[annotators[pair[0]]], pieces[annotators[pair[1]]]
        matches, exact = match_labels(first, second)
        matchings[pair, label] = matches
        both = intersection_length(first.token_ranges, second.token_ranges)
        tallies.pairs[pair] = [
            len(first.spans),
            len(second.spans),
            exact,
            len(matches),
            both,
            first.token_count - both,
            second.token_count - both,
        ]
    if coders == 2:  # one pair: how many tokens both put in the label is known already
        first, second = pieces.values()
        histogram = {2: both, 1: first.token_count + second.token_count - 2 * both}
    else:
        histogram = coverage_histogram(spans.token_ranges for spans in pieces.values())
    tallies.inside = sum(k * length for k, length in histogram.items())
    mismatch = sum(k * (coders - k) * length for k, length in histogram.items())
    if mismatch:
        tallies.mismatches[coders] = mismatch
    if everyone:
        for i, j in pairs:
            tallies.observed += unitizing_observed(
                pieces[annotators[i]].units, pieces[annotators[j]].units
            )
        for spans in pieces.values():
            tallies.units.extend([end - start for start, end in spans.units])
            tallies.gaps.extend(gap_lengths(spans.units, text_length))
        tallies.unitized_lengths.append(text_length)
    return tallies


def _confusion(
    first: AnnotatorWork,
    second: AnnotatorWork,
    labels: Sequence[str],
    pair: Pair,
    matchings: dict[tuple[Pair, str], list[tuple[int, int]]],
) -> dict[ConfusionKey, int]:
    """Each span once: paired with its label's overlap match (the diagonal), else with an
    overlapping leftover span of another label, else with nothing (None)."""
    cells: dict[ConfusionKey, int] = {}
    left_a: list[AnnotationData] = []
    left_b: list[AnnotationData] = []
    for label in labels:
        spans_a = first.by_label.get(label, [])
        spans_b = second.by_label.get(label, [])
        matches = matchings.get((pair, label), [])
        if matches:
            cells[label, label] = len(matches)
        if len(matches) < len(spans_a):
            matched = set(map(itemgetter(0), matches))
            left_a.extend(s for i, s in enumerate(spans_a) if i not in matched)
        if len(matches) < len(spans_b):
            matched = set(map(itemgetter(1), matches))
            left_b.extend(s for j, s in enumerate(spans_b) if j not in matched)
    crossed = match_overlapping(left_a, left_b)
    for i, j in crossed:
        key: ConfusionKey = (left_a[i].label, left_b[j].label)
        cells[key] = cells.get(key, 0) + 1
    if len(crossed) < len(left_a):
        crossed_a = set(map(itemgetter(0), crossed))
        for i, span in enumerate(left_a):
            if i not in crossed_a:
                key = (span.label, None)
                cells[key] = cells.get(key, 0) + 1
    if len(crossed) < len(left_b):
        crossed_b = set(map(itemgetter(1), crossed))
        for j, span in enumerate(left_b):
            if j not in crossed_b:
                key = (None, span.label)
                cells[key] = cells.get(key, 0) + 1
    return cells


def _matcher(
    first: AnnotatorWork,
    second: AnnotatorWork,
    pair: Pair,
    matchings: dict[tuple[Pair, str], list[tuple[int, int]]],
) -> Matcher:
    """Overlap matches of a label for the attribution measures, reusing those of the span
    measures and matching labels outside the compared ones (a Quote under --label Speaker)."""

    def matches(label: str) -> list[tuple[int, int]]:
        found = matchings.get((pair, label))
        if found is None:
            found = match_overlapping(first.by_label.get(label, []), second.by_label.get(label, []))
            matchings[pair, label] = found
        return found

    return matches
