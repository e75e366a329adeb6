"""brat standoff (`.txt` + `.ann`, `annotation.conf`, `visual.conf`) in and out.

brat counts offsets in code points of the `.txt` as read (no newline translation), as Spanwise
does, so offsets pass through unchanged. The file is parsed into plain records first (every
line checked, references resolved after the whole file is read, since brat allows forward
references), then converted, so a broken line refuses the whole batch with its file and line.

How brat maps to Spanwise (and back):
- T: an annotation, label = the brat type; discontinuous `s e;s e` spans become fragments.
- E: an annotation on the trigger's span with label = the event type (the T of a trigger is not
  imported on its own), and one link per role argument, typed by the role (numbered repeats
  such as `Org-Arg2` drop their number). An event that is another event's argument is linked
  through its trigger annotation. Event labels are marked "brat event type" in their
  description, so they are written back as events.
- R: a link (type = the relation type, Arg1 -> Arg2), marked "brat relation".
- A/M: an attribute; a yes/no attribute is "true".
- N: an attribute `norm:<resource>` holding the entry id (the entry's name is not kept).
- `#` AnnotatorNotes: the annotation's note (several notes are joined by a new line).
- `*` equivalence groups: one entity (name = the first mention's text; entity type = the
  group's type when it is a Spanwise entity type, else "other"); overlapping groups merge.
"""

from __future__ import annotations

import codecs
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from db.errors import ImportRefused
from db.formats import (
    FormatReport,
    ImportedBatch,
    ReadOptions,
    WriteOptions,
    register,
    stable_id,
)
from db.input_files import check_input, folder_files, read_input
from db.outputs import atomic_folder
from db.plain import shown
from db.records import (
    AnnotationData,
    DocumentData,
    EntityData,
    ExportedDocument,
    RelationData,
)
from db.schema import DEFAULT_ENTITY_TYPES, LabelDef, RelationTypeDef, Schema
from db.textfiles import decode_text, split_source, text_sha256, title_for

EVENT_MARK = "brat event type"
RELATION_MARK = "brat relation"
ROLE_MARK = "brat event role"
NORM_PREFIX = "norm:"
PALETTE = (
    "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#46f0f0", "#f032e6",
    "#bcf60c", "#fabebe", "#008080", "#e6beff", "#9a6324", "#fffac8", "#800000",
    "#aaffc3", "#808000", "#ffd8b1", "#000075", "#808080",
)  # fmt: skip
_TYPE_NAME = re.compile(r"[^A-Za-z0-9_-]")
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_PAIR = (".ann", ".txt")


# -- the standoff file as records --------------------------------------------------------------


@dataclass(slots=True)
class TextBound:
    id: str
    type: str
    fragments: list[tuple[int, int]]  # in file order (brat allows any order)
    text: str
    line: int


@dataclass(slots=True)
class Event:
    id: str
    type: str
    trigger: str
    args: list[tuple[str, str]]
    line: int


@dataclass(slots=True)
class Relation:
    id: str
    type: str
    arg1: str
    arg2: str
    line: int


@dataclass(slots=True)
class Attribute:
    id: str
    name: str
    target: str
    value: str | None  # None: a yes/no attribute that is set
    line: int


@dataclass(slots=True)
class Normalization:
    id: str
    type: str
    target: str
    resource: str
    entry: str
    text: str
    line: int


@dataclass(slots=True)
class Note:
    id: str
    type: str
    target: str
    text: str
    line: int


@dataclass(slots=True)
class Equiv:
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


# -- annotation.conf and visual.conf ----------------------------------------------------------


@dataclass
class BratConf:
    """What an `annotation.conf` declares (hierarchy flattened, macros expanded)."""

    entities: list[str] = field(default_factory=list)
    events: dict[str, list[tuple[str, list[str], str]]] = field(default_factory=dict)
    relations: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)
    equivs: list[str] = field(default_factory=list)
    attributes: dict[str, tuple[list[str], list[str] | None]] = field(default_factory=dict)

    def merge(self, other: BratConf) -> None:
        for name in other.entities:
            if name not in self.entities:
                self.entities.append(name)
        for event, roles in other.events.items():
            self.events.setdefault(event, roles)
        for relation, ends in other.relations.items():
            self.relations.setdefault(relation, ends)
        for equiv in other.equivs:
            if equiv not in self.equivs:
                self.equivs.append(equiv)
        for attribute, spec in other.attributes.items():
            self.attributes.setdefault(attribute, spec)


_SECTION = re.compile(r"^\[(\w+)\]\s*$")
_ROLE = re.compile(r"^([^:?*+{]+)(\?|\*|\+|\{[\d,-]+\})?:(.+)$")


def parse_conf(content: str, name: str) -> BratConf:
    """Read an annotation.conf; lines it cannot read are refused with their number."""
    conf = BratConf()
    section = ""
    macros: dict[str, str] = {}
    raw_events: list[tuple[str, str, int]] = []
    raw_relations: list[tuple[str, str, int]] = []
    raw_attributes: list[tuple[str, str, int]] = []
    for number, raw in enumerate(content.split("\n"), start=1):
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _SECTION.match(line.strip())
        if match:
            section = match.group(1)
            continue
        stripped = line.strip()
        macro = re.match(r"^(<[^>]+>)\s*=\s*(.+)$", stripped)
        if macro:
            macros[macro.group(1)] = macro.group(2).strip()
            continue
        head = stripped.split(None, 1)[0]
        rest = stripped[len(head) :].strip()
        if head.startswith("!"):
            continue  # a grouping in the hierarchy, not a type one can annotate with
        if section == "entities":
            if head not in conf.entities:
                conf.entities.append(head)
        elif section == "events":
            raw_events.append((head, rest, number))
        elif section == "relations":
            raw_relations.append((head, rest, number))
        elif section == "attributes":
            raw_attributes.append((head, rest, number))

    def expand(types: str) -> list[str]:
        result: list[str] = []
        for item in types.split("|"):
            item = item.strip()
            item = macros.get(item, item)
            for piece in item.split("|"):
                piece = piece.strip()
                if piece == "<ENTITY>":
                    result.extend(conf.entities)
                elif piece == "<EVENT>":
                    result.extend(event for event, _rest, _n in raw_events)
                elif piece == "<ANY>":
                    result.extend(conf.entities)
                    result.extend(event for event, _rest, _n in raw_events)
                elif piece and not piece.startswith("<"):
                    result.append(piece)
        return list(dict.fromkeys(result))

    for event, rest, number in raw_events:
        roles: list[tuple[str, list[str], str]] = []
        for arg in filter(None, (a.strip() for a in rest.split(","))):
            match = _ROLE.match(arg)
            if not match:
                raise ImportRefused(f"{name}, line {number}: cannot read the argument {arg!r}")
            roles.append((match.group(1), expand(match.group(3)), match.group(2) or ""))
        conf.events[event] = roles
    for relation, rest, number in raw_relations:
        args = [a.strip() for a in rest.split(",") if a.strip()]
        if any(a.startswith("<REL-TYPE>") and "symmetric-transitive" in a for a in args):
            conf.equivs.append(relation)
            continue
        ends = [a for a in args if not a.startswith("<")]
        if len(ends) != 2 or not all(":" in a for a in ends):
            raise ImportRefused(f"{name}, line {number}: a relation needs 'Arg1:Type, Arg2:Type'")
        conf.relations[relation] = (
            expand(ends[0].split(":", 1)[1]),
            expand(ends[1].split(":", 1)[1]),
        )
    for attribute, rest, number in raw_attributes:
        spec = dict(
            (key.strip(), value.strip())
            for key, _, value in (a.partition(":") for a in rest.split(","))
            if key.strip()
        )
        if "Arg" not in spec:
            raise ImportRefused(f"{name}, line {number}: an attribute needs 'Arg:'")
        values = [v.strip() for v in spec["Value"].split("|")] if "Value" in spec else None
        conf.attributes[attribute] = (expand(spec["Arg"]) or _special(spec["Arg"]), values)
    return conf


def _special(arg: str) -> list[str]:
    return [a.strip() for a in arg.split("|")]


def render_conf(conf: BratConf) -> str:
    lines = ["# Written by Spanwise.", "", "[entities]", ""]
    lines += conf.entities
    lines += ["", "[relations]", ""]
    for relation, (arg1, arg2) in conf.relations.items():
        lines.append(f"{relation}\tArg1:{'|'.join(arg1)}, Arg2:{'|'.join(arg2)}")
    for equiv in conf.equivs:
        lines.append(f"{equiv}\tArg1:<ENTITY>, Arg2:<ENTITY>, <REL-TYPE>:symmetric-transitive")
    lines += ["", "[events]", ""]
    for event, roles in conf.events.items():
        args = ", ".join(f"{role}{mark}:{'|'.join(types)}" for role, types, mark in roles)
        lines.append(f"{event}\t{args}".rstrip())
    lines += ["", "[attributes]", ""]
    for attribute, (targets, values) in conf.attributes.items():
        spec = f"Arg:{'|'.join(targets)}"
        if values:
            spec += f", Value:{'|'.join(values)}"
        lines.append(f"{attribute}\t{spec}")
    return "\n".join(lines) + "\n"


def parse_visual(content: str) -> dict[str, str]:
    """Background colours of types from a visual.conf's [drawing] section (hex only)."""
    colours: dict[str, str] = {}
    section = ""
    for raw in content.split("\n"):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _SECTION.match(line)
        if match:
            section = match.group(1)
            continue
        if section != "drawing":
            continue
        name, _, rest = line.partition("\t") if "\t" in line else line.partition(" ")
        for setting in rest.split(","):
            key, _, value = setting.strip().partition(":")
            if key == "bgColor" and _HEX.match(value.strip()):
                colours[name.strip()] = value.strip().lower()
    return colours


def render_visual(colours: dict[str, str]) -> str:
    lines = ["# Written by Spanwise.", "", "[labels]", "", "[drawing]", ""]
    lines.append("SPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken")
    lines.append("ARC_DEFAULT\tcolor:black, arrowHead:triangle-5")
    lines += [f"{name}\tbgColor:{colour}" for name, colour in colours.items()]
    return "\n".join(lines) + "\n"


# -- reading files ----------------------------------------------------------------------------


@dataclass
class BratFile:
    """A `.txt` with its `.ann`, decoded and parsed (not yet converted)."""

    ann: Path
    txt: Path
    text: str
    standoff: Standoff
    annotator: str


def find_pairs(paths: Sequence[Path], options: ReadOptions) -> list[tuple[Path, Path, str]]:
    """(ann, txt, annotator) for every document named; a folder's immediate sub-folders are
    taken as one annotator each (the layout Spanwise writes for several annotators)."""
    found: list[tuple[Path, Path, str]] = []
    default = options.annotator or "brat"
    for path in paths:
        if path.is_dir():
            # a pair is named by its .ann: "esp.train-doc-100.txt" pairs with
            # "esp.train-doc-100.ann" (with_suffix("") and back would give "esp.ann")
            anns = sorted(
                {p.with_suffix(".ann") for p in folder_files(path, lambda p: p.suffix in _PAIR)}
            )
            for ann in anns:
                txt = ann.with_suffix(".txt")
                if not txt.is_file():
                    raise ImportRefused(f"{ann}: no {txt.name} beside it")
                relative = ann.relative_to(path).parts
                who = options.annotator or (relative[0] if len(relative) == 2 else default)
                found.append((ann, txt, who))
        elif path.suffix in (".ann", ".txt"):
            ann, txt = path.with_suffix(".ann"), path.with_suffix(".txt")
            if not txt.is_file():
                raise ImportRefused(f"{path}: no {txt.name} beside it")
            sibling = txt if path.suffix == ".ann" else ann
            if sibling.exists() or sibling.is_symlink():  # not named by the user: stay inside
                check_input(sibling, path.parent)
            found.append((ann, txt, default))
        elif not path.exists():
            raise ImportRefused(f"{path}: no such file or folder")
        else:
            raise ImportRefused(f"{path}: not a brat .ann or .txt file")
    if not found:
        raise ImportRefused("no brat .ann/.txt files to import")
    return found


def read_pair(ann: Path, txt: Path, annotator: str, options: ReadOptions) -> BratFile:
    data = read_input(txt)
    content = read_input(ann) if ann.exists() or ann.is_symlink() else b""
    text = decode_text(data, str(txt), options.encoding)
    try:
        ann_text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(f"{ann}: not valid UTF-8 at byte {exc.start}") from exc
    del content  # the text is enough from here on
    standoff = parse_standoff(ann_text, str(ann))
    if data.startswith(codecs.BOM_UTF8) and options.encoding is None:
        _shift(standoff, -1)  # brat counts the byte order mark as a character
    check_standoff(standoff, text, str(ann))
    return BratFile(ann, txt, text, standoff, annotator)


def _shift(standoff: Standoff, delta: int) -> None:
    for bound in standoff.textbounds.values():
        bound.fragments = [(s + delta, e + delta) for s, e in bound.fragments]


def find_confs(
    files: Sequence[BratFile], roots: Sequence[Path], name: str
) -> tuple[BratConf, dict[str, str]]:
    """The annotation.conf and visual.conf nearest to each file (brat looks upwards)."""
    conf = BratConf()
    colours: dict[str, str] = {}
    folders = {f.ann.parent for f in files}
    seen: set[Path] = set()
    stops = {r if r.is_dir() else r.parent for r in roots}
    for folder in sorted(folders):
        root = next((stop for stop in stops if folder.is_relative_to(stop)), folder)
        for kind in (name, "visual.conf"):
            current = folder
            while True:
                candidate = current / kind
                if candidate.exists() or candidate.is_symlink():
                    if candidate not in seen:
                        seen.add(candidate)
                        raw = read_input(candidate, root=root)
                        try:
                            content = raw.decode("utf-8-sig")
                        except UnicodeDecodeError as exc:
                            raise ImportRefused(f"{candidate}: cannot read ({exc})") from exc
                        if kind == "visual.conf":
                            for key, value in parse_visual(content).items():
                                colours.setdefault(key, value)
                        else:
                            conf.merge(parse_conf(content, str(candidate)))
                    break
                if current in stops or current.parent == current:
                    break
                current = current.parent
    return conf, colours


# -- brat -> Spanwise -------------------------------------------------------------------------


@dataclass
class Usage:
    """What the documents use, to build a schema that accepts them."""

    labels: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    event_labels: set[str] = field(default_factory=set)
    entity_labels: set[str] = field(default_factory=set)
    relations: dict[str, tuple[set[str], set[str], str]] = field(default_factory=dict)

    def label(self, name: str) -> dict[str, set[str]]:
        return self.labels.setdefault(name, {})

    def relation(self, name: str, source: str, target: str, mark: str) -> None:
        froms, tos, _ = self.relations.setdefault(name, (set(), set(), mark))
        froms.add(source)
        tos.add(target)


def _strip_role(role: str, event: Event, conf: BratConf) -> str:
    """brat numbers repeated roles (Org-Arg, Org-Arg2): drop the number when the plain role
    is the declared one or also used in the event."""
    bare = re.sub(r"\d+$", "", role)
    if bare == role or not bare:
        return role
    declared = {r for r, _types, _mark in conf.events.get(event.type, [])}
    used = {r for r, _target in event.args}
    return bare if bare in declared or bare in used else role


def standoff_to_document(
    item: BratFile, conf: BratConf, usage: Usage, report: FormatReport
) -> ExportedDocument:
    """One document's brat records as Spanwise annotations, links and entities."""
    text, standoff, who = item.text, item.standoff, item.annotator
    sha = text_sha256(text)
    name = str(item.ann)

    def ident(*parts: str) -> str:
        return stable_id(sha, who, *parts)

    triggers = {event.trigger for event in standoff.events.values()}
    # one record per brat span or event, keyed by its brat id; an event's trigger stands for
    # its (first) event. Lookups go through these two dicts only: a million-span file must
    # not pay for four (ids both ways, records both ways).
    records: dict[str, AnnotationData] = {}
    owner: dict[str, str] = {}  # a trigger's brat id -> its event's
    for bound in standoff.textbounds.values():
        if bound.id in triggers:
            continue
        records[bound.id] = _annotation(ident(bound.id), who, bound.type, bound.fragments)
        usage.label(bound.type)
    for event in standoff.events.values():
        trigger = standoff.textbounds[event.trigger]
        records[event.id] = _annotation(ident(event.id), who, event.type, trigger.fragments)
        owner.setdefault(trigger.id, event.id)
        usage.label(event.type)
        usage.event_labels.add(event.type)

    def known(brat_id: str) -> bool:
        return brat_id in records or brat_id in owner

    def ref(brat_id: str) -> str:
        return records[owner.get(brat_id, brat_id)].id

    def label_of(brat_id: str) -> str:
        return records[owner.get(brat_id, brat_id)].label

    relations: list[RelationData] = []
    for event in standoff.events.values():
        for index, (role, target) in enumerate(event.args):
            kind = _strip_role(role, event, conf)
            if ref(target) == ref(event.id):
                raise ImportRefused(f"{name}, line {event.line}: {event.id}'s {role} is itself")
            relations.append(
                RelationData(
                    ident(event.id, role, str(index)), "", who, kind, ref(event.id), ref(target)
                )
            )
            usage.relation(kind, event.type, label_of(target), ROLE_MARK)
    for relation in standoff.relations.values():
        source, target = ref(relation.arg1), ref(relation.arg2)
        if source == target:
            raise ImportRefused(
                f"{name}, line {relation.line}: {relation.id} links a span to itself"
            )
        relations.append(RelationData(ident(relation.id), "", who, relation.type, source, target))
        usage.relation(
            relation.type, label_of(relation.arg1), label_of(relation.arg2), RELATION_MARK
        )

    attributes: dict[str, dict[str, str]] = {}
    for attribute in standoff.attributes:
        if not known(attribute.target):
            report.lose("attributes of brat relations (Spanwise links have none)")
            continue
        value = "true" if attribute.value is None else attribute.value
        attributes.setdefault(attribute.target, {})[attribute.name] = value
        usage.label(label_of(attribute.target)).setdefault(attribute.name, set()).add(value)
    for norm in standoff.normalizations:
        if not known(norm.target):
            report.lose("normalizations of brat relations")
            continue
        key = NORM_PREFIX + norm.resource
        attributes.setdefault(norm.target, {})[key] = norm.entry
        usage.label(label_of(norm.target)).setdefault(key, set())
        if norm.type != "Reference":
            report.lose(f"normalization type '{norm.type}' (kept as {key})")
        report.lose("the entry names of normalizations (N lines): only the entry id is kept")
    notes: dict[str, list[str]] = {}
    for note in standoff.notes:
        if not known(note.target):
            report.lose("notes on brat relations (Spanwise links have no note)")
            continue
        notes.setdefault(note.target, []).append(note.text)
        if note.type != "AnnotatorNotes":
            report.lose(f"note type '{note.type}' (kept as the annotation's note)")

    annotations: list[AnnotationData] = []
    for key, record in records.items():
        extra = attributes.get(key, {})
        if key in standoff.events:
            extra = {**attributes.get(standoff.events[key].trigger, {}), **extra}
        text_notes = notes.get(key, [])
        if key in standoff.events:
            text_notes = notes.get(standoff.events[key].trigger, []) + text_notes
        if not extra and not text_notes:  # most spans: the record as it is (half the memory)
            annotations.append(record)
            continue
        annotations.append(
            AnnotationData(
                record.id,
                "",
                who,
                record.label,
                record.start,
                record.end,
                extra,
                "\n".join(text_notes) or None,
                fragments=record.fragments,
            )
        )
    entities = (
        _entities(
            standoff,
            _ref_map(standoff, triggers, records),
            {record.id: record for record in annotations},
            text,
            ident,
            usage,
            report,
        )
        if standoff.equivs
        else []
    )
    document = DocumentData("", title_for(item.txt, text), item.txt.name, text, sha, "")
    report.count("documents")
    report.count("annotations", len(annotations))
    report.count("links", len(relations))
    report.count("entities", len(entities))
    return ExportedDocument(document, {}, annotations, relations, entities)


def _ref_map(
    standoff: Standoff, triggers: set[str], records: dict[str, AnnotationData]
) -> dict[str, str]:
    """brat id -> annotation id for every span, event and trigger, in reading order."""
    ref = {b.id: records[b.id].id for b in standoff.textbounds.values() if b.id not in triggers}
    for event in standoff.events.values():
        ref[event.id] = records[event.id].id
        ref.setdefault(event.trigger, records[event.id].id)
    return ref


def _annotation(
    annotation_id: str, annotator: str, label: str, fragments: list[tuple[int, int]]
) -> AnnotationData:
    ordered = tuple(sorted(fragments))
    return AnnotationData(
        annotation_id,
        "",
        annotator,
        label,
        ordered[0][0],
        ordered[-1][1],
        fragments=ordered if len(ordered) > 1 else (),
    )


def _entities(
    standoff: Standoff,
    ref: dict[str, str],
    annotations: dict[str, AnnotationData],
    text: str,
    ident: Callable[..., str],
    usage: Usage,
    report: FormatReport,
) -> list[EntityData]:
    """Equivalence groups as entities; groups sharing a member are one entity."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    first_type: dict[str, str] = {}
    order: list[str] = []
    for equiv in standoff.equivs:
        members = [ref[i] for i in equiv.ids]
        for member in members:
            if member not in order:
                order.append(member)
            first_type.setdefault(member, equiv.type)
        for member in members[1:]:
            parent[find(member)] = find(members[0])
    groups: dict[str, list[str]] = {}
    for member in order:
        groups.setdefault(find(member), []).append(member)
    back = {v: k for k, v in ref.items()}
    entities = []
    for members in groups.values():
        brat_type = first_type[members[0]]
        label = brat_type.lower() if brat_type.lower() in DEFAULT_ENTITY_TYPES else "other"
        if label != brat_type.lower():
            report.lose(f"equivalence type '{brat_type}' (entity type 'other')")
        first = annotations[members[0]]
        name = " ".join(text[s:e] for s, e in first.spans).strip() or first.label
        for member in members:
            usage.entity_labels.add(annotations[member].label)
        entities.append(
            EntityData(
                ident("*", back[members[0]]), "", first.annotator, name, label, tuple(members)
            )
        )
    return entities


def build_schema(conf: BratConf, colours: dict[str, str], usage: Usage) -> Schema:
    """Labels and link types for everything declared in annotation.conf and used in the files."""
    names = list(dict.fromkeys([*conf.entities, *conf.events, *usage.labels]))
    event_labels = set(conf.events) | usage.event_labels
    labels = []
    for index, name in enumerate(names):
        attributes: dict[str, list[str]] = {}
        for attribute, (targets, values) in conf.attributes.items():
            applies = name in targets or (
                "<EVENT>" in targets if name in event_labels else "<ENTITY>" in targets
            )
            if applies:
                attributes[attribute] = list(values) if values else ["true"]
        for attribute, seen in usage.labels.get(name, {}).items():
            if attribute.startswith(NORM_PREFIX):
                attributes[attribute] = []
                continue
            known = attributes.setdefault(attribute, [])
            known.extend(sorted(v for v in seen if v not in known))
        labels.append(
            LabelDef(
                name,
                colours.get(name, PALETTE[index % len(PALETTE)]),
                None,
                attributes,
                EVENT_MARK if name in event_labels else "",
                name in usage.entity_labels,
            )
        )
    defined = set(names)
    relation_types: dict[str, tuple[list[str], list[str], str]] = {}

    def add(name: str, froms: Iterable[str], tos: Iterable[str], mark: str) -> None:
        entry = relation_types.setdefault(name, ([], [], mark))
        entry[0].extend(f for f in froms if f in defined and f not in entry[0])
        entry[1].extend(t for t in tos if t in defined and t not in entry[1])

    for relation, (arg1, arg2) in conf.relations.items():
        add(relation, arg1, arg2, RELATION_MARK)
    for event, roles in conf.events.items():
        for role, types, _mark in roles:
            add(role, [event], types, ROLE_MARK)
    for name, (froms, tos, mark) in usage.relations.items():
        add(name, sorted(froms), sorted(tos), mark)
    relations = tuple(
        RelationTypeDef(name, tuple(froms), tuple(tos), None, mark)
        for name, (froms, tos, mark) in relation_types.items()
        if froms and tos
    )
    return Schema(tuple(labels), relations, DEFAULT_ENTITY_TYPES)


Transform = Callable[[BratFile, FormatReport], None]


def read_brat(
    paths: Sequence[Path],
    options: ReadOptions,
    transform: Transform | None = None,
    conf_transform: Callable[[BratConf], None] | None = None,
) -> ImportedBatch:
    """Read, check and convert every document; any problem refuses the whole batch."""
    report = FormatReport()
    pairs = find_pairs([Path(p) for p in paths], options)
    files = [read_pair(ann, txt, who, options) for ann, txt, who in pairs]
    seen: dict[tuple[str, str], Path] = {}
    for item in files:
        key = (text_sha256(item.text), item.annotator)
        if key in seen:
            raise ImportRefused(
                f"{item.ann}: the same text as {seen[key]} for annotator '{item.annotator}'; "
                "import them separately, naming the annotator"
            )
        seen[key] = item.ann
    conf, colours = find_confs(files, [Path(p) for p in paths], "annotation.conf")
    if conf_transform is not None:
        conf_transform(conf)
    usage = Usage()
    documents = []
    for item in files:
        if transform is not None:
            transform(item, report)
        documents.append(standoff_to_document(item, conf, usage, report))
    return ImportedBatch(build_schema(conf, colours, usage), documents, report)


# -- Spanwise -> brat -------------------------------------------------------------------------


def event_labels_of(schema: Schema) -> set[str]:
    """Labels written as brat events: those marked so on import, the sources of event roles,
    and (for link types not from brat) the sources of a link type without a limit (Event:
    agent, place); a label whose links are all to-one (Quote: speaker, cue) stays an entity."""
    events = {label.name for label in schema.labels if label.description.startswith(EVENT_MARK)}
    for relation in schema.relation_types:
        role = relation.description.startswith(ROLE_MARK)
        native = not relation.description.startswith(RELATION_MARK)
        if role or (native and relation.max_per_source is None):
            events.update(relation.from_labels)
    return events


def relation_only_types(schema: Schema) -> set[str]:
    """Link types that came from brat R lines: written as R lines even from an event."""
    return {r.name for r in schema.relation_types if r.description.startswith(RELATION_MARK)}


def brat_name(name: str, report: FormatReport) -> str:
    """A type or attribute name brat accepts (letters, digits, _ and -)."""
    clean = _TYPE_NAME.sub("_", name) or "_"
    if clean != name:
        report.lose(f"characters brat does not allow in names ('{name}' is written '{clean}')")
    return clean


def document_to_standoff(
    item: ExportedDocument,
    annotator: str,
    schema: Schema,
    event_labels: set[str],
    report: FormatReport,
) -> Standoff:
    text = item.document.text
    standoff = Standoff()
    mine = [a for a in item.annotations if a.annotator == annotator]
    mine.sort(key=lambda a: (a.start, -a.end, a.label, a.id))
    brat_id: dict[str, str] = {}
    counter = {"T": 0, "E": 0, "R": 0, "A": 0, "N": 0, "#": 0}

    def next_id(kind: str) -> str:
        counter[kind] += 1
        return f"{kind}{counter[kind]}"

    for record in mine:
        fragments = list(record.spans)
        bound = TextBound(
            next_id("T"),
            brat_name(record.label, report),
            fragments,
            " ".join(text[s:e] for s, e in fragments),
            0,
        )
        standoff.textbounds[bound.id] = bound
        if record.label in event_labels:
            event = Event(next_id("E"), bound.type, bound.id, [], 0)
            standoff.events[event.id] = event
            brat_id[record.id] = event.id
        else:
            brat_id[record.id] = bound.id
        if any(ch in text[s:e] for s, e in fragments for ch in "\r\n"):
            report.lose("line breaks inside a span's text in the .ann (shown as spaces)")
    for record in mine:
        target = brat_id[record.id]
        for key, value in sorted(record.attributes.items()):
            if value in (None, ""):
                continue
            if key.startswith(NORM_PREFIX):
                resource = brat_name(key[len(NORM_PREFIX) :], report)
                entry = str(value).replace(" ", "_")
                shown = " ".join(text[s:e] for s, e in record.spans).replace("\n", " ")
                standoff.normalizations.append(
                    Normalization(next_id("N"), "Reference", target, resource, entry, shown, 0)
                )
                continue
            written = str(value)
            if " " in written or "\t" in written:
                report.lose("spaces in attribute values (brat values are one word: '_')")
                written = re.sub(r"\s", "_", written)
            label = schema.label(record.label)
            allowed = set(label.attributes.get(key, [])) if label else set()
            binary = written == "true" and allowed <= {"true"}
            standoff.attributes.append(
                Attribute(
                    next_id("A"), brat_name(key, report), target, None if binary else written, 0
                )
            )
        if record.note:
            if "\n" in record.note or "\t" in record.note:
                report.lose("line breaks and tabs in notes (written as spaces)")
            note = re.sub(r"[\r\n\t]+", " ", record.note)
            standoff.notes.append(Note(next_id("#"), "AnnotatorNotes", target, note, 0))
    role_counts: dict[tuple[str, str], int] = {}
    r_only = relation_only_types(schema)
    starts = {record.id: (record.start, record.end) for record in item.annotations}
    # Repeated roles are numbered in reading order (Org-Arg before Org-Arg2), as brat's
    # users add them, so an import and an export number them alike.
    in_order = sorted(item.relations, key=lambda r: starts.get(r.target, (0, 0)))
    for link in in_order:
        if link.annotator != annotator or link.source not in brat_id or link.target not in brat_id:
            continue
        source = brat_id[link.source]
        if source in standoff.events and link.type not in r_only:
            role = brat_name(link.type, report)
            count = role_counts[(source, role)] = role_counts.get((source, role), 0) + 1
            standoff.events[source].args.append(
                (role if count == 1 else f"{role}{count}", brat_id[link.target])
            )
        else:
            relation = Relation(
                next_id("R"), brat_name(link.type, report), source, brat_id[link.target], 0
            )
            standoff.relations[relation.id] = relation
    for entity in item.entities:
        if entity.annotator != annotator:
            continue
        members = [brat_id[m] for m in entity.mentions if m in brat_id]
        if len(members) < 2:
            report.lose("entities with a single mention (a brat equivalence needs two)")
            continue
        first = next(a for a in mine if a.id == entity.mentions[0])
        if entity.name != " ".join(text[s:e] for s, e in first.spans).strip():
            report.lose("entity names (brat equivalences have none; the first mention's text)")
        standoff.equivs.append(Equiv(brat_name(entity.label, report), members, 0))
    return standoff


@dataclass
class StandoffUse:
    """Types the written files use, so annotation.conf allows all of them."""

    roles: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    relations: dict[str, tuple[set[str], set[str]]] = field(default_factory=dict)
    attributes: dict[str, tuple[set[str], set[str]]] = field(default_factory=dict)
    equivs: set[str] = field(default_factory=set)

    def add(self, standoff: Standoff) -> None:
        type_of = {i: b.type for i, b in standoff.textbounds.items()}
        type_of.update({i: e.type for i, e in standoff.events.items()})
        for event in standoff.events.values():
            for role, target in event.args:
                bare = re.sub(r"\d+$", "", role) or role
                fillers = self.roles.setdefault(event.type, {}).setdefault(bare, set())
                fillers.add(type_of[target])
        for relation in standoff.relations.values():
            froms, tos = self.relations.setdefault(relation.type, (set(), set()))
            froms.add(type_of[relation.arg1])
            tos.add(type_of[relation.arg2])
        for attribute in standoff.attributes:
            owners, values = self.attributes.setdefault(attribute.name, (set(), set()))
            owners.add(type_of[attribute.target])
            if attribute.value is not None:
                values.add(attribute.value)
        self.equivs.update(equiv.type for equiv in standoff.equivs)


def _extend(items: list[str], more: Iterable[str]) -> None:
    items.extend(sorted(m for m in set(more) if m not in items))


def schema_to_conf(
    schema: Schema, event_labels: set[str], standoffs: Iterable[Standoff], report: FormatReport
) -> tuple[BratConf, dict[str, str]]:
    """annotation.conf for the schema, widened to whatever the documents use."""
    use = StandoffUse()
    for standoff in standoffs:
        use.add(standoff)
    conf = BratConf()
    colours: dict[str, str] = {}
    names = {label.name: brat_name(label.name, report) for label in schema.labels}
    for label in schema.labels:
        colours[names[label.name]] = label.colour
        if label.name in event_labels:
            conf.events[names[label.name]] = []
        else:
            conf.entities.append(names[label.name])
    r_only = relation_only_types(schema)
    for relation_type in schema.relation_types:
        rname = brat_name(relation_type.name, report)
        sources = [names.get(f, f) for f in relation_type.from_labels]
        targets = [names.get(t, t) for t in relation_type.to_labels]
        as_roles = relation_type.name not in r_only
        event_sources = [f for f in sources if f in conf.events and as_roles]
        entity_sources = [f for f in sources if f not in event_sources]
        mark = "?" if relation_type.max_per_source == 1 else "*"
        for event_type in event_sources:
            conf.events[event_type].append((rname, list(targets), mark))
        if entity_sources:
            conf.relations[rname] = (entity_sources, list(targets))
    for event_type, roles in use.roles.items():
        declared = conf.events.setdefault(event_type, [])
        for role, fillers in roles.items():
            entry = next((r for r in declared if r[0] == role), None)
            if entry is None:
                declared.append((role, sorted(fillers), "*"))
            else:
                _extend(entry[1], fillers)
    for rname, (sources_used, targets_used) in use.relations.items():
        arg1, arg2 = conf.relations.setdefault(rname, ([], []))
        _extend(arg1, sources_used)
        _extend(arg2, targets_used)
    known: dict[str, tuple[list[str], list[str]]] = {}
    for label in schema.labels:
        for attribute, values in label.attributes.items():
            if attribute.startswith(NORM_PREFIX):
                continue
            owners, allowed = known.setdefault(brat_name(attribute, report), ([], []))
            _extend(owners, [names[label.name]])
            allowed.extend(v for v in values if v not in allowed)
    for aname, (owners_used, values_used) in use.attributes.items():
        owners, allowed = known.setdefault(aname, ([], []))
        _extend(owners, owners_used)
        _extend(allowed, values_used)
    for aname, (owners, allowed) in known.items():
        conf.attributes[aname] = (owners, None if set(allowed) <= {"true"} else allowed)
    conf.equivs = sorted(use.equivs)
    return conf, colours


_UNSAFE_FILE = re.compile(r"[^\w.\- ]+")


def file_stem(item: ExportedDocument, taken: set[str]) -> str:
    """A file name for a document: its source's name, made safe and unique."""
    base = split_source(item.document.source)[0] if item.document.source else ""
    base = _UNSAFE_FILE.sub("_", base).strip(" .") or f"document-{item.document.id}"
    stem, number = base, 2
    while stem.lower() in taken:
        stem, number = f"{base}-{number}", number + 1
    taken.add(stem.lower())
    return stem


def annotators_of(documents: Sequence[ExportedDocument], options: WriteOptions) -> list[str]:
    if options.annotator is not None:
        return [options.annotator]
    names: set[str] = set()
    for item in documents:
        names.update(a.annotator for a in item.annotations)
        names.update(r.annotator for r in item.relations)
        names.update(e.annotator for e in item.entities)
    return sorted(names)


StandoffRewrite = Callable[[Standoff, ExportedDocument, FormatReport], None]


def write_brat(
    documents: Sequence[ExportedDocument],
    schema: Schema,
    target: Path,
    options: WriteOptions,
    rewrite: StandoffRewrite | None = None,
    conf_rewrite: Callable[[BratConf, dict[str, str]], None] | None = None,
    event_labels: set[str] | None = None,
) -> FormatReport:
    """One `.txt` + `.ann` per document (in a sub-folder per annotator when there are
    several), with annotation.conf and visual.conf at the top, as brat loads them."""
    report = FormatReport()
    events = event_labels_of(schema) if event_labels is None else event_labels
    annotators = annotators_of(documents, options)
    nested = len(annotators) > 1
    folders = file_names_of(annotators, brat_folder, report) if nested else {}
    outputs: list[tuple[Path, str, str]] = []
    standoffs: list[Standoff] = []
    for who in annotators or ["brat"]:
        folder = Path(folders[who]) if nested else Path()
        taken: set[str] = set()
        for item in documents:
            standoff = document_to_standoff(item, who, schema, events, report)
            report.count("annotations", len(standoff.textbounds))
            report.count(
                "links",
                len(standoff.relations) + sum(len(e.args) for e in standoff.events.values()),
            )
            report.count("entities", len(standoff.equivs))
            if rewrite is not None:
                rewrite(standoff, item, report)
            standoffs.append(standoff)
            stem = file_stem(item, taken)
            outputs.append((folder / f"{stem}.txt", item.document.text, render_standoff(standoff)))
        report.count("documents", len(documents))
    conf, colours = schema_to_conf(schema, events, standoffs, report)
    if conf_rewrite is not None:
        conf_rewrite(conf, colours)
    with atomic_folder(target) as built:
        for txt, text, ann in outputs:
            (built / txt).parent.mkdir(parents=True, exist_ok=True)
            (built / txt).write_bytes(text.encode("utf-8"))
            (built / txt).with_suffix(".ann").write_bytes(ann.encode("utf-8"))
        (built / "annotation.conf").write_text(render_conf(conf), encoding="utf-8")
        (built / "visual.conf").write_text(render_visual(colours), encoding="utf-8")
    return report


def file_names_of(
    annotators: Sequence[str], make_safe: Callable[[str], str], report: FormatReport
) -> dict[str, str]:
    """A file or folder name per annotator, never the same for two of them: `ana/x` and
    `ana?x` would both be `ana_x` (and Ana and ana one name on macOS and Windows), so the
    later one is numbered, and the report says how each changed name was written."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    # names that need no change keep theirs; the others are numbered if they meet one
    for who in sorted(annotators, key=lambda a: (make_safe(a) != a, a)):
        base = make_safe(who)
        name, number = base, 2
        while name.lower() in taken:
            name, number = f"{base}-{number}", number + 1
        taken.add(name.lower())
        names[who] = name
        if name != who:
            report.messages.append(
                f"annotator '{shown(who)}' is written as '{name}' (not a safe file name"
                + (", or another annotator's once made safe)" if name != base else ")")
            )
    return names


def brat_folder(annotator: str) -> str:
    return _UNSAFE_FILE.sub("_", annotator).strip(" .") or "annotator"


def looks_like_brat(path: Path) -> bool:
    if path.is_dir():
        return (path / "annotation.conf").is_file() or any(p.is_file() for p in path.rglob("*.ann"))
    return path.suffix == ".ann" or (path.suffix == ".txt" and path.with_suffix(".ann").is_file())


class BratFormat:
    name = "brat"
    description = "brat standoff: .txt + .ann per document, annotation.conf and visual.conf"
    can_import = True
    can_export = True

    def sniff(self, path: Path) -> bool:
        return looks_like_brat(path)

    def read(self, paths: Sequence[Path], options: ReadOptions) -> ImportedBatch:
        return read_brat(paths, options)

    def write(
        self,
        documents: Sequence[ExportedDocument],
        schema: Schema,
        target: Path,
        options: WriteOptions,
    ) -> FormatReport:
        return write_brat(documents, schema, target, options)


register(BratFormat())
