"""`make eval`: the suggester against the gold set (tests/gold/*.spanwise.json).

Prints precision, recall and F1 for quotes (exact pieces, and any overlap), cues and speaker
mentions (exact and overlap), attribution (a quote linked to a speaker mention of the right
entity), and the time to suggest on a generated 2 MB text. `--verbose` lists every miss.

Attribution: a suggested quote matched to a gold quote is correctly attributed when its
speaker's suggested entity stands for the gold speaker's entity. A suggested entity stands
for the gold entity most of its non-pronoun mentions overlap (else the one its name names);
a pronoun the suggester could not resolve to any entity counts as wrong.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from db.formats.spanwise_json import parse_export
from db.records import AnnotationData, ExportedDocument
from db.suggest import Suggestions, suggest
from db.suggest.speakers import PRONOUNS

GOLD = Path(__file__).resolve().parents[1] / "gold"
TARGET_BYTES = 2 * 1024 * 1024
Spans = tuple[tuple[int, int], ...]


@dataclass
class Score:
    """Counts for precision / recall / F1."""

    true: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, other: Score) -> None:
        self.true += other.true
        self.predicted += other.predicted
        self.gold += other.gold

    @property
    def precision(self) -> float:
        return self.true / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def row(self, name: str) -> str:
        return (
            f"{name:<28} {self.precision:6.3f} {self.recall:6.3f} {self.f1:6.3f}"
            f"   ({self.true}/{self.predicted} suggested, {self.true}/{self.gold} gold)"
        )


@dataclass
class Report:
    scores: dict[str, Score] = field(default_factory=dict)
    attribution_found: int = 0  # gold attributed quotes whose quote was suggested
    kinds_right: int = 0
    kinds_compared: int = 0
    misses: list[str] = field(default_factory=list)

    def score(self, name: str) -> Score:
        return self.scores.setdefault(name, Score())

    def add(self, other: Report) -> None:
        for name, score in other.scores.items():
            self.score(name).add(score)
        self.attribution_found += other.attribution_found
        self.kinds_right += other.kinds_right
        self.kinds_compared += other.kinds_compared
        self.misses.extend(other.misses)


def _overlap(a: Spans, b: Spans) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def match_by_overlap(predicted: Sequence[Spans], gold: Sequence[Spans]) -> dict[int, int]:
    """One-to-one pairs (gold index -> predicted index), largest overlaps first."""
    pairs = sorted(
        ((_overlap(p, g), gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(predicted)),
        reverse=True,
    )
    matched: dict[int, int] = {}
    used: set[int] = set()
    for size, gi, pi in pairs:
        if size <= 0:
            break
        if gi not in matched and pi not in used:
            matched[gi] = pi
            used.add(pi)
    return matched


def _exact(predicted: Iterable[Spans], gold: Iterable[Spans]) -> Score:
    p, g = set(predicted), set(gold)
    return Score(len(p & g), len(p), len(g))


def _overlapping(predicted: Sequence[Spans], gold: Sequence[Spans]) -> Score:
    return Score(len(match_by_overlap(predicted, gold)), len(predicted), len(gold))


class _Gold:
    """A gold document's quotes with their speaker mention, cue, and the speaker's entity."""

    def __init__(self, item: ExportedDocument) -> None:
        self.text = item.document.text
        by_id = {a.id: a for a in item.annotations}
        self.quotes = [a for a in item.annotations if a.label == "Quote"]
        self.links = {(r.source, r.type): by_id[r.target] for r in item.relations}
        self.entity_of = {m: e.name for e in item.entities for m in e.mentions}
        self.speakers = [a for a in item.annotations if a.label == "Speaker"]
        self.cues = [a for a in item.annotations if a.label == "Cue"]

    def speaker_entity(self, quote: AnnotationData) -> str | None:
        speaker = self.links.get((quote.id, "speaker"))
        return None if speaker is None else self.entity_of.get(speaker.id)


def _entity_map(gold: _Gold, suggestions: Suggestions, text: str) -> dict[str, str]:
    """Suggested entity id -> the gold entity it stands for."""
    result = {}
    by_id = {a.id: a for a in suggestions.annotations()}
    gold_names = {name.casefold(): name for name in gold.entity_of.values()}

    def named(name: str) -> str | None:
        """The gold entity a suggested entity's name names ("Some residents": residents)."""
        words = set(name.casefold().split())
        for key, value in gold_names.items():
            if words <= set(key.split()) or set(key.split()) <= words:
                return value
        return None

    for entity in suggestions.entities():
        votes: Counter[str] = Counter()
        for mention_id in entity.mentions:
            mention = by_id[mention_id]
            if text[mention.start : mention.end].lower() in PRONOUNS:
                continue
            for speaker in gold.speakers:
                if _overlap(mention.spans, speaker.spans) and speaker.id in gold.entity_of:
                    votes[gold.entity_of[speaker.id]] += 1
        if votes:
            result[entity.id] = votes.most_common(1)[0][0]
        elif named(entity.name) is not None:
            result[entity.id] = named(entity.name)  # type: ignore[assignment]
    return result


def evaluate_document(
    item: ExportedDocument, name: str, suggestions: Suggestions | None = None
) -> Report:
    """The rules' suggestions (or the given ones) against one gold document. Without gold
    entities (a brat corpus), a speaker is right when it overlaps the gold speaker."""
    gold = _Gold(item)
    text = gold.text
    if suggestions is None:
        suggestions = suggest(text, item.document.id)
    report = Report()
    predicted = list(suggestions)
    gold_spans = [q.spans for q in gold.quotes]
    predicted_spans = [s.quote.spans for s in predicted]
    report.scores["quotes, exact"] = _exact(predicted_spans, gold_spans)
    report.scores["quotes, overlap"] = _overlapping(predicted_spans, gold_spans)
    annotations = suggestions.annotations()
    for label, gold_items in (("Cue", gold.cues), ("Speaker", gold.speakers)):
        mine = [a.spans for a in annotations if a.label == label]
        theirs = [a.spans for a in gold_items]
        plural = "cues" if label == "Cue" else "speaker mentions"
        report.scores[f"{plural}, exact"] = _exact(mine, theirs)
        report.scores[f"{plural}, overlap"] = _overlapping(mine, theirs)
    entity_of_mention = {m: e.id for e in suggestions.entities() for m in e.mentions}
    stands_for = _entity_map(gold, suggestions, text)
    matched = match_by_overlap(predicted_spans, gold_spans)
    attribution = Score(predicted=sum(1 for s in predicted if s.speaker is not None))
    for gi, quote in enumerate(gold.quotes):
        wanted = gold.speaker_entity(quote)
        snippet = text[quote.start : quote.end][:50].replace("\n", " ")
        gold_speaker = gold.links.get((quote.id, "speaker"))
        by_overlap = not gold.entity_of and gold_speaker is not None  # no gold entities
        if by_overlap:
            wanted = "the gold speaker"
        if wanted is None:
            continue
        attribution.gold += 1
        pi = matched.get(gi)
        if pi is None:
            report.misses.append(f"{name}: quote missed: “{snippet}”")
            continue
        report.attribution_found += 1
        found = predicted[pi]
        report.kinds_compared += 1
        if found.kind == quote.attributes.get("kind"):
            report.kinds_right += 1
        else:
            report.misses.append(
                f"{name}: kind {found.kind} for {quote.attributes.get('kind')}: “{snippet}”"
            )
        got = None
        if found.speaker is not None:
            entity = entity_of_mention.get(found.speaker.id)
            got = stands_for.get(entity) if entity else None
            if by_overlap and gold_speaker is not None:
                got = wanted if _overlap(found.speaker.spans, gold_speaker.spans) else None
        if got == wanted:
            attribution.true += 1
        else:
            who = text[found.speaker.start : found.speaker.end] if found.speaker else "nobody"
            report.misses.append(
                f"{name}: attributed to {who!r} ({got}) not {wanted}: “{snippet}” [{found.rule}]"
            )
    for pi, found in enumerate(predicted):
        if pi not in matched.values():
            words = " … ".join(text[s:e] for s, e in found.quote.spans)[:60].replace("\n", " ")
            report.misses.append(f"{name}: not in gold: “{words}” [{found.rule}]")
    for gi, quote in enumerate(gold.quotes):
        pi = matched.get(gi)
        if pi is not None and predicted[pi].quote.spans != quote.spans:
            mine = " … ".join(text[s:e] for s, e in predicted[pi].quote.spans)
            theirs = " … ".join(text[s:e] for s, e in quote.spans)
            report.misses.append(f"{name}: pieces differ:\n    got  {mine!r}\n    gold {theirs!r}")
    report.scores["attribution"] = attribution
    return report


SETS = (("development", GOLD), ("held-out", GOLD / "held-out"))


def load_gold() -> list[tuple[str, str, ExportedDocument]]:
    """(set, name, document) for every gold export: the development set the rules were
    written against, and the held-out articles written afterwards and never tuned on."""
    documents = []
    for split, folder in SETS:
        for path in sorted(folder.glob("*.spanwise.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            _, items = parse_export(data, path.name)
            name = path.name.removesuffix(".spanwise.json")
            documents.extend((split, name, item) for item in items)
    return documents


def print_report(title: str, report: Report) -> None:
    print(f"\n{title}")
    print(f"{'':<28} {'P':>6} {'R':>6} {'F1':>6}")
    for name, score in report.scores.items():
        print(score.row(name))
    attribution = report.scores["attribution"]
    found = report.attribution_found
    accuracy = attribution.true / found if found else 0.0
    print(
        f"attribution accuracy         {attribution.recall:.3f} of gold attributed quotes, "
        f"{accuracy:.3f} of those found"
    )
    if report.kinds_compared:
        print(
            f"quote kind agreement         {report.kinds_right / report.kinds_compared:.3f} "
            f"({report.kinds_right}/{report.kinds_compared} found quotes)"
        )


def speed(texts: Sequence[str]) -> tuple[float, int, int]:
    """Seconds to suggest on a text of about 2 MB made of the gold articles repeated (as dense
    in quotes as news gets), best of five; and the text's size and the suggestions' count."""
    pieces = []
    size = 0
    while size < TARGET_BYTES:
        for text in texts:
            pieces.append(text)
            size += len(text.encode("utf-8")) + 2
    big = "\n\n".join(pieces)
    best = float("inf")
    count = 0
    for _ in range(5):
        gc.collect()
        began = time.perf_counter()
        result = suggest(big, "speed")
        gc.collect(0)  # the young objects it leaves are counted too
        best = min(best, time.perf_counter() - began)
        count = len(result)
        del result
    return best, len(big.encode("utf-8")), count


# Texts no article looks like, 2 Mi characters each, to show the rules stay linear on any input: no
# full stop at all, thousands of marks that never close, a quote every few words.
ODD_TEXTS = {
    "no full stops": "and she said that the roads would reopen and he said that they would not ",
    "unclosed marks": "“He said ",
    "straight quotes only": "'",
    "a quote every few words": "“A,” said X, “B,” said Y, ",
    "quotes inside quotes": "‘They said “no” to ’ ",
}


def odd_speed() -> list[tuple[str, float, int]]:
    """Seconds to suggest on each odd text (2 Mi characters), and the suggestions' count."""
    results = []
    for name, unit in ODD_TEXTS.items():
        text = (unit * (TARGET_BYTES // len(unit) + 1))[:TARGET_BYTES]
        gc.collect()
        began = time.perf_counter()
        count = len(suggest(text, "odd"))
        results.append((name, time.perf_counter() - began, count))
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    parser.add_argument("--no-speed", action="store_true", help="skip the 2 MB timing")
    parser.add_argument(
        "--no-curves", action="store_true", help="skip the trained model's learning curves"
    )
    parser.add_argument(
        "--corpus",
        default=os.environ.get("CORPUS") or None,
        metavar="PATH",
        help="a brat attribution corpus for a learning curve too (make eval CORPUS=path)",
    )
    args = parser.parse_args(argv)
    documents = load_gold()
    total = Report()
    by_set: dict[str, Report] = {}
    print(f"Gold set: {len(documents)} documents in {GOLD}")
    for split, name, item in documents:
        report = evaluate_document(item, name)
        quotes = report.scores["quotes, overlap"]
        attribution = report.scores["attribution"]
        print(
            f"  {split:<12} {name:<32} quotes {quotes.gold:3}  overlap F1 {quotes.f1:.3f}  "
            f"attribution {attribution.true}/{attribution.gold}"
        )
        total.add(report)
        by_set.setdefault(split, Report()).add(report)
    for split, report in by_set.items():
        print_report(f"{split} set", report)
    print_report("whole gold set", total)
    attribution = total.scores["attribution"]
    quotes_f1 = total.scores["quotes, overlap"].f1
    print(
        f"targets: quote overlap F1 >= 0.90: {'met' if quotes_f1 >= 0.9 else 'NOT met'}; "
        f"attribution accuracy >= 0.85: {'met' if attribution.recall >= 0.85 else 'NOT met'}"
    )
    if not args.no_speed:
        seconds, size, count = speed([item.document.text for _, _, item in documents])
        print(f"speed: {size / 1048576:.1f} MB ({count} suggestions) in {seconds:.2f} s")
        for name, seconds, count in odd_speed():
            print(f"  odd text, {name}: {seconds:.2f} s ({count} suggestions)")
    if not args.no_curves:
        from tests.eval import learning

        learning.main(args.corpus)
        if not args.no_speed:
            learning.print_speed([item.document.text for _, _, item in documents])
    if args.verbose:
        print()
        print("\n".join(total.misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
