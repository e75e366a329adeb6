"""UIMA CAS (XMI and CAS JSON) for INCEpTION / WebAnno, through dkpro-cassis.

Export writes one CAS per document and annotator (`<document>/<annotator>.xmi|.json`, the
layout of INCEpTION's exports) and a `TypeSystem.xml` with Spanwise's custom layers:

- `webanno.custom.Span` (span layer): `label`, one string feature per attribute whose name can
  be a feature name (others in `attributes`, a JSON object), `note`, `fragments` (a
  discontinuous annotation covers its hull; its pieces are "begin end;begin end" in UTF-16
  units), and `entity` / `entityType` (the name and type of the mention's entity).
- `webanno.custom.Link` (relation layer): `Governor`, `Dependent` and `label` (the link type).
  Events are Spans labelled Event whose arguments are Links labelled by role.
- DKPro `Sentence` (one per line) and `Token` (one per run of non-space) so INCEpTION can show
  the text, and `DocumentMetaData` with the title and source.

Import reads any `webanno.custom.*` layer of such a CAS (an INCEpTION export): span layers
become annotations (label = the `label` feature, else the layer's name; other primitive
features become attributes), relation layers (`Governor`/`Dependent`) and slot features
(arrays of role/target links) become links, chain layers (`...Chain` with `first`) entities.
UIMA counts offsets in UTF-16 units; cassis converts them to code points on both sides.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Sequence
from io import BytesIO
from pathlib import Path
from typing import Any

from db.errors import ImportRefused, SpanwiseError
from db.files.input_files import check_input, folder_files, read_head, read_input
from db.files.json_files import parse_json
from db.files.outputs import atomic_folder
from db.files.text_files import split_source, text_sha256, title_for
from db.formats import FormatReport, ImportedBatch, ReadOptions, WriteOptions, register, stable_id
from db.formats.brat.writing import annotators_of, file_names_of, file_stem
from db.formats.collected import Collected
from db.formats.tool_json import check_text
from db.formats.utf16 import Utf16Map
from db.records import AnnotationData, DocumentData, EntityData, ExportedDocument, RelationData
from db.schema.label_schema import Schema

SPAN = "webanno.custom.Span"
LINK = "webanno.custom.Link"
SENTENCE = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence"
TOKEN = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token"
METADATA = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
STRING = "uima.cas.String"
CUSTOM_PREFIXES = ("webanno.custom.", "custom.")
OWN_FEATURES = ("label", "note", "fragments", "entity", "entityType", "attributes")
_RESERVED = {
    *OWN_FEATURES,
    "begin",
    "end",
    "sofa",
    "type",
    "self",
    "xmiID",
    "Governor",
    "Dependent",
}
_FEATURE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _cassis() -> Any:
    """cassis, imported when first used (it pulls in lxml), with compact offsets."""
    import cassis
    from cassis import cas

    converter = cas.Utf16CodepointOffsetConverter
    if converter.create_offset_mapping is not _compact_mapping:
        converter.create_offset_mapping = _compact_mapping
        converter.external_to_python = _external_to_python
        converter.python_to_external = _python_to_external
    return cassis


# cassis maps UTF-16 offsets to code points with two dicts holding every offset of the text:
# some 200 bytes a character (a 50 MB text took 11.7 GB). Its converter is given Utf16Map's
# way instead: only the positions of characters outside the BMP are kept, and an offset is
# converted by bisection. Unmappable offsets are returned unchanged, as cassis does (the
# reader then refuses a span outside the text).


def _compact_mapping(self: Any, sofa_string: str | None) -> None:
    self._utf16 = None if sofa_string is None else Utf16Map(sofa_string)


def _external_to_python(self: Any, idx: int | None) -> int | None:
    utf16 = getattr(self, "_utf16", None)
    if idx is None or utf16 is None:
        return idx
    converted = utf16.to_codepoints(idx)
    return idx if converted is None else converted


def _python_to_external(self: Any, idx: int | None) -> int | None:
    utf16 = getattr(self, "_utf16", None)
    if idx is None or utf16 is None or not 0 <= idx <= len(utf16.text):
        return idx
    return utf16.to_utf16(idx)


def feature_name(attribute: str) -> str | None:
    """The feature an attribute is written to, or None when it goes into `attributes`."""
    if _FEATURE_NAME.match(attribute) and attribute not in _RESERVED:
        return attribute
    return None


# -- UTF-16 for the `fragments` feature (cassis converts begin/end itself) --------------------


def fragments_to_utf16(text: str, fragments: Sequence[tuple[int, int]]) -> str:
    """Fragments as the 'begin end;begin end' string of UTF-16 offsets a CAS keeps."""
    units = Utf16Map(text)
    return ";".join(f"{units.to_utf16(s)} {units.to_utf16(e)}" for s, e in fragments)


def fragments_from_utf16(text: str, value: str, where: str) -> tuple[tuple[int, int], ...]:
    """A CAS's fragments string back as code-point offsets; a bad one is refused."""
    units = Utf16Map(text)
    result = []
    for piece in value.split(";"):
        numbers = piece.split()
        if len(numbers) != 2 or not all(n.isdigit() for n in numbers):
            raise ImportRefused(f"{where}: fragments {value!r} are not 'begin end;begin end'")
        start, end = units.to_codepoints(int(numbers[0])), units.to_codepoints(int(numbers[1]))
        if start is None or end is None:
            raise ImportRefused(f"{where}: fragment {piece!r} is outside the text")
        result.append((start, end))
    return tuple(sorted(result))


# -- writing ----------------------------------------------------------------------------------


def type_system(schema: Schema) -> Any:
    """Spanwise's layers as a UIMA type system INCEpTION can import."""
    cassis = _cassis()
    ts = cassis.TypeSystem()
    span = ts.create_type(SPAN, "uima.tcas.Annotation", "A Spanwise annotation")
    for name in OWN_FEATURES:
        ts.create_feature(span, name, STRING)
    attributes = sorted({a for label in schema.labels for a in label.attributes})
    for attribute in attributes:
        feature = feature_name(attribute)
        if feature is not None:
            ts.create_feature(span, feature, STRING)
    link = ts.create_type(LINK, "uima.tcas.Annotation", "A Spanwise link")
    ts.create_feature(link, "Governor", SPAN)
    ts.create_feature(link, "Dependent", SPAN)
    ts.create_feature(link, "label", STRING)
    ts.create_type(SENTENCE, "uima.tcas.Annotation")
    ts.create_type(TOKEN, "uima.tcas.Annotation")
    meta = ts.create_type(METADATA, "uima.tcas.DocumentAnnotation")
    for name in ("documentTitle", "documentId", "documentUri", "collectionId"):
        ts.create_feature(meta, name, STRING)
    return ts


def document_cas(item: ExportedDocument, annotator: str, ts: Any, report: FormatReport) -> Any:
    """One annotator's work on one document as a CAS."""
    # Long because builds the CAS layer by layer (sentences, tokens, spans, links, metadata) in the
    # order cassis needs them.
    cassis = _cassis()
    text = item.document.text
    cas = cassis.Cas(typesystem=ts)
    cas.sofa_string = text
    cas.sofa_mime = "text"
    meta_type = ts.get_type(METADATA)
    cas.add(
        meta_type(
            begin=0,
            end=len(text),
            documentTitle=item.document.title,
            documentId=item.document.source,
        )
    )
    sentence, token = ts.get_type(SENTENCE), ts.get_type(TOKEN)
    for match in re.finditer(r"[^\r\n]+", text):
        if match.group().strip():
            cas.add(sentence(begin=match.start(), end=match.end()))
    for match in re.finditer(r"\S+", text):
        cas.add(token(begin=match.start(), end=match.end()))
    span_type, link_type = ts.get_type(SPAN), ts.get_type(LINK)
    entity_of: dict[str, tuple[str, str]] = {}
    for entity in item.entities:
        if entity.annotator == annotator:
            for mention in entity.mentions:
                entity_of[mention] = (entity.name, entity.label)
    names = {f.name for f in span_type.all_features}
    spans: dict[str, Any] = {}
    for record in item.annotations:
        if record.annotator != annotator:
            continue
        values: dict[str, Any] = {"begin": record.start, "end": record.end, "label": record.label}
        extra: dict[str, Any] = {}
        for key, value in record.attributes.items():
            name = feature_name(key)
            if name is not None and name in names and (value is None or isinstance(value, str)):
                values[name] = value
            else:
                extra[key] = value
        if extra:
            values["attributes"] = json.dumps(extra, ensure_ascii=False, sort_keys=True)
        if record.note:
            values["note"] = record.note
        if record.fragments:
            values["fragments"] = fragments_to_utf16(text, record.fragments)
            report.lose("discontinuous annotations show as their whole extent in INCEpTION")
        if record.id in entity_of:
            values["entity"], values["entityType"] = entity_of[record.id]
        spans[record.id] = span_type(**values)
        cas.add(spans[record.id])
    for link in item.relations:
        if link.annotator != annotator:
            continue
        governor, dependent = spans[link.source], spans[link.target]
        cas.add(
            link_type(
                begin=dependent.begin,
                end=dependent.end,
                Governor=governor,
                Dependent=dependent,
                label=link.type,
            )
        )
    return cas


def _folder_for(item: ExportedDocument, taken: set[str]) -> str:
    return file_stem(item, taken) + split_source(item.document.source or "")[1]


def write_cases(
    documents: Sequence[ExportedDocument],
    schema: Schema,
    target: Path,
    options: WriteOptions,
    suffix: str,
) -> FormatReport:
    """Write each document's work as a CAS file per annotator, with the type system."""
    report = FormatReport()
    ts = type_system(schema)
    annotators = annotators_of(documents, options) or ["spanwise"]
    file_names = file_names_of(annotators, _safe, report)
    outputs: list[tuple[Path, str]] = []
    taken: set[str] = set()
    for item in documents:
        folder = Path(_folder_for(item, taken))
        if suffix == ".xmi":
            bad = _XML_BAD.search(item.document.text)
            if bad:
                raise SpanwiseError(
                    f"document '{item.document.title}': its text holds U+{ord(bad.group()):04X} "
                    f"at offset {bad.start()}, which XML 1.0 cannot carry; export as uima-json"
                )
        for who in annotators:
            cas = document_cas(item, who, ts, report)
            try:
                content = cas.to_xmi() if suffix == ".xmi" else cas.to_json(pretty_print=True)
            except ValueError as exc:  # a note, title or name XML 1.0 cannot carry
                raise SpanwiseError(
                    f"document '{item.document.title}', annotator '{who}': {exc}; "
                    "a note, title or name holds a control character: export as uima-json"
                ) from exc
            outputs.append((folder / f"{file_names[who]}{suffix}", content))
            report.count("annotations", len(cas.select(SPAN)))
            report.count("links", len(cas.select(LINK)))
        report.count("documents")
    report.count(
        "entities",
        sum(len([e for e in d.entities if e.annotator in annotators]) for d in documents),
    )
    with atomic_folder(target) as built:
        (built / "TypeSystem.xml").write_text(ts.to_xml(), encoding="utf-8")
        for path, content in outputs:
            (built / path).parent.mkdir(parents=True, exist_ok=True)
            (built / path).write_text(content, encoding="utf-8")
    return report


def _safe(name: str) -> str:
    return re.sub(r"[^\w.\- ]+", "_", name).strip(" .") or "annotator"


# -- reading ----------------------------------------------------------------------------------


def _is_custom(type_: Any) -> bool:
    return str(type_.name).startswith(CUSTOM_PREFIXES)


def _feature_names(type_: Any) -> set[str]:
    return {f.name for f in type_.all_features}


def _original(feature: Any) -> str:
    """cassis renames features called `type` or `self` to `type_` / `self_`."""
    return str(feature.name)[:-1] if feature._has_reserved_name else str(feature.name)


def _primitive_value(value: Any) -> str | None:
    if value is None or isinstance(value, bool) and not value:
        return None
    if isinstance(value, bool):
        return "true"
    if isinstance(value, str | int | float):
        return str(value)
    return None


def load_cas(path: Path, root: Path) -> Any:
    """A CAS from XMI (with the TypeSystem.xml beside it or above it) or CAS JSON."""
    cassis = _cassis()
    data = read_input(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cassis warns about features named `type`
        try:
            if path.suffix.lower() == ".json":
                return cassis.load_cas_from_json(BytesIO(data))
            ts_path = _type_system_for(path, root)
            ts = cassis.load_typesystem(BytesIO(read_input(ts_path, root=root)))
            data = re.sub(rb"^(<\?xml[^>]*version=[\"'])1\.1", rb"\g<1>1.0", data, count=1)
            return cassis.load_cas_from_xmi(BytesIO(data), typesystem=ts, lenient=True)
        except ImportRefused:
            raise
        except Exception as exc:  # lxml, cassis and json raise many kinds for a bad file
            detail = (
                str(exc)
                if isinstance(exc, ValueError | SyntaxError)  # the parser names the place
                else "its content is not laid out as a UIMA CAS"  # not Python's internals
            )
            raise ImportRefused(f"{path}: not a readable UIMA CAS ({detail})") from exc


def _type_system_for(path: Path, root: Path) -> Path:
    current = path.parent
    while True:
        for candidate in sorted(current.iterdir()):
            if candidate.name.lower() == "typesystem.xml":
                return candidate
        if current == root or current.parent == current:
            break
        current = current.parent
    raise ImportRefused(
        f"{path}: no TypeSystem.xml beside it or above it (INCEpTION's XMI export has one)"
    )


def cas_to_document(
    cas: Any, path: Path, annotator: str, collected: Collected, report: FormatReport
) -> ExportedDocument:
    # Long because one pass over the CAS's feature structures by layer kind (spans, relations,
    # slots, chains), each sharing the id maps built as it goes.
    """One CAS as one annotator's document with annotations, links and entities."""
    text = cas.sofa_string or ""
    if not isinstance(text, str) or not text.strip():
        raise ImportRefused(f"{path}: the CAS has no text")
    text = check_text(text, str(path))  # no lone surrogate, not over the size limit
    sha = text_sha256(text)
    ts = cas.typesystem
    where = str(path)
    annotations: dict[int, AnnotationData] = {}
    relations: list[RelationData] = []
    entity_groups: dict[tuple[str, str], list[str]] = {}
    chains: list[list[Any]] = []
    custom = [t for t in ts.get_types() if _is_custom(t)]
    relation_types = [t for t in custom if {"Governor", "Dependent"} <= _feature_names(t)]
    chain_types = [t for t in custom if "first" in _feature_names(t)]
    span_types = [
        t
        for t in custom
        if t not in relation_types
        and t not in chain_types
        and ts.subsumes("uima.tcas.Annotation", t)
    ]

    def ident(*parts: Any) -> str:
        return stable_id(sha, annotator, *(str(p) for p in parts))

    for span_type in span_types:
        for fs in cas.select(span_type):
            if fs.type.name != span_type.name:
                continue  # subtypes are read as their own layer
            annotations[fs.xmiID] = _annotation(fs, text, annotator, ident, where, collected)
            entity = _text(fs, "entity", where)
            if entity:
                kind = _text(fs, "entityType", where) or "other"
                entity_groups.setdefault((entity, kind), []).append(annotations[fs.xmiID].id)
    for relation_type in relation_types:
        for fs in cas.select(relation_type):
            kind = _link_type(fs, where)
            _add_link(
                fs.Governor,
                fs.Dependent,
                kind,
                fs.xmiID,
                annotations,
                relations,
                ident,
                collected,
                report,
            )
    for span_type in span_types:
        for feature in span_type.all_features:
            if not ts.is_array(feature.rangeType):
                continue
            for fs in cas.select(span_type):
                slots = getattr(getattr(fs, feature.name, None), "elements", None) or []
                for index, slot in enumerate(slots):
                    role = _text(slot, "role", where) or feature.name
                    target = getattr(slot, "target", None)
                    _add_link(
                        fs,
                        target,
                        role,
                        f"{fs.xmiID}-{feature.name}-{index}",
                        annotations,
                        relations,
                        ident,
                        collected,
                        report,
                    )
    for chain_type in chain_types:
        for chain in cas.select(chain_type):
            links: list[Any] = []
            node = chain.first
            seen: set[int] = set()  # a chain whose `next` leads back to itself ends there
            while node is not None and id(node) not in seen:
                seen.add(id(node))
                links.append(node)
                node = getattr(node, "next", None)
            chains.append(links)
    entities: list[EntityData] = []
    for (name, kind), mentions in entity_groups.items():
        entities.append(
            EntityData(ident("entity", name, kind), "", annotator, name, kind, tuple(mentions))
        )
        _mark_entity_labels(mentions, annotations, collected)
    for number, links in enumerate(chains):
        mentions = []
        for node in links:
            if node.xmiID not in annotations:
                annotations[node.xmiID] = _annotation(
                    node, text, annotator, ident, where, collected
                )
            mentions.append(annotations[node.xmiID].id)
        if not mentions:
            continue
        head = next(a for a in annotations.values() if a.id == mentions[0])
        name = text[head.start : head.end].strip() or head.label
        entities.append(
            EntityData(ident("chain", number), "", annotator, name, "other", tuple(mentions))
        )
        _mark_entity_labels(mentions, annotations, collected)
    meta = next(iter(cas.select(METADATA)), None) if _has_type(ts, METADATA) else None
    title = (_text(meta, "documentTitle", where) if meta else None) or title_for(path, text)
    source = (_text(meta, "documentId", where) if meta else None) or path.name
    report.count("documents")
    report.count("annotations", len(annotations))
    report.count("links", len(relations))
    report.count("entities", len(entities))
    document = DocumentData("", title, source, text, sha, "")
    return ExportedDocument(document, {}, list(annotations.values()), relations, entities)


def _has_type(ts: Any, name: str) -> bool:
    try:
        ts.get_type(name)
    except Exception:
        return False
    return True


def _annotation(
    fs: Any, text: str, annotator: str, ident: Any, where: str, collected: Collected
) -> AnnotationData:
    features = _feature_names(fs.type)
    label = _text(fs, "label", where) or fs.type.short_name
    if fs.type.short_name.endswith("Link") and "next" in features:
        label = fs.type.short_name[: -len("Link")] or label
    attributes: dict[str, Any] = {}
    for feature in fs.type.all_features:
        if feature.name in _RESERVED or feature.name in ("next", "sofa"):
            continue
        value = _primitive_value(getattr(fs, feature.name, None))
        if value is not None:
            attributes[_original(feature)] = value
    raw = _text(fs, "attributes", where)
    if raw:
        extra = parse_json(raw, f"{where}: annotation {fs.xmiID}: 'attributes'")
        if not isinstance(extra, dict):
            raise ImportRefused(f"{where}: annotation {fs.xmiID}: 'attributes' is not an object")
        attributes.update(extra)
    note = _text(fs, "note", where)
    pieces = _text(fs, "fragments", where)
    fragments = (
        fragments_from_utf16(text, pieces, f"{where}: annotation {fs.xmiID}") if pieces else ()
    )
    if not (isinstance(fs.begin, int) and isinstance(fs.end, int)) or not (
        0 <= fs.begin < fs.end <= len(text)
    ):
        raise ImportRefused(f"{where}: annotation {fs.xmiID} has an empty or outside span")
    known = collected.labels.setdefault(label, set())
    known.update(attributes)
    return AnnotationData(
        ident(fs.xmiID),
        "",
        annotator,
        label,
        fs.begin,
        fs.end,
        attributes,
        note or None,
        fragments=fragments,
    )


def _link_type(fs: Any, where: str) -> str:
    return _text(fs, "label", where) or fs.type.short_name


def _text(fs: Any, feature: str, where: str) -> str | None:
    """A string feature's value, or None; a feature written as a list (child elements in
    XMI, an array in JSON) or a number where a string belongs is refused, naming it."""
    if feature not in _feature_names(fs.type):
        return None
    value = getattr(fs, feature, None)
    if value is None or isinstance(value, str):
        return value
    what = "a list (child elements, or an array)" if isinstance(value, list) else repr(value)
    raise ImportRefused(
        f"{where}: annotation {getattr(fs, 'xmiID', '?')}: '{feature}' is {what}, not one string"
    )


def _add_link(
    source: Any,
    target: Any,
    kind: str,
    key: Any,
    annotations: dict[int, AnnotationData],
    relations: list[RelationData],
    ident: Any,
    collected: Collected,
    report: FormatReport,
) -> None:
    if source is None or target is None:
        report.lose("links with a missing end")
        return
    start, end = annotations.get(source.xmiID), annotations.get(target.xmiID)
    if start is None or end is None:
        report.lose("links to annotations outside the custom layers (tokens, named entities)")
        return
    if start.id == end.id:
        report.lose("links from an annotation to itself")
        return
    relations.append(RelationData(ident("link", key), "", start.annotator, kind, start.id, end.id))
    froms, tos = collected.relations.setdefault(kind, (set(), set()))
    froms.add(start.label)
    tos.add(end.label)


def _mark_entity_labels(
    mentions: Sequence[str], annotations: dict[int, AnnotationData], collected: Collected
) -> None:
    labels = {a.id: a.label for a in annotations.values()}
    collected.entity_labels.update(labels[m] for m in mentions)


def cas_files(paths: Sequence[Path], suffix: str) -> list[tuple[Path, Path]]:
    """(file, root) for every CAS named or inside a folder named."""
    found: list[tuple[Path, Path]] = []
    for path in paths:
        if path.is_dir():
            found += [(p, path) for p in folder_files(path, lambda p: p.suffix == suffix)]
        elif path.exists() or path.is_symlink():
            check_input(path)
            found.append((path, path.parent))
        else:
            raise ImportRefused(f"{path}: no such file or folder")
    if not found:
        raise ImportRefused(f"no UIMA CAS ({suffix}) files to import")
    return found


def read_cases(paths: Sequence[Path], options: ReadOptions, suffix: str) -> ImportedBatch:
    """Read CAS files (XMI or JSON) into documents."""
    report = FormatReport()
    collected = Collected()
    documents = []
    seen: dict[tuple[str, str], Path] = {}
    for path, root in cas_files([Path(p) for p in paths], suffix):
        annotator = options.annotator or path.stem
        cas = load_cas(path, root)
        item = cas_to_document(cas, path, annotator, collected, report)
        key = (item.document.sha256, annotator)
        if key in seen:
            raise ImportRefused(f"{path}: the same text as {seen[key]} for annotator '{annotator}'")
        seen[key] = path
        documents.append(item)
    return ImportedBatch(collected.schema(), documents, report)


class UimaCasFormat:
    """UIMA CAS for INCEpTION / WebAnno, as XMI or as JSON."""

    can_import = True
    can_export = True

    def __init__(self, name: str, suffix: str, description: str) -> None:
        self.name = name
        self.suffix = suffix
        self.description = description

    def sniff(self, path: Path) -> bool:
        """Whether the path is (or holds) a CAS file of this serialisation."""
        files = sorted(path.rglob(f"*{self.suffix}"))[:1] if path.is_dir() else [path]
        for item in files:
            if item.suffix.lower() != self.suffix:
                return False
            head = read_head(item, 4096)
            marker = b"http:///uima/cas.ecore" if self.suffix == ".xmi" else b'"%TYPES"'
            return marker in head or (self.suffix == ".json" and b"%FEATURE_STRUCTURES" in head)
        return False

    def read(self, paths: Sequence[Path], options: ReadOptions) -> ImportedBatch:
        """Read CAS files into documents."""
        return read_cases(paths, options, self.suffix)

    def write(
        self,
        documents: Sequence[ExportedDocument],
        schema: Schema,
        target: Path,
        options: WriteOptions,
    ) -> FormatReport:
        """Write the documents as CAS files with their type system."""
        return write_cases(documents, schema, target, options, self.suffix)


register(UimaCasFormat("uima-xmi", ".xmi", "UIMA CAS XMI for INCEpTION / WebAnno (custom layers)"))
register(UimaCasFormat("uima-json", ".json", "UIMA CAS JSON for INCEpTION (custom layers)"))
