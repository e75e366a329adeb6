"""WebAnno TSV 3 import: the GUM sample with its coreference chains as entities, UTF-16
offsets converted to code points, chain layers, and broken lines refused with their number."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.errors import ImportRefused, SpanwiseError
from db.formats import FORMATS, ReadOptions, WriteOptions
from db.formats.webanno_tsv import WebAnnoTsvFormat
from db.schema.label_schema import load_schema
from db.store import Store
from tests.db.formats import import_into, shared

TSV = WebAnnoTsvFormat()


def tokens(path: Path) -> list[tuple[int, int, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        fields = line.split("\t")
        if len(fields) > 3 and not line.startswith("#"):
            begin, end = (int(x) for x in fields[1].split("-"))
            rows.append((begin, end, fields[2]))
    return rows


def test_gum_sample_imports_with_coreference_chains_as_entities(store: Store) -> None:
    folder = shared("gum-news-sample")
    import_into(store, TSV.read([folder], ReadOptions()))
    docs = {d.document.source: d for d in store.export_documents()}
    item = docs["GUM_news_defector.webanno.tsv"]
    text = item.document.text
    for begin, end, token in tokens(folder / "GUM_news_defector.webanno.tsv"):
        assert text[begin:end] == token  # ASCII text: UTF-16 units equal code points here
    mentions = {a.id: text[a.start : a.end] for a in item.annotations}
    entities = {e.name: e for e in item.entities}
    church = entities["Church of Scientology"]  # named after the mentions' Wikidata identity
    assert church.label == "organisation"
    assert [mentions[m] for m in church.mentions][:3] == [
        "Scientology",
        "organization",
        "the organization",
    ]
    rathbun = entities["Mark Rathbun"]
    assert rathbun.label == "person" and len(rathbun.mentions) >= 5
    in_two = [m for m in mentions if sum(m in e.mentions for e in item.entities) > 1]
    assert not in_two  # a mention is in one entity only
    referent = store.schema().label("Referent")
    assert referent is not None and referent.forms_entities
    first = min(item.annotations, key=lambda a: (a.start, -a.end))
    assert first.attributes["entity"] in ("person", "organization")
    kinds = {r.type for r in item.relations}
    assert {"coref", "bridge:def"} <= kinds  # bridging stays a link, not an entity


HEADER = "#FORMAT=WebAnno TSV 3.3\n#T_SP=webanno.custom.Mention|kind\n"


def test_utf16_offsets_become_code_points(store: Store, tmp_path: Path) -> None:
    # "👍🏽" is 2 code points and 4 UTF-16 units; "Ana" then starts at unit 5, code point 3.
    body = (
        "#Text=👍🏽 Ana smiled\n"
        "1-1\t0-4\t👍🏽\t_\t\n"
        "1-2\t5-8\tAna\tperson\t\n"
        "1-3\t9-15\tsmiled\t_\t\n\n"
        "#Text=Bo\u0301b left .\n"
        "2-1\t16-20\tBo\u0301b\tperson[2]\t\n"
        "2-2\t21-25\tleft\tperson[2]\t\n"
        "2-3\t26-27\t.\t_\t\n"
    )
    (tmp_path / "a.tsv").write_text(HEADER + "\n\n" + body, encoding="utf-8")
    import_into(store, TSV.read([tmp_path / "a.tsv"], ReadOptions()))
    [item] = store.export_documents()
    text = item.document.text
    assert text == "👍🏽 Ana smiled\nBo\u0301b left ."
    spans = sorted((text[a.start : a.end], a.attributes["kind"]) for a in item.annotations)
    assert spans == [("Ana", "person"), ("Bo\u0301b left", "person")]


def test_chain_layer_becomes_an_entity(store: Store, tmp_path: Path) -> None:
    body = (
        "#FORMAT=WebAnno TSV 3.3\n"
        "#T_CH=de.tudarmstadt.ukp.dkpro.core.api.coref.type.CoreferenceLink"
        "|referenceType|referenceRelation\n\n\n"
        "#Text=Ana said she won .\n"
        "1-1\t0-3\tAna\tnam\t*->1-1\n"
        "1-2\t4-8\tsaid\t_\t_\n"
        "1-3\t9-12\tshe\tpro\t*->1-2\n"
        "1-4\t13-16\twon\t_\t_\n"
        "1-5\t17-18\t.\t_\t_\n"
    )
    (tmp_path / "c.tsv").write_text(body, encoding="utf-8")
    import_into(store, TSV.read([tmp_path], ReadOptions(annotator="ana")))
    [item] = store.export_documents()
    [entity] = item.entities
    names = [item.document.text[a.start : a.end] for m in entity.mentions
             for a in item.annotations if a.id == m]  # fmt: skip
    assert entity.name == "Ana" and names == ["Ana", "she"]
    assert {a.label for a in item.annotations} == {"Coreference"}


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("#Text=A b\n1-1\t0-1\tA\t_\nnot a token row\n", "line 7: not a token line"),
        ("#Text=A b\n1-1\tx-1\tA\t_\n", "line 6: offsets 'x-1'"),
    ],
)
def test_broken_lines_are_refused_with_their_number(
    tmp_path: Path, body: str, problem: str
) -> None:
    (tmp_path / "b.tsv").write_text(HEADER + "\n\n" + body, encoding="utf-8")
    with pytest.raises(ImportRefused, match=problem):
        TSV.read([tmp_path / "b.tsv"], ReadOptions())


def test_not_tsv_and_import_only(tmp_path: Path) -> None:
    (tmp_path / "x.tsv").write_text("a\tb\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match="not WebAnno TSV 3"):
        TSV.read([tmp_path / "x.tsv"], ReadOptions())
    assert not TSV.sniff(tmp_path / "x.tsv")
    assert FORMATS["webanno-tsv"].can_import and not FORMATS["webanno-tsv"].can_export
    with pytest.raises(SpanwiseError, match="import only"):
        TSV.write([], load_schema(), tmp_path, WriteOptions())
