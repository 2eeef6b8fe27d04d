"""Streaming statistics over Monte Carlo draws: rank counts and score histograms.

Memory depends on the number of entities, never on their square: each of the two
tables (entity x rank, entity x score bin) is kept in the cheapest of three forms,

* dense counts while ``entities x columns`` is small (one int64 per pair);
* compact per-draw columns when the number of draws is known and small beside the
  table's width: each draw's rank or score bin of each entity as one 16-bit (32-bit
  beyond 65,535 entities) code, ``entities x draws x 2`` bytes, linear in entities
  (20,000 entities x 4,000 draws: 160 MB per table instead of 3.2 GB of counters);
* sorted (key, count) pairs otherwise (memory grows with the distinct pairs seen).

Every statistic is read from the non-zero counts in (entity, column) order, entity
block by entity block, with integer counts and per-entity arithmetic, so the three
forms give the same bytes (``tests/sensitivity/test_sens_statistics.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

SCORE_BINS = 1 << 14   # score histogram resolution: 1/16384 of the scale (0.006 on 0-100)
FLUSH_CELLS = 1 << 21  # buffered (draw, entity) keys before folding them into sparse counts
DENSE_CELLS = 1 << 22  # counters kept as a dense array up to this many (32 MiB)
BLOCK_CELLS = 1 << 22  # (entity, draw) codes turned into counts at a time

Triplets = tuple[np.ndarray, np.ndarray, np.ndarray]


class PairCounts:
    """Counts of ``(row, column)`` pairs, added as ``(draws, rows)`` column codes.

    Dense (one int64 per pair) while ``rows * columns <= dense_limit``; otherwise the
    sorted distinct keys ``row * columns + column`` seen so far and their counts
    (memory grows with the distinct pairs, not with ``rows * columns``).
    """

    def __init__(self, rows: int, columns: int, dense_limit: int = DENSE_CELLS):
        self.rows, self.columns = rows, columns
        self.dense = np.zeros(rows * columns, dtype=np.int64) if rows * columns <= dense_limit \
            else None
        self.keys = np.zeros(0, dtype=np.int64)
        self.counts = np.zeros(0, dtype=np.int64)
        self._buffer: list[np.ndarray] = []
        self._buffered = 0

    def add_codes(self, codes: np.ndarray, counted: np.ndarray | None = None) -> None:
        """Count ``codes[s, r]`` (a column of row ``r``) for each draw ``s`` where ``counted``."""
        keys = np.arange(self.rows) * self.columns + codes
        keys = keys.ravel() if counted is None else keys[counted]
        if self.dense is not None:
            if 2 * len(keys) >= self.dense.size:
                self.dense += np.bincount(keys, minlength=self.dense.size)
            else:   # few keys into a wide table: touch only their counters
                np.add.at(self.dense, keys, 1)
            return
        self._buffer.append(keys)
        self._buffered += len(keys)
        if self._buffered >= FLUSH_CELLS:
            self.flush()

    def flush(self) -> None:
        """Fold the buffered keys into the sorted (key, count) pairs."""
        if not self._buffer:
            return
        keys, counts = np.unique(np.concatenate(self._buffer), return_counts=True)
        self._buffer, self._buffered = [], 0
        if len(self.keys):
            keys = np.concatenate([self.keys, keys])
            counts = np.concatenate([self.counts, counts])
            order = np.argsort(keys, kind="stable")
            keys, counts = keys[order], counts[order]
            start = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
            keys, counts = keys[start], np.add.reduceat(counts, start)
        self.keys, self.counts = keys, counts.astype(np.int64)

    def blocks(self) -> Iterator[Triplets]:
        """``(row, column, count)`` of the non-zero counts, sorted by row then column
        (one block)."""
        self.flush()
        if self.dense is not None:
            keys = np.flatnonzero(self.dense)
            counts = self.dense[keys]
        else:
            keys, counts = self.keys, self.counts
        yield keys // self.columns, keys % self.columns, counts

    def to_dense(self) -> np.ndarray:
        """The ``(rows, columns)`` array (for small cases and tests)."""
        return _to_dense(self)

    @property
    def nbytes(self) -> int:
        return (self.dense.nbytes if self.dense is not None else 0) + self.keys.nbytes + \
            self.counts.nbytes + self._buffered * 8


class ColumnCodes:
    """The same counts kept as each draw's code per row: a ``(rows, draws)`` array of
    16-bit (32-bit when ``columns`` needs it) codes, ``columns`` meaning not counted.

    Memory is ``rows x draws x itemsize``: linear in rows, whatever the table's width.
    Counts are formed, a block of rows at a time, from the codes sorted within each row.
    """

    def __init__(self, rows: int, columns: int, draws: int):
        self.rows, self.columns = rows, columns
        self.dtype = np.uint16 if columns < 1 << 16 else np.uint32
        self.codes = np.empty((rows, max(draws, 1)), dtype=self.dtype)
        self.size = 0
        self.sorted = True

    def add_codes(self, codes: np.ndarray, counted: np.ndarray | None = None) -> None:
        s = len(codes)
        if self.size + s > self.codes.shape[1]:        # more draws than planned: grow
            grown = np.empty((self.rows, max(2 * self.codes.shape[1], self.size + s)),
                             dtype=self.dtype)
            grown[:, :self.size] = self.codes[:, :self.size]
            self.codes = grown
        target = self.codes[:, self.size:self.size + s]
        if counted is None:
            target[...] = codes.T
        else:
            target[...] = np.where(counted, codes, self.columns).T
        self.size += s
        self.sorted = False

    def flush(self) -> None:
        """Sort each row's codes (the counts do not depend on the draws' order)."""
        if not self.sorted:
            self.codes[:, :self.size].sort(axis=1, kind="stable")
            self.sorted = True

    def blocks(self) -> Iterator[Triplets]:
        """``(row, column, count)`` of the non-zero counts, sorted by row then column,
        a block of rows at a time."""
        self.flush()
        stride = self.columns + 1                 # room for the "not counted" code
        step = max(1, BLOCK_CELLS // max(self.size, 1))
        for first in range(0, self.rows, step):
            codes = self.codes[first:first + step, :self.size]
            keys = (np.arange(len(codes))[:, None] * stride + codes).ravel()
            if not len(keys):
                continue
            start = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
            counts = np.diff(np.r_[start, len(keys)])
            keys = keys[start]
            column = keys % stride
            counted = column < self.columns
            yield (first + keys[counted] // stride, column[counted],
                   counts[counted].astype(np.int64))

    def to_dense(self) -> np.ndarray:
        return _to_dense(self)

    @property
    def nbytes(self) -> int:
        return self.codes.nbytes


def _to_dense(counts) -> np.ndarray:
    out = np.zeros((counts.rows, counts.columns), dtype=np.int64)
    for row, col, count in counts.blocks():
        out[row, col] = count
    return out


def _counter(rows: int, columns: int, dense_limit: int, draws: int | None):
    """The cheapest form for a ``rows x columns`` table over ``draws`` draws (see module)."""
    if rows * columns <= dense_limit:
        return PairCounts(rows, columns, dense_limit)
    itemsize = 2 if columns < 1 << 16 else 4
    if draws is not None and draws * itemsize <= 8 * columns:
        return ColumnCodes(rows, columns, draws)
    return PairCounts(rows, columns, dense_limit)


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
    ranks: PairCounts | ColumnCodes
    scores: PairCounts | ColumnCodes
    score_min: np.ndarray
    score_max: np.ndarray
    shift_sum: float = 0.0
    draws: int = 0

    @classmethod
    def empty(cls, nominal_ranks: np.ndarray, scale: float, dense_limit: int = DENSE_CELLS,
              draws: int | None = None) -> RankStatistics:
        """Empty statistics; ``draws``, the number of draws planned, if known, lets wide
        tables be kept as compact per-draw codes (results do not depend on it)."""
        e = len(nominal_ranks)
        return cls(np.asarray(nominal_ranks, dtype=float), scale,
                   _counter(e, e + 1, dense_limit, draws),
                   _counter(e, SCORE_BINS, dense_limit, draws),
                   np.full(e, np.inf), np.full(e, -np.inf))

    @property
    def rank_counts(self) -> np.ndarray:
        return self.ranks.to_dense()

    @property
    def score_counts(self) -> np.ndarray:
        return self.scores.to_dense()

    def add(self, scores: np.ndarray, ranks: np.ndarray) -> None:
        """Fold a ``(S, E)`` batch of scores and ranks into the counts."""
        s = len(ranks)
        unranked = np.isnan(ranks)
        rank_index = np.where(unranked, 0.0, ranks).astype(np.int64)
        ok = ~np.isnan(scores)
        all_ok = bool(ok.all())
        with np.errstate(invalid="ignore"):
            bins = np.clip((scores / self.scale * SCORE_BINS).astype(np.int64) if all_ok else
                           (np.where(ok, scores, 0.0) / self.scale * SCORE_BINS).astype(np.int64),
                           0, SCORE_BINS - 1)
        self.ranks.add_codes(rank_index)
        self.scores.add_codes(bins, None if all_ok else ok)
        if all_ok:
            self.score_min = np.fmin(self.score_min, scores.min(axis=0))
            self.score_max = np.fmax(self.score_max, scores.max(axis=0))
        else:
            self.score_min = np.fmin(self.score_min, np.where(ok, scores, np.inf).min(axis=0))
            self.score_max = np.fmax(self.score_max, np.where(ok, scores, -np.inf).max(axis=0))
        self.shift_sum += float(mean_abs_shift(ranks, self.nominal).sum())
        self.draws += s

    def flush(self) -> None:
        """Fold what is buffered into the counts."""
        self.ranks.flush()
        self.scores.flush()

    def p_missing(self) -> np.ndarray:
        """Per entity, the share of draws in which it had no score."""
        missing = np.zeros(len(self.nominal), dtype=np.int64)
        for row, col, count in self.ranks.blocks():
            missing[row[col == 0]] = count[col == 0]
        return missing / self.draws

    def rank_quantile(self, q: float) -> np.ndarray:
        """Per entity, the smallest rank r with P(rank <= r) >= q among ranked draws."""
        out = np.full(len(self.nominal), np.nan)
        for row, col, count in self.ranks.blocks():
            keep = col > 0
            row, col, count = row[keep], col[keep], count[keep]
            starts, lengths = _groups(row)
            if not len(starts):
                continue
            total = np.repeat(np.add.reduceat(count, starts), lengths)
            cum = np.cumsum(count)
            within = cum - np.repeat(cum[starts] - count[starts], lengths)
            cdf = within / np.maximum(total, 1)
            first = _first_per_group(cdf >= q - 1e-12, starts)
            out[row[starts]] = col[first].astype(float)
        return out

    def p_top(self, k: int) -> np.ndarray:
        """Per entity, the share of all draws with rank <= k."""
        top = np.zeros(len(self.nominal), dtype=np.int64)
        for row, col, count in self.ranks.blocks():
            sel = (col >= 1) & (col <= k)
            np.add.at(top, row[sel], count[sel])
        return top / max(self.draws, 1)

    def score_quantile(self, q: float) -> np.ndarray:
        """Per entity, the q-quantile of the score (histogram, linear within a bin)."""
        out = np.full(len(self.nominal), np.nan)
        for row, col, count in self.scores.blocks():
            starts, lengths = _groups(row)
            if not len(starts):
                continue
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
