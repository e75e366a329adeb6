"""Speaker noun phrases next to a cue: "Lindqvist said", "said Marta Lindqvist", "The President
emphasized", "A spokesperson for the committee said", "The transport ministry said", "she said".

Small hand-written grammar over word tokens: capitalised runs (with "of/for/the" inside
names), a determiner and the lexicon's role/organisation/group nouns, a "for/of/at/in" phrase
after a role, an apposition between commas ("Kovalenko, head of ..., said"; "the report’s lead
author, Professor Anders Holm, said": the name wins), a parenthesised acronym ("(HUR)").
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from db.suggest.lexicon import Lexicon
from db.suggest.text_units import TITLE_ABBREVIATIONS, Token
from db.suggest.words import (
    APPOSITION_STARTS,
    BE_FORMS,
    CALENDAR,
    DETERMINERS,
    FORWARD_PP,
    FUNCTION_WORDS,
    INDEFINITE,
    NAME_CONNECTORS,
    PARENTHETICAL_ADVERBS,
    PP_PREPOSITIONS,
    SKIP_BEFORE_CUE,
)

PRONOUNS = {"he": "m", "she": "f", "they": "p", "it": "n", "we": "p", "i": "s"}
ABBREVIATIONS = frozenset(a + "." for a in TITLE_ABBREVIATIONS)
_TITLES = frozenset(a.lower() for a in TITLE_ABBREVIATIONS)
_NO_WORDS: frozenset[str] = frozenset()


@dataclass(slots=True)
class Mention:
    """A speaker noun phrase found in the text. The functions here make a fresh one per call
    and finish it (rule, apposition) in place; once handed out it is never changed (not frozen
    only because frozen dataclasses are slow to create, and the rules make tens of thousands).

    kind: name, role, organisation, group, pronoun or other. `phrase_start` is where the
    whole subject begins (before an apposition), to check nothing else stands between a
    quote and its attribution. `extra` are words of an apposition ("head of the centre").
    """

    start: int
    end: int
    kind: str
    words: tuple[str, ...]
    rule: str = ""
    extra: frozenset[str] = frozenset()
    definite: bool = True
    phrase_start: int = -1

    @property
    def head(self) -> str:
        """The mention's head word: what coreference and the ranker compare."""
        return self.words[-1].lower() if self.words else ""

    @property
    def descriptors(self) -> frozenset[str]:
        """Lower-case words beside the name ("president", "transport", "minister") that a
        later role mention ("The President", "the minister") can corefer by."""
        words = self.words[:-2] if self.kind == "name" else self.words
        return self.extra | {
            w.lower()
            for w in words
            if w[:1].isalpha() and w.lower() not in DETERMINERS and w.lower() not in FUNCTION_WORDS
        }

    def with_rule(self, rule: str) -> Mention:
        """The same mention, credited to another rule."""
        return Mention(
            self.start,
            self.end,
            self.kind,
            self.words,
            rule,
            self.extra,
            self.definite,
            self.phrase_start,
        )


def _is_name_word(token: Token) -> bool:
    if token.text in ABBREVIATIONS:
        return True
    return (
        token.is_word
        and token.is_capitalised
        and token.lower not in FUNCTION_WORDS
        and token.lower not in CALENDAR
    )


def _possessive(token: Token) -> bool:
    return token.is_word and token.text.endswith(("’s", "'s", "s’", "s'"))


def _classify(words: Sequence[Token], has_det: bool, lexicon: Lexicon) -> str | None:
    content = [t for t in words if t.is_word and t.text not in "()"]
    if not content:
        return None
    head = content[-1]
    if len(content) == 1 and head.lower in PRONOUNS:
        return "pronoun"
    low = head.lower
    if low in lexicon.roles:
        return "role"
    if low in lexicon.organisations:
        return "organisation"
    if low in lexicon.groups:
        return "group"
    # "Payments firm Klarvik", "Swiss Federal Institute …" are organisations, "police chief X"
    # and "Transport Minister X" people: the last such noun before the head decides
    for token in reversed(content[:-1]):
        if token.lower in lexicon.roles:
            break
        if token.lower in lexicon.organisations:
            return "organisation"
    if head.is_capitalised:
        return "name"
    return "other" if has_det else None


def _make(words: Sequence[Token], kind: str, has_det: bool, rule: str, lexicon: Lexicon) -> Mention:
    first = words[0]
    definite = not (has_det and first.lower in INDEFINITE)
    texts = tuple([t.text for t in words])
    return Mention(first.start, words[-1].end, kind, texts, rule, _NO_WORDS, definite, first.start)


# -- reading backwards from a cue ------------------------------------------------------------


def speaker_before(
    tokens: Sequence[Token], cue_index: int, lexicon: Lexicon, cues: AbstractSet[int] = frozenset()
) -> Mention | None:
    """The subject ending right before the cue at tokens[cue_index] (adverbs and auxiliaries
    in between skipped), or None; a passive ("it was reported") has no speaker.

    `cues` are token indices that are cue words, which never belong to a noun phrase.
    """
    i = cue_index - 1
    while i >= 0 and tokens[i].lower in SKIP_BEFORE_CUE:
        i -= 1
    if i >= 0 and tokens[i].lower in BE_FORMS:
        return None
    if (
        i >= 2
        and tokens[i].text == ","
        and tokens[i - 1].lower in PARENTHETICAL_ADVERBS
        and tokens[i - 2].text == ","
    ):
        i -= 3
    appositions: list[tuple[int, int]] = []
    while i >= 0 and tokens[i].text == "," and len(appositions) < 2:
        opening = _previous_comma(tokens, i)
        if opening is None or not _looks_like_apposition(tokens[opening + 1 : i], lexicon):
            return None
        appositions.append((opening + 1, i))
        i = opening - 1
        if i >= 1 and tokens[i].text[0].isdigit() and tokens[i - 1].text == ",":
            i -= 2  # an age: "Margaret Hollis, 74, whose house …, said"
    core = _core_before(tokens, i, lexicon, cues)
    if core is None:
        return None
    position = "before-cue"
    if appositions:
        first, stop = appositions[-1]  # the apposition right after the subject
        named = noun_phrase_at(tokens, first, lexicon, stop, cues)
        if named is not None and named.kind == "name" and core.kind in ("role", "other"):
            named.rule = f"speaker:{named.kind}-in-apposition"
            named.extra = named.extra | core.descriptors
            named.phrase_start = core.start
            return named
        core.extra = core.extra | frozenset(
            t.lower for t in tokens[first:stop] if t.is_word and t.lower in lexicon.speaker_nouns
        )
        position = "before-apposition"
    core.rule = f"speaker:{core.kind}-{position}"
    return core


def _previous_comma(tokens: Sequence[Token], index: int) -> int | None:
    for j in range(index - 1, max(index - 30, -1), -1):
        text = tokens[j].text
        if text == ",":
            return j
        if text in '.;:!?“”„«»"':
            return None
    return None


def _looks_like_apposition(words: Sequence[Token], lexicon: Lexicon) -> bool:
    """ ", head of the centre,", ", 74,", ", who runs a bakery,", ", the party’s spokesman,"."""
    if not words or len(words) > 28:
        return False
    first = words[0]
    return (
        first.text[0].isdigit()
        or first.lower in DETERMINERS
        or first.lower in APPOSITION_STARTS
        or first.lower in lexicon.speaker_nouns
        or _is_name_word(first)
    )


def _core_before(
    tokens: Sequence[Token], end: int, lexicon: Lexicon, cues: AbstractSet[int]
) -> Mention | None:
    # Long because the cases of a speaker's head word before a position, tried in order; their order
    # is the rule (make eval measures it).
    if end < 0:
        return None
    last = tokens[end]
    if last.lower in PRONOUNS and last.is_word:
        return _make([last], "pronoun", False, "", lexicon)
    i = end
    if last.text == ")":  # "Directorate (HUR)"
        opening = next(
            (j for j in range(end - 1, max(end - 5, -1), -1) if tokens[j].text == "("), None
        )
        if opening is None or opening == 0:
            return None
        i = opening - 1
    j = i
    has_det = False
    while j >= 0:
        token = tokens[j]
        low = token.lower
        if j in cues:
            break
        if (
            low == "the"
            and j >= 2
            and tokens[j - 1].lower in NAME_CONNECTORS
            and _is_name_word(tokens[j - 2])
            and j + 1 <= i
            and _is_name_word(tokens[j + 1])
        ):
            j -= 2  # "Office for the Environment"
            continue
        if low in DETERMINERS and token.is_word:
            has_det = True
            break
        if _is_name_word(token) or _possessive(token) or low in lexicon.speaker_nouns:
            j -= 1
            continue
        if (
            low in NAME_CONNECTORS
            and j >= 1
            and _is_name_word(tokens[j - 1])
            and tokens[j - 1].lower in lexicon.roles | lexicon.organisations
            and j + 1 <= i
            and _is_name_word(tokens[j + 1])
        ):
            j -= 1
            continue
        if (
            token.is_word
            and not token.is_capitalised
            and low not in FUNCTION_WORDS
            and (
                _determiner_within(tokens, j, 2)
                or (tokens[i].lower in lexicon.speaker_nouns and i - j <= 2)
            )
        ):
            j -= 1  # "the regional operator", "local business owners"
            continue
        break
    start = j if has_det else j + 1
    if start > i:
        return None
    words = list(tokens[start : end + 1])
    kind = _classify(tokens[start : i + 1], has_det, lexicon)
    if kind is None or kind == "pronoun":
        return None
    mention = _make(words, kind, has_det, "", lexicon)
    # "A spokesperson for the committee", "Geologists at Lund University"
    if start >= 2 and tokens[start - 1].lower in PP_PREPOSITIONS:
        outer = _core_before(tokens, start - 2, lexicon, cues)
        if (
            outer is not None
            and outer.kind in ("role", "group", "other", "organisation")
            and (outer.words[-1].lower() in lexicon.speaker_nouns)
        ):
            combined = list(tokens[_index_at(tokens, outer.start) : end + 1])
            return _make(combined, outer.kind, outer.words[0].lower() in DETERMINERS, "", lexicon)
    return mention


def _determiner_within(tokens: Sequence[Token], index: int, reach: int) -> bool:
    for j in range(index - 1, max(index - reach - 1, -1), -1):
        token = tokens[j]
        if token.lower in DETERMINERS:
            return True
        if not token.is_word or token.lower in FUNCTION_WORDS:
            return False
    return False


def _index_at(tokens: Sequence[Token], start: int) -> int:
    return next(i for i, t in enumerate(tokens) if t.start == start)


# -- reading forwards --------------------------------------------------------------------------


def noun_phrase_at(
    tokens: Sequence[Token],
    index: int,
    lexicon: Lexicon,
    limit: int | None = None,
    cues: AbstractSet[int] = frozenset(),
) -> Mention | None:
    """The noun phrase starting at tokens[index]: "said Marta Lindqvist, the ...", "According
    to the ministry, ...", "said a spokesperson for the agency"."""
    # Long because the cases of a noun phrase after a cue, tried in order; each is a few lines and
    # their order is the rule (make eval measures it).
    stop = len(tokens) if limit is None else limit
    if index >= stop:
        return None
    first = tokens[index]
    if first.lower in PRONOUNS and first.is_word:
        return _make([first], "pronoun", False, "", lexicon)
    j = index
    has_det = first.lower in DETERMINERS and first.is_word
    if has_det:
        j += 1
    generic = 0
    noun_seen = name_seen = False
    while j < stop:
        token = tokens[j]
        low = token.lower
        if j in cues:
            break
        if low in lexicon.speaker_nouns:
            noun_seen = True
            j += 1
            continue
        if _possessive(token):  # "the report’s lead author": the possessor is a determiner
            noun_seen, name_seen, generic, has_det = False, False, 0, True
            j += 1
            continue
        if _is_name_word(token):
            name_seen = True
            j += 1
            continue
        if (
            token.text == "("
            and j + 2 < stop
            and tokens[j + 2].text == ")"
            and (tokens[j + 1].is_capitalised)
        ):
            j += 3  # "(HUR)"
            continue
        if low in NAME_CONNECTORS and j > index and _joins_name(tokens, index, j, lexicon):
            nxt = j + 1
            if nxt < stop and tokens[nxt].lower == "the":
                nxt += 1
            if nxt < stop and _is_name_word(tokens[nxt]):
                j = nxt
                continue
        if (
            not noun_seen
            and not name_seen
            and generic < 2
            and token.is_word
            and not token.is_capitalised
            and low not in FUNCTION_WORDS
            and low not in DETERMINERS
            and (has_det or _noun_ahead(tokens, j, stop, lexicon))
        ):
            generic += 1  # "the regional operator", "local business owners"
            j += 1
            continue
        break
    if j == index or (has_det and j == index + 1):
        return None
    words = list(tokens[index:j])
    while words and not words[-1].is_word and words[-1].text != ")":
        words.pop()
    if not words:
        return None
    kind = _classify(words, has_det, lexicon)
    if kind is None or kind == "pronoun":
        return None
    if (
        kind in ("role", "group", "other")
        and j + 1 < stop
        and tokens[j].lower in FORWARD_PP
        and words[-1].lower in lexicon.speaker_nouns
    ):
        inner = noun_phrase_at(tokens, j + 1, lexicon, limit, cues)
        if inner is not None and inner.kind != "pronoun":
            words = list(tokens[index : _index_at(tokens, inner.start) + len(inner.words)])
    return _make(words, kind, has_det, "", lexicon)


def _joins_name(tokens: Sequence[Token], first: int, index: int, lexicon: Lexicon) -> bool:
    """Does "of/for/and" at `index` continue a name ("Office for the Environment", "Bank of
    England") rather than end it ("Dr Lena Imboden of the institute")?"""
    before = tokens[index - 1]
    if not _is_name_word(before):
        return False
    nouns = lexicon.roles | lexicon.organisations
    if before.lower in nouns:
        return True
    return tokens[index].lower in ("and", "&", "for", "of") and any(
        t.lower in lexicon.organisations for t in tokens[first:index]
    )


def _noun_ahead(tokens: Sequence[Token], index: int, stop: int, lexicon: Lexicon) -> bool:
    """A speaker noun within the next two words: "local business owners"."""
    for j in range(index + 1, min(index + 3, stop)):
        if tokens[j].lower in lexicon.speaker_nouns:
            return True
        if not tokens[j].is_word or tokens[j].lower in FUNCTION_WORDS | DETERMINERS:
            return False
    return False


def subject_at_start(
    tokens: Sequence[Token], lexicon: Lexicon, limit: int, cues: AbstractSet[int] = frozenset()
) -> Mention | None:
    """The sentence's first noun phrase, or the name in apposition to it ("The Environment
    Secretary, Helen Marsh, visited …" gives Helen Marsh)."""
    mention = noun_phrase_at(tokens, 0, lexicon, limit, cues)
    if mention is None or mention.kind == "pronoun":
        return mention
    after = len(mention.words)
    if after + 1 < limit and tokens[after].text == "," and mention.kind in ("role", "other"):
        named = noun_phrase_at(tokens, after + 1, lexicon, limit, cues)
        if named is not None and named.kind == "name":
            end = after + 1 + len(named.words)
            if end < limit and tokens[end].text == ",":
                named.extra, named.phrase_start = mention.descriptors, mention.start
                return named
    return mention


def speaker_after(
    tokens: Sequence[Token], index: int, lexicon: Lexicon, cues: AbstractSet[int] = frozenset()
) -> Mention | None:
    """The subject right after a cue ("said Henrik Sjöberg", "said she")."""
    mention = noun_phrase_at(tokens, index, lexicon, None, cues)
    if mention is None:
        return None
    named = _named_in_apposition(tokens, index + len(mention.words), mention, lexicon, cues)
    if named is not None:  # "said the mayor, Lisa Grant": the name wins
        named.rule = "speaker:name-in-apposition"
        return named
    mention.rule = f"speaker:{mention.kind}-after-cue"
    return mention


def _named_in_apposition(
    tokens: Sequence[Token], after: int, mention: Mention, lexicon: Lexicon, cues: AbstractSet[int]
) -> Mention | None:
    """The name set off by commas right after a role ("the mayor, Lisa Grant, …" / "…, Lisa
    Grant."), carrying the role's words for coreference."""
    if mention.kind not in ("role", "other") or after + 1 >= len(tokens):
        return None
    if tokens[after].text != ",":
        return None
    named = noun_phrase_at(tokens, after + 1, lexicon, None, cues)
    if named is None or named.kind != "name":
        return None
    end = after + 1 + len(named.words)
    if end < len(tokens) and tokens[end].text not in ",.;!?":
        return None  # "the mayor, Lisa Grant and …": not an apposition
    named.extra = named.extra | mention.descriptors
    named.phrase_start = mention.start
    return named


def name_words(mention: Mention, lexicon: Lexicon) -> tuple[str, ...]:
    """The personal name in a mention: its last capitalised words, titles left out
    ("Transport Minister Marta Lindqvist" -> Marta, Lindqvist)."""
    names: list[str] = []
    for word in reversed(mention.words):
        low = word.lower()
        if not word[:1].isupper() or low in lexicon.speaker_nouns or word in ABBREVIATIONS:
            break
        if low.rstrip(".") in _TITLES:
            break
        names.append(word)
        if len(names) == 2:
            break
    return tuple(reversed(names))


def mention_of(words: Sequence[Token], rule: str, lexicon: Lexicon) -> Mention | None:
    """A speaker mention over exactly these tokens (a span another finder chose, such as a
    trained model): its kind from its head noun, as the rules would classify it, added to
    the rule ("model:speaker" -> "model:speaker-name")."""
    while words and not words[-1].is_word and words[-1].text != ")":
        words = words[:-1]
    if not words:
        return None
    has_det = words[0].lower in DETERMINERS and words[0].is_word
    kind = _classify(words, has_det, lexicon) or "other"
    return _make(words, kind, has_det, f"{rule}-{kind}", lexicon)
