"""WebAnno TSV 3 (INCEpTION/WebAnno's tab-separated export) import: spans, links, chains.

The text is rebuilt from the `#Text=` sentence lines, each placed at its first token's offset
(gaps between sentences, which the format does not carry, become line breaks). Offsets in the
file count UTF-16 units, as Java does; they are converted to code points here.

- A span layer (`#T_SP=`) annotation becomes an annotation labelled with the layer's short name
  (`webanno.custom.Referent` -> `Referent`); its features become attributes.
- A relation layer (`#T_RL=`) annotation becomes a link typed by its first feature's value
  (else the layer's name), from the span its `BT_` column names to the span on its own row.
- A chain layer (`#T_CH=`) becomes one entity per chain; its links become annotations labelled
  with the layer's name without "Link".
- Links of a relation layer whose name contains "coref" also join their spans into entities
  (bridging, types starting "bridge", does not); the entity is named after a mention's
  `identity` feature when one has it, else after its first mention.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from db.errors import ImportRefused, SpanwiseError
from db.files.input_files import check_input, folder_files, read_head, read_input
from db.files.text_files import MAX_TEXT_BYTES, decode_text, text_sha256, title_for
from db.formats import (
    FormatReport,
    ImportedBatch,
    ReadOptions,
    WriteOptions,
    register,
    stable_id,
)
from db.formats.collected import Collected
from db.formats.utf16 import Utf16Map
from db.records import AnnotationData, DocumentData, EntityData, ExportedDocument, RelationData
from db.schema.label_schema import Schema

ENTITY_TYPES = {"person": "person", "organization": "organisation", "organisation": "organisation"}
_ELEMENT = re.compile(r"^(?P<value>.*?)(?:\[(?P<first>\d+)(?:_(?P<second>\d+))?\])?$", re.S)
_SPLIT = re.compile(r"(?<!\\)\|")


@dataclass
class Layer:
    """A layer declared in the file's header: its kind, name and features."""

    kind: str  # "span", "chain" or "relation"
    name: str
    features: list[str]

    @property
    def short(self) -> str:
        """The layer's name without its package (what labels are named after)."""
        return self.name.rsplit(".", 1)[-1]

    @property
    def base(self) -> str | None:
        """The layer a chain or relation layer points to (its BT_ feature), if any."""
        return next((f[3:] for f in self.features if f.startswith("BT_")), None)


@dataclass
class Span:
    """One annotation of a span layer, with its feature values."""

    layer: Layer
    key: str
    begin: int  # UTF-16 units until converted
    end: int
    features: dict[str, str] = field(default_factory=dict)
    line: int = 0


@dataclass
class Link:
    """One annotation of a relation layer: its two ends and feature values."""

    layer: Layer
    values: dict[str, str]
    source: str  # span keys
    target: str
    line: int


@dataclass
class TsvDocument:
    """A parsed TSV file: the text rebuilt from its sentences, and its layers."""

    text: str
    spans: dict[str, Span]
    links: list[Link]
    chains: dict[str, list[tuple[int, str]]]  # chain -> (link index, span key)


def unescape(value: str) -> str:
    """A TSV cell's value with its backslash escapes undone."""
    return re.sub(r"\\(.)", r"\1", value)


def _elements(column: str) -> list[tuple[str, str | None, str | None]]:
    """`a[1]|b[2]` -> [(a, 1, None), (b, 2, None)]; `_` -> []."""
    if column in ("_", ""):
        return []
    result = []
    for piece in _SPLIT.split(column):
        match = _ELEMENT.match(piece)
        assert match is not None
        result.append((match.group("value"), match.group("first"), match.group("second")))
    return result


def parse_tsv(content: str, name: str) -> TsvDocument:
    """Parse the whole file; a line that does not fit the header is refused with its number."""
    # Long because one pass over the file's lines (header, sentences, tokens), keeping the line
    # number every refusal names.
    lines = content.split("\n")
    if not lines or not lines[0].startswith("#FORMAT=WebAnno TSV 3"):
        raise ImportRefused(f"{name}, line 1: not WebAnno TSV 3 (no '#FORMAT=WebAnno TSV 3.x')")
    layers: list[Layer] = []
    pieces: list[str] = []
    length = 0  # UTF-16 units so far
    sentence: list[str] | None = None
    spans: dict[str, Span] = {}
    links: list[Link] = []
    chains: dict[str, list[tuple[int, str]]] = {}
    pending_links: list[tuple[Layer, dict[str, str], str, str, str, int]] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r")
        where = f"{name}, line {number}"
        for prefix, kind in (("#T_SP=", "span"), ("#T_CH=", "chain"), ("#T_RL=", "relation")):
            if line.startswith(prefix):
                entries = line[len(prefix) :].split("|")
                layers.append(Layer(kind, entries[0], entries[1:]))
        if line.startswith("#Text="):
            if sentence is None:
                sentence = []
            sentence.append(line[len("#Text=") :])
            continue
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 3 or not re.match(r"^\d+-\d+(\.\d+)?$", fields[0]):
            raise ImportRefused(f"{where}: not a token line: {line[:50]!r}")
        token = fields[0]
        try:
            begin, end = (int(x) for x in fields[1].split("-"))
        except ValueError as exc:
            raise ImportRefused(f"{where}: offsets {fields[1]!r} are not 'begin-end'") from exc
        if sentence is not None:  # the first token of a new sentence places its text
            if begin < length:
                raise ImportRefused(f"{where}: the sentence starts at {begin}, before {length}")
            gap = begin - length
            if gap > MAX_TEXT_BYTES:
                raise ImportRefused(f"{where}: the sentence starts at {begin}, far past the text")
            text = "\n".join(sentence)
            pieces.append("\n" * gap + text)
            length += gap + _utf16_length(text)
            sentence = None
        columns = fields[3:]
        index = 0
        for layer in layers:
            width = max(1, len(layer.features))
            cells = columns[index : index + width]
            index += width
            if len(cells) < width:
                raise ImportRefused(f"{where}: {len(columns)} columns; the header needs more")
            if layer.kind == "relation":
                pending_links += _relation_cells(layer, cells, token, number, where)
            else:
                _span_cells(layer, cells, token, begin, end, number, spans, chains, where)
    text = "".join(pieces)
    units = Utf16Map(text)  # only the characters outside the BMP are listed: small
    for span in spans.values():
        first, last = units.to_codepoints(span.begin), units.to_codepoints(span.end)
        if first is None or last is None:
            raise ImportRefused(
                f"{name}, line {span.line}: offsets {span.begin}-{span.end} are outside the "
                "text or inside a character"
            )
        span.begin, span.end = first, last
    for layer, values, source, target, token, at in pending_links:
        base = layer.base or ""
        source_key = _span_key(base, source, spans)
        target_key = _span_key(base, target, spans)
        if source_key is None or target_key is None:
            raise ImportRefused(f"{name}, line {at}: {layer.short} link at {token} has no span")
        links.append(Link(layer, values, source_key, target_key, at))
    return TsvDocument(text, spans, links, chains)


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _span_cells(
    layer: Layer,
    cells: list[str],
    token: str,
    begin: int,
    end: int,
    line: int,
    spans: dict[str, Span],
    chains: dict[str, list[tuple[int, str]]],
    where: str,
) -> None:
    names = layer.features or [""]
    for feature, cell in zip(names, cells, strict=False):
        for position, (value, ident, _second) in enumerate(_elements(cell)):
            key = f"{layer.name}#{ident}" if ident else f"{layer.name}@{token}#{position}"
            span = spans.get(key)
            if span is None:
                span = spans[key] = Span(layer, key, begin, end, line=line)
            span.begin, span.end = min(span.begin, begin), max(span.end, end)
            if layer.kind == "chain" and feature == "referenceRelation":
                chain = re.match(r"^.*->(\d+)-(\d+)$", value)
                if chain is None:
                    raise ImportRefused(f"{where}: chain link {value!r} is not 'relation->C-L'")
                members = chains.setdefault(chain.group(1), [])
                if all(k != key for _i, k in members):
                    members.append((int(chain.group(2)), key))
                continue
            if feature.startswith("ROLE_") or feature.startswith("webanno.custom.") or not feature:
                continue
            if value not in ("*", "_", ""):
                span.features[feature] = unescape(value)


def _relation_cells(
    layer: Layer, cells: list[str], token: str, line: int, where: str
) -> list[tuple[Layer, dict[str, str], str, str, str, int]]:
    """Links on this row: (layer, features, source address, target address, token, line)."""
    result = []
    names = layer.features
    columns = [_elements(cell) for cell in cells]
    bt = names.index(next(f for f in names if f.startswith("BT_"))) if layer.base else -1
    if bt < 0:
        raise ImportRefused(f"{where}: relation layer {layer.short} has no BT_ column")
    for position, (address, first, second) in enumerate(columns[bt]):
        values = {}
        for feature, column in zip(names, columns, strict=False):
            if feature.startswith("BT_") or position >= len(column):
                continue
            value = column[position][0]
            if value not in ("*", "_", ""):
                values[feature] = unescape(value)
        source = f"{address}#{first}" if first and first != "0" else f"{address}#"
        target = f"{token}#{second}" if second and second != "0" else f"{token}#"
        result.append((layer, values, source, target, token, line))
    return result


def _span_key(base: str, address: str, spans: dict[str, Span]) -> str | None:
    token, _, ident = address.partition("#")
    if ident:
        key = f"{base}#{ident}"
        return key if key in spans else None
    return next(
        (k for k in spans if k.startswith(f"{base}@{token}#")),
        None,
    )


# -- to Spanwise ------------------------------------------------------------------------------


def _label(layer: Layer) -> str:
    short = layer.short
    return short[: -len("Link")] if layer.kind == "chain" and short.endswith("Link") else short


def to_document(
    parsed: TsvDocument, path: Path, annotator: str, collected: Collected, report: FormatReport
) -> ExportedDocument:
    # Long because one pass over the parsed layers (spans, relations, chains, coreference), sharing
    # the id maps it builds.
    """A parsed file as one annotator's document with annotations, links, entities."""
    text = parsed.text
    sha = text_sha256(text)
    ids = {key: stable_id(sha, annotator, key) for key in parsed.spans}
    annotations = []
    labels: dict[str, str] = {}
    for key, span in parsed.spans.items():
        label = _label(span.layer)
        labels[key] = label
        collected.labels.setdefault(label, set()).update(span.features)
        annotations.append(
            AnnotationData(
                ids[key], "", annotator, label, span.begin, span.end, dict(span.features)
            )
        )
    relations = []
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for index, link in enumerate(parsed.links):
        first = next(iter(link.values.values()), "")
        kind = first or link.layer.short
        if link.source == link.target:
            report.lose("links from a span to itself")
            continue
        relations.append(
            RelationData(
                stable_id(sha, annotator, "link", str(index), link.source, link.target),
                "",
                annotator,
                kind,
                ids[link.source],
                ids[link.target],
            )
        )
        ends = collected.relations.setdefault(kind, (set(), set()))
        ends[0].add(labels[link.source])
        ends[1].add(labels[link.target])
        if "coref" in link.layer.short.lower() and not kind.startswith("bridge"):
            parent[find(link.source)] = find(link.target)
    groups: dict[str, list[str]] = {}
    for key in parsed.spans:
        if key in parent:
            groups.setdefault(find(key), []).append(key)
    for number, members in enumerate(sorted(parsed.chains.items())):
        chain_id, links = members
        keys = [key for _index, key in sorted(links)]
        if any(key in parent for key in keys):
            report.lose("a chain link that is also in a coreference link's entity")
            continue
        groups[f"chain {chain_id} {number}"] = keys
    entities = []
    spans = parsed.spans
    for group in groups.values():
        if len(group) < 2 and not any(spans[k].layer.kind == "chain" for k in group):
            continue
        group.sort(key=lambda k: (spans[k].begin, -spans[k].end))
        identity = next(
            (spans[k].features["identity"] for k in group if "identity" in spans[k].features), ""
        )
        head = spans[group[0]]
        name = identity.replace("_", " ") if identity else text[head.begin : head.end]
        kinds = [spans[k].features.get("entity", "").lower() for k in group]
        entity_type = next((ENTITY_TYPES[k] for k in kinds if k in ENTITY_TYPES), "other")
        for key in group:
            collected.entity_labels.add(labels[key])
        entities.append(
            EntityData(
                stable_id(sha, annotator, "entity", group[0]),
                "",
                annotator,
                name.strip() or labels[group[0]],
                entity_type,
                tuple(ids[k] for k in group),
            )
        )
    report.lose("tokens, sentences and lemmas (Spanwise keeps the text and the annotations)")
    report.count("documents")
    report.count("annotations", len(annotations))
    report.count("links", len(relations))
    report.count("entities", len(entities))
    document = DocumentData("", title_for(path, text), path.name, text, sha, "")
    return ExportedDocument(document, {}, annotations, relations, entities)


def tsv_files(paths: Sequence[Path]) -> list[Path]:
    """The .tsv files named, or found in the folders named."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += folder_files(path, lambda p: p.suffix == ".tsv")
        elif path.exists() or path.is_symlink():
            check_input(path)
            found.append(path)
        else:
            raise ImportRefused(f"{path}: no such file or folder")
    if not found:
        raise ImportRefused("no WebAnno TSV (.tsv) files to import")
    return found


class WebAnnoTsvFormat:
    """WebAnno / INCEpTION TSV 3, import only."""

    name = "webanno-tsv"
    description = "WebAnno / INCEpTION TSV 3 (spans, links, coreference chains as entities)"
    can_import = True
    can_export = False

    def sniff(self, path: Path) -> bool:
        """Whether the path is (or holds) a WebAnno TSV 3 file."""
        files = sorted(path.rglob("*.tsv"))[:1] if path.is_dir() else [path]
        for item in files:
            if read_head(item, 40).lstrip(b"\xef\xbb\xbf").startswith(b"#FORMAT=WebAnno TSV 3"):
                return True
        return False

    def read(self, paths: Sequence[Path], options: ReadOptions) -> ImportedBatch:
        """Read TSV files into documents; each file is one annotator's work."""
        report = FormatReport()
        collected = Collected()
        annotator = options.annotator or "webanno"
        documents = []
        seen: dict[str, Path] = {}
        for path in tsv_files([Path(p) for p in paths]):
            data = read_input(path)
            parsed = parse_tsv(decode_text(data, str(path), options.encoding), str(path))
            if not parsed.text.strip():
                raise ImportRefused(f"{path}: no sentence text (#Text=) in the file")
            sha = text_sha256(parsed.text)
            if sha in seen:
                raise ImportRefused(f"{path}: the same text as {seen[sha]}")
            seen[sha] = path
            documents.append(to_document(parsed, path, annotator, collected, report))
        return ImportedBatch(
            collected.schema("WebAnno TSV layer", "WebAnno TSV link"), documents, report
        )

    def write(
        self,
        documents: Sequence[ExportedDocument],
        schema: Schema,
        target: Path,
        options: WriteOptions,
    ) -> FormatReport:
        """Refused: WebAnno TSV is import only here."""
        raise SpanwiseError("WebAnno TSV is import only; export to UIMA CAS XMI for INCEpTION")


register(WebAnnoTsvFormat())
