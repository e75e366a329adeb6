"""Fuzzing the Spanwise JSON import: valid exports mutated at random (in their structure and in
their bytes) go through the same steps as File > Import annotations. Each one is imported or
refused with a SpanwiseError; nothing else may escape, a refusal changes nothing, and the
database stays sound and exportable.

`make test` tries 300 inputs, `make fuzz` 10,000 (SPANWISE_FUZZ_INPUTS); SPANWISE_FUZZ_SEED
replays a run.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import os
import random
import sqlite3
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.errors import SpanwiseError
from db.formats.spanwise_json import (
    FORMAT,
    export_json,
    parse_export,
    parse_export_bytes,
    write_export,
)
from db.store import Store
from tests.robust.helpers import TRICKY_TEXT, document_json, integrity, news_export

INPUTS = int(os.environ.get("SPANWISE_FUZZ_INPUTS", "300"))
SEED = int(os.environ.get("SPANWISE_FUZZ_SEED", str(random.SystemRandom().randrange(10**6))))

STRINGS = [
    "",
    " ",
    "ana",
    "Quote",
    "Speaker",
    "speaker",
    "person",
    "done",
    "direct",
    "\ud800",
    "a\udfffb",
    "🙂",
    "e\u0301",
    "\r\n",
    "\x00",
    "x" * 300,
    "#ffffff",
    "0" * 64,
]
INTS = [0, 1, -1, 2, 3, 7, 50, 175, 176, 177, 10**9, -(10**9), 2**63, 10**40]


def _seeds() -> list[dict[str, Any]]:
    rng = random.Random(11)
    tricky = document_json(TRICKY_TEXT, "Tricky", rng, 10)
    tricky["annotations"][0]["fragments"] = [
        [tricky["annotations"][0]["start"], tricky["annotations"][0]["start"] + 1],
        [tricky["annotations"][0]["end"] - 1, tricky["annotations"][0]["end"]],
    ]
    if tricky["annotations"][0]["end"] - tricky["annotations"][0]["start"] < 3:
        del tricky["annotations"][0]["fragments"]
    plain = document_json("Plain words in a row.\n" * 8, "Plain", rng, 6, annotator="ben")
    return [
        news_export([tricky]),
        news_export([plain, document_json("Other text 😀\r\n" * 4, "Other", rng, 3)]),
        news_export([document_json("Tiny.", "Tiny", rng, 1)]),
    ]


SEEDS = _seeds()


def _nodes(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _nodes(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nodes(item, (*path, index))


def _random_value(rng: random.Random, donors: list[Any]) -> Any:
    kind = rng.randrange(9)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False])
    if kind == 2:
        return rng.choice(INTS) + rng.randrange(-2, 3)
    if kind == 3:
        return rng.choice([0.5, -0.0, 1e308, 3.0])
    if kind == 4:
        return rng.choice(STRINGS)
    if kind == 5:
        return []
    if kind == 6:
        return {}
    return copy.deepcopy(rng.choice(donors))  # a value from elsewhere in the file (ids...)


def _mutate_structure(data: dict[str, Any], rng: random.Random) -> None:
    nodes = list(_nodes(data))
    donors = [value for _path, value in nodes if not isinstance(value, dict | list)]
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        nodes = list(_nodes(data))
        path, value = rng.choice(nodes[1:])
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        key = path[-1]
        action = rng.randrange(7)
        if action == 0:
            del parent[key]
        elif action == 1:
            parent[key] = _random_value(rng, donors)
        elif action == 2 and isinstance(value, int) and not isinstance(value, bool):
            parent[key] = value + rng.choice([-1, 1, -2, 2, 1000])
        elif action == 3 and isinstance(value, list) and value:
            value.append(copy.deepcopy(rng.choice(value)))  # duplicates: ids, mentions
        elif action == 4 and isinstance(value, list) and len(value) > 1:
            rng.shuffle(value)
        elif action == 5 and isinstance(value, dict):
            value[rng.choice(STRINGS)] = _random_value(rng, donors)
        elif action == 6 and isinstance(value, str) and value:
            cut = rng.randrange(len(value))
            parent[key] = value[:cut] + rng.choice(STRINGS) + value[cut + 1 :]
        else:
            parent[key] = _random_value(rng, donors)


def _mutate_bytes(raw: bytes, rng: random.Random) -> bytes:
    data = bytearray(raw)
    for _ in range(rng.choice([1, 1, 2, 5])):
        action = rng.randrange(5)
        where = rng.randrange(len(data) + 1)
        if action == 0 and data:
            data[min(where, len(data) - 1)] ^= 1 << rng.randrange(8)
        elif action == 1:
            del data[where:]
        elif action == 2:
            data[where:where] = rng.choice(
                [b"\xff", b"\\ud800", b"[", b"{", b'"', b",", b"NaN", b"\x00", b"1e999", b"-"]
            )
        elif action == 3:
            end = min(len(data), where + rng.randrange(1, 40))
            data[where:where] = data[where:end]
        else:
            del data[where : where + rng.randrange(1, 20)]
        if not data:
            break
    return bytes(data)


def generate(index: int, seed: int) -> bytes:
    """Input number `index` of the run with `seed` (reproducible one by one)."""
    rng = random.Random(f"{seed}-{index}")
    data = copy.deepcopy(rng.choice(SEEDS))
    choice = rng.random()
    if choice < 0.75:
        _mutate_structure(data, rng)
        return json.dumps(data, ensure_ascii=rng.random() < 0.5).encode("utf-8", "surrogatepass")
    raw = json.dumps(data, ensure_ascii=False).encode("utf-8")
    if choice < 0.95:
        return _mutate_bytes(raw, rng)
    _mutate_structure(data, rng)
    return _mutate_bytes(json.dumps(data).encode(), rng)


class Importer:
    """What File > Import annotations does with one file's bytes
    (db/formats/batch_import.py), with a second connection that notices any write
    (PRAGMA data_version)."""

    def __init__(self, path: Path) -> None:
        self.store = Store(path)
        self.watcher = sqlite3.connect(path)
        self.outcomes = {"imported": 0, "refused": 0}

    def data_version(self) -> int:
        return int(self.watcher.execute("PRAGMA data_version").fetchone()[0])

    def run(self, raw: bytes, replace: bool = False) -> None:
        before = self.data_version()
        try:
            data = parse_export_bytes(raw, "fuzz.json")
            if data.get("format") != FORMAT:
                raise SpanwiseError("not a Spanwise export")
            schema, documents = parse_export(data, "fuzz.json")
            self.store.import_batch([], [(schema, documents)], replace=replace)
        except SpanwiseError:
            self.outcomes["refused"] += 1
            assert self.data_version() == before, "a refused import changed the database"
            return
        self.outcomes["imported"] += 1

    def check_sound(self) -> None:
        assert integrity(self.store.path) == ("ok", [])
        buffer = io.StringIO()
        write_export(export_json(self.store), buffer)
        buffer.getvalue().encode("utf-8")  # nothing stored that an export cannot write

    def close(self) -> None:
        self.watcher.close()
        self.store.close()


@pytest.fixture
def importer(tmp_path: Path) -> Iterator[Importer]:
    running = Importer(tmp_path / "fuzz.db")
    yield running
    running.close()


def test_generated_inputs_are_imported_or_refused_never_an_unhandled_error(
    importer: Importer,
) -> None:
    failures: list[str] = []
    for index in range(INPUTS):
        raw = generate(index, SEED)
        try:
            importer.run(raw, replace=index % 4 == 3)  # as `spanwise import --replace`
        except Exception:  # anything but a SpanwiseError is a bug: collect them all
            failures.append(f"input {index} of seed {SEED}: {traceback.format_exc(limit=-3)}")
        if index % 500 == 499:
            importer.check_sound()
    importer.check_sound()
    print(
        f"fuzz run (seed {SEED}): {INPUTS} inputs tried, {importer.outcomes['imported']} "
        f"imported, {importer.outcomes['refused']} refused, {len(failures)} unhandled"
    )
    assert not failures, "\n".join(failures[:5])
    assert importer.outcomes["imported"] > 0 and importer.outcomes["refused"] > 0


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["id", "text", "start", "end", "label", "documents", "labels", "x"]),
            children,
            max_size=4,
        )
    ),
    max_leaves=20,
)


@settings(
    max_examples=max(50, INPUTS // 6),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    documents=st.lists(json_values, max_size=3),
    labels=st.one_of(json_values, st.just(SEEDS[0]["labels"])),
    extra=st.dictionaries(st.text(max_size=5), json_values, max_size=3),
)
def test_arbitrary_json_shaped_like_an_export_is_refused_cleanly(
    importer: Importer, documents: list[Any], labels: Any, extra: dict[str, Any]
) -> None:
    data = {**extra, "format": "spanwise", "version": 1, "labels": labels}
    data["documents"] = documents
    raw = json.dumps(data).encode()
    with contextlib.suppress(SpanwiseError):
        importer.run(raw)
