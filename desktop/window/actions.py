"""The window's actions (named, with their keys), menus and toolbar, in one place: the table
a user reads in Help > Keyboard shortcuts comes from here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QIcon, QPixmap
from PySide6.QtWidgets import QToolBar, QWidget

from desktop.widgets.about_dialog import show_about

if TYPE_CHECKING:
    from desktop.window.main_window import MainWindow

# Written out rather than QKeySequence.StandardKey: the standard Redo is Ctrl+Shift+Z on X11
# and Ctrl+Y elsewhere, so "Ctrl+Shift+Z" plus StandardKey.Redo bound one key twice on Linux
# (Qt then calls it ambiguous and does nothing) and Ctrl+Y nowhere. Each key once, everywhere.
UNDO_KEY = "Ctrl+Z"
REDO_KEYS = ("Ctrl+Shift+Z", "Ctrl+Y")


def _swatch(colour: str) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


Scope = Literal["window", "text", "keyed", "article"]


@dataclass(frozen=True)
class ActionSpec:
    """One action as data: its name (objectName), menu text, what it calls, its keys, and
    where those keys work ("window": anywhere; "text": the article and the annotation list;
    "keyed": those and the entity list, where label and link keys apply; "article")."""

    name: str
    text: str
    slot: Callable[[MainWindow], Callable[[], object]]
    keys: tuple[str, ...] = ()
    scope: Scope = "window"
    tip: str | None = None
    checkable: bool = False
    enabled: bool = True


def _action(w: MainWindow, name: str) -> QAction:
    return w.actions_by_name[name]


# Every action but the label keys (built from the schema below), in Help > Keyboard
# shortcuts order.
ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "importText", "&Import text files…", lambda w: w.files.import_text_files, ("Ctrl+O",)
    ),
    ActionSpec(
        "importFolder", "Import a &folder…", lambda w: w.files.import_folder, ("Ctrl+Shift+O",)
    ),
    ActionSpec(
        "importAnnotations",
        "Import &annotations (JSON)…",
        lambda w: w.files.import_annotations,
        ("Ctrl+I",),
    ),
    ActionSpec("importFormat", "Import from another &tool…", lambda w: w.files.import_other_format),
    ActionSpec("exportAll", "&Export database as JSON…", lambda w: w.files.export_all, ("Ctrl+E",)),
    ActionSpec("exportFormat", "Export in another for&mat…", lambda w: w.files.export_other_format),
    ActionSpec(
        "exportDocument",
        "Export &current document…",
        lambda w: w.files.export_document,
        ("Ctrl+Shift+E",),
    ),
    ActionSpec("switchDatabase", "&Switch or create database…", lambda w: w.files.switch_database),
    ActionSpec(
        "newDatabaseFromSchema",
        "&New database from a schema file…",
        lambda w: w.files.new_database_from_schema,
    ),
    ActionSpec("restoreBackup", "&Restore a backup…", lambda w: w.restore_backup),
    ActionSpec(
        "sync",
        "S&ync with the team server",
        lambda w: w.team.sync_now,
        ("Ctrl+Shift+Y",),
        tip="Push your work to the team's server and pull your documents (also every few "
        "minutes when the server answers)",
    ),
    ActionSpec("quit", "&Quit", lambda w: w.close, ("Ctrl+Q",)),
    ActionSpec("undo", "&Undo", lambda w: w.undo, (UNDO_KEY,), enabled=False),
    ActionSpec("redo", "&Redo", lambda w: w.redo, REDO_KEYS, enabled=False),
    ActionSpec(
        "deleteAnnotation", "&Delete annotation", lambda w: w.delete_current, ("Delete",), "text"
    ),
    ActionSpec("find", "&Find in article…", lambda w: w.find_bar.open, ("Ctrl+F",)),
    ActionSpec("findNext", "Find next", lambda w: w.find_bar.find_next, ("F3",)),
    ActionSpec(
        "findPrevious",
        "Find previous",
        lambda w: partial(w.find_bar.find_next, backwards=True),
        ("Shift+F3",),
    ),
    ActionSpec(
        "nextAnnotation",
        "&Next annotation",
        lambda w: partial(w.step_annotation, False),
        ("Tab",),
        "text",
    ),
    ActionSpec(
        "previousAnnotation",
        "&Previous annotation",
        lambda w: partial(w.step_annotation, True),
        ("Shift+Tab", "Backtab"),
        "text",
    ),
    ActionSpec(
        "clearSelection", "Clear selection", lambda w: w.clear_selection, ("Esc",), "article"
    ),
    ActionSpec(
        "markDone",
        "Mark &done and go to next",
        lambda w: w.mark_done_and_next,
        ("Ctrl+Return", "Ctrl+Enter"),
    ),
    ActionSpec(
        "nextDocument", "Next document", lambda w: partial(w.step_document, 1), ("Ctrl+PgDown",)
    ),
    ActionSpec(
        "previousDocument",
        "Previous document",
        lambda w: partial(w.step_document, -1),
        ("Ctrl+PgUp",),
    ),
    ActionSpec("zoomIn", "Zoom &in", lambda w: partial(w.article.zoomIn, 1), ("Ctrl++",)),
    ActionSpec("zoomOut", "Zoom &out", lambda w: partial(w.article.zoomOut, 1), ("Ctrl+-",)),
    ActionSpec("shortcuts", "&Keyboard shortcuts", lambda w: w.show_shortcuts, ("F1",)),
    ActionSpec("about", "&About Spanwise", lambda w: partial(show_about, w, w.store.path)),
    ActionSpec(
        "exampleArticle",
        "Open the &example article",
        lambda w: w.open_example,
        tip="Open the bundled example article (imported into this database if need be)",
    ),
    ActionSpec(
        "linkSpeaker",
        "Link &speaker",
        lambda w: partial(w.links.start, "speaker"),
        ("S",),
        "keyed",
        "Link the selected quote to its speaker: press S, then click the speaker",
    ),
    ActionSpec(
        "linkCue",
        "Link &cue",
        lambda w: partial(w.links.start, "cue"),
        ("C",),
        "keyed",
        "Link the selected quote to its cue: press C, then click the cue",
    ),
    ActionSpec(
        "linkArgument",
        "Add event &argument…",
        lambda w: w.links.start_role,
        ("A",),
        "keyed",
        "Add an argument (agent, patient, time, place...) to the selected event",
    ),
    ActionSpec(
        "linkEntity",
        "Link to &entity…",
        lambda w: w.links.link_entity,
        ("E",),
        "keyed",
        "Put the selected mention into an entity (coreference)",
    ),
    ActionSpec(
        "addFragment",
        "Add selection as &fragment",
        lambda w: w.links.add_fragment,
        ("F",),
        "keyed",
        "Add the selected text to the selected annotation (a quote in pieces)",
    ),
    ActionSpec(
        "confirmPick",
        "Link the highlighted candidate",
        lambda w: w.confirm_pick,
        ("Return", "Enter"),
        "article",
    ),
    ActionSpec(
        "mergeEntities", "&Merge selected entities", lambda w: w.links.merge_selected, ("Ctrl+M",)
    ),
    ActionSpec(
        "splitMention",
        "S&plit mention from its entity",
        lambda w: w.links.split_current,
        ("Ctrl+Shift+M",),
    ),
    ActionSpec("renameEntity", "&Rename entity…", lambda w: w.links.rename_selected, ("F2",)),
    ActionSpec(
        "suggest",
        "Su&ggest quotes, speakers and cues",
        lambda w: w.suggestions.request,
        ("Ctrl+Shift+S",),
        tip="Suggest quotes with their speakers and cues (offline rules)",
    ),
    ActionSpec(
        "nextSuggestion",
        "Next suggestion",
        lambda w: partial(w.suggestions.step, False),
        ("N",),
        "keyed",
    ),
    ActionSpec(
        "previousSuggestion",
        "Previous suggestion",
        lambda w: partial(w.suggestions.step, True),
        ("Shift+N",),
        "keyed",
    ),
    ActionSpec(
        "rejectSuggestion",
        "Reject the suggestion",
        lambda w: w.reject_suggestion,
        ("Backspace",),
        "article",
    ),
    ActionSpec(
        "acceptAllSuggestions", "Accept all suggestions", lambda w: w.suggestions.accept_all
    ),
    ActionSpec(
        "autoSuggest",
        "Suggest automatically for new &documents",
        lambda w: lambda: w.suggestions.set_automatic(_action(w, "autoSuggest").isChecked()),
        tip="Show suggestions on opening a document you have not annotated yet",
        checkable=True,
    ),
    ActionSpec(
        "reviewMode",
        "&Compare and adjudicate",
        lambda w: w.toggle_review,
        ("Ctrl+Shift+R",),
        tip="Compare two annotators on this document and build the gold version",
        checkable=True,
    ),
    ActionSpec("workAs", "&Work as annotator…", lambda w: w.choose_annotator),
    ActionSpec(
        "agreement",
        "&Agreement…",
        lambda w: w.show_agreement,
        ("Ctrl+Shift+G",),
        tip="Measure agreement between annotators, with charts and a report to keep",
    ),
)


def _scope_widgets(window: MainWindow, scope: Scope) -> list[QWidget] | None:
    if scope == "text":
        return [window.article, window.annotation_list]
    if scope == "keyed":
        return [window.article, window.annotation_list, window.entity_list]
    if scope == "article":
        return [window.article]
    return None


def build_actions(window: MainWindow) -> None:
    """Every action of the window from the ACTIONS table, then one (and one for the exact
    selection, Alt+key) per label of the schema."""
    for spec in ACTIONS:
        action = window.make_action(
            spec.name,
            spec.text,
            spec.slot(window),
            list(spec.keys),
            tip=spec.tip,
            widgets=_scope_widgets(window, spec.scope),
        )
        action.setEnabled(spec.enabled)
        action.setCheckable(spec.checkable)
    keyed = _scope_widgets(window, "keyed")
    for label in window.labels:
        keys = [label.shortcut] if label.shortcut else []
        action = window.make_action(
            f"label:{label.name}",
            label.name.replace("&", "&&"),  # a name, not a mnemonic
            partial(window.apply_label, label.name),
            keys,
            widgets=keyed,
            tip=f"Label the selection as {label.name} (hold Alt for the exact selection)",
        )
        action.setIcon(_swatch(label.colour))
        action.setIconText(f"{label.name} {label.shortcut}" if label.shortcut else label.name)
        if label.shortcut:
            window.make_action(
                f"labelExact:{label.name}",
                f"{label.name.replace('&', '&&')} (exact selection)",
                partial(window.apply_label, label.name, whole_words=False),
                [f"Alt+{label.shortcut}"],
                widgets=keyed,
            )


LABELS = "<labels>"  # in a menu or the toolbar: one entry per label of the schema

# The menu bar: (title, objectName or "", entries); None is a separator.
MENUS: tuple[tuple[str, str, tuple[str | None, ...]], ...] = (
    (
        "&File",
        "fileMenu",
        (
            "importText",
            "importFolder",
            "importAnnotations",
            "importFormat",
            None,
            "exportAll",
            "exportDocument",
            "exportFormat",
            None,
            "switchDatabase",
            "newDatabaseFromSchema",
            "restoreBackup",
            None,
            "sync",
            None,
            "quit",
        ),
    ),
    (
        "&Edit",
        "editMenu",
        ("undo", "redo", None, "deleteAnnotation", None, "find", "findNext", "findPrevious"),
    ),
    (
        "&Annotate",
        "annotateMenu",
        (
            LABELS,
            None,
            "nextAnnotation",
            "previousAnnotation",
            "clearSelection",
            None,
            "linkSpeaker",
            "linkCue",
            "linkArgument",
            "addFragment",
            None,
            "suggest",
            "nextSuggestion",
            "previousSuggestion",
            "rejectSuggestion",
            "acceptAllSuggestions",
            "autoSuggest",
        ),
    ),
    ("E&ntities", "entityMenu", ("linkEntity", "renameEntity", "mergeEntities", "splitMention")),
    ("&Review", "reviewMenu", ("reviewMode", "agreement", "workAs")),
    ("&Document", "documentMenu", ("markDone", "nextDocument", "previousDocument")),
    ("&View", "", ("zoomIn", "zoomOut")),
    ("&Help", "", ("shortcuts", "exampleArticle", "about")),
)

# The toolbar, and the short texts its buttons show.
TOOLBAR: tuple[str | None, ...] = (
    "undo",
    "redo",
    None,
    LABELS,
    None,
    "linkSpeaker",
    "linkCue",
    "linkArgument",
    "linkEntity",
    "suggest",
    None,
    "markDone",
)
SHORT_TEXTS = {
    "undo": "Undo",
    "redo": "Redo",
    "linkSpeaker": "S speaker",
    "linkCue": "C cue",
    "linkArgument": "A argument",
    "linkEntity": "E entity",
    "suggest": "Suggest",
    "markDone": "Done ⏎",
}


def _expanded(window: MainWindow, entries: tuple[str | None, ...]) -> list[str | None]:
    names: list[str | None] = []
    for entry in entries:
        if entry == LABELS:
            names += [f"label:{label.name}" for label in window.labels]
        else:
            names.append(entry)
    return names


def build_menus_and_toolbar(window: MainWindow) -> None:
    """The menu bar and the toolbar from the MENUS and TOOLBAR tables."""
    acts = window.actions_by_name
    bar = window.menuBar()
    for title, object_name, entries in MENUS:
        menu = bar.addMenu(title)
        if object_name:
            menu.setObjectName(object_name)
        for name in _expanded(window, entries):
            menu.addAction(acts[name]) if name else menu.addSeparator()

    toolbar = QToolBar("Labels")
    toolbar.setObjectName("labelToolbar")
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    for name, text in SHORT_TEXTS.items():
        acts[name].setIconText(text)
    for name in _expanded(window, TOOLBAR):
        if name is None:
            toolbar.addSeparator()
            continue
        toolbar.addAction(acts[name])
        if name.startswith("label:"):
            label = name.removeprefix("label:")
            button = toolbar.widgetForAction(acts[name])
            button.setObjectName(f"labelButton:{label}")
            button.setAccessibleName(f"Label {label}")
    window.addToolBar(toolbar)
