"""brat -> Spanwise: finding `.txt` + `.ann` pairs (and the confs above them), and turning
each file's records into one annotator's document (the mapping: see db/formats/brat/__init__.py)."""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from db.errors import ImportRefused
from db.files.input_files import check_input, folder_files, read_input
from db.files.text_files import decode_text, text_sha256, title_for
from db.formats import (
    FormatReport,
    ImportedBatch,
    ReadOptions,
    stable_id,
)
from db.formats.brat.conf import (
    EVENT_MARK,
    NORM_PREFIX,
    RELATION_MARK,
    ROLE_MARK,
    BratConf,
    parse_conf,
    parse_visual,
)
from db.formats.brat.standoff import Event, Standoff, check_standoff, parse_standoff
from db.formats.palette import label_colour
from db.records import (
    AnnotationData,
    DocumentData,
    EntityData,
    ExportedDocument,
    RelationData,
)
from db.schema.label_schema import DEFAULT_ENTITY_TYPES, LabelDef, RelationTypeDef, Schema

_PAIR = (".ann", ".txt")


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
    """Read one .txt and its .ann (absent: no annotations) as one annotator's file."""
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
        """The attributes seen on this label (added when new)."""
        return self.labels.setdefault(name, {})

    def relation(self, name: str, source: str, target: str, mark: str) -> None:
        """Note a relation of this name between these two types."""
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
    # Long because one pass over the standoff records by kind (T, E, R, A/M, N, #, *), each a few
    # lines sharing the id maps built so far; split, those maps would travel through every piece.
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
                colours.get(name, label_colour(index)),
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
