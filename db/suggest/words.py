"""The closed word classes the speaker and clause rules are written with (determiners,
pronouns, prepositions, adverbs that stand between a subject and its verb). Unlike the
lexicon's verbs and nouns, these are grammar, so they live in code."""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """A set of words written as one string, so the lists stay readable."""
    return frozenset(text.split())


DETERMINERS = words(
    "a all an another any both dozens each eight every few five four her his hundreds its "
    "many most my nine no one other our seven several six some ten the their these this those "
    "three two your"
)

# determiners that introduce someone new (a spokesperson, some officials)
INDEFINITE = words(
    "a an another any dozens eight few five four hundreds many nine one other seven several "
    "six some ten three two"
)

# capitalised at a sentence start without being part of a name
FUNCTION_WORDS = words(
    "about added after against also although and are as asked at be because been before being "
    "but by can could did do does during earlier even for from had has have here how however "
    "if in instead into is last later may meanwhile might must next no nor not now of on only "
    "or over said says shall should since so speaking still that then there this though to "
    "today told tomorrow under until was were what when where which while who whom whose why "
    "will with would wrote yes yesterday yet"
)

CALENDAR = words(
    "april august december february friday january july june march may monday november "
    "october saturday september sunday thursday tuesday wednesday"
)

# inside a name: Office for the Environment, Bank of England, Ludwig van Beethoven
NAME_CONNECTORS = words("& al and bin da de del den der des di du for la le of van von y")

# a phrase after a role: a spokesperson for the committee, geologists at Lund University
PP_PREPOSITIONS = words("at for from in of with")

FORWARD_PP = words("at for from of with")

# between a subject and its verb: Lindqvist also said, the ministry has repeatedly warned
SKIP_BEFORE_CUE = words(
    "additionally again already also angrily bluntly can could did do does earlier even "
    "explicitly firmly first flatly further had has have herself himself initially itself "
    "just later may meanwhile might never not now once only openly previously privately "
    "publicly quickly recently repeatedly reportedly separately similarly simply specifically "
    "still subsequently themselves then too ultimately will would"
)

# Vogt, however, said
PARENTHETICAL_ADVERBS = words("also however instead meanwhile moreover though too")

# a passive has no speaker: it was reported that
BE_FORMS = words("are be been being is was were")

# an apposition may start with these: Hollis, whose house …, said
APPOSITION_STARTS = words("head where which who whose")

# may stand between a verb and its "that": said on Monday that, said in a statement that
# (lower case, as tokens are compared; "," for "said, however, that")
BEFORE_THAT = words(
    ", a after again also an at before during earlier from further her his however "
    "in its last later on once previously privately publicly recently repeatedly separately "
    "the their then this through to today via with yesterday"
)

# after ', X said,' these start an adjunct of the whole sentence, not the rest of the quote
ADJUNCT_STARTS = words(
    "adding after although amid as because before citing despite following in noting "
    "referring saying since though until when which while who with"
)

# 'according to plan' names no speaker
NOT_SOURCES = words("custom law plan plans rules schedule tradition")
