"""Vectorised re-scoring: many draws of the assumptions x entities x indicators at once.

``Engine.scores(assumptions)`` scores a whole batch of draws with one call to
``aggregate`` (the only Python loop is over the nodes of the tree), so the cost
per draw is a few array operations, not a pipeline call. Normalisation and
imputation are precomputed once for each (normalisation, missing policy) pair;
only the columns holding an evidence range are re-normalised per draw (a range
can move the min-max span or the mean that imputation uses).

``run_monte_carlo`` draws in chunks and streams the statistics into
``RankStatistics`` (rank counts, score histograms), so memory depends on the
chunk size and the number of entities, never on the number of draws.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from riskscore.aggregate import aggregate
from riskscore.assessment import Assessment
from riskscore.normalise import goalpost_normalise, minmax_normalise, transform_columns
from riskscore.pipeline import apply_missing_policy, normalise_matrix
from riskscore.ranking import competition_ranks
from riskscore.sensitivity.sampling import Assumptions, SamplingPlan
from riskscore.sensitivity.settings import MISSING_CHOICES, NORMALISATION_CHOICES

SCORE_BINS = 1 << 14   # score histogram resolution: 1/16384 of the scale (0.006 on 0-100)
FLUSH_CELLS = 1 << 21  # buffered (draw, entity) cells before folding them into the counts


class Engine:
    """Scores batches of assumption draws for one assessment's entities and raw values."""

    def __init__(self, assessment: Assessment, plan: SamplingPlan):
        model, hierarchy = assessment.model, assessment.hierarchy
        self.hierarchy = hierarchy
        self.scale = model.scale
        self.plan = plan
        indicators = [model.indicators[i] for i in hierarchy.indicator_ids]
        self.transforms = [ind.transform for ind in indicators]
        self.higher = np.array([ind.higher_is_riskier for ind in indicators])
        goalposts = np.array([ind.goalposts for ind in indicators], dtype=float).T
        self.bounds = transform_columns(goalposts, self.transforms)
        self.raw = np.asarray(assessment.raw, dtype=float)
        # variants[norm, policy] = the (E, I) matrix aggregate() receives
        shape = (len(NORMALISATION_CHOICES), len(MISSING_CHOICES)) + self.raw.shape
        self.variants = np.empty(shape)
        for a, norm in enumerate(NORMALISATION_CHOICES):
            normed = normalise_matrix(replace(model, normalisation=norm), hierarchy, self.raw)
            for b, policy in enumerate(MISSING_CHOICES):
                used, _ = apply_missing_policy(replace(model, missing=policy), normed,
                                               assessment.observations, assessment.entities,
                                               hierarchy.indicator_ids)
                self.variants[a, b] = used
        ok = ~np.isnan(self.variants)
        self.available = ok.astype(float).reshape((-1,) + self.raw.shape)
        self.filled = np.where(ok, self.variants, 0.0).reshape(self.available.shape)
        self.logs = np.where(ok, np.log(np.maximum(np.where(ok, self.variants, 1.0),
                                                   hierarchy.floor)), 0.0).reshape(self.available.shape)
        self.transformed = transform_columns(self.raw, self.transforms)
        self.goalpost_values = goalpost_normalise(self.transformed, self.bounds[0], self.bounds[1],
                                                  self.higher)
        cells = plan.cells
        self.columns = np.array(sorted({c.indicator for c in cells}), dtype=int)
        position = {col: k for k, col in enumerate(self.columns)}
        self.cell_rows = np.array([c.entity for c in cells], dtype=int)
        self.cell_cols = np.array([position[c.indicator] for c in cells], dtype=int)

    def values(self, a: Assumptions) -> np.ndarray:
        """The ``(S, E, I)`` normalised, imputed values for each draw."""
        variant = a.normalisation * len(MISSING_CHOICES) + a.missing
        flat = self.variants.reshape((-1,) + self.raw.shape)
        values = flat[variant]
        if len(self.columns) and a.evidence.shape[1]:
            values[..., self.columns] = self._affected_columns(a)
        return values

    def _affected_columns(self, a: Assumptions) -> np.ndarray:
        """Re-normalise and re-impute, per draw, the columns that hold an evidence range."""
        cols, rows, cc = self.columns, self.cell_rows, self.cell_cols
        cell_cols = cols[cc]
        sampled = transform_columns(a.evidence, [self.transforms[c] for c in cell_cols])
        # goalposts: only the sampled cells change
        normed = np.repeat(self.goalpost_values[None, :, cols], a.size, axis=0)
        normed[:, rows, cc] = goalpost_normalise(sampled, self.bounds[0, cell_cols],
                                                 self.bounds[1, cell_cols], self.higher[cell_cols])
        # min-max: a sampled cell can move its column's span, so re-normalise whole columns
        span_draws = np.flatnonzero(a.normalisation == NORMALISATION_CHOICES.index("minmax"))
        if len(span_draws):
            values = np.repeat(self.transformed[None, :, cols], len(span_draws), axis=0)
            values[:, rows, cc] = sampled[span_draws]
            normed[span_draws] = minmax_normalise(values, self.higher[cols])
        missing = np.isnan(normed)
        if not missing.any():
            return normed
        with np.errstate(all="ignore"):
            counts = (~missing).sum(axis=-2, keepdims=True)
            mean = np.where(missing, 0.0, normed).sum(axis=-2, keepdims=True) / counts
        fill = np.where(
            (a.missing == MISSING_CHOICES.index("worst_case"))[:, None, None], 1.0,
            np.where((a.missing == MISSING_CHOICES.index("mean"))[:, None, None],
                     np.where(counts > 0, mean, np.nan), np.nan))
        return np.where(missing, fill, normed)

    def scores_reference(self, a: Assumptions) -> np.ndarray:
        """Index scores ``(S, E)`` via the engine's own ``aggregate`` (slower; the yardstick)."""
        slots, _ = aggregate(self.hierarchy, self.values(a), a.weights, a.geometric)
        return slots[..., -1] * self.scale

    def scores(self, a: Assumptions) -> np.ndarray:
        """Index scores ``(S, E)`` in the model's scale units (NaN = below coverage).

        Same rule as ``aggregate`` (re-weighting over available children, the
        geometric floor, ``min_coverage``), organised for speed: a node's
        indicator children are the same matrix for every draw that shares a
        (normalisation, missing) variant, so their weighted sums are matrix
        products ``(draws, C) @ (C, E)`` per variant; only evidence-range columns
        and node children are handled element-wise.
        """
        h = self.hierarchy
        size, n_ind = a.size, len(h.indicator_ids)
        variant = a.normalisation * len(MISSING_CHOICES) + a.missing
        present = [(v, np.flatnonzero(variant == v)) for v in np.unique(variant)]
        affected = self._affected_columns(a) if len(self.columns) and a.evidence.shape[1] else None
        position = {int(col): k for k, col in enumerate(self.columns)} if affected is not None else {}
        node_scores: list[np.ndarray] = []
        with np.errstate(invalid="ignore", divide="ignore"):
            for n, kids in enumerate(h.children):
                w = np.broadcast_to(np.asarray(a.weights[n], dtype=float), (size, len(kids)))
                geo = np.asarray(a.geometric[:, n], dtype=bool)
                any_geo, any_arith = bool(geo.any()), bool((~geo).any())
                num = np.zeros((size, self.raw.shape[0]))
                den = np.zeros_like(num)
                logs = np.zeros_like(num)
                matrix = [c for c, k in enumerate(kids) if k < n_ind and int(k) not in position]
                if matrix:
                    cols = kids[matrix]
                    for v, rows in present:
                        wv = w[rows][:, matrix]
                        den[rows] = wv @ self.available[v][:, cols].T
                        if any_arith:
                            num[rows] = wv @ self.filled[v][:, cols].T
                        if any_geo:
                            logs[rows] = wv @ self.logs[v][:, cols].T
                for c, k in enumerate(kids):
                    if c in matrix:
                        continue
                    child = affected[..., position[int(k)]] if k < n_ind else node_scores[k - n_ind]
                    ok = ~np.isnan(child)
                    if ok.all():
                        wc, filled = w[:, c, None], child
                    else:
                        wc, filled = np.where(ok, w[:, c, None], 0.0), np.where(ok, child, 0.0)
                    den += wc
                    if any_arith:
                        num += wc * filled
                    if any_geo:
                        logs += wc * np.log(np.maximum(filled, h.floor))
                if any_geo and any_arith:
                    score = np.where(geo[:, None], np.exp(logs / den), num / den)
                else:
                    score = np.exp(logs / den) if any_geo else num / den
                cover = den / w.sum(axis=1, keepdims=True)
                ok = (den > 0) & (cover >= h.min_coverage[n] - 1e-12)
                node_scores.append(np.where(ok, score, np.nan))
        return node_scores[-1] * self.scale


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


def evaluate_ranks(engine: Engine, assumptions: Assumptions) -> tuple[np.ndarray, np.ndarray]:
    """Scores and competition ranks ``(S, E)`` of a batch."""
    scores = engine.scores(assumptions)
    return scores, competition_ranks(scores)


def run_monte_carlo(engine: Engine, nominal_ranks: np.ndarray, *, samples: int, seed: int,
                    chunk: int = 512,
                    progress: Callable[[int], None] | None = None) -> RankStatistics:
    """Draw ``samples`` assumption sets from ``default_rng(seed)`` in chunks; stream statistics.

    The uniforms and the Gamma variates come from two independent streams spawned
    from the seed, each consumed in order, so the draws (and results) are the
    same whatever ``chunk`` is.
    """
    unit_rng, gamma_rng = np.random.default_rng(seed).spawn(2)
    stats = RankStatistics.empty(nominal_ranks, engine.scale)
    done = 0
    while done < samples:
        n = min(chunk, samples - done)
        scores, ranks = evaluate_ranks(engine, engine.plan.draw(unit_rng, n, gamma_rng))
        stats.add(scores, ranks)
        done += n
        if progress is not None:
            progress(n)
    stats.flush()
    return stats
