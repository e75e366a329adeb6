"""Which keys the window binds, and where: the check that no key is bound twice where both
bindings can fire (Qt calls that an ambiguous shortcut and does nothing at all)."""

from __future__ import annotations

from itertools import combinations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget


def _scopes(action: QAction) -> list[QWidget]:
    """The widgets an action's keys work in (the window itself for a window-wide action)."""
    return [w for w in action.associatedObjects() if isinstance(w, QWidget)]


def _overlap(a: QAction, b: QAction) -> bool:
    """True when some focus widget would let both actions' shortcuts fire."""
    window_wide = Qt.ShortcutContext.WindowShortcut, Qt.ShortcutContext.ApplicationShortcut
    if a.shortcutContext() in window_wide or b.shortcutContext() in window_wide:
        return any(x.window() is y.window() for x in _scopes(a) for y in _scopes(b))
    return any(
        x is y or x.isAncestorOf(y) or y.isAncestorOf(x) for x in _scopes(a) for y in _scopes(b)
    )


def key_clashes(window: QWidget) -> list[str]:
    """Every key bound twice where both can fire, including twice by one action."""
    actions = [a for a in window.findChildren(QAction) if a.shortcuts()]
    problems = []
    for action in actions:
        keys = [k.toString() for k in action.shortcuts()]
        for key in {k for k in keys if keys.count(k) > 1}:
            problems.append(f"{key}: bound twice to {action.objectName()}")
    for a, b in combinations(actions, 2):
        shared = {k.toString() for k in a.shortcuts()} & {k.toString() for k in b.shortcuts()}
        if shared and _overlap(a, b):
            problems.append(f"{sorted(shared)}: {a.objectName()} and {b.objectName()}")
    return problems


def keys_of(window: QWidget, name: str) -> list[str]:
    action = window.findChild(QAction, name)
    assert action is not None, name
    return [k.toString(QKeySequence.SequenceFormat.PortableText) for k in action.shortcuts()]
