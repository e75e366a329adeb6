"""PySide6 6.12.0 dropped a reference to None on every void call and aborted the app after a
few thousand calls ("none_dealloc"). The pinned release must not."""

import sys

from PySide6.QtGui import QTextCursor, QTextDocument


def test_void_calls_do_not_leak_references_to_none(qapp):
    document = QTextDocument("x" * 200)
    cursor = QTextCursor(document)
    before = sys.getrefcount(None)
    for i in range(20_000):
        cursor.setPosition(i % 200)
    after = sys.getrefcount(None)
    assert after >= before - 50, f"None lost {before - after} references in 20,000 calls"
