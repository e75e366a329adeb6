"""The trainable suggester: a CRF tagger (CRFsuite) that marks Quote, Speaker and Cue tokens,
and two small rankers that link each quote to its cue and speaker.

It learns the project's own definition of a quote from an annotator's work
(db/suggest/training.py); the rules' findings can be among its features, so it starts from
what the rules know and learns where the project differs (contents kept as one span,
beliefs and intentions, cues the lexicon lacks). Its suggestions go through the same
entities and records as the rules', with the rule `model:<kind>` and the attribute `model`
(the version), so the window and the exports can tell them apart.

The payload (what the database keeps) is zlib-compressed JSON: the format, the quote
definition and cues it was trained with, whether it reads the rules, the CRFsuite model in
base64, and the rankers' weights.
"""

from __future__ import annotations

import base64
import json
import zlib
from dataclasses import dataclass
from typing import Any

from db.errors import SpanwiseError
from db.model_payload import PAYLOAD_FORMAT, unpack_payload
from db.schema.quote_definition import SuggestSettings, parse_suggest_settings
from db.suggest.analysis import Analysis, Cue
from db.suggest.found import Found
from db.suggest.lexicon import CueWord, Lexicon, Phrase, broad_cues, lexicon_for
from db.suggest.linking import Article, Linked, Linker, Quote, assemble
from db.suggest.ranker import Ranker
from db.suggest.speakers import mention_of
from db.suggest.tagging import Describer, Segment, Words, segments

MODEL_RULE = "model"


@dataclass(slots=True)
class LearnedCue(Cue):
    """A cue the model tagged (it may be words the lexicon does not have)."""

    @property
    def rule(self) -> str:
        """The rule name a model-found cue is shown with."""
        return f"{MODEL_RULE}:cue"


class LearnedModel:
    """A trained model, ready to suggest (the tagger is opened once, from memory)."""

    def __init__(
        self,
        settings: SuggestSettings,
        uses_rules: bool,
        crf: bytes,
        cue_weights: dict[str, float],
        speaker_weights: dict[str, float],
        version: int = 0,
    ) -> None:
        import pycrfsuite  # loaded with the first model, not when Spanwise starts

        self.settings = settings
        self.uses_rules = uses_rules
        self.crf = crf  # CRFsuite reads the model from this buffer: it must stay alive
        self.cue_ranker = Ranker(cue_weights)
        self.speaker_ranker = Ranker(speaker_weights)
        self.version = version
        self.tagger = pycrfsuite.Tagger()
        try:
            self.tagger.open_inmemory(self.crf)
        except (ValueError, OSError) as exc:
            raise SpanwiseError(f"the suggestion model cannot be read ({exc})") from exc
        self.lexicon: Lexicon = lexicon_for(settings)
        self.words = Words(self.lexicon, broad_cues())

    # -- the payload --------------------------------------------------------------------------

    def payload(self) -> bytes:
        """The model as bytes to keep in the database (JSON, the tagger base64-encoded)."""
        data = {
            "format": PAYLOAD_FORMAT,
            "settings": self.settings.to_json(),
            "uses_rules": self.uses_rules,
            "crf": base64.b64encode(self.crf).decode("ascii"),
            "cue_weights": self.cue_ranker.weights,
            "speaker_weights": self.speaker_ranker.weights,
        }
        return zlib.compress(json.dumps(data, sort_keys=True).encode("utf-8"), 6)

    @classmethod
    def from_payload(cls, payload: bytes, version: int = 0) -> LearnedModel:
        """A model from the bytes the database keeps; a damaged one is refused in one line."""
        try:
            data: Any = unpack_payload(payload)
        except SpanwiseError as exc:
            raise SpanwiseError(f"the suggestion model is damaged ({exc})") from exc
        try:
            if data.get("format") != PAYLOAD_FORMAT:
                raise SpanwiseError(
                    f"the suggestion model has format {data.get('format')!r}; this Spanwise "
                    f"reads format {PAYLOAD_FORMAT}"
                )
            settings = parse_suggest_settings(data["settings"], "the suggestion model")
            crf = base64.b64decode(data["crf"], validate=True)
            return cls(
                settings,
                bool(data["uses_rules"]),
                crf,
                _weights(data["cue_weights"]),
                _weights(data["speaker_weights"]),
                version,
            )
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
            raise SpanwiseError(f"the suggestion model is damaged ({exc})") from exc

    # -- suggesting ---------------------------------------------------------------------------

    def find(self, analysis: Analysis, rules: list[Found] | None) -> list[Found]:
        """The quotes this model finds in an analysed text (`rules`: the rules' findings,
        when the model reads them), in text order."""
        describer = Describer(analysis, self.words, rules if self.uses_rules else None)
        stretches = describer.stretches()
        article = Article(analysis, stretches)
        found_segments: list[Segment] = []
        tag = self.tagger.tag
        for stretch, offset in zip(stretches, article.offsets, strict=True):
            found_segments.extend(segments(stretch, tag(stretch.features), offset))
        quotes = assemble(article, found_segments)
        linker = Linker(article, found_segments, rules if self.uses_rules else None)
        return [self._found(article, item) for item in link_quotes(linker, quotes, self)]

    def choose_cue(self, features: list[list[str]]) -> int:
        """The index of the best cue among the candidates' features."""
        return self.cue_ranker.best(features)

    def choose_speaker(self, features: list[list[str]]) -> int:
        """The index of the best speaker among the candidates' features."""
        return self.speaker_ranker.best(features)

    def _found(self, article: Article, item: Linked) -> Found:
        spans = item.quote.spans
        kind = article.kind(spans)
        cue = None
        if item.cue is not None:
            words = article.analysis.text[item.cue.start : item.cue.end]
            cue = LearnedCue(
                item.cue.start, item.cue.end, CueWord(words, None, Phrase(words, "verb"))
            )
        speaker = None
        if item.speaker is not None:
            tokens_ = article.tokens[item.speaker.first : item.speaker.last + 1]
            speaker = mention_of(tokens_, f"{MODEL_RULE}:speaker", self.lexicon)
        return Found(kind, f"{MODEL_RULE}:{kind}", spans, cue, speaker)


def link_quotes(linker: Linker, quotes: list[Quote], chooser: LearnedModel) -> list[Linked]:
    """Each quote's cue, then its speaker, in text order (the previous quote's speaker is
    one of the things a speaker choice looks at)."""
    linker.set_quotes(quotes)
    result: list[Linked] = []
    used_cues: set[int] = set()
    used_speakers: set[int] = set()
    previous: Segment | None = None
    for quote in quotes:
        options, features = linker.cue_candidates(quote, used_cues)
        cue = options[chooser.choose_cue(features)]
        speaker_options, speaker_features = linker.speaker_candidates(
            quote, cue, previous, used_speakers
        )
        speaker = speaker_options[chooser.choose_speaker(speaker_features)]
        if cue is not None:
            used_cues.add(cue.start)
        if speaker is not None:
            used_speakers.add(speaker.start)
            previous = speaker
        result.append(Linked(quote, cue, speaker))
    return result


def _weights(data: Any) -> dict[str, float]:
    if not isinstance(data, dict):
        raise TypeError("weights must be an object")
    return {str(name): float(value) for name, value in data.items()}
