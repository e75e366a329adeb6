"""Suggestions in the window: shown dashed and muted (never like real annotations), walked
with N / Shift+N, accepted with Enter (quote, speaker, cue, links and entity in one undo
step), rejected with Backspace (and not suggested again for that document)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication

from db.changes import Change, added
from db.records import REJECTED, SUGGESTION_PREFIX, DecisionData, now_iso
from db.text.messages import counted
from desktop.document.commands import Applied

if TYPE_CHECKING:
    from db.suggest import Suggestion, Suggestions
    from db.suggest.learned import LearnedModel
    from desktop.controllers.window_face import WindowFace

PREFIX = SUGGESTION_PREFIX
AUTOMATIC_SETTING = "suggest/automatic"


@contextmanager
def waiting() -> Iterator[None]:
    """The wait cursor while suggesting or accepting many (the window cannot answer)."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()


class SuggestionController(QObject):
    """Suggestions in the window: found, shown, walked, accepted and rejected."""

    itemsChanged = Signal()  # the list of suggestions, or the current one, changed

    def __init__(self, window: WindowFace) -> None:
        super().__init__(window.qt)
        self.window = window
        self.doc = window.doc
        self.items: list[Suggestion] = []
        self.index = -1
        self.doc.reset.connect(self._document_changed)
        window.changeApplied.connect(self._change_applied)
        self.shown_for: str | None = None
        self.automatic = False  # suggest on opening a document the annotator has not touched
        self._found: tuple[tuple[str, ...], Suggestions] | None = None  # the last asked for
        # the trained model to suggest with, (its id, the model), when there is one in use
        self.model_source: Callable[[], tuple[str, LearnedModel] | None] | None = None

    @property
    def current(self) -> Suggestion | None:
        """The suggestion selected now, if any."""
        return self.items[self.index] if 0 <= self.index < len(self.items) else None

    @property
    def active(self) -> bool:
        """Whether suggestions are showing."""
        return bool(self.items)

    def _change_applied(self, applied: Applied) -> None:
        """An undone accept or reject puts its suggestion back in the list (and a redone one
        takes it out); a new edit from here has already updated the list."""
        if applied.stepped and (self.active or self.shown_for == self.doc.document_id):
            self.refresh()

    def _document_changed(self) -> None:
        if self.doc.document_id != self.shown_for:
            self.clear()
            if self.automatic:  # once the document is fully open
                QTimer.singleShot(0, self._suggest_if_new)

    def set_automatic(self, on: bool) -> None:
        """The "Suggest automatically for new documents" option (kept in the settings)."""
        self.automatic = on
        self.window.settings.setValue(AUTOMATIC_SETTING, on)
        if on:
            self._suggest_if_new()

    def _suggest_if_new(self) -> None:
        """Suggest for the open document if the annotator has nothing in it yet."""
        doc = self.doc
        if doc.document_id is None or doc.document_id == self.shown_for:
            return
        if not doc.complete or doc.count_mine():
            return  # work has begun here: suggestions stay on request
        self.request(quiet=True)

    def clear(self) -> None:
        """Stop showing suggestions."""
        showing = self.current is not None
        self.items, self.index, self.shown_for = [], -1, None
        self._show()
        if showing:  # its "Suggestion 3 of 8 … Enter accepts" no longer holds
            self.window.qt.statusBar().clearMessage()

    def _rejected(self) -> set[str]:
        document_id = self.doc.document_id
        if document_id is None:
            return set()
        return {
            d.key.removeprefix(PREFIX)
            for d in self.window.store.decisions(document_id, self.doc.annotator)
            if d.key.startswith(PREFIX) and d.value == REJECTED
        }

    def request(self, quiet: bool = False) -> None:
        """Ctrl+Shift+S: suggest for the open document (what was rejected stays away);
        `quiet` says nothing when there is nothing to suggest."""
        from db.suggest import lexicon_for, pending, suggest  # loaded on first use

        document = self.doc.document
        if document is None:
            return
        settings = self.window.store.suggest_settings()  # the schema's quote definition
        model = self.model_source() if self.model_source is not None else None
        key = (document.id, self.doc.annotator, settings.to_text(), model[0] if model else "")
        if self._found is None or self._found[0] != key:  # a text never changes: ask once
            with waiting():  # ~1 s for 2 MB (the rules), a few with a model
                found = suggest(
                    document.text,
                    document.id,
                    self.doc.annotator,
                    lexicon_for(settings),
                    model[1] if model else None,
                )
                self._found = (key, found)
        found = self._found[1]
        mine = [r for r in self.doc.records() if self.doc.mine(r)]
        self.items = pending(found, mine, self._rejected())
        self.shown_for = document.id
        self.index = -1
        if not quiet:  # Enter, N and Backspace act in the article: the keys go there
            self.window.article.setFocus()
        if not self.items:
            if not quiet:
                self.window.show_message("No new suggestions for this document.")
            self._show()
            return
        self.step(False)

    def refresh(self) -> None:
        """Ask again after an undo or redo: a suggestion it brought back becomes the current
        one (the user is looking at it); otherwise the place is kept."""
        current = self.current
        before = {s.key for s in self.items}
        self.request(quiet=True)
        keys = [s.key for s in self.items]
        back = [i for i, key in enumerate(keys) if key not in before]
        if back:
            self.index = back[0]
            self._show()
        elif current is not None and current.key in keys:
            self.index = keys.index(current.key)
            self._show()

    def nothing_current(self) -> str:
        """What Enter, Backspace or N say when there is no suggestion to act on."""
        if self.items:
            return "No suggestion selected: N goes to the next one."
        return "No suggestions: Ctrl+Shift+S asks for them."

    def step(self, backwards: bool) -> None:
        """N / Shift+N: the next (previous) suggestion after the caret."""
        if not self.items:
            self.window.show_message(self.nothing_current())
            return
        if self.index >= 0 and not self._on_screen(self.items[self.index]):
            self.index = -1  # the reader scrolled away: go on from what they see
            top, bottom = self.window.article.visible_offsets()
            caret = self.window.article.cursor_offset()
            offset = caret if top <= caret <= bottom else top
        else:
            offset = self.window.article.cursor_offset()
        if self.index < 0:
            after = [i for i, s in enumerate(self.items) if s.quote.start >= offset]
            self.index = after[0] if after and not backwards else (len(self.items) - 1)
            if backwards:
                before = [i for i, s in enumerate(self.items) if s.quote.start < offset]
                self.index = before[-1] if before else len(self.items) - 1
        else:
            self.index = (self.index + (-1 if backwards else 1)) % len(self.items)
        self._show()

    def go_to(self, index: int) -> None:
        """Make the suggestion at `index` the current one (picked in the suggestion list)."""
        if 0 <= index < len(self.items) and index != self.index:
            self.index = index
            self._show()

    def _show(self) -> None:
        self.itemsChanged.emit()
        current = self.current
        self.window.article.set_suggestions(
            [s.quote.spans for s in self.items],
            [x.spans for x in (current.speaker, current.cue) if x] if current else [],
            current.quote.spans if current else None,
        )
        if current is None:
            return
        self.doc.set_current(None)
        self.window.article.show_span(current.quote.start, current.quote.end)
        self.window.show_message(
            f"Suggestion {self.index + 1} of {len(self.items)}: "
            f"{current.describe(self.doc.text)} [{current.rule}] — Enter accepts, Backspace "
            "rejects, N / Shift+N move on.",
            persistent=True,
        )

    def _drop_current(self) -> None:
        del self.items[self.index]
        if not self.items:
            self.index = -1
            self.window.show_message("Every suggestion is reviewed.")
        else:
            self.index %= len(self.items)
        self._show()

    def _state(self) -> tuple[list, list, list]:
        mine = self.doc.annotator
        return (
            [r for r in self.doc.records() if r.annotator == mine],
            [r for r in self.doc.relations.values() if r.annotator == mine],
            [e for e in self.doc.entities.values() if e.annotator == mine],
        )

    def _on_screen(self, suggestion: Suggestion) -> bool:
        start, end = self.window.article.visible_offsets()
        return suggestion.quote.start < end and suggestion.quote.end > start

    def _unseen(self, suggestion: Suggestion) -> bool:
        """Enter or Backspace on a suggestion scrolled out of sight shows it first: nobody
        accepts or rejects what they cannot see."""
        if self._on_screen(suggestion):
            return False
        self._show()
        self.window.show_message(
            f"Suggestion {self.index + 1} of {len(self.items)} is shown again: press the key "
            "once more to act on it (N goes to the next one on screen)."
        )
        return True

    def accept(self) -> bool:
        """Accept the current suggestion: quote, speaker, cue and entity in one undo step."""
        from db.suggest import accept_change

        suggestion = self.current
        if suggestion is None:
            return False
        if self._unseen(suggestion):
            return True
        change = accept_change(suggestion, *self._state())
        description = f"Accept {suggestion.describe(self.doc.text)}"
        if not change.is_empty():
            change = Change(description, change.annotations, change.relations, change.entities)
            if not self.window.push(change):
                return True
        self._drop_current()
        return True

    def reject(self) -> bool:
        """Reject the current suggestion (recorded, so it is not suggested again)."""
        suggestion = self.current
        document_id = self.doc.document_id
        if suggestion is None or document_id is None:
            return False
        if self._unseen(suggestion):
            return True
        decision = DecisionData(
            document_id, self.doc.annotator, PREFIX + suggestion.key, REJECTED, now_iso()
        )
        change = Change(
            f"Reject {suggestion.describe(self.doc.text)}", decisions=(added(decision),)
        )
        if self.window.push(change):
            self._drop_current()
        return True

    def accept_all(self) -> None:
        """Accept every suggestion shown, in one undo step."""
        if not self.items:
            self.window.show_message("No suggestions to accept: Ctrl+Shift+S asks for them.")
            return
        from db.suggest.accept import accept_all_change

        with waiting():  # 3 s for the 15,000 suggestions of 2 MB
            change = accept_all_change(self.items, *self._state())
            done = change.is_empty() or self.window.push(change)
        if done:
            count = len(self.items)
            self.items, self.index = [], -1  # still shown for this document: an undo brings
            self._show()  # them back
            self.window.show_message(f"Accepted {counted(count, 'suggestion')} in one step.")
