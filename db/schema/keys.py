"""Label keys: the one key a label is applied with (and Alt+key for the exact selection).

A label's key works where the article and the side lists have focus, beside the window's own
keys there (S speaker, C cue, A argument, E entity, F fragment, N next suggestion). Two
actions on one key make Qt call the key ambiguous and do nothing, so a label key that another
label or the window already uses would silently break both: a schema file with one is
refused, and an import adds its label without the key (and says so). A label key is one
visible character, as in the bundled schema (1 to 7); Ctrl+Q and the like belong to the
window's menus.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from db.errors import SpanwiseError

# Single keys the window binds where label keys work (desktop/window/actions.py; a window
# test checks that this list and the window agree).
WINDOW_KEYS = {"S": "Link speaker", "C": "Link cue", "A": "Add event argument",
               "E": "Link to entity", "F": "Add selection as fragment",
               "N": "Next suggestion"}  # fmt: skip


def normalised(key: str) -> str:
    """The key as the window binds it: letters in capitals ("q" and "Q" are one key)."""
    return key.strip().upper()


def key_problem(key: str, taken: dict[str, str]) -> str | None:
    """Why `key` cannot be a label's key, or None. `taken` maps keys already in use (by the
    window, or by other labels) to what uses them."""
    bare = normalised(key)
    if len(bare) != 1 or not bare.isprintable() or bare.isspace():
        return f"'{key}' is not one key (a label key is one visible character, such as 1 or Q)"
    if bare in taken:
        return f"'{key}' is already the key of {taken[bare]}"
    return None


def in_use(labels: Iterable[tuple[str, str | None]]) -> dict[str, str]:
    """Keys the window and these (name, key) labels use, with who uses each."""
    taken = dict(WINDOW_KEYS)
    for name, key in labels:
        if key:
            taken.setdefault(normalised(key), f"the label {name}")
    return taken


def check_schema_keys(
    labels: Sequence[tuple[str, str | None]],
    where: str,
    existing: Iterable[tuple[str, str | None]] = (),
) -> None:
    """Refuse a schema file whose label keys clash with the window's, with each other, or
    with the keys of labels the database already has."""
    taken = in_use(existing)
    for index, (name, key) in enumerate(labels):
        if not key:
            continue
        problem = key_problem(key, taken)
        if problem is not None:
            raise SpanwiseError(f"{where}: labels[{index}] ({name}): the shortcut {problem}")
        taken[normalised(key)] = f"the label {name}"
