"""The window's actions (named, with their keys), menus and toolbar, in one place: the table
a user reads in Help > Keyboard shortcuts comes from here."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QToolBar, QWidget

from desktop.widgets.about_dialog import show_about

if TYPE_CHECKING:
    from desktop.window.main_window import MainWindow

# Written out rather than QKeySequence.StandardKey: the standard Redo is Ctrl+Shift+Z on X11
# and Ctrl+Y elsewhere, so "Ctrl+Shift+Z" plus StandardKey.Redo bound one key twice on Linux
# (Qt then calls it ambiguous and does nothing) and Ctrl+Y nowhere. Each key once, everywhere.
UNDO_KEY = "Ctrl+Z"
REDO_KEYS = ["Ctrl+Shift+Z", "Ctrl+Y"]


def _swatch(colour: str) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


def build_actions(window: MainWindow) -> None:
    """Every action of the window, named, with its keys (and where those keys work)."""
    a = window.make_action
    text_widgets: list[QWidget] = [window.article, window.annotation_list]
    a("importText", "&Import text files…", window.files.import_text_files, ["Ctrl+O"])
    a("importFolder", "Import a &folder…", window.files.import_folder, ["Ctrl+Shift+O"])
    a(
        "importAnnotations",
        "Import &annotations (JSON)…",
        window.files.import_annotations,
        ["Ctrl+I"],
    )
    a("importFormat", "Import from &another tool…", window.files.import_other_format)
    a("exportAll", "&Export database as JSON…", window.files.export_all, ["Ctrl+E"])
    a("exportFormat", "Export in another &format…", window.files.export_other_format)
    a(
        "exportDocument",
        "Export &current document…",
        window.files.export_document,
        ["Ctrl+Shift+E"],
    )
    a("switchDatabase", "&Switch or create database…", window.files.switch_database)
    a(
        "newDatabaseFromSchema",
        "&New database from a schema file…",
        window.files.new_database_from_schema,
    )
    a("restoreBackup", "&Restore a backup…", window.restore_backup)
    a(
        "sync",
        "S&ync with the team server",
        window.team.sync_now,
        ["Ctrl+Shift+Y"],
        tip="Push your work to the team's server and pull your documents (also every few "
        "minutes when the server answers)",
    )
    a("quit", "&Quit", window.close, ["Ctrl+Q"])

    undo = a("undo", "&Undo", window.undo, [UNDO_KEY])
    redo = a("redo", "&Redo", window.redo, REDO_KEYS)
    undo.setEnabled(False)
    redo.setEnabled(False)
    a(
        "deleteAnnotation",
        "&Delete annotation",
        window.delete_current,
        ["Delete"],
        widgets=text_widgets,
    )
    a("find", "&Find in article…", window.find_bar.open, ["Ctrl+F"])
    a("findNext", "Find next", window.find_bar.find_next, ["F3"])
    a(
        "findPrevious",
        "Find previous",
        lambda: window.find_bar.find_next(backwards=True),
        ["Shift+F3"],
    )
    a(
        "nextAnnotation",
        "&Next annotation",
        lambda: window.step_annotation(False),
        ["Tab"],
        widgets=text_widgets,
    )
    a(
        "previousAnnotation",
        "&Previous annotation",
        lambda: window.step_annotation(True),
        ["Shift+Tab", "Backtab"],
        widgets=text_widgets,
    )
    a(
        "clearSelection",
        "Clear selection",
        window.clear_selection,
        ["Esc"],
        widgets=[window.article],
    )
    a(
        "markDone",
        "Mark &done and go to next",
        window.mark_done_and_next,
        ["Ctrl+Return", "Ctrl+Enter"],
    )
    a("nextDocument", "Next document", lambda: window.step_document(1), ["Ctrl+PgDown"])
    a("previousDocument", "Previous document", lambda: window.step_document(-1), ["Ctrl+PgUp"])
    a("zoomIn", "Zoom &in", lambda: window.article.zoomIn(1), ["Ctrl++"])
    a(
        "zoomOut",
        "Zoom &out",
        lambda: window.article.zoomOut(1),
        ["Ctrl+-"],
    )
    a("shortcuts", "&Keyboard shortcuts", window.show_shortcuts, ["F1"])
    a("about", "&About Spanwise", lambda: show_about(window, window.store.path))
    a(
        "exampleArticle",
        "Open the &example article",
        window.open_example,
        tip="Open the bundled example article (imported into this database if need be)",
    )

    links = window.links
    keyed: list[QWidget] = [window.article, window.annotation_list, window.entity_list]
    a(
        "linkSpeaker",
        "Link &speaker",
        lambda: links.start("speaker"),
        ["S"],
        widgets=keyed,
        tip="Link the selected quote to its speaker: press S, then click the speaker",
    )
    a(
        "linkCue",
        "Link &cue",
        lambda: links.start("cue"),
        ["C"],
        widgets=keyed,
        tip="Link the selected quote to its cue: press C, then click the cue",
    )
    a(
        "linkArgument",
        "Add event &argument…",
        links.start_role,
        ["A"],
        widgets=keyed,
        tip="Add an argument (agent, patient, time, place...) to the selected event",
    )
    a(
        "linkEntity",
        "Link to &entity…",
        links.link_entity,
        ["E"],
        widgets=keyed,
        tip="Put the selected mention into an entity (coreference)",
    )
    a(
        "addFragment",
        "Add selection as &fragment",
        links.add_fragment,
        ["F"],
        widgets=keyed,
        tip="Add the selected text to the selected annotation (a quote in pieces)",
    )
    a(
        "confirmPick",
        "Link the highlighted candidate",
        window.confirm_pick,
        ["Return", "Enter"],
        widgets=[window.article],
    )
    a("mergeEntities", "&Merge selected entities", links.merge_selected, ["Ctrl+M"])
    a("splitMention", "S&plit mention from its entity", links.split_current, ["Ctrl+Shift+M"])
    a("renameEntity", "&Rename entity…", links.rename_selected, ["F2"])
    hints = window.suggestions
    a(
        "suggest",
        "Su&ggest quotes, speakers and cues",
        hints.request,
        ["Ctrl+Shift+S"],
        tip="Suggest quotes with their speakers and cues (offline rules)",
    )
    a("nextSuggestion", "Next suggestion", lambda: hints.step(False), ["N"], widgets=keyed)
    a(
        "previousSuggestion",
        "Previous suggestion",
        lambda: hints.step(True),
        ["Shift+N"],
        widgets=keyed,
    )
    a(
        "rejectSuggestion",
        "Reject the suggestion",
        window.reject_suggestion,
        ["Backspace"],
        widgets=[window.article],
    )
    a("acceptAllSuggestions", "Accept all suggestions", hints.accept_all)
    automatic = a(
        "autoSuggest",
        "Suggest automatically for &new documents",
        lambda: hints.set_automatic(automatic.isChecked()),
        tip="Show suggestions on opening a document you have not annotated yet",
    )
    automatic.setCheckable(True)
    review = a(
        "reviewMode",
        "&Compare and adjudicate",
        window.toggle_review,
        ["Ctrl+Shift+R"],
        tip="Compare two annotators on this document and build the gold version",
    )
    review.setCheckable(True)
    a("workAs", "&Work as annotator…", window.choose_annotator)
    a(
        "agreement",
        "&Agreement…",
        window.show_agreement,
        ["Ctrl+Shift+G"],
        tip="Measure agreement between annotators, with charts and a report to keep",
    )

    for label in window.labels:
        keys = [label.shortcut] if label.shortcut else []
        action = a(
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
            a(
                f"labelExact:{label.name}",
                f"{label.name.replace('&', '&&')} (exact selection)",
                partial(window.apply_label, label.name, whole_words=False),
                [f"Alt+{label.shortcut}"],
                widgets=keyed,
            )


def build_menus_and_toolbar(window: MainWindow) -> None:
    acts = window.actions_by_name
    menu = window.menuBar()
    file_menu = menu.addMenu("&File")
    file_menu.setObjectName("fileMenu")
    for name in ("importText", "importFolder", "importAnnotations", "importFormat"):
        file_menu.addAction(acts[name])
    file_menu.addSeparator()
    for name in ("exportAll", "exportDocument", "exportFormat"):
        file_menu.addAction(acts[name])
    file_menu.addSeparator()
    file_menu.addAction(acts["switchDatabase"])
    file_menu.addAction(acts["newDatabaseFromSchema"])
    file_menu.addAction(acts["restoreBackup"])
    file_menu.addSeparator()
    file_menu.addAction(acts["sync"])
    file_menu.addSeparator()
    file_menu.addAction(acts["quit"])
    edit_menu = menu.addMenu("&Edit")
    edit_menu.setObjectName("editMenu")
    for entry in (
        "undo",
        "redo",
        None,
        "deleteAnnotation",
        None,
        "find",
        "findNext",
        "findPrevious",
    ):
        edit_menu.addAction(acts[entry]) if entry else edit_menu.addSeparator()
    annotate_menu = menu.addMenu("&Annotate")
    annotate_menu.setObjectName("annotateMenu")
    for label in window.labels:
        annotate_menu.addAction(acts[f"label:{label.name}"])
    annotate_menu.addSeparator()
    for name in ("nextAnnotation", "previousAnnotation", "clearSelection"):
        annotate_menu.addAction(acts[name])
    annotate_menu.addSeparator()
    for name in ("linkSpeaker", "linkCue", "linkArgument", "addFragment"):
        annotate_menu.addAction(acts[name])
    annotate_menu.addSeparator()
    for name in (
        "suggest",
        "nextSuggestion",
        "previousSuggestion",
        "rejectSuggestion",
        "acceptAllSuggestions",
        "autoSuggest",
    ):
        annotate_menu.addAction(acts[name])
    entity_menu = menu.addMenu("E&ntities")
    entity_menu.setObjectName("entityMenu")
    for name in ("linkEntity", "renameEntity", "mergeEntities", "splitMention"):
        entity_menu.addAction(acts[name])
    review_menu = menu.addMenu("&Review")
    review_menu.setObjectName("reviewMenu")
    for name in ("reviewMode", "agreement", "workAs"):
        review_menu.addAction(acts[name])
    document_menu = menu.addMenu("&Document")
    document_menu.setObjectName("documentMenu")
    for name in ("markDone", "nextDocument", "previousDocument"):
        document_menu.addAction(acts[name])
    view_menu = menu.addMenu("&View")
    view_menu.addAction(acts["zoomIn"])
    view_menu.addAction(acts["zoomOut"])
    help_menu = menu.addMenu("&Help")
    help_menu.addAction(acts["shortcuts"])
    help_menu.addAction(acts["exampleArticle"])
    help_menu.addAction(acts["about"])

    toolbar = QToolBar("Labels")
    toolbar.setObjectName("labelToolbar")
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    toolbar.addAction(acts["undo"])
    toolbar.addAction(acts["redo"])
    toolbar.addSeparator()
    for label in window.labels:
        toolbar.addAction(acts[f"label:{label.name}"])
        button = toolbar.widgetForAction(acts[f"label:{label.name}"])
        button.setObjectName(f"labelButton:{label.name}")
        button.setAccessibleName(f"Label {label.name}")
    toolbar.addSeparator()
    short = {
        "undo": "Undo",
        "redo": "Redo",
        "linkSpeaker": "S speaker",
        "linkCue": "C cue",
        "linkArgument": "A argument",
        "linkEntity": "E entity",
        "suggest": "Suggest",
        "markDone": "Done ⏎",
    }
    for name, text in short.items():
        acts[name].setIconText(text)
    for name in ("linkSpeaker", "linkCue", "linkArgument", "linkEntity", "suggest"):
        toolbar.addAction(acts[name])
    toolbar.addSeparator()
    toolbar.addAction(acts["markDone"])
    window.addToolBar(toolbar)
