"""Agreement on links between two annotators' work on one document: entities and attribution.

Mentions (annotations of labels that form entities) are matched one-to-one by overlap,
whatever their label; two entities correspond when one of their mentions is matched with
one of the other's. Speakers, cues and event arguments then agree when they overlap or
refer to corresponding entities, so "he" and "Zelensky" agree when both annotators put them
in Zelensky's entity.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from operator import attrgetter, le

from db.agreement.spans import match_overlapping, spans_overlap
from db.agreement.stats import AttributionTally, LinkTally
from db.records import AnnotationData, ExportedDocument

SPEAKER_LINK = "speaker"
CUE_LINK = "cue"
QUOTE_LABEL = "Quote"
EVENT_LABEL = "Event"

Matcher = Callable[[str], list[tuple[int, int]]]


@dataclass
class AnnotatorWork:
    """One annotator's annotations, links and entities in one document, indexed."""

    by_label: dict[str, list[AnnotationData]] = field(default_factory=dict)
    links: dict[str, dict[str, list[AnnotationData]]] = field(default_factory=dict)
    role_sources: set[str] = field(default_factory=set)  # labels with event-role links
    entity_of: dict[str, str] = field(default_factory=dict)


def index_work(item: ExportedDocument, annotators: Collection[str]) -> dict[str, AnnotatorWork]:
    """Each annotator's work in the document, annotations in text order."""
    work = {name: AnnotatorWork() for name in annotators}
    for annotation in item.annotations:
        mine = work.get(annotation.annotator)
        if mine is not None:
            spans = mine.by_label.get(annotation.label)
            if spans is None:
                mine.by_label[annotation.label] = [annotation]
            else:
                spans.append(annotation)
    starts = list(map(_start, item.annotations))
    if not all(map(le, starts, starts[1:])):  # an export is in text order already
        for mine in work.values():
            for spans in mine.by_label.values():
                spans.sort(key=_start)
    if item.relations:
        by_id = {annotation.id: annotation for annotation in item.annotations}
        for relation in sorted(item.relations, key=_relation_id):
            mine = work.get(relation.annotator)
            source = by_id.get(relation.source)
            target = by_id.get(relation.target)
            if mine is not None and source is not None and target is not None:
                by_type = mine.links.setdefault(relation.source, {})
                by_type.setdefault(relation.type, []).append(target)
                if relation.type not in (SPEAKER_LINK, CUE_LINK):
                    mine.role_sources.add(source.label)
    for entity in item.entities:
        mine = work.get(entity.annotator)
        if mine is not None:
            for mention in entity.mentions:
                mine.entity_of[mention] = entity.id
    return work


_start = attrgetter("start")
_relation_id = attrgetter("id")


class PairLinks:
    """Entities and attribution compared between a pair of annotators in one document."""

    def __init__(
        self,
        first: AnnotatorWork,
        second: AnnotatorWork,
        mention_labels: Collection[str],
        matches: Matcher,
    ) -> None:
        self.first, self.second = first, second
        self.matches = matches
        self.mentions_first = _mentions(first, mention_labels)
        self.mentions_second = _mentions(second, mention_labels)
        self.mention_pairs: list[tuple[int, int]] = []
        self.corresponding: set[tuple[str, str]] = set()
        if not (first.entity_of and second.entity_of):
            return  # no two entities can correspond
        self.mention_pairs = match_overlapping(self.mentions_first, self.mentions_second)
        for i, j in self.mention_pairs:
            entity_a = first.entity_of.get(self.mentions_first[i].id)
            entity_b = second.entity_of.get(self.mentions_second[j].id)
            if entity_a is not None and entity_b is not None:
                self.corresponding.add((entity_a, entity_b))

    def same_referent(self, one: AnnotationData, other: AnnotationData) -> bool:
        """Overlapping spans, or mentions of corresponding entities."""
        if spans_overlap(one, other):
            return True
        entity_a = self.first.entity_of.get(one.id)
        entity_b = self.second.entity_of.get(other.id)
        return entity_a is not None and (entity_a, entity_b) in self.corresponding

    def coreference(self) -> LinkTally:
        """Link counts and B-cubed sums over the matched mentions, each mention outside any
        entity counting as an entity of its own."""
        if not self.mention_pairs:
            self.mention_pairs = match_overlapping(self.mentions_first, self.mentions_second)
        tally = LinkTally(len(self.mentions_first), len(self.mentions_second))
        tally.matched = len(self.mention_pairs)
        cells: Counter[tuple[str, str]] = Counter()
        for i, j in self.mention_pairs:
            mention_a, mention_b = self.mentions_first[i], self.mentions_second[j]
            cells[
                self.first.entity_of.get(mention_a.id, "m:" + mention_a.id),
                self.second.entity_of.get(mention_b.id, "m:" + mention_b.id),
            ] += 1
        sizes_a: Counter[str] = Counter()
        sizes_b: Counter[str] = Counter()
        for (entity_a, entity_b), count in cells.items():
            sizes_a[entity_a] += count
            sizes_b[entity_b] += count
        tally.common = sum(_pairs_of(count) for count in cells.values())
        tally.first_links = sum(_pairs_of(count) for count in sizes_a.values())
        tally.second_links = sum(_pairs_of(count) for count in sizes_b.values())
        for (entity_a, entity_b), count in cells.items():
            tally.b3_precision_sum += count * count / sizes_b[entity_b]
            tally.b3_recall_sum += count * count / sizes_a[entity_a]
        return tally

    def attribution(self) -> AttributionTally:
        """Speakers, cues and event arguments compared on the quotes and events both marked."""
        tally = AttributionTally()
        quotes_a = self.first.by_label.get(QUOTE_LABEL, [])
        quotes_b = self.second.by_label.get(QUOTE_LABEL, [])
        for i, j in self.matches(QUOTE_LABEL):
            tally.quotes_matched += 1
            links_a = self.first.links.get(quotes_a[i].id, {})
            links_b = self.second.links.get(quotes_b[j].id, {})
            for link, compared, agreed in (
                (SPEAKER_LINK, "speaker_compared", "speaker_agreed"),
                (CUE_LINK, "cue_compared", "cue_agreed"),
            ):
                target_a = _first(links_a.get(link))
                target_b = _first(links_b.get(link))
                if target_a is None and target_b is None:
                    continue
                setattr(tally, compared, getattr(tally, compared) + 1)
                if (
                    target_a is not None
                    and target_b is not None
                    and self.same_referent(target_a, target_b)
                ):
                    setattr(tally, agreed, getattr(tally, agreed) + 1)
        self._arguments(tally)
        return tally

    def _arguments(self, tally: AttributionTally) -> None:
        """Arguments by role (every link type but speaker and cue) of the annotations both
        marked: how many of each side's arguments find a partner on the other side."""
        sources = self.first.role_sources | self.second.role_sources
        if EVENT_LABEL in self.first.by_label and EVENT_LABEL in self.second.by_label:
            tally.events_matched = len(self.matches(EVENT_LABEL))
        for label in sorted(sources):
            spans_a = self.first.by_label.get(label, [])
            spans_b = self.second.by_label.get(label, [])
            for i, j in self.matches(label):
                links_a = self.first.links.get(spans_a[i].id, {})
                links_b = self.second.links.get(spans_b[j].id, {})
                for role in sorted({*links_a, *links_b} - {SPEAKER_LINK, CUE_LINK}):
                    args_a, args_b = links_a.get(role, []), links_b.get(role, [])
                    counts = tally.roles.setdefault(role, [0, 0, 0])
                    counts[0] += self._paired(args_a, args_b)
                    counts[1] += len(args_a)
                    counts[2] += len(args_b)

    def _paired(self, args_a: Sequence[AnnotationData], args_b: Sequence[AnnotationData]) -> int:
        """One-to-one pairs of arguments with the same referent (argument lists are short)."""
        free = list(args_b)
        paired = 0
        for argument in args_a:
            for index, other in enumerate(free):
                if self.same_referent(argument, other):
                    del free[index]
                    paired += 1
                    break
        return paired


def _first(targets: list[AnnotationData] | None) -> AnnotationData | None:
    """The link target; the schema allows one speaker and one cue per quote, and should a
    database hold more, the link with the lowest id wins, as in the quote table."""
    return targets[0] if targets else None


def _mentions(work: AnnotatorWork, mention_labels: Collection[str]) -> list[AnnotationData]:
    return [a for label in mention_labels for a in work.by_label.get(label, [])]


def _pairs_of(count: int) -> int:
    return count * (count - 1) // 2
