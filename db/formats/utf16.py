"""UTF-16 code units and code points: converting offsets, and telling which unit a file counts.

Browser tools (doccano, Label Studio) have counted offsets in JavaScript string units, UTF-16,
where a character outside the Basic Multilingual Plane (most emoji) takes two units; Spanwise
counts code points. The two agree up to the first such character, so only spans after one tell
them apart. A reading is ruled out by hard evidence (an offset past the end, a span splitting a
surrogate pair, a span text that does not match); failing that, the reading under which
nearly all spans start and end at word boundaries (and the other one's mostly do not) wins;
failing that, the user must say (`--offsets`).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from db.errors import ImportRefused
from db.formats import OffsetUnit

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
UNITS: tuple[OffsetUnit, OffsetUnit] = ("codepoints", "utf16")
UNIT_NAMES: dict[OffsetUnit, str] = {"codepoints": "code points", "utf16": "UTF-16 units"}


class Utf16Map:
    """Offsets of one text in both units (fast: only the astral characters are listed)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._astral = [match.start() for match in _ASTRAL.finditer(text)]
        # where each astral character starts, counted in UTF-16 units
        self._astral_utf16 = [position + k for k, position in enumerate(self._astral)]
        self.utf16_length = len(text) + len(self._astral)

    @property
    def differs(self) -> bool:
        """True when the units disagree somewhere in this text."""
        return bool(self._astral)

    def to_utf16(self, offset: int) -> int:
        """A code-point offset (0..len(text)) in UTF-16 units."""
        return offset + bisect_left(self._astral, offset)

    def to_codepoints(self, offset: int) -> int | None:
        """A UTF-16 offset in code points; None if it is out of range or splits a pair."""
        if not 0 <= offset <= self.utf16_length:
            return None
        before = bisect_left(self._astral_utf16, offset)
        if before and self._astral_utf16[before - 1] + 1 == offset:
            return None
        return offset - before

    def convert(self, start: int, end: int, unit: OffsetUnit) -> tuple[int, int] | None:
        """A span counted in `unit` as code points; None if it cannot be one."""
        if unit == "codepoints":
            return (start, end) if 0 <= start <= end <= len(self.text) else None
        begin, finish = self.to_codepoints(start), self.to_codepoints(end)
        return None if begin is None or finish is None else (begin, finish)


def offset_writer(text: str, unit: OffsetUnit) -> Callable[[int], int]:
    """How a writer counts a code-point offset of this text: unchanged, or in UTF-16 units."""
    if unit == "codepoints":
        return lambda offset: offset
    return Utf16Map(text).to_utf16


def join_surrogate_pairs(text: str) -> str:
    """Join surrogate pairs that arrive as two characters (a JSON "\\ud83d\\ude00" escape)."""
    if not any("\ud800" <= ch <= "\udfff" for ch in text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


@dataclass(frozen=True)
class RawSpan:
    """A span as a file gives it, before its unit is known."""

    start: int
    end: int
    text: str | None  # the span text the file repeats, if it does
    where: str  # for messages: "line 3, entities[1]"


@dataclass(frozen=True)
class OffsetDecision:
    """The offset unit chosen for a file, and how it was chosen."""

    unit: OffsetUnit
    reason: str  # for the report: how the unit was chosen ("" when both agree)


def _word_like(ch: str) -> bool:
    return ch.isalnum() or unicodedata.category(ch).startswith("M")


def _joins_previous(ch: str) -> bool:
    """Characters that belong to the one before: combining marks, ZWJ, skin tones."""
    return (
        unicodedata.category(ch).startswith("M")
        or ch == "\u200d"
        or "\U0001f3fb" <= ch <= "\U0001f3ff"
    )


def clean_boundaries(text: str, start: int, end: int) -> bool:
    """A span a person would select: no outer white space, no word or character cut."""
    if not 0 <= start < end <= len(text):
        return False
    if text[start].isspace() or text[end - 1].isspace() or _joins_previous(text[start]):
        return False
    if start > 0 and _word_like(text[start - 1]) and _word_like(text[start]):
        return False
    if end < len(text):
        if _joins_previous(text[end]):
            return False
        if _word_like(text[end - 1]) and _word_like(text[end]):
            return False
    return True


@dataclass
class _Reading:
    unit: OffsetUnit
    problem: str | None = None
    clean: int = 0


def decide_offsets(
    documents: Sequence[tuple[str, Sequence[RawSpan]]], option: OffsetUnit | None, name: str
) -> OffsetDecision:
    """Which unit a file's spans count; refuses a contradicted option or an undecidable file."""
    # Long because the decision table between the option and what the spans show, each case with its
    # own refusal.
    readings = {unit: _Reading(unit) for unit in UNITS}
    differing = 0
    for text, spans in documents:
        mapping = Utf16Map(text)
        for span in spans:
            converted = {unit: mapping.convert(span.start, span.end, unit) for unit in UNITS}
            for unit, reading in readings.items():
                if reading.problem is None:
                    reading.problem = _problem(text, span, converted[unit], unit)
            if converted["codepoints"] == converted["utf16"]:
                continue
            differing += 1
            for unit, reading in readings.items():
                span_cp = converted[unit]
                if span_cp is not None and clean_boundaries(text, *span_cp):
                    reading.clean += 1
    if differing == 0:
        problem = readings["codepoints"].problem
        if problem is not None:
            raise ImportRefused(f"{name}: {problem}")
        return OffsetDecision(option or "codepoints", "")
    if option is not None:
        problem = readings[option].problem
        if problem is not None:
            hint = (
                f"; the offsets fit {UNIT_NAMES[_other(option)]} (--offsets {_other(option)})"
                if readings[_other(option)].problem is None
                else ""
            )
            raise ImportRefused(f"{name}: --offsets {option} contradicts the file: {problem}{hint}")
        return OffsetDecision(option, f"offsets read as {UNIT_NAMES[option]} (--offsets)")
    fitting = [unit for unit in UNITS if readings[unit].problem is None]
    if not fitting:
        raise ImportRefused(
            f"{name}: the offsets fit neither code points ({readings['codepoints'].problem}) "
            f"nor UTF-16 units ({readings['utf16'].problem})"
        )
    if len(fitting) == 1:
        unit = fitting[0]
        return OffsetDecision(
            unit,
            f"offsets read as {UNIT_NAMES[unit]}: as {UNIT_NAMES[_other(unit)]}, "
            f"{readings[_other(unit)].problem}",
        )
    best = max(UNITS, key=lambda unit: readings[unit].clean)
    other = _other(best)
    won, lost = readings[best].clean, readings[other].clean
    # decisive when nearly every span fits words one way and at most half the other way
    if won > lost and won >= 0.9 * differing and lost <= 0.5 * differing:
        return OffsetDecision(
            best,
            f"offsets read as {UNIT_NAMES[best]}: {won} of {differing} span(s) after an emoji "
            f"start and end at word boundaries that way, {lost} as {UNIT_NAMES[other]}",
        )
    raise ImportRefused(
        f"{name}: cannot tell whether the offsets count code points or UTF-16 units "
        f"({differing} span(s) after an emoji or other non-BMP character read differently); "
        "import it again with --offsets codepoints or --offsets utf16"
    )


def _other(unit: OffsetUnit) -> OffsetUnit:
    return "utf16" if unit == "codepoints" else "codepoints"


def _problem(
    text: str, span: RawSpan, converted: tuple[int, int] | None, unit: OffsetUnit
) -> str | None:
    """Why a span cannot count `unit`, or None if it can."""
    if converted is None:
        limit = len(text) if unit == "codepoints" else Utf16Map(text).utf16_length
        if not 0 <= span.start <= span.end <= limit:
            return (
                f"{span.where}: span {span.start}-{span.end} is outside the text "
                f"({limit} {UNIT_NAMES[unit]})"
            )
        return f"{span.where}: span {span.start}-{span.end} splits an emoji's surrogate pair"
    if span.text is not None:
        found = text[converted[0] : converted[1]]
        if found != join_surrogate_pairs(span.text):
            return (
                f"{span.where}: span {span.start}-{span.end} reads {found!r}, "
                f"but the file says {span.text!r}"
            )
    return None
