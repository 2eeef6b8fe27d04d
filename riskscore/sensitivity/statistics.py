"""Streaming statistics over Monte Carlo draws: rank counts and score histograms.

Memory depends on the number of entities and the histogram resolution, never on
the number of draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

SCORE_BINS = 1 << 14   # score histogram resolution: 1/16384 of the scale (0.006 on 0-100)
FLUSH_CELLS = 1 << 21  # buffered (draw, entity) cells before folding them into the counts


@dataclass
class RankStatistics:
    """Streaming per-entity statistics over draws; memory O(E^2 + E x SCORE_BINS).

    ``rank_counts[e, r]`` counts draws where entity ``e`` has rank ``r`` (1..E;
    column 0 counts draws where its score was missing); ``score_counts[e, b]``
    counts scores in bin ``b`` of [0, scale]; ``shift_sum`` sums, over draws, the
    mean absolute rank shift from the nominal ranks.
    """

    nominal: np.ndarray
    scale: float
    rank_counts: np.ndarray
    score_counts: np.ndarray
    score_min: np.ndarray
    score_max: np.ndarray
    shift_sum: float = 0.0
    draws: int = 0
    _ranks: list = field(default_factory=list, repr=False)
    _scores: list = field(default_factory=list, repr=False)
    _buffered: int = 0

    @classmethod
    def empty(cls, nominal_ranks: np.ndarray, scale: float) -> RankStatistics:
        e = len(nominal_ranks)
        return cls(np.asarray(nominal_ranks, dtype=float), scale,
                   np.zeros((e, e + 1), dtype=np.int64), np.zeros((e, SCORE_BINS), dtype=np.int64),
                   np.full(e, np.inf), np.full(e, -np.inf))

    def add(self, scores: np.ndarray, ranks: np.ndarray) -> None:
        """Fold a ``(S, E)`` batch of scores and ranks into the counts."""
        s, e = ranks.shape
        entity = np.arange(e)
        rank_index = np.where(np.isnan(ranks), 0, ranks).astype(np.int64)
        ok = ~np.isnan(scores)
        bins = np.clip((np.where(ok, scores, 0.0) / self.scale * SCORE_BINS).astype(np.int64),
                       0, SCORE_BINS - 1)
        self._ranks.append((entity * (e + 1) + rank_index).ravel())
        self._scores.append((entity * SCORE_BINS + bins)[ok])
        self._buffered += s * e
        if self._buffered >= FLUSH_CELLS:
            self.flush()
        with np.errstate(invalid="ignore"):
            self.score_min = np.fmin(self.score_min, np.where(ok, scores, np.inf).min(axis=0))
            self.score_max = np.fmax(self.score_max, np.where(ok, scores, -np.inf).max(axis=0))
        self.shift_sum += float(mean_abs_shift(ranks, self.nominal).sum())
        self.draws += s

    def flush(self) -> None:
        """Turn buffered (entity, rank) and (entity, bin) pairs into counts (one bincount each)."""
        e = len(self.nominal)
        if self._ranks:
            self.rank_counts += np.bincount(np.concatenate(self._ranks),
                                            minlength=e * (e + 1)).reshape(e, e + 1)
            self.score_counts += np.bincount(np.concatenate(self._scores),
                                             minlength=e * SCORE_BINS).reshape(e, SCORE_BINS)
        self._ranks, self._scores, self._buffered = [], [], 0

    def rank_quantile(self, q: float) -> np.ndarray:
        """Per entity, the smallest rank r with P(rank <= r) >= q among ranked draws."""
        counts = self.rank_counts[:, 1:]
        total = counts.sum(axis=1, keepdims=True)
        cdf = np.cumsum(counts, axis=1) / np.maximum(total, 1)
        out = (cdf >= q - 1e-12).argmax(axis=1) + 1.0
        return np.where(total[:, 0] > 0, out, np.nan)

    def p_top(self, k: int) -> np.ndarray:
        """Per entity, the share of all draws with rank <= k."""
        return self.rank_counts[:, 1:k + 1].sum(axis=1) / max(self.draws, 1)

    def score_quantile(self, q: float) -> np.ndarray:
        """Per entity, the q-quantile of the score (histogram, linear within a bin)."""
        counts = self.score_counts
        total = counts.sum(axis=1)
        cdf = np.cumsum(counts, axis=1)
        target = q * total
        b = np.minimum((cdf < target[:, None]).sum(axis=1), SCORE_BINS - 1)
        before = np.where(b > 0, cdf[np.arange(len(b)), b - 1], 0)
        inside = counts[np.arange(len(b)), b]
        frac = np.where(inside > 0, (target - before) / np.maximum(inside, 1), 0.0)
        value = (b + frac) / SCORE_BINS * self.scale
        value = np.clip(value, self.score_min, self.score_max)
        return np.where(total > 0, value, np.nan)

    @property
    def mean_abs_rank_shift(self) -> float:
        return self.shift_sum / max(self.draws, 1)


def mean_abs_shift(ranks: np.ndarray, nominal: np.ndarray) -> np.ndarray:
    """Per draw, the mean over ranked entities of |rank - nominal rank| (``(S,)``)."""
    diff = np.abs(ranks - nominal)
    ranked = ~np.isnan(diff)
    count = ranked.sum(axis=-1)
    return np.where(ranked, diff, 0.0).sum(axis=-1) / np.maximum(count, 1)
