"""H1: peak memory of an import, as a multiple of the size of the files imported, for every
format Spanwise imports. Each import runs in a fresh process (`child`): its resident memory
once everything is loaded and the database is open is the baseline, and what the import adds
to the peak, divided by the bytes of the files, is the factor. A file of hostile shape is
measured too (a UIMA XMI whose text is one huge sofaString: 234 times its size before).

    python -m tests.bench.import_memory            # every format, a table
    python -m tests.bench.import_memory child FORMAT PATH DB
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from db.formats import WriteOptions
from db.records import ExportedDocument
from db.schema.label_schema import load_schema
from db.store import Store
from tests.bench import data

ROOT = Path(__file__).resolve().parents[2]
SCALE = float(os.environ.get("SPANWISE_BENCH_SCALE", "1"))
FACTOR_LIMIT = 40  # the stated bound: peak extra memory <= 40 x the size of the files
# Spanwise's own exports stand in for each tool's files (same shape); WebAnno TSV, which
# Spanwise does not write, is generated below.
WRITTEN = {
    "spanwise": "corpus.json",
    "brat": "brat",
    "parc-brat": "parc",
    "uima-xmi": "xmi",
    "uima-json": "casjson",
    "doccano": "corpus.jsonl",
    "label-studio": "tasks.json",
}


def _status_mb(key: str) -> float:
    """VmRSS (now) or VmHWM (the peak) of this process. Not ru_maxrss: after a fork and an
    exec it still holds the parent's peak."""
    with open("/proc/self/status", encoding="ascii") as status:  # noqa: PTH123
        for line in status:
            if line.startswith(f"{key}:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(fmt: str, path: str, database: str) -> dict[str, float]:
    """Import one format's files into an empty database; report memory in MB."""
    from db.formats.batch_import import plan_import
    from db.formats.detect import load_formats
    from db.import_consent import TRUSTED

    load_formats()
    import cassis  # noqa: F401  (loaded before the baseline, as a window would have it)

    store = Store(Path(database))
    baseline = _status_mb("VmRSS")
    plan = plan_import([Path(path)], fmt=None if fmt in ("spanwise", "text") else fmt)
    summary = store.import_batch(plan.texts, plan.exports, consent=TRUSTED)
    peak = _status_mb("VmHWM")
    store.close()
    return {
        "baseline_mb": baseline,
        "peak_mb": peak,
        "annotations": summary.annotations_added,
    }


def json_child(module: str, *args: str) -> dict[str, Any]:
    """Run `python -m module args` in a fresh process (its memory its own) and return the
    JSON object its last line prints."""
    done = subprocess.run(
        [sys.executable, "-m", module, *args], capture_output=True, text=True, cwd=ROOT, check=False
    )
    if done.returncode:
        raise RuntimeError(f"{module} {' '.join(args)}: {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _corpus(documents: int) -> list[ExportedDocument]:
    corpus = data.corpus(documents=documents, per_annotator=50, seed=4)
    return [  # one annotator: most formats write one file per annotator
        ExportedDocument(
            d.document,
            {"ana": "done"},
            [a for a in d.annotations if a.annotator == "ana"],
            d.relations,
            [],
        )
        for d in corpus
    ]


def webanno_tsv(documents: list[ExportedDocument], folder: Path) -> None:
    """WebAnno TSV 3 files with one span layer, as INCEpTION writes them: a sentence per
    line of text, tokens with UTF-16 offsets, each span on the tokens it covers."""
    from db.formats.training import tokenize
    from db.formats.utf16 import Utf16Map

    folder.mkdir()
    for index, item in enumerate(documents):
        text = item.document.text
        units = Utf16Map(text)
        tokens = tokenize(text)
        labels: dict[int, list[str]] = {}
        for number, record in enumerate(item.annotations, start=1):
            for t, (start, end) in enumerate(tokens):
                if start < record.end and end > record.start:
                    labels.setdefault(t, []).append(f"{record.label}[{number}]")
        lines = ["#FORMAT=WebAnno TSV 3.3", "#T_SP=webanno.custom.Span|label", "", ""]
        t = 0
        line_start = 0
        for sentence_number, line in enumerate(text.split("\n"), start=1):
            line_end = line_start + len(line)
            if line.strip():
                lines.append(f"#Text={line}")
                word = 1
                while t < len(tokens) and tokens[t][0] < line_end:
                    start, end = tokens[t]
                    tag = "|".join(labels.get(t, [])) or "_"
                    span = f"{units.to_utf16(start)}-{units.to_utf16(end)}"
                    lines.append(f"{sentence_number}-{word}\t{span}\t{text[start:end]}\t{tag}\t")
                    t, word = t + 1, word + 1
                lines.append("")
            line_start = line_end + 1
        (folder / f"doc{index}.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def huge_sofa_xmi(folder: Path, size: int) -> None:
    """One XMI whose text is a single sofaString of `size` characters and one span."""
    from db.formats.uima_cas import type_system

    folder.mkdir()
    (folder / "TypeSystem.xml").write_text(type_system(load_schema()).to_xml(), "utf-8")
    text = ("word " * (size // 5 + 1))[:size]
    (folder / "huge.xmi").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><xmi:XMI xmlns:xmi="http://www.omg.org/XMI" '
        'xmlns:cas="http:///uima/cas.ecore" xmlns:custom="http:///webanno/custom.ecore" '
        'xmi:version="2.0"><cas:NULL xmi:id="0"/><cas:Sofa xmi:id="1" sofaNum="1" '
        f'sofaID="_InitialView" mimeType="text" sofaString="{text}"/>'
        '<custom:Span xmi:id="2" sofa="1" begin="0" end="4" label="Quote"/>'
        '<cas:View sofa="1" members="2"/></xmi:XMI>',
        encoding="utf-8",
    )


def stacked_brat(folder: Path, spans: int) -> None:
    """The stacked-span file of issue 13: one word annotated `spans` times (24 MB at 1M)."""
    folder.mkdir()
    (folder / "doc.txt").write_text("Ana said hello to everyone in the room today.\n", "utf-8")
    with (folder / "doc.ann").open("w", encoding="utf-8") as handle:
        for index in range(1, spans + 1):
            handle.write(f"T{index}\tQuote 0 5\tAna s\n")


def inputs(work: Path) -> dict[str, Path]:
    """One input per format (about 5-10 MB at scale 1), written by Spanwise where it can."""
    from db.formats.detect import load_formats
    from db.formats.spanwise_json import export_json, save_export

    formats = load_formats()
    documents = _corpus(max(4, int(600 * SCALE)))
    source = Store(work / "source.db")
    source.import_batch([], [(load_schema(), documents)])
    found: dict[str, Path] = {}
    for name, target in WRITTEN.items():
        path = work / target
        if name == "spanwise":
            save_export(export_json(source), path)
        else:
            formats[name].write(source.export_documents(), source.schema(), path, WriteOptions())
        found[name] = path
    source.close()
    text = work / "text"
    text.mkdir()
    for index, item in enumerate(documents):
        (text / f"a{index}.txt").write_text(item.document.text, encoding="utf-8")
    found["text"] = text
    found["webanno-tsv"] = work / "tsv"
    webanno_tsv(documents, found["webanno-tsv"])
    found["uima-xmi (one 5 MB sofaString)"] = work / "huge"
    huge_sofa_xmi(found["uima-xmi (one 5 MB sofaString)"], int(5_000_000 * SCALE) + 1000)
    found["brat (stacked spans)"] = work / "stacked"
    stacked_brat(found["brat (stacked spans)"], int(200_000 * SCALE) + 10)
    return found


def measure(work: Path) -> dict[str, dict[str, object]]:
    work = work / "w9"
    work.mkdir()
    results: dict[str, dict[str, object]] = {}
    for label, path in inputs(work).items():
        fmt = label.split(" ")[0]
        database = work / f"{fmt}-{len(results)}.db"
        Store(database).close()
        report = json_child("tests.bench.import_memory", "child", fmt, str(path), str(database))
        size_mb = _size(path) / 1048576
        extra = report["peak_mb"] - report["baseline_mb"]
        factor = extra / size_mb
        results[label] = {
            "file_mb": round(size_mb, 2),
            "extra_mb": round(extra, 1),
            "factor": round(factor, 1),
            "annotations": report["annotations"],
            "met": factor <= FACTOR_LIMIT,
        }
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink()
    return results


def table(results: dict[str, dict[str, object]]) -> str:
    lines = [f"H1 import memory (peak extra / file size; target <= {FACTOR_LIMIT}x)"]
    lines.append(f"  {'format':34} {'files':>9} {'extra':>9} {'factor':>7}  met")
    for label, r in results.items():
        lines.append(
            f"  {label:34} {r['file_mb']:>7}MB {r['extra_mb']:>7}MB {r['factor']:>6}x  {r['met']}"
        )
    return "\n".join(lines)


def main() -> int:
    import tempfile

    if sys.argv[1:2] == ["child"]:
        print(json.dumps(child(*sys.argv[2:5])))
        return 0
    with tempfile.TemporaryDirectory(prefix="spanwise-memory-") as folder:
        print(table(measure(Path(folder))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
