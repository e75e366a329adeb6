"""brat's `annotation.conf` (types, events, relations, attributes) and `visual.conf`
(colours): parsed with the line of each mistake, and written."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from db.errors import ImportRefused

# How Spanwise marks, in a label's or link type's description, what it was in brat, so that
# it is written back the same way; and the attribute prefix of a normalisation.
EVENT_MARK = "brat event type"
RELATION_MARK = "brat relation"
ROLE_MARK = "brat event role"
NORM_PREFIX = "norm:"
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


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
        """Add another conf's declarations (a sub-folder's) to these."""
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
    # Long because one loop over annotation.conf's sections, each section's lines read in a few
    # lines with the same refusal by line number.
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
    """The declarations as the text of an annotation.conf."""
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
    """The colours as the text of a visual.conf."""
    lines = ["# Written by Spanwise.", "", "[labels]", "", "[drawing]", ""]
    lines.append("SPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken")
    lines.append("ARC_DEFAULT\tcolor:black, arrowHead:triangle-5")
    lines += [f"{name}\tbgColor:{colour}" for name, colour in colours.items()]
    return "\n".join(lines) + "\n"
