"""Counts that add up over documents, and the agreement coefficients computed from them.

Each tally holds sufficient statistics (integers wherever possible), so that a corpus result
is the sum of its documents' tallies and every coefficient is computed once from exact
numbers. A coefficient that is undefined for the data (no annotations, a single value
throughout, no chance disagreement) is None, which the JSON shows as null.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from statistics import fmean, pstdev
from typing import Any, Self

from db.agreement.spans import Interval

# Field metadata: the field is the same in every part (the number of annotators), so a sum
# keeps the first part's value instead of adding.
SAME_IN_EVERY_PART = {"sum": "first"}


def add_fields(mine: Any, other: Any) -> None:
    """Add `other`'s counts into `mine`, field by field, the one rule every tally sums by:
    numbers add, dicts of counts add per key (lists of counts element by element), lists of
    lengths join, nested tallies add themselves, and SAME_IN_EVERY_PART fields keep the first
    value that is set."""
    for spec in fields(mine):
        name = spec.name
        value, more = getattr(mine, name), getattr(other, name)
        if spec.metadata.get("sum") == "first":
            setattr(mine, name, value or more)
        elif isinstance(value, list):
            value.extend(more)
        elif isinstance(value, dict):
            for key, count in more.items():
                if isinstance(count, list):
                    counts = value.setdefault(key, [0] * len(count))
                    for index, part in enumerate(count):
                        counts[index] += part
                else:
                    value[key] = value.get(key, 0) + count
        elif isinstance(value, Summed):
            value.add(more)
        else:
            setattr(mine, name, value + more)


class Summed:
    """A tally (a dataclass of counts) that adds another of its kind into itself."""

    __slots__ = ()  # slotted tallies (one per document and label) stay without a __dict__

    def add(self, other: Self) -> None:
        """Add `other`'s counts into these (see add_fields)."""
        add_fields(self, other)


def ratio(part: int, whole: int) -> float | None:
    """part / whole, or None when there is no whole (the measure is undefined)."""
    return part / whole if whole else None


def mean_and_sd(values: Iterable[float | None]) -> tuple[float | None, float | None]:
    """Mean and population standard deviation over pairs of annotators, leaving out pairs
    where the measure is undefined; the deviation needs two defined values."""
    defined = [v for v in values if v is not None]
    if not defined:
        return None, None
    return fmean(defined), (pstdev(defined) if len(defined) > 1 else None)


@dataclass
class SpanTally(Summed):
    """Spans of one label: how many each side has and how many pair up.

    `first` is the reference (precision is of `second` against it). Exact matches need the
    same pieces of text; overlap matches are one-to-one pairs that share text.
    """

    first: int = 0
    second: int = 0
    exact: int = 0
    overlap: int = 0

    def precision(self, matches: int) -> float | None:
        """Of the second's spans, the share matched (exact or overlap `matches`)."""
        return ratio(matches, self.second)

    def recall(self, matches: int) -> float | None:
        """Of the first's (the reference's) spans, the share matched."""
        return ratio(matches, self.first)

    def f1(self, matches: int) -> float | None:
        """The harmonic mean of precision and recall, from the counts."""
        return ratio(2 * matches, self.first + self.second)


@dataclass
class TokenTally(Summed):
    """A 2x2 table of tokens: inside the label for both, for the first only, the second only;
    `total` tokens were compared (the rest are outside the label for both)."""

    both: int = 0
    first_only: int = 0
    second_only: int = 0
    total: int = 0

    def kappa(self) -> float | None:
        """Cohen's kappa, (p_o - p_e) / (1 - p_e), in integers scaled by total squared, so
        that 'no chance disagreement' (p_e = 1) is detected exactly and gives None."""
        n = self.total
        neither = n - self.both - self.first_only - self.second_only
        first_yes = self.both + self.first_only
        second_yes = self.both + self.second_only
        chance = first_yes * second_yes + (n - first_yes) * (n - second_yes)
        denominator = n * n - chance
        if n == 0 or denominator == 0:
            return None
        return (n * (self.both + neither) - chance) / denominator


@dataclass
class AlphaTally(Summed):
    """Krippendorff's alpha (nominal) for one label over tokens, values in/out of the label.

    `values` counts pairable values (tokens times the annotators present, where two or more
    are), `inside` how many of them are 'in the label', and `mismatches[m]` sums k * (m - k)
    over tokens with m annotators present of whom k put the token in the label.
    """

    values: int = 0
    inside: int = 0
    mismatches: dict[int, int] = field(default_factory=dict)

    def alpha(self) -> float | None:
        """1 - (n - 1) * o_01 / (n_0 * n_1), with o_01 = sum of k (m - k) / (m - 1): the
        coincidence-matrix form for two values (Krippendorff 2011, "Computing Krippendorff's
        alpha-reliability"). Undefined when every value is the same."""
        outside = self.values - self.inside
        if self.inside == 0 or outside == 0:
            return None
        observed = sum(total / (m - 1) for m, total in self.mismatches.items())
        return 1.0 - (self.values - 1) * observed / (self.inside * outside)


@dataclass
class TokenAlphaTally(Summed):
    """Krippendorff's alpha (nominal) over tokens with one multi-valued variable per token:
    its label, or none, as attribution corpora publish it (PARC 3.0 and its kin).

    A token inside two labels for one annotator (a cue inside a quote) has the combined
    value ("Cue+Quote"). `values` counts pairable values (tokens times the annotators
    present, where two or more are), `by_value` how many of them have each label value
    (the rest are none), and `disagreements[m]` sums m^2 - sum_c n_c^2 over the tokens
    with m annotators present, n_c of whom gave value c.
    """

    values: int = 0
    by_value: dict[str, int] = field(default_factory=dict)
    disagreements: dict[int, int] = field(default_factory=dict)

    def none(self) -> int:
        """How many pairable values are no label at all."""
        return self.values - sum(self.by_value.values())

    def alpha(self) -> float | None:
        """1 - (n - 1) * sum_u (m_u^2 - sum_c n_uc^2) / (m_u - 1) / (n^2 - sum_c n_c^2): the
        coincidence-matrix form (Krippendorff 2011). Undefined when every value is one."""
        n = self.values
        squares = self.none() ** 2 + sum(count * count for count in self.by_value.values())
        expected = n * n - squares
        if n == 0 or expected == 0:
            return None
        observed = sum(total / (m - 1) for m, total in self.disagreements.items())
        return 1.0 - (n - 1) * observed / expected


@dataclass
class UnitizingTally(Summed):
    """Krippendorff's unitizing alpha (alpha_U) for one label over a continuum of code points.

    `coders` annotators each cut the continuum (`length` code points: the documents' texts
    end to end) into units of the label and gaps. `observed` is the sum, over unordered pairs
    of annotators, of the squared distances between their overlapping segments;
    `units` and `gaps` are all segment lengths (a gap never runs across a document boundary).
    """

    coders: int = field(default=0, metadata=SAME_IN_EVERY_PART)
    length: int = 0
    observed: int = 0
    units: list[int] = field(default_factory=list)
    gaps: list[int] = field(default_factory=list)

    def disagreements(self) -> tuple[float, float] | None:
        """(D_o, D_e) after Krippendorff (2004, sec. 12.5; 1995), or None when D_e is 0.

        D_o = sum over ordered pairs of coders and their segments g, h of delta^2(g, h),
              divided by m (m - 1) L^2, where delta^2 of two overlapping units is
              (b_g - b_h)^2 + (e_g - e_h)^2, of a unit lying inside the other coder's gap
              its length squared, and 0 otherwise.
        D_e = 2/L * sum over units u [ (N - 1)(2 l^3 - 3 l^2 + l) / 3
                                       + l^2 * sum over gaps k with l_k >= l of (l_k - l + 1) ]
              divided by m L (m L - 1) - sum over units of l (l - 1).
        """
        m, length, count = self.coders, self.length, len(self.units)
        if m < 2 or length == 0 or count == 0:
            return None
        units = Counter(self.units)
        cubic = sum(n * u * (u - 1) * (2 * u - 1) for u, n in units.items())
        squares = sum(n * u * (u - 1) for u, n in units.items())
        numerator = (count - 1) * cubic + 3 * _gap_term(units, Counter(self.gaps))
        denominator = m * length * (m * length - 1) - squares
        if numerator == 0 or denominator <= 0:
            return None
        observed = 2 * self.observed / (m * (m - 1) * length * length)
        expected = 2 * numerator / (3 * length * denominator)
        return observed, expected

    def alpha(self) -> float | None:
        """Krippendorff's unitizing alpha, 1 - D_o / D_e; None when undefined."""
        found = self.disagreements()
        return None if found is None else 1.0 - found[0] / found[1]


def _gap_term(units: Counter[int], gaps: Counter[int]) -> int:
    """sum over units of l^2 * sum over gaps at least as long of (l_k - l + 1), by sorted
    gap lengths with suffix sums: linear in the number of distinct lengths."""
    lengths = sorted(gaps)
    suffix_count = [0] * (len(lengths) + 1)
    suffix_total = [0] * (len(lengths) + 1)
    for index in range(len(lengths) - 1, -1, -1):
        gap = lengths[index]
        suffix_count[index] = suffix_count[index + 1] + gaps[gap]
        suffix_total[index] = suffix_total[index + 1] + gaps[gap] * gap
    term = 0
    for unit, repeats in units.items():
        index = bisect_left(lengths, unit)
        fits = suffix_total[index] - (unit - 1) * suffix_count[index]
        term += repeats * unit * unit * fits
    return term


def unitizing_observed(first: Sequence[Interval], second: Sequence[Interval]) -> int:
    """Sum of delta^2 between two coders' units (each list sorted and non-overlapping).

    Overlapping units add (b1 - b2)^2 + (e1 - e2)^2; a unit that overlaps none of the other
    coder's lies inside one of their gaps and adds its length squared. A two-pointer merge
    visits every overlapping pair once.
    """
    total = i = j = 0
    hit_first = hit_second = False
    count_first, count_second = len(first), len(second)
    while i < count_first and j < count_second:
        start1, end1 = first[i]
        start2, end2 = second[j]
        if start1 < end2 and start2 < end1:
            begins, ends = start1 - start2, end1 - end2
            total += begins * begins + ends * ends
            hit_first = hit_second = True
        if end1 <= end2:
            if not hit_first:
                total += (end1 - start1) * (end1 - start1)
            i += 1
            hit_first = False
        else:
            if not hit_second:
                total += (end2 - start2) * (end2 - start2)
            j += 1
            hit_second = False
    for units, index, hit in ((first, i, hit_first), (second, j, hit_second)):
        for start, end in units[index + 1 if hit else index :]:
            total += (end - start) * (end - start)
    return total


def gap_lengths(units: Sequence[Interval], length: int) -> list[int]:
    """The stretches of a text of this length outside one coder's (sorted) units."""
    gaps: list[int] = []
    position = 0
    for start, end in units:
        if start > position:
            gaps.append(start - position)
        position = max(position, end)
    if length > position:
        gaps.append(length - position)
    return gaps


@dataclass
class LinkTally(Summed):
    """Coreference of matched mentions: common and own links, and B-cubed sums.

    `common` counts mention pairs in one entity for both annotators, `first_links` and
    `second_links` those of each; B-cubed adds, per matched mention, the share of its
    entity the other annotator agrees with.
    """

    mentions_first: int = 0
    mentions_second: int = 0
    matched: int = 0
    common: int = 0
    first_links: int = 0
    second_links: int = 0
    b3_precision_sum: float = 0.0
    b3_recall_sum: float = 0.0


@dataclass
class AttributionTally(Summed):
    """Speakers, cues and event arguments of the quotes and events both annotators marked."""

    quotes_matched: int = 0
    speaker_compared: int = 0
    speaker_agreed: int = 0
    cue_compared: int = 0
    cue_agreed: int = 0
    events_matched: int = 0
    roles: dict[str, list[int]] = field(default_factory=dict)  # role -> [matched, first, second]
