"""Importing article files: exact text, strict decoding, clear all-or-nothing refusals."""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

import pytest

from db.errors import ImportRefused
from db.files.text_files import MAX_TEXT_BYTES
from db.store import Store
from tests.db.conftest import OpenStore

ARTICLE = (
    "Zelensky: “Russia burns the faces” 😀🇺🇦\r\n"
    "\r\n"
    "He said the café\u0301 was closed\u00a0today.\tשלום عربي\r\n"
    "Lone CR here\rand a line separator\u2028there.\n"
    "Decomposed e\u0301 stays decomposed; composed é stays composed.\r\n"
)


def _only_document(store: Store) -> str:
    [doc] = store.documents("alice")
    return doc.id


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# -- exact import ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        ARTICLE.encode("utf-8"),
        codecs.BOM_UTF8 + ARTICLE.encode("utf-8"),
        codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom"],
)
def test_text_is_stored_exactly(
    open_store: OpenStore, store: Store, tmp_path: Path, data: bytes
) -> None:
    path = _write(tmp_path, "article.txt", data)
    summary = store.import_texts([path])
    assert (summary.documents_new, summary.documents_matched) == (1, 0)
    store.close()

    again = open_store()
    document = again.document(_only_document(again))
    assert document.text == ARTICLE  # CRLF, CR, NFD and NBSP all kept; BOM gone
    assert document.text.encode("utf-8") == ARTICLE.encode("utf-8")
    assert document.sha256 == hashlib.sha256(ARTICLE.encode("utf-8")).hexdigest()
    assert document.title == "Zelensky: “Russia burns the faces” 😀🇺🇦"
    assert document.source == "article.txt"


def test_explicit_encoding(store: Store, tmp_path: Path) -> None:
    text = "Le président a déclaré: «Ça suffit», à Genève.\r\n"
    path = _write(tmp_path, "latin.txt", text.encode("latin-1"))
    with pytest.raises(ImportRefused, match="--encoding"):
        store.import_texts([path])
    assert store.document_count() == 0
    store.import_texts([path], encoding="latin-1")
    assert store.document(_only_document(store)).text == text


def test_invalid_bytes_in_explicit_encoding_are_refused(store: Store, tmp_path: Path) -> None:
    path = _write(tmp_path, "cp.txt", b"ok \x81 not ok")  # 0x81 is undefined in cp1252
    with pytest.raises(ImportRefused) as refused:
        store.import_texts([path], encoding="cp1252")
    assert str(path) in str(refused.value)
    assert "at byte 3" in str(refused.value)
    assert store.document_count() == 0


def test_markdown_title_drops_the_heading_marks(store: Store, tmp_path: Path) -> None:
    path = _write(tmp_path, "story.md", b"\n\n## Troops moved   \nBody text.\n")
    store.import_texts([path])
    assert store.documents("alice")[0].title == "Troops moved"


def test_long_first_line_gives_a_shortened_title(store: Store, tmp_path: Path) -> None:
    path = _write(tmp_path, "long.txt", ("word " * 100).encode())
    store.import_texts([path])
    title = store.documents("alice")[0].title
    assert len(title) == 120
    assert title.endswith("…")


# -- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "fragments"),
    [
        ("bad.txt", b"Good start \xff\xfe then junk", ["not valid UTF-8 at byte 11"]),
        ("bad-bom.txt", codecs.BOM_UTF8 + b"ab\xc3(", ["not valid UTF-8 at byte 5"]),
        ("truncated.txt", "naïve".encode()[:3], ["not valid UTF-8 at byte 2"]),
        (
            "utf16-no-bom.txt",
            "Hello \udcff".encode("utf-16-le", "surrogatepass"),
            ["not valid UTF-8", "UTF-16 without a BOM"],
        ),
        ("odd-utf16.txt", codecs.BOM_UTF16_LE + b"a\x00b", ["not valid UTF-16"]),
        ("empty.txt", b"", ["the file is empty"]),
        ("blank.txt", b" \r\n\t\n  \r\n", ["only white space"]),
        ("nul.txt", b"Some text\x00with a NUL", ["looks binary", "offset 9"]),
        ("controls.bin.txt", bytes(range(1, 32)) * 3, ["looks binary"]),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_bad_file_is_refused_naming_it(
    store: Store, tmp_path: Path, name: str, data: bytes, fragments: list[str]
) -> None:
    path = _write(tmp_path, name, data)
    with pytest.raises(ImportRefused) as refused:
        store.import_texts([path])
    message = str(refused.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message
    assert "\n" not in message
    assert store.document_count() == 0


def test_file_over_20_mb_is_refused_without_reading_it(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(MAX_TEXT_BYTES + 1)  # sparse: costs no disk or time
    with pytest.raises(ImportRefused) as refused:
        store.import_texts([path])
    assert str(path) in str(refused.value)
    assert "20 MB" in str(refused.value)
    assert store.document_count() == 0


def test_unknown_encoding_is_refused(store: Store, tmp_path: Path) -> None:
    path = _write(tmp_path, "a.txt", b"hello")
    with pytest.raises(ImportRefused, match="unknown encoding 'klingon'"):
        store.import_texts([path], encoding="klingon")
    assert store.document_count() == 0


def test_missing_file_is_refused(store: Store, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    with pytest.raises(ImportRefused, match="no such file or folder") as refused:
        store.import_texts([missing])
    assert str(missing) in str(refused.value)


def test_batch_with_one_bad_file_changes_nothing(
    open_store: OpenStore, store: Store, tmp_path: Path
) -> None:
    first = _write(tmp_path, "first.txt", b"Already here.\n")
    store.import_texts([first])
    good = [_write(tmp_path, f"good{i}.txt", f"Article {i}\n".encode()) for i in range(3)]
    bad = _write(tmp_path, "bad.txt", b"broken \xff")
    with pytest.raises(ImportRefused, match="bad.txt"):
        store.import_texts([*good[:2], bad, good[2]])
    assert store.document_count() == 1
    store.close()
    assert [doc.source for doc in open_store().documents("alice")] == ["first.txt"]


def test_empty_folder_is_refused(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    _write(folder, "notes.json", b"{}")
    with pytest.raises(ImportRefused, match=r"no \.txt or \.md files"):
        store.import_texts([folder])


# -- duplicates and folders --------------------------------------------------------------------


def test_same_text_is_not_duplicated(store: Store, tmp_path: Path) -> None:
    one = _write(tmp_path, "one.txt", ARTICLE.encode("utf-8"))
    copy = _write(tmp_path, "copy.txt", codecs.BOM_UTF8 + ARTICLE.encode("utf-8"))
    summary = store.import_texts([one, copy])
    assert (summary.documents_new, summary.documents_matched) == (1, 1)
    assert any("copy.txt" in m and "already" in m for m in summary.messages)
    again = store.import_texts([one])
    assert (again.documents_new, again.documents_matched) == (0, 1)
    assert store.document_count() == 1


def test_text_differing_only_in_line_endings_is_a_different_document(
    store: Store, tmp_path: Path
) -> None:
    crlf = _write(tmp_path, "crlf.txt", b"Line one\r\nLine two\r\n")
    lf = _write(tmp_path, "lf.txt", b"Line one\nLine two\n")
    assert store.import_texts([crlf, lf]).documents_new == 2


def test_folder_import_is_recursive_and_takes_txt_and_md(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    _write(folder, "b.txt", b"Article B\n")
    _write(folder, "a.md", b"# Article A\n")
    _write(folder, "sub/c.TXT", b"Article C\n")
    _write(folder, "sub/deeper/d.md", b"Article D\n")
    _write(folder, "sub/skip.json", b'{"not": "an article"}')
    _write(folder, "skip.csv", b"a,b\n")
    _write(folder, "skip.txt.bak", b"old\n")
    progress: list[tuple[int, int]] = []
    summary = store.import_texts([folder], progress=lambda a, b: progress.append((a, b)))
    assert summary.documents_new == 4
    titles = [doc.title for doc in store.documents("alice")]
    assert titles == ["Article A", "Article B", "Article C", "Article D"]
    assert progress and progress[-1][0] == progress[-1][1]  # reported through to the end


def test_imported_text_is_hashed_as_utf8(store: Store, tmp_path: Path) -> None:
    path = _write(tmp_path, "x.txt", codecs.BOM_UTF16_BE + "Ünïcode 😀".encode("utf-16-be"))
    store.import_texts([path])
    document = store.document(_only_document(store))
    assert document.sha256 == hashlib.sha256("Ünïcode 😀".encode()).hexdigest()
    assert document.id == document.sha256[:16]
