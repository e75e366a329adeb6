"""Which speaker mentions are one person or organisation (a coreference suggestion).

One pass in text order. A full name starts an entity; a surname ("Zelensky"), a role the
entity was introduced with ("The President", "the ministry"), or a pronoun ("he", "it") joins
the most recent entity that fits. Names at the start of other sentences ("Nair was cautious.",
"The village’s mayor, Pascal Roten, struck a defiant tone.") keep the recency right without
becoming mentions themselves.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from db.suggest.analysis import Analysis
from db.suggest.speakers import (
    DETERMINERS,
    FUNCTION_WORDS,
    PRONOUNS,
    Mention,
    name_words,
    noun_phrase_at,
)
from db.suggest.text_units import tokens

_FIRST_WORD = re.compile(r"[^\W\d_a-z][\w’'\-]*")
# sentence openings that cannot start a subject worth remembering ("He said", "In March")
_NOT_SUBJECTS = (FUNCTION_WORDS | PRONOUNS.keys()) - {"the"}
_CAPITALISED = re.compile(r"(?<![\w’'\-])[^\W\d_a-z][\w’'\-]*")
_LABELS = {
    "name": "person",
    "role": "person",
    "organisation": "organisation",
    "group": "group",
    "other": "other",
}


@dataclass(eq=False)
class Entity:
    """An entity being built: its name, type, and what later mentions can match it by."""

    name: str
    label: str
    rule: str
    name_tokens: set[str] = field(default_factory=set)
    descriptors: set[str] = field(default_factory=set)
    gender: str | None = None
    last: int = -1
    named: bool = False  # has a personal name (a role-only entity may still get one)
    definite: bool = True  # "the minister", not "a spokesperson"
    learned: set[tuple[str, tuple[str, ...], frozenset[str]]] = field(default_factory=set)

    @property
    def key(self) -> str:
        """The name as entities are matched by: label and case-folded name."""
        return f"{self.label}:{self.name.casefold()}"


@dataclass(frozen=True)
class Assignment:
    """The entity a mention is put in, and the rule that chose it."""

    entity: Entity
    rule: str


class _Resolver:
    """Entities found so far, indexed by name word, descriptor and phrase, so each mention
    is resolved in about constant time however long the text."""

    RECENT = 40  # pronouns look back this many entities at most

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.lexicon = analysis.lexicon
        self.by_token: dict[str, list[Entity]] = {}
        self.by_descriptor: dict[str, list[Entity]] = {}
        self.by_phrase: dict[str, Entity] = {}
        self.recent: list[Entity] = []
        self._by_kind: dict[str, Callable[[Mention], Assignment | None]] = {
            "name": self._name,
            "organisation": self._organisation,
            "role": self._role,
            "group": self._group,
            "other": self._other,
            "pronoun": self._pronoun,
        }

    # -- bookkeeping ----------------------------------------------------------------------------

    def _new(self, name: str, label: str, rule: str, mention: Mention) -> Entity:
        entity = Entity(name, label, rule)
        self.by_phrase.setdefault(name.casefold(), entity)
        self._learn(entity, mention)
        return entity

    def _learn(self, entity: Entity, mention: Mention) -> None:
        seen = (mention.kind, mention.words, mention.extra)  # all a mention can teach
        if seen in entity.learned:
            return  # a name repeated ("Zelensky said" again) teaches nothing new
        entity.learned.add(seen)
        described = mention.descriptors
        for word in described - entity.descriptors:
            self.by_descriptor.setdefault(word, []).append(entity)
        entity.descriptors |= described
        if mention.kind in ("name", "organisation"):
            new = {w.lower().strip("()") for w in mention.words if w[:1].isupper()}
            new -= DETERMINERS
            for token in new - entity.name_tokens:
                self.by_token.setdefault(token, []).append(entity)
            entity.name_tokens |= new

    def touch(self, entity: Entity, position: int) -> None:
        entity.last = position
        recent = self.recent
        if recent and recent[-1] is entity:
            return  # the same entity again, the most common case
        if entity in recent:
            recent.remove(entity)
        recent.append(entity)
        if len(recent) > self.RECENT:
            del recent[0]

    @staticmethod
    def _latest(candidates: Iterable[Entity]) -> Entity | None:
        return max(candidates, key=lambda e: e.last, default=None)

    def _phrase(self, mention: Mention) -> str:
        """The mention's words as written, without a leading article."""
        text = self.analysis.text[mention.start : mention.end]
        first = mention.words[0].lower()
        if first in ("the", "a", "an") and len(mention.words) > 1:
            text = text[len(mention.words[0]) :].lstrip()
        return text

    # -- resolving ------------------------------------------------------------------------------

    def resolve(self, mention: Mention, position: int) -> Assignment | None:
        assignment = self._by_kind[mention.kind](mention)
        if assignment is not None:
            self.touch(assignment.entity, position)
        return assignment

    def _name(self, mention: Mention) -> Assignment | None:
        names = name_words(mention, self.lexicon)
        if not names:
            return self._other(mention)
        surname = names[-1].lower()
        holders = self.by_token.get(surname, [])
        if len(names) == 1:
            found = self._latest(e for e in holders if e.label != "group")
            if found is not None:
                self._learn(found, mention)
                return Assignment(found, "coref:short-name")
            return Assignment(self._new(names[0], "person", "entity:name", mention), "new")
        first = names[0].lower()
        found = self._latest(
            e for e in holders if e.named and (first in e.name_tokens or len(e.name_tokens) == 1)
        )
        if found is not None:
            self._learn(found, mention)
            return Assignment(found, "coref:same-name")
        role_only = (
            e
            for word in mention.descriptors
            for e in self.by_descriptor.get(word, ())
            if not e.named and e.label == "person" and e.definite
        )
        found = self._latest(role_only)
        name = " ".join(names)
        if found is not None:  # "the minister says" ... "Transport Minister Marta Lindqvist"
            found.name, found.named = name, True
            self._learn(found, mention)
            return Assignment(found, "coref:role-then-name")
        entity = self._new(name, "person", "entity:name", mention)
        entity.named = True
        return Assignment(entity, "new")

    def _organisation(self, mention: Mention) -> Assignment | None:
        phrase = self._phrase(mention)
        found = self.by_phrase.get(phrase.casefold())
        if found is not None:
            self._learn(found, mention)
            return Assignment(found, "coref:same-name")
        if mention.definite and not any(w[:1].isupper() for w in mention.words[1:]):
            head = mention.head  # "the ministry", "the authority", "the council"
            holders = [*self.by_token.get(head, ()), *self.by_descriptor.get(head, ())]
            found = self._latest(e for e in holders if e.label == "organisation")
            if found is not None:
                self._learn(found, mention)
                return Assignment(found, "coref:organisation-head")
        for word in mention.words:
            acronym = word.strip("()")
            if len(acronym) > 1 and acronym.isupper():
                found = self._latest(self.by_token.get(acronym.lower(), ()))
                if found is not None:
                    self._learn(found, mention)
                    return Assignment(found, "coref:acronym")
        return Assignment(self._new(phrase, "organisation", "entity:organisation", mention), "new")

    def _role(self, mention: Mention) -> Assignment | None:
        phrase = self._phrase(mention)
        if mention.definite:
            holders = self.by_descriptor.get(mention.head, ())
            found = self._latest(e for e in holders if e.label == "person")
            if found is not None:
                self._learn(found, mention)
                return Assignment(found, "coref:role")
        found = self.by_phrase.get(phrase.casefold())
        if found is not None:
            return Assignment(found, "coref:same-phrase")
        entity = self._new(phrase, "person", "entity:role", mention)
        entity.definite = mention.definite
        return Assignment(entity, "new")

    def _group(self, mention: Mention) -> Assignment | None:
        phrase = self._phrase(mention)
        found = self.by_phrase.get(phrase.casefold())
        if found is not None and found.label == "group":
            return Assignment(found, "coref:same-phrase")
        return Assignment(self._new(phrase, "group", "entity:group", mention), "new")

    def _other(self, mention: Mention) -> Assignment | None:
        phrase = self._phrase(mention)
        found = self.by_phrase.get(phrase.casefold())
        if found is not None:
            return Assignment(found, "coref:same-phrase")
        return Assignment(self._new(phrase, "other", "entity:other", mention), "new")

    def _pronoun(self, mention: Mention) -> Assignment | None:
        pronoun = mention.words[0].lower()
        gender = PRONOUNS.get(pronoun)
        if pronoun in ("he", "she"):
            labels: tuple[str, ...] = ("person",)
        elif pronoun == "it":
            labels = ("organisation",)
        elif pronoun == "they":
            labels = ("group", "organisation", "person")
        else:
            labels = ("person", "organisation", "group")
        found = None
        for label in labels if pronoun == "they" else (None,):  # "they": groups first
            found = next(
                (
                    e
                    for e in reversed(self.recent)
                    if (e.label == label if label else e.label in labels)
                    and not (gender in ("m", "f") and e.gender in ("m", "f") and e.gender != gender)
                ),
                None,
            )
            if found is not None:
                break
        if found is None:
            return None
        if gender in ("m", "f"):
            found.gender = gender
        return Assignment(found, "coref:pronoun")

    # -- context (names that are not speaker mentions) ---------------------------------------

    def note_context(self, mention: Mention, position: int) -> None:
        """A subject outside any attribution: only updates recency, or starts an entity for a
        full personal name or an organisation."""
        if mention.kind == "name" and len(name_words(mention, self.lexicon)) < 2:
            self.note_word(mention.words[-1].lower(), position)
        elif mention.kind in ("name", "organisation", "group"):
            self.resolve(mention, position)
        elif mention.kind == "role" and mention.definite:
            found = self._latest(self.by_descriptor.get(mention.head, ()))
            if found is not None:
                self.touch(found, position)

    def note_word(self, word: str, position: int) -> None:
        """A name word (lower-cased) in passing makes its named entities recent."""
        for entity in self.by_token.get(word, ()):
            if entity.named:
                self.touch(entity, position)


def _context_mentions(analysis: Analysis, spoken: set[int]) -> Iterator[tuple[int, int, Mention]]:
    """Subjects at sentence starts, and a name in apposition to one ("The mayor, X, ...");
    sentences whose subject is a speaker mention (its start in `spoken`) are skipped."""
    text = analysis.text
    lexicon = analysis.lexicon
    for index, (start, end) in enumerate(analysis.sentences.spans):
        if start in spoken:
            continue
        first = _FIRST_WORD.match(text, start, end)
        if first is None or first.group().lower() in _NOT_SUBJECTS:
            continue
        head = analysis.cached_tokens(index) or tokens(text, start, min(end, start + 60))
        mention = noun_phrase_at(head, 0, lexicon)
        if mention is None:
            continue
        yield (mention.start, 1, mention)
        stop = len(mention.words)
        if stop < len(head) and head[stop].text == "," and stop + 1 < len(head):
            named = noun_phrase_at(head, stop + 1, lexicon)
            if named is not None and named.kind == "name":
                yield (named.start, 1, named)


def _capitalised_words(analysis: Analysis, names: set[str]) -> list[tuple[int, str]]:
    """The capitalised words outside quotations that are among `names` (lower-cased), with
    their starts, in text order."""
    found = []
    for match in analysis.outside_matches(_CAPITALISED):
        word = match.group()
        if word[0].isupper():
            lower = word.lower()
            if lower in names:
                found.append((match.start(), lower))
    return found


def _name_tokens(events: list[tuple[int, int, Mention]]) -> set[str]:
    """Every word an entity can be known by (see _Resolver._learn): only the mentions being
    resolved teach entities their names, so no other word can ever be looked up."""
    return {
        word.lower().strip("()")
        for _, _, mention in events
        if mention.kind in ("name", "organisation")
        for word in mention.words
        if word[:1].isupper()
    }


def assign_entities(analysis: Analysis, mentions: list[Mention]) -> dict[int, Assignment]:
    """The entity of each speaker mention, keyed by the mention's start (unresolved: none)."""
    resolver = _Resolver(analysis)
    spoken = sorted({m.start: m for m in mentions}.values(), key=lambda m: m.start)
    events = [(m.start, 0, m) for m in spoken]
    events.extend(_context_mentions(analysis, {m.start for m in spoken}))
    events.sort(key=_event_order)
    words = _capitalised_words(analysis, _name_tokens(events))
    count = len(words)
    next_word = 0
    by_token = resolver.by_token
    result: dict[int, Assignment] = {}
    for position, order, mention in events:
        while next_word < count and words[next_word][0] < position:  # names in passing
            start, word = words[next_word]
            if word in by_token:
                resolver.note_word(word, start)
            next_word += 1
        if order == 0:
            assignment = resolver.resolve(mention, position)
            if assignment is not None:
                result[mention.start] = assignment
        elif mention.start not in result:
            resolver.note_context(mention, position)
    return result


def _event_order(event: tuple[int, int, Mention]) -> tuple[int, int]:
    return event[0], event[1]
