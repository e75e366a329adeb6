"""A small log-linear ranker: picks one of a few candidates (or none) from string features.

Used to link a quote to its cue and speaker among the spans a tagger found. Each candidate
is a list of feature names; the score is the sum of their weights, and training maximises
the softmax probability of the right candidate (AdaGrad, L2), in pure Python: a few
thousand candidates train in well under a second, and the weights are a plain dict that
goes into the model's payload.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

Candidates = Sequence[Sequence[str]]


class Ranker:
    """A linear scorer of candidates: the sum of their features' weights."""

    def __init__(self, weights: dict[str, float] | None = None) -> None:
        self.weights: dict[str, float] = dict(weights or {})

    def scores(self, candidates: Candidates) -> list[float]:
        """One score per candidate, in order."""
        get = self.weights.get
        return [sum(get(name, 0.0) for name in features) for features in candidates]

    def best(self, candidates: Candidates) -> int:
        """The index of the best candidate (the first on a tie)."""
        scores = self.scores(candidates)
        return max(range(len(scores)), key=scores.__getitem__)

    def train(
        self,
        instances: Sequence[tuple[Candidates, int]],
        epochs: int = 12,
        rate: float = 0.3,
        l2: float = 1e-4,
        seed: int = 7,
    ) -> None:
        """Fit the weights to instances (candidates, index of the right one)."""
        weights = self.weights
        squares: dict[str, float] = {}
        order = list(range(len(instances)))
        rng = random.Random(seed)
        for _ in range(epochs):
            rng.shuffle(order)
            for index in order:
                candidates, right = instances[index]
                if len(candidates) < 2:
                    continue
                scores = self.scores(candidates)
                top = max(scores)
                exps = [math.exp(s - top) for s in scores]
                total = sum(exps)
                gradient: dict[str, float] = {}
                for position, features in enumerate(candidates):
                    share = exps[position] / total - (1.0 if position == right else 0.0)
                    if share:
                        for name in features:
                            gradient[name] = gradient.get(name, 0.0) + share
                for name, value in gradient.items():
                    value += l2 * weights.get(name, 0.0)
                    square = squares.get(name, 0.0) + value * value
                    squares[name] = square
                    weights[name] = weights.get(name, 0.0) - rate * value / math.sqrt(square)
        self.weights = {name: round(w, 5) for name, w in weights.items() if abs(w) > 1e-5}
