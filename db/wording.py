"""Counts in words a person reads: "1 mention", "2 mentions", never "1 mentions" or
"mention(s)"."""

from __future__ import annotations

_IRREGULAR = {"entity": "entities", "was": "were", "is": "are"}


def plural(count: int, word: str, many: str | None = None) -> str:
    """ "1 document", "3 documents"; `many` names an irregular plural."""
    if count == 1:
        return f"{count} {word}"
    return f"{count} {many or _IRREGULAR.get(word) or word + 's'}"


def counted(count: int, kinds: str) -> str:
    """A count of things named in the plural ("documents", "entities"): "1 document"."""
    if count != 1:
        return f"{count} {kinds}"
    if kinds.endswith("ies"):
        return f"1 {kinds[:-3]}y"
    return f"1 {kinds[:-1] if kinds.endswith('s') else kinds}"
