"""Identical spans counted once, for drawing.

A file can stack a million identical spans on one word (a 24 MB brat .ann did, and the window
took three minutes to open). They look exactly like one span, so the article draws each
distinct (place, label, annotator) once: this index keeps the distinct ones in text order
with how many records share each, updated as records come and go, so that decorating the
visible part costs what is distinct there, not what is stacked.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable, Iterator

from db.records import AnnotationData, Fragments

# (start, -end, fragments, label, annotator): text order, longer first, like the document's
Stack = tuple[int, int, Fragments, str, str]


def stack_of(record: AnnotationData) -> Stack:
    """What makes two spans one stack: the same pieces of text and label."""
    return (record.start, -record.end, record.fragments, record.label, record.annotator)


class SpanStacks:
    """The distinct spans of a set of records, in text order, each with its records."""

    def __init__(self) -> None:
        self._members: dict[Stack, list[AnnotationData]] = {}
        self._order: list[Stack] = []
        self._max_length = 0

    def reset(self, records: Iterable[AnnotationData]) -> None:
        """Start again from these annotations."""
        members: dict[Stack, list[AnnotationData]] = {}
        for record in records:
            members.setdefault(stack_of(record), []).append(record)
        self._members = members
        self._order = sorted(members)
        self._max_length = max((-s[1] - s[0] for s in self._order), default=0)

    def add(self, record: AnnotationData) -> None:
        """Count one more annotation in its stack."""
        stack = stack_of(record)
        found = self._members.setdefault(stack, [])
        found.append(record)
        if len(found) == 1:
            insort(self._order, stack)
            self._max_length = max(self._max_length, record.end - record.start)

    def remove(self, record: AnnotationData) -> None:
        """Count one annotation out of its stack."""
        stack = stack_of(record)
        found = self._members.get(stack, [])
        kept = [r for r in found if r.id != record.id]
        if kept:
            self._members[stack] = kept
            return
        self._members.pop(stack, None)
        index = bisect_left(self._order, stack)
        if index < len(self._order) and self._order[index] == stack:
            del self._order[index]

    def __len__(self) -> int:
        return len(self._order)

    def members(self, stack: Stack) -> list[AnnotationData]:
        """The annotations drawn as this one stack."""
        return self._members.get(stack, [])

    def overlapping(self, start: int, end: int) -> Iterator[Stack]:
        """Distinct spans whose extent shares a character with [start, end)."""
        low = bisect_left(self._order, (start - self._max_length,))
        for stack in self._order[low:]:
            if stack[0] >= max(end, start + 1):
                break
            if -stack[1] > start:
                yield stack


def spans_of(stack: Stack) -> Fragments:
    """The pieces of text a stack covers (its fragments, or its one extent)."""
    start, negative_end, fragments = stack[0], stack[1], stack[2]
    return fragments or ((start, -negative_end),)


def merged_stacks(stacks: Iterable[Stack]) -> list[Stack]:
    """Thousands of different spans on one screen, as few as look the same: per label and
    annotator, the text they cover (overlapping pieces joined)."""
    pieces: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for stack in stacks:
        pieces.setdefault((stack[3], stack[4]), []).extend(spans_of(stack))
    result: list[Stack] = []
    for (label, annotator), spans in pieces.items():
        spans.sort()
        first, last = spans[0]
        for start, end in spans[1:]:
            if start > last:
                result.append((first, -last, (), label, annotator))
                first = start
            last = max(last, end)
        result.append((first, -last, (), label, annotator))
    return result
