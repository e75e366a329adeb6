"""Odd and hostile article files: each one either imports with its text exactly as it was and
offsets that point at the right characters, or is refused in one line that names the file.
A refused file in a batch means nothing of the batch is imported."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import pytest

from db.errors import ImportRefused
from db.files.text_files import MAX_TEXT_BYTES
from db.formats.spanwise_json import export_json
from db.store import Store
from tests.db.conftest import OpenStore
from tests.robust.helpers import TRICKY_TEXT, dump

# Every kind of character whose length differs between code points, UTF-16 and UTF-8, or that
# editors treat specially: astral, combining, RTL, joiners, spaces, separators, non-characters.
UNICODE_ZOO = (
    TRICKY_TEXT
    + "Astral: 😀 🇫🇷 𝄞 𠀋 🏳️‍🌈 👍🏽; combining: a\u0300\u0316 Å ñ 한국어 각\n"
    + "RTL: עברית العربية \u202eoverride\u202c \u200fmark\u200e; joiners: \u200c\u200d \u2060\n"
    + "Spaces: \u00a0\u2007\u202f\u3000|\u2028|\u2029|\x85|\x0b|\x0c|; BOM in text: \ufeff.\n"
    + "Non-characters \ufffe \uffff \U0001fffe, private \ue000 \U000f0000, replacement \ufffd.\n"
    + "Variation: ☺\ufe0f ☺\ufe0e 1\ufe0f\u20e3; ligatures ﬁ ﬂ; fullwidth ＡＢＣ; "
    + "math 𝐀𝐁; Devanagari नमस्ते; Thai สวัสดี\n"
)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _imported(store: Store, path: Path) -> str:
    """Import one file; returns the new document's id."""
    before = {d.id for d in store.documents("ana")}
    assert store.import_texts([path]).documents_new == 1
    [doc_id] = {d.id for d in store.documents("ana")} - before
    return doc_id


def _annotate_and_check(store: Store, doc_id: str, limit: int = 300) -> int:
    """Label words all over the text, export, and check every exported span against the text
    (code points, end exclusive). Returns how many were checked."""
    text = store.document(doc_id).text
    words = list(re.finditer(r"\S+", text))
    step = max(1, len(words) // limit)
    chosen = list({m.start(): m for m in words[::step][:limit] + words[-1:]}.values())
    for match in chosen:
        store.add_annotation(doc_id, "ana", "Quote", match.start(), match.end())
    [exported] = export_json(store, "ana", doc_id)["documents"]
    assert exported["text"] == text
    for item in exported["annotations"]:
        assert text[item["start"] : item["end"]] == item["text"]
    found = {item["text"] for item in exported["annotations"]}
    assert found == {m.group() for m in chosen}
    return len(exported["annotations"])


def _refused(store: Store, path: Path, *fragments: str) -> str:
    before = dump(store.path)
    with pytest.raises(ImportRefused) as refused:
        store.import_texts([path])
    message = str(refused.value)
    assert str(path) in message and "\n" not in message
    for fragment in fragments:
        assert fragment in message
    assert dump(store.path) == before
    return message


# -- refused -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"Hello \xff world\n", "not valid UTF-8 at byte 6"),
        (codecs.BOM_UTF8 + b"Caf\xe9 au lait\n", "not valid UTF-8 at byte 6"),
        (b"Overlong slash \xc0\xaf here\n", "not valid UTF-8 at byte 15"),
        (b"Surrogate \xed\xa0\x80 in CESU-8\n", "not valid UTF-8 at byte 10"),
        (b"Truncated at the end \xe2\x82", "not valid UTF-8 at byte 21"),
        ("Latin-1 café".encode("latin-1"), "--encoding"),
    ],
    ids=["stray-byte", "after-bom", "overlong", "surrogate", "truncated", "latin-1"],
)
def test_invalid_utf8_is_refused_with_the_byte_offset(
    store: Store, tmp_path: Path, data: bytes, expected: str
) -> None:
    _refused(store, _write(tmp_path / "bad.txt", data), expected)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_refused_with_the_encoding_to_use(
    store: Store, tmp_path: Path, encoding: str
) -> None:
    path = _write(tmp_path / "utf16.txt", "The minister said: “no”.\n".encode(encoding))
    _refused(store, path, "UTF-16 without a BOM", f"--encoding {encoding}")


def test_utf16_without_bom_imports_exactly_when_the_encoding_is_named(
    store: Store, tmp_path: Path
) -> None:
    path = _write(tmp_path / "utf16.txt", UNICODE_ZOO.encode("utf-16-le"))
    store.import_texts([path], encoding="utf-16-le")
    [doc] = store.documents("ana")
    assert store.document(doc.id).text == UNICODE_ZOO
    assert _annotate_and_check(store, doc.id) > 50


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"Some text\x00with a NUL\n", "NUL"),
        (b"\x00" * 100, "NUL"),
        (b"\x7fELF\x02\x01\x01" + bytes(range(1, 32)) * 4, "binary"),
        (b"", "empty"),
        (b" \r\n\t \n", "only white space"),
        (codecs.BOM_UTF8, "only white space"),
    ],
    ids=["nul-inside", "all-nul", "elf", "zero-bytes", "white-space", "bom-only"],
)
def test_binary_empty_and_blank_files_are_refused(
    store: Store, tmp_path: Path, data: bytes, expected: str
) -> None:
    _refused(store, _write(tmp_path / "odd.txt", data), expected)


def test_a_200_mb_file_is_refused_by_its_size_without_being_read(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: no disk, no time

    def no_reading(self: Path) -> bytes:
        raise AssertionError(f"{self} was read")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    _refused(store, path, "200.0 MB", f"limit is {MAX_TEXT_BYTES // 1048576} MB")


def test_one_bad_file_in_a_batch_imports_nothing(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    for index in range(20):
        _write(folder / f"good-{index:02d}.txt", f"Article {index}\n".encode())
    _write(folder / "good-10-bad.txt", b"bad \xff byte\n")
    _refused(store, folder, "good-10-bad.txt", "byte 4")
    assert store.document_count() == 0


def test_a_file_name_with_a_line_break_still_gives_one_line(store: Store, tmp_path: Path) -> None:
    path = _write(tmp_path / "two\nlines.txt", b"\xff")
    with pytest.raises(ImportRefused) as refused:
        store.import_texts([path])
    assert "\n" not in str(refused.value)
    assert "lines.txt" in str(refused.value)


# -- imported exactly --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8"),
        lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
        lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom"],
)
def test_every_unicode_category_imports_with_exact_offsets(
    store: Store, tmp_path: Path, encode: object
) -> None:
    assert callable(encode)
    doc_id = _imported(store, _write(tmp_path / "zoo.txt", encode(UNICODE_ZOO)))
    assert store.document(doc_id).text == UNICODE_ZOO
    assert _annotate_and_check(store, doc_id) > 50


def test_mixed_line_breaks_are_kept_and_offsets_after_each_are_exact(
    store: Store, tmp_path: Path
) -> None:
    text = "CRLF line\r\nLF line\nCR line\rCRLF again\r\n\r\nLF\n\rafter LF-CR\r\r\nend"
    doc_id = _imported(store, _write(tmp_path / "breaks.txt", text.encode()))
    assert store.document(doc_id).text == text
    assert _annotate_and_check(store, doc_id) == len(text.split())


def test_a_file_that_is_one_5_mb_line_imports_with_exact_offsets(
    open_store: OpenStore, tmp_path: Path
) -> None:
    store = open_store()
    words = [f"w{index}é🙂" for index in range(600_000)]
    text = " ".join(words)
    assert len(text.encode()) > 5 * 1024 * 1024 and "\n" not in text
    doc_id = _imported(store, _write(tmp_path / "one-line.txt", text.encode()))
    document = store.document(doc_id)
    assert document.text == text
    assert len(document.title) <= 120
    start = text.rindex(" ") + 1
    record = store.add_annotation(doc_id, "ana", "Quote", start, len(text))
    [exported] = export_json(store, "ana", doc_id)["documents"]
    assert exported["annotations"][0]["text"] == words[-1]
    assert (record.start, record.end) == (start, len(text))


def test_100_000_tiny_lines_import_with_exact_offsets(store: Store, tmp_path: Path) -> None:
    text = "".join(f"{index}\r\n" if index % 3 else f"{index}\n" for index in range(100_000))
    doc_id = _imported(store, _write(tmp_path / "lines.txt", text.encode()))
    assert store.document(doc_id).text == text
    assert _annotate_and_check(store, doc_id, limit=200) > 150
    start = text.index("\n50000\r\n") + 1
    store.add_annotation(doc_id, "ana", "Speaker", start, start + 5)
    spans = [a for a in store.annotations(doc_id) if a.label == "Speaker"]
    assert [text[a.start : a.end] for a in spans] == ["50000"]
