"""`spanwise suggest`: suggested quotes, speakers and cues, from the rules in db/suggest.

    spanwise suggest FILE.txt [--json]            a text file; no database is opened
    spanwise suggest [--document ID] [--json]     the database's documents, not yet annotated
    spanwise suggest [--document ID] --accept-all  accept them all, as the current annotator

`add_parser(subparsers)` adds the subcommand to the `spanwise` parser, `run(args)` runs it
(before any database is opened: the file form must not touch one). Errors are SpanwiseError,
reported by the caller as one line with exit code 2.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from db.changes import Change, merged
from db.errors import InvalidAnnotation, SpanwiseError
from db.files.text_files import read_text_file
from db.records import DocumentData, now_iso
from db.store import Store
from db.text.messages import counted
from db.text.plain import shown
from desktop.session import current_annotator, open_store, read_schema_file

if TYPE_CHECKING:  # the suggester loads when `suggest` runs, not when Spanwise starts
    from db.suggest import Lexicon, Suggestion, Suggestions
    from db.suggest.learned import LearnedModel

FILE_ANNOTATOR = "suggest"


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add `suggest` to the `spanwise` command's subcommands."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "suggest",
        help="suggest quotes, speakers and cues (offline rules; review them in the window)",
        description=(
            "Suggest direct, indirect and mixed quotes with their speakers, cues and "
            "entities, each with the rule that found it. With FILE.txt nothing is stored."
        ),
    )
    parser.add_argument(
        "file",
        nargs="?",
        type=Path,
        metavar="FILE.txt",
        help="a text file: print its suggestions without opening any database",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print Spanwise v1 JSON: one document object (a list of them for the database)",
    )
    parser.add_argument("--document", metavar="ID", help="only the document with this id")
    parser.add_argument(
        "--accept-all",
        action="store_true",
        help="accept every suggestion into the database, as the current annotator",
    )
    parser.add_argument(
        "--lexicon",
        type=Path,
        metavar="FILE.json",
        help="more cues and speaker nouns, added to the bundled lexicon",
    )
    parser.add_argument(
        "--rules",
        action="store_true",
        help="the rules alone, even when the database has a trained model (spanwise train)",
    )
    parser.add_argument("--encoding", help="decode FILE.txt with this encoding instead of UTF-8")
    return parser


def run(args: argparse.Namespace) -> int:
    """The lexicon is the project's (the schema's quote definition and cues: a --schema
    file's for FILE.txt, else the database's), with a --lexicon file's cues added."""
    from db.schema.label_schema import load_schema
    from db.suggest import lexicon_for
    from db.suggest.lexicon import read_lexicon_file

    extra = read_lexicon_file(args.lexicon) if args.lexicon else None
    schema_path = getattr(args, "schema", None)
    schema_text = read_schema_file(schema_path) if schema_path else None
    if args.file is not None:
        if args.document or args.accept_all:
            raise SpanwiseError(
                "suggest: give a FILE.txt, or --document/--accept-all for the database, not both"
            )
        settings = load_schema(schema_text).suggest if schema_text else None
        return _suggest_file(args, lexicon_for(settings, extra))
    store = open_store(args.db, schema_text=schema_text)
    try:
        lexicon = lexicon_for(store.suggest_settings(), extra)
        model = None if args.rules else _model(store)
        if args.accept_all:
            return _accept_all(store, args, lexicon, model)
        return _suggest_database(store, args, lexicon, model)
    finally:
        store.close()


def _model(store: Store) -> LearnedModel | None:
    """The database's latest trained model (said on stderr, so stdout stays the list)."""
    from db.suggest.train_store import latest_model

    found = latest_model(store)
    if found is None:
        return None
    print(f"spanwise: suggesting with the trained model, {found[0].describe()}", file=sys.stderr)
    return found[1]


# -- a text file ---------------------------------------------------------------------------


def _suggest_file(args: argparse.Namespace, lexicon: Lexicon | None) -> int:
    from db.formats.spanwise_json import document_json
    from db.suggest import suggest

    if args.file.is_dir():
        raise SpanwiseError(f"{args.file}: a folder; suggest takes one text file")
    text_file = read_text_file(args.file, args.encoding)
    sha = text_file.sha256
    document = DocumentData(
        sha[:16], text_file.title, args.file.name, text_file.text, sha, now_iso()
    )
    suggestions = suggest(document.text, document.id, FILE_ANNOTATOR, lexicon)
    with _stdout() as out:
        if args.json:
            _write_json(document_json(suggestions.exported(document)), out)
        else:
            _write_lines(suggestions, document, out, with_document=False)
    return 0


# -- the database ---------------------------------------------------------------------------


def _documents(store: Store, args: argparse.Namespace, annotator: str) -> list[DocumentData]:
    if args.document:
        return [store.document(args.document)]
    return [store.document(summary.id) for summary in store.documents(annotator)]


def _suggest_database(
    store: Store, args: argparse.Namespace, lexicon: Lexicon | None, model: LearnedModel | None
) -> int:
    from db.formats.spanwise_json import document_json
    from db.suggest import Suggestions, pending, suggest

    annotator = current_annotator(store, args.annotator)
    objects = []
    listed = documents = 0
    with _stdout() as out:
        for document in _documents(store, args, annotator):
            documents += 1
            suggestions = suggest(document.text, document.id, annotator, lexicon, model)
            if args.json:
                objects.append(document_json(suggestions.exported(document)))
                continue
            todo = pending(suggestions, store.annotations(document.id, annotator))
            remaining = Suggestions(document.id, annotator, tuple(todo))
            _write_lines(remaining, document, out, with_document=True)
            listed += len(todo)
        if args.json:
            _write_json(objects, out)
    if not args.json and not listed:  # a word on stderr, so stdout stays the list
        left = f"no suggestions left in {counted(documents, 'document')}"
        print(f"spanwise: {left}", file=sys.stderr)
    return 0


def _accept_all(
    store: Store, args: argparse.Namespace, lexicon: Lexicon | None, model: LearnedModel | None
) -> int:
    from db.suggest import suggest

    annotator = current_annotator(store, args.annotator)
    accepted = present = refused = documents = 0
    for document in _documents(store, args, annotator):
        documents += 1
        found = list(suggest(document.text, document.id, annotator, lexicon, model))
        try:  # all of a document's suggestions in one transaction: 15,000 take seconds
            counts = _accept_document(store, document.id, annotator, found, together=True)
        except InvalidAnnotation:  # one of them is refused: one at a time, to say which
            counts = _accept_document(store, document.id, annotator, found, together=False)
        accepted, present, refused = (
            accepted + counts[0],
            present + counts[1],
            refused + counts[2],
        )
    summary = f"accepted {counted(accepted, 'suggestion')} in {counted(documents, 'document')}"
    if present:
        summary += f", {present} already annotated"
    if refused:
        summary += f", {refused} refused"
    print(summary)
    return 0


def _accept_document(
    store: Store, document_id: str, annotator: str, found: list[Suggestion], together: bool
) -> tuple[int, int, int]:
    """Accept a document's suggestions, each against the state the ones before it left;
    (accepted, already there, refused). `together` writes them as one edit (or nothing)."""
    from db.suggest import Acceptor

    state = Acceptor(
        document_id,
        annotator,
        store.annotations(document_id, annotator),
        store.relations(document_id, annotator),
        store.entities(document_id, annotator),
    )
    changes: list[Change] = []
    present = refused = 0
    for suggestion in found:
        change = state.change_for(suggestion)
        if change.is_empty():
            present += 1
            continue
        if not together:
            try:
                store.apply(change)
            except InvalidAnnotation as exc:
                refused += 1
                print(
                    f"spanwise: {shown(document_id)}: not accepted: {shown(exc)}", file=sys.stderr
                )
                continue
        state.advance(change)
        changes.append(change)
    if together and changes:
        store.apply(merged(f"Accept {counted(len(changes), 'suggested quote')}", changes))
    return len(changes), present, refused


# -- output ---------------------------------------------------------------------------------


@contextmanager
def _stdout() -> Iterator[IO[str]]:
    """Standard output as UTF-8 with plain newlines, whatever the console's encoding."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a test's captured stdout is text already
        yield sys.stdout
        return
    sys.stdout.flush()
    out = io.TextIOWrapper(buffer, encoding="utf-8", newline="\n")
    try:
        yield out
    finally:
        out.flush()
        out.detach()


def _write_json(data: Any, out: IO[str]) -> None:
    json.dump(data, out, ensure_ascii=False, indent=1)
    out.write("\n")


def _write_lines(
    suggestions: Suggestions, document: DocumentData, out: IO[str], with_document: bool
) -> None:
    """One tab-separated line per suggestion: [document,] offsets, kind, speaker, cue, rule,
    the quote's words."""
    text = document.text
    for item in suggestions:
        spans = "+".join(f"{s}-{e}" for s, e in item.quote.spans)
        speaker = "-"
        if item.speaker is not None:
            speaker = text[item.speaker.start : item.speaker.end]
            if item.entity is not None and item.entity.name != speaker:
                speaker += f" ({item.entity.name})"
        cue = text[item.cue.start : item.cue.end] if item.cue is not None else "-"
        words = " … ".join(text[s:e] for s, e in item.quote.spans)
        words = " ".join(words.split())
        if len(words) > 80:
            words = words[:79] + "…"
        fields = [spans, item.kind, speaker, cue, item.rule, words]
        if with_document:
            fields.insert(0, document.id)
        out.write("\t".join(shown(field) for field in fields) + "\n")
