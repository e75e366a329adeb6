"""Builds the README's screenshot: the seed article with a few annotations (`make screenshot`)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from db.store import Store
from seeds import seed_paths


def annotate_seed(store: Store, annotator: str) -> str:
    store.import_texts(seed_paths())
    doc = store.documents(annotator)[0]
    text = store.document(doc.id).text

    def span(piece: str, label: str, attributes: dict[str, str] | None = None) -> None:
        start = text.index(piece)
        store.add_annotation(doc.id, annotator, label, start, start + len(piece), attributes)

    span("Ukrainian President Volodymyr Zelensky", "Speaker")
    span("claimed", "Cue")
    span("burn", "Event", {"type": "attack"})
    span("While they were being trained", "Quote", {"kind": "direct"})
    quote_end = text.index("soldiers,” Zelensky wrote")
    store.add_annotation(doc.id, annotator, "Speaker", quote_end + 11, quote_end + 19)
    store.add_annotation(doc.id, annotator, "Cue", quote_end + 20, quote_end + 25)
    span("On Dec. 13", "Time")
    span("the troops", "Participant")
    return doc.id


def main(target: str) -> int:
    from desktop.cli import main as cli

    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "screenshot.db"
        store = Store(database)
        annotate_seed(store, "ana")
        store.close()
        return cli(["--db", str(database), "--annotator", "ana", "gui", "--screenshot", target])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "resources/screenshots/window.png"))
