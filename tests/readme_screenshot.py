"""Builds the README's screenshots (`make screenshot`): the seed article with quotes, speakers,
an entity and an event, once as `spanwise gui --screenshot` renders it, once with the
Telegram quote selected so its links and its speaker's entity show."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from db.changes import Change, added
from db.records import AnnotationData, EntityData, RelationData
from db.store import Store, new_id
from seeds import seed_paths


def annotate_seed(store: Store, annotator: str) -> str:
    """The seed example of the README: attributed quotes, one entity, one event."""
    store.import_texts(seed_paths())
    doc_id = store.documents(annotator)[0].id
    text = store.document(doc_id).text

    def span(piece: str, label: str, after: str = "", **attributes: str) -> AnnotationData:
        start = text.index(piece, text.index(after) if after else 0)
        return store.add_annotation(doc_id, annotator, label, start, start + len(piece), attributes)

    def relate(kind: str, source: AnnotationData, target: AnnotationData) -> None:
        relation = RelationData(new_id(), doc_id, annotator, kind, source.id, target.id)
        store.apply(Change("link", relations=(added(relation),)))

    president = span("Ukrainian President Volodymyr Zelensky", "Speaker")
    span("claimed", "Cue")
    telegram = span(
        "While they were being trained, they were forbidden even to show their faces.",
        "Quote",
        kind="direct",
    )
    zelensky = span("Zelensky", "Speaker", after="North Korean soldiers,”")
    relate("speaker", telegram, zelensky)
    relate("cue", telegram, span("wrote", "Cue", after="North Korean soldiers,”"))
    added_quote = span(
        "that Ukraine’s Defense Forces and intelligence are working to uncover the full extent",
        "Quote",
        kind="indirect",
    )
    he = span("He", "Speaker", after="Advertisement")
    relate("speaker", added_quote, he)
    relate("cue", added_quote, span("added", "Cue", after="Advertisement"))
    entity = EntityData(
        new_id(),
        doc_id,
        annotator,
        "Volodymyr Zelensky",
        "person",
        (president.id, zelensky.id, he.id),
    )
    store.apply(Change("entity", entities=(added(entity),)))
    event = span("placed on alert", "Event", type="military")
    relate("time", event, span("On Dec. 13", "Time"))
    relate("patient", event, span("the troops", "Participant", after="On Dec. 13"))
    return telegram.id


def second_opinion(store: Store, annotator: str) -> None:
    """A colleague who agrees on some spans and not on others, for the compare view."""
    doc_id = store.documents(annotator)[0].id
    text = store.document(doc_id).text

    def span(piece: str, label: str, after: str = "", **attributes: str) -> AnnotationData:
        start = text.index(piece, text.index(after) if after else 0)
        return store.add_annotation(doc_id, annotator, label, start, start + len(piece), attributes)

    span("Volodymyr Zelensky", "Speaker")
    span("claimed", "Cue")
    span(
        "While they were being trained, they were forbidden even to show their faces.",
        "Quote",
        kind="indirect",
    )
    span("wrote", "Cue", after="North Korean soldiers,”")
    span("placed on alert", "Event", type="military")
    span("On Dec. 13", "Time")
    span("Kovalenko said", "Cue")


def compare_screenshot(database: Path, target: str) -> None:
    from PySide6.QtCore import QSettings

    from desktop.app import create_window, ensure_app

    app = ensure_app()
    with tempfile.TemporaryDirectory() as folder:
        settings = QSettings(str(Path(folder) / "s.ini"), QSettings.Format.IniFormat)
        window = create_window(str(database), "rev", settings)
        window.resize(1440, 860)
        window.show()
        window.toggle_review()
        window.compare_view.step(False)
        app.processEvents()
        window.grab().save(target)
        window.close()
        window.store.close()


def suggestions_screenshot(target: str) -> None:
    from PySide6.QtCore import QSettings

    from desktop.app import create_window, ensure_app

    app = ensure_app()
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "s.db")
        store.import_texts(seed_paths())
        store.close()
        settings = QSettings(str(Path(folder) / "s.ini"), QSettings.Format.IniFormat)
        window = create_window(str(Path(folder) / "s.db"), "ana", settings)
        window.resize(1440, 860)
        window.show()
        window.suggestions.request()
        window.suggestions.step(False)
        window.suggestions.step(False)
        app.processEvents()
        window.grab().save(target)
        window.close()
        window.store.close()


def attribution_screenshot(database: Path, quote_id: str, target: str) -> None:
    from PySide6.QtCore import QSettings

    from desktop.app import create_window, ensure_app

    app = ensure_app()
    with tempfile.TemporaryDirectory() as folder:
        settings = QSettings(str(Path(folder) / "s.ini"), QSettings.Format.IniFormat)
        window = create_window(str(database), "ana", settings)
        window.resize(1440, 860)
        window.show()
        window.entity_list.selectRow(0)
        record = window.doc.get(quote_id)
        assert record is not None
        window.select_annotation(record)
        app.processEvents()
        window.grab().save(target)
        window.close()
        window.store.close()


def _window(database: Path, annotator: str, folder: str):  # type: ignore[no-untyped-def]
    """A window at the README's size on `database`, untouched by the user's settings."""
    from PySide6.QtCore import QSettings

    from desktop.app import create_window

    settings = QSettings(str(Path(folder) / "s.ini"), QSettings.Format.IniFormat)
    window = create_window(str(database), annotator, settings)
    window.resize(1440, 860)
    window.show()
    return window


def agreement_screenshot(database: Path, target: str) -> None:
    from desktop.app import ensure_app

    app = ensure_app()
    with tempfile.TemporaryDirectory() as folder:
        window = _window(database, "ana", folder)
        dialog = window.show_agreement()
        dialog.resize(900, 640)
        app.processEvents()
        dialog.grab().save(target)
        dialog.close()
        window.close()
        window.store.close()


def welcome_screenshot(target: str) -> None:
    from desktop.app import ensure_app

    app = ensure_app()
    with tempfile.TemporaryDirectory() as folder:
        window = _window(Path(folder) / "empty.db", "ana", folder)
        app.processEvents()
        window.grab().save(target)
        window.close()
        window.store.close()


def main(folder: str) -> int:
    from desktop.cli.main import main as cli

    with tempfile.TemporaryDirectory() as work:
        database = Path(work) / "screenshot.db"
        store = Store(database)
        quote_id = annotate_seed(store, "ana")
        store.close()
        code = cli(
            [
                "--db",
                str(database),
                "--annotator",
                "ana",
                "gui",
                "--screenshot",
                f"{folder}/window.png",
            ]
        )
        attribution_screenshot(database, quote_id, f"{folder}/attribution.png")
        store = Store(database)
        second_opinion(store, "ben")
        store.close()
        compare_screenshot(database, f"{folder}/compare.png")
        agreement_screenshot(database, f"{folder}/agreement.png")
        suggestions_screenshot(f"{folder}/suggestions.png")
        welcome_screenshot(f"{folder}/welcome.png")
        return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "resources/screenshots"))
