"""Spanwise -> brat: each annotator's documents as `.txt` + `.ann`, with an
`annotation.conf` and a `visual.conf` that declare everything the files use."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from db.files.outputs import atomic_folder
from db.files.text_files import split_source
from db.formats import (
    FormatReport,
    WriteOptions,
)
from db.formats.brat.conf import (
    EVENT_MARK,
    NORM_PREFIX,
    RELATION_MARK,
    ROLE_MARK,
    BratConf,
    render_conf,
    render_visual,
)
from db.formats.brat.standoff import (
    Attribute,
    Equiv,
    Event,
    Normalization,
    Note,
    Relation,
    Standoff,
    TextBound,
    render_standoff,
)
from db.records import (
    ExportedDocument,
)
from db.schema.label_schema import Schema
from db.text.plain import shown

_TYPE_NAME = re.compile(r"[^A-Za-z0-9_-]")


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
    # Long because writes the .ann in brat's order of record kinds, every step numbering from the
    # same counters and id maps.
    """One annotator's work on one document as brat records."""
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
        """Note every type, role, relation and attribute a written file uses."""
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
    """The annotators to write: the one asked for, or everyone with work."""
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
    """An annotator's name as a safe folder name."""
    return _UNSAFE_FILE.sub("_", annotator).strip(" .") or "annotator"
