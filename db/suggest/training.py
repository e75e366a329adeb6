"""Training the suggester on an annotator's own work (gold by default).

What it learns from, per document the annotator worked on:
- every Quote (its pieces), Speaker and Cue of the annotator, and the quotes' speaker and cue
  links;
- the suggestions the annotator rejected, as negative evidence: a rejected quote's tokens are
  taught as "not a quote" (twice over, so a rejection weighs more than silence), and in a
  document the annotator has not finished, the paragraphs holding a rejection are taught
  even when nothing else there was annotated;
- in a document whose status is not 'done', only the paragraphs holding the annotator's
  annotations or rejections are taught: the rest may simply not have been read yet.

`train` returns the model's payload and what it learnt from. Nothing here touches the
database: db/suggest/train_store.py reads the work and keeps the result.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from db.records import ExportedDocument
from db.schema.quote_definition import SuggestSettings
from db.suggest.analysis import Analysis
from db.suggest.found import Found
from db.suggest.learned import LearnedModel
from db.suggest.lexicon import broad_cues, lexicon_for
from db.suggest.linking import Article, Linker, Quote
from db.suggest.model import spans_of_key
from db.suggest.pipeline import find_quotes
from db.suggest.ranker import Candidates, Ranker
from db.suggest.tagging import CUE, QUOTE, SPEAKER, Describer, Segment, Stretch, Words, tags_for

Span = tuple[int, int]
Progress = Callable[[str, int, int], None]  # (what, done, total)
DONE = "done"


@dataclass
class Example:
    """One document as the annotator left it."""

    document_id: str
    text: str
    complete: bool  # status 'done': every paragraph is known
    quotes: list[tuple[Span, ...]] = field(default_factory=list)
    speakers: list[Span] = field(default_factory=list)
    cues: list[Span] = field(default_factory=list)
    speaker_of: dict[int, Span] = field(default_factory=dict)  # quote index -> speaker span
    cue_of: dict[int, Span] = field(default_factory=dict)
    rejected: list[tuple[Span, ...]] = field(default_factory=list)


def examples_from(
    documents: Sequence[ExportedDocument],
    annotator: str,
    rejected: Mapping[str, Sequence[str]] | None = None,
) -> list[Example]:
    """The annotator's work in each document they annotated or rejected suggestions in;
    `rejected` maps a document id to the keys of the suggestions rejected there."""
    rejected = rejected or {}
    examples = []
    for item in documents:
        doc = item.document
        mine = [a for a in item.annotations if a.annotator == annotator]
        refused = [s for s in map(spans_of_key, rejected.get(doc.id, ())) if s is not None]
        if not any(a.label == QUOTE_LABEL for a in mine) and not refused:
            continue
        example = Example(doc.id, doc.text, item.statuses.get(annotator) == DONE)
        by_id = {a.id: a for a in mine}
        quote_index: dict[str, int] = {}
        for annotation in mine:
            if annotation.label == QUOTE_LABEL:
                quote_index[annotation.id] = len(example.quotes)
                example.quotes.append(annotation.spans)
            elif annotation.label == SPEAKER_LABEL:
                example.speakers.append((annotation.start, annotation.end))
            elif annotation.label == CUE_LABEL:
                example.cues.append((annotation.start, annotation.end))
        for link in item.relations:
            source, target = by_id.get(link.source), by_id.get(link.target)
            if link.annotator != annotator or source is None or target is None:
                continue
            index = quote_index.get(source.id)
            if index is None:
                continue
            if link.type == "speaker" and target.label == SPEAKER_LABEL:
                example.speaker_of[index] = (target.start, target.end)
            elif link.type == "cue" and target.label == CUE_LABEL:
                example.cue_of[index] = (target.start, target.end)
        example.rejected = refused
        examples.append(example)
    return examples


QUOTE_LABEL, SPEAKER_LABEL, CUE_LABEL = "Quote", "Speaker", "Cue"


@dataclass
class Trained:
    """A trained model and what it learnt from."""

    model: LearnedModel
    counts: dict[str, int | float]
    documents: list[str]


def train(
    examples: Sequence[Example],
    settings: SuggestSettings | None = None,
    uses_rules: bool = True,
    progress: Progress | None = None,
) -> Trained:
    """Train the tagger and the rankers on the examples (CPU, a few seconds per hundred
    articles)."""
    # Long because the training steps in order (tagger, then each ranker), sharing the examples and
    # one temporary folder.
    import pycrfsuite

    began = time.perf_counter()
    settings = settings or SuggestSettings()
    lexicon = lexicon_for(settings)
    words = Words(lexicon, broad_cues())
    trainer = pycrfsuite.Trainer(verbose=False)
    cue_instances: list[tuple[Candidates, int]] = []
    speaker_instances: list[tuple[Candidates, int]] = []
    tokens_taught = 0
    for number, example in enumerate(examples):
        if progress:
            progress("reading", number, len(examples))
        analysis = Analysis(example.text, lexicon)
        rules = find_quotes(analysis) if uses_rules else None
        stretches = Describer(analysis, words, rules).stretches()
        for stretch in stretches:
            for features, tags, weight in _teach(example, stretch, analysis):
                for _ in range(weight):
                    trainer.append(features, tags)
                    tokens_taught += len(tags)
        _link_instances(example, analysis, stretches, rules, cue_instances, speaker_instances)
    if progress:
        progress("training", 0, 1)
    trainer.set_params(
        {
            "c1": 0.05,
            "c2": 0.01,
            "max_iterations": 120,
            "feature.possible_transitions": True,
        }
    )
    with tempfile.TemporaryDirectory(prefix="spanwise-train-") as folder:
        target = Path(folder) / "model.crfsuite"
        trainer.train(os.fspath(target))
        crf = target.read_bytes()
    cue_ranker, speaker_ranker = Ranker(), Ranker()
    cue_ranker.train(cue_instances)
    speaker_ranker.train(speaker_instances)
    model = LearnedModel(settings, uses_rules, crf, cue_ranker.weights, speaker_ranker.weights)
    counts: dict[str, int | float] = {
        "articles": len(examples),
        "quotes": sum(len(e.quotes) for e in examples),
        "speakers": sum(len(e.speakers) for e in examples),
        "cues": sum(len(e.cues) for e in examples),
        "links": sum(len(e.speaker_of) + len(e.cue_of) for e in examples),
        "rejected": sum(len(e.rejected) for e in examples),
        "tokens": tokens_taught,
        "seconds": round(time.perf_counter() - began, 2),
    }
    if progress:
        progress("training", 1, 1)
    return Trained(model, counts, [e.document_id for e in examples])


def _overlaps(spans: Sequence[Span], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _teach(
    example: Example, stretch: Stretch, analysis: Analysis
) -> list[tuple[list[list[str]], list[str], int]]:
    """What a stretch teaches: (features, tags, how many times). A finished document's
    stretches are taught whole; an unfinished one's only in the sentences that hold an
    annotation or a rejection (the rest may not have been read yet). A rejection is
    taught twice, so it weighs more than silence."""
    labelled: list[tuple[str, Span]] = [(QUOTE, piece) for q in example.quotes for piece in q]
    labelled += [(SPEAKER, span) for span in example.speakers]
    labelled += [(CUE, span) for span in example.cues]
    refused = [piece for q in example.rejected for piece in q]
    start, end = stretch.start, stretch.end
    weight = 2 if _overlaps(refused, start, end) else 1
    tags = tags_for(stretch, labelled)
    if example.complete:
        return [(stretch.features, tags, weight)]
    marked = refused + [span for _label, span in labelled]
    if not _overlaps(marked, start, end):
        return []
    known = [
        _overlaps(marked, *(analysis.sentences.at(token.start) or (token.start, token.end)))
        for token in stretch.tokens
    ]
    runs = []
    first = None
    for index, flag in enumerate([*known, False]):
        if flag and first is None:
            first = index
        elif not flag and first is not None:
            runs.append((stretch.features[first:index], tags[first:index], weight))
            first = None
    return runs


def _segment(article: Article, label: str, span: Span) -> Segment:
    first = article.index_at(span[0])
    last = max(first, article.index_at(span[1] - 1))
    return Segment(label, span[0], span[1], first, last)


def _link_instances(
    example: Example,
    analysis: Analysis,
    stretches: Sequence[Stretch],
    rules: list[Found] | None,
    cue_instances: list[tuple[Candidates, int]],
    speaker_instances: list[tuple[Candidates, int]],
) -> None:
    """The annotator's own choices, as ranking instances over the same candidate windows
    the model will see (its own spans as the candidates)."""
    if not example.quotes:
        return
    article = Article(analysis, stretches)
    if not article.tokens:
        return
    segments = [_segment(article, SPEAKER, s) for s in example.speakers]
    segments += [_segment(article, CUE, s) for s in example.cues]
    order = sorted(range(len(example.quotes)), key=lambda i: example.quotes[i][0])
    quotes = [
        Quote([_segment(article, QUOTE, piece) for piece in example.quotes[i]]) for i in order
    ]
    linker = Linker(article, segments, rules)
    linker.set_quotes(quotes)
    used_cues: set[int] = set()
    used_speakers: set[int] = set()
    previous: Segment | None = None
    for index, quote in zip(order, quotes, strict=True):
        cue_span = example.cue_of.get(index)
        options, features = linker.cue_candidates(quote, used_cues)
        right = _position(options, cue_span)
        if right is not None:
            cue_instances.append((features, right))
        cue = options[right] if right is not None else None
        speaker_span = example.speaker_of.get(index)
        speaker_options, speaker_features = linker.speaker_candidates(
            quote, cue, previous, used_speakers
        )
        right = _position(speaker_options, speaker_span)
        if right is not None:
            speaker_instances.append((speaker_features, right))
        if cue_span is not None:
            used_cues.add(cue_span[0])
        if speaker_span is not None:
            used_speakers.add(speaker_span[0])
            found = _position(speaker_options, speaker_span)
            previous = speaker_options[found] if found else previous
            if found is None:  # named beyond the window: still the previous speaker
                previous = _segment(article, SPEAKER, speaker_span)


def _position(options: Sequence[Segment | None], span: Span | None) -> int | None:
    """Which option is the annotator's choice (0: none); None when it is not among them."""
    if span is None:
        return 0
    for position, option in enumerate(options):
        if option is not None and (option.start, option.end) == span:
            return position
    return None
