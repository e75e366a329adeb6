"""`make eval`, part two: learning curves of the trainable suggester (issue 17).

For a set of annotated articles: quote overlap F1 and attribution accuracy (of the gold
attributed quotes, as in evaluate.py) against the number of training articles, with each
article held out in turn (leave-articles-out: a model never sees the article it is scored
on), for
- rules: the hand-written rules alone, under the set's quote definition;
- model: the trained model alone (no rule features);
- both: the trained model reading the rules' findings as features (what Spanwise ships).

Sets: the gold set (tests/gold, speech definition), the broad-definition set
(tests/gold/broad, speech + beliefs + intentions), and any brat attribution corpus named by
CORPUS=path (Source/Cue/Content as Speaker/Cue/Quote, read by the PARC importer).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from db.formats.spanwise_json import parse_export
from db.records import ExportedDocument
from db.schema.quote_definition import BROAD, SuggestSettings
from db.suggest import Suggestions, lexicon_for, suggest
from db.suggest.learned import LearnedModel
from db.suggest.training import Example, examples_from, train
from tests.eval.evaluate import GOLD, Report, Score, evaluate_document

BROAD_GOLD = GOLD / "broad"
VARIANTS = ("rules", "model", "both")


@dataclass
class Scores:
    """Pooled counts over the held-out articles of every fold."""

    report: Report

    @property
    def quotes(self) -> Score:
        return self.report.score("quotes, overlap")

    @property
    def attribution(self) -> float:
        return self.report.score("attribution").recall


def load_set(folder: Path) -> tuple[list[ExportedDocument], SuggestSettings | None]:
    documents: list[ExportedDocument] = []
    settings = None
    for path in sorted(folder.glob("*.spanwise.json")):
        schema, items = parse_export(json.loads(path.read_text(encoding="utf-8")), path.name)
        documents.extend(items)
        settings = schema.suggest or settings
    return documents, settings


def load_corpus(path: Path) -> list[ExportedDocument]:
    """A brat attribution corpus (PARC / PolNeAR style), each annotator's work a document
    of its own (documents annotated by several annotators are scored once per annotator)."""
    from db.formats import ReadOptions
    from db.formats.parc import ParcBratFormat

    batch = ParcBratFormat().read([path], ReadOptions(annotator="corpus"))
    result = []
    for item in batch.documents:
        for annotator in sorted({a.annotator for a in item.annotations}):
            mine = ExportedDocument(
                item.document,
                {annotator: "done"},
                [a for a in item.annotations if a.annotator == annotator],
                [r for r in item.relations if r.annotator == annotator],
                [e for e in item.entities if e.annotator == annotator],
            )
            result.append(mine)
    return result


def _annotator(item: ExportedDocument) -> str:
    return next(iter(item.statuses), "gold")


def train_on(
    documents: Sequence[ExportedDocument], settings: SuggestSettings | None, uses_rules: bool
) -> LearnedModel:
    examples = []
    for item in documents:
        examples.extend(examples_from([item], _annotator(item)))
    return train(examples, settings, uses_rules=uses_rules).model


Suggester = Callable[[ExportedDocument], Suggestions]


def rules_suggester(settings: SuggestSettings | None) -> Suggester:
    lexicon = lexicon_for(settings)
    return lambda item: suggest(item.document.text, item.document.id, lexicon=lexicon)


def model_suggester(model: LearnedModel) -> Suggester:
    return lambda item: suggest(item.document.text, item.document.id, model=model)


def score(documents: Sequence[ExportedDocument], suggester: Suggester) -> Report:
    total = Report()
    for item in documents:
        total.add(evaluate_document(item, item.document.title, suggester(item)))
    return total


def _groups(documents: Sequence[ExportedDocument]) -> list[list[ExportedDocument]]:
    """Documents grouped by text: the same article by two annotators is held out together."""
    by_text: dict[str, list[ExportedDocument]] = {}
    for item in documents:
        by_text.setdefault(item.document.sha256, []).append(item)
    return list(by_text.values())


def learning_curve(
    documents: Sequence[ExportedDocument],
    settings: SuggestSettings | None,
    sizes: Sequence[int],
    folds: int | None = None,
) -> dict[tuple[str, int], Scores]:
    """Scores per (variant, training articles): each article (group) held out in turn (or
    `folds` folds), the model trained on the first n of the others in a rotating order."""
    groups = _groups(documents)
    count = len(groups)
    fold_count = min(folds or count, count)
    results: dict[tuple[str, int], Scores] = {}
    rules = score(documents, rules_suggester(settings))
    for size in sizes:
        results["rules", size] = Scores(rules)
        for variant in ("model", "both"):
            results[variant, size] = Scores(Report())
    for fold in range(fold_count):
        held = [g for i, g in enumerate(groups) if i % fold_count == fold]
        others = [g for i, g in enumerate(groups) if i % fold_count != fold]
        others = others[fold % len(others) :] + others[: fold % len(others)] if others else []
        tested = [item for group in held for item in group]
        for size in sizes:
            chosen = [item for group in others[:size] for item in group]
            if not chosen:
                continue
            for variant, uses_rules in (("model", False), ("both", True)):
                model = train_on(chosen, settings, uses_rules)
                results[variant, size].report.add(score(tested, model_suggester(model)))
    return results


def print_curve(title: str, results: dict[tuple[str, int], Scores], sizes: Sequence[int]) -> None:
    print(f"\n{title}")
    header = "".join(f" | {variant:>6} F1  attr" for variant in VARIANTS)
    print(f"{'train articles':>14}{header}")
    for size in sizes:
        cells = []
        for variant in VARIANTS:
            scores = results[variant, size]
            cells.append(f" | {scores.quotes.f1:9.3f} {scores.attribution:5.3f}")
        print(f"{size:>14}{''.join(cells)}")


def held_out_figures() -> dict[str, Scores]:
    """The headline: trained on the gold set's development articles, scored on its
    held-out articles."""
    development, settings = load_set(GOLD)
    held_out, _ = load_set(GOLD / "held-out")
    figures = {"rules": Scores(score(held_out, rules_suggester(settings)))}
    for variant, uses_rules in (("model", False), ("both", True)):
        model = train_on(development, settings, uses_rules)
        figures[variant] = Scores(score(held_out, model_suggester(model)))
    return figures


def broad_recall(
    documents: Sequence[ExportedDocument], folds: dict[tuple[str, int], Scores], size: int
) -> None:
    """Quote recall on the broad set: the rules (speech cues, then the broad definition's
    cues) against the model trained on the other broad articles."""
    speech = score(documents, rules_suggester(SuggestSettings())).score("quotes, overlap")
    broad = folds["rules", size].quotes
    print("\nbroad set, quote overlap recall (held out one article at a time):")
    print(f"  rules, speech cues      {speech.recall:.3f}  (F1 {speech.f1:.3f})")
    print(f"  rules, broad cues       {broad.recall:.3f}  (F1 {broad.f1:.3f})")
    for variant in ("model", "both"):
        found = folds[variant, size].quotes
        print(
            f"  {variant:<6} (trained on {size})  {found.recall:.3f}  (F1 {found.f1:.3f}, "
            f"attribution {folds[variant, size].attribution:.3f}); "
            f"recall gain over broad rules {found.recall - broad.recall:+.3f}, "
            f"over speech rules {found.recall - speech.recall:+.3f}"
        )


def _joined(parts: Sequence[Example]) -> Example:
    """Several annotated articles as one longer one (the spans moved along), so that the
    timing's articles are as long as a newspaper's (about 1,000 tokens), not as short as
    the gold set's."""
    joined = Example("joined", "", True)
    for part in parts:
        shift = len(joined.text) + (2 if joined.text else 0)
        joined.text = f"{joined.text}\n\n{part.text}" if joined.text else part.text
        count = len(joined.quotes)

        def moved(span: tuple[int, int], by: int = shift) -> tuple[int, int]:
            return (span[0] + by, span[1] + by)

        joined.quotes += [tuple(moved(p) for p in quote) for quote in part.quotes]
        joined.speakers += [moved(s) for s in part.speakers]
        joined.cues += [moved(c) for c in part.cues]
        joined.speaker_of.update({count + i: moved(s) for i, s in part.speaker_of.items()})
        joined.cue_of.update({count + i: moved(c) for i, c in part.cue_of.items()})
    return joined


def training_speed(articles: int = 100) -> tuple[float, int]:
    """Seconds to train (with the rules' features) on `articles` articles of news length:
    the gold and broad sets, three of their articles to one, repeated."""
    documents = [*load_set(GOLD)[0], *load_set(GOLD / "held-out")[0], *load_set(BROAD_GOLD)[0]]
    parts = [e for item in documents for e in examples_from([item], _annotator(item))]
    examples = [
        _joined([parts[(3 * index + k) % len(parts)] for k in range(3)])
        for index in range(articles)
    ]
    began = time.perf_counter()
    trained = train(examples, SuggestSettings(), uses_rules=True)
    return time.perf_counter() - began, int(trained.counts["tokens"])


def main(corpus: str | None) -> None:
    print("\n== Learning curves (issue 17) ==")
    figures = held_out_figures()
    print("\ngold set, trained on the development articles, scored on the held-out ones:")
    for variant in VARIANTS:
        found = figures[variant]
        print(
            f"  {variant:<6} quote overlap F1 {found.quotes.f1:.3f}  "
            f"attribution {found.attribution:.3f}"
        )
    both = figures["both"]
    met = both.quotes.f1 >= 0.95 and both.attribution >= 0.93
    print(f"  target (both): F1 >= 0.95 and attribution >= 0.93: {'met' if met else 'NOT met'}")
    gold = [*load_set(GOLD)[0], *load_set(GOLD / "held-out")[0]]
    sizes = [1, 2, 4, 7]
    print_curve(
        "gold set (8 articles, speech definition), each held out in turn:",
        learning_curve(gold, SuggestSettings(), sizes),
        sizes,
    )
    broad, settings = load_set(BROAD_GOLD)
    settings = settings or SuggestSettings(BROAD)
    sizes = [1, 3, 6, len(broad) - 1]
    curve = learning_curve(broad, settings, sizes)
    print_curve(
        f"broad set ({len(broad)} articles, speech + beliefs + intentions), each held out:",
        curve,
        sizes,
    )
    broad_recall(broad, curve, sizes[-1])
    if corpus:
        documents = load_corpus(Path(corpus))
        groups = len(_groups(documents))
        sizes = sorted({max(1, groups // 8), max(1, groups // 4), max(1, groups // 2), groups - 1})
        folds = 5 if groups > 10 else None
        print_curve(
            f"{corpus} ({len(documents)} annotated documents, {groups} texts, "
            f"{folds or groups} folds):",
            learning_curve(documents, SuggestSettings(BROAD), sizes, folds),
            sizes,
        )


def print_speed(texts: Sequence[str]) -> None:
    """Training time on 100 articles, and suggesting on 2 MB with the model, beside the
    rules alone and a floor (reading every token once) timed in the same run."""
    import gc

    from db.suggest.text_units import TOKEN
    from tests.eval.evaluate import TARGET_BYTES

    seconds, tokens = training_speed(100)
    print(
        f"\ntraining on 100 articles ({tokens} tokens, with the rules' features): {seconds:.1f} s"
    )
    pieces, size = [], 0
    while size < TARGET_BYTES:
        for text in texts:
            pieces.append(text)
            size += len(text.encode("utf-8")) + 2
    big = "\n\n".join(pieces)
    documents = [*load_set(GOLD)[0]]
    model = train_on(documents, SuggestSettings(), uses_rules=True)
    timings: dict[str, float] = {}
    for name, run in (
        ("floor (tokens read once)", lambda: len(TOKEN.findall(big))),
        ("rules", lambda: len(suggest(big, "speed"))),
        ("model (with the rules)", lambda: len(suggest(big, "speed", model=model))),
    ):
        best = float("inf")
        for _ in range(3):
            gc.collect()
            began = time.perf_counter()
            run()
            best = min(best, time.perf_counter() - began)
        timings[name] = best
    floor = timings["floor (tokens read once)"]
    print(f"suggesting on {len(big.encode('utf-8')) / 1048576:.1f} MB (best of three):")
    for name, best in timings.items():
        print(f"  {name:<26} {best:6.2f} s  ({best / floor:5.1f}x the floor)")
