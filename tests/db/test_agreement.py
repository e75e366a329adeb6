"""Inter-annotator agreement (db/agreement/measure.py): hand-computed cases, Krippendorff's textbook
examples, and generated data checked against independent implementations (the
`krippendorff` package, nltk, and brute-force versions written here)."""

from __future__ import annotations

import json
import math
import random
import re
from collections.abc import Sequence
from itertools import combinations
from pathlib import Path
from typing import Any

import krippendorff
import numpy as np
import pytest
from nltk.metrics.agreement import AnnotationTask

from db.agreement.measure import AgreementResult, agreement
from db.agreement.spans import match_overlapping
from db.agreement.stats import UnitizingTally, gap_lengths, unitizing_observed
from db.errors import SpanwiseError
from db.files.text_files import text_sha256
from db.records import AnnotationData, DocumentData, EntityData, ExportedDocument, RelationData
from db.store import Store
from seeds import seed_paths
from tests.db.conftest import OpenStore

Span = tuple[str, str, int, int]  # annotator, label, start, end
MEASURES = ("exact_f1", "overlap_f1", "kappa", "alpha", "alpha_u")


# -- building annotators' work through the Store ----------------------------------------------


class Work:
    """Documents with several annotators' spans, links and entities, imported in one go."""

    def __init__(self) -> None:
        self.documents: list[ExportedDocument] = []
        self._ids = 0

    def next_id(self, prefix: str) -> str:
        self._ids += 1
        return f"{prefix}{self._ids}"

    def document(
        self,
        text: str,
        spans: Sequence[Span] = (),
        statuses: dict[str, str] | None = None,
        title: str | None = None,
    ) -> ExportedDocument:
        annotations = [self.annotation(who, label, start, end) for who, label, start, end in spans]
        present = statuses if statuses is not None else {who: "done" for who, *_ in spans}
        item = ExportedDocument(
            DocumentData(
                "", title or f"Document {len(self.documents) + 1}", "t.txt", text,
                text_sha256(text), "2026-11-26T00:00:00.000Z",
            ),
            present,
            annotations,
        )  # fmt: skip
        self.documents.append(item)
        return item

    def annotation(
        self,
        who: str,
        label: str,
        start: int,
        end: int,
        fragments: tuple[tuple[int, int], ...] = (),
    ) -> AnnotationData:
        return AnnotationData(
            self.next_id("a"), "", who, label, start, end, {}, None,
            "2026-11-26T00:00:00.000Z", "2026-11-26T00:00:00.000Z", fragments,
        )  # fmt: skip

    def link(
        self, item: ExportedDocument, kind: str, source: AnnotationData, target: AnnotationData
    ) -> None:
        item.relations.append(
            RelationData(self.next_id("r"), "", source.annotator, kind, source.id, target.id)
        )

    def entity(self, item: ExportedDocument, name: str, *mentions: AnnotationData) -> None:
        item.entities.append(
            EntityData(
                self.next_id("e"), "", mentions[0].annotator, name, "person",
                tuple(m.id for m in mentions),
            )
        )  # fmt: skip

    def save(self, store: Store) -> Store:
        store.import_batch([], [(store.schema(), self.documents)])
        return store


def add(
    item: ExportedDocument, work: Work, who: str, label: str, start: int, end: int
) -> AnnotationData:
    annotation = work.annotation(who, label, start, end)
    item.annotations.append(annotation)
    item.statuses.setdefault(who, "done")
    return annotation


def at(text: str, words: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the nth occurrence of `words` in `text`."""
    index = -1
    for _ in range(nth + 1):
        index = text.index(words, index + 1)
    return index, index + len(words)


def custom_store(open_store: OpenStore, tmp_path: Path, *labels: str) -> Store:
    schema = {
        "name": "test",
        "labels": [{"name": label, "colour": "#336699"} for label in labels],
    }
    return open_store(tmp_path / "custom.db", json.dumps(schema))


# -- hand-computed small cases ----------------------------------------------------------------

TEXT = "Alice said that Bob left. Carol agreed, said Dan."
#       0    5    10   15   20   25   30   35   40   45


def small_case(store: Store) -> AgreementResult:
    work = Work()
    work.document(
        TEXT,
        [
            ("ana", "Speaker", *at(TEXT, "Alice")),
            ("ana", "Cue", *at(TEXT, "said")),
            ("ana", "Quote", *at(TEXT, "Bob left")),
            ("ana", "Speaker", *at(TEXT, "Dan")),
            ("ben", "Speaker", *at(TEXT, "Alice")),
            ("ben", "Cue", *at(TEXT, "said", 1)),
            ("ben", "Quote", *at(TEXT, "that Bob left")),
        ],
    )
    work.save(store)
    return agreement(store, ["ana", "ben"])


def test_span_precision_recall_f1_by_hand(store: Store) -> None:
    result = small_case(store)
    speaker, quote, cue = (result.labels[name] for name in ("Speaker", "Quote", "Cue"))
    # Speaker: ana has Alice and Dan, ben only Alice; ben's one span matches exactly.
    assert (speaker.exact_precision, speaker.exact_recall) == (1.0, 0.5)
    assert speaker.exact_f1 == pytest.approx(2 / 3)
    # Quote: "Bob left" inside "that Bob left": no exact match, one overlap match.
    assert (quote.exact_f1, quote.overlap_f1) == (0.0, 1.0)
    # Cue: the two "said"s do not overlap at all.
    assert (cue.exact_f1, cue.overlap_f1) == (0.0, 0.0)
    overall = result.overall
    assert overall.counts.exact_matches == 1
    assert overall.counts.overlap_matches == 2
    assert overall.exact_precision == pytest.approx(1 / 3)  # 1 of ben's 3
    assert overall.exact_recall == pytest.approx(1 / 4)  # 1 of ana's 4
    assert overall.overlap_f1 == pytest.approx(2 * 2 / 7)
    assert overall.counts.annotations == {"ana": 4, "ben": 3}


def test_token_kappa_and_alpha_by_hand(store: Store) -> None:
    result = small_case(store)
    # Tokens: Alice said that Bob left . Carol agreed , said Dan .  -> 12
    assert result.overall.counts.tokens_compared == 12
    quote = result.labels["Quote"]
    # ana: Bob left (2 tokens), ben: that Bob left (3). Table: both 2, ben only 1, none 9.
    n, both, ben_only, neither = 12, 2, 1, 9
    observed = (both + neither) / n
    chance = (2 / n) * (3 / n) + (10 / n) * (9 / n)
    assert quote.kappa == pytest.approx((observed - chance) / (1 - chance))
    # alpha (nominal), two coders: 1 - (n_values - 1) * o_01 / (n_0 * n_1)
    values, inside = 2 * n, 2 * both + ben_only
    assert quote.alpha == pytest.approx(1 - (values - 1) * ben_only / (inside * (values - inside)))
    assert quote.counts.tokens == {"ana": 2, "ben": 3}


def test_identical_annotations_agree_perfectly(store: Store) -> None:
    work = Work()
    spans = [("Quote", *at(TEXT, "Bob left")), ("Speaker", *at(TEXT, "Alice"))]
    work.document(TEXT, [(who, *span) for who in ("ana", "ben") for span in spans])
    result = agreement(work.save(store), ["ana", "ben"])
    for label in ("Quote", "Speaker"):
        row = result.labels[label]
        assert [getattr(row, key) for key in MEASURES] == [1.0] * 5
    assert [getattr(result.overall, key) for key in MEASURES] == [1.0] * 5
    # A label nobody used has nothing to agree on.
    assert [getattr(result.labels["Place"], key) for key in MEASURES] == [None] * 5


def test_nothing_annotated_gives_nulls_not_errors(store: Store) -> None:
    work = Work()
    work.document(TEXT, [], statuses={"ana": "done", "ben": "done"})
    work.save(store)
    store.ensure_annotator("ana")
    store.ensure_annotator("ben")
    result = agreement(store, ["ana", "ben"])
    data = result.to_json()
    assert data["overall"]["counts"]["documents"] == 1
    for row in [data["overall"], *data["labels"].values()]:
        assert [row[key] for key in MEASURES] == [None] * 5
    assert data["attribution"]["speaker"] is None
    assert data["coreference"]["b3_f1"] is None
    json.dumps(data, allow_nan=False)


def test_annotator_who_never_opened_a_document_is_not_counted_as_disagreeing(
    store: Store,
) -> None:
    work = Work()
    quote = ("Quote", *at(TEXT, "Bob left"))
    work.document(TEXT, [("ana", *quote), ("ben", *quote)])
    # The second text: only ana worked on it; ben's status is 'new'.
    other = "Nobody else looked at this text."
    work.document(other, [("ana", "Quote", 0, 6)], statuses={"ana": "done", "ben": "new"})
    # The third: ben marked it done without annotating: every span of ana's is a miss.
    third = "Carol agreed with Dan."
    work.document(third, [("ana", "Speaker", 0, 5)], statuses={"ana": "done", "ben": "done"})
    result = agreement(work.save(store), ["ana", "ben"])
    assert result.overall.counts.documents == 2
    assert result.labels["Quote"].exact_f1 == 1.0
    assert result.labels["Speaker"].exact_recall == 0.0
    [skipped] = [d for d in result.documents.values() if d.title == "Document 2"]
    assert skipped.annotators == ["ana"]
    assert skipped.overall.exact_f1 is None


def test_three_annotators_mean_and_sd_over_pairs(store: Store) -> None:
    work = Work()
    alice, dan = at(TEXT, "Alice"), at(TEXT, "Dan")
    work.document(
        TEXT,
        [
            ("ana", "Speaker", *alice), ("ana", "Speaker", *dan),
            ("ben", "Speaker", *alice), ("ben", "Speaker", *dan),
            ("cy", "Speaker", *alice),
        ],
    )  # fmt: skip
    result = agreement(work.save(store), ["ana", "ben", "cy"])
    speaker = result.labels["Speaker"]
    pair_f1 = [1.0, 2 / 3, 2 / 3]  # ana/ben, ana/cy, ben/cy
    mean = sum(pair_f1) / 3
    assert speaker.exact_f1 == pytest.approx(mean)
    assert speaker.sd["exact_f1"] == pytest.approx(
        math.sqrt(sum((f - mean) ** 2 for f in pair_f1) / 3)
    )
    assert [(p.first, p.second) for p in result.pairs] == [
        ("ana", "ben"), ("ana", "cy"), ("ben", "cy"),
    ]  # fmt: skip
    assert [p.labels["Speaker"].exact_f1 for p in result.pairs] == pytest.approx(pair_f1)
    # With two annotators there is no spread to report.
    assert agreement(store, ["ana", "ben"]).labels["Speaker"].sd["exact_f1"] is None


def test_overlap_matching_pairs_each_span_once(store: Store) -> None:
    text = "one two three four five six seven eight"
    work = Work()
    # ana's long quote overlaps both of ben's short ones, but can pair with only one.
    work.document(
        text,
        [
            ("ana", "Quote", *at(text, "one two three four")),
            ("ben", "Quote", *at(text, "one two")),
            ("ben", "Quote", *at(text, "three four")),
        ],
    )
    row = agreement(work.save(store), ["ana", "ben"]).labels["Quote"]
    assert row.counts.overlap_matches == 1
    assert (row.overlap_precision, row.overlap_recall) == (0.5, 1.0)


LONG_QUOTE = (
    "The barrier held all through the night, and the water never reached the houses on the lower "
    "road, which is more than anyone on the council dared to promise when the river rose so "
    "fast on Sunday night."
)
QUOTED = f"“{LONG_QUOTE},” said Mayor Ruth Okafor. Her deputy, Tom Ash, agreed."


def test_a_short_span_inside_a_long_one_leaves_the_match_to_the_identical_span(
    store: Store,
) -> None:
    """ana marks the 200-character quote; ben marks the same quote and, inside it, a
    5-character quote he gives to another speaker. ana's quote pairs with ben's identical
    one, so the speakers are compared between the two long quotes and agree."""
    assert len(LONG_QUOTE) == 200
    work = Work()
    item = work.document(QUOTED)
    quotes = {}
    for who in ("ana", "ben"):
        quotes[who] = add(item, work, who, "Quote", *at(QUOTED, LONG_QUOTE))
        mayor = add(item, work, who, "Speaker", *at(QUOTED, "Mayor Ruth Okafor"))
        work.link(item, "speaker", quotes[who], mayor)
    inner = add(item, work, "ben", "Quote", *at(QUOTED, "water"))
    work.link(item, "speaker", inner, add(item, work, "ben", "Speaker", *at(QUOTED, "Tom Ash")))
    result = agreement(work.save(store), ["ana", "ben"])
    row = result.labels["Quote"]
    assert (row.counts.exact_matches, row.counts.overlap_matches) == (1, 1)
    assert (row.overlap_precision, row.overlap_recall) == (0.5, 1.0)
    attribution = result.section.attribution
    assert (attribution.speaker_agreed, attribution.speaker_compared) == (1, 1)
    assert confusion_of(result)[None, "Quote"] == 1  # the short one is ben's alone
    # The same the other way round (ben is the reference).
    reverse = agreement(store, ["ben", "ana"])
    assert reverse.section.attribution.speaker == 1.0
    assert reverse.labels["Quote"].counts.exact_matches == 1


def best_pairing_brute_force(
    first: Sequence[tuple[int, int]], second: Sequence[tuple[int, int]]
) -> tuple[int, int]:
    """(size, identical pairs) of the best one-to-one pairing of overlapping intervals:
    largest first, then most pairs of the same extent; every pairing tried."""
    best = (0, 0)

    def walk(i: int, used: frozenset[int], size: int, same: int) -> None:
        nonlocal best
        best = max(best, (size, same))
        if i == len(first):
            return
        walk(i + 1, used, size, same)
        a = first[i]
        for j, b in enumerate(second):
            if j not in used and a[0] < b[1] and b[0] < a[1]:
                walk(i + 1, used | {j}, size + 1, same + (a == b))

    walk(0, frozenset(), 0, 0)
    return best


def test_overlap_pairing_is_largest_then_most_identical_against_brute_force() -> None:
    rng = random.Random(3)
    work = Work()
    checked_nested = 0
    for _ in range(1500):
        spans = []
        for who in ("ana", "ben"):
            for _ in range(rng.randrange(0, 6)):
                start = rng.randrange(0, 12)
                spans.append((who, start, start + rng.randrange(1, 8)))
        if rng.random() < 0.5:  # copy some spans across, to have identical ones
            spans += [("ben", s, e) for who, s, e in spans if who == "ana" and rng.random() < 0.5]
        first = [work.annotation("ana", "Quote", s, e) for who, s, e in spans if who == "ana"]
        second = [work.annotation("ben", "Quote", s, e) for who, s, e in spans if who == "ben"]
        pairs = match_overlapping(first, second)
        assert len({i for i, _ in pairs}) == len({j for _, j in pairs}) == len(pairs)
        for i, j in pairs:
            assert first[i].start < second[j].end and second[j].start < first[i].end
        same = sum(first[i].spans == second[j].spans for i, j in pairs)
        assert (len(pairs), same) == best_pairing_brute_force(
            [a.spans[0] for a in first], [b.spans[0] for b in second]
        )
        checked_nested += any(a.start < b.start and b.end < a.end for a in first for b in second)
    assert checked_nested > 100


def test_fragments_count_as_their_pieces(store: Store) -> None:
    text = "“We stay,” she said, “and we fight.”"
    first = at(text, "“We stay,”")
    second = at(text, "“and we fight.”")
    work = Work()
    item = work.document(text)
    for who in ("ana", "ben"):
        quote = work.annotation(who, "Quote", first[0], second[1], (first, second))
        item.annotations.append(quote)
        item.statuses[who] = "done"
    whole = work.annotation("cy", "Quote", first[0], second[1])
    item.annotations.append(whole)
    item.statuses["cy"] = "done"
    work.save(store)
    same = agreement(store, ["ana", "ben"]).labels["Quote"]
    assert (same.exact_f1, same.alpha_u, same.kappa) == (1.0, 1.0, 1.0)
    differ = agreement(store, ["ana", "cy"]).labels["Quote"]
    assert differ.exact_f1 == 0.0  # the same extent, but cy's quote has no gap
    assert differ.overlap_f1 == 1.0
    # "she said ," lies in the gap: 3 tokens in cy's quote and not in ana's.
    assert differ.counts.tokens == {"ana": 11, "cy": 14}
    assert differ.alpha_u is not None and differ.alpha_u < 1.0


def test_code_point_offsets_with_emoji_combining_marks_and_crlf(store: Store) -> None:
    text = "Cafe\u0301 👍🏽 said:\r\n“Ça va.”"
    work = Work()
    cafe = at(text, "Cafe\u0301")
    quote = at(text, "“Ça va.”")
    work.document(
        text,
        [("ana", "Speaker", *cafe), ("ben", "Speaker", *cafe), ("ana", "Quote", *quote),
         ("ben", "Quote", quote[0] + 1, quote[1] - 1)],
    )  # fmt: skip
    result = agreement(work.save(store), ["ana", "ben"])
    # Tokens: Café (one, with its combining accent) 👍 🏽 said : “ Ça va . ”
    assert result.overall.counts.tokens_compared == 10
    assert result.labels["Speaker"].counts.tokens == {"ana": 1, "ben": 1}
    assert result.labels["Quote"].counts.tokens == {"ana": 5, "ben": 3}
    assert result.labels["Speaker"].exact_f1 == 1.0


# -- unitizing alpha: Krippendorff's own examples --------------------------------------------


def unitizing(units: Sequence[Sequence[tuple[int, int]]], length: int) -> UnitizingTally:
    """A tally for coders' (start, length) units on [0, length)."""
    coders = [sorted((start, start + size) for start, size in mine) for mine in units]
    tally = UnitizingTally(len(coders), length)
    for first, second in combinations(coders, 2):
        tally.observed += unitizing_observed(first, second)
    for mine in coders:
        tally.units.extend(end - start for start, end in mine)
        tally.gaps.extend(gap_lengths(mine, length))
    return tally


def textbook_2004() -> tuple[UnitizingTally, UnitizingTally]:
    """Krippendorff (2004, p. 254): two observers on a continuum from 150 to 450."""
    c = unitizing([[(75, 70), (220, 30)], [(70, 80), (205, 20), (250, 20)]], 300)
    k = unitizing([[(30, 60), (150, 50)], [(30, 60), (150, 50)]], 300)
    return c, k


def test_unitizing_alpha_reproduces_the_textbook_example() -> None:
    c, k = textbook_2004()
    observed, expected = c.disagreements() or (0, 0)
    assert observed == pytest.approx(0.0144, abs=5e-5)
    assert expected == pytest.approx(0.0532, abs=5e-5)
    assert c.alpha() == pytest.approx(0.7286, abs=5e-4)
    assert k.alpha() == 1.0


def test_unitizing_alpha_of_the_textbook_example_through_the_store(
    open_store: OpenStore, tmp_path: Path
) -> None:
    store = custom_store(open_store, tmp_path, "c", "k")
    text = "x" * 300
    spans = {
        "i": [("c", 75, 70), ("c", 220, 30), ("k", 30, 60), ("k", 150, 50)],
        "j": [("c", 70, 80), ("c", 205, 20), ("c", 250, 20), ("k", 30, 60), ("k", 150, 50)],
    }
    work = Work()
    work.document(
        text,
        [(who, label, start, start + size) for who, units in spans.items()
         for label, start, size in units],
    )  # fmt: skip
    result = agreement(work.save(store), ["i", "j"])
    assert result.labels["c"].alpha_u == pytest.approx(0.7286, abs=5e-4)
    assert result.labels["k"].alpha_u == 1.0
    # Both categories together: 1 - sum of D_o / sum of D_e (0.8591 in the book, which
    # rounds each term to four places; DKPro gets 0.8587).
    assert result.overall.alpha_u == pytest.approx(0.8587, abs=5e-4)


def test_unitizing_observed_disagreement_of_the_1995_examples() -> None:
    """Krippendorff (1995, p. 57): four pairs of observers on 24 positions."""
    examples = {
        "A": ([(2, 8), (14, 6)], [(4, 4), (15, 2)], 0.03125),
        "B": ([(0, 18)], [(0, 2), (2, 1), (3, 1), (4, 1), (5, 1), (6, 3), (9, 1)], 2.26736),
        "C": ([(2, 6), (10, 2), (14, 4), (20, 2)], [(0, 2), (4, 4), (10, 4), (16, 2), (20, 2)],
              0.02777),
        "D": ([(0, 2), (2, 8), (10, 4), (14, 6), (20, 4)],
              [(0, 4), (4, 4), (8, 7), (15, 2), (17, 7)], 0.38715),
    }  # fmt: skip
    for first, second, observed in examples.values():
        found = unitizing([first, second], 24).disagreements()
        assert found is not None
        assert found[0] == pytest.approx(observed, abs=1e-5)


def test_unitizing_alpha_degenerate_cases() -> None:
    assert unitizing([[(3, 4)], [(3, 4)]], 20).alpha() == 1.0
    assert unitizing([[], []], 20).alpha() is None  # no units: nothing to agree on
    # One coder marks the whole continuum and the other nothing: worse than chance.
    whole = unitizing([[(0, 20)], []], 20).alpha()
    assert whole is not None and whole < 0


def brute_force_unitizing_alpha(
    coders: list[list[tuple[int, int]]], length: int, ends: Sequence[int] = ()
) -> float:
    """Krippendorff's alpha_U written out as in the book: every pair of segments (units and
    gaps) of every ordered pair of coders, and every unit against every gap. `ends` are
    document ends inside the continuum, where a gap stops."""
    segments = []
    stops = sorted({*ends, length})
    for mine in coders:
        cut: list[tuple[int, int, bool]] = []
        position = 0
        for start, end in sorted(mine):
            for stop in stops:
                if position < stop <= start:
                    cut.append((position, stop, False))
                    position = stop
            if start > position:
                cut.append((position, start, False))
            cut.append((start, end, True))
            position = end
        for stop in stops:
            if position < stop:
                cut.append((position, stop, False))
                position = stop
        segments.append(cut)
    m = len(coders)
    observed = 0.0
    for i in range(m):
        for j in range(m):
            if i == j:
                continue
            for b1, e1, unit1 in segments[i]:
                for b2, e2, unit2 in segments[j]:
                    if unit1 and unit2 and b1 < e2 and b2 < e1:
                        observed += (b1 - b2) ** 2 + (e1 - e2) ** 2
                    elif unit1 and not unit2 and b2 <= b1 and e1 <= e2:
                        observed += (e1 - b1) ** 2
                    elif unit2 and not unit1 and b1 <= b2 and e2 <= e1:
                        observed += (e2 - b2) ** 2
    observed /= m * (m - 1) * length**2
    units = [e - b for cut in segments for b, e, unit in cut if unit]
    gaps = [e - b for cut in segments for b, e, unit in cut if not unit]
    n = len(units)
    expected = 0.0
    for size in units:
        expected += (n - 1) * (2 * size**3 - 3 * size**2 + size) / 3
        expected += size**2 * sum(g - size + 1 for g in gaps if g >= size)
    expected *= 2 / length
    expected /= m * length * (m * length - 1) - sum(u * (u - 1) for u in units)
    return 1 - observed / expected


def random_units(rng: random.Random, length: int) -> list[tuple[int, int]]:
    units = []
    position = rng.randrange(0, 5)
    while position < length - 2:
        size = rng.randrange(1, 8)
        if position + size > length:
            break
        units.append((position, position + size))
        position += size + rng.randrange(0, 6)
    return units


def test_unitizing_alpha_matches_a_brute_force_version() -> None:
    rng = random.Random(7)
    for _ in range(40):
        length = rng.randrange(20, 60)
        coders = [random_units(rng, length) for _ in range(rng.choice((2, 3)))]
        if not any(coders):
            continue
        tally = UnitizingTally(len(coders), length)
        for first, second in combinations(coders, 2):
            tally.observed += unitizing_observed(first, second)
        for mine in coders:
            tally.units.extend(e - s for s, e in mine)
            tally.gaps.extend(gap_lengths(mine, length))
        assert tally.alpha() == pytest.approx(brute_force_unitizing_alpha(coders, length))


# -- generated corpora against independent implementations -----------------------------------

WORDS = [
    "the",
    "minister",
    "said",
    "that",
    "troops",
    "and",
    "trucks",
    "were",
    "sent",
    "to",
    "Kyiv",
    "on",
    "Tuesday",
    "night",
]
LABELS = ("Quote", "Speaker", "Cue", "Event")
TOKEN = re.compile(r"\w+|[^\w\s]")  # the documented tokenisation, for ASCII text


def generated_corpus(seed: int, annotators: Sequence[str], documents: int) -> Work:
    """Texts with punctuation; annotators who copy a reference with changes, skip some
    documents entirely, and nest and overlap spans of one label now and then."""
    rng = random.Random(seed)
    work = Work()
    for _ in range(documents):
        words = [rng.choice(WORDS) + rng.choice(["", "", ",", "."]) for _ in range(60)]
        text = " ".join(words)
        bounds = [m.span() for m in re.finditer(r"\w+", text)]
        reference = []
        for _ in range(rng.randrange(3, 12)):
            first = rng.randrange(len(bounds) - 6)
            last = first + rng.randrange(0, 5)
            reference.append((rng.choice(LABELS), bounds[first][0], bounds[last][1]))
        spans: list[Span] = []
        statuses = {}
        for who in annotators:
            if rng.random() < 0.15:
                statuses[who] = "new"
                continue
            statuses[who] = "done"
            for label, start, end in reference:
                roll = rng.random()
                if roll < 0.15:
                    continue
                if roll < 0.25:
                    label = rng.choice(LABELS)
                elif roll < 0.4:
                    start = min(end - 1, start + rng.randrange(0, 4))
                spans.append((who, label, start, end))
        work.document(text, spans, statuses)
    return work


def token_values(item: ExportedDocument, who: str, label: str) -> list[int]:
    """1 for each token lying wholly inside text `who` gave `label` (independently: a
    per-code-point mask, not interval arithmetic)."""
    covered = [False] * len(item.document.text)
    for a in item.annotations:
        if a.annotator == who and a.label == label:
            for start, end in a.spans:
                covered[start:end] = [True] * (end - start)
    return [int(all(covered[m.start() : m.end()])) for m in TOKEN.finditer(item.document.text)]


def present(item: ExportedDocument, who: str) -> bool:
    return item.statuses.get(who) == "done" or any(a.annotator == who for a in item.annotations)


@pytest.fixture
def corpus_store(store: Store) -> tuple[Store, list[ExportedDocument]]:
    generated_corpus(11, ["ana", "ben", "cy"], 25).save(store)
    return store, store.export_documents()


def test_alpha_matches_the_krippendorff_package(
    corpus_store: tuple[Store, list[ExportedDocument]],
) -> None:
    store, documents = corpus_store
    annotators = ["ana", "ben", "cy"]
    result = agreement(store, annotators)
    pooled: list[list[float]] = [[] for _ in annotators]
    for label in LABELS:
        matrix: list[list[float]] = [[] for _ in annotators]
        for item in documents:
            if sum(present(item, who) for who in annotators) < 2:
                continue
            for row, who in zip(matrix, annotators, strict=True):
                values = token_values(item, who, label)
                row.extend(values if present(item, who) else [np.nan] * len(values))
        expected = krippendorff.alpha(
            reliability_data=np.array(matrix), level_of_measurement="nominal"
        )
        assert result.labels[label].alpha == pytest.approx(expected)
        for target, row in zip(pooled, matrix, strict=True):
            target.extend(row)
    overall = krippendorff.alpha(reliability_data=np.array(pooled), level_of_measurement="nominal")
    assert result.overall.alpha == pytest.approx(overall)


def token_labels(item: ExportedDocument, who: str, labels: Sequence[str]) -> list[str]:
    """Each token's value for `who`: the labels it lies wholly inside, joined, or none."""
    inside = [token_values(item, who, label) for label in labels]
    count = len(TOKEN.findall(item.document.text))
    return [
        "+".join(sorted(label for label, values in zip(labels, inside, strict=True) if values[t]))
        or "none"
        for t in range(count)
    ]


def test_token_alpha_over_one_multi_valued_variable_matches_the_krippendorff_package(
    corpus_store: tuple[Store, list[ExportedDocument]],
) -> None:
    """One variable per token whose values are the labels (or none), as attribution corpora
    publish it, beside the binary alpha per label; a token in two labels has both."""
    store, documents = corpus_store
    annotators = ["ana", "ben", "cy"]
    result = agreement(store, annotators)
    codes: dict[str, int] = {}
    matrix: list[list[float]] = [[] for _ in annotators]
    per_document: dict[str, float] = {}
    combined = 0
    for item in documents:
        if sum(present(item, who) for who in annotators) < 2:
            continue
        document_rows: list[list[float]] = []
        for row, who in zip(matrix, annotators, strict=True):
            values = token_labels(item, who, LABELS)
            combined += sum("+" in value for value in values)
            coded = [float(codes.setdefault(value, len(codes))) for value in values]
            document_rows.append(coded if present(item, who) else [np.nan] * len(values))
            row.extend(document_rows[-1])
        if len(codes) > 1:
            per_document[item.document.id] = krippendorff.alpha(
                reliability_data=np.array(document_rows),
                level_of_measurement="nominal",
                value_domain=sorted(set(codes.values())),
            )
    assert combined > 0  # some tokens carry two labels at once
    expected = krippendorff.alpha(reliability_data=np.array(matrix), level_of_measurement="nominal")
    token_alpha = result.section.token_alpha
    assert token_alpha.alpha == pytest.approx(expected)
    assert token_alpha.alpha != pytest.approx(result.overall.alpha)  # not the pooled binary one
    assert token_alpha.labels == list(LABELS)
    pairable = sum(not np.isnan(value) for row in matrix for value in row)
    assert sum(token_alpha.values.values()) == pairable
    for doc_id, value in per_document.items():
        assert result.documents[doc_id].section.token_alpha.alpha == pytest.approx(value)


def test_token_alpha_by_hand(store: Store) -> None:
    """Five tokens, two annotators: (Speaker, Speaker), (Cue, Cue), (Quote, none),
    (Quote, Quote), (none, none): n = 10, values none 3, Quote 3, Speaker 2, Cue 2;
    one disagreeing token, so D_o = 2 and alpha = 1 - 9 * 2 / (100 - 9 - 9 - 4 - 4)."""
    text = "Ana said Bob left ."
    work = Work()
    work.document(
        text,
        [
            ("ana", "Speaker", *at(text, "Ana")),
            ("ben", "Speaker", *at(text, "Ana")),
            ("ana", "Cue", *at(text, "said")),
            ("ben", "Cue", *at(text, "said")),
            ("ana", "Quote", *at(text, "Bob left")),
            ("ben", "Quote", *at(text, "left")),
        ],
    )
    token_alpha = agreement(work.save(store), ["ana", "ben"]).section.token_alpha
    assert token_alpha.values == {"none": 3, "Cue": 2, "Quote": 3, "Speaker": 2}
    assert token_alpha.alpha == pytest.approx(1 - 9 * 2 / (100 - 9 - 9 - 4 - 4))


def test_kappa_matches_nltk(corpus_store: tuple[Store, list[ExportedDocument]]) -> None:
    store, documents = corpus_store
    result = agreement(store, ["ana", "ben", "cy"])
    for pair in result.pairs:
        pooled = []
        for label in LABELS:
            data = []
            for index, item in enumerate(documents):
                if not (present(item, pair.first) and present(item, pair.second)):
                    continue
                for who in (pair.first, pair.second):
                    for token, value in enumerate(token_values(item, who, label)):
                        data.append((who, f"{index}/{token}", value))
                        pooled.append((who, f"{index}/{token}/{label}", value))
            task = AnnotationTask(data=data)
            assert pair.labels[label].kappa == pytest.approx(
                task.kappa_pairwise(pair.first, pair.second)
            )
        task = AnnotationTask(data=pooled)
        assert pair.overall.kappa == pytest.approx(task.kappa_pairwise(pair.first, pair.second))
    # The label row is the mean over the pairs.
    kappas = [k for k in (pair.labels["Quote"].kappa for pair in result.pairs) if k is not None]
    assert result.labels["Quote"].kappa == pytest.approx(sum(kappas) / len(kappas))


def maximum_matching(first: list[AnnotationData], second: list[AnnotationData]) -> int:
    """Largest one-to-one pairing of overlapping spans, by augmenting paths (Kuhn)."""
    partner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j, b in enumerate(second):
            a = first[i]
            if j in seen or not (a.start < b.end and b.start < a.end):
                continue
            seen.add(j)
            if j not in partner or augment(partner[j], seen):
                partner[j] = i
                return True
        return False

    return sum(augment(i, set()) for i in range(len(first)))


def test_span_counts_match_brute_force(corpus_store: tuple[Store, list[ExportedDocument]]) -> None:
    store, documents = corpus_store
    result = agreement(store, ["ana", "ben", "cy"])
    for pair in result.pairs:
        for label in LABELS:
            exact = overlap = count_first = count_second = 0
            for item in documents:
                if not (present(item, pair.first) and present(item, pair.second)):
                    continue
                mine = [
                    a for a in item.annotations if a.annotator == pair.first and a.label == label
                ]
                theirs = [
                    a for a in item.annotations if a.annotator == pair.second and a.label == label
                ]
                count_first += len(mine)
                count_second += len(theirs)
                left = [(a.start, a.end) for a in theirs]
                for a in mine:
                    if (a.start, a.end) in left:
                        left.remove((a.start, a.end))
                        exact += 1
                overlap += maximum_matching(mine, theirs)
            measures = pair.labels[label]
            assert (measures.first_spans, measures.second_spans) == (count_first, count_second)
            assert (measures.exact_matches, measures.overlap_matches) == (exact, overlap)
            assert measures.overlap_f1 == pytest.approx(2 * overlap / (count_first + count_second))


def test_unitizing_alpha_over_a_corpus_matches_brute_force(store: Store) -> None:
    """The corpus is one continuum, the texts end to end; a gap stops at a text's end.
    Overlapping spans of one annotator and label are one unit."""
    generated_corpus(5, ["ana", "ben", "cy"], 4).save(store)
    names = ["ana", "ben", "cy"]
    result = agreement(store, names)
    everyone = [d for d in store.export_documents() if all(present(d, w) for w in names)]
    assert len(everyone) >= 2
    for label in LABELS:
        coders: list[list[tuple[int, int]]] = [[] for _ in names]
        ends = []
        offset = 0
        for item in everyone:
            for mine, who in zip(coders, names, strict=True):
                spans = sorted(
                    (a.start, a.end)
                    for a in item.annotations
                    if a.annotator == who and a.label == label
                )
                units: list[list[int]] = []
                for start, end in spans:  # overlapping spans are one unit, touching ones two
                    if units and start < units[-1][1]:
                        units[-1][1] = max(units[-1][1], end)
                    else:
                        units.append([start, end])
                mine.extend((offset + start, offset + end) for start, end in units)
            offset += len(item.document.text)
            ends.append(offset)
        expected = brute_force_unitizing_alpha(coders, offset, ends)
        assert result.labels[label].alpha_u == pytest.approx(expected), label


def test_corpus_counts_are_the_sum_of_the_documents(
    corpus_store: tuple[Store, list[ExportedDocument]],
) -> None:
    store, documents = corpus_store
    result = agreement(store, ["ana", "ben"])
    assert set(result.documents) == {item.document.id for item in documents}
    per_document = [d.labels["Quote"].counts for d in result.documents.values()]
    total = result.labels["Quote"].counts
    assert sum(c.exact_matches for c in per_document) == total.exact_matches
    assert sum(c.overlap_matches for c in per_document) == total.overlap_matches
    assert sum(c.annotations["ana"] for c in per_document) == total.annotations["ana"]
    assert sum(c.documents for c in per_document) == total.documents


# -- coreference and attribution --------------------------------------------------------------

ARTICLE = (
    "Volodymyr Zelensky said the troops were hidden. He added that Russia attacked Kyiv. "
    "The President wrote: “We will not give up.”"
)


def test_coreference_link_f1_and_b_cubed_by_hand(store: Store) -> None:
    work = Work()
    item = work.document(ARTICLE)
    mentions = {}
    for who in ("ana", "ben"):
        mentions[who] = [
            add(item, work, who, "Speaker", *at(ARTICLE, words))
            for words in ("Volodymyr Zelensky", "He", "The President")
        ]
    work.entity(item, "Zelensky", *mentions["ana"])
    work.entity(item, "Zelensky", *mentions["ben"][:2])
    work.entity(item, "The President", mentions["ben"][2])
    coreference = agreement(work.save(store), ["ana", "ben"]).section.coreference
    assert (coreference.mentions_matched, coreference.links_first) == (3, 3)
    assert (coreference.links_second, coreference.links_common) == (1, 1)
    assert (coreference.link_precision, coreference.link_recall) == (1.0, pytest.approx(1 / 3))
    assert coreference.link_f1 == pytest.approx(0.5)
    # B-cubed: ben's clusters are pure (precision 1); recall 2/3, 2/3, 1/3 -> 5/9.
    assert coreference.b3_precision == pytest.approx(1.0)
    assert coreference.b3_recall == pytest.approx(5 / 9)
    assert coreference.b3_f1 == pytest.approx(2 * (5 / 9) / (1 + 5 / 9))


def test_attribution_by_hand(store: Store) -> None:
    work = Work()
    item = work.document(ARTICLE)
    quote_words = "“We will not give up.”"
    claim = "the troops were hidden"
    spans: dict[str, dict[str, AnnotationData]] = {}
    for who in ("ana", "ben"):
        spans[who] = {
            "quote": add(item, work, who, "Quote", *at(ARTICLE, quote_words)),
            "claim": add(item, work, who, "Quote", *at(ARTICLE, claim)),
            "zelensky": add(item, work, who, "Speaker", *at(ARTICLE, "Volodymyr Zelensky")),
            "president": add(item, work, who, "Speaker", *at(ARTICLE, "The President")),
            "wrote": add(item, work, who, "Cue", *at(ARTICLE, "wrote")),
            "said": add(item, work, who, "Cue", *at(ARTICLE, "said")),
            "attacked": add(item, work, who, "Event", *at(ARTICLE, "attacked")),
            "russia": add(item, work, who, "Participant", *at(ARTICLE, "Russia")),
            "kyiv": add(item, work, who, "Place", *at(ARTICLE, "Kyiv")),
        }
        work.entity(item, "Zelensky", spans[who]["zelensky"], spans[who]["president"])
    ana, ben = spans["ana"], spans["ben"]
    # The quote: ana names "The President", ben "Volodymyr Zelensky": one entity, agree.
    work.link(item, "speaker", ana["quote"], ana["president"])
    work.link(item, "speaker", ben["quote"], ben["zelensky"])
    work.link(item, "cue", ana["quote"], ana["wrote"])
    work.link(item, "cue", ben["quote"], ben["said"])  # a different cue: disagree
    # The claim: only ana gives a speaker (disagree); nobody gives a cue (not compared).
    work.link(item, "speaker", ana["claim"], ana["zelensky"])
    # The event: both agree on the agent; only ana gives the place.
    for who in ("ana", "ben"):
        work.link(item, "agent", spans[who]["attacked"], spans[who]["russia"])
    work.link(item, "place", ana["attacked"], ana["kyiv"])
    attribution = agreement(work.save(store), ["ana", "ben"]).section.attribution
    assert attribution.quotes_matched == 2
    assert (attribution.speaker_agreed, attribution.speaker_compared) == (1, 2)
    assert attribution.speaker == 0.5
    assert (attribution.cue_agreed, attribution.cue_compared, attribution.cue) == (0, 1, 0.0)
    assert attribution.events_matched == 1
    agent, place = attribution.roles["agent"], attribution.roles["place"]
    assert (agent.f1, agent.matched, agent.first, agent.second) == (1.0, 1, 1, 1)
    assert (place.f1, place.matched, place.first, place.second) == (0.0, 0, 1, 0)


# -- selection, errors and the JSON shape -----------------------------------------------------


def test_label_and_document_selection(store: Store) -> None:
    work = Work()
    quote = ("Quote", *at(TEXT, "Bob left"))
    work.document(TEXT, [("ana", *quote), ("ben", *quote), ("ana", "Cue", 6, 10)])
    work.document("Another text here.", [("ana", "Quote", 0, 7), ("ben", "Quote", 8, 12)])
    work.save(store)
    only_quotes = agreement(store, ["ana", "ben"], label="Quote")
    assert list(only_quotes.labels) == ["Quote"]
    assert only_quotes.overall.exact_f1 == only_quotes.labels["Quote"].exact_f1 == 0.5
    first_id = store.export_documents()[0].document.id
    one = agreement(store, ["ana", "ben"], document_ids=[first_id])
    assert list(one.documents) == [first_id]
    assert one.labels["Quote"].exact_f1 == 1.0


@pytest.mark.parametrize(
    ("annotators", "label", "documents", "message"),
    [
        (["ana", "nobody"], None, None, "unknown annotator 'nobody'"),
        (["ana", "ana"], None, None, "two or more different annotators"),
        (["ana", "ben"], "Opinion", None, "unknown label 'Opinion'"),
        (["ana", "ben"], None, ["feedfacefeedface"], "no document with id feedfacefeedface"),
        (["ana", "ben"], None, ["feedfacefeedface", "x"], "no document with id feedfacefeedface"),
    ],
)
def test_bad_requests_say_what_is_wrong(
    store: Store,
    annotators: list[str],
    label: str | None,
    documents: list[str] | None,
    message: str,
) -> None:
    small_case(store)
    with pytest.raises(SpanwiseError, match=re.escape(message)):
        agreement(store, annotators, label, documents)


def test_json_shape_is_complete_and_plain(
    corpus_store: tuple[Store, list[ExportedDocument]],
) -> None:
    store, _documents = corpus_store
    data = agreement(store, ["ana", "ben"]).to_json()
    assert list(data)[:7] == [
        "annotators", "labels", "overall", "token_alpha", "attribution", "coreference", "pairs",
    ]  # fmt: skip
    assert {"confusion", "documents"} <= set(data)
    assert data["annotators"] == ["ana", "ben"]
    row_keys = {
        "exact_precision", "exact_recall", "exact_f1", "overlap_precision", "overlap_recall",
        "overlap_f1", "kappa", "alpha", "alpha_u", "sd", "counts",
    }  # fmt: skip
    count_keys = {
        "documents", "tokens_compared", "annotations", "tokens", "exact_matches",
        "overlap_matches",
    }  # fmt: skip
    rows = [data["overall"], *data["labels"].values()]
    for document in data["documents"].values():
        assert {
            "title", "annotators", "labels", "overall", "token_alpha", "attribution",
            "coreference",
        } <= set(document)  # fmt: skip
        assert set(document["token_alpha"]) == {"alpha", "labels", "values"}
        rows += [document["overall"], *document["labels"].values()]
    for row in rows:
        assert set(row) == row_keys
        assert set(row["counts"]) == count_keys
        assert set(row["sd"]) == {"exact_f1", "overlap_f1", "kappa"}
        for key in row_keys - {"sd", "counts"}:
            assert row[key] is None or isinstance(row[key], float)
    assert set(data["labels"]) == {
        "Quote", "Speaker", "Cue", "Event", "Participant", "Time", "Place",
    }  # fmt: skip
    assert data["labels"]["Place"]["alpha"] is None
    assert set(data["attribution"]) == {"speaker", "cue", "roles", "counts"}
    assert set(data["coreference"]) == {
        "link_precision", "link_recall", "link_f1", "b3_precision", "b3_recall", "b3_f1",
        "counts",
    }  # fmt: skip
    for cell in data["confusion"]:
        assert set(cell) == {"first", "second", "count"}
    text = json.dumps(data, allow_nan=False)
    assert json.loads(text) == data


def test_seed_article_annotated_by_two_people(store: Store) -> None:
    store.import_texts(seed_paths())
    [doc] = store.documents("ana")
    text = store.document(doc.id).text
    for who in ("ana", "ben"):
        store.add_annotation(doc.id, who, "Speaker", *at(text, "Volodymyr Zelensky"))
        store.add_annotation(doc.id, who, "Cue", *at(text, "claimed"))
    store.add_annotation(doc.id, "ana", "Quote", *at(text, "Russian forces are attempting"))
    store.add_annotation(doc.id, "ben", "Quote", *at(text, "forces are attempting to burn"))
    result = agreement(store, ["ana", "ben"])
    assert result.labels["Speaker"].exact_f1 == 1.0
    assert result.labels["Quote"].exact_f1 == 0.0
    assert result.labels["Quote"].overlap_f1 == 1.0
    quote_kappa = result.labels["Quote"].kappa
    assert quote_kappa is not None and 0.5 < quote_kappa < 1.0
    assert result.documents[doc.id].title.startswith("Ukrainian President")


def confusion_of(result: AgreementResult) -> dict[tuple[Any, Any], int]:
    return {(cell.first, cell.second): cell.count for cell in result.confusion}


def test_confusion_matrix_counts_each_span_once(store: Store) -> None:
    work = Work()
    work.document(
        TEXT,
        [
            ("ana", "Speaker", *at(TEXT, "Alice")), ("ben", "Speaker", *at(TEXT, "Alice")),
            ("ana", "Speaker", *at(TEXT, "Bob")), ("ben", "Quote", *at(TEXT, "Bob left")),
            ("ana", "Cue", *at(TEXT, "agreed")),
            ("ben", "Event", *at(TEXT, "Dan")),
        ],
    )  # fmt: skip
    assert confusion_of(agreement(work.save(store), ["ana", "ben"])) == {
        ("Speaker", "Speaker"): 1,
        ("Speaker", "Quote"): 1,
        ("Cue", None): 1,
        (None, "Event"): 1,
    }
