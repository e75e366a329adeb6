"""brat standoff (`.txt` + `.ann`, `annotation.conf`, `visual.conf`) in and out.

brat counts offsets in code points of the `.txt` as read (no newline translation), as Spanwise
does, so offsets pass through unchanged. The file is parsed into plain records first (every
line checked, references resolved after the whole file is read, since brat allows forward
references), then converted, so a broken line refuses the whole batch with its file and line.

How brat maps to Spanwise (and back):
- T: an annotation, label = the brat type; discontinuous `s e;s e` spans become fragments.
- E: an annotation on the trigger's span with label = the event type (the T of a trigger is not
  imported on its own), and one link per role argument, typed by the role (numbered repeats
  such as `Org-Arg2` drop their number). An event that is another event's argument is linked
  through its trigger annotation. Event labels are marked "brat event type" in their
  description, so they are written back as events.
- R: a link (type = the relation type, Arg1 -> Arg2), marked "brat relation".
- A/M: an attribute; a yes/no attribute is "true".
- N: an attribute `norm:<resource>` holding the entry id (the entry's name is not kept).
- `#` AnnotatorNotes: the annotation's note (several notes are joined by a new line).
- `*` equivalence groups: one entity (name = the first mention's text; entity type = the
  group's type when it is a Spanwise entity type, else "other"); overlapping groups merge.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from db.formats import FormatReport, ImportedBatch, ReadOptions, WriteOptions, register
from db.formats.brat.reading import read_brat
from db.formats.brat.writing import write_brat
from db.records import ExportedDocument
from db.schema.label_schema import Schema


def looks_like_brat(path: Path) -> bool:
    """Whether the path is brat standoff (.ann files, or a folder with them or a conf)."""
    if path.is_dir():
        return (path / "annotation.conf").is_file() or any(p.is_file() for p in path.rglob("*.ann"))
    return path.suffix == ".ann" or (path.suffix == ".txt" and path.with_suffix(".ann").is_file())


class BratFormat:
    """brat standoff: .txt and .ann per document, annotation.conf and visual.conf."""

    name = "brat"
    description = "brat standoff: .txt + .ann per document, annotation.conf and visual.conf"
    can_import = True
    can_export = True

    def sniff(self, path: Path) -> bool:
        """Whether the path is brat standoff."""
        return looks_like_brat(path)

    def read(self, paths: Sequence[Path], options: ReadOptions) -> ImportedBatch:
        """Read brat files or folders into documents and the schema they declare."""
        return read_brat(paths, options)

    def write(
        self,
        documents: Sequence[ExportedDocument],
        schema: Schema,
        target: Path,
        options: WriteOptions,
    ) -> FormatReport:
        """Write a folder brat loads as it is (a sub-folder per annotator when several)."""
        return write_brat(documents, schema, target, options)


register(BratFormat())
