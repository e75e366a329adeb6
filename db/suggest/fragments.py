"""The quotations the direct and indirect rules leave: a quoted fragment after a cue in the
middle of a sentence ("described the barrier as ‘a model …’"), and a long quotation opening
a sentence with no attribution anywhere near (suggested without a speaker)."""

from __future__ import annotations

from db.suggest.analysis import Analysis, token_index
from db.suggest.direct import quote_spans, sentence_subject
from db.suggest.found import Found
from db.suggest.speakers import speaker_before

_MIN_UNATTRIBUTED_WORDS = 8


def find_fragments(analysis: Analysis, used_cues: set[int], taken: set[int]) -> list[Found]:
    """A quotation inside a sentence, after an unused verb cue of that sentence."""
    found = []
    for index, quotation, sentence in analysis.untaken_quotations(taken):
        start, _ = analysis.sentences.spans[sentence]
        cue = analysis.last_cue(
            start, quotation.open, lambda c: c.start not in used_cues and c.is_verb
        )
        if cue is None:  # (a cue before the quotation means words before it, too)
            continue
        tokens = analysis.sentence_tokens(sentence, quotation.open)
        position = token_index(tokens, cue.start)
        if position is None:
            continue
        known = analysis.sentence_cue_indices(sentence)
        speaker = speaker_before(tokens, position, analysis.lexicon, known)
        coordinated = position > 0 and tokens[position - 1].lower in ("and", "but")
        if speaker is None and (cue.word.is_participle or coordinated):
            speaker = sentence_subject(analysis, tokens, position)
        spans = quote_spans(analysis, [index])
        if speaker is None or not spans:
            continue
        used_cues.add(cue.start)
        taken.add(index)
        found.append(Found("direct", "direct:fragment-after-cue", spans, cue, speaker, (index,)))
    return found


def find_unattributed(analysis: Analysis, taken: set[int]) -> list[Found]:
    """A long quotation that opens its sentence and ends a sentence, with no speaker found."""
    found = []
    text = analysis.text
    for index, quotation, sentence in analysis.untaken_quotations(taken):
        if analysis.sentences.spans[sentence][0] != quotation.open:
            continue
        spans = quote_spans(analysis, [index])
        words = sum(len(text[s:e].split()) for s, e in spans)
        if not spans or words < _MIN_UNATTRIBUTED_WORDS or text[spans[-1][1] - 1] not in ".!?…":
            continue
        taken.add(index)
        found.append(Found("direct", "direct:unattributed", spans, None, None, (index,)))
    return found
