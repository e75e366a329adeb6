"""Spans as the agreement measures see them: tokens, merged intervals, one-to-one overlap matches.

Everything here is linear or n log n in the number of spans of one document (sorted merges,
sweep lines, a heap), never a loop over all pairs of spans, so that agreement over thousands
of documents stays fast.

Tokenisation: a token is a run of word characters (Python's `\\w`: letters, digits, `_`, plus
combining marks, so that a decomposed "é" stays in its word), or any other single code point
that is not white space. Offsets are code points, like everything else in Spanwise.
"""

from __future__ import annotations

import heapq
import math
import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache
from itertools import accumulate
from operator import attrgetter

from db.records import AnnotationData

Interval = tuple[int, int]


_PLAIN_TOKENS = re.compile(r"\s*(?:\w+|[^\w\s])")
_NO_MARKS: frozenset[str] = frozenset()


@cache
def _combining_marks() -> frozenset[str]:
    """Every combining mark (Unicode category M) in the planes that have them."""
    codes = [*range(0x20000), *range(0xE0100, 0xE01F0)]
    return frozenset(chr(c) for c in codes if unicodedata.category(chr(c)).startswith("M"))


@cache
def _tokens_with_marks(marks: frozenset[str]) -> re.Pattern[str]:
    word = "".join(re.escape(mark) for mark in sorted(marks))
    return re.compile(rf"\s*(?:[\w{word}]+|[^\w\s])")


class Tokens:
    """The tokens of one text, as their sorted end offsets (tokens never overlap).

    Python's `\\w` leaves out combining marks; a text that has some gets a pattern that
    keeps them in their words (a decomposed "é" is one token with its word, not two).
    """

    __slots__ = ("ends", "marks", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.marks = _NO_MARKS if text.isascii() else _combining_marks().intersection(text)
        pattern = _tokens_with_marks(self.marks) if self.marks else _PLAIN_TOKENS
        # Each match is a token with the white space before it, so the running total of
        # their lengths is the token ends.
        self.ends: list[int] = list(accumulate(map(len, pattern.findall(text.rstrip()))))

    def __len__(self) -> int:
        return len(self.ends)


class LabelSpans:
    """One annotator's spans of one label in one document, in the shapes the measures need.

    `spans` are sorted by start; `units` are the stretches of text they cover, overlapping
    spans merged (touching ones stay apart: two adjacent quotes are two units for alpha_U);
    `token_ranges` are the tokens inside the label's text (touching spans joined, so a
    token straddling two adjacent spans counts as inside). `disjoint` says no two spans
    overlap and none is fragmented, which allows the linear matching.
    """

    __slots__ = ("disjoint", "spans", "token_count", "token_ranges", "units")

    def __init__(self, spans: list[AnnotationData], tokens: Tokens) -> None:
        self.spans = spans
        fragmented = False
        for span in spans:
            if span.fragments:
                fragmented = True
                break
        intervals: Iterable[Interval] = (
            sorted(piece for span in spans for piece in span.spans)
            if fragmented
            else map(_extent, spans)
        )
        units: list[Interval] = []
        joined: list[Interval] = []
        unit_end = joined_end = -1
        for start, end in intervals:  # one pass builds both unions
            if end <= start:
                continue
            if start < unit_end:
                if end > unit_end:
                    units[-1] = (units[-1][0], end)
                    unit_end = end
            else:
                units.append((start, end))
                unit_end = end
            if start <= joined_end:
                if end > joined_end:
                    joined[-1] = (joined[-1][0], end)
                    joined_end = end
            else:
                joined.append((start, end))
                joined_end = end
        self.units = units
        self.disjoint = not fragmented and len(units) == len(spans)
        # The tokens wholly inside each stretch: those ending after its start and by its
        # end, less a word its start cuts into.
        ranges: list[Interval] = []
        count = 0
        token_ends, text, marks = tokens.ends, tokens.text, tokens.marks
        for start, end in joined:
            first = bisect_right(token_ends, start)
            # A word token runs across `start` when the code points on either side are both
            # word characters (punctuation tokens are a single code point).
            if 0 < start < len(text):
                before, after = text[start - 1], text[start]
                if (before.isalnum() or before == "_" or before in marks) and (
                    after.isalnum() or after == "_" or after in marks
                ):
                    first += 1
            last = bisect_right(token_ends, end)
            if last > first:
                ranges.append((first, last))
                count += last - first
        self.token_ranges = ranges
        self.token_count = count


_extent = attrgetter("start", "end")


def intersection_length(first: Sequence[Interval], second: Sequence[Interval]) -> int:
    """How much two sorted disjoint interval lists share (a two-pointer merge)."""
    total = i = j = 0
    count_first, count_second = len(first), len(second)
    while i < count_first and j < count_second:
        start1, end1 = first[i]
        start2, end2 = second[j]
        overlap = (end1 if end1 < end2 else end2) - (start1 if start1 > start2 else start2)
        if overlap > 0:
            total += overlap
        if end1 <= end2:
            i += 1
        else:
            j += 1
    return total


def coverage_histogram(per_annotator: Iterable[Sequence[Interval]]) -> dict[int, int]:
    """How long a stretch is covered by exactly k of the lists (k >= 1), by a sweep line;
    each list must be disjoint."""
    events: list[tuple[int, int]] = []
    for intervals in per_annotator:
        for start, end in intervals:
            events.append((start, 1))
            events.append((end, -1))
    events.sort()
    histogram: dict[int, int] = {}
    depth = 0
    previous = 0
    for position, step in events:
        if depth and position > previous:
            histogram[depth] = histogram.get(depth, 0) + position - previous
        depth += step
        previous = position
    return histogram


def spans_overlap(first: AnnotationData, second: AnnotationData) -> bool:
    """Whether two annotations share text; a fragmented one shares only through its pieces,
    not through the gap between them."""
    if first.start >= second.end or second.start >= first.end:
        return False
    if not first.fragments and not second.fragments:
        return True
    pieces_a, pieces_b = first.spans, second.spans
    i = j = 0
    while i < len(pieces_a) and j < len(pieces_b):
        if pieces_a[i][0] < pieces_b[j][1] and pieces_b[j][0] < pieces_a[i][1]:
            return True
        if pieces_a[i][1] <= pieces_b[j][1]:
            i += 1
        else:
            j += 1
    return False


def match_labels(first: LabelSpans, second: LabelSpans) -> tuple[list[tuple[int, int]], int]:
    """Overlap matches (index pairs) of two annotators' spans of a label, and how many of
    them are exact (same pieces of text, each span used once)."""
    if first.disjoint and second.disjoint:
        return _match_disjoint(first.spans, second.spans)
    pairs = match_overlapping(first.spans, second.spans)
    theirs = Counter(span.spans for span in second.spans)
    mine = Counter(span.spans for span in first.spans)
    return pairs, sum(min(count, theirs[key]) for key, count in mine.items())


def _match_disjoint(
    first: Sequence[AnnotationData], second: Sequence[AnnotationData]
) -> tuple[list[tuple[int, int]], int]:
    """Linear matching when neither side's spans overlap each other (the usual case): of
    two overlapping spans, the one ending first can overlap no later span of the other
    side, so pairing them is always part of a largest matching. Identical spans are
    always paired with each other, so exact matches are counted on the way."""
    pairs: list[tuple[int, int]] = []
    exact = i = j = 0
    count_first, count_second = len(first), len(second)
    while i < count_first and j < count_second:
        a, b = first[i], second[j]
        if a.start < b.end and b.start < a.end:
            pairs.append((i, j))
            if a.start == b.start and a.end == b.end:
                exact += 1
            i += 1
            j += 1
        elif a.end <= b.end:
            i += 1
        else:
            j += 1
    return pairs, exact


def match_overlapping(
    first: Sequence[AnnotationData], second: Sequence[AnnotationData]
) -> list[tuple[int, int]]:
    """One-to-one pairs (index in first, index in second) of overlapping annotations: a
    largest pairing, and among the largest ones, one with the most pairs of the same
    extent (a 5-character quote inside a 200-character one never takes the match from the
    identical 200-character quote of the other annotator). Fragmented spans overlap only
    through their pieces, and have the same extent when all their pieces are the same.

    The sweep (`_sweep`) finds a largest pairing in n log n. When it leaves identical spans
    apart, the identical ones are paired first and the rest swept again; only when that
    pairs fewer (rare: a nested span that only an identical one could have taken) is the
    best pairing searched for, by shortest augmenting paths in each cluster of overlapping
    spans.
    """
    pairs = _sweep(first, second)
    identical = _identical_pairs(first, second)
    if not identical or _count_identical(first, second, pairs) == len(identical):
        return pairs
    taken_first = {i for i, _ in identical}
    taken_second = {j for _, j in identical}
    rest_first = [i for i in range(len(first)) if i not in taken_first]
    rest_second = [j for j in range(len(second)) if j not in taken_second]
    rest = _sweep([first[i] for i in rest_first], [second[j] for j in rest_second])
    if len(identical) + len(rest) == len(pairs):
        identical.extend((rest_first[i], rest_second[j]) for i, j in rest)
        identical.sort()
        return identical
    return _best_pairing(first, second)


def _identical_pairs(
    first: Sequence[AnnotationData], second: Sequence[AnnotationData]
) -> list[tuple[int, int]]:
    """As many pairs of spans with the same pieces as there can be, in text order."""
    waiting: dict[tuple[Interval, ...], list[int]] = {}
    for index in range(len(second) - 1, -1, -1):
        waiting.setdefault(second[index].spans, []).append(index)
    pairs: list[tuple[int, int]] = []
    for index, span in enumerate(first):
        partners = waiting.get(span.spans)
        if partners:
            pairs.append((index, partners.pop()))
    return pairs


def _count_identical(
    first: Sequence[AnnotationData],
    second: Sequence[AnnotationData],
    pairs: Iterable[tuple[int, int]],
) -> int:
    return sum(first[i].spans == second[j].spans for i, j in pairs)


def _best_pairing(
    first: Sequence[AnnotationData], second: Sequence[AnnotationData]
) -> list[tuple[int, int]]:
    """A largest pairing with the most identical pairs, cluster by cluster (spans whose
    extents chain into one stretch of text), by successive shortest augmenting paths
    where a pair of the same extent costs -1 and any other overlapping pair 0."""
    items = sorted(
        [(span.start, span.end, 0, index) for index, span in enumerate(first)]
        + [(span.start, span.end, 1, index) for index, span in enumerate(second)]
    )
    pairs: list[tuple[int, int]] = []
    cluster: list[tuple[int, int, int, int]] = []
    reach = -1
    for item in [*items, (1 << 62, 1 << 62, 0, -1)]:
        if cluster and item[0] >= reach:
            left = [first[index] for *_, side, index in cluster if side == 0]
            right = [second[index] for *_, side, index in cluster if side == 1]
            left_index = [index for *_, side, index in cluster if side == 0]
            right_index = [index for *_, side, index in cluster if side == 1]
            pairs.extend(
                (left_index[i], right_index[j]) for i, j in _augmenting_pairing(left, right)
            )
            cluster = []
        cluster.append(item)
        reach = max(reach, item[1]) if len(cluster) > 1 else item[1]
    pairs.sort()
    return pairs


def _augmenting_pairing(
    first: Sequence[AnnotationData], second: Sequence[AnnotationData]
) -> list[tuple[int, int]]:
    """Minimum-cost largest pairing of one cluster (Bellman-Ford on the alternating paths
    from every unpaired span of `first`: each path found adds one pair)."""
    edges = [
        [(j, -1 if a.spans == b.spans else 0) for j, b in enumerate(second) if spans_overlap(a, b)]
        for a in first
    ]
    partner_of_first: list[int | None] = [None] * len(first)
    partner_of_second: list[int | None] = [None] * len(second)
    while True:
        distance: list[float] = [0.0 if p is None else math.inf for p in partner_of_first]
        previous: list[tuple[int, int] | None] = [None] * len(first)  # (left before, via right)
        changed = True
        while changed:
            changed = False
            for i, found in enumerate(edges):
                if distance[i] == math.inf:
                    continue
                for j, cost in found:
                    k = partner_of_second[j]
                    if k is None or k == i:
                        continue
                    back = next(c for jj, c in edges[k] if jj == j)
                    if distance[i] + cost - back < distance[k]:
                        distance[k] = distance[i] + cost - back
                        previous[k] = (i, j)
                        changed = True
        best: tuple[float, int, int] | None = None
        for i, found in enumerate(edges):
            if distance[i] == math.inf:
                continue
            for j, cost in found:
                if partner_of_second[j] is None and (best is None or distance[i] + cost < best[0]):
                    best = (distance[i] + cost, i, j)
        if best is None:
            break
        _, i, j = best
        while True:
            step = previous[i]
            partner_of_second[j] = i
            partner_of_first[i] = j
            if step is None:
                break
            i, j = step
    return [(i, j) for i, j in enumerate(partner_of_first) if j is not None]


def _sweep(
    first: Sequence[AnnotationData], second: Sequence[AnnotationData]
) -> list[tuple[int, int]]:
    """A largest one-to-one pairing of overlapping annotations, whatever their extents.

    A sweep in order of end offset: the span that ends first takes, among the unmatched spans
    of the other side that overlap it, the one that ends first. For continuous spans this
    gives a largest possible matching (an exchange argument: the earliest-ending span's
    partner can always be swapped in), in n log n. Fragmented spans overlap only through
    their pieces.
    """
    count = len(first)
    total = count + len(second)
    if not count or count == total:
        return []
    items = [*first, *second]
    starts = [item.start for item in items]
    ends = [item.end for item in items]
    fragmented = any(item.fragments for item in items)
    queues = (
        sorted(zip(starts[:count], range(count), strict=True)),
        sorted(zip(starts[count:], range(count, total), strict=True)),
    )
    pointers = [0, 0]
    heaps: tuple[list[tuple[int, int, int]], list[tuple[int, int, int]]] = ([], [])
    taken = [False] * total
    done = [False] * total
    pairs: list[tuple[int, int]] = []
    for end, _start, index in sorted(zip(ends, starts, range(total), strict=True)):
        done[index] = True
        if taken[index]:
            continue
        other = 1 if index < count else 0
        queue, heap, pointer = queues[other], heaps[other], pointers[other]
        while pointer < len(queue) and queue[pointer][0] < end:
            candidate = queue[pointer][1]
            heapq.heappush(heap, (ends[candidate], starts[candidate], candidate))
            pointer += 1
        pointers[other] = pointer
        while heap and (taken[heap[0][2]] or done[heap[0][2]]):
            heapq.heappop(heap)
        if not heap:
            continue
        partner = heap[0][2]
        if fragmented:
            found = _first_overlapping(items[index], items, heap, taken, done)
            if found is None:
                continue
            partner = found
        taken[index] = taken[partner] = True
        pairs.append((index, partner - count) if other else (partner, index - count))
    pairs.sort()
    return pairs


def _first_overlapping(
    item: AnnotationData,
    items: Sequence[AnnotationData],
    heap: list[tuple[int, int, int]],
    taken: list[bool],
    done: list[bool],
) -> int | None:
    """The earliest-ending free candidate that really overlaps `item` (fragments may leave a
    gap where the extents overlap); candidates passed over go back on the heap."""
    skipped: list[tuple[int, int, int]] = []
    found: int | None = None
    while heap:
        candidate = heap[0][2]
        if taken[candidate] or done[candidate]:
            heapq.heappop(heap)
            continue
        if spans_overlap(item, items[candidate]):
            found = candidate
            break
        skipped.append(heapq.heappop(heap))
    for entry in skipped:
        heapq.heappush(heap, entry)
    return found
