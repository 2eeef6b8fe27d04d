"""Vectorised re-scoring: many draws of the assumptions x entities x indicators at once.

``Engine.scores(assumptions)`` scores a whole batch of draws at once (the only
Python loop is over the nodes of the tree): each node's indicator children are
one matrix product of per-draw coefficients with fixed basis rows
(``FastLayout``), evidence ranges enter as sparse per-cell rows and per-draw
affine min-max coefficients, so no column is re-normalised element-wise except
the logs of the (draw, column) pairs whose min-max span a sampled cell moves.
``Engine.scores_reference`` re-normalises the evidence columns and calls
``aggregate``; the tests hold the two to 1e-9.

``run_monte_carlo`` draws in chunks and streams the statistics into
``RankStatistics`` (rank counts and score histograms, or each draw's rank and score
bin as compact codes when entities are many and draws few), so memory grows
linearly with the number of entities (see ``statistics``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np

from riskscore.analyses.sensitivity.fastpath import FastLayout
from riskscore.analyses.sensitivity.sampling import Assumptions, SamplingPlan
from riskscore.analyses.sensitivity.settings import MISSING_CHOICES, NORMALISATION_CHOICES
from riskscore.analyses.sensitivity.statistics import RankStatistics
from riskscore.engine.aggregate import aggregate
from riskscore.engine.assessment import Assessment
from riskscore.engine.normalise import goalpost_normalise, minmax_normalise, transform_columns
from riskscore.engine.pipeline import apply_missing_policy, normalise_matrix
from riskscore.engine.ranking import competition_ranks


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
        # the values as normalised: after denomination, imputation and treatment (kept as set)
        self.raw = np.asarray(assessment.prepared if assessment.steps else assessment.raw,
                              dtype=float)
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
        self._fast = FastLayout.build(self)

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
            np.where((a.missing == MISSING_CHOICES.index("best_case"))[:, None, None], 0.0,
                     np.where((a.missing == MISSING_CHOICES.index("mean"))[:, None, None],
                              np.where(counts > 0, mean, np.nan), np.nan)))
        return np.where(missing, fill, normed)

    def scores_reference(self, a: Assumptions) -> np.ndarray:
        """Index scores ``(S, E)`` via the engine's own ``aggregate`` (slower; the yardstick)."""
        slots, _ = aggregate(self.hierarchy, self.values(a), a.weights, a.geometric)
        return slots[..., -1] * self.scale

    def scores(self, a: Assumptions) -> np.ndarray:
        """Index scores ``(S, E)`` in the model's scale units (NaN = below coverage).

        Same rule as ``aggregate`` (re-weighting over available children, the
        geometric floor, ``min_coverage``). Uses ``FastLayout`` (see there) unless
        the data has something it does not cover (non-finite transformed values),
        then the element-wise ``_scores_general``.
        """
        if not self.hierarchy.means_only:
            return self.scores_reference(a)   # other operators: the engine's own aggregate()
        fast = self._fast
        if fast is not None:
            out = fast.scores(self, a)
            if out is not None:
                return out
        return self._scores_general(a)

    def _scores_general(self, a: Assumptions) -> np.ndarray:
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
                    child = (affected[..., position[int(k)]]
                             if k < n_ind and affected is not None else node_scores[k - n_ind])
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


def evaluate_ranks(engine: Engine, assumptions: Assumptions) -> tuple[np.ndarray, np.ndarray]:
    """Scores and competition ranks ``(S, E)`` of a batch."""
    scores = engine.scores(assumptions)
    return scores, competition_ranks(scores)


CHUNK_CELLS = 1 << 20   # at most this many (draw, entity) cells per batch (8 MiB per array)


def effective_chunk(chunk: int, entities: int) -> int:
    """``chunk`` draws per batch, fewer when there are many entities (memory stays linear
    in entities). Results do not depend on it."""
    return max(1, min(chunk, CHUNK_CELLS // max(entities, 1)))


def one_blas_thread():
    """A context in which BLAS uses one thread.

    The engine's matrix products are many and small; a second BLAS thread mostly
    waits for a free core (5x slower on a busy 2-core machine), so the hot loops run
    under this whatever the machine's default. Results do not depend on it.
    """
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


def run_monte_carlo(engine: Engine, nominal_ranks: np.ndarray, *, samples: int, seed: int,
                    chunk: int = 512,
                    progress: Callable[[int], None] | None = None) -> RankStatistics:
    """Draw ``samples`` assumption sets from ``default_rng(seed)`` in chunks; stream statistics.

    The uniforms and the Gamma variates come from two independent streams spawned
    from the seed, each consumed in order, so the draws (and results) are the
    same whatever ``chunk`` is.
    """
    chunk = effective_chunk(chunk, len(nominal_ranks))
    unit_rng, gamma_rng = np.random.default_rng(seed).spawn(2)
    stats = RankStatistics.empty(nominal_ranks, engine.scale, draws=samples)
    done = 0
    with one_blas_thread():
        while done < samples:
            n = min(chunk, samples - done)
            scores, ranks = evaluate_ranks(engine, engine.plan.draw(unit_rng, n, gamma_rng))
            stats.add(scores, ranks)
            done += n
            if progress is not None:
                progress(n)
        stats.flush()
    return stats
