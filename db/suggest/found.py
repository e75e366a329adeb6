"""What a rule finds: a quote's pieces, its kind, the rule, its cue and speaker mention."""

from __future__ import annotations

from dataclasses import dataclass

from db.suggest.analysis import Cue
from db.suggest.speakers import Mention
from db.text.spans import strip_span

Span = tuple[int, int]


@dataclass
class Found:
    """One attributed (or unattributed) quote, before entities are assigned.

    `quotations` are the indices of the quotations (by their marks) it uses, so no other
    rule takes them; `inherited` says the speaker mention was taken from the quote before.
    """

    kind: str
    rule: str
    spans: list[Span]
    cue: Cue | None
    speaker: Mention | None
    quotations: tuple[int, ...] = ()
    inherited: bool = False

    @property
    def start(self) -> int:
        """Where the found span starts (code points)."""
        return self.spans[0][0]

    @property
    def end(self) -> int:
        """Where the found span ends (code points, exclusive)."""
        return self.spans[-1][1]

    @property
    def attribution_start(self) -> int:
        """Where the words naming speaker and cue begin (for cutting a clause before them)."""
        points = []
        if self.cue is not None:
            points.append(self.cue.start)
        if self.speaker is not None and not self.inherited:
            points.append(self.speaker.phrase_start)
        return min(points) if points else self.start


def trimmed(text: str, start: int, end: int, strip_stop: bool = True) -> Span | None:
    """A span without surrounding white space, a trailing comma, or (for clauses) the
    sentence's final stop; None if nothing is left."""
    start, end = strip_span(text, start, end)
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    if strip_stop and end > start and text[end - 1] in ".;:!?…":
        end -= 1
        while end > start and text[end - 1].isspace():
            end -= 1
    return (start, end) if start < end else None
