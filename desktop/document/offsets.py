"""The one place where code-point offsets meet Qt's text positions.

Spanwise stores offsets as code points into the text exactly as imported. Qt counts UTF-16
units (an astral character such as an emoji is two) and `setPlainText` turns each CRLF into a
single paragraph break (a lone CR or LF is one break, as is U+2029). Nothing else changes
length, so the mapping only needs to know where those two things happen.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")  # two UTF-16 units in Qt
_CRLF = re.compile("\r\n")  # one paragraph break in Qt


class PositionMap:
    """Convert between code-point offsets into `text` and Qt document positions."""

    def __init__(self, text: str) -> None:
        self.length = len(text)
        # A shift applies to every code-point offset strictly greater than its position.
        positions: list[int] = []
        deltas: list[int] = []
        if text.startswith("\ufeff"):
            positions.append(0)
            deltas.append(-1)
        # two scans, merged: one regular expression with both took 7x as long (20 ms on 2 MB)
        shifts = [(m.start(), +1) for m in _ASTRAL.finditer(text)]
        shifts += [(m.start() + 1, -1) for m in _CRLF.finditer(text)]
        shifts.sort()
        for position, delta in shifts:
            positions.append(position)
            deltas.append(delta)
        self._positions = positions
        self._cumulative = [0, *accumulate(deltas)]
        self.qt_length = self.to_qt(self.length)

    def to_qt(self, offset: int) -> int:
        """Qt position of a code-point offset (clamped to the text)."""
        offset = max(0, min(offset, self.length))
        shifts = bisect_right(self._positions, offset - 1)
        return offset + self._cumulative[shifts]

    def to_offset(self, qt_position: int) -> int:
        """The last code-point offset whose Qt position is not past `qt_position`.

        A position inside a surrogate pair falls back to the start of the character; the
        position after a CRLF's paragraph break is the offset after the LF.
        """
        qt_position = max(0, min(qt_position, self.qt_length))
        return bisect_right(range(self.length + 1), qt_position, key=self.to_qt) - 1
