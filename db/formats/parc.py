"""Quote attribution as PARC / PolNeAR model it, in brat standoff.

Those corpora mark a quote as `Content`, its `Source` and its `Cue` spans, tied by an
`Attribution` event (trigger on the cue's words; `Attribution-no-source` when nobody is named).
A mapping file (resources/mappings/parc.json) says which brat types are Spanwise's Quote,
Speaker and Cue and which roles become the quote's `speaker` and `cue` links. Reading rewrites
the attribution events into those links before the usual brat conversion; writing does the
reverse after it, so everything else (other labels, events, attributes, notes) goes through
the brat format unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.errors import SpanwiseError
from db.files.input_files import read_head
from db.files.json_files import parse_json
from db.formats import FormatReport, ImportedBatch, ReadOptions, WriteOptions, register
from db.formats.brat import looks_like_brat
from db.formats.brat.conf import BratConf
from db.formats.brat.reading import BratFile, read_brat
from db.formats.brat.standoff import Event, Relation, Standoff, TextBound
from db.formats.brat.writing import event_labels_of, write_brat
from db.records import ExportedDocument
from db.schema.label_schema import Schema
from resources import resource

SNIFF_BYTES = 4 * 1024 * 1024  # enough of an .ann to find PARC's attribution events


@dataclass(frozen=True)
class AttributionMapping:
    """How PARC's brat types and roles map to Spanwise's labels and link types."""

    labels: dict[str, str]  # brat type -> Spanwise label
    events: tuple[str, ...]  # brat event types that are attributions
    content_role: str
    roles: dict[str, str]  # brat role -> Spanwise link type (from the quote)
    event: str
    event_without_source: str
    trigger_on: str  # the brat role whose span carries a written event's trigger

    @property
    def quote_label(self) -> str:
        """The Spanwise label of PARC's quote content."""
        return self.labels[self.content_role]

    def brat_type(self, label: str) -> str:
        """The brat type a Spanwise label is written as."""
        return next((k for k, v in self.labels.items() if v == label), label)

    def brat_role(self, link_type: str) -> str | None:
        """The brat role a Spanwise link type is written as, if it has one."""
        return next((k for k, v in self.roles.items() if v == link_type), None)


def load_mapping(text: str | None = None, where: str = "parc.json") -> AttributionMapping:
    """The shipped PARC mapping, or another file's text; a wrong field is named."""
    if text is None:
        text = resource("mappings", "parc.json").read_text(encoding="utf-8")
    data = parse_json(text, where)

    def field(key: str, kind: type, within: Any = None) -> Any:
        value = (data if within is None else within).get(key)
        if not isinstance(value, kind) or not value:
            raise SpanwiseError(f"{where}: '{key}' must be a non-empty {kind.__name__}")
        return value

    if not isinstance(data, dict):
        raise SpanwiseError(f"{where}: a mapping is a JSON object")
    labels = field("labels", dict)
    roles = field("roles", dict)
    export = field("export", dict)
    content_role = field("content_role", str)
    if content_role not in labels:
        raise SpanwiseError(f"{where}: 'labels' must map the content role '{content_role}'")
    if not all(isinstance(v, str) for v in [*labels.values(), *roles.values()]):
        raise SpanwiseError(f"{where}: 'labels' and 'roles' map names to names")
    return AttributionMapping(
        dict(labels),
        tuple(field("events", list)),
        content_role,
        dict(roles),
        field("event", str, export),
        field("event_without_source", str, export),
        field("trigger_on", str, export),
    )


# -- reading ----------------------------------------------------------------------------------


def _bare(role: str) -> str:
    return re.sub(r"\d+$", "", role) or role


def attributions_to_links(
    item: BratFile, mapping: AttributionMapping, report: FormatReport
) -> None:
    """Turn each attribution event into links from its content span(s); drop the trigger
    when it only repeats the cue (or make it the cue when the event names none)."""
    standoff = item.standoff
    referenced = _referenced(standoff)
    for event in list(standoff.events.values()):
        if event.type not in mapping.events:
            continue
        contents = [t for r, t in event.args if _bare(r) == mapping.content_role]
        if not contents:
            report.lose(f"{event.type} events without {mapping.content_role} (nothing to attach)")
            continue
        trigger = standoff.textbounds[event.trigger]
        args = [(_bare(r), t) for r, t in event.args if _bare(r) != mapping.content_role]
        cue_role = mapping.brat_role("cue")
        cues = [t for r, t in args if r == cue_role]
        keep_trigger = False
        if not cues and cue_role is not None:
            trigger.type = cue_role
            args.append((cue_role, trigger.id))
            keep_trigger = True
        elif not any(
            standoff.textbounds.get(c, trigger).fragments == trigger.fragments for c in cues
        ):
            report.lose("attribution triggers on other words than the cue")
        for number, (role, target) in enumerate(args, start=1):
            link = mapping.roles.get(role)
            if link is None:
                report.lose(f"the '{role}' role of {event.type} events")
                continue
            for index, content in enumerate(contents):
                ident = f"R{event.id}-{number}-{index}"
                standoff.relations[ident] = Relation(ident, link, content, target, event.line)
        for attribute in standoff.attributes:
            if attribute.target == event.id:
                attribute.target = contents[0]
                report.lose("attributes of attribution events (moved to the quote)")
        for note in standoff.notes:
            if note.target == event.id:
                note.target = contents[0]
        del standoff.events[event.id]
        if not keep_trigger and trigger.id not in referenced:
            still_used = any(e.trigger == trigger.id for e in standoff.events.values())
            if not still_used:
                del standoff.textbounds[trigger.id]
                standoff.attributes = [a for a in standoff.attributes if a.target != trigger.id]
                standoff.notes = [n for n in standoff.notes if n.target != trigger.id]
    for bound in standoff.textbounds.values():
        bound.type = mapping.labels.get(bound.type, bound.type)


def _referenced(standoff: Standoff) -> set[str]:
    """Ids something other than an event's trigger slot points at."""
    ids = {t for e in standoff.events.values() for _r, t in e.args}
    ids |= {x for r in standoff.relations.values() for x in (r.arg1, r.arg2)}
    ids |= {x for q in standoff.equivs for x in q.ids}
    return ids


def conf_to_spanwise(conf: BratConf, mapping: AttributionMapping) -> None:
    """Rename the attribution types in annotation.conf to Spanwise's and declare the links."""
    conf.entities = [mapping.labels.get(e, e) for e in conf.entities]
    for label in mapping.labels.values():
        if label not in conf.entities:
            conf.entities.append(label)
    for event in mapping.events:
        conf.events.pop(event, None)
    for role, link in mapping.roles.items():
        conf.relations[link] = ([mapping.quote_label], [mapping.labels.get(role, role)])
    conf.attributes = {
        name: ([mapping.labels.get(t, t) for t in targets], values)
        for name, (targets, values) in conf.attributes.items()
    }


# -- writing ----------------------------------------------------------------------------------


def links_to_attributions(
    standoff: Standoff, mapping: AttributionMapping, report: FormatReport
) -> None:
    """Rename Spanwise's labels to the brat types, and turn each quote's speaker/cue links
    into one attribution event with its trigger on the cue."""
    quote_type = mapping.content_role
    for bound in standoff.textbounds.values():
        bound.type = mapping.brat_type(bound.type)
    by_quote: dict[str, list[tuple[str, str]]] = {}
    for relation in list(standoff.relations.values()):
        role = mapping.brat_role(relation.type)
        source = standoff.textbounds.get(relation.arg1)
        if role is None or source is None or source.type != quote_type:
            continue
        by_quote.setdefault(relation.arg1, []).append((role, relation.arg2))
        del standoff.relations[relation.id]
    t_number = _next_number(standoff.textbounds)
    e_number = _next_number(standoff.events)
    for quote, args in sorted(by_quote.items(), key=lambda item: _number(item[0])):
        anchor = next((t for r, t in args if r == mapping.trigger_on), quote)
        source_role = mapping.brat_role("speaker")
        kind = mapping.event if any(r == source_role for r, _t in args) else None
        kind = kind or mapping.event_without_source
        base = standoff.textbounds.get(anchor) or standoff.textbounds[quote]
        trigger = TextBound(f"T{t_number}", kind, list(base.fragments), base.text, 0)
        standoff.textbounds[trigger.id] = trigger
        ordered = [(quote_type, quote), *sorted(args, key=lambda a: a[0] != source_role)]
        event = Event(f"E{e_number}", kind, trigger.id, _number_roles(ordered), 0)
        standoff.events[event.id] = event
        t_number, e_number = t_number + 1, e_number + 1
        report.count("attributions")


def _number_roles(args: list[tuple[str, str]]) -> list[tuple[str, str]]:
    seen: dict[str, int] = {}
    result = []
    for role, target in args:
        seen[role] = seen.get(role, 0) + 1
        result.append((role if seen[role] == 1 else f"{role}{seen[role]}", target))
    return result


def _number(ident: str) -> int:
    digits = re.sub(r"\D", "", ident)
    return int(digits) if digits else 0


def _next_number(items: dict[str, Any]) -> int:
    return max((_number(i) for i in items), default=0) + 1


def conf_to_parc(conf: BratConf, colours: dict[str, str], mapping: AttributionMapping) -> None:
    """annotation.conf with the brat types, the attribution events and their roles."""
    rename = {label: brat for brat, label in mapping.labels.items()}
    conf.entities = [rename.get(e, e) for e in conf.entities]
    for link in mapping.roles.values():
        conf.relations.pop(link, None)
    conf.relations = {
        name: ([rename.get(t, t) for t in a], [rename.get(t, t) for t in b])
        for name, (a, b) in conf.relations.items()
    }
    conf.events = {
        name: [(role, [rename.get(t, t) for t in types], mark) for role, types, mark in roles]
        for name, roles in conf.events.items()
    }
    roles = [(mapping.content_role, [mapping.content_role], "")]
    roles += [(role, [role], "*") for role in mapping.roles]
    conf.events[mapping.event] = roles
    source_role = mapping.brat_role("speaker")
    conf.events[mapping.event_without_source] = [r for r in roles if r[0] != source_role]
    conf.attributes = {
        name: ([rename.get(t, t) for t in targets], values)
        for name, (targets, values) in conf.attributes.items()
    }
    for label, brat in rename.items():
        if label in colours:
            colours[brat] = colours.pop(label)


class ParcBratFormat:
    """PARC 3.0's attribution relations in brat standoff, mapped to quotes."""

    name = "parc-brat"
    description = "PARC / PolNeAR attribution in brat (Source, Cue, Content, Attribution)"
    can_import = True
    can_export = True

    def __init__(self, mapping: AttributionMapping | None = None) -> None:
        self._mapping = mapping

    @property
    def mapping(self) -> AttributionMapping:
        """The mapping in use (the shipped one unless another was set)."""
        if self._mapping is None:
            self._mapping = load_mapping()
        return self._mapping

    def sniff(self, path: Path) -> bool:
        """Whether the path is brat standoff that uses PARC's types."""
        if not looks_like_brat(path):
            return False
        files = sorted(path.rglob("*.ann"))[:20] if path.is_dir() else [path.with_suffix(".ann")]
        marks = tuple(f"\t{event}:" for event in self.mapping.events)
        for ann in files:
            head = read_head(ann, SNIFF_BYTES).decode("utf-8", errors="replace")
            if any(mark in head for mark in marks):
                return True
        return False

    def read(self, paths: Sequence[Path], options: ReadOptions) -> ImportedBatch:
        """Read PARC brat files into quotes, speakers and cues."""
        mapping = self.mapping
        return read_brat(
            paths,
            options,
            lambda item, report: attributions_to_links(item, mapping, report),
            lambda conf: conf_to_spanwise(conf, mapping),
        )

    def write(
        self,
        documents: Sequence[ExportedDocument],
        schema: Schema,
        target: Path,
        options: WriteOptions,
    ) -> FormatReport:
        """Write quotes, speakers and cues as PARC brat standoff."""
        mapping = self.mapping
        return write_brat(
            documents,
            schema,
            target,
            options,
            lambda standoff, _item, report: links_to_attributions(standoff, mapping, report),
            lambda conf, colours: conf_to_parc(conf, colours, mapping),
            event_labels_of(schema) - {mapping.quote_label},
        )


register(ParcBratFormat())
