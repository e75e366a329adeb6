"""User text in one line of a message or a terminal: titles, names, file names, ids.

A title or annotator name comes from someone else's file. Printed raw, an escape sequence
reaches the terminal (colours, a moved cursor, a rewritten title bar), a newline or a tab
fakes a row of `spanwise docs`, and a right-to-left override reverses what follows. Each such
character is written as its Python escape instead (`\\x1b`, `\\n`, `\\u202e`); everything else,
accents and emoji included, is printed as it is.
"""

from __future__ import annotations

import unicodedata

# control characters, line/paragraph separators, lone surrogates, and the format characters
# that reorder or hide text (bidirectional embeddings, overrides and isolates)
_UNSHOWN_CATEGORIES = {"Cc", "Zl", "Zp", "Cs"}
_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _escaped(ch: str) -> str:
    if ch in _BIDI or unicodedata.category(ch) in _UNSHOWN_CATEGORIES:
        return ch.encode("unicode_escape").decode("ascii")
    return ch


def shown(value: object) -> str:
    """`value` as one line of plain text: control and reordering characters escaped."""
    text = str(value)
    if text.isprintable():  # the common case: nothing to escape (no control, no separator)
        return text
    return "".join(_escaped(ch) for ch in text)


def shown_lines(text: str) -> str:
    """Several lines of output (a table, a summary): each line shown, the breaks kept."""
    return "\n".join(shown(line) for line in text.split("\n"))
