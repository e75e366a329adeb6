"""Reading JSON from someone else's file: a mistake is refused with its place, never a
traceback. Every JSON input (exports, schemas, lexicons, mappings, tools' files) reads here."""

from __future__ import annotations

import json
from typing import Any

from db.errors import ImportRefused


def parse_json(text: str, where: str, one_line: bool = False, **options: Any) -> Any:
    """json.loads, with a mistake refused as "WHERE: not valid JSON (line L, column C: why)"
    (`one_line`: a line of a JSON-lines file, WHERE names it, so the column is enough)."""
    try:
        return json.loads(text, **options)
    except json.JSONDecodeError as exc:
        place = f"column {exc.colno}"
        if not one_line:
            place = f"line {exc.lineno}, {place}"
        raise ImportRefused(f"{where}: not valid JSON ({place}: {exc.msg})") from exc
    except RecursionError as exc:
        raise ImportRefused(f"{where}: JSON nested too deeply") from exc
