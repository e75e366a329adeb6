"""brat documents whose names hold dots, as real corpora name them (`esp.train-doc-100.txt`).

`with_suffix("")` and back turned `esp.train-doc-100.ann` into `esp.ann` ("no esp.txt beside
it"), so such a folder could not be imported, not even the one Spanwise had just exported.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from db.errors import ImportRefused
from db.files.text_files import TextFile, split_source, title_for
from db.formats import ReadOptions, WriteOptions
from db.formats.batch_import import import_paths
from db.formats.brat import BratFormat
from db.formats.detect import load_formats
from db.store import Store
from tests.db.conftest import OpenStore
from tests.db.formats import SAMPLE, content, fill_sample, import_into, shared

BRAT = BratFormat()
TEXT = "Ana said the bridge would reopen.\n"
ANN = "T1\tSpeaker 0 3\tAna\nT2\tCue 4 8\tsaid\n"


def dotted_folder(folder: Path, *stems: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for stem in stems:
        (folder / f"{stem}.txt").write_text(TEXT, "utf-8")
        (folder / f"{stem}.ann").write_text(ANN, "utf-8")
    return folder


def test_a_folder_of_dotted_names_imports(store: Store, tmp_path: Path) -> None:
    folder = dotted_folder(tmp_path / "corpus", "esp.train-doc-100", "esp.train-doc-101")
    (folder / "esp.train-doc-101.txt").write_text("Ben said no.\n", "utf-8")
    (folder / "esp.train-doc-101.ann").write_text("T1\tSpeaker 0 3\tBen\n", "utf-8")
    summary = import_paths(store, [folder])
    assert summary.documents_new == 2
    sources = sorted(d.source for d in store.documents("brat"))
    assert sources == ["esp.train-doc-100.txt", "esp.train-doc-101.txt"]


@pytest.mark.parametrize("name", ["esp.train-doc-100.ann", "esp.train-doc-100.txt"])
def test_dotted_files_named_one_by_one_import(store: Store, tmp_path: Path, name: str) -> None:
    folder = dotted_folder(tmp_path / "corpus", "esp.train-doc-100")
    assert import_paths(store, [folder / name], fmt="brat").annotations_added == 2


def test_a_missing_txt_is_named_whole(tmp_path: Path) -> None:
    folder = dotted_folder(tmp_path / "corpus", "esp.train-doc-100")
    (folder / "esp.train-doc-100.txt").unlink()
    with pytest.raises(ImportRefused, match=r"no esp\.train-doc-100\.txt beside it"):
        BRAT.read([folder], ReadOptions())


def test_spanwise_reimports_its_own_brat_export_of_dotted_names(
    open_store: OpenStore, tmp_path: Path
) -> None:
    source = open_store(tmp_path / "source.db")
    fill_sample(source)
    for name in ("esp.train-doc-100.txt", "esp.dev-doc-7"):  # the second without an extension
        text = SAMPLE.replace("Tuesday", name)
        source.import_batch([TextFile(Path(name), title_for(Path(name), text), text)], [])
    out = tmp_path / "out"
    BRAT.write(source.export_documents(), source.schema(), out, WriteOptions())
    written = sorted(p.name for p in out.glob("*.txt"))
    assert written == ["esp.dev-doc-7.txt", "esp.train-doc-100.txt", "sample.txt"]
    target = open_store(tmp_path / "target.db")
    import_into(target, BRAT.read([out], ReadOptions(annotator="ana")))
    assert content(target.export_documents()) == content(source.export_documents())


def test_uima_folders_keep_dotted_names(open_store: OpenStore, tmp_path: Path) -> None:
    store = open_store(tmp_path / "source.db")
    for name in ("esp.train-doc-100.txt", "esp.dev-doc-7"):
        store.import_batch([TextFile(Path(name), "t", f"{name} text")], [])
    out = tmp_path / "out"  # an export folder is new, empty or an earlier export
    load_formats()["uima-xmi"].write(store.export_documents(), store.schema(), out, WriteOptions())
    folders = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert folders == ["esp.dev-doc-7", "esp.train-doc-100.txt"]


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("esp.train-doc-100.txt", ("esp.train-doc-100", ".txt")),
        ("esp.train-doc-100", ("esp.train-doc-100", "")),
        ("GUM_news_iodine.webanno.tsv", ("GUM_news_iodine.webanno", ".tsv")),
        ("notes.TXT", ("notes", ".TXT")),
        ("page.html", ("page.html", "")),
    ],
)
def test_split_source_takes_off_only_a_file_extension(name: str, parts: tuple[str, str]) -> None:
    assert split_source(name) == parts


@pytest.mark.parametrize("corpus", ["brat-tutorial-news", "commodity-news-events"])
def test_real_corpora_under_dotted_names_import_and_round_trip(
    open_store: OpenStore, tmp_path: Path, corpus: str
) -> None:
    """The published corpora, each document renamed `esp.train-doc-<name>` as dotted corpora
    name them: the same documents and annotations as under their own names, and Spanwise
    re-imports its brat export of them."""
    original = shared(corpus)
    renamed = tmp_path / corpus
    renamed.mkdir()
    for path in original.iterdir():
        name = path.name
        if path.suffix in (".txt", ".ann"):
            name = f"esp.train-doc-{path.name}"
        shutil.copyfile(path, renamed / name)
    plain, dotted = open_store(tmp_path / "plain.db"), open_store(tmp_path / "dotted.db")
    import_into(plain, BRAT.read([original], ReadOptions()))
    import_into(dotted, BRAT.read([renamed], ReadOptions()))
    assert content(dotted.export_documents()) == content(plain.export_documents())
    assert all(d.source.startswith("esp.train-doc-") for d in dotted.documents("brat"))

    out = tmp_path / "export"
    BRAT.write(dotted.export_documents(), dotted.schema(), out, WriteOptions())
    again = open_store(tmp_path / "again.db")
    import_into(again, BRAT.read([out], ReadOptions()))
    assert content(again.export_documents()) == content(plain.export_documents())
