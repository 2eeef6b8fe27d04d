"""Streaming statistics over Monte Carlo draws: rank counts and score histograms.

Memory depends on the number of entities and on how widely each entity's rank and
score spread, never on the number of draws: counts are dense arrays while
``entities x ranks`` (or ``x bins``) is small, and sorted (key, count) pairs
beyond that, so 20,000 entities do not need 20,000^2 counters. Every statistic
is read from the non-zero counts in (entity, rank) order, the same arithmetic
either way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

SCORE_BINS = 1 << 14   # score histogram resolution: 1/16384 of the scale (0.006 on 0-100)
FLUSH_CELLS = 1 << 21  # buffered (draw, entity) cells before folding them into the counts
DENSE_CELLS = 1 << 22  # counters kept as a dense array up to this many (32 MiB)


class PairCounts:
    """Counts of ``(row, column)`` pairs, added as flat keys ``row * columns + column``.

    Dense (one int64 per pair) while ``rows * columns <= dense_limit``; otherwise the
    sorted distinct keys seen so far and their counts (memory grows with the
    distinct pairs, not with ``rows * columns``).
    """

    def __init__(self, rows: int, columns: int, dense_limit: int = DENSE_CELLS):
        self.rows, self.columns = rows, columns
        self.dense = np.zeros(rows * columns, dtype=np.int64) if rows * columns <= dense_limit \
            else None
        self.keys = np.zeros(0, dtype=np.int64)
        self.counts = np.zeros(0, dtype=np.int64)

    def add(self, keys: np.ndarray) -> None:
        if self.dense is not None:
            self.dense += np.bincount(keys, minlength=self.dense.size)
            return
        keys, counts = np.unique(keys, return_counts=True)
        if len(self.keys):
            keys = np.concatenate([self.keys, keys])
            counts = np.concatenate([self.counts, counts])
            order = np.argsort(keys, kind="stable")
            keys, counts = keys[order], counts[order]
            start = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
            keys, counts = keys[start], np.add.reduceat(counts, start)
        self.keys, self.counts = keys, counts.astype(np.int64)

    def triplets(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(row, column, count)`` of the non-zero counts, sorted by row then column."""
        if self.dense is not None:
            keys = np.flatnonzero(self.dense)
            counts = self.dense[keys]
        else:
            keys, counts = self.keys, self.counts
        return keys // self.columns, keys % self.columns, counts

    def to_dense(self) -> np.ndarray:
        """The ``(rows, columns)`` array (for small cases and tests)."""
        if self.dense is not None:
            return self.dense.reshape(self.rows, self.columns).copy()
        out = np.zeros(self.rows * self.columns, dtype=np.int64)
        out[self.keys] = self.counts
        return out.reshape(self.rows, self.columns)

    @property
    def nbytes(self) -> int:
        return (self.dense.nbytes if self.dense is not None else 0) + self.keys.nbytes + \
            self.counts.nbytes


def _groups(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start index and length of each run of equal values in sorted ``rows``."""
    if not len(rows):
        return np.zeros(0, dtype=int), np.zeros(0, dtype=int)
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    return starts, np.diff(np.r_[starts, len(rows)])


def _first_per_group(hit: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Index of the first True of ``hit`` in each group (the group's last index if none)."""
    index = np.where(hit, np.arange(len(hit)), len(hit))
    first = np.minimum.reduceat(index, starts)
    last = np.r_[starts[1:], len(hit)] - 1
    return np.where(first < len(hit), first, last)


@dataclass
class RankStatistics:
    """Streaming per-entity statistics over draws (see the module docstring for memory).

    ``rank_counts[e, r]`` counts draws where entity ``e`` has rank ``r`` (1..E;
    column 0 counts draws where its score was missing); ``score_counts[e, b]``
    counts scores in bin ``b`` of [0, scale] (both as dense arrays on request, for
    small cases); ``shift_sum`` sums, over draws, the mean absolute rank shift
    from the nominal ranks.
    """

    nominal: np.ndarray
    scale: float
    ranks: PairCounts
    scores: PairCounts
    score_min: np.ndarray
    score_max: np.ndarray
    shift_sum: float = 0.0
    draws: int = 0
    _ranks: list = field(default_factory=list, repr=False)
    _scores: list = field(default_factory=list, repr=False)
    _buffered: int = 0

    @classmethod
    def empty(cls, nominal_ranks: np.ndarray, scale: float,
              dense_limit: int = DENSE_CELLS) -> RankStatistics:
        e = len(nominal_ranks)
        return cls(np.asarray(nominal_ranks, dtype=float), scale,
                   PairCounts(e, e + 1, dense_limit), PairCounts(e, SCORE_BINS, dense_limit),
                   np.full(e, np.inf), np.full(e, -np.inf))

    @property
    def rank_counts(self) -> np.ndarray:
        return self.ranks.to_dense()

    @property
    def score_counts(self) -> np.ndarray:
        return self.scores.to_dense()

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
        """Fold the buffered (entity, rank) and (entity, bin) keys into the counts."""
        if self._ranks:
            self.ranks.add(np.concatenate(self._ranks))
            self.scores.add(np.concatenate(self._scores))
        self._ranks, self._scores, self._buffered = [], [], 0

    def p_missing(self) -> np.ndarray:
        """Per entity, the share of draws in which it had no score."""
        row, col, count = self.ranks.triplets()
        missing = np.zeros(len(self.nominal), dtype=np.int64)
        missing[row[col == 0]] = count[col == 0]
        return missing / self.draws

    def rank_quantile(self, q: float) -> np.ndarray:
        """Per entity, the smallest rank r with P(rank <= r) >= q among ranked draws."""
        row, col, count = self.ranks.triplets()
        keep = col > 0
        row, col, count = row[keep], col[keep], count[keep]
        out = np.full(len(self.nominal), np.nan)
        starts, lengths = _groups(row)
        if not len(starts):
            return out
        total = np.repeat(np.add.reduceat(count, starts), lengths)
        cum = np.cumsum(count)
        within = cum - np.repeat(cum[starts] - count[starts], lengths)
        cdf = within / np.maximum(total, 1)
        first = _first_per_group(cdf >= q - 1e-12, starts)
        out[row[starts]] = col[first].astype(float)
        return out

    def p_top(self, k: int) -> np.ndarray:
        """Per entity, the share of all draws with rank <= k."""
        row, col, count = self.ranks.triplets()
        sel = (col >= 1) & (col <= k)
        top = np.zeros(len(self.nominal), dtype=np.int64)
        np.add.at(top, row[sel], count[sel])
        return top / max(self.draws, 1)

    def score_quantile(self, q: float) -> np.ndarray:
        """Per entity, the q-quantile of the score (histogram, linear within a bin)."""
        row, col, count = self.scores.triplets()
        out = np.full(len(self.nominal), np.nan)
        starts, lengths = _groups(row)
        if not len(starts):
            return out
        total = np.add.reduceat(count, starts)
        cum = np.cumsum(count)
        within = cum - np.repeat(cum[starts] - count[starts], lengths)
        target = q * total
        first = _first_per_group(within >= np.repeat(target, lengths), starts)
        b = col[first]
        before = within[first] - count[first]
        inside = count[first]
        frac = np.where(inside > 0, (target - before) / np.maximum(inside, 1), 0.0)
        value = (b + frac) / SCORE_BINS * self.scale
        rows = row[starts]
        out[rows] = np.clip(value, self.score_min[rows], self.score_max[rows])
        return out

    @property
    def mean_abs_rank_shift(self) -> float:
        return self.shift_sum / max(self.draws, 1)


def mean_abs_shift(ranks: np.ndarray, nominal: np.ndarray) -> np.ndarray:
    """Per draw, the mean over ranked entities of |rank - nominal rank| (``(S,)``)."""
    diff = np.abs(ranks - nominal)
    ranked = ~np.isnan(diff)
    count = ranked.sum(axis=-1)
    return np.where(ranked, diff, 0.0).sum(axis=-1) / np.maximum(count, 1)
