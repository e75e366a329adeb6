"""Counts in words a person reads: "1 mention", "2 mentions", never "1 mentions" or
"mention(s)"."""

from __future__ import annotations

_IRREGULAR = {"entity": "entities", "was": "were", "is": "are"}


def plural(count: int, word: str, many: str | None = None) -> str:
    """ "1 document", "3 documents"; `many` names an irregular plural."""
    if count == 1:
        return f"{count} {word}"
    return f"{count} {many or _IRREGULAR.get(word) or word + 's'}"
