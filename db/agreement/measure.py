"""Inter-annotator agreement: how far two or more annotators' work on the same texts agrees.

`agreement(store_or_documents, annotators)` reads everything in one export
(`Store.export_documents`) and measures, per label and over all labels, per document and
over the corpus:

- spans: exact-match and overlap-match precision, recall and F1 of each later annotator
  against each earlier one (with three or more, the mean and standard deviation over pairs);
- tokens: Cohen's kappa per pair, and Krippendorff's alpha (nominal) over all annotators
  present, a token being in a label when it lies inside text the annotator gave that label
  (tokenisation in `db.agreement.spans`): binary per label (in it or not), and over one
  multi-valued variable per token (its label, or none: `token_alpha`);
- Krippendorff's unitizing alpha (alpha_U) over the text as a continuum of code points;
- coreference (link F1 and B-cubed over matched mentions) and attribution (speakers, cues,
  event arguments by role of the quotes and events both annotated).

The numbers come from `db.agreement.stats`; `AgreementResult.to_json()` is the shape
`spanwise agree --json` prints. A measure that is undefined for the data is None (null).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from functools import cached_property, partial
from itertools import combinations
from typing import Any

from db.agreement.stats import (
    AlphaTally,
    AttributionTally,
    LinkTally,
    SpanTally,
    TokenAlphaTally,
    TokenTally,
    UnitizingTally,
    mean_and_sd,
    ratio,
)
from db.agreement.tallies import (
    CommonTallies,
    ConfusionKey,
    LabelTallies,
    Pair,
    add_counts,
    document_tallies,
)
from db.errors import SpanwiseError
from db.gc_pause import paused_gc
from db.records import ExportedDocument
from db.store import Store

Json = dict[str, Any]
PAIRWISE = ("exact_f1", "overlap_f1", "kappa")


@dataclass(frozen=True)
class Scores:
    """The pairwise scores, listed once: a pair's own (PairMeasures), or their mean over the
    pairs of annotators (Row)."""

    exact_precision: float | None
    exact_recall: float | None
    exact_f1: float | None
    overlap_precision: float | None
    overlap_recall: float | None
    overlap_f1: float | None
    kappa: float | None


SCORES = tuple(score.name for score in fields(Scores))


@dataclass(frozen=True)
class PairMeasures(Scores):
    """Span and token agreement of one pair of annotators, the second against the first."""

    first_spans: int
    second_spans: int
    exact_matches: int
    overlap_matches: int

    def to_json(self) -> Json:
        return dict(self.__dict__)


@dataclass(frozen=True)
class RowCounts:
    """What a row's numbers rest on. Matches are summed over pairs of annotators."""

    documents: int
    tokens_compared: int
    annotations: dict[str, int]
    tokens: dict[str, int]
    exact_matches: int
    overlap_matches: int

    def to_json(self) -> Json:
        return {
            "documents": self.documents,
            "tokens_compared": self.tokens_compared,
            "annotations": dict(self.annotations),
            "tokens": dict(self.tokens),
            "exact_matches": self.exact_matches,
            "overlap_matches": self.overlap_matches,
        }


@dataclass(frozen=True)
class Row(Scores):
    """Agreement on one label, or on all labels together ("overall").

    Pairwise measures (precision, recall, F1, kappa) are means over the pairs of annotators
    that share documents; `sd` holds their standard deviations (None with a single pair).
    alpha and alpha_u are computed over all annotators at once.
    """

    alpha: float | None
    alpha_u: float | None
    sd: dict[str, float | None]
    counts: RowCounts

    def to_json(self) -> Json:
        data = {key: value for key, value in self.__dict__.items() if key != "counts"}
        data["sd"] = dict(self.sd)
        data["counts"] = self.counts.to_json()
        return data


@dataclass(frozen=True)
class RoleAgreement:
    f1: float | None
    matched: int
    first: int
    second: int

    def to_json(self) -> Json:
        return dict(self.__dict__)


@dataclass(frozen=True)
class AttributionAgreement:
    """Of the quotes both annotators marked (overlap match): the share whose speakers agree
    (overlapping mentions, or mentions of corresponding entities) and the same for cues,
    among those where at least one annotator linked one; event arguments by role (F1)."""

    speaker: float | None
    cue: float | None
    roles: dict[str, RoleAgreement]
    quotes_matched: int
    speaker_compared: int
    speaker_agreed: int
    cue_compared: int
    cue_agreed: int
    events_matched: int

    @classmethod
    def of(cls, tally: AttributionTally) -> AttributionAgreement:
        roles = {
            role: RoleAgreement(ratio(2 * matched, first + second), matched, first, second)
            for role, (matched, first, second) in sorted(tally.roles.items())
        }
        return cls(
            ratio(tally.speaker_agreed, tally.speaker_compared),
            ratio(tally.cue_agreed, tally.cue_compared),
            roles,
            tally.quotes_matched,
            tally.speaker_compared,
            tally.speaker_agreed,
            tally.cue_compared,
            tally.cue_agreed,
            tally.events_matched,
        )

    def to_json(self) -> Json:
        return {
            "speaker": self.speaker,
            "cue": self.cue,
            "roles": {role: value.to_json() for role, value in self.roles.items()},
            "counts": {
                "quotes_matched": self.quotes_matched,
                "speaker_compared": self.speaker_compared,
                "speaker_agreed": self.speaker_agreed,
                "cue_compared": self.cue_compared,
                "cue_agreed": self.cue_agreed,
                "events_matched": self.events_matched,
            },
        }


@dataclass(frozen=True)
class CoreferenceAgreement:
    """The two entity partitions compared over mentions both annotators marked (overlap
    match, any entity-forming label); a mention in no entity is an entity of its own."""

    link_precision: float | None
    link_recall: float | None
    link_f1: float | None
    b3_precision: float | None
    b3_recall: float | None
    b3_f1: float | None
    mentions_first: int
    mentions_second: int
    mentions_matched: int
    links_first: int
    links_second: int
    links_common: int

    @classmethod
    def of(cls, tally: LinkTally) -> CoreferenceAgreement:
        b3_precision = ratio_float(tally.b3_precision_sum, tally.matched)
        b3_recall = ratio_float(tally.b3_recall_sum, tally.matched)
        return cls(
            ratio(tally.common, tally.second_links),
            ratio(tally.common, tally.first_links),
            ratio(2 * tally.common, tally.first_links + tally.second_links),
            b3_precision,
            b3_recall,
            harmonic(b3_precision, b3_recall),
            tally.mentions_first,
            tally.mentions_second,
            tally.matched,
            tally.first_links,
            tally.second_links,
            tally.common,
        )

    def to_json(self) -> Json:
        keys = ("link_precision", "link_recall", "link_f1", "b3_precision", "b3_recall")
        data: Json = {key: getattr(self, key) for key in (*keys, "b3_f1")}
        data["counts"] = {
            "mentions_first": self.mentions_first,
            "mentions_second": self.mentions_second,
            "mentions_matched": self.mentions_matched,
            "links_first": self.links_first,
            "links_second": self.links_second,
            "links_common": self.links_common,
        }
        return data


@dataclass(frozen=True)
class TokenAlpha:
    """Krippendorff's alpha (nominal) over one multi-valued variable per token: the label
    the annotator gave it (a combined value such as "Cue+Quote" for a token in two
    labels), or none. This is the token-level alpha attribution corpora publish; the
    per-label `alpha` of a Row is binary instead (in that label or not).

    `values` counts the pairable values by value (tokens times annotators present)."""

    alpha: float | None
    labels: list[str]
    values: dict[str, int]

    @classmethod
    def of(cls, tally: TokenAlphaTally, labels: list[str]) -> TokenAlpha:
        values = {"none": tally.none(), **dict(sorted(tally.by_value.items()))}
        return cls(tally.alpha(), labels, values)

    def to_json(self) -> Json:
        return {"alpha": self.alpha, "labels": list(self.labels), "values": dict(self.values)}


@dataclass(frozen=True)
class PairResult:
    first: str
    second: str
    documents: int
    labels: dict[str, PairMeasures]
    overall: PairMeasures

    def to_json(self) -> Json:
        return {
            "first": self.first,
            "second": self.second,
            "documents": self.documents,
            "labels": {label: m.to_json() for label, m in self.labels.items()},
            "overall": self.overall.to_json(),
        }


@dataclass(frozen=True)
class Section:
    """Agreement over some documents: one document, or the whole selection."""

    labels: dict[str, Row]
    overall: Row
    attribution: AttributionAgreement
    coreference: CoreferenceAgreement
    token_alpha: TokenAlpha


class DocumentAgreement:
    """Agreement in one document; its measures are worked out when first asked for, so that
    a corpus result costs nothing per document until a report or the JSON needs it."""

    def __init__(
        self, document: ExportedDocument, annotators: list[str], compute: Callable[[], Section]
    ) -> None:
        self.id = document.document.id
        self.title = document.document.title
        self.annotators = annotators  # those who took part in this document
        self._compute = compute

    @cached_property
    def section(self) -> Section:
        return self._compute()

    @property
    def labels(self) -> dict[str, Row]:
        return self.section.labels

    @property
    def overall(self) -> Row:
        return self.section.overall

    def to_json(self) -> Json:
        return {
            "title": self.title,
            "annotators": list(self.annotators),
            **_section_json(self.section),
        }


@dataclass(frozen=True)
class ConfusionCell:
    """Spans of `first`'s label paired with spans of `second`'s (None: no partner)."""

    first: str | None
    second: str | None
    count: int


@dataclass(frozen=True)
class AgreementResult:
    annotators: list[str]
    section: Section
    pairs: list[PairResult]
    confusion: list[ConfusionCell]
    documents: dict[str, DocumentAgreement] = field(default_factory=dict)

    @property
    def labels(self) -> dict[str, Row]:
        return self.section.labels

    @property
    def overall(self) -> Row:
        return self.section.overall

    def to_json(self) -> Json:
        """The object `spanwise agree --json` prints (documented in docs-agreement.md)."""
        with paused_gc():
            return self._json()

    def _json(self) -> Json:
        return {
            "annotators": list(self.annotators),
            **_section_json(self.section),
            "pairs": [pair.to_json() for pair in self.pairs],
            "confusion": [
                {"first": c.first, "second": c.second, "count": c.count} for c in self.confusion
            ],
            "documents": {doc_id: doc.to_json() for doc_id, doc in self.documents.items()},
        }


def ratio_float(part: float, whole: int) -> float | None:
    return part / whole if whole else None


def harmonic(first: float | None, second: float | None) -> float | None:
    if first is None or second is None or first + second == 0:
        return None
    return 2 * first * second / (first + second)


def _section_json(section: Section) -> Json:
    return {
        "labels": {label: row.to_json() for label, row in section.labels.items()},
        "overall": section.overall.to_json(),
        "token_alpha": section.token_alpha.to_json(),
        "attribution": section.attribution.to_json(),
        "coreference": section.coreference.to_json(),
    }


# -- computing -------------------------------------------------------------------------------


def agreement(
    store_or_documents: Store | Sequence[ExportedDocument],
    annotators: Sequence[str],
    label: str | None = None,
    document_ids: Iterable[str] | None = None,
) -> AgreementResult:
    """Agreement of `annotators` (the first is the reference for precision and recall) on
    every label, or on `label` only, over all documents or those in `document_ids`.

    Raises SpanwiseError for fewer than two annotators, or an annotator, label or document
    the data does not know.
    """
    names = list(dict.fromkeys(annotators))
    if len(names) < 2:
        raise SpanwiseError("agreement needs two or more different annotators")
    with paused_gc():
        return _agreement(store_or_documents, names, label, document_ids)


def _agreement(
    store_or_documents: Store | Sequence[ExportedDocument],
    names: list[str],
    label: str | None,
    document_ids: Iterable[str] | None,
) -> AgreementResult:
    wanted = None if document_ids is None else list(dict.fromkeys(document_ids))
    schema_labels: list[str] = []
    mention_labels: set[str] = set()
    if isinstance(store_or_documents, Store):
        store = store_or_documents
        store.check_annotators(names)
        for label_def in store.labels():
            schema_labels.append(label_def.name)
            if label_def.forms_entities:
                mention_labels.add(label_def.name)
        only = wanted[0] if wanted is not None and len(wanted) == 1 else None
        if wanted is None or only is not None:  # a document at a time, never all at once
            used, mentions = store.labels_used(names)
            mention_labels |= mentions
            labels = _labels_of(used, schema_labels, label)
            streamed = store.iter_documents(None, only)
            return _compute(streamed, names, labels, sorted(mention_labels))
        documents: Sequence[ExportedDocument] = store.export_documents(None, only)
    else:
        documents = store_or_documents
    documents = _select(documents, wanted)
    labels = _labels(documents, names, schema_labels, label)
    for item in documents:
        if item.entities:
            mention_labels.update(_entity_labels(item))
    return _compute(documents, names, labels, sorted(mention_labels))


def _select(
    documents: Sequence[ExportedDocument], wanted: list[str] | None
) -> list[ExportedDocument]:
    if wanted is None:
        return list(documents)
    by_id = {item.document.id: item for item in documents}
    for doc_id in wanted:
        if doc_id not in by_id:
            raise SpanwiseError(f"no document with id {doc_id}")
    return [by_id[doc_id] for doc_id in wanted]


def _labels(
    documents: Sequence[ExportedDocument],
    names: Sequence[str],
    schema_labels: Sequence[str],
    label: str | None,
) -> list[str]:
    """The schema's labels in schema order, then any other label the annotators used."""
    used = {a.label for item in documents for a in item.annotations if a.annotator in names}
    if label is not None and any(a.label == label for d in documents for a in d.annotations):
        used.add(label)  # another annotator's label is a label too
    return _labels_of(used, schema_labels, label)


def _labels_of(used: set[str], schema_labels: Sequence[str], label: str | None) -> list[str]:
    labels = [*schema_labels, *sorted(used - set(schema_labels))]
    if label is None:
        return labels
    if label not in labels:
        raise SpanwiseError(f"unknown label '{label}' (labels: {', '.join(labels) or 'none'})")
    return [label]


def _entity_labels(item: ExportedDocument) -> set[str]:
    """Labels of the mentions in the document's entities (when the schema does not say
    which labels form entities, the data does)."""
    mentions = {mention for entity in item.entities for mention in entity.mentions}
    return {a.label for a in item.annotations if a.id in mentions}


def _compute(
    documents: Iterable[ExportedDocument],
    names: list[str],
    labels: list[str],
    mention_labels: list[str],
) -> AgreementResult:
    common = CommonTallies()
    totals = {label: LabelTallies() for label in labels}
    used: set[str] = set()
    per_document: list[tuple[ExportedDocument, list[str], CommonTallies, dict[str, LabelTallies]]]
    per_document = []
    label_set = set(labels)
    for item in documents:
        tallies = document_tallies(item, names, label_set, mention_labels)
        common.add(tallies.common)
        for label, label_tallies in tallies.labels.items():
            totals[label].add(label_tallies)
            used.add(label)
        # what the per-document results need (id, title), not the text or the annotations
        heading = ExportedDocument(dataclasses.replace(item.document, text=""), {}, [], [], [])
        per_document.append((heading, tallies.present, tallies.common, tallies.labels))
    pooled = [label for label in labels if label in used]
    pairs = list(combinations(range(len(names)), 2))
    documents_result = {
        item.document.id: DocumentAgreement(
            item,
            present,
            partial(_section, names, pairs, labels, pooled, doc_common, doc_labels),
        )
        for item, present, doc_common, doc_labels in per_document
    }
    return AgreementResult(
        names,
        _section(names, pairs, labels, pooled, common, totals),
        _pair_results(names, pairs, labels, pooled, common, totals),
        _confusion_cells(common.confusion, labels),
        documents_result,
    )


def _section(
    names: list[str],
    pairs: list[Pair],
    labels: list[str],
    pooled: list[str],
    common: CommonTallies,
    tallies: dict[str, LabelTallies],
) -> Section:
    empty = LabelTallies()
    rows = {label: _row(names, pairs, common, [tallies.get(label, empty)]) for label in labels}
    overall = _row(names, pairs, common, [tallies.get(label, empty) for label in pooled])
    return Section(
        rows,
        overall,
        AttributionAgreement.of(common.attribution),
        CoreferenceAgreement.of(common.coreference),
        TokenAlpha.of(common.token_alpha, pooled),
    )


def _row(
    names: list[str],
    pairs: list[Pair],
    common: CommonTallies,
    label_tallies: list[LabelTallies],
) -> Row:
    """One row from the tallies of one label (or of all pooled labels)."""
    per_pair = [
        _pair_measures(pair, common, label_tallies)
        for pair in pairs
        if common.pair_documents.get(pair)
    ]
    means: dict[str, float | None] = {}
    sd: dict[str, float | None] = {}
    for key in SCORES:
        means[key], spread = mean_and_sd(getattr(m, key) for m in per_pair)
        if key in PAIRWISE:
            sd[key] = spread
    alpha = AlphaTally(common.alpha_values * len(label_tallies))
    annotations = {name: 0 for name in names}
    tokens = {name: 0 for name in names}
    for tallies in label_tallies:
        alpha.add(AlphaTally(0, tallies.inside, tallies.mismatches))
        add_counts(annotations, tallies.annotations)
        add_counts(tokens, tallies.tokens)
    counts = RowCounts(
        common.documents,
        common.tokens,
        dict(annotations),
        dict(tokens),
        sum(m.exact_matches for m in per_pair),
        sum(m.overlap_matches for m in per_pair),
    )
    return Row(
        **means,
        alpha=alpha.alpha() if label_tallies else None,
        alpha_u=_alpha_u(common, label_tallies),
        sd=sd,
        counts=counts,
    )


def _pair_measures(
    pair: Pair, common: CommonTallies, label_tallies: list[LabelTallies]
) -> PairMeasures:
    spans = SpanTally()
    table = TokenTally(total=common.pair_tokens.get(pair, 0) * len(label_tallies))
    for tallies in label_tallies:
        spans.add(tallies.span_tally(pair))
        table.add(tallies.token_tally(pair))
    return PairMeasures(
        spans.precision(spans.exact),
        spans.recall(spans.exact),
        spans.f1(spans.exact),
        spans.precision(spans.overlap),
        spans.recall(spans.overlap),
        spans.f1(spans.overlap),
        table.kappa() if label_tallies else None,
        spans.first,
        spans.second,
        spans.exact,
        spans.overlap,
    )


def _alpha_u(common: CommonTallies, label_tallies: list[LabelTallies]) -> float | None:
    """alpha_U of one label; over several, 1 - sum of D_o / sum of D_e (Krippendorff's
    alpha_U for all categories, as DKPro and INCEpTION compute it)."""
    observed = expected = 0.0
    defined = False
    length = sum(common.unitized_lengths)
    texts = Counter(common.unitized_lengths)
    for tallies in label_tallies:
        # Texts where nobody used the label are one gap per annotator.
        empty_texts = texts - Counter(tallies.unitized_lengths)
        gaps = tallies.gaps + list(empty_texts.elements()) * common.coders
        found = UnitizingTally(
            common.coders, length, tallies.observed, tallies.units, gaps
        ).disagreements()
        if found is not None:
            observed += found[0]
            expected += found[1]
            defined = True
    return 1.0 - observed / expected if defined else None


def _pair_results(
    names: list[str],
    pairs: list[Pair],
    labels: list[str],
    pooled: list[str],
    common: CommonTallies,
    totals: dict[str, LabelTallies],
) -> list[PairResult]:
    return [
        PairResult(
            names[pair[0]],
            names[pair[1]],
            common.pair_documents.get(pair, 0),
            {label: _pair_measures(pair, common, [totals[label]]) for label in labels},
            _pair_measures(pair, common, [totals[label] for label in pooled]),
        )
        for pair in pairs
    ]


def _confusion_cells(cells: dict[ConfusionKey, int], labels: list[str]) -> list[ConfusionCell]:
    order = {label: index for index, label in enumerate(labels)}

    def position(key: ConfusionKey) -> tuple[int, int]:
        first, second = key
        return (
            len(labels) if first is None else order.get(first, len(labels)),
            len(labels) if second is None else order.get(second, len(labels)),
        )

    return [
        ConfusionCell(first, second, count)
        for (first, second), count in sorted(cells.items(), key=lambda kv: position(kv[0]))
    ]
