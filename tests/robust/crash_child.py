"""The process test_crash.py kills: it edits a database the way the window does and reports
each step on standard output, one JSON object a line, written only after the call returned.

    python -m tests.robust.crash_child DB WORKDIR MODE SEED   (from the repository root)

MODE is `edits` (Changes from db/edits.py through Store.apply, undo included, and now and
then one of BULK_EDIT annotations, which is written in bulk), `import` (a
large batch of text files), `json` (a Spanwise export with links and entities, through the
same import the File menu uses), `export` (the whole database to a file, again and again),
`flat` (`spanwise export --flat quotes` to a CSV), `folder` (brat and UIMA XMI folder exports)
or `backup` (backups of the database).
It runs until it is killed. Before each write it says what it is about to do (`do`,
`import`, `json`), so the parent knows which step may or may not have landed.
"""

from __future__ import annotations

import dataclasses
import json
import random
import sys
from pathlib import Path
from typing import Any

from db import edits
from db.changes import Change, merged
from db.errors import SpanwiseError
from db.formats.batch_import import import_paths
from db.formats.export import export_to
from db.formats.flat_table import quote_rows
from db.formats.spanwise_json import export_json, parse_export, save_export
from db.records import new_annotation
from db.storage.backups import backup_before
from db.store import Store
from tests.robust.helpers import document_json, news_export

ANNOTATOR = "crash"
IMPORT_FILES = 120
JSON_DOCUMENTS = 15
JSON_ANNOTATIONS = 24
BULK_EDIT = 300  # annotations in one edit now and then


def report(**fields: Any) -> None:
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def change_json(change: Change) -> dict[str, Any]:
    """What the Change leaves behind, id -> record (None: gone), for the parent's model."""

    def after(pair: Any) -> Any:
        return None if pair.after is None else dataclasses.asdict(pair.after)

    return {
        "annotations": [[p.key, after(p)] for p in change.annotations],
        "relations": [[p.key, after(p)] for p in change.relations],
        "entities": [[p.key, after(p)] for p in change.entities],
    }


def random_change(store: Store, doc_id: str, text: str, rng: random.Random) -> Change | None:
    annotations = store.annotations(doc_id, ANNOTATOR)
    relations = store.relations(doc_id, ANNOTATOR)
    entities = store.entities(doc_id, ANNOTATOR)
    choice = rng.random()
    if (
        choice < 0.06
    ):  # "Accept all" size: written in bulk (db/storage/bulk_writer.py); its undo too
        return merged("Add many", [_new_span(doc_id, text, rng) for _ in range(BULK_EDIT)])
    if choice < 0.45 or len(annotations) < 4:
        return _new_span(doc_id, text, rng)
    if choice < 0.6:
        before = rng.choice(annotations)
        after = dataclasses.replace(before, note=f"note {rng.randrange(10**6)} — ✓")
        return edits.edit_annotation(before, after, "Note", text)
    if choice < 0.7:
        return store.deletion_change(rng.choice(annotations).id)
    quotes = [a for a in annotations if a.label == "Quote"]
    speakers = [a for a in annotations if a.label == "Speaker"]
    if choice < 0.85 and quotes and speakers:
        return edits.link(rng.choice(quotes), rng.choice(speakers), "speaker", relations, 1, text)
    if speakers:
        mention = rng.choice(speakers)
        current = next((e for e in entities if mention.id in e.mentions), None)
        target = rng.choice([None, *entities])
        return edits.assign_entity(
            mention, current, target, f"Entity {rng.randrange(99)}", "person"
        )
    return None


def _new_span(doc_id: str, text: str, rng: random.Random) -> Change:
    label = rng.choice(["Quote", "Speaker", "Cue", "Participant"])
    start = rng.randrange(0, len(text) - 1)
    end = rng.randrange(start + 1, min(len(text), start + 60) + 1)
    attributes = {"kind": rng.choice(["direct", "indirect"])} if label == "Quote" else {}
    record = new_annotation(doc_id, ANNOTATOR, label, start, end, attributes)
    return edits.add_annotation(record, text)


def run_edits(store: Store, rng: random.Random) -> None:
    [doc] = store.documents(ANNOTATOR)[:1]
    text = store.document(doc.id).text
    history: list[Change] = []
    while True:
        if history and rng.random() < 0.15:
            change = history.pop().inverse()  # undo, as Ctrl+Z does
        else:
            built = random_change(store, doc.id, text, rng)
            if built is None or built.is_empty():
                continue
            change = built
            history.append(change)
        report(do=change_json(change))
        try:
            store.apply(change)
        except SpanwiseError as exc:  # an edit the rules refuse (e.g. undo of a stale step)
            history.clear()
            report(refused=str(exc))
            continue
        report(done=True)


def run_import(store: Store, workdir: Path, rng: random.Random, seed: int) -> None:
    batch = 0
    while True:
        batch += 1
        name = f"{seed}-{batch}"
        folder = workdir / f"batch-{name}"
        folder.mkdir(parents=True)
        for index in range(IMPORT_FILES):
            words = " ".join(f"w{rng.randrange(10**6)}" for _ in range(rng.randrange(50, 400)))
            body = f"Batch {name} article {index}\r\n\r\n{words} 🙂 e\u0301\n"
            (folder / f"a{index:04d}.txt").write_text(body, encoding="utf-8", newline="")
        big = " ".join(f"x{rng.randrange(10**9)}" for _ in range(250_000))  # about 3 MB
        (folder / "zz-large.txt").write_text(f"Batch {name} article large\n{big}\n", "utf-8")
        report(**{"import": name, "files": IMPORT_FILES + 1})
        store.import_texts([folder], progress=lambda done, total: report(progress=done))
        report(imported=name)


def run_json(store: Store, workdir: Path, rng: random.Random, seed: int) -> None:
    batch = 0
    while True:
        batch += 1
        name = f"{seed}-{batch}"
        documents = []
        for index in range(JSON_DOCUMENTS):
            words = " ".join(f"j{rng.randrange(10**6)}" for _ in range(200))
            text = f"JSON {name} document {index}\r\n{words} 👩\u200d👩\u200d👧\n"
            documents.append(
                document_json(text, f"JSON {name} document {index}", rng, JSON_ANNOTATIONS)
            )
        path = workdir / f"json-{name}.json"
        path.write_text(json.dumps(news_export(documents)), encoding="utf-8")
        report(json=name, documents=JSON_DOCUMENTS, annotations=JSON_ANNOTATIONS)
        import_paths(store, [path], progress=lambda done, total: report(progress=done))
        report(json_imported=name)


def run_export(store: Store, workdir: Path) -> None:
    round_ = 0
    while True:
        round_ += 1
        report(export=round_)
        save_export(export_json(store), workdir / "export.json")
        report(exported=round_)


BALLAST_QUOTES = 4000


def ensure_ballast(store: Store) -> None:
    """A document with thousands of quotes, so that an output takes long enough to be
    killed in the middle of its writing (added once, whole or not at all)."""
    if any(d.title == "Ballast" for d in store.documents(ANNOTATOR)):
        return
    rng = random.Random(99)
    text = "Ballast\n" + "“A quote of some length,” said someone. " * 1000
    document = document_json(text, "Ballast", rng, BALLAST_QUOTES, annotator="ballast")
    document["relations"], document["entities"] = [], []
    schema, documents = parse_export(news_export([document]), "ballast.json")
    store.import_documents(schema, documents)


def run_flat(store: Store, workdir: Path) -> None:
    """`spanwise export --flat quotes -o quotes.csv`, again and again."""
    from desktop.cli.main import main as cli

    database = str(store.path)
    quotes = len(quote_rows(store))
    round_ = 0
    while True:
        round_ += 1
        report(flat=round_, quotes=quotes)
        cli(["--db", database, "export", "--flat", "quotes", "-o", str(workdir / "quotes.csv")])
        report(flat_done=round_)


def run_folder(store: Store, workdir: Path) -> None:
    """brat and UIMA XMI folder exports over the previous ones, again and again; the files a
    whole export holds are reported after the first."""
    round_ = 0
    while True:
        round_ += 1
        for fmt in ("brat", "uima-xmi"):
            target = workdir / fmt
            report(folder=round_, format=fmt)
            export_to(store, fmt, target)
            files = sorted(str(p.relative_to(target)) for p in target.rglob("*") if p.is_file())
            report(folder_done=round_, format=fmt, whole=files)


def run_backup(store: Store) -> None:
    """Backups before a bulk operation, again and again (the daily backup takes the same
    path: db.storage.backups.backup_file)."""
    round_ = 0
    while True:
        round_ += 1
        report(backup=round_)
        backup_before(store.path, "crash")
        report(backup_done=round_)


def main() -> None:
    db, workdir, mode, seed = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    rng = random.Random(seed)
    store = Store(db)
    if mode in ("flat", "folder", "backup"):
        ensure_ballast(store)
    report(ready=True)
    if mode == "edits":
        run_edits(store, rng)
    elif mode == "import":
        run_import(store, workdir, rng, seed)
    elif mode == "json":
        run_json(store, workdir, rng, seed)
    elif mode == "export":
        run_export(store, workdir)
    elif mode == "flat":
        run_flat(store, workdir)
    elif mode == "folder":
        run_folder(store, workdir)
    elif mode == "backup":
        run_backup(store)
    raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
