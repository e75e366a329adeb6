"""The reporting-cue lexicon (resources/lexicons/cues.json): verbs, phrases and speaker nouns.

Kept as data so users can extend it; this module checks a lexicon file, merges a user's file
into the bundled one, and compiles every cue into one regular expression (a trie of the
words, so a 2 MB text is scanned once, fast).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from db.errors import SpanwiseError
from db.files.input_files import SETTINGS_FILE_BYTES, read_input
from db.files.json_files import parse_json
from db.schema.quote_definition import BROAD, SuggestSettings
from db.text.plain import shown
from resources import resource

PHRASE_KINDS = ("source", "verb", "manner")


@dataclass(frozen=True)
class Verb:
    """A reporting verb and how its content follows it."""

    lemma: str
    forms: tuple[str, ...]
    takes_object: bool = False  # told reporters that ...
    zero_that: bool = False  # said the line would reopen


@dataclass(frozen=True)
class Phrase:
    """A multi-word cue, and the kind of cue it is."""

    phrase: str
    kind: str  # source (according to), verb (pointed out), manner (posting on Telegram)


@dataclass(frozen=True)
class CueWord:
    """What a matched cue is: a verb form (with its verb) or a phrase."""

    text: str
    verb: Verb | None
    phrase: Phrase | None

    @property
    def is_participle(self) -> bool:
        """'stating', 'posting on Telegram': the speaker is the clause's subject, said before."""
        first = self.text.split()[0].lower()
        return first.endswith("ing") and first != "according"


class Lexicon:
    """A checked lexicon with its compiled cue pattern."""

    def __init__(
        self,
        verbs: Iterable[Verb],
        phrases: Iterable[Phrase],
        roles: Iterable[str],
        organisations: Iterable[str],
        groups: Iterable[str],
    ) -> None:
        self.verbs = tuple(verbs)
        self.phrases = tuple(phrases)
        self.roles = frozenset(w.lower() for w in roles)
        self.organisations = frozenset(w.lower() for w in organisations)
        self.groups = frozenset(w.lower() for w in groups)
        self._cues: dict[str, CueWord] = {}
        for verb in self.verbs:
            for form in verb.forms:
                self._cues[form.lower()] = CueWord(form, verb, None)
        for phrase in self.phrases:
            self._cues[_phrase_key(phrase.phrase)] = CueWord(phrase.phrase, None, phrase)
        spellings: set[str] = set()
        for key in self._cues:
            spellings.add(key)
            spellings.add(key[0].upper() + key[1:])
        for phrase in self.phrases:  # proper nouns in phrases keep their capitals
            spellings.add(phrase.phrase)
            spellings.add(phrase.phrase[0].upper() + phrase.phrase[1:])
        self.cue_pattern = re.compile(
            r"(?<![\w’'\-])(?:" + _trie_pattern(spellings) + r")(?![\w’'\-])"
        )
        self.speaker_nouns = self.roles | self.organisations | self.groups

    def cue(self, matched: str) -> CueWord:
        """The cue word for the matched text (its lemma and kind)."""
        return self._cues[_phrase_key(matched)]

    def merged(self, other: Lexicon) -> Lexicon:
        """This lexicon with another's entries added (a user's file over the bundled one)."""
        verbs = {v.lemma: v for v in self.verbs}
        verbs.update({v.lemma: v for v in other.verbs})
        phrases = {p.phrase.lower(): p for p in self.phrases}
        phrases.update({p.phrase.lower(): p for p in other.phrases})
        return Lexicon(
            verbs.values(),
            phrases.values(),
            self.roles | other.roles,
            self.organisations | other.organisations,
            self.groups | other.groups,
        )


def _phrase_key(text: str) -> str:
    return " ".join(text.split()).lower()


def _trie_pattern(words: Iterable[str]) -> str:
    """One alternation shaped as a trie: the regex engine never retries a shared prefix."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = []
        for char in sorted(k for k in node if k):
            piece = r"[^\S\r\n]+" if char == " " else re.escape(char)
            branches.append(piece + build(node[char]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return "(?:" + body + ")?"
        return body

    return build(trie)


# -- reading lexicon files -------------------------------------------------------------------


def parse_lexicon(data: Any, where: str) -> Lexicon:
    """Check a lexicon object; a mistake names the file and the entry."""
    if not isinstance(data, dict):
        raise SpanwiseError(f"{where}: a lexicon is a JSON object")
    verbs = [
        _verb(entry, f"{where}: verbs[{i}]") for i, entry in enumerate(_list(data, "verbs", where))
    ]
    phrases = [
        _phrase(entry, f"{where}: phrases[{i}]")
        for i, entry in enumerate(_list(data, "phrases", where))
    ]
    nouns = {}
    for key in ("roles", "organisations", "groups"):
        values = _list(data, key, where)
        if not all(isinstance(v, str) and v.strip() for v in values):
            raise SpanwiseError(f"{where}: '{key}' must be a list of words")
        nouns[key] = [v.strip() for v in values]
    return Lexicon(verbs, phrases, nouns["roles"], nouns["organisations"], nouns["groups"])


def _list(data: dict[str, Any], key: str, where: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise SpanwiseError(f"{where}: '{key}' must be a list")
    return value


def _verb(entry: Any, where: str) -> Verb:
    if not isinstance(entry, dict):
        raise SpanwiseError(f"{where} must be an object with 'lemma' and 'forms'")
    lemma = entry.get("lemma")
    forms = entry.get("forms")
    if not isinstance(lemma, str) or not lemma.strip():
        raise SpanwiseError(f"{where}.lemma must be a word")
    if (
        not isinstance(forms, list)
        or not forms
        or not all(isinstance(f, str) and f.strip() and " " not in f.strip() for f in forms)
    ):
        raise SpanwiseError(f"{where}.forms must be a non-empty list of single words")
    flags = {}
    for key in ("object", "zero_that"):
        value = entry.get(key, False)
        if not isinstance(value, bool):
            raise SpanwiseError(f"{where}.{key} must be true or false")
        flags[key] = value
    return Verb(
        lemma.strip(),
        tuple(f.strip().lower() for f in forms),
        flags["object"],
        flags["zero_that"],
    )


def _phrase(entry: Any, where: str) -> Phrase:
    if not isinstance(entry, dict):
        raise SpanwiseError(f"{where} must be an object with 'phrase' and 'kind'")
    phrase = entry.get("phrase")
    kind = entry.get("kind", "manner")
    if not isinstance(phrase, str) or not phrase.strip():
        raise SpanwiseError(f"{where}.phrase must be a non-empty string")
    if kind not in PHRASE_KINDS:
        raise SpanwiseError(f"{where}.kind must be one of {', '.join(PHRASE_KINDS)}")
    return Phrase(" ".join(phrase.split()), kind)


def read_lexicon_text(text: str, where: str) -> Lexicon:
    """A lexicon from a JSON text; a mistake is refused naming `where`."""
    return parse_lexicon(parse_json(text, where), where)


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The bundled lexicon, read once."""
    text = resource("lexicons", "cues.json").read_text(encoding="utf-8")
    return read_lexicon_text(text, "cues.json")


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """The bundled lexicon, extended by a user's lexicon file if one is given."""
    if path is None:
        return default_lexicon()
    return default_lexicon().merged(read_lexicon_file(path))


def read_lexicon_file(path: str | Path) -> Lexicon:
    """A user's lexicon file on its own (to add to the bundled cues)."""
    try:
        text = read_input(Path(path), SETTINGS_FILE_BYTES).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SpanwiseError(f"{shown(path)}: cannot read the lexicon ({exc})") from exc
    return read_lexicon_text(text, str(path))


@lru_cache(maxsize=1)
def broad_cues() -> Lexicon:
    """The cues of the broad definition (beliefs, thoughts, intentions), read once."""
    text = resource("lexicons", "broad.json").read_text(encoding="utf-8")
    return read_lexicon_text(text, "broad.json")


@lru_cache(maxsize=16)
def _lexicon_for(settings_text: str) -> Lexicon:
    settings = json.loads(settings_text)
    lexicon = default_lexicon()
    if settings["quote_definition"] == BROAD:
        lexicon = lexicon.merged(broad_cues())
    if settings["lexicon"]:
        lexicon = lexicon.merged(parse_lexicon(settings["lexicon"], "the schema's suggest.lexicon"))
    return lexicon


def lexicon_for(settings: SuggestSettings | None, extra: Lexicon | None = None) -> Lexicon:
    """The lexicon a project's quote definition asks for: the bundled cues, the broad
    definition's if it is chosen, the schema's own, then `extra` (a --lexicon file)."""
    lexicon = _lexicon_for((settings or SuggestSettings()).to_text())
    return lexicon if extra is None else lexicon.merged(extra)
