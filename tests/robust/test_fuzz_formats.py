"""Fuzzing every import format, not only Spanwise JSON: valid files of each format (written by
Spanwise, or generated like INCEpTION's WebAnno TSV) are mutated at random, in their bytes,
their lines, their numbers, their words and (for JSON) their structure, and imported the way
`spanwise import --format F` imports them. Each input is imported or refused with a
SpanwiseError; nothing else may escape, a refusal leaves the database untouched, and the
database stays sound and exportable.

`make test` tries a few dozen inputs a format, `make fuzz` 2,000 (SPANWISE_FUZZ_FORMAT_INPUTS);
SPANWISE_FUZZ_SEED replays a run. BIO, spaCy and W3C are written but never read by Spanwise,
so they are no import surface.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from db.changes import Change, added
from db.errors import SpanwiseError
from db.formats import OffsetUnit, ReadOptions, WriteOptions
from db.formats.batch_import import import_paths
from db.formats.detect import load_formats
from db.import_consent import TRUSTED
from db.records import EntityData, RelationData, new_annotation
from db.store import Store
from tests.bench.import_memory import webanno_tsv
from tests.robust.helpers import TRICKY_TEXT
from tests.robust.test_fuzz_json import (
    INTS,
    STRINGS,
    Importer,
    _mutate_bytes,
    _mutate_structure,
)

INPUTS = int(os.environ.get("SPANWISE_FUZZ_FORMAT_INPUTS", "40"))
SEED = int(os.environ.get("SPANWISE_FUZZ_SEED", str(random.SystemRandom().randrange(10**6))))
FORMATS = (
    "brat",
    "parc-brat",
    "uima-xmi",
    "uima-json",
    "webanno-tsv",
    "doccano",
    "label-studio",
    "text",
)
NUMBER = re.compile(rb"-?\d+")
WORD = re.compile(rb"[A-Za-z_][A-Za-z0-9_.:-]*")
ODD_BYTES = [
    b"", b"\x00", b"\xff\xfe", b"\xed\xa0\x80", b"\t", b"\r\n", b"\n", b"<", b"&amp;", b"]]>",
    b'"', b"'", b"\\", b"[", b"{", b"}", b"\xe2\x80\xae", b"\xf0\x9f\x87\xba", b"A" * 5000,
    b"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>", b"&e;", b"#Text=", b"T1",
    b"E1", b"R1", b"*", b"#", b"Arg1:T1", b"Quote:T1",
]  # fmt: skip


def _store_with_everything(path: Path) -> Store:
    """Two documents (one with every awkward character), two annotators, every kind of
    record: spans, a discontinuous one, attributes, notes, links, an entity."""
    store = Store(path)
    folder = path.parent / "texts"
    folder.mkdir()
    (folder / "tricky.txt").write_text(TRICKY_TEXT, encoding="utf-8", newline="")
    (folder / "plain.txt").write_text(
        "Ana said the vote was close. Ben told reporters: “We won.”\n" * 3, encoding="utf-8"
    )
    store.import_texts([folder])
    rng = random.Random(7)
    for document in store.documents("ana"):
        text = store.document(document.id).text
        for who in ("ana", "ben"):
            records = []
            for index in range(8):
                start = rng.randrange(0, len(text) - 12)
                end = start + rng.randrange(1, 10)
                label = ["Quote", "Speaker", "Cue", "Event", "Participant"][index % 5]
                attributes = {"kind": "direct"} if label == "Quote" else {}
                fragments = (
                    ((start, start + 1), (end - 1, end)) if index == 5 and end - start > 2 else ()
                )
                records.append(
                    new_annotation(document.id, who, label, start, end, attributes,
                                   "a note" if index % 3 == 0 else None, fragments)
                )  # fmt: skip
            for record in records:
                store.put_annotation(record)
            quote, speaker, cue = records[0], records[1], records[2]
            key = f"{who}-{document.id}"
            links = (
                RelationData(f"{key}-s", document.id, who, "speaker", quote.id, speaker.id),
                RelationData(f"{key}-c", document.id, who, "cue", quote.id, cue.id),
            )
            entity = EntityData(
                f"{who}-{document.id}-e", document.id, who, "Someone", "person",
                (speaker.id, records[6].id),
            )  # fmt: skip
            store.apply(Change("links", (), tuple(map(added, links)), (added(entity),)))
    return store


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One valid file or folder per format."""
    work = tmp_path_factory.mktemp("seeds")
    store = _store_with_everything(work / "source.db")
    formats = load_formats()
    found: dict[str, Path] = {}
    targets = {
        "brat": "brat",
        "parc-brat": "parc",
        "uima-xmi": "xmi",
        "uima-json": "casjson",
        "doccano": "doccano.jsonl",
        "label-studio": "studio.json",
    }
    documents = store.export_documents()
    for name, target in targets.items():
        formats[name].write(documents, store.schema(), work / target, WriteOptions())
        found[name] = work / target
    found["webanno-tsv"] = work / "tsv"
    webanno_tsv([d for d in store.export_documents("ana")], found["webanno-tsv"])
    found["text"] = work / "texts"
    store.close()
    return found


def _files(seed: Path) -> list[Path]:
    if seed.is_file():
        return [seed]
    return sorted(p for p in seed.rglob("*") if p.is_file() and not p.name.startswith("."))


def _mutate_lines(raw: bytes, rng: random.Random) -> bytes:
    lines = raw.split(b"\n")
    for _ in range(rng.choice([1, 1, 2, 3])):
        if not lines:
            break
        index = rng.randrange(len(lines))
        action = rng.randrange(6)
        if action == 0:
            del lines[index]
        elif action == 1:
            lines.insert(index, lines[rng.randrange(len(lines))])
        elif action == 2:
            other = rng.randrange(len(lines))
            lines[index], lines[other] = lines[other], lines[index]
        elif action == 3:
            lines[index] = lines[index].replace(b"\t", b" ", 1)
        elif action == 4:
            cut = rng.randrange(len(lines[index]) + 1)
            lines[index] = lines[index][:cut]
        else:
            cut = rng.randrange(len(lines[index]) + 1)
            lines[index] = lines[index][:cut] + rng.choice(ODD_BYTES) + lines[index][cut:]
    return b"\n".join(lines)


def _mutate_tokens(
    raw: bytes, pattern: re.Pattern[bytes], make: Callable[[], bytes], rng: random.Random
) -> bytes:
    found = list(pattern.finditer(raw))
    if not found:
        return raw
    for match in rng.sample(found, min(len(found), rng.choice([1, 1, 2, 4]))):
        raw = raw[: match.start()] + make() + raw[match.end() :] if len(raw) >= match.end() else raw
    return raw


def _mutate_json(raw: bytes, rng: random.Random) -> bytes:
    lines = raw.split(b"\n")
    try:
        if raw.lstrip().startswith(b"[") or raw.lstrip().startswith(b"{") and b"\n{" not in raw:
            data = json.loads(raw)
            wrapped = {"x": data}
            _mutate_structure(wrapped, rng)
            return json.dumps(wrapped.get("x"), ensure_ascii=rng.random() < 0.5).encode(
                "utf-8", "surrogatepass"
            )
        index = rng.randrange(len(lines))
        if not lines[index].strip():
            return raw
        wrapped = {"x": json.loads(lines[index])}
        _mutate_structure(wrapped, rng)
        lines[index] = json.dumps(wrapped.get("x")).encode("utf-8", "surrogatepass")
        return b"\n".join(lines)
    except (ValueError, RecursionError, IndexError):  # not JSON, or nothing left to mutate
        return raw


def mutate(raw: bytes, path: Path, rng: random.Random) -> bytes:
    """One mutated version of a file's bytes."""
    kind = rng.random()
    if path.suffix in (".json", ".jsonl") and kind < 0.35:
        return _mutate_json(raw, rng)
    if kind < 0.55:
        return _mutate_tokens(
            raw, NUMBER, lambda: str(rng.choice(INTS) + rng.randrange(-2, 3)).encode(), rng
        )
    if kind < 0.7:
        strings = [s.encode("utf-8", "surrogatepass") for s in STRINGS] + ODD_BYTES
        return _mutate_tokens(raw, WORD, lambda: rng.choice(strings), rng)
    if kind < 0.88:
        return _mutate_lines(raw, rng)
    return _mutate_bytes(raw, rng)


def generate(fmt: str, seed: Path, index: int, work: Path) -> Path:
    """Input `index` of the run: a copy of the seed with one or two of its files mutated."""
    rng = random.Random(f"{SEED}-{fmt}-{index}")
    target = work / f"{fmt}-{index}"
    if seed.is_file():
        target.mkdir()
        target = target / seed.name
        shutil.copyfile(seed, target)
    else:
        shutil.copytree(seed, target)
    files = _files(target)
    main = [f for f in files if f.suffix in (".ann", ".xmi", ".json", ".tsv", ".jsonl", ".txt")]
    for path in sorted({rng.choice(main or files) for _ in range(rng.choice([1, 1, 1, 2]))}):
        path.write_bytes(mutate(path.read_bytes(), path, rng))
    if rng.random() < 0.05 and len(files) > 1:  # a file of the set missing
        rng.choice(files).unlink()
    return target


class FormatImporter(Importer):
    """`spanwise import --format F --add-labels --allow-protected-names [--replace]
    [--offsets U]`, watched as test_fuzz_json's importer is (PRAGMA data_version)."""

    def run_files(self, fmt: str, path: Path, replace: bool, offsets: OffsetUnit | None) -> None:
        before = self.data_version()
        try:
            import_paths(
                self.store,
                [path],
                replace=replace,
                fmt=None if fmt == "text" else fmt,
                options=ReadOptions(offsets=offsets),
                consent=TRUSTED,
            )
        except SpanwiseError:
            self.outcomes["refused"] += 1
            assert self.data_version() == before, "a refused import changed the database"
            return
        self.outcomes["imported"] += 1


@pytest.fixture
def importer(tmp_path: Path) -> Iterator[FormatImporter]:
    running = FormatImporter(tmp_path / "fuzz.db")
    yield running
    running.close()


@pytest.mark.parametrize("fmt", FORMATS)
def test_mutated_files_of_every_format_are_imported_or_refused_cleanly(
    fmt: str, seeds: dict[str, Path], importer: FormatImporter, tmp_path: Path
) -> None:
    failures: list[str] = []
    work = tmp_path / "inputs"
    work.mkdir()
    importer.run_files(fmt, seeds[fmt], False, "codepoints")  # the seed itself goes in whole
    assert importer.outcomes["imported"] == 1, f"{fmt}: the valid seed was refused"
    for index in range(INPUTS):
        path = generate(fmt, seeds[fmt], index, work)
        try:
            # as `--offsets codepoints` half the time (the seeds' unit), else detected
            importer.run_files(fmt, path, index % 3 == 2, "codepoints" if index % 2 else None)
        except Exception:  # anything but a SpanwiseError is a bug: collect them all
            failures.append(f"{fmt} input {index} of seed {SEED}: {traceback.format_exc(limit=-4)}")
        shutil.rmtree(path.parent if path.is_file() else path, ignore_errors=True)
        if index % 250 == 249:
            importer.check_sound()
    importer.check_sound()
    print(
        f"fuzz {fmt} (seed {SEED}): {INPUTS} inputs, {importer.outcomes['imported'] - 1} "
        f"imported, {importer.outcomes['refused']} refused, {len(failures)} unhandled"
    )
    assert not failures, "\n".join(failures[:5])
    assert importer.outcomes["refused"] > 0
