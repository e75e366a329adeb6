"""The document on screen: its text, position map, annotations, links and entities, kept in
step with the store.

Views never query the database themselves; they listen to this object's signals, which fire
once per change (the pattern Anki uses: one notice per operation, each view decides).
"""

from __future__ import annotations

import gc
from bisect import bisect_left, insort
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from db.changes import Change
from db.gc_pause import paused_gc
from db.records import AnnotationData, DocumentData, EntityData, RelationData
from desktop.document.offsets import PositionMap
from desktop.document.span_stacks import SpanStacks, spans_of

if TYPE_CHECKING:  # the first paint shows a document before the store (SQLAlchemy) loads
    from db.store import Store

BULK_CHANGE = 500  # annotations in one change from which the views are reset, not told each
EAGER_LIMIT = 2000  # a document with more annotations paints its top first
FIRST_SCREENS = 20_000  # code points loaded for that first paint (several screens)
FIRST_ROWS = 20_000  # at most (however many a file stacked there), for a quick first paint


def sort_key(record: AnnotationData) -> tuple[int, int, str]:
    """The store's order too (start, longer first, id), so a reload needs no sorting."""
    return (record.start, -record.end, record.id)


class OpenDocument(QObject):
    """One document's annotations by the current annotator, sorted by start."""

    reset = Signal()  # a different document (or a full reload)
    added = Signal(object)  # AnnotationData
    removed = Signal(object)  # AnnotationData
    changed = Signal(object, object)  # old AnnotationData, new AnnotationData
    linksChanged = Signal()  # relations or entities changed
    currentChanged = Signal(object)  # AnnotationData | None

    def __init__(self, store: Store | None, annotator: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store: Store = store  # type: ignore[assignment]  # None: a first paint (preview)
        self.annotator = annotator
        self.others: set[str] = set()  # other annotators whose work is shown (read-only)
        self.document: DocumentData | None = None
        self.positions = PositionMap("")
        self._records: list[AnnotationData] = []
        self._keys: list[tuple[int, int, str]] = []
        self._by_id: dict[str, AnnotationData] = {}
        self._max_length = 0
        self.stacks = SpanStacks()  # identical spans once, for drawing
        self.relations: dict[str, RelationData] = {}
        self._from: dict[str, list[RelationData]] = {}  # source id -> links
        self._to: dict[str, list[RelationData]] = {}  # target id -> links
        self.entities: dict[str, EntityData] = {}
        self._entity_of: dict[str, str] = {}
        self.current: AnnotationData | None = None
        self.complete = True  # False between a long document's first paint and its full load

    # -- loading ------------------------------------------------------------------------------

    @property
    def text(self) -> str:
        """The open document's text ('' when none is open)."""
        return self.document.text if self.document else ""

    @property
    def document_id(self) -> str | None:
        """The open document's id, or None."""
        return self.document.id if self.document else None

    def open(self, document_id: str | None) -> None:
        """Show a document. A long one paints its top first (its first screens' annotations)
        and loads the rest right after, before the window handles any input: the reader
        sees the text at once, and nothing can be edited on half the data."""
        self.document = self.store.document(document_id) if document_id else None
        self.positions = PositionMap(self.text)
        self.current = None
        self.complete = True
        if (
            document_id is None
            or self.others
            or self.store.annotation_count(document_id, self.annotator) <= EAGER_LIMIT
        ):
            self.reload()
            return
        with paused_gc():
            self._set_records(
                self.store.annotations_near_start(
                    document_id, self.annotator, FIRST_SCREENS, FIRST_ROWS
                )
            )
            self.relations, self.entities = {}, {}
            self._index_links()
            self._index_entities()
        self.complete = False
        self.reset.emit()
        self.currentChanged.emit(None)
        QTimer.singleShot(0, lambda doc=self.document: self._complete(doc))

    def preview(self, document: DocumentData, records: list[AnnotationData]) -> None:
        """Show a document's first screens read without the store (desktop/window/fast_start.py):
        read-only, nothing to complete, for the moments before the window is ready."""
        self.document = document
        self.positions = PositionMap(document.text)
        self.current = None
        self._set_records(records)
        self.reset.emit()

    def _complete(self, document: DocumentData | None) -> None:
        if document is self.document and not self.complete:
            self.reload()

    def ensure_complete(self) -> None:
        """Finish loading now (an edit, a search or a jump needs the whole document)."""
        if not self.complete:
            self.reload()

    @property
    def shown(self) -> set[str]:
        """Every annotator whose work is on screen: the current one first of all."""
        return {self.annotator} | self.others

    def mine(self, record: AnnotationData | None) -> bool:
        """Whether the annotation is the current annotator's own (so editable here)."""
        return record is not None and record.annotator == self.annotator

    def show_annotators(self, others: set[str]) -> None:
        """Show these other annotators' work beside the current one's."""
        self.others = set(others) - {self.annotator}
        self.reload()

    def _for_shown(self, items: list[Any]) -> list[Any]:
        shown = self.shown
        return [item for item in items if item.annotator in shown]

    def reload(self) -> None:
        """Re-read everything from the store (after an import or another process's edits)."""
        # The previous load's freeze ends here, so the document it held (now replaced) is
        # collected as usual; paused_gc's own unfreeze would lift it too, but said here the
        # freeze and its end stand side by side.
        gc.unfreeze()
        with paused_gc():
            self._reload()
        # What was just loaded lives as long as the document is open and holds no cycles:
        # keep it out of every later collection's scan (a full one would pause edits) until
        # the next reload.
        gc.freeze()

    def _reload(self) -> None:
        doc_id = self.document.id if self.document else None
        if doc_id is None:
            records = []
        elif self.others:
            records = self._for_shown(self.store.annotations(doc_id))
        else:
            records = self.store.annotations(doc_id, self.annotator)
        self._set_records(records)
        self.complete = True
        who = None if self.others else self.annotator
        relations = self._for_shown(self.store.relations(doc_id, who)) if doc_id else []
        entities = self._for_shown(self.store.entities(doc_id, who)) if doc_id else []
        self.relations = {r.id: r for r in relations}
        self.entities = {e.id: e for e in entities}
        self._reindexed()

    def _reindexed(self) -> None:
        """After the records, links or entities were replaced wholesale: index them, and
        tell the views to start over."""
        self._index_links()
        self._index_entities()
        if self.current is not None:
            self.current = self._by_id.get(self.current.id)
        self.reset.emit()
        self.linksChanged.emit()
        self.currentChanged.emit(self.current)

    def _set_records(self, records: list[AnnotationData]) -> None:
        """The records in the window's order (the store's order, unless annotators mix)."""
        self._keys = [(r.start, -r.end, r.id) for r in records]
        if self.others or any(a > b for a, b in zip(self._keys, self._keys[1:], strict=False)):
            records.sort(key=sort_key)
            self._keys = [(r.start, -r.end, r.id) for r in records]
        self._records = records
        self._by_id = {r.id: r for r in self._records}
        self._max_length = max((r.end - r.start for r in self._records), default=0)
        self.stacks.reset(records)

    def _index_links(self) -> None:
        self._from, self._to = {}, {}
        for relation in self.relations.values():
            self._from.setdefault(relation.source, []).append(relation)
            self._to.setdefault(relation.target, []).append(relation)

    def _unindex_link(self, relation: RelationData) -> None:
        for index, key in ((self._from, relation.source), (self._to, relation.target)):
            links = [r for r in index.get(key, ()) if r.id != relation.id]
            if links:
                index[key] = links
            else:
                index.pop(key, None)

    def _index_entities(self) -> None:
        self._entity_of = {m: e.id for e in self.entities.values() for m in e.mentions}

    # -- queries ------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._records)

    def count_mine(self) -> int:
        """How many of the shown annotations are the current annotator's."""
        if not self.others:
            return len(self._records)
        return sum(1 for r in self._records if r.annotator == self.annotator)

    def records(self) -> list[AnnotationData]:
        """The annotations on screen, in text order."""
        return list(self._records)

    def get(self, annotation_id: str) -> AnnotationData | None:
        """The annotation with this id, if it is on screen."""
        return self._by_id.get(annotation_id)

    def index_of(self, annotation_id: str) -> int:
        """The annotation's place in text order, or -1."""
        record = self._by_id.get(annotation_id)
        if record is None:
            return -1
        return bisect_left(self._keys, sort_key(record))

    def overlapping(self, start: int, end: int) -> Iterator[AnnotationData]:
        """Annotations whose extent shares a character with [start, end) (or touches a point)."""
        low = bisect_left(self._keys, (start - self._max_length, -(2**62), ""))
        for record in self._records[low:]:
            if record.start >= max(end, start + 1):
                break
            if record.end > start:
                yield record

    def at(self, offset: int) -> list[AnnotationData]:
        """Annotations covering a character (fragments respected), innermost first (found
        through the distinct spans there: a stack of identical ones costs no sorting)."""
        stacks = [
            stack
            for stack in self.stacks.overlapping(offset, offset + 1)
            if any(s <= offset < e for s, e in spans_of(stack))
        ]
        stacks.sort(key=lambda stack: -stack[1] - stack[0])
        return [record for stack in stacks for record in self.stacks.members(stack)]

    def next_after(self, offset: int, backwards: bool = False) -> AnnotationData | None:
        """The first annotation starting at or after `offset` (before it, going back)."""
        if not self._records:
            return None
        if backwards:
            before = [r for r in self._records if r.start < offset]
            return before[-1] if before else self._records[-1]
        return next((r for r in self._records if r.start >= offset), self._records[0])

    def links_from(self, annotation_id: str) -> list[RelationData]:
        """The links that start at this annotation."""
        return list(self._from.get(annotation_id, ()))

    def links_to(self, annotation_id: str) -> list[RelationData]:
        """The links that end at this annotation."""
        return list(self._to.get(annotation_id, ()))

    def link_target(self, annotation_id: str, relation_type: str) -> AnnotationData | None:
        """The annotation this one links to by this type (a quote's speaker, say)."""
        link = next((r for r in self.links_from(annotation_id) if r.type == relation_type), None)
        return self._by_id.get(link.target) if link else None

    def entity_of(self, annotation_id: str) -> EntityData | None:
        """The entity this annotation is a mention of, if any."""
        entity_id = self._entity_of.get(annotation_id)
        return self.entities.get(entity_id) if entity_id else None

    def quotes_of(self, entity: EntityData) -> list[AnnotationData]:
        """Quotes whose speaker mention belongs to this entity."""
        return [
            self._by_id[r.source]
            for mention in entity.mentions
            for r in self._to.get(mention, ())
            if r.type == "speaker" and r.source in self._by_id
        ]

    def related(self, annotation_id: str) -> set[str]:
        """Annotations linked to this one, and its coreferent mentions (for emphasis)."""
        ids = {r.target for r in self.links_from(annotation_id)}
        ids |= {r.source for r in self.links_to(annotation_id)}
        for target in list(ids):
            entity = self.entity_of(target)
            if entity:
                ids |= set(entity.mentions)
        entity = self.entity_of(annotation_id)
        if entity:
            ids |= set(entity.mentions)
        ids.discard(annotation_id)
        return ids

    def text_of(self, record: AnnotationData, separator: str = " … ") -> str:
        """The annotation's text (its fragments joined by `separator`)."""
        return separator.join(self.text[s:e] for s, e in record.spans)

    # -- changes (called by the undo command after the store has committed) ------------------

    def set_current(self, record: AnnotationData | None) -> None:
        """Make this annotation the current one (or none), and say so."""
        if record is not None:
            record = self._by_id.get(record.id, record)
        if record != self.current:
            self.current = record
            self.currentChanged.emit(record)

    def apply(self, change: Change) -> None:
        """Mirror a committed Change; annotations of other documents or annotators are skipped."""
        mine = self.document_id

        def ours(item: AnnotationData | RelationData | EntityData | None) -> bool:
            return (
                item is not None and item.document_id == mine and item.annotator == self.annotator
            )

        if sum(ours(p.before) or ours(p.after) for p in change.annotations) > BULK_CHANGE:
            self._apply_in_bulk(change, ours)
            return
        links_touched = False
        for pair in change.relations:
            if ours(pair.before):
                assert pair.before is not None
                self._unindex_link(self.relations.pop(pair.before.id, pair.before))
                links_touched = True
        for entity_pair in change.entities:
            if ours(entity_pair.before):
                assert entity_pair.before is not None
                self.entities.pop(entity_pair.before.id, None)
                links_touched = True
        for item in change.annotations:
            before, after = item.before, item.after
            if after is not None and ours(after) and before is not None:
                self._replace(after)
            elif after is not None and ours(after):
                self._insert(after)
            elif before is not None and ours(before):
                self._remove(before)
        for pair in change.relations:
            if ours(pair.after):
                assert pair.after is not None
                self.relations[pair.after.id] = pair.after
                self._from.setdefault(pair.after.source, []).append(pair.after)
                self._to.setdefault(pair.after.target, []).append(pair.after)
                links_touched = True
        for entity_pair in change.entities:
            if ours(entity_pair.after):
                assert entity_pair.after is not None
                self.entities[entity_pair.after.id] = entity_pair.after
                links_touched = True
        if links_touched:
            self._index_entities()
            self.linksChanged.emit()

    def _apply_in_bulk(self, change: Change, ours: Callable[[Any], bool]) -> None:
        """A change of thousands of annotations ("Accept all", its undo): one sort and one
        reset for the views, not a row at a time (each of which moves the rows after it)."""
        by_id = self._by_id

        def mirror(held: dict[str, Any], pairs: tuple[Any, ...]) -> None:
            for pair in pairs:
                if ours(pair.before):
                    held.pop(pair.before.id, None)
            for pair in pairs:
                if ours(pair.after):
                    held[pair.after.id] = pair.after

        mirror(by_id, change.annotations)
        mirror(self.relations, change.relations)
        mirror(self.entities, change.entities)
        self._set_records(sorted(by_id.values(), key=sort_key))
        self._reindexed()

    def _insert(self, record: AnnotationData) -> None:
        key = sort_key(record)
        index = bisect_left(self._keys, key)
        self._keys.insert(index, key)
        self._records.insert(index, record)
        self._by_id[record.id] = record
        self._max_length = max(self._max_length, record.end - record.start)
        self.stacks.add(record)
        self.added.emit(record)

    def _remove(self, record: AnnotationData) -> None:
        existing = self._by_id.pop(record.id, None)
        if existing is None:
            return
        index = bisect_left(self._keys, sort_key(existing))
        del self._keys[index]
        del self._records[index]
        self.stacks.remove(existing)
        if self.current is not None and self.current.id == record.id:
            self.set_current(None)
        self.removed.emit(existing)

    def _replace(self, record: AnnotationData) -> None:
        old = self._by_id.get(record.id)
        if old is None:
            self._insert(record)
            return
        index = bisect_left(self._keys, sort_key(old))
        del self._keys[index]
        del self._records[index]
        key = sort_key(record)
        insort(self._keys, key)
        self._records.insert(bisect_left(self._keys, key), record)
        self.stacks.remove(old)
        self.stacks.add(record)
        self._by_id[record.id] = record
        self._max_length = max(self._max_length, record.end - record.start)
        self.changed.emit(old, record)
        if self.current is not None and self.current.id == record.id:
            self.current = record
            self.currentChanged.emit(record)
