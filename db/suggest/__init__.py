"""The offline quote, speaker and cue suggester: rules over the text, no Qt, no network, no
model download.

`suggest(text)` gives Suggestions (each a quote with its speaker mention, cue, links and
entity, and the rule that found it); `accept_change` turns one into one Change for
`Store.apply` (an `Acceptor` does so for many in a row); `pending` hides the rejected and the
already annotated.
"""

from db.suggest.accept import Acceptor, accept_change, pending
from db.suggest.lexicon import Lexicon, default_lexicon, lexicon_for, load_lexicon
from db.suggest.model import ORIGIN, SuggestedEntity, Suggestion, Suggestions, suggestion_key
from db.suggest.pipeline import suggest

__all__ = [
    "ORIGIN",
    "Acceptor",
    "Lexicon",
    "SuggestedEntity",
    "Suggestion",
    "Suggestions",
    "accept_change",
    "default_lexicon",
    "lexicon_for",
    "load_lexicon",
    "pending",
    "suggest",
    "suggestion_key",
]
