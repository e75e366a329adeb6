"""`make eval`'s learning curves still run: a small version (three broad articles, a tiny
brat attribution corpus), no figure judged beyond what a small curve must show."""

from __future__ import annotations

from pathlib import Path

from db.schema.quote_definition import SuggestSettings
from tests.db.formats.test_parc import polnear_file
from tests.eval import learning


def test_a_small_learning_curve_has_every_variant_and_size(capsys) -> None:
    documents, settings = learning.load_set(learning.BROAD_GOLD)
    assert settings == SuggestSettings("broad")
    assert len(documents) >= 10
    curve = learning.learning_curve(documents[:3], settings, [1, 2])
    assert set(curve) == {(v, n) for v in learning.VARIANTS for n in (1, 2)}
    rules = curve["rules", 2].quotes
    assert rules.gold == sum(
        1 for item in documents[:3] for a in item.annotations if a.label == "Quote"
    )
    assert curve["model", 2].quotes.gold == rules.gold  # every article held out once
    learning.print_curve("small", curve, [1, 2])
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == "small"
    assert lines[2].split() == ["train", "articles", "|", "rules", "F1", "attr", "|", "model",
                                "F1", "attr", "|", "both", "F1", "attr"]  # fmt: skip
    assert [line.split()[0] for line in lines[3:]] == ["1", "2"]


def test_a_brat_attribution_corpus_is_read_as_gold(tmp_path: Path) -> None:
    polnear_file(tmp_path / "parc")
    [item] = learning.load_corpus(tmp_path / "parc")
    labels = sorted(a.label for a in item.annotations)
    assert labels.count("Quote") == 3 and "Speaker" in labels and "Cue" in labels
    report = learning.score([item], learning.rules_suggester(SuggestSettings("broad")))
    assert report.score("quotes, overlap").gold == 3
