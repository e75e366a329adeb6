"""A brat `.ann` file as plain records: parsed line by line (forward references resolved
after the whole file), checked against its `.txt`, and written back."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from db.errors import ImportRefused

# -- the standoff file as records --------------------------------------------------------------


@dataclass(slots=True)
class TextBound:
    """A T line: a typed span (fragments in file order) and the text brat shows."""

    id: str
    type: str
    fragments: list[tuple[int, int]]  # in file order (brat allows any order)
    text: str
    line: int


@dataclass(slots=True)
class Event:
    """An E line: an event's trigger and its role arguments."""

    id: str
    type: str
    trigger: str
    args: list[tuple[str, str]]
    line: int


@dataclass(slots=True)
class Relation:
    """An R line: a typed relation between two annotations."""

    id: str
    type: str
    arg1: str
    arg2: str
    line: int


@dataclass(slots=True)
class Attribute:
    """An A or M line: an attribute of an annotation, with its value."""

    id: str
    name: str
    target: str
    value: str | None  # None: a yes/no attribute that is set
    line: int


@dataclass(slots=True)
class Normalization:
    """An N line: a normalisation (a reference to an entry of a resource)."""

    id: str
    type: str
    target: str
    resource: str
    entry: str
    text: str
    line: int


@dataclass(slots=True)
class Note:
    """A # line: an AnnotatorNotes note on an annotation."""

    id: str
    type: str
    target: str
    text: str
    line: int


@dataclass(slots=True)
class Equiv:
    """A * line: annotations that refer to the same thing (an equivalence)."""

    type: str
    ids: list[str]
    line: int


@dataclass
class Standoff:
    """One `.ann` file."""

    textbounds: dict[str, TextBound] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    relations: dict[str, Relation] = field(default_factory=dict)
    attributes: list[Attribute] = field(default_factory=list)
    normalizations: list[Normalization] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    equivs: list[Equiv] = field(default_factory=list)

    def ids(self) -> set[str]:
        """Every id the file defines (T, E and R records)."""
        return set(self.textbounds) | set(self.events) | set(self.relations)


def lines_of(content: str) -> Iterator[str]:
    """content.split("\n"), one line at a time: a million-line file is not copied whole."""
    start = 0
    while True:
        end = content.find("\n", start)
        if end < 0:
            yield content[start:]
            return
        yield content[start:end]
        start = end + 1


def parse_standoff(content: str, name: str) -> Standoff:
    """Parse `.ann` text; a line that is not brat standoff is refused with its number."""
    standoff = Standoff()
    seen: set[str] = set()
    for number, raw in enumerate(lines_of(content), start=1):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        where = f"{name}, line {number}"
        fields = line.split("\t")
        ident = fields[0].strip()
        if ident != "*" and ident in seen:
            raise ImportRefused(f"{where}: id '{ident}' is used twice")
        seen.add(ident)
        kind = ident[:1]
        try:
            if kind == "T" and len(ident) > 1:
                standoff.textbounds[ident] = _textbound(ident, fields, number)
            elif kind == "E" and len(ident) > 1:
                standoff.events[ident] = _event(ident, fields, number)
            elif kind == "R" and len(ident) > 1:
                standoff.relations[ident] = _relation(ident, fields, number)
            elif kind in "AM" and len(ident) > 1:
                standoff.attributes.append(_attribute(ident, fields, number))
            elif kind == "N" and len(ident) > 1:
                standoff.normalizations.append(_normalization(ident, fields, number))
            elif kind == "#":
                standoff.notes.append(_note(ident, fields, number))
            elif ident == "*":
                parts = fields[1].split() if len(fields) > 1 else []
                if len(parts) < 3:
                    raise ValueError("an equivalence needs a type and at least two ids")
                standoff.equivs.append(Equiv(parts[0], parts[1:], number))
            else:
                raise ValueError(f"not a brat annotation line: {line[:60]!r}")
        except ValueError as exc:
            raise ImportRefused(f"{where}: {exc}") from exc
    return standoff


def _textbound(ident: str, fields: list[str], line: int) -> TextBound:
    if len(fields) < 3:
        raise ValueError(f"{ident} needs 'type start end' and the text, separated by tabs")
    head = fields[1].strip().split(" ", 1)
    if len(head) != 2:
        raise ValueError(f"{ident} needs a type and offsets")
    fragments: list[tuple[int, int]] = []
    for piece in head[1].split(";"):
        numbers = piece.split()
        if len(numbers) != 2 or not all(n.isdigit() for n in numbers):
            raise ValueError(f"{ident} has offsets {head[1]!r}; expected 'start end[;start end]'")
        start, end = int(numbers[0]), int(numbers[1])
        if start >= end:
            raise ValueError(f"{ident} has an empty or reversed span {start}-{end}")
        fragments.append((start, end))
    # type names repeat on every line: one string each (a million-line file holds few types)
    return TextBound(ident, sys.intern(head[0]), fragments, "\t".join(fields[2:]), line)


def _event(ident: str, fields: list[str], line: int) -> Event:
    parts = fields[1].split() if len(fields) > 1 else []
    if not parts or ":" not in parts[0]:
        raise ValueError(f"{ident} needs 'Type:Trigger'")
    event_type, trigger = parts[0].split(":", 1)
    args = []
    for part in parts[1:]:
        role, _, target = part.partition(":")
        if not role or not target:
            raise ValueError(f"{ident} has argument {part!r}; expected 'Role:Id'")
        args.append((role, target))
    return Event(ident, event_type, trigger, args, line)


def _relation(ident: str, fields: list[str], line: int) -> Relation:
    parts = fields[1].split() if len(fields) > 1 else []
    if len(parts) != 3:
        raise ValueError(f"{ident} needs 'Type Arg1:Id Arg2:Id'")
    ends = [part.partition(":")[2] for part in parts[1:]]
    if not all(ends):
        raise ValueError(f"{ident} has arguments {parts[1:]}; expected 'Arg1:Id Arg2:Id'")
    return Relation(ident, parts[0], ends[0], ends[1], line)


def _attribute(ident: str, fields: list[str], line: int) -> Attribute:
    parts = fields[1].split() if len(fields) > 1 else []
    if len(parts) not in (2, 3):
        raise ValueError(f"{ident} needs 'Name Target [Value]'")
    return Attribute(ident, parts[0], parts[1], parts[2] if len(parts) == 3 else None, line)


def _normalization(ident: str, fields: list[str], line: int) -> Normalization:
    parts = fields[1].split() if len(fields) > 1 else []
    if len(parts) != 3 or ":" not in parts[2]:
        raise ValueError(f"{ident} needs 'Type Target Resource:Entry'")
    resource, entry = parts[2].split(":", 1)
    text = "\t".join(fields[2:]).strip()
    return Normalization(ident, parts[0], parts[1], resource, entry, text, line)


def _note(ident: str, fields: list[str], line: int) -> Note:
    parts = fields[1].split() if len(fields) > 1 else []
    if len(parts) != 2:
        raise ValueError(f"{ident} needs 'Type Target' and the note text")
    return Note(ident, parts[0], parts[1], "\t".join(fields[2:]).rstrip(), line)


def check_standoff(standoff: Standoff, text: str, name: str) -> None:
    """Offsets inside the text, stored texts equal to the text at the offsets, references to
    ids that exist (anywhere in the file)."""
    for bound in standoff.textbounds.values():
        where = f"{name}, line {bound.line}"
        for _start, end in bound.fragments:
            if end > len(text):
                raise ImportRefused(
                    f"{where}: {bound.id} ends at {end}, past the end of the text ({len(text)})"
                )
        ordered = sorted(bound.fragments)
        for (_, first_end), (second_start, _) in zip(ordered, ordered[1:], strict=False):
            if second_start < first_end:
                raise ImportRefused(f"{where}: {bound.id} has overlapping fragments")
        actual = " ".join(text[s:e] for s, e in bound.fragments)
        if _comparable(actual) != _comparable(bound.text):
            raise ImportRefused(
                f"{where}: {bound.id} says {bound.text[:40]!r} but the text at "
                f"{_offsets(bound.fragments)} is {actual[:40]!r}"
            )
    spans = set(standoff.textbounds) | set(standoff.events)
    for event in standoff.events.values():
        where = f"{name}, line {event.line}"
        if event.trigger not in standoff.textbounds:
            raise ImportRefused(f"{where}: {event.id}'s trigger {event.trigger} is not a T line")
        for role, target in event.args:
            if target not in spans:
                raise ImportRefused(f"{where}: {event.id}'s {role} {target} does not exist")
            if target == event.id:
                raise ImportRefused(f"{where}: {event.id} is its own {role}")
    for relation in standoff.relations.values():
        for arg in (relation.arg1, relation.arg2):
            if arg not in spans:
                raise ImportRefused(
                    f"{name}, line {relation.line}: {relation.id}'s argument {arg} does not exist"
                )
    everything = standoff.ids()
    pointers: list[Attribute | Normalization | Note] = [
        *standoff.attributes,
        *standoff.normalizations,
        *standoff.notes,
    ]
    for item in pointers:
        if item.target not in everything:
            raise ImportRefused(
                f"{name}, line {item.line}: {item.id} refers to {item.target}, which does not exist"
            )
    for equiv in standoff.equivs:
        for ident in equiv.ids:
            if ident not in spans:
                raise ImportRefused(f"{name}, line {equiv.line}: {ident} does not exist")


def _comparable(text: str) -> str:
    """brat keeps a span's text on one line; compare with line breaks as spaces, and without
    the trailing white space real files carry."""
    return text.replace("\r", " ").replace("\n", " ").rstrip(" \t")


def _offsets(fragments: Iterable[tuple[int, int]]) -> str:
    return ";".join(f"{s} {e}" for s, e in fragments)


def render_standoff(standoff: Standoff) -> str:
    """The records as the text of an .ann file, in brat's order of kinds."""
    lines: list[str] = []
    for bound in standoff.textbounds.values():
        shown = bound.text.replace("\r", " ").replace("\n", " ")
        lines.append(f"{bound.id}\t{bound.type} {_offsets(bound.fragments)}\t{shown}")
    for event in standoff.events.values():
        args = "".join(f" {role}:{target}" for role, target in event.args)
        lines.append(f"{event.id}\t{event.type}:{event.trigger}{args}")
    for relation in standoff.relations.values():
        lines.append(f"{relation.id}\t{relation.type} Arg1:{relation.arg1} Arg2:{relation.arg2}")
    for attribute in standoff.attributes:
        value = "" if attribute.value is None else f" {attribute.value}"
        lines.append(f"{attribute.id}\t{attribute.name} {attribute.target}{value}")
    for norm in standoff.normalizations:
        lines.append(
            f"{norm.id}\t{norm.type} {norm.target} {norm.resource}:{norm.entry}\t{norm.text}"
        )
    for note in standoff.notes:
        lines.append(f"{note.id}\t{note.type} {note.target}\t{note.text}")
    for equiv in standoff.equivs:
        lines.append("*\t" + " ".join([equiv.type, *equiv.ids]))
    return "".join(line + "\n" for line in lines)
