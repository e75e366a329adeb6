"""The main window: document list, article, annotation list, and every action on them."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QByteArray, QEvent, QItemSelectionModel, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from db.changes import Change
from db.edits import add_annotation, describe, edit_annotation
from db.errors import DatabaseProblem
from db.records import AnnotationData, new_annotation
from db.store import Store
from db.text.messages import counted
from db.text.spans import snap_span, word_at
from desktop.controllers.compare_view import CompareView
from desktop.controllers.file_menu import FileMenu
from desktop.controllers.linking import LinkController
from desktop.controllers.suggestions import AUTOMATIC_SETTING, SuggestionController
from desktop.controllers.team_sync import TeamSync
from desktop.controllers.training import install_training
from desktop.document.commands import Applied, ApplyChange, SetStatus, StoreCommand, undo_text
from desktop.document.open_document import OpenDocument
from desktop.identity import APP_NAME, ORGANISATION
from desktop.widgets.article_view import ArticleView
from desktop.widgets.attribute_panel import AttributePanel
from desktop.widgets.dialogs import Dialogs
from desktop.widgets.document_list import LazyDocumentListModel
from desktop.widgets.find_bar import FindBar
from desktop.widgets.plain_text import tooltip_text
from desktop.widgets.side_panels import AnnotationPanel, AnnotatorPanel, EntityPanel
from desktop.widgets.welcome import WelcomePane
from desktop.window.actions import build_actions, build_menus_and_toolbar
from desktop.window.edit_runner import EditRunner
from desktop.window.fast_start import last_document_key

if TYPE_CHECKING:
    from desktop.controllers.agreement_dialog import AgreementDialog

_ID_ROLE = Qt.ItemDataRole.UserRole


def shortcut_text(action: QAction) -> str:
    """An action's keys as the platform writes them."""
    return ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts())


class MainWindow(QMainWindow):
    """One database, one annotator; the open document is `self.doc`."""

    changeApplied = Signal(object)  # an Applied: one notice after each edit, undo or redo
    databaseSwitchRequested = Signal(str, str)  # path, schema text ('' for the default)
    restoreRequested = Signal(str)  # backup path: the keeper closes, restores and reopens

    # Declared for the actions table (desktop/window/actions.py), which mypy reads before
    # __init__ has assigned them.
    store: Store
    article: ArticleView
    find_bar: FindBar
    files: FileMenu
    links: LinkController
    suggestions: SuggestionController
    team: TeamSync

    def __init__(
        self,
        store: Store,
        annotator: str,
        settings: QSettings | None = None,
        dialogs: Dialogs | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setAccessibleName("Spanwise")
        self.store = store
        self.annotator = annotator
        self.settings = settings or QSettings(ORGANISATION, APP_NAME)
        self.dialogs = dialogs or Dialogs()
        self.labels = store.labels()
        self.doc = OpenDocument(store, annotator, self)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setObjectName("undoStack")
        self.edits = EditRunner(self)
        self.edits.changeApplied.connect(self.changeApplied)
        self.actions_by_name: dict[str, QAction] = {}
        self._known_annotators: list[str] = []
        self._signature = store.file_signature()

        self._build_widgets()
        self.files = FileMenu(self)
        self.links = LinkController(self)
        self.suggestions = SuggestionController(self)
        self.team = TeamSync(self)
        self._build_actions()
        self.compare_view = CompareView(self)
        self.pages.addWidget(self.compare_view)
        self.welcome = WelcomePane(self.labels, self.actions_by_name)
        self.pages.addWidget(self.welcome)
        self._build_menus_and_toolbar()
        self._connect()
        self.refresh_documents()
        self._restore_settings()
        self.article.setFocus()  # the first key a user presses goes to the article
        self.training = install_training(self)  # Annotate > Train suggestions, the list

    @property
    def qt(self) -> QMainWindow:
        """The window as a Qt widget (WindowFace's parent for dialogs, bars and docks)."""
        return self

    # -- construction -------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self._build_document_list()
        self._build_centre()
        self._build_panels()
        self._build_layout()
        self._build_status_bar()
        self.resize(1440, 860)

    def _build_document_list(self) -> None:
        self.document_model = LazyDocumentListModel()
        self.document_list = QTreeView()
        self.document_list.setObjectName("documentList")
        self.document_list.setAccessibleName("Documents")
        self.document_list.setModel(self.document_model)
        self.document_list.setRootIsDecorated(False)
        self.document_list.setUniformRowHeights(True)
        self.document_list.setAllColumnsShowFocus(True)
        header = self.document_list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)

    def _build_centre(self) -> None:
        """The article with the find bar above it."""
        link_types = [r.name for r in self.store.schema().relation_types]
        self.article = ArticleView(self.doc, self.labels, link_types)
        self.find_bar = FindBar(self.article)
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.setSpacing(0)
        centre_layout.addWidget(self.find_bar)
        centre_layout.addWidget(self.article)
        self.centre = centre

    def _build_panels(self) -> None:
        """The annotation list and attributes (right), the entities and annotators (left)."""
        self.annotation_panel = AnnotationPanel(self.doc, self.labels)
        self.annotation_model = self.annotation_panel.model
        self.annotation_list = self.annotation_panel.table
        self.attribute_panel = AttributePanel(self.doc, self.labels)
        self.entity_panel = EntityPanel(self.doc)
        self.entity_list = self.entity_panel.table
        self.annotator_panel = AnnotatorPanel(self.doc, self.annotation_panel)
        self.annotator_list = self.annotator_panel.list
        self.left_tabs = QTabWidget()
        self.left_tabs.setObjectName("leftTabs")
        self.left_tabs.addTab(self.entity_panel, "Entities")
        self.left_tabs.addTab(self.annotator_panel, "Annotators")

    def _build_layout(self) -> None:
        """Three columns: documents and tabs, the article (or review) pages, the lists."""
        right = self.right_panel = QSplitter(Qt.Orientation.Vertical)
        right.setObjectName("rightSplitter")
        right.addWidget(self.annotation_panel)
        right.addWidget(self.attribute_panel)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 1)

        left = QSplitter(Qt.Orientation.Vertical)
        left.setObjectName("leftSplitter")
        left.addWidget(self.document_list)
        left.addWidget(self.left_tabs)
        left.setStretchFactor(0, 2)
        left.setStretchFactor(1, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(left)
        self.pages = QStackedWidget()
        self.pages.setObjectName("centrePages")
        self.pages.addWidget(self.centre)
        self.splitter.addWidget(self.pages)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setStretchFactor(2, 2)
        self.splitter.setSizes([260, 620, 560])
        self.setCentralWidget(self.splitter)

    def _build_status_bar(self) -> None:
        self.save_label = QLabel()
        self.save_label.setObjectName("saveStatus")
        self.save_label.setTextFormat(Qt.TextFormat.PlainText)
        self.count_label = QLabel()
        self.count_label.setObjectName("annotationCount")
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.statusBar().addPermanentWidget(self.save_label)
        self.statusBar().addPermanentWidget(self.count_label)
        self.save_label.setText("All changes saved")

    def make_action(
        self,
        name: str,
        text: str,
        slot: Callable[[], Any],
        shortcuts: Sequence[QKeySequence | str] | None = None,
        tip: str | None = None,
        widgets: list[QWidget] | None = None,
    ) -> QAction:
        """Create a named action; with `widgets` its shortcut works only where they have focus."""
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcuts:
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        keys = ", ".join(
            k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()
        )
        action.setToolTip(
            tooltip_text(f"{tip or text.replace('&', '')}" + (f" ({keys})" if keys else ""))
        )
        action.setStatusTip(tip or text.replace("&", ""))
        action.triggered.connect(lambda _checked=False: slot())
        if widgets:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            for widget in widgets:
                widget.addAction(action)
        else:
            self.addAction(action)
        self.actions_by_name[name] = action
        return action

    def _build_actions(self) -> None:
        build_actions(self)

    def _build_menus_and_toolbar(self) -> None:
        build_menus_and_toolbar(self)

    def _connect(self) -> None:
        self.changeApplied.connect(self._after_edit)
        self.document_list.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._document_chosen(current.row())
        )
        self.annotation_panel.rowChosen.connect(self._annotation_row_chosen)
        self.annotation_list.clicked.connect(lambda index: self._annotation_row_chosen(index.row()))
        self.entity_list.selectionModel().selectionChanged.connect(self._entities_chosen)
        self.article.cursorPositionChanged.connect(self._caret_moved)
        self.article.annotationClicked.connect(self._annotation_clicked)
        self.attribute_panel.editRequested.connect(self._edit_requested)
        self.doc.currentChanged.connect(self._sync_list_selection)
        self.doc.reset.connect(self._update_counts)
        self.doc.added.connect(self._update_counts)
        self.doc.removed.connect(self._update_counts)
        self.undo_stack.canUndoChanged.connect(self.actions_by_name["undo"].setEnabled)
        self.undo_stack.canRedoChanged.connect(self.actions_by_name["redo"].setEnabled)
        self.undo_stack.undoTextChanged.connect(lambda text: self._name_step("undo", text))
        self.undo_stack.redoTextChanged.connect(lambda text: self._name_step("redo", text))

    def _name_step(self, name: str, text: str) -> None:
        """Edit > Undo names the edit ("Undo Accept suggested direct quote"); the toolbar
        button keeps its short name (iconText), the tooltip tells the rest."""
        action = self.actions_by_name[name]
        verb = name.capitalize()
        action.setText(f"&{verb} {undo_text(text)}".strip())
        keys = shortcut_text(action)
        action.setToolTip(tooltip_text(f"{verb} {text}".strip() + (f" ({keys})" if keys else "")))

    # -- settings -----------------------------------------------------------------------------

    def _settings_key(self) -> str:
        return last_document_key(self.store.path)

    def _restore_settings(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        splitter = self.settings.value("window/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        automatic = self.settings.value(AUTOMATIC_SETTING, False, type=bool)
        self.actions_by_name["autoSuggest"].setChecked(bool(automatic))
        self.suggestions.automatic = bool(automatic)
        last = self.settings.value(self._settings_key())
        row = self.document_model.row_of(str(last)) if last else -1
        self.open_row(row if row >= 0 else 0)

    def save_settings(self) -> None:
        """Keep the window's geometry, its splitter and the open document for next time."""
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        if self.doc.document_id:
            self.settings.setValue(self._settings_key(), self.doc.document_id)
        self.settings.sync()

    def changeEvent(self, event: QEvent) -> None:
        """Coming back to the window: show what another window or the command line added."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.notice_outside_changes()

    def notice_outside_changes(self) -> bool:
        """Reload when the database changed behind our back; True when it did."""
        signature = self.store.file_signature()
        if signature == self._signature:
            return False
        self._signature = signature
        self.refresh_documents()
        self.doc.reload()
        if self.reviewing:
            self.compare_view.refresh()
        self.show_message("Updated with changes made outside this window.")
        return True

    def closeEvent(self, event: QCloseEvent) -> None:
        """Commit a note being typed and keep the settings before closing."""
        self.attribute_panel.commit_note()
        self.save_settings()
        super().closeEvent(event)

    # -- documents ----------------------------------------------------------------------------

    @property
    def annotation_proxy(self) -> Any:
        """What the annotation list shows: the table model, or its filtering proxy."""
        return self.annotation_panel.shown

    def refresh_documents(self) -> None:
        """Reload the document list from the store."""
        self.document_model.load(self.store, self.annotator)
        names = self.store.annotators()
        if names != self._known_annotators:
            self._known_annotators = names
            self.annotator_panel.set_annotators(names)
        self.show_centre()

    def show_centre(self) -> None:
        """The article, or the welcome pane while the database holds no document."""
        if self.reviewing:
            return
        empty = self.document_model.rowCount() == 0
        self.pages.setCurrentWidget(self.welcome if empty else self.centre)

    def open_example(self) -> None:
        """Help > Open the example article: the bundled seed, imported if need be, opened."""
        from seeds import seed_paths

        seed = seed_paths()[0]
        if self.document_model.row_of_source(seed.name) < 0:
            self.files.import_paths([seed], "Importing the example…")
        row = self.document_model.row_of_source(seed.name)
        if row >= 0:
            self.open_row(row)
            self.article.setFocus()

    def open_row(self, row: int) -> None:
        """Open the document in this row of the document list."""
        self.show_centre()
        if not 0 <= row < self.document_model.rowCount():
            self.doc.open(None)
            self._update_title()
            return
        self.document_list.selectionModel().setCurrentIndex(
            self.document_model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self._document_chosen(row)

    def open_document(self, document_id: str) -> None:
        """Open the document with this id."""
        self.open_row(self.document_model.row_of(document_id))

    def _document_chosen(self, row: int) -> None:
        if not 0 <= row < self.document_model.rowCount():
            return
        document_id = self.document_model.document(row).id
        if document_id == self.doc.document_id:
            return
        self.attribute_panel.commit_note()
        self.links.cancel()
        self.doc.set_current(None)
        self.doc.open(document_id)
        if self.reviewing:
            self.compare_view.refresh()
        self.article.place_cursor(0)
        self._update_title()
        self.settings.setValue(self._settings_key(), document_id)

    def step_document(self, step: int) -> None:
        """Open the next (or previous, for -1) document in the list."""
        row = self.document_model.row_of(self.doc.document_id) + step
        if 0 <= row < self.document_model.rowCount():
            self.open_row(row)

    def mark_done_and_next(self) -> None:
        """Mark the open document done (one undo step) and open the next one."""
        document_id = self.doc.document_id
        if document_id is None:
            return
        self.attribute_panel.commit_note()
        before = self.store.status(document_id, self.annotator)
        if before != "done":
            self._push(SetStatus(self.doc, document_id, before, "done"))
        rows = self.document_model.rows()
        start = self.document_model.row_of(document_id)
        ordered = rows[start + 1 :] + rows[:start]
        target = next((r for r in ordered if r.status != "done"), None)
        if target is None:
            self.show_message("Document done. Every document is done.")
            return
        self.open_document(target.id)
        self.show_message(f"Document done. Opened the next one not done: {target.title}")

    def _update_title(self) -> None:
        title = self.doc.document.title if self.doc.document else "no document"
        if len(title) > 60:
            title = title[:59] + "…"
        self.setWindowTitle(f"{title} — {self.annotator} — Spanwise ({self.store.path.name})")

    def _update_counts(self, *_args: object) -> None:
        count = len(self.doc)
        self.count_label.setText(f"{count} annotation{'s' if count != 1 else ''}")

    # -- annotating ---------------------------------------------------------------------------

    def apply_label(self, label: str, whole_words: bool = True) -> None:
        """Label the selection (snapped to words unless exact); with no selection, relabel the
        selected annotation or label the word at the caret."""
        if self.doc.document is None:
            return
        self.doc.ensure_complete()
        span = self.article.selected_span()
        if self.links.picking:
            if span is not None:
                self.links.create_target(label, whole_words)
            else:
                self.show_message("Select the text of the mention first, or click one.")
            return
        if span is None:
            current = self.doc.current
            if current is not None:
                if not self.editable(current):
                    return
                if current.label != label:
                    after = dataclasses.replace(current, label=label, attributes={})
                    self.push(edit_annotation(current, after, f"Relabel as {label}", self.doc.text))
                return
            span = word_at(self.doc.text, self.article.cursor_offset())
            if span[0] == span[1]:
                self.show_message("Select some text first, then press a label key.")
                return
        start, end = snap_span(self.doc.text, span[0], span[1], whole_words)
        if start >= end:
            self.show_message("The selection holds only white space; nothing labelled.")
            return
        twin = next(
            (
                r
                for r in self.doc.overlapping(start, end)
                if self.doc.mine(r) and r.label == label and r.spans == ((start, end),)
            ),
            None,
        )
        if twin is not None:  # the same label on the same text once is enough
            self.select_annotation(twin)
            self.show_message(f"This text is a {label} already; selected it.")
            return
        record = new_annotation(self.doc.document.id, self.annotator, label, start, end)
        if self.push(add_annotation(record, self.doc.text), select=record.id):
            self.article.place_cursor(end)

    def delete_current(self) -> None:
        """Delete the selected annotation; if others point at it, ask once, then remove the
        links in the same undoable step."""
        record = self.doc.current
        if record is None:
            self.show_message("No annotation selected.")
            return
        if not self.editable(record):
            return
        change = self.store.deletion_change(record.id, f"Delete {describe(record, self.doc.text)}")
        if change.relations or change.entities:
            parts = []
            if change.relations:
                parts.append(counted(len(change.relations), "link"))
            entity = self.doc.entity_of(record.id)
            if entity is not None:
                parts.append(f"its place in entity “{entity.name}”")
            question = (
                f"Delete {describe(record, self.doc.text)}?\n\n"
                f"This also removes {' and '.join(parts)}. Undo brings all of it back."
            )
            if not self.dialogs.confirm(self, "Delete linked annotation", question):
                return
        self.push(change)

    def step_annotation(self, backwards: bool) -> None:
        """Make the next (or previous) annotation current."""
        self.doc.ensure_complete()
        if self.links.picking:
            self.links.step(backwards)
            return
        current = self.doc.current
        if current is not None:
            index = self.doc.index_of(current.id) + (-1 if backwards else 1)
            records = self.doc.records()
            target = records[index % len(records)] if records else None
        else:
            target = self.doc.next_after(self.article.cursor_offset(), backwards)
        if target is not None:
            self.select_annotation(target)

    def confirm_pick(self) -> None:
        """Enter: link the highlighted candidate, or accept the current suggestion."""
        if self.links.picking:
            self.links.confirm()
        elif self.suggestions.current is not None:
            self.suggestions.accept()
        else:
            self.show_message(self.suggestions.nothing_current())

    def reject_suggestion(self) -> None:
        """Reject the current suggestion (Backspace)."""
        if not self.suggestions.reject():
            self.show_message(self.suggestions.nothing_current())

    def select_annotation(self, record: AnnotationData | None) -> None:
        """Make this annotation current and show it."""
        self.doc.set_current(record)
        if record is not None:
            self.article.show_annotation(record)

    def clear_selection(self) -> None:
        """Esc: cancel a pick, else clear the selection and the current annotation."""
        if self.links.busy:
            self.links.cancel()
            return
        cursor = self.article.textCursor()
        cursor.clearSelection()
        self.article.setTextCursor(cursor)
        self.doc.set_current(None)
        self.entity_list.clearSelection()

    def _caret_moved(self) -> None:
        """Moving the caret away (without selecting) lets go of the selected annotation, so a
        label key never lands on an annotation the user has left behind."""
        current = self.doc.current
        if (
            current is None
            or self.links.busy
            or self.article.textCursor().hasSelection()
            or QApplication.mouseButtons() != Qt.MouseButton.NoButton  # a drag is starting
        ):
            return
        offset = self.article.cursor_offset()
        if not current.start <= offset <= current.end:
            self.doc.set_current(None)

    def _annotation_clicked(self, record: AnnotationData | None) -> None:
        if self.links.picking:
            hits = [record] if record is not None else []
            if record is not None:
                hits += [h for h in self.doc.at(record.start) if h.id != record.id]
            self.links.clicked(hits)
            return
        self.doc.set_current(record)

    def _annotation_row_chosen(self, row: int) -> None:
        shown = self.annotation_panel.shown
        if self.annotation_model.updating or not 0 <= row < shown.rowCount():
            return  # rows moving under an edit are not the user's choice
        record = shown.record(row)
        if self.links.picking:
            self.links.clicked([record])
            return
        if self.doc.current is None or self.doc.current.id != record.id:
            self.select_annotation(record)

    def _sync_list_selection(self, record: AnnotationData | None) -> None:
        selection = self.annotation_list.selectionModel()
        if record is None:
            selection.clearSelection()
            return
        shown = self.annotation_panel.shown
        row = shown.row_of(record.id)
        if row < 0:
            return
        index = shown.index(row, 0)
        if selection.currentIndex().row() != row or not selection.isRowSelected(row):
            selection.setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        self.annotation_list.scrollTo(index)

    def _entities_chosen(self, *_args: object) -> None:
        self.article.set_group(self.entity_panel.group_of(self.entity_panel.selected_entities()))

    def editable(self, record: AnnotationData) -> bool:
        """Only the current annotator's work is edited here; others' is shown read-only."""
        if self.doc.mine(record):
            return True
        self.show_message(
            f"This {record.label} is {record.annotator}'s; it is shown read-only. Compare and "
            "adjudicate (Review menu) to take it into your own or the gold version."
        )
        return False

    def _edit_requested(self, before: AnnotationData, after: AnnotationData, what: str) -> None:
        if not self.editable(before):
            self.attribute_panel.show_record(self.doc.current)
            return
        self.push(edit_annotation(before, after, what, self.doc.text), select=before.id)

    # -- review -------------------------------------------------------------------------------

    def toggle_review(self) -> None:
        """Switch the centre between annotating and comparing/adjudicating."""
        reviewing = self.pages.currentWidget() is not self.compare_view
        self.actions_by_name["reviewMode"].setChecked(reviewing)
        if reviewing:
            self.attribute_panel.commit_note()
            self.links.cancel()
            self.compare_view.set_annotators(self.annotators_of_document())
            self.pages.setCurrentWidget(self.compare_view)
            self.right_panel.hide()  # the review page needs the room; lists return after
            self.compare_view.refresh()
            self.compare_view.table.setFocus()
            self.show_message("Review: F8 next disagreement; A, B, H, R, E decide.")
        else:
            self.pages.setCurrentWidget(self.centre)
            self.show_centre()
            self.right_panel.show()
            self.doc.reload()
            self.article.setFocus()
            self.show_message("Back to annotating.")  # the review keys no longer apply

    def annotators_of_document(self) -> list[str]:
        """Who has annotated the open document (the gold version aside): those to compare."""
        document_id = self.doc.document_id
        if document_id is None:
            return []
        gold = self.compare_view.gold_name.text().strip() or "gold"
        names = {a.annotator for a in self.store.annotations(document_id)}
        return sorted(names - {gold})

    @property
    def reviewing(self) -> bool:
        """Whether the compare view is showing."""
        return self.pages.currentWidget() is self.compare_view

    def show_agreement(self) -> AgreementDialog:
        """Review > Agreement: the dialog, computed at once when two are chosen."""
        from desktop.controllers.agreement_dialog import AgreementDialog

        self.compare_view.set_annotators(self.annotators_of_document())
        dialog = AgreementDialog(self)
        dialog.show()
        if len(dialog.chosen()) >= 2:
            dialog.compute()
        return dialog

    def set_annotator(self, name: str) -> None:
        """Annotate as someone else from now on (a reviewer editing the gold version)."""
        self.attribute_panel.commit_note()
        self.links.cancel()
        self.annotator = self.store.ensure_annotator(name)
        self.doc.annotator = self.annotator
        self.doc.others.discard(self.annotator)
        self.doc.set_current(None)
        self.doc.reload()
        self._known_annotators = []
        self.refresh_documents()
        self._update_title()

    def choose_annotator(self) -> None:
        """Review > Work as annotator: ask for a name and annotate as it."""
        name = self.dialogs.ask_text(self, "Work as annotator", "Annotator name:", self.annotator)
        if name and name != self.annotator:
            self.set_annotator(name)
            self.show_message(f"You now annotate as {name}.")

    def edit_in_gold(self, gold: str, item: Any) -> None:
        """After 'edit': annotate as the gold annotator with the accepted copy selected."""
        if self.reviewing:
            self.toggle_review()
        self.set_annotator(gold)
        source = item.a or item.b
        copy = next(
            (r for r in self.doc.records() if r.spans == source.spans and r.label == source.label),
            None,
        )
        if copy is not None:
            self.select_annotation(copy)
        self.show_message(f"Editing the gold version as {gold}; Ctrl+Shift+R returns to review.")

    def remember_file_state(self) -> None:
        """What the database file looks like after our own writes: not someone else's news."""
        self._signature = self.store.file_signature()

    def backup_before(self, operation: str) -> bool:
        """A copy of the database before a bulk operation, beside it; False (and nothing
        done) when the copy cannot be made."""
        from db.storage.backups import backup_before

        try:
            backup_before(self.store.path, operation)
        except DatabaseProblem as exc:
            self.dialogs.error(self, "No backup, nothing done", str(exc))
            return False
        return True

    def restore_backup(self) -> None:
        """File > Restore backup: choose one of the copies beside the database."""
        from db.storage.backups import list_backups

        backups = list_backups(self.store.path)
        if not backups:
            self.dialogs.info(self, "Restore backup", "There is no backup of this database yet.")
            return
        names = [f"{b.taken.astimezone():%Y-%m-%d %H:%M} — {b.reason}" for b in backups]
        chosen = self.dialogs.choose_format(self, "Restore which backup?", names)
        if chosen is None:
            return
        backup = backups[names.index(chosen)]
        question = (
            f"Replace the database with the backup of {chosen}?\n\nThe database as it is now "
            "is kept as another backup first. Close other Spanwise windows on it before."
        )
        if self.dialogs.confirm(self, "Restore backup", question):
            self.restoreRequested.emit(str(backup.path))

    # -- undo ---------------------------------------------------------------------------------

    def push(self, change: Change, select: str | None = None) -> bool:
        """Make one edit an undo step; it is on disk when this returns True."""
        return self._push(ApplyChange(self.doc, change, select))

    def _push(self, command: StoreCommand) -> bool:
        return self.edits.push(command)

    def undo(self) -> None:
        """Undo one step (Ctrl+Z)."""
        self.edits.step(backwards=True)

    def redo(self) -> None:
        """Redo one step (Ctrl+Shift+Z, Ctrl+Y)."""
        self.edits.step(backwards=False)

    def _after_edit(self, applied: Applied) -> None:
        self._signature = self.store.file_signature()  # our own edits are no news
        self.save_label.setText(f"All changes saved ({datetime.now():%H:%M:%S})")
        self.show_message(applied.message)
        if applied.statuses_changed:
            self.refresh_documents()
        else:
            self._update_document_row()

    def _update_document_row(self) -> None:
        """The open document's count and status in the list, without asking the database."""
        document_id = self.doc.document_id
        row = self.document_model.row_of(document_id)
        if row < 0 or document_id is None:
            return
        mine = self.doc.count_mine()
        old = self.document_model.document(row)
        status = old.status
        if mine and status == "new":
            status = "in progress"
        self.document_model.update_row(
            row, dataclasses.replace(old, status=status, annotation_count=mine)
        )

    def report_failure(self, message: str) -> None:
        """An edit that did not reach the disk: said in the status bar and in a dialog."""
        self.save_label.setText("Last change NOT saved")
        self.dialogs.error(self, "Could not save", message)

    def show_message(self, message: str, persistent: bool = False) -> None:
        """A line in the status bar (for 8 s unless persistent)."""
        self.statusBar().showMessage(message, 0 if persistent else 8000)

    # -- help ---------------------------------------------------------------------------------

    def show_shortcuts(self) -> None:
        """Help > Keyboard shortcuts: every action with keys, in a table; one window, which
        F1 brings back to the front and Esc or Ctrl+W closes."""
        shown = self.findChild(QTableWidget, "shortcutTable")
        if shown is not None:
            shown.show()
            shown.raise_()
            shown.activateWindow()
            return
        table = ShortcutTable(0, 2, self)
        table.horizontalHeader().setStretchLastSection(True)
        table.setWindowFlag(Qt.WindowType.Window)
        table.setObjectName("shortcutTable")
        table.setAccessibleName("Keyboard shortcuts")
        table.setWindowTitle("Keyboard shortcuts — Spanwise")
        table.setHorizontalHeaderLabels(["Action", "Keys"])
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for action in self.actions_by_name.values():
            keys = shortcut_text(action)
            if keys:
                row = table.rowCount()
                table.insertRow(row)
                table.setItem(row, 0, QTableWidgetItem(action.text().replace("&", "")))
                table.setItem(row, 1, QTableWidgetItem(keys))
        table.resizeColumnsToContents()
        table.resize(520, 560)
        table.show()


class ShortcutTable(QTableWidget):
    """The shortcut list's own window: Esc or Ctrl+W closes it, as any dialog."""

    @staticmethod
    def _closes(event: QKeyEvent) -> bool:
        return event.matches(QKeySequence.StandardKey.Cancel) or event.matches(
            QKeySequence.StandardKey.Close
        )

    def event(self, event: QEvent) -> bool:
        """Esc and Ctrl+W are this window's own, before any of the main window's shortcuts."""
        if event.type() == QEvent.Type.ShortcutOverride and self._closes(cast(QKeyEvent, event)):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc and Ctrl+W close; every other key does what a table does."""
        if self._closes(event):
            self.close()
            return
        super().keyPressEvent(event)
