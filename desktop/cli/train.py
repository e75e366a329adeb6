"""`spanwise train`: train the suggester on an annotator's work (gold by default).

    spanwise train [--annotator A]     train, and keep the model as the next version
    spanwise train --list              the versions kept, newest first, and what each learnt

`desktop/cli/main.py` adds the subcommand with `add_parser` and calls `run` with the open store.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from db.store import Store
from db.text.messages import counted

DEFAULT_ANNOTATOR = "gold"


# `--annotator` (a global option, on either side of the command) says whose work to learn from.
ANNOTATOR_HELP = f"whose annotations to learn from (default: {DEFAULT_ANNOTATOR})"


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add `train` to the `spanwise` subcommands."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "train",
        help="train the suggester on an annotator's quotes, speakers and cues",
        description="Train a model of the project's own definition of a quote on one "
        "annotator's annotations (and the suggestions they rejected), and keep it in the "
        "database as the next version: `spanwise suggest` and the window then suggest with it.",
    )
    parser.add_argument(
        "--list", action="store_true", help="list the trained versions instead of training"
    )
    return parser


def run(store: Store, args: argparse.Namespace) -> int:
    """Train on the chosen annotator's work and keep the model as the next version."""
    if args.list:
        models = store.models()
        if not models:
            print("spanwise: no trained model yet (spanwise train)", file=sys.stderr)
        for record in models:
            print(record.describe())
        return 0
    from db.suggest.train_store import train_from_store

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "reading":  # the window's progress bar reads these lines
            print(
                f"reading {done + 1} of {counted(total, 'document')}…", file=sys.stderr, flush=True
            )
        elif stage == "training" and done == 0:
            print("training…", file=sys.stderr, flush=True)

    record = train_from_store(store, args.annotator or DEFAULT_ANNOTATOR, progress=progress)
    print(f"trained {record.describe()} in {record.counts.get('seconds', 0)} s")
    return 0
