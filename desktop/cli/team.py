"""`spanwise server ...` (the manager's commands) and `spanwise sync` (everyone's).

`desktop/cli/main.py` adds both with `add_parsers` and hands them to `run` before it opens a
database: `server` commands need none, `sync` opens the one `--db` names. The server's
address is any libpq address (`postgresql://...`, `service=NAME`); its password comes from
`~/.pgpass`, `PGPASSFILE` or a service file, never from Spanwise.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from db.errors import SpanwiseError
from db.text.messages import counted

SERVER_ENV = "SPANWISE_SERVER"
ADDRESS_HELP = (
    "the project's PostgreSQL address, e.g. postgresql://manager@host/project or "
    f"service=team (default: ${SERVER_ENV}); its password comes from ~/.pgpass"
)


def add_parsers(subparsers: Any) -> list[argparse.ArgumentParser]:
    """Add `server` (with its subcommands) and `sync`; returns the parsers that take the
    global --db/--annotator options (sync's)."""
    # Long because the team commands as one declarative list of argparse options, in the order
    # --help shows them.
    server = subparsers.add_parser(
        "server",
        help="the manager's commands on the team's PostgreSQL server",
        description="Set up and run a team project on a PostgreSQL server: tables, people, "
        "documents, assignments, progress.",
    )
    commands = server.add_subparsers(dest="server_command", parser_class=type(server))
    commands.required = True
    for name, text in (
        ("init", "create the project's tables (or bring them up to date)"),
        ("upgrade", "bring the project's tables up to date after installing a newer Spanwise"),
    ):
        command = commands.add_parser(name, help=text, description=text)
        command.add_argument("address", metavar="ADDRESS", help=ADDRESS_HELP)
    for role in ("annotator", "reviewer"):
        command = commands.add_parser(
            f"add-{role}",
            help=f"add a{'n' if role[0] == 'a' else ''} {role} (a PostgreSQL login role)",
        )
        command.add_argument("name", metavar="NAME", help=f"the {role}'s name in Spanwise")
        command.add_argument("--login", help="their PostgreSQL login role (default: the name)")
        command.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the new role's password from standard input (default: a random one, "
            "shown once)",
        )
        _server_option(command)
    publish = commands.add_parser(
        "publish", help="put documents (text files, folders, exports) and the label schema up"
    )
    publish.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    publish.add_argument(
        "--schema",
        type=Path,
        metavar="FILE.json",
        default=argparse.SUPPRESS,
        help="the label schema (default: an export's, else the bundled news schema)",
    )
    publish.add_argument("--encoding", help="decode text files with this encoding")
    _server_option(publish)
    assign = commands.add_parser(
        "assign",
        help="give documents to annotators: by list, or N per document at random",
    )
    assign.add_argument(
        "--to", nargs="+", metavar="NAME", default=[], help="these annotators (default: all)"
    )
    assign.add_argument(
        "--document",
        action="append",
        default=[],
        metavar="ID",
        help="this document (repeat for several; default: every published one)",
    )
    assign.add_argument(
        "--per-document",
        type=int,
        metavar="N",
        help="give each document to N of the annotators, chosen at random (balanced)",
    )
    assign.add_argument("--seed", type=int, help="the random choice's seed (repeatable runs)")
    _server_option(assign)
    status = commands.add_parser(
        "status", help="per annotator and document: status, annotation count, last sync"
    )
    status.add_argument("--json", action="store_true", help="print one JSON object")
    _server_option(status)

    sync = subparsers.add_parser(
        "sync",
        help="sync this database with the team server (push your work, pull your documents)",
        description="Push your annotations, links, entities and statuses to the team server "
        "and pull the documents assigned to you (everyone's work, for a reviewer).",
    )
    sync.add_argument(
        "--server",
        metavar="ADDRESS",
        help="link the database to this server (remembered, without any password); "
        "e.g. postgresql://ana@host/project?sslmode=verify-full",
    )
    sync.add_argument(
        "--conflicts", action="store_true", help="list the conflicts kept from other laptops"
    )
    sync.add_argument(
        "--take", metavar="CONFLICT", help="take this conflict's version instead of the kept one"
    )
    return [sync]


def _server_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--server", metavar="ADDRESS", help=ADDRESS_HELP)


def _address(args: argparse.Namespace) -> str:
    address = getattr(args, "server", None) or os.environ.get(SERVER_ENV)
    if not address:
        raise SpanwiseError(f"give the server's address with --server ADDRESS or ${SERVER_ENV}")
    return str(address)


def run(args: argparse.Namespace, schema_text: str | None) -> int:
    """Run `spanwise server ...` or `spanwise sync`."""
    if args.command == "sync":
        return _sync(args)
    return _server(args, schema_text)


def _server(args: argparse.Namespace, schema_text: str | None) -> int:
    from db.team.manage import Manager, upgrade_server

    command = args.server_command
    if command in ("init", "upgrade"):
        before, after = upgrade_server(args.address)
        if before == after:
            print(f"the project's tables are up to date (revision {after})")
        elif before is None:
            print(f"created the project's tables (revision {after})")
        else:
            print(f"upgraded the project's tables from revision {before} to {after}")
        return 0
    with Manager(_address(args)) as manager:
        if command.startswith("add-"):
            return _add_person(manager, args, command.removeprefix("add-"))
        if command == "publish":
            report = manager.publish(args.paths, schema_text, args.encoding)
            line = f"published {counted(len(report.published), 'document')}"
            if report.already_there:
                line += f" ({report.already_there} already there)"
            if report.schema_labels:
                line += f"; label schema with {counted(report.schema_labels, 'label')}"
            print(line)
            return 0
        if command == "assign":
            pairs = manager.assign(args.to, args.document, args.per_document, args.seed)
            print(f"assigned {counted(len(pairs), 'document-annotator pair')}")
            for document_id, name in pairs:
                print(f"  {document_id}\t{name}")
            return 0
        return _status(manager, args.json)


def _add_person(manager: Any, args: argparse.Namespace, role: str) -> int:
    password = None
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
        if not password:
            raise SpanwiseError("--password-stdin: standard input held no password")
    added = manager.add_person(args.name, role, args.login, password)
    print(f"added {role} {added.name} (PostgreSQL login {added.login})")
    if added.password:
        from db.team.connect import parse_address

        p = parse_address(_address(args))
        where = f"{p.get('host', '*') or '*'}:{p.get('port', '5432')}:{p.get('dbname', '*')}"
        print(
            "their password, shown only now (Spanwise keeps none): give them this line for "
            "their ~/.pgpass (chmod 600), or set it with ALTER ROLE:"
        )
        print(f"  {where}:{added.login}:{added.password}")
    return 0


def _status(manager: Any, as_json: bool) -> int:
    status = manager.status()
    if as_json:
        print(json.dumps(status.to_json(), ensure_ascii=False, indent=1))
        return 0
    data = status.to_json()
    rows = [("annotator", "role", "document", "status", "annotations", "last sync", "title")]
    for row in status.rows:
        title = row.title if len(row.title) <= 40 else row.title[:39] + "…"
        rows.append(
            (
                row.annotator,
                row.role,
                row.document_id,
                row.status + ("" if row.assigned else " (not assigned)"),
                str(row.annotations),
                status.last_sync.get(row.annotator, "never"),
                title,
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        print("  ".join([*cells, row[-1]]).rstrip())
    print(
        f"{data['assignments_done']} of {counted(data['assignments'], 'assignment')} done, "
        f"{counted(data['documents'], 'document')} published"
    )
    return 0


def _sync(args: argparse.Namespace) -> int:
    from db.team.sync import sync
    from desktop.session import ANNOTATOR_SETTING, open_store

    store = open_store(args.db)
    try:
        if args.conflicts:
            return _list_conflicts(store)
        if args.take:
            from db.team.conflicts import take_conflict

            print(take_conflict(store, args.take))
            return 0
        report = sync(store, args.server, lambda message: print(message, file=sys.stderr))
        if store.setting(ANNOTATOR_SETTING) != report.name and report.role == "annotator":
            store.set_setting(ANNOTATOR_SETTING, report.name)  # the window opens as them
        print(report.describe())
        for message in report.pulled.messages:
            print(f"  {message}")
        if report.waiting:
            print(f"  {counted(report.waiting, 'change')} still waiting")
    finally:
        store.close()
    return 0


def _list_conflicts(store: Any) -> int:
    from db.team.conflicts import describe_conflict
    from db.team.sync import conflicts

    found = conflicts(store)
    if not found:
        print("no conflicts")
        return 0
    for conflict in found:
        print(describe_conflict(conflict))
    print(f"{counted(len(found), 'conflict')}; spanwise sync --take ID takes one's version")
    return 0
