"""Variance-based sensitivity of ranks to groups of assumptions (our own vectorised
Saltelli design and estimator; SALib is only the tests' reference).

One problem with a column per uncertain input (``SamplingPlan.names``) and its
``groups``. ``design`` lays out SALib's Saltelli/Sobol design of ``N x (G + 2)``
rows (``G`` groups, ``calc_second_order=False``) from scipy's scrambled Sobol
sequence, row for row what ``SALib.sample.sobol.sample`` returns; the engine
scores every row; ``analyse`` estimates, for every output at once, the
first-order (S1, Saltelli et al. 2010) and total-effect (ST, Jansen) index of
each group with bootstrap confidence half-widths, as ``SALib.analyze.sobol.analyze``
does (same standardisation, same resamples from the same seed). The point
estimates are computed as SALib computes them; the bootstrap sums are one matrix
product of resample counts instead of SALib's gathered copies, equal to SALib's
to 1e-12 (``tests/sensitivity/test_sens_sobol.py`` holds them to SALib itself,
which stays a test dependency). Outputs: each entity's rank, and the mean
absolute rank shift from the nominal ranking. A draw in which an entity has no
score (coverage below ``min_coverage``) ranks it last for these outputs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from riskscore.analyses.sensitivity.montecarlo import (
    Engine,
    effective_chunk,
    evaluate_ranks,
    one_blas_thread,
)
from riskscore.analyses.sensitivity.statistics import mean_abs_shift

SHIFT_OUTPUT = "mean_abs_rank_shift"


@dataclass(frozen=True)
class GroupIndex:
    """One group's indices on one output; None where the output never varies."""

    output: str
    group: str
    s1: float | None
    s1_conf: float | None
    st: float | None
    st_conf: float | None

    def to_dict(self) -> dict:
        return {"output": self.output, "group": self.group, "S1": self.s1,
                "S1_conf": self.s1_conf, "ST": self.st, "ST_conf": self.st_conf}


def salib_problem(names: tuple[str, ...], groups: tuple[str, ...]) -> dict:
    """The SALib problem dict: unit bounds, one group label per column."""
    return {"num_vars": len(names), "names": list(names), "groups": list(groups),
            "bounds": [[0.0, 1.0]] * len(names)}


def design(problem: dict, base_samples: int, seed: int) -> np.ndarray:
    """The Saltelli/Sobol design ``(N * (G + 2), D)`` in the unit hypercube (scrambled, seeded).

    Row block ``i``: ``A_i``, then ``A_i`` with group ``g``'s columns taken from
    ``B_i`` for each group in order of first appearance, then ``B_i``, where
    ``[A | B]`` is row ``i`` of a ``2D``-dimensional scrambled Sobol sequence
    (``scipy.stats.qmc.Sobol(seed=seed)``) -- SALib's ``sobol.sample`` layout.
    """
    a, b = design_blocks(problem, base_samples, seed)
    return saltelli_rows(problem, a, b)


def design_blocks(problem: dict, base_samples: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``A`` and ``B`` matrices ``(N, D)`` of the design: a ``2D``-dimensional scrambled
    Sobol sequence split in two halves."""
    from scipy.stats import qmc

    d = problem["num_vars"]
    base = qmc.Sobol(d=2 * d, scramble=True, seed=seed).random(base_samples)
    return base[:, :d], base[:, d:]


def saltelli_rows(problem: dict, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Interleave ``A``, each group's ``AB_g`` and ``B`` into the design's rows."""
    groups = np.asarray(problem["groups"])
    names = list(dict.fromkeys(problem["groups"]))
    out = np.empty((len(a), len(names) + 2, a.shape[1]))
    out[:, 0] = a
    for g, name in enumerate(names):
        out[:, g + 1] = np.where(groups == name, b, a)
    out[:, -1] = b
    return out.reshape(-1, a.shape[1])


def analyse(problem: dict, outputs: dict[str, np.ndarray], *, confidence: float,
            resamples: int, seed: int, block: int = 32) -> list[GroupIndex]:
    """S1/ST with confidence half-widths of each group for each named output ``(rows,)``.

    ``seed + 1`` seeds the bootstrap (SALib treats seed 0 as "no seed"). Outputs are
    analysed ``block`` at a time (memory).
    """
    from scipy.special import ndtri

    group_names = list(dict.fromkeys(problem["groups"]))
    n_groups = len(group_names)
    names = list(outputs)
    y = np.array([np.asarray(outputs[k], dtype=float) for k in names]).reshape(len(names), -1)
    step = n_groups + 2
    n = y.shape[1] // step
    usable = np.isfinite(y).all(axis=1)
    usable[usable] = np.ptp(y[usable], axis=1) != 0
    resample = np.random.default_rng(seed + 1).integers(n, size=(n, resamples))
    counts = np.zeros((n, resamples))
    np.add.at(counts, (resample, np.arange(resamples)[None, :]), 1.0)
    used = np.flatnonzero(counts.sum(axis=1) > 0)
    z = float(ndtri(0.5 + confidence / 2))
    estimates = np.full((len(names), 4, n_groups), np.nan)
    todo = np.flatnonzero(usable)
    for start in range(0, len(todo), block):
        rows = todo[start:start + block]
        estimates[rows] = _estimate(y[rows], n, n_groups, counts, used, z)
    out: list[GroupIndex] = []
    for k, name in enumerate(names):
        for g, group in enumerate(group_names):
            if not usable[k]:
                out.append(GroupIndex(name, group, None, None, None, None))
                continue
            s1, s1_conf, st, st_conf = estimates[k, :, g]
            out.append(GroupIndex(name, group, _num(s1), _num(s1_conf), _num(st), _num(st_conf)))
    return out


def _estimate(y: np.ndarray, n: int, n_groups: int, counts: np.ndarray, used: np.ndarray,
              z: float) -> np.ndarray:
    """``(K, 4, G)``: S1, S1_conf, ST, ST_conf of each of the ``K`` outputs ``y`` ``(K, rows)``."""
    eps = np.finfo(float).eps
    step = n_groups + 2
    y = (y - y.mean(axis=1, keepdims=True)) / y.std(axis=1, keepdims=True)
    a, b = y[:, 0::step], y[:, step - 1::step]                        # (K, N)
    ab = np.stack([y[:, g + 1::step] for g in range(n_groups)], axis=1)  # (K, G, N)
    out = np.zeros((len(y), 4, n_groups))
    # point estimates, as SALib's first_order / total_order
    both = np.concatenate([a, b], axis=1)
    constant = np.ptp(both, axis=1) <= eps
    var = both.var(axis=1)
    ok = (var > eps)[:, None]
    safe = np.where(ok, var[:, None], 1.0)
    s1 = np.where(ok, (b[:, None] * (ab - a[:, None])).mean(axis=2) / safe, 0.0)
    st = np.where(ok, (0.5 * ((a[:, None] - ab) ** 2).mean(axis=2)) / safe, 0.0)
    out[:, 0] = np.where(constant[:, None], 0.0, s1)
    out[:, 2] = np.where(constant[:, None], 0.0, st)
    # bootstrap: resample r takes row i counts[i, r] times; sums are counts.T @ terms
    k_out = len(y)
    terms = np.concatenate([(a + b)[:, None], (a * a + b * b)[:, None],
                            b[:, None] * (ab - a[:, None]), 0.5 * (a[:, None] - ab) ** 2],
                           axis=1)                                    # (K, 2 + 2G, N)
    sums = (terms.reshape(-1, n) @ counts).reshape(k_out, 2 + 2 * n_groups, -1)  # (K, T, R)
    mean = sums[:, 0] / (2 * n)
    boot_var = sums[:, 1] / (2 * n) - mean * mean                     # (K, R)
    spread = np.ptp(both[:, np.concatenate([used, used + n])], axis=1)
    boot_ok = (boot_var > eps)[:, None]
    boot_safe = np.where(boot_ok, boot_var[:, None], 1.0)
    s1_boot = np.where(boot_ok, sums[:, 2:2 + n_groups] / n / boot_safe, 0.0)      # (K, G, R)
    st_boot = np.where(boot_ok, sums[:, 2 + n_groups:] / n / boot_safe, 0.0)
    flat = (spread <= eps)[:, None]
    vary = (spread != 0.0)[:, None]
    out[:, 1] = np.where(vary & ~flat, z * s1_boot.std(axis=2, ddof=1), 0.0)
    out[:, 3] = np.where(vary & ~flat, z * st_boot.std(axis=2, ddof=1), 0.0)
    return out


def sobol_indices(engine: Engine, entities: tuple[str, ...], nominal_ranks: np.ndarray, *,
                  base_samples: int, seed: int, confidence: float = 0.95, resamples: int = 200,
                  chunk: int = 512,
                  progress: Callable[[int], None] | None = None) -> list[GroupIndex]:
    """Group Sobol indices of every entity's rank and of the mean absolute rank shift.

    Returns [] when nothing varies (no columns in the plan).
    """
    plan = engine.plan
    if plan.dimensions == 0:
        return []
    problem = salib_problem(plan.names, plan.groups)
    a, b = design_blocks(problem, base_samples, seed)
    unit = saltelli_rows(problem, a, b)
    # each Gamma quantile once: a design row repeats A's or B's numbers column by column
    gammas = saltelli_rows(problem, plan.gamma_quantiles(a), plan.gamma_quantiles(b))
    ranks = np.empty((len(unit), len(entities)))
    chunk = effective_chunk(chunk, len(entities))
    with one_blas_thread():
        for start in range(0, len(unit), chunk):
            batch = slice(start, start + chunk)
            ranks[batch] = evaluate_ranks(engine, plan.from_unit(unit[batch], gammas[batch]))[1]
            if progress is not None:
                progress(len(unit[batch]))
        shift = mean_abs_shift(ranks, nominal_ranks)
        ranks = np.where(np.isnan(ranks), len(entities), ranks)   # no score: ranked last
        outputs = {entity: ranks[:, e] for e, entity in enumerate(entities)}
        outputs[SHIFT_OUTPUT] = shift
        return analyse(problem, outputs, confidence=confidence, resamples=resamples, seed=seed)


def design_size(plan_dimensions: int, n_groups: int, base_samples: int) -> int:
    """Rows of the design (for progress bars): ``N * (G + 2)``, or 0 when nothing varies."""
    return base_samples * (n_groups + 2) if plan_dimensions else 0


def _num(value: float) -> float | None:
    value = float(value)
    return value if np.isfinite(value) else None
