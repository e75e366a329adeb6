"""The `spanwise` command: the window, and import/export/docs without it.

Exit codes: 0 on success, 2 on bad input (one line on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Sequence
from pathlib import Path

from db import __version__
from db.errors import SpanwiseError
from db.store import Store
from db.text.messages import counted
from db.text.plain import shown
from desktop.cli import agree as cli_agree
from desktop.cli import install as cli_install
from desktop.cli import suggest as cli_suggest
from desktop.cli import team as cli_team
from desktop.cli import train as cli_train
from desktop.cli.display_check import require_display_libraries
from desktop.session import (
    current_annotator,
    default_database_path,
    importing_annotator,
    open_store,
    read_schema_file,
)


class UsageError(SpanwiseError):
    """Bad arguments: reported like any other user error."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see {self.prog} --help)")


GLOBAL_OPTIONS = "--db, --annotator and --schema may come before or after the command"
EXPORT_ANNOTATOR = "only this annotator's annotations (an unknown name is refused)"


def add_global_options(
    parser: argparse.ArgumentParser, annotator_help: str, default: object = None
) -> None:
    """--db, --annotator and --schema. The top parser gives them their defaults; each
    command's parser takes them too, with no default (argparse.SUPPRESS), so that an option
    given before the command is not reset by the command's parser."""
    parser.add_argument(
        "--db",
        type=Path,
        default=default,
        help=f"database file (default: $SPANWISE_DB or {default_database_path()})",
    )
    parser.add_argument("--annotator", default=default, help=annotator_help)
    parser.add_argument(
        "--schema",
        type=Path,
        default=default,
        metavar="FILE.json",
        help="label schema for a new database (an existing one gains its missing labels)",
    )


def build_parser() -> argparse.ArgumentParser:
    # Long because the command line as one declarative list of argparse options, in the order
    # `spanwise --help` shows them.
    """The `spanwise` command line: global options and every subcommand."""
    parser = _Parser(
        prog="spanwise",
        description="Annotate quotes, speakers and events in news articles, offline.",
        epilog=f"{GLOBAL_OPTIONS}. With export, --annotator means {EXPORT_ANNOTATOR}.",
    )
    parser.add_argument("--version", action="version", version=f"spanwise {__version__}")
    add_global_options(
        parser,
        "who is annotating (default: the last one, or you); with export: " + EXPORT_ANNOTATOR,
    )
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)
    # Every attribute `run` reads exists whatever the command: no command is the window.
    parser.set_defaults(command="gui", screenshot=None)

    gui = commands.add_parser("gui", help="open the window (the default)")
    gui.add_argument(
        "--screenshot",
        type=Path,
        metavar="FILE.png",
        help="render the window with the first document to a PNG and exit",
    )

    imp = commands.add_parser(
        "import", help="import text files, folders of them, or Spanwise JSON exports"
    )
    imp.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    imp.add_argument("--encoding", help="decode text files with this encoding instead of UTF-8")
    imp.add_argument(
        "--format",
        dest="fmt",
        metavar="FORMAT",
        help="the files' format (default: detected); see `spanwise formats`",
    )
    imp.add_argument(
        "--offsets",
        choices=["utf16", "codepoints"],
        help="offset unit of doccano / Label Studio files when it cannot be detected",
    )
    imp.add_argument(
        "--replace",
        action="store_true",
        help="let imported annotations replace differing ones with the same id "
        "(only the same annotator's, in the same document)",
    )
    imp.add_argument(
        "--allow-protected-names",
        action="store_true",
        help="let the files write under gold and under your own annotator name",
    )
    imp.add_argument(
        "--add-labels",
        action="store_true",
        help="let the files add labels and link types to the database's schema",
    )

    exp = commands.add_parser("export", help="export annotations as Spanwise JSON")
    exp.add_argument(
        "-o", "--output", type=Path, help="file or folder to write (default: standard output)"
    )
    exp.add_argument(
        "--format",
        dest="fmt",
        metavar="FORMAT",
        help="spanwise (default), brat, uima-xmi, doccano, w3c, bio, ...; see `spanwise formats`",
    )
    exp.add_argument("--document", help="only the document with this id")
    exp.add_argument(
        "--flat",
        choices=["quotes"],
        help="a table instead of JSON: one row per quote with its speaker and cue",
    )
    exp.add_argument(
        "--table-format",
        choices=["csv", "jsonl"],
        help="for --flat: CSV or JSON lines (default: from the -o extension, else CSV)",
    )

    docs = commands.add_parser(
        "docs", help="list documents: id, title, and your status and annotation count there"
    )
    formats = commands.add_parser("formats", help="list the formats Spanwise imports and exports")
    install = cli_install.add_parser(commands)
    team = cli_team.add_parsers(commands)  # `server ...` and `sync`
    for command in (gui, imp, docs, formats, install, cli_agree.add_parser(commands), *team):
        add_global_options(
            command, "who is annotating (default: the last one, or you)", argparse.SUPPRESS
        )
    add_global_options(exp, EXPORT_ANNOTATOR, argparse.SUPPRESS)
    add_global_options(
        cli_suggest.add_parser(commands),
        "who accepts the suggestions (default: the last one)",
        argparse.SUPPRESS,
    )
    add_global_options(cli_train.add_parser(commands), cli_train.ANNOTATOR_HELP, argparse.SUPPRESS)
    return parser


def _name_unknown_option(parser: argparse.ArgumentParser, argv: list[str]) -> None:
    """`spanwise --database x.db docs` would be refused as "invalid choice: 'x.db'": name the
    option that is not one instead."""
    first = next((i for i, token in enumerate(argv) if not token.startswith("-")), len(argv))
    try:
        _, unknown = parser.parse_known_args(argv[:first])
    except UsageError:
        return
    options = [token for token in unknown if token.startswith("-")]
    if options:
        raise UsageError(f"unknown option {options[0]} (see {parser.prog} --help)")


def main(argv: Sequence[str] | None = None) -> int:
    """The `spanwise` command: exit code 0, 2 on bad input (one line on stderr)."""
    try:
        return run(list(sys.argv[1:] if argv is None else argv))
    except SpanwiseError as exc:
        print(f"spanwise: {shown(exc)}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `spanwise export | head`: the reader has gone, nothing to say
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("spanwise: interrupted", file=sys.stderr)
        return 130


def run(argv: list[str]) -> int:
    """Parse and run one command; errors a user can cause become one line."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError:
        _name_unknown_option(parser, argv)
        raise
    command = args.command
    schema_text = read_schema_file(args.schema) if args.schema else None
    if command == "gui":
        # before Qt loads its platform: a missing X11 library is one line, not Qt's abort
        require_display_libraries()
        from desktop.app import run_gui  # Qt is loaded only for the window

        return run_gui(args.db, args.annotator, args.screenshot, schema_text)
    if command == "suggest":  # a FILE.txt needs no database; the rest opens its own
        return cli_suggest.run(args)
    if command == "install-desktop":  # no database either
        return cli_install.run(args)
    if command in ("server", "sync"):  # a server's commands, or a sync that opens its own
        return cli_team.run(args, schema_text)
    if command == "export":
        _check_export_options(args)
    store = open_store(args.db, schema_text=schema_text)
    try:
        if command == "import":
            return _import(store, args)
        if command == "export":
            return _export(store, args)
        if command == "formats":
            return _formats()
        if command == "agree":
            return cli_agree.run(store, args)
        if command == "train":
            return cli_train.run(store, args)
        return _docs(store, args)
    finally:
        store.close()


# Import, export and format modules load inside the commands that use them: the window's
# start (`spanwise gui`) should not pay for them.


def _import(store: Store, args: argparse.Namespace) -> int:
    from db.files.text_files import check_encoding
    from db.formats import ReadOptions
    from db.formats.batch_import import import_paths
    from db.import_consent import Consent, ConsentNeeded

    if args.encoding:
        check_encoding(args.encoding)
    options = ReadOptions(annotator=args.annotator, offsets=args.offsets, encoding=args.encoding)
    consent = Consent(
        importing_annotator(store, args.annotator), args.allow_protected_names, args.add_labels
    )
    try:
        summary = import_paths(
            store,
            args.paths,
            encoding=args.encoding,
            replace=args.replace,
            fmt=args.fmt,
            options=options,
            consent=consent,
        )
    except ConsentNeeded as exc:
        raise SpanwiseError(exc.describe("--allow-protected-names", "--add-labels")) from exc
    print(f"imported {summary.describe()}")
    for line in [*summary.annotator_lines(), *summary.consent_lines(), *summary.messages]:
        print(f"  {shown(line)}")
    return 0


def _check_export_options(args: argparse.Namespace) -> None:
    """Refuse options that the chosen kind of export would ignore, before any file is opened."""
    if args.flat and args.fmt is not None:
        raise UsageError(
            f"--flat {args.flat} writes a table, --format {args.fmt} annotations: "
            "give one of them (see spanwise export --help)"
        )
    if args.table_format is not None and not args.flat:
        raise UsageError(
            f"--table-format {args.table_format} is for the quote table: add --flat quotes "
            "(see spanwise export --help)"
        )


def _export(store: Store, args: argparse.Namespace) -> int:
    from db.formats.export import export_to
    from db.formats.spanwise_json import describe_export, export_json, save_export, write_export

    if args.flat:
        return _export_quotes(store, args)
    if args.fmt not in (None, "spanwise"):
        if args.output is None:
            raise SpanwiseError(f"--format {args.fmt} writes files: give -o FILE or FOLDER")
        report = export_to(store, args.fmt, args.output, args.annotator, args.document)
        print(
            f"exported to {shown(args.output)} ({args.fmt}): {report.describe()}", file=sys.stderr
        )
        for message in report.messages:
            print(f"  {shown(message)}", file=sys.stderr)
        return 0
    data = export_json(store, args.annotator, args.document, lazy=True)
    if args.output is None:
        stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n")
        try:
            write_export(data, stdout)
        finally:
            stdout.detach()
    else:
        save_export(data, args.output)
        print(f"exported {describe_export(data)} to {args.output}", file=sys.stderr)
    return 0


def _export_quotes(store: Store, args: argparse.Namespace) -> int:
    from db.formats.flat_table import quote_rows, write_quotes_csv, write_quotes_jsonl

    rows = quote_rows(store, args.annotator, args.document)
    fmt = args.table_format
    if fmt is None:
        fmt = (
            "jsonl" if args.output and args.output.suffix.lower() in (".jsonl", ".json") else "csv"
        )
    write = write_quotes_csv if fmt == "csv" else write_quotes_jsonl
    if args.output is None:
        stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
        write(rows, stdout)
        stdout.detach()
    else:
        from db.files.outputs import atomic_text

        with atomic_text(args.output, newline="") as handle:
            write(rows, handle)
        print(f"exported {counted(len(rows), 'quote')} to {args.output}", file=sys.stderr)
    return 0


def _formats() -> int:
    from db.formats.detect import load_formats

    print("spanwise\timport, export\tSpanwise JSON v1")
    print("text\timport\tplain .txt / .md articles")
    for name, fmt in sorted(load_formats().items()):
        ways = ", ".join(
            w for w, ok in (("import", fmt.can_import), ("export", fmt.can_export)) if ok
        )
        print(f"{name}\t{ways}\t{fmt.description}")
    return 0


def _docs(store: Store, args: argparse.Namespace) -> int:
    annotator = current_annotator(store, args.annotator)
    for doc in store.documents(annotator):
        print(f"{shown(doc.id)}\t{shown(doc.title)}\t{doc.status}\t{doc.annotation_count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
