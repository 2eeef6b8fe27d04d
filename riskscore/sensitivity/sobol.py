"""Variance-based sensitivity of ranks to groups of assumptions, via SALib.

One SALib problem with a column per uncertain input (``SamplingPlan.names``)
and its ``groups``; ``SALib.sample.sobol.sample`` draws a Saltelli design of
``N x (G + 2)`` rows (``G`` groups, ``calc_second_order=False``), the engine
scores every row, and ``SALib.analyze.sobol.analyze`` estimates, for each
output, the first-order (S1) and total-effect (ST) index of each group with
bootstrap confidence half-widths. Outputs: each entity's rank, and the mean
absolute rank shift from the nominal ranking. A draw in which an entity has
no score (coverage below ``min_coverage``) ranks it last for these outputs.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from riskscore.sensitivity.montecarlo import Engine, evaluate_ranks
from riskscore.sensitivity.statistics import mean_abs_shift

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
    """The Saltelli/Sobol design ``(N * (G + 2), D)`` in the unit hypercube (scrambled, seeded)."""
    from SALib.sample import sobol as sobol_sample

    return sobol_sample.sample(problem, base_samples, calc_second_order=False, scramble=True,
                               seed=seed)


def analyse(problem: dict, outputs: dict[str, np.ndarray], *, confidence: float,
            resamples: int, seed: int) -> list[GroupIndex]:
    """S1/ST with confidence half-widths of each group for each named output ``(rows,)``."""
    from SALib.analyze import sobol

    group_names = list(dict.fromkeys(problem["groups"]))
    rows: list[GroupIndex] = []
    for name, y in outputs.items():
        y = np.asarray(y, dtype=float)
        if not np.isfinite(y).all() or np.ptp(y) == 0:
            rows += [GroupIndex(name, g, None, None, None, None) for g in group_names]
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            result = sobol.analyze(problem, y, calc_second_order=False, num_resamples=resamples,
                                   conf_level=confidence, print_to_console=False,
                                   seed=seed + 1)  # SALib treats seed 0 as "no seed"
        for k, group in enumerate(group_names):
            rows.append(GroupIndex(name, group, _num(result["S1"][k]), _num(result["S1_conf"][k]),
                                   _num(result["ST"][k]), _num(result["ST_conf"][k])))
    return rows


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
    unit = design(problem, base_samples, seed)
    ranks = np.empty((len(unit), len(entities)))
    for start in range(0, len(unit), chunk):
        batch = unit[start:start + chunk]
        ranks[start:start + len(batch)] = evaluate_ranks(engine, plan.from_unit(batch))[1]
        if progress is not None:
            progress(len(batch))
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
