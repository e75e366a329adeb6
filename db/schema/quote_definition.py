"""What counts as a quote in a project: a setting of its label schema, used by the suggester.

A schema file may carry

    "suggest": {"quote_definition": "broad",
                "lexicon": {"verbs": [...], "phrases": [...], "roles": [...]}}

`quote_definition` is `speech` (what someone said or wrote: the default) or `broad` (speech
plus attributed beliefs, thoughts and intentions, as PARC-style attribution corpora define
it: "believes that …", "wants to …", "is convinced that …"). `lexicon` has the shape of
resources/lexicons/cues.json and is added to the bundled cues (and, for `broad`, to the
cues of resources/lexicons/broad.json). The rules use the resulting lexicon; a trained model
keeps the settings it was trained under.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from db.errors import SpanwiseError

SPEECH = "speech"
BROAD = "broad"
DEFINITIONS = {
    SPEECH: "Speech only: what someone said or wrote",
    BROAD: "Speech, beliefs and intentions (PARC-style)",
}
SETTING_KEY = "suggest_settings"


@dataclass(frozen=True)
class SuggestSettings:
    """The quote definition and the project's own cues (a cues.json-shaped object)."""

    quote_definition: str = SPEECH
    lexicon: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The settings as the schema file's `suggest` object."""
        return {"quote_definition": self.quote_definition, "lexicon": self.lexicon}

    def to_text(self) -> str:
        """The settings as one canonical JSON text (a cache key and a stored setting)."""
        return json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True)

    @property
    def description(self) -> str:
        """The definition in words, for the window and the command line."""
        return DEFINITIONS[self.quote_definition]


def parse_suggest_settings(data: Any, where: str) -> SuggestSettings:
    """Check a schema's "suggest" object; a mistake names the file and the field."""
    if not isinstance(data, dict):
        raise SpanwiseError(f"{where}: 'suggest' must be an object")
    unknown = sorted(set(data) - {"quote_definition", "lexicon"})
    if unknown:
        raise SpanwiseError(f"{where}: suggest.{unknown[0]} is not a setting")
    definition = data.get("quote_definition", SPEECH)
    if definition not in DEFINITIONS:
        raise SpanwiseError(
            f"{where}: suggest.quote_definition must be one of {', '.join(DEFINITIONS)}, "
            f"not {definition!r}"
        )
    lexicon = data.get("lexicon", {})
    if not isinstance(lexicon, dict):
        raise SpanwiseError(f"{where}: suggest.lexicon must be an object shaped like cues.json")
    if lexicon:
        from db.suggest.lexicon import parse_lexicon  # the rules load only when needed

        parse_lexicon(lexicon, f"{where}: suggest.lexicon")
    return SuggestSettings(definition, dict(lexicon))


def settings_from_text(text: str | None) -> SuggestSettings:
    """Settings as the database keeps them (None or unreadable: the defaults)."""
    if not text:
        return SuggestSettings()
    try:
        return parse_suggest_settings(json.loads(text), "the database's suggest settings")
    except (ValueError, SpanwiseError):
        return SuggestSettings()
