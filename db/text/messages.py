"""Words for what an import or export did: counts in the right number ("1 document",
"2 documents"), and a message about many things told once ("200 files already in the
database (a.txt, b.txt, c.txt and 197 more)") instead of once per thing."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

# Plurals that do not just add an "s".
_IRREGULAR = {"entity": "entities", "entry": "entries", "property": "properties"}
# The nouns reports count, so that "1 spans widened" can become "1 span widened".
_NOUNS = "annotation attribution document entity file link mention quote span suggestion token"
SHOWN_SUBJECTS = 3  # how many of a repeated message's subjects are named


def plural(noun: str) -> str:
    """The plural of a noun or of a phrase ending in one ("new document")."""
    head, _, last = noun.rpartition(" ")
    many = _IRREGULAR.get(last, last + "s")
    return f"{head} {many}" if head else many


_SINGULAR = {plural(noun): noun for noun in _NOUNS.split()}


def counted(count: int, noun: str, many: str | None = None) -> str:
    """`1 document`, `0 documents`, `2 documents` (`many` for a plural of another shape)."""
    return f"{count} {noun if count == 1 else many or plural(noun)}"


def counted_phrase(count: int, phrase: str) -> str:
    """A count before a phrase in the plural ("spans widened to whole tokens"): for one, its
    first plural noun is made singular ("1 span widened to whole tokens")."""
    if count != 1:
        return f"{count} {phrase}"
    words = phrase.split(" ")
    for index, word in enumerate(words):
        singular = _SINGULAR.get(word)
        if singular:
            words[index] = singular
            break
    return f"1 {' '.join(words)}"


@dataclass(frozen=True)
class Repeated:
    """A message that can be about many things. `one` is said of a single subject ("{}"
    stands for it); for several, `many` follows their count and the first few are named."""

    noun: str  # what the subjects are: "file"
    one: str  # "{}: already in the database"
    many: str  # "already in the database"

    def line(self, subjects: list[str]) -> str:
        """The message for these subjects: named one by one, or counted when many."""
        if len(subjects) == 1:
            return self.one.replace("{}", subjects[0])
        named = ", ".join(subjects[:SHOWN_SUBJECTS])
        rest = len(subjects) - SHOWN_SUBJECTS
        if rest > 0:
            named += f" and {rest} more"
        return f"{counted(len(subjects), self.noun)} {self.many} ({named})"


@dataclass
class _Group:
    repeated: Repeated
    subjects: list[str] = field(default_factory=list)


class Messages:
    """Messages in the order they arose; all the subjects of one Repeated message make one
    line, where the first of them arose. Iterating gives the lines to show."""

    def __init__(self, lines: Iterable[str] = ()) -> None:
        self._items: list[str | _Group] = list(lines)
        self._groups: dict[Repeated, _Group] = {}

    def append(self, line: str) -> None:
        """Add one line, unless it is already there."""
        self._items.append(line)

    def about(self, repeated: Repeated, subject: str) -> None:
        """Say `repeated` of `subject`, together with whatever else it was said of."""
        group = self._groups.get(repeated)
        if group is None:
            group = self._groups[repeated] = _Group(repeated)
            self._items.append(group)
        group.subjects.append(subject)

    def extend(self, other: Iterable[str] | Messages) -> None:
        """Add several lines, each once."""
        if not isinstance(other, Messages):
            self._items.extend(other)
            return
        for item in other._items:
            if isinstance(item, str):
                self.append(item)
            else:
                for subject in item.subjects:
                    self.about(item.repeated, subject)

    def __iter__(self) -> Iterator[str]:
        for item in self._items:
            yield item if isinstance(item, str) else item.repeated.line(item.subjects)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Messages({list(self)!r})"
