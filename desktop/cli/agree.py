"""`spanwise agree A B [C ...]`: inter-annotator agreement on the command line.

A table by default, `--json` for scripts (the shape of `AgreementResult.to_json`), and
`--html FILE` for a report to keep. `desktop/cli/main.py` adds the subcommand with `add_parser`
and calls `run` with the open store.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the measures load when `agree` runs, not when Spanwise starts
    from db.agreement.measure import AgreementResult, Row
from db.store import Store
from db.text.messages import counted
from db.text.plain import shown_lines

COLUMNS = ("exact F1", "overlap F1", "kappa", "alpha", "alpha_U")


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add `agree` to the `spanwise` subcommands (`subparsers` from add_subparsers)."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "agree",
        help="inter-annotator agreement: spans, tokens, alpha_U, attribution, entities",
        description="Agreement of two or more annotators on the same documents. The first "
        "annotator is the reference for precision and recall.",
    )
    parser.add_argument("annotators", nargs="+", metavar="ANNOTATOR", help="two or more")
    parser.add_argument("--label", help="only this label")
    parser.add_argument(
        "--document",
        action="append",
        metavar="ID",
        help="only this document (repeat for several; default: all)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--html", type=Path, metavar="FILE", help="also write an HTML report")
    return parser


def run(store: Store, args: argparse.Namespace) -> int:
    """Measure, print the table (or JSON), and write the HTML report when asked."""
    from db.agreement.measure import agreement
    from db.agreement.report import save_report

    result = agreement(store, args.annotators, args.label, args.document)
    if args.html is not None:
        save_report(result, args.html)
    stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n")
    try:
        if args.json:
            # one line, by json's C encoder: 2,000 documents indented would take seconds
            stdout.write(json.dumps(result.to_json(), ensure_ascii=False, allow_nan=False))
            stdout.write("\n")
        else:
            stdout.write(shown_lines(describe(result)))
    finally:
        stdout.detach()
    if args.html is not None:
        print(f"wrote the agreement report to {args.html}", file=sys.stderr)
    return 0


def describe(result: AgreementResult) -> str:
    """The result as a plain-text table with a few lines on links."""
    from db.agreement.report import number

    names = result.annotators
    overall = result.overall
    lines = [
        f"Agreement of {', '.join(names)} ({names[0]} is the reference) over "
        f"{counted(overall.counts.documents, 'document')}, "
        f"{counted(overall.counts.tokens_compared, 'token')}",
        "",
    ]
    header = ["label", *names, *COLUMNS]
    table = [header]
    for label, row in [*result.labels.items(), ("overall", overall)]:
        table.append([label, *(str(row.counts.annotations.get(n, 0)) for n in names), *_cells(row)])
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    for line in table:
        first = line[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(line[1:], widths[1:], strict=True))
        lines.append("  ".join([first, *rest]).rstrip())
    if len(result.pairs) > 1:
        lines += ["", "F1 and kappa are means over the pairs (± standard deviation):"]
        for pair in result.pairs:
            lines.append(
                f"  {pair.first} / {pair.second}: exact F1 {number(pair.overall.exact_f1)}, "
                f"overlap F1 {number(pair.overall.overlap_f1)}, "
                f"kappa {number(pair.overall.kappa)}"
            )
    token_alpha = result.section.token_alpha
    lines += [
        "",
        f"Token alpha (one value per token: its label or none, over "
        f"{', '.join(token_alpha.labels) or 'no label'}): {number(token_alpha.alpha)}; "
        "the alpha column is per label, in it or not",
    ]
    attribution = result.section.attribution
    lines += [
        f"Attribution: {counted(attribution.quotes_matched, 'quote')} both annotated; same speaker "
        f"{number(attribution.speaker)} ({attribution.speaker_agreed} of "
        f"{attribution.speaker_compared}), same cue {number(attribution.cue)} "
        f"({attribution.cue_agreed} of {attribution.cue_compared})",
    ]
    for role, value in attribution.roles.items():
        lines.append(
            f"  {role} arguments: F1 {number(value.f1)} ({value.matched} paired of "
            f"{value.first} and {value.second})"
        )
    coreference = result.section.coreference
    lines.append(
        f"Coreference: {counted(coreference.mentions_matched, 'mention')} matched; link F1 "
        f"{number(coreference.link_f1)}, B-cubed F1 {number(coreference.b3_f1)}"
    )
    return "\n".join(lines) + "\n"


def _cells(row: Row) -> list[str]:
    from db.agreement.report import number

    cells = []
    for key in ("exact_f1", "overlap_f1", "kappa", "alpha", "alpha_u"):
        text = number(getattr(row, key))
        spread = row.sd.get(key)
        cells.append(text if spread is None else f"{text}±{spread:.2f}")
    return cells
