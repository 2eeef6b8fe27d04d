"""How sure is the ranking? Monte Carlo uncertainty, Sobol sensitivity and weight tipping points.

::

    import riskscore
    from riskscore.analyses.sensitivity import load_settings, run_sensitivity
    result = run_sensitivity(riskscore.assess("config/model.toml"), load_settings(),
                             samples=4000, seed=1)
    result.entity_rows()        # per-country rank and score intervals
    result.sobol_rows()         # S1/ST of each group of assumptions
    result.tipping_sentences()  # "A overtakes B if the debt weight rises from 0.25 to 0.34 ..."

Modules: ``settings`` (config/sensitivity.toml), ``sampling`` (unit samples ->
assumptions), ``montecarlo`` (vectorised scoring; its fast kernel in ``fastpath``,
streamed statistics in ``statistics``), ``sobol``
(our vectorised Saltelli design and Sobol estimator, held equal to SALib in the
tests), ``tipping`` (exact and numeric swap weights).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from riskscore.analyses.sensitivity.settings import SensitivitySettings, load_settings
from riskscore.analyses.sensitivity.tipping import TippingPoint

__all__ = ["SensitivityResult", "SensitivitySettings", "TippingPoint", "load_settings",
           "run_sensitivity"]


@dataclass(frozen=True, eq=False)
class SensitivityResult:
    """What ``run_sensitivity`` found; the report and the CLI read it, never recompute.

    ``entities``: list of dicts in nominal rank order (see ``entity_rows``);
    ``sobol``: list of ``GroupIndex`` (output x group); ``tipping_points``: list
    of ``TippingPoint`` sorted by distance from the configured weight.
    """

    samples: int
    seed: int
    top_k: int
    scale: float
    groups: tuple[str, ...]
    entities: list[dict]
    mean_abs_rank_shift: float
    sobol: list
    sobol_base_samples: int
    tipping_points: list[TippingPoint]
    settings: SensitivitySettings
    labels: dict[str, str]
    not_varied: tuple[str, ...] = ()   # choices kept as configured, in plain words

    def entity_rows(self) -> list[dict]:
        """One dict per entity, nominal rank order, keys: ``entity``, ``rank`` (nominal),
        ``score`` (nominal), ``median_rank``, ``rank_p05``, ``rank_p95`` (integer ranks,
        inverse-CDF quantiles), ``p_top1``, ``p_topk`` (shares of draws), ``score_p05``,
        ``score_p95`` (scale units), ``p_missing`` (share of draws without a score).
        """
        return [dict(row) for row in self.entities]

    def to_frame(self) -> Any:
        """Per entity (the index), its nominal rank and score and their intervals
        (``entity_rows``'s columns; ranks as nullable Int64)."""
        import pandas as pd

        frame = pd.DataFrame(self.entity_rows()).set_index("entity")
        for column in ("rank", "median_rank", "rank_p05", "rank_p95"):
            frame[column] = frame[column].astype("Int64")
        return frame

    def sobol_rows(self) -> list[dict]:
        """One dict per (output, group): ``output`` (an entity or 'mean_abs_rank_shift'),
        ``group``, ``S1``, ``S1_conf``, ``ST``, ``ST_conf`` (None if the output never varies)."""
        return [row.to_dict() for row in self.sobol]

    def tipping_sentences(self) -> list[str]:
        return [p.sentence(self.labels.get(p.node)) for p in self.tipping_points]

    def to_dict(self) -> dict:
        """The machine contract of ``riskscore sensitivity --format json``."""
        return {
            "samples": self.samples, "seed": self.seed, "top_k": self.top_k,
            "scale": self.scale, "groups": list(self.groups),
            "entities": self.entity_rows(),
            "mean_abs_rank_shift": self.mean_abs_rank_shift,
            "sobol": {"base_samples": self.sobol_base_samples,
                      "evaluations": self.sobol_base_samples * (len(self.groups) + 2)
                      if self.sobol else 0,
                      "indices": self.sobol_rows()},
            "tipping_points": [p.to_dict() for p in self.tipping_points],
            "settings": self.settings.to_dict(),
            # only for models with choices the analysis keeps fixed (e.g. max nodes)
            **({"not_varied": list(self.not_varied)} if self.not_varied else {}),
        }


def run_sensitivity(assessment, settings: SensitivitySettings | None = None, *,
                    samples: int | None = None, seed: int | None = None,
                    top_k: int | None = None,
                    progress: Callable[[int, int], None] | None = None) -> SensitivityResult:
    """Monte Carlo ranks, Sobol indices and tipping points for ``assessment``.

    ``samples``, ``seed`` and ``top_k`` default to the settings' ``[run]`` values.
    ``progress(advance, total)`` is called after each batch of evaluations.
    The same seed gives identical results (Monte Carlo, Sobol design and bootstrap),
    whatever order the entities were loaded in (see ``canonical_order``).
    Raises ConfigError if ``top_k`` is not in 1..number of entities.
    """
    import numpy as np

    from riskscore.analyses.sensitivity.montecarlo import Engine, run_monte_carlo
    from riskscore.analyses.sensitivity.sampling import SamplingPlan, not_varied
    from riskscore.analyses.sensitivity.sobol import design_size, sobol_indices
    from riskscore.analyses.sensitivity.tipping import find_tipping_points
    from riskscore.errors import ArgumentError

    assessment = canonical_order(assessment)
    settings = settings or SensitivitySettings()
    samples = settings.samples if samples is None else int(samples)
    seed = settings.seed if seed is None else int(seed)
    top_k = settings.top_k if top_k is None else int(top_k)
    n_entities = len(assessment.entities)
    if samples < 1:
        raise ArgumentError("samples", f"is {samples}", "a whole number >= 1")
    if seed < 0:
        raise ArgumentError("seed", f"is {seed}", "a whole number >= 0")
    if not 1 <= top_k <= n_entities:
        raise ArgumentError("top_k", f"is {top_k}",
                          f"a whole number from 1 to {n_entities} (the number of entities)")

    plan = SamplingPlan.build(assessment, settings)
    engine = Engine(assessment, plan)
    sobol_on = settings.sobol.enabled and plan.dimensions > 0
    total = samples + (design_size(plan.dimensions, len(plan.group_names),
                                   settings.sobol.base_samples) if sobol_on else 0)

    def advance(n: int) -> None:
        if progress is not None:
            progress(n, total)

    stats = run_monte_carlo(engine, assessment.ranks, samples=samples, seed=seed,
                            chunk=settings.chunk, progress=advance)
    median, p05, p95 = (stats.rank_quantile(q) for q in (0.5, 0.05, 0.95))
    score_p05, score_p95 = stats.score_quantile(0.05), stats.score_quantile(0.95)
    p1, pk = stats.p_top(1), stats.p_top(top_k)
    p_missing = stats.p_missing()
    rows = []
    for e in assessment.order():
        rows.append({
            "entity": assessment.entities[e], "rank": _int(assessment.ranks[e]),
            "score": _float(assessment.scores[e]), "median_rank": _int(median[e]),
            "rank_p05": _int(p05[e]), "rank_p95": _int(p95[e]), "p_top1": float(p1[e]),
            "p_topk": float(pk[e]), "score_p05": _float(score_p05[e]),
            "score_p95": _float(score_p95[e]), "p_missing": float(p_missing[e]),
        })
    sobol = []
    if sobol_on:
        sobol = sobol_indices(engine, assessment.entities, assessment.ranks,
                              base_samples=settings.sobol.base_samples, seed=seed,
                              confidence=settings.sobol.confidence,
                              resamples=settings.sobol.resamples, chunk=settings.chunk,
                              progress=advance)
    tipping = find_tipping_points(assessment, grid=settings.tipping_grid) if settings.tipping else []
    model = assessment.model
    labels = {k: k for k in (*model.nodes, *model.indicators)}
    return SensitivityResult(
        samples=samples, seed=seed, top_k=top_k, scale=model.scale,
        groups=plan.group_names, entities=rows,
        mean_abs_rank_shift=float(np.round(stats.mean_abs_rank_shift, 12)), sobol=sobol,
        sobol_base_samples=settings.sobol.base_samples if sobol_on else 0,
        tipping_points=tipping, settings=settings, labels=labels,
        not_varied=tuple(not_varied(assessment)),
    )


def canonical_order(assessment):
    """``assessment`` with its entities sorted by name (the same object if they already are).

    Every random stream of the analysis is dealt out over entities and their
    evidence cells in this order, so the results depend on what the inputs say,
    not on the order they were loaded in (profile file names, CSV row order).
    """
    from dataclasses import replace

    import numpy as np

    order = sorted(range(len(assessment.entities)), key=lambda e: assessment.entities[e])
    if order == list(range(len(order))):
        return assessment
    take = np.array(order, dtype=int)
    return replace(
        assessment, entities=tuple(assessment.entities[e] for e in order),
        **{name: getattr(assessment, name)[take] for name in (
            "raw", "normalised", "imputed", "slots", "coverage", "allocation", "effective",
            "scores", "ranks")})


def _int(value) -> int | None:
    return None if value != value else int(value)


def _float(value) -> float | None:
    return None if value != value else float(value)
