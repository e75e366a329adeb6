"""Quote attribution, event arguments, entities and fragments: the keys S, C, A, E, F.

"Pick mode" starts from the selected annotation (a Quote for S and C, an Event for A): the
next click on a fitting annotation links it; Tab / Shift+Tab walk through the fitting ones
nearby and Enter links the highlighted one; selecting text and pressing S (or the target's
label key) creates the mention and the link in one step; Esc cancels.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt

from db.changes import Change, added
from db.edits import (
    add_fragment,
    assign_entity,
    describe,
    link,
    merge_entities,
    rename_entity,
    split_mention,
)
from db.records import AnnotationData, new_annotation
from db.schema.label_schema import RelationTypeDef
from db.text.spans import snap_span

if TYPE_CHECKING:
    from desktop.controllers.window_face import WindowFace


@dataclasses.dataclass
class Pick:
    """A link waiting for its target."""

    relation: RelationTypeDef
    source: AnnotationData
    candidates: list[AnnotationData]
    index: int = -1

    @property
    def candidate(self) -> AnnotationData | None:
        """The candidate highlighted now, if any."""
        return self.candidates[self.index] if 0 <= self.index < len(self.candidates) else None


class LinkController(QObject):
    """Turns the linking keys into Changes on the window's undo stack."""

    def __init__(self, window: WindowFace) -> None:
        super().__init__(window.qt)
        self.window = window
        self.doc = window.doc
        self.schema = window.store.schema()
        self.pick: Pick | None = None
        self.fragment_of: AnnotationData | None = None  # waiting for its next fragment

    # -- pick mode ----------------------------------------------------------------------------

    @property
    def picking(self) -> bool:
        """Whether a pick (speaker, cue, argument) is waiting for its target."""
        return self.pick is not None

    @property
    def busy(self) -> bool:
        """A link or a fragment is waiting for the user's next selection."""
        return self.pick is not None or self.fragment_of is not None

    def start(self, relation_name: str) -> None:
        """S (speaker), C (cue), or a role chosen after A: link the selected annotation."""
        self.doc.ensure_complete()
        relation = self.schema.relation_type(relation_name)
        source = self.pick.source if self.pick else self.doc.current
        if relation is None:
            self.window.show_message(f"The schema has no '{relation_name}' link.")
            return
        if source is not None and not self.window.editable(source):
            return
        if source is None or source.label not in relation.from_labels:
            self.window.show_message(
                f"Select a {' or '.join(relation.from_labels)} first, then press the key "
                f"to link its {relation.name}."
            )
            return
        candidates = sorted(
            (r for r in self.doc.records() if r.label in relation.to_labels and self.doc.mine(r)),
            key=lambda r: (abs(r.start - source.start), r.start),
        )
        self.pick = Pick(relation, source, candidates)
        if self.window.article.selected_span() is not None:
            self.create_target(relation.to_labels[0])  # text selected: make the mention now
            return
        self.window.article.viewport().setCursor(Qt.CursorShape.CrossCursor)
        targets = " or ".join(relation.to_labels)
        self.window.show_message(
            f"Pick the {relation.name} of {describe(source, self.doc.text)}: click a {targets}, "
            f"Tab/Enter through nearby ones, or select text and press "
            f"{self._key_hint(relation)}; Esc cancels.",
            persistent=True,
        )

    def _key_hint(self, relation: RelationTypeDef) -> str:
        label = self.schema.label(relation.to_labels[0])
        key = label.shortcut if label and label.shortcut else "its label key"
        return f"{key} ({relation.to_labels[0]})"

    def start_role(self) -> None:
        """A: choose an event role, then pick its filler."""
        source = self.doc.current
        roles = [
            r.name
            for r in self.schema.relation_types
            if source is not None
            and source.label in r.from_labels
            and r.name not in ("speaker", "cue")
        ]
        if source is None or not roles:
            self.window.show_message("Select an Event first, then press A to add an argument.")
            return
        article = self.window.article
        caret = article.cursorRect().bottomLeft()
        role = self.window.dialogs.choose_role(
            self.window.qt, roles, article.viewport().mapToGlobal(caret)
        )
        if role:
            self.start(role)

    def cancel(self, message: str = "Linking cancelled.") -> None:
        """Stop picking (or adding fragments) and say so."""
        if self.fragment_of is not None:
            self.fragment_of = None
            self.window.show_message("Adding a fragment cancelled.")
        if self.pick is None:
            return
        source = self.pick.source
        self.pick = None
        self.window.article.viewport().unsetCursor()
        self.window.article.set_candidate(None)
        self.doc.set_current(self.doc.get(source.id))
        self.window.show_message(message)

    def step(self, backwards: bool) -> None:
        """Tab / Shift+Tab in pick mode: the next fitting annotation nearby."""
        assert self.pick is not None
        if not self.pick.candidates:
            self.window.show_message(f"No {' or '.join(self.pick.relation.to_labels)} yet.")
            return
        count = len(self.pick.candidates)
        self.pick.index = (self.pick.index + (-1 if backwards else 1)) % count
        candidate = self.pick.candidate
        assert candidate is not None
        self.window.article.set_candidate(candidate.id)
        self.window.article.show_annotation(candidate)

    def confirm(self) -> None:
        """Enter in pick mode: link the highlighted candidate."""
        if self.pick is not None and self.pick.candidate is not None:
            self.choose(self.pick.candidate)

    def clicked(self, hits: list[AnnotationData]) -> bool:
        """A click during pick mode; returns True when it was used for the link."""
        assert self.pick is not None
        fitting = [h for h in hits if h.label in self.pick.relation.to_labels and self.doc.mine(h)]
        if fitting:
            self.choose(fitting[0])
            return True
        if hits:
            self.window.show_message(
                f"That is a {hits[0].label}; a {self.pick.relation.name} link needs a "
                f"{' or '.join(self.pick.relation.to_labels)}."
            )
        return False

    def choose(self, target: AnnotationData) -> None:
        """Link the picked annotation to this target (one undo step)."""
        assert self.pick is not None
        pick = self.pick
        change = link(
            pick.source,
            target,
            pick.relation.name,
            self.doc.relations.values(),
            pick.relation.max_per_source,
            self.doc.text,
        )
        self._finish(change)

    def create_target(self, label: str, whole_words: bool = True) -> bool:
        """Selected text + the target's key in pick mode: new mention and link at once."""
        assert self.pick is not None
        if label not in self.pick.relation.to_labels:
            self.window.show_message(
                f"A {self.pick.relation.name} link needs a "
                f"{' or '.join(self.pick.relation.to_labels)}, not a {label}."
            )
            return False
        span = self.window.article.selected_span()
        if span is None or self.doc.document is None:
            return False
        start, end = snap_span(self.doc.text, span[0], span[1], whole_words)
        if start >= end:
            return False
        mention = new_annotation(self.doc.document.id, self.doc.annotator, label, start, end)
        change = link(
            self.pick.source,
            mention,
            self.pick.relation.name,
            self.doc.relations.values(),
            self.pick.relation.max_per_source,
            self.doc.text,
            extra=(added(mention),),
        )
        self._finish(change)
        return True

    def _finish(self, change: Change) -> None:
        assert self.pick is not None
        source = self.pick.source
        self.pick = None
        self.window.article.viewport().unsetCursor()
        self.window.article.set_candidate(None)
        if change.is_empty():
            self.doc.set_current(self.doc.get(source.id))
            self.window.show_message("Already linked.")
            return
        self.window.push(change, select=source.id)
        record = self.doc.get(source.id)
        if record is not None:
            self.window.article.show_annotation(record)

    # -- entities -----------------------------------------------------------------------------

    def link_entity(self) -> None:
        """E: put the selected mention into an entity (chosen by typing) or a new one."""
        mention = self.doc.current
        if mention is not None and not self.window.editable(mention):
            return
        label = self.schema.label(mention.label) if mention else None
        if mention is None or label is None or not label.forms_entities:
            names = [lb.name for lb in self.schema.labels if lb.forms_entities]
            self.window.show_message(f"Select a {' or '.join(names)} mention first, then press E.")
            return
        current = self.doc.entity_of(mention.id)
        suggested = current.name if current else self.doc.text_of(mention, " ")
        mine = [e for e in self.doc.entities.values() if e.annotator == self.doc.annotator]
        answer = self.window.dialogs.choose_entity(self.window.qt, mine, suggested)
        if answer is None:
            return
        entity_id, name = answer
        target = self.doc.entities.get(entity_id) if entity_id else None
        if target is None and not name.strip():
            self.window.show_message("An entity needs a name.")
            return
        change = assign_entity(mention, current, target, name, self.schema.entity_types[0])
        if change.is_empty():
            self.window.show_message("The mention is in that entity already.")
            return
        self.window.push(change, select=mention.id)

    def merge_selected(self) -> None:
        """Entities > Merge the selected entities into one."""
        entities = self.window.entity_panel.selected_entities()
        if len(entities) < 2:
            self.window.show_message("Select two or more entities in the entity list to merge.")
            return
        keep = max(entities, key=lambda e: (len(e.mentions), -entities.index(e)))
        others = [e for e in entities if e.id != keep.id]
        self.window.push(merge_entities(keep, others))
        self.window.entity_panel.select_entity(keep.id)

    def split_current(self) -> None:
        """Entities > Split the current mention out of its entity."""
        mention = self.doc.current
        if mention is not None and not self.window.editable(mention):
            return
        entity = self.doc.entity_of(mention.id) if mention else None
        if mention is None or entity is None:
            self.window.show_message("Select a mention that belongs to an entity to split it out.")
            return
        self.window.push(split_mention(entity, mention, self.doc.text), select=mention.id)

    def rename_selected(self) -> None:
        """Entities > Rename the selected entity."""
        chosen = self.window.entity_panel.selected_entities()
        entity = chosen[0] if chosen else None
        if entity is None and self.doc.current is not None:
            entity = self.doc.entity_of(self.doc.current.id)
        if entity is None:
            self.window.show_message("Select an entity (or one of its mentions) to rename it.")
            return
        name = self.window.dialogs.ask_text(self.window.qt, "Rename entity", "Name:", entity.name)
        if name and name != entity.name:
            self.window.push(rename_entity(entity, name))

    # -- fragments ----------------------------------------------------------------------------

    def add_fragment(self, whole_words: bool = True) -> None:
        """F: add selected text to the selected annotation as another fragment. With nothing
        selected yet, F holds the annotation until the next part is selected and F pressed."""
        record = self.fragment_of or self.doc.current
        if record is not None and not self.window.editable(record):
            return
        span = self.window.article.selected_span()
        if record is None:
            self.window.show_message(
                "Select an annotation, press F, select the next part of its text, press F again."
            )
            return
        if span is None:
            self.fragment_of = record
            self.window.show_message(
                f"Select the next part of {describe(record, self.doc.text)} and press F again; "
                "Esc cancels.",
                persistent=True,
            )
            return
        self.fragment_of = None
        start, end = snap_span(self.doc.text, span[0], span[1], whole_words)
        if start >= end:
            self.window.show_message("The selection holds only white space.")
            return
        self.window.push(add_fragment(record, start, end, self.doc.text), select=record.id)
