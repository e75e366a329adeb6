"""Running edits: every new edit and every undo or redo step goes through here, and each
that reaches the disk is announced once, as `changeApplied`, for every view to follow.

Before, the window wired what follows an edit by hand: the undo step found the document id by
`getattr`, refreshed the suggestions itself, and undo and redo each refreshed the compare
view. Now a view that cares connects to the window's `changeApplied` and decides from the
`Applied` notice (after Anki's `operation_did_execute`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from desktop.document.commands import Applied, SetStatus, StoreCommand

if TYPE_CHECKING:
    from desktop.window.main_window import MainWindow


class EditRunner(QObject):
    """Pushes commands onto the window's undo stack and steps it, saying what was applied."""

    changeApplied = Signal(object)  # an Applied, after the edit is on disk

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def push(self, command: StoreCommand) -> bool:
        """Make one edit an undo step; it is on disk when this returns True."""
        window = self.window
        window.doc.ensure_complete()
        window.notice_outside_changes()  # so our signature afterwards hides nobody else's work
        with window.article.held():
            window.undo_stack.push(command)
        if command.failure and command.refused:
            window.show_message(command.failure)  # a rule said no; nothing was at risk
            return False
        if command.failure:
            window.report_failure(command.failure)
            return False
        self._announce(command, "Saved: ", stepped=False)
        return True

    def step(self, backwards: bool) -> None:
        """Undo (backwards) or redo one step, showing its document first."""
        window = self.window
        stack = window.undo_stack
        index = stack.index() - 1 if backwards else stack.index()
        if not 0 <= index < stack.count():
            return
        window.links.cancel()
        command = stack.command(index)
        if not isinstance(command, StoreCommand):  # push() takes nothing else
            raise TypeError(f"not a store command on the undo stack: {command!r}")
        if command.document_id and command.document_id != window.doc.document_id:
            window.open_document(command.document_id)  # show the user what is being undone
        with window.article.held():
            if backwards:
                stack.undo()
            else:
                stack.redo()
        if command.failure:
            window.report_failure(command.failure)
            return
        self._announce(command, "Undone: " if backwards else "Redone: ", stepped=True)

    def _announce(self, command: StoreCommand, verb: str, stepped: bool) -> None:
        self.changeApplied.emit(
            Applied(
                message=verb + command.text(),
                document_id=command.document_id,
                statuses_changed=isinstance(command, SetStatus),
                stepped=stepped,
            )
        )
