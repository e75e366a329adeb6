"""The document on screen: its text, position map and annotations, kept in step with the store.

Views never query the database themselves; they listen to this object's signals, which fire
once per change (the pattern Anki uses: one notice per operation, each view decides).
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterator

from PySide6.QtCore import QObject, Signal

from db.offsets import PositionMap
from db.records import AnnotationData, DocumentData
from db.store import Store


def _sort_key(record: AnnotationData) -> tuple[int, int, str]:
    return (record.start, -record.end, record.id)


class OpenDocument(QObject):
    """One document's annotations by the current annotator, sorted by start."""

    reset = Signal()  # a different document (or a full reload)
    added = Signal(object)  # AnnotationData
    removed = Signal(object)  # AnnotationData
    changed = Signal(object, object)  # old AnnotationData, new AnnotationData
    currentChanged = Signal(object)  # AnnotationData | None

    def __init__(self, store: Store, annotator: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.annotator = annotator
        self.document: DocumentData | None = None
        self.positions = PositionMap("")
        self._records: list[AnnotationData] = []
        self._keys: list[tuple[int, int, str]] = []
        self._by_id: dict[str, AnnotationData] = {}
        self._max_length = 0
        self.current: AnnotationData | None = None

    # -- loading ------------------------------------------------------------------------------

    @property
    def text(self) -> str:
        return self.document.text if self.document else ""

    @property
    def document_id(self) -> str | None:
        return self.document.id if self.document else None

    def open(self, document_id: str | None) -> None:
        self.document = self.store.document(document_id) if document_id else None
        self.positions = PositionMap(self.text)
        self.reload()

    def reload(self) -> None:
        """Re-read the annotations from the store (after an import or another process)."""
        records = self.store.annotations(self.document.id, self.annotator) if self.document else []
        self._records = sorted(records, key=_sort_key)
        self._keys = [_sort_key(r) for r in self._records]
        self._by_id = {r.id: r for r in self._records}
        self._max_length = max((r.end - r.start for r in self._records), default=0)
        if self.current is not None:
            self.current = self._by_id.get(self.current.id)
        self.reset.emit()
        self.currentChanged.emit(self.current)

    # -- queries ------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._records)

    def records(self) -> list[AnnotationData]:
        return list(self._records)

    def get(self, annotation_id: str) -> AnnotationData | None:
        return self._by_id.get(annotation_id)

    def index_of(self, annotation_id: str) -> int:
        record = self._by_id.get(annotation_id)
        if record is None:
            return -1
        return bisect_left(self._keys, _sort_key(record))

    def overlapping(self, start: int, end: int) -> Iterator[AnnotationData]:
        """Annotations that share at least one character with [start, end) (or touch a point)."""
        low = bisect_left(self._keys, (start - self._max_length, -(2**62), ""))
        for record in self._records[low:]:
            if record.start >= max(end, start + 1):
                break
            if record.end > start:
                yield record

    def at(self, offset: int) -> list[AnnotationData]:
        """Annotations covering a character, innermost (shortest) first."""
        return sorted(self.overlapping(offset, offset + 1), key=lambda r: r.end - r.start)

    def next_after(self, offset: int, backwards: bool = False) -> AnnotationData | None:
        if not self._records:
            return None
        if backwards:
            before = [r for r in self._records if r.start < offset]
            return before[-1] if before else self._records[-1]
        for record in self._records:
            if record.start > offset:
                return record
        return self._records[0]

    # -- changes (called by undo commands after the store has committed) ---------------------

    def set_current(self, record: AnnotationData | None) -> None:
        if record is not None:
            record = self._by_id.get(record.id, record)
        if record != self.current:
            self.current = record
            self.currentChanged.emit(record)

    def apply_added(self, record: AnnotationData) -> None:
        if record.document_id != self.document_id or record.annotator != self.annotator:
            return
        key = _sort_key(record)
        index = bisect_left(self._keys, key)
        self._keys.insert(index, key)
        self._records.insert(index, record)
        self._by_id[record.id] = record
        self._max_length = max(self._max_length, record.end - record.start)
        self.added.emit(record)

    def apply_removed(self, record: AnnotationData) -> None:
        existing = self._by_id.pop(record.id, None)
        if existing is None:
            return
        index = bisect_left(self._keys, _sort_key(existing))
        del self._keys[index]
        del self._records[index]
        if self.current is not None and self.current.id == record.id:
            self.set_current(None)
        self.removed.emit(existing)

    def apply_changed(self, record: AnnotationData) -> None:
        old = self._by_id.get(record.id)
        if old is None:
            return
        index = bisect_left(self._keys, _sort_key(old))
        del self._keys[index]
        del self._records[index]
        key = _sort_key(record)
        insort(self._keys, key)
        self._records.insert(bisect_left(self._keys, key), record)
        self._by_id[record.id] = record
        self.changed.emit(old, record)
        if self.current is not None and self.current.id == record.id:
            self.current = record
            self.currentChanged.emit(record)
