"""UIMA CAS (XMI and JSON) for INCEpTION: lossless round trips, UTF-16 offsets in the files,
a type system INCEpTION reads as span and relation layers, and INCEpTION's own layers read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cassis import Cas, TypeSystem, load_cas_from_xmi, load_typesystem

from db.errors import ImportRefused, SpanwiseError
from db.files.text_files import TextFile
from db.formats import FORMATS, ReadOptions, WriteOptions
from db.formats.uima_cas import UimaCasFormat
from db.store import Store
from tests.db.conftest import OpenStore
from tests.db.formats import SAMPLE, at, content, fill_sample, import_into, round_trip
from tests.store_edits import update_annotation

XMI = UimaCasFormat("uima-xmi", ".xmi", "")
JSON = UimaCasFormat("uima-json", ".json", "")


@pytest.mark.parametrize("fmt", [XMI, JSON], ids=["xmi", "json"])
def test_round_trip_keeps_everything(
    open_store: OpenStore, tmp_path: Path, fmt: UimaCasFormat
) -> None:
    source, target = open_store(), open_store(tmp_path / "second.db")
    doc_id = fill_sample(source)
    mention = source.add_annotation(doc_id, "ana", "Participant", *at(SAMPLE, "Kyiv"))
    from db.changes import Change, added
    from db.records import EntityData

    lone = EntityData("e2", doc_id, "ana", "the capital", "other", (mention.id,))
    source.apply(Change("entity", (), (), (added(lone),)))
    update_annotation(source, mention.id, note="first\r\nsecond", attributes={})
    _batch, again = round_trip(fmt, source, target, tmp_path / "out")
    assert content(again) == content(source.export_documents())  # names, lone entities too
    assert (tmp_path / "out" / "sample.txt" / f"ana{fmt.suffix}").is_file()


def test_xmi_offsets_count_utf16_units(store: Store, tmp_path: Path) -> None:
    fill_sample(store)
    out = tmp_path / "out"  # an export folder is new, empty or an export
    XMI.write(store.export_documents(), store.schema(), out, WriteOptions())
    xmi = (out / "sample.txt" / "ana.xmi").read_text(encoding="utf-8")
    start, end = at(SAMPLE, "Tuesday")
    units = len(SAMPLE[:start].encode("utf-16-le")) // 2
    assert units > start  # the emoji before it take two units each
    assert re.search(rf'begin="{units}" end="{units + 7}" label="Time"', xmi)
    assert "&#13;&#10;" in xmi  # CRLF kept in the text


def test_type_system_has_inception_span_and_relation_layers(store: Store, tmp_path: Path) -> None:
    fill_sample(store)
    out = tmp_path / "out"  # an export folder is new, empty or an export
    JSON.write(store.export_documents(), store.schema(), out, WriteOptions())
    ts = load_typesystem((out / "TypeSystem.xml").read_text(encoding="utf-8"))
    span = ts.get_type("webanno.custom.Span")
    link = ts.get_type("webanno.custom.Link")
    assert {"label", "kind", "note", "entity", "entityType"} <= {f.name for f in span.all_features}
    features = {f.name: f.rangeType.name for f in link.all_features}
    assert features["Governor"] == features["Dependent"] == "webanno.custom.Span"
    assert span.supertype.name == link.supertype.name == "uima.tcas.Annotation"


def inception_export(folder: Path) -> str:
    """What INCEpTION writes for a project with its own layers: a Quote span layer with a
    `kind` feature, a relation layer, a slot feature and a chain layer."""
    text = "“Yes 👍🏽,” said Ana. She left.\r\n"
    ts = TypeSystem()
    quote = ts.create_type("webanno.custom.Quote", "uima.tcas.Annotation")
    ts.create_feature(quote, "kind", "uima.cas.String")
    person = ts.create_type("webanno.custom.Person", "uima.tcas.Annotation")
    ts.create_feature(person, "named", "uima.cas.Boolean")
    role_link = ts.create_type("webanno.custom.QuoteSpeakerLink", "uima.cas.TOP")
    ts.create_feature(role_link, "role", "uima.cas.String")
    ts.create_feature(role_link, "target", "webanno.custom.Person")
    ts.create_feature(quote, "speaker", "uima.cas.FSArray", "webanno.custom.QuoteSpeakerLink")
    attribution = ts.create_type("webanno.custom.Attribution", "uima.tcas.Annotation")
    ts.create_feature(attribution, "Governor", "webanno.custom.Quote")
    ts.create_feature(attribution, "Dependent", "webanno.custom.Person")
    chain_link = ts.create_type("webanno.custom.CorefLink", "uima.tcas.Annotation")
    ts.create_feature(chain_link, "next", "webanno.custom.CorefLink")
    ts.create_feature(chain_link, "referenceType", "uima.cas.String")
    chain = ts.create_type("webanno.custom.CorefChain", "uima.cas.AnnotationBase")
    ts.create_feature(chain, "first", "webanno.custom.CorefLink")
    cas = Cas(typesystem=ts)
    cas.sofa_string = text
    said, ana_at, she_at = at(text, "“Yes 👍🏽,”"), at(text, "Ana"), at(text, "She")
    q = quote(begin=said[0], end=said[1], kind="direct")
    ana = person(begin=ana_at[0], end=ana_at[1], named=True)
    link = role_link(role="source", target=ana)
    array = ts.get_type("uima.cas.FSArray")(elements=[link])
    q.speaker = array
    cas.add_all([q, ana, link, array])
    cas.add(attribution(begin=ana_at[0], end=ana_at[1], Governor=q, Dependent=ana))
    she = chain_link(begin=she_at[0], end=she_at[1], referenceType="pro")
    first = chain_link(begin=ana_at[0], end=ana_at[1], referenceType="nam", next=she)
    cas.add_all([she, first, chain(first=first)])
    folder.mkdir()
    (folder / "TypeSystem.xml").write_text(ts.to_xml(), encoding="utf-8")
    xmi = cas.to_xmi().replace("version='1.0'", "version='1.1'", 1)
    (folder / "admin.xmi").write_text(xmi, encoding="utf-8")
    return text


def test_inception_layers_are_read(store: Store, tmp_path: Path) -> None:
    text = inception_export(tmp_path / "export")
    import_into(store, XMI.read([tmp_path / "export"], ReadOptions()))
    [item] = store.export_documents()
    assert item.document.text == text
    shown = {a.id: (a.label, text[a.start : a.end], a.attributes) for a in item.annotations}
    assert sorted(shown.values(), key=lambda v: (v[1], v[0])) == [
        ("Coref", "Ana", {"referenceType": "nam"}),
        ("Person", "Ana", {"named": "true"}),
        ("Coref", "She", {"referenceType": "pro"}),
        ("Quote", "“Yes 👍🏽,”", {"kind": "direct"}),
    ]
    links = sorted((r.type, shown[r.source][0], shown[r.target][0]) for r in item.relations)
    assert links == [("Attribution", "Quote", "Person"), ("source", "Quote", "Person")]
    [entity] = item.entities
    assert entity.name == "Ana" and len(entity.mentions) == 2
    assert {a.annotator for a in item.annotations} == {"admin"}  # INCEpTION names files by user


def test_xmi_needs_its_type_system(tmp_path: Path) -> None:
    inception_export(tmp_path / "export")
    (tmp_path / "export" / "TypeSystem.xml").unlink()
    with pytest.raises(ImportRefused, match="no TypeSystem.xml"):
        XMI.read([tmp_path / "export"], ReadOptions())
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ImportRefused, match=r"broken\.json: not a readable UIMA CAS"):
        JSON.read([tmp_path / "broken.json"], ReadOptions())


def test_control_characters_go_to_json_not_xmi(store: Store, tmp_path: Path) -> None:
    text = "Page one.\x0cPage two 👍🏽."
    store.import_batch([TextFile(Path("pages.txt"), "Pages", text)], [])
    [doc] = store.documents("ana")
    store.add_annotation(doc.id, "ana", "Place", *at(text, "two"))
    with pytest.raises(SpanwiseError, match="U\\+000C at offset 9.*uima-json"):
        XMI.write(store.export_documents(), store.schema(), tmp_path / "x", WriteOptions())
    JSON.write(store.export_documents(), store.schema(), tmp_path / "j", WriteOptions())
    batch = JSON.read([tmp_path / "j"], ReadOptions())
    [record] = batch.documents[0].annotations
    assert batch.documents[0].document.text[record.start : record.end] == "two"


def test_control_character_in_a_note_is_refused_in_one_line(store: Store, tmp_path: Path) -> None:
    text = "Ana said hello."
    store.import_batch([TextFile(Path("n.txt"), "Notes", text)], [])
    [doc] = store.documents("ana")
    store.add_annotation(doc.id, "ana", "Place", *at(text, "Ana"), note="bell\x07 here")
    with pytest.raises(SpanwiseError, match="control character: export as uima-json"):
        XMI.write(store.export_documents(), store.schema(), tmp_path / "x", WriteOptions())
    assert not (tmp_path / "x").exists()


def test_registered() -> None:
    assert FORMATS["uima-xmi"].can_export and FORMATS["uima-json"].can_import


def test_chain_that_leads_back_to_itself_ends_there(store: Store, tmp_path: Path) -> None:
    """A hostile export whose last chain link points at the first must not loop or list a
    mention twice: the chain is read once round."""
    inception_export(tmp_path / "export")
    xmi_path = tmp_path / "export" / "admin.xmi"
    ts = load_typesystem((tmp_path / "export" / "TypeSystem.xml").read_text(encoding="utf-8"))
    cas = load_cas_from_xmi(xmi_path.read_text(encoding="utf-8"), typesystem=ts)
    [chain] = cas.select("webanno.custom.CorefChain")
    chain.first.next.next = chain.first
    xmi_path.write_text(cas.to_xmi(), encoding="utf-8")
    import_into(store, XMI.read([tmp_path / "export"], ReadOptions()))
    [item] = store.export_documents()
    [entity] = item.entities
    assert len(entity.mentions) == 2
