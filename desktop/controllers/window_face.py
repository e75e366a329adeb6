"""What the controllers see of the main window: a narrow face, not `MainWindow` itself.

A controller that imported MainWindow made an import circle and could reach into anything
(`agreement_dialog` once called a private method). Each controller now types its window as
`WindowFace`; the window satisfies it structurally (mypy checks that where the window hands
itself over), and the list below is everything a controller may use. A controller that needs
more adds it here, where a reviewer sees it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from PySide6.QtCore import QSettings, SignalInstance
    from PySide6.QtGui import QAction, QKeySequence, QUndoStack
    from PySide6.QtWidgets import QMainWindow, QWidget

    from db.changes import Change
    from db.records import AnnotationData
    from db.schema.label_schema import LabelDef
    from db.store import Store
    from desktop.controllers.compare_view import CompareView
    from desktop.controllers.suggestions import SuggestionController
    from desktop.document.open_document import OpenDocument
    from desktop.widgets.article_view import ArticleView
    from desktop.widgets.dialogs import Dialogs
    from desktop.widgets.side_panels import EntityPanel


class WindowFace(Protocol):
    """The window as controllers use it: the data, the shared widgets, and a few verbs."""

    store: Store
    annotator: str
    settings: QSettings
    dialogs: Dialogs
    labels: list[LabelDef]
    doc: OpenDocument
    article: ArticleView
    entity_panel: EntityPanel
    undo_stack: QUndoStack
    actions_by_name: dict[str, QAction]
    suggestions: SuggestionController
    compare_view: CompareView

    @property
    def qt(self) -> QMainWindow:
        """The window as a Qt widget: the parent of dialogs, the owner of bars and docks."""
        ...

    @property
    def changeApplied(self) -> SignalInstance:
        """Emitted with an Applied after each edit, undo or redo that reached the disk."""
        ...

    @property
    def databaseSwitchRequested(self) -> SignalInstance:
        """Emitted with (path, schema text) when the user opens another database."""
        ...

    @property
    def reviewing(self) -> bool:
        """Whether the compare view is showing."""
        ...

    def show_message(self, message: str, persistent: bool = False) -> None:
        """A line in the status bar (for 8 s unless persistent)."""

    def push(self, change: Change, select: str | None = None) -> bool:
        """Make one edit an undo step; True when it is on disk."""
        ...

    def editable(self, record: AnnotationData) -> bool:
        """Whether the current annotator may change this annotation (says why not)."""
        ...

    def make_action(
        self,
        name: str,
        text: str,
        slot: Callable[[], Any],
        shortcuts: Sequence[QKeySequence | str] | None = None,
        tip: str | None = None,
        widgets: list[QWidget] | None = None,
    ) -> QAction:
        """A named action with its keys, listed in Help > Keyboard shortcuts."""
        ...

    def open_row(self, row: int) -> None:
        """Open the document in this row of the document list."""

    def refresh_documents(self) -> None:
        """Reload the document list from the store."""

    def remember_file_state(self) -> None:
        """Take the database file's signature after our own bulk write (no outside news)."""

    def notice_outside_changes(self) -> bool:
        """Reload what another process changed on disk; True when something had."""
        ...

    def set_annotator(self, name: str) -> None:
        """Annotate as someone else from now on."""

    def annotators_of_document(self) -> list[str]:
        """Who has annotated the open document, the gold version aside."""
        ...

    def backup_before(self, operation: str) -> bool:
        """A backup before a bulk operation; False when the user cancels."""
        ...

    def edit_in_gold(self, gold: str, item: Any) -> None:
        """Annotate as the gold annotator with the accepted copy of `item` selected."""
