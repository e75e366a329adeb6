"""Direct quotes: a quotation that opens its sentence, attributed after it (“…,” she said /
“…,” said Marta Lindqvist), or introduced before it (told reporters: “…” / She said, “…”);
one interrupted by its attribution (“…,” she said, “…”) becomes one quote of two pieces, and
one without an attribution of its own that follows an attributed quote in the same or the
next paragraph keeps that quote's speaker."""

from __future__ import annotations

from db.suggest.analysis import Analysis, Cue, token_index
from db.suggest.found import Found, Span, trimmed
from db.suggest.speakers import Mention, speaker_after, speaker_before, subject_at_start
from db.suggest.text_units import Token
from db.text.spans import strip_span

_LEADING_PUNCTUATION = frozenset(",–—-:;")
READ_AHEAD = 70  # characters after a cue within which its speaker and clause start lie


def after_cue(tokens: list[Token], cue: Cue, index: int) -> int:
    """The index of the first token after a cue whose first token is tokens[index] (a
    phrase cue spans several tokens)."""
    count = len(tokens)
    while index < count and tokens[index].start < cue.end:
        index += 1
    return index


def quote_spans(analysis: Analysis, indices: list[int]) -> list[Span]:
    """The spans of quoted text over these tokens, marks excluded."""
    spans = []
    for index in indices:
        for start, end in analysis.quotations[index].contents(analysis.text):
            piece = trimmed(analysis.text, start, end, strip_stop=False)
            if piece is not None:
                spans.append(piece)
    return spans


def sentence_subject(analysis: Analysis, tokens: list[Token], before: int) -> Mention | None:
    """The speaker of a participle cue ("…, posting on Telegram: “…”", "…, stating that"):
    the subject of an earlier verb cue in the sentence, or the sentence's first noun phrase.
    `tokens` are the sentence's (from its start), `before` the participle's index."""
    cues = analysis.cue_indices(tokens[:before])
    for index in sorted(cues):
        cue = analysis.cue_at[tokens[index].start]
        if cue.word.is_participle or not cue.is_verb:
            continue
        mention = speaker_before(tokens, index, analysis.lexicon, cues)
        if mention is not None:
            break
    else:
        mention = subject_at_start(tokens, analysis.lexicon, before, cues)
    if mention is not None:
        mention.rule = f"speaker:{mention.kind}-sentence-subject"  # a fresh mention
    return mention


def _attribution_after(analysis: Analysis, index: int, used: set[int]) -> Found | None:
    """“…,” she said / “…,” said Marta Lindqvist / “…,” Kovalenko, head of …, said."""
    quotation = analysis.quotations[index]
    sentence = analysis.sentences.index_at(quotation.close)
    if sentence is None:
        return None
    _, sentence_end = analysis.sentences.spans[sentence]
    limit = sentence_end
    if index + 1 < len(analysis.quotations):
        limit = min(limit, analysis.quotations[index + 1].open)
    cue = analysis.first_cue(quotation.close + 1, limit, lambda c: c.start not in used)
    if cue is None:
        return None
    # from the closing mark on (the quotation's own words are never needed) to the cue
    tokens = analysis.tokens_in(quotation.close, cue.end)
    position = token_index(tokens, cue.start)
    if position is None:
        return None
    between = tokens[1:position]
    while between and between[0].text in _LEADING_PUNCTUATION:
        between.pop(0)
    if not between:  # the speaker follows the cue: read on
        tokens = analysis.tokens_in(quotation.close, min(sentence_end, cue.end + READ_AHEAD))
        after = after_cue(tokens, cue, position)
        speaker = speaker_after(tokens, after, analysis.lexicon, analysis.cue_indices(tokens))
    else:
        known = analysis.cue_indices(tokens)
        speaker = speaker_before(tokens, position, analysis.lexicon, known)
        if speaker is None or speaker.phrase_start != between[0].start:
            return None
    if speaker is None:
        return None
    return Found("direct", "direct:cue-after", [], cue, speaker, (index,))


def _attribution_before(
    analysis: Analysis, index: int, start: int, sentence: int, used: set[int]
) -> Found | None:
    """told reporters: “…” / She said, “…” / …, posting on Telegram: “…”."""
    quotation = analysis.quotations[index]
    cue = analysis.last_cue(start, quotation.open, lambda c: c.start not in used)
    if cue is None:
        return None
    tokens = analysis.sentence_tokens(sentence, quotation.open)
    position = token_index(tokens, cue.start)
    if position is None:
        return None
    known = analysis.sentence_cue_indices(sentence)
    if cue.word.is_participle or not cue.is_verb:
        speaker = sentence_subject(analysis, tokens, position)
    else:
        speaker = speaker_before(tokens, position, analysis.lexicon, known) or speaker_after(
            tokens, after_cue(tokens, cue, position), analysis.lexicon, known
        )
    if speaker is None:
        return None
    mark = analysis.text[strip_span(analysis.text, start, quotation.open)[1] - 1]
    how = {":": "colon", ",": "comma"}.get(mark, "verb")
    return Found("direct", f"direct:cue-before-{how}", [], cue, speaker, (index,))


def _previous_line_introduces(analysis: Analysis, index: int) -> int | None:
    """The sentence ending the paragraph before, if it ends with a colon (Lindqvist said:⏎“…")."""
    quotation = analysis.quotations[index]
    line = analysis.line_index(quotation.open)
    if line < 1 or analysis.lines[line][0] != quotation.open:
        return None
    previous_end = analysis.lines[line - 1][1]
    if analysis.text[previous_end - 1] != ":":
        return None
    return analysis.sentences.index_at(previous_end - 1)


def _inherited(analysis: Analysis, index: int, previous: Found | None) -> Found | None:
    """A quote with no attribution of its own, right after an attributed direct quote in the
    same paragraph, or opening the next paragraph (which has no cue of its own)."""
    if previous is None or previous.kind != "direct" or previous.speaker is None:
        return None
    if previous.quotations[-1] != index - 1:
        return None
    quotation = analysis.quotations[index]
    before = analysis.quotations[index - 1]
    line = analysis.line_index(quotation.open)
    previous_line = analysis.line_index(before.close)
    previous_cue = previous.cue.start if previous.cue is not None else -1
    if line == previous_line:
        # a cue of the attribution's own sentence ("said in a video posted on …") is no new one
        said_in = analysis.sentences.index_at(previous_cue if previous_cue >= 0 else before.close)
        between = analysis.cues_between(before.close, quotation.open)
        if any(analysis.sentences.index_at(c.start) != said_in for c in between):
            return None
        rule = "direct:same-paragraph"
    elif line == previous_line + 1 and analysis.lines[line][0] == quotation.open:
        line_start, line_end = analysis.lines[line]
        if analysis.has_cue(line_start, line_end):
            return None
        rule = "direct:next-paragraph"
    else:
        return None
    return Found("direct", rule, [], None, previous.speaker, (index,), inherited=True)


def _interruption(analysis: Analysis, found: Found, used: set[int]) -> int | None:
    """The quotation that continues this one after its attribution (“…,” she said, “…”)."""
    index = found.quotations[-1]
    if index + 1 >= len(analysis.quotations):
        return None
    quotation = analysis.quotations[index]
    following = analysis.quotations[index + 1]
    contents = quotation.contents(analysis.text)
    if not contents or analysis.text[contents[-1][1] - 1] not in ",–—-…":
        return None
    sentences = analysis.sentences
    if sentences.index_at(following.open) != sentences.index_at(quotation.close):
        return None
    assert found.speaker is not None and found.cue is not None
    attribution_end = max(found.speaker.end, found.cue.end)
    gap = analysis.text[attribution_end : following.open].rstrip()
    if gap and not gap.endswith((",", ":", "–", "—")):
        return None
    if any(c.start not in used for c in analysis.cues_between(attribution_end, following.open)):
        return None
    return index + 1


def find_direct(analysis: Analysis, used_cues: set[int]) -> list[Found]:
    """Direct quotes with their attribution; marks the cues they use in `used_cues`."""
    found: list[Found] = []
    taken: set[int] = set()
    text = analysis.text
    thats = _FirstThat(analysis)
    for index, quotation, sentence in analysis.untaken_quotations(taken):
        start, _ = analysis.sentences.spans[sentence]
        start, end = strip_span(text, start, quotation.open)  # the words before the quotation
        result: Found | None = None
        if end == start:
            result = _attribution_after(analysis, index, used_cues)
            introducing = _previous_line_introduces(analysis, index)
            if result is None and introducing is not None:
                intro_start = analysis.sentences.spans[introducing][0]
                result = _attribution_before(analysis, index, intro_start, introducing, used_cues)
                if result is not None:
                    result.rule = "direct:cue-in-previous-paragraph"
        elif text[end - 1] in ":," or _ends_with_cue(analysis, sentence, start, end, thats):
            if end - 5 >= start and text.startswith("that,", end - 5):
                continue
            result = _attribution_before(analysis, index, start, sentence, used_cues)
            if result is None and text[end - 1] == ",":
                result = _attribution_after(analysis, index, used_cues)
        else:
            continue  # inside a sentence: a mixed quote or a fragment (indirect rules)
        if result is None:
            result = _inherited(analysis, index, found[-1] if found else None)
        if result is None:
            continue
        if result.rule == "direct:cue-after":
            following = _interruption(analysis, result, used_cues)
            if following is not None:
                result.quotations = (index, following)
                result.rule = "direct:interrupted"
        result.spans = quote_spans(analysis, list(result.quotations))
        if not result.spans:
            continue
        if any(analysis.quotations[i].multi_paragraph for i in result.quotations):
            result.rule += "+paragraphs"
        taken.update(result.quotations)
        if result.cue is not None:
            used_cues.add(result.cue.start)
        found.append(result)
    return found


def _ends_with_cue(
    analysis: Analysis, sentence: int, start: int, end: int, thats: _FirstThat
) -> bool:
    """'He said “…”': the words text[start:end] of a sentence, before a quotation, end with a
    reporting verb (not a noun like "the court ruling „…“", and not inside a that-clause)."""
    if thats.within(sentence, end):
        return False
    cue = analysis.cue_ending.get(end)
    return (
        cue is not None
        and cue.start >= start
        and cue.word.verb is not None
        and not cue.word.is_participle
    )


class _FirstThat:
    """Is there a " that " in text[start:end] of a sentence? Each sentence is searched once,
    however many quotations it holds."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.first: dict[int, int] = {}  # sentence index -> first " that " in it, or -1

    def within(self, sentence: int, end: int) -> bool:
        found = self.first.get(sentence)
        if found is None:
            start, stop = self.analysis.sentences.spans[sentence]
            found = self.first[sentence] = self.analysis.text.find(" that ", start, stop)
        return found >= 0 and found + 6 <= end
