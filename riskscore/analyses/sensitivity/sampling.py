"""Unit-hypercube samples -> assumptions: weights, aggregation, normalisation, missing, evidence.

A ``SamplingPlan`` lists every uncertain input as one column of a unit hypercube
and names its group (``weights:NODE``, ``aggregation``, ``normalisation``,
``missing``, ``evidence``). Two ways in, one way out:

* ``plan.from_unit(U)`` maps a ``(S, D)`` array of numbers in [0, 1) (e.g. a
  Sobol/Saltelli design from ``sobol.design``) to ``Assumptions``: Dirichlet shares by the
  inverse CDF of Gamma(alpha) (``scipy.special.gammaincinv``) then normalised,
  discrete choices by thresholds, evidence values by linear interpolation.
* ``plan.draw(rng, S)`` draws the same distribution from a numpy Generator, with
  ``rng.standard_gamma`` instead of the (slow) Gamma inverse CDF.

Discrete choices use equal-width thresholds: with k choices, ``u`` picks choice
``floor(u * k)``; a node is geometric when ``u < p_geometric``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from riskscore.analyses.sensitivity.settings import (
    MISSING_CHOICES,
    NORMALISATION_CHOICES,
    SensitivitySettings,
)
from riskscore.engine.assessment import Assessment
from riskscore.model.types import MEANS


@dataclass(frozen=True)
class EvidenceCell:
    """One value given as a range: entity row, indicator column and raw bounds."""

    entity: int
    indicator: int
    lower: float
    upper: float


@dataclass(frozen=True)
class Assumptions:
    """One batch of ``S`` draws.

    ``weights``: per hierarchy node (``Hierarchy.node_ids`` order), the child
    shares ``(S, C)`` (varied nodes) or ``(C,)`` (fixed); ``geometric`` ``(S, N)``
    bool; ``normalisation`` ``(S,)`` index into ``NORMALISATION_CHOICES``;
    ``missing`` ``(S,)`` index into ``MISSING_CHOICES``; ``evidence`` ``(S, K)``
    raw values of the plan's evidence cells.
    """

    weights: tuple[np.ndarray, ...]
    geometric: np.ndarray
    normalisation: np.ndarray
    missing: np.ndarray
    evidence: np.ndarray

    @property
    def size(self) -> int:
        return len(self.normalisation)


@dataclass(frozen=True)
class SamplingPlan:
    """The columns of the unit hypercube and how each maps to an assumption."""

    names: tuple[str, ...]                  # one per column, unique
    groups: tuple[str, ...]                 # the group of each column
    base_weights: tuple[np.ndarray, ...]    # per node, configured shares (sum 1)
    weight_columns: dict[int, np.ndarray]   # node index -> its columns
    weight_method: str
    concentration: float
    spread: float
    base_geometric: np.ndarray              # (N,) the model's aggregation
    aggregation_columns: dict[int, int]     # node index -> its column
    p_geometric: float
    normalisations: tuple[int, ...]         # indices into NORMALISATION_CHOICES
    normalisation_column: int | None
    base_normalisation: int
    missing_policies: tuple[int, ...]       # indices into MISSING_CHOICES
    missing_column: int | None
    base_missing: int
    cells: tuple[EvidenceCell, ...]
    evidence_columns: np.ndarray            # (K,) columns, empty when not varied
    set_column: int | None = None           # method "sets": the column choosing a weighting
    set_weights: dict[int, np.ndarray] = field(default_factory=dict)   # node -> (K, C) shares
    set_names: tuple[str, ...] = ()         # the K weightings: "configured", then the sets

    @classmethod
    def build(cls, assessment: Assessment, settings: SensitivitySettings) -> SamplingPlan:
        """Lay out the columns for ``assessment`` under ``settings`` (only what can vary)."""
        model, hierarchy = assessment.model, assessment.hierarchy
        names: list[str] = []
        groups: list[str] = []

        def add(name: str, group: str) -> int:
            names.append(name)
            groups.append(group)
            return len(names) - 1

        weight_columns: dict[int, np.ndarray] = {}
        set_column = None
        set_weights: dict[Any, Any] = {}
        set_names: tuple[str, ...] = ()
        if settings.weights.vary and settings.weights.method == "sets":
            set_names, set_weights = _weight_set_choices(assessment, settings.weights.sets)
            if set_weights:
                set_column = add("weight_set", "weights")
        elif settings.weights.vary:
            for n, node_id in enumerate(hierarchy.node_ids):
                shares = hierarchy.weights[n]
                if (np.count_nonzero(shares > 0) >= 2
                        and hierarchy.rule(n).op not in ("max", "min", "invert", "ratio")):
                    kids = [model.children[node_id][c] for c in range(len(shares))]
                    weight_columns[n] = np.array([add(f"weight:{k}", f"weights:{node_id}")
                                                  for k in kids])
        aggregation_columns: dict[int, int] = {}
        if settings.vary_aggregation:
            for n, node_id in enumerate(hierarchy.node_ids):
                if len(hierarchy.children[n]) >= 2 and hierarchy.rule(n).op in MEANS:
                    aggregation_columns[n] = add(f"aggregation:{node_id}", "aggregation")
        normalisations = tuple(NORMALISATION_CHOICES.index(c) for c in
                               _applicable(settings, model))
        norm_column = add("normalisation", "normalisation") if normalisations else None
        has_missing = bool(np.isnan(assessment.normalised).any())
        policies = tuple(MISSING_CHOICES.index(c) for c in settings.missing_policies)
        missing_column = add("missing", "missing") if policies and has_missing else None
        cells = evidence_cells(assessment) if settings.vary_evidence else ()
        evidence_columns = np.array(
            [add(f"evidence:{assessment.entities[c.entity]}:"
                 f"{hierarchy.indicator_ids[c.indicator]}", "evidence") for c in cells], dtype=int)
        base_missing = model.missing if model.missing in MISSING_CHOICES else "reweight"
        return cls(
            names=tuple(names), groups=tuple(groups), base_weights=hierarchy.weights,
            weight_columns=weight_columns, weight_method=settings.weights.method,
            concentration=settings.weights.concentration, spread=settings.weights.spread,
            base_geometric=np.asarray(hierarchy.geometric, dtype=bool),
            aggregation_columns=aggregation_columns, p_geometric=settings.p_geometric,
            normalisations=normalisations, normalisation_column=norm_column,
            base_normalisation=NORMALISATION_CHOICES.index(model.normalisation),
            missing_policies=policies, missing_column=missing_column,
            base_missing=MISSING_CHOICES.index(base_missing), cells=cells,
            evidence_columns=evidence_columns, set_column=set_column,
            set_weights=set_weights, set_names=set_names,
        )

    @property
    def dimensions(self) -> int:
        return len(self.names)

    @property
    def group_names(self) -> tuple[str, ...]:
        """Distinct groups in column order (the order the Sobol indices are reported in)."""
        return tuple(dict.fromkeys(self.groups))

    def nominal(self, size: int = 1) -> Assumptions:
        """``size`` copies of the configured assumptions (what ``riskscore score`` uses)."""
        return Assumptions(
            weights=self.base_weights,
            geometric=np.broadcast_to(self.base_geometric, (size, len(self.base_geometric))),
            normalisation=np.full(size, self.base_normalisation),
            missing=np.full(size, self.base_missing),
            evidence=np.empty((size, 0)),
        )

    def from_unit(self, unit: np.ndarray, gammas: np.ndarray | None = None) -> Assumptions:
        """Map ``(S, D)`` numbers in [0, 1] to assumptions (Dirichlet by inverse Gamma CDF).

        ``gammas``, if given, is ``gamma_quantiles(unit)`` computed beforehand (a
        Saltelli design repeats most of its rows' values, so the caller can compute
        each quantile once).
        """
        unit = np.clip(np.asarray(unit, dtype=float), 0.0, np.nextafter(1.0, 0.0))
        if gammas is None:
            gammas = self.gamma_quantiles(unit)

        def dirichlet(u: np.ndarray, alpha: np.ndarray, cols: np.ndarray) -> np.ndarray:
            return gammas[:, cols]

        return self._assemble(unit, dirichlet)

    def gamma_quantiles(self, unit: np.ndarray) -> np.ndarray:
        """``(S, D)``: the Gamma(alpha) quantile of each weight column's number (0 elsewhere).

        The inverse CDF is ``scipy.special.gammaincinv(alpha, u)``, what
        ``scipy.stats.gamma.ppf(u, alpha)`` computes, without importing ``scipy.stats``.
        """
        from scipy.special import gammaincinv

        unit = np.clip(np.asarray(unit, dtype=float), 0.0, np.nextafter(1.0, 0.0))
        out = np.zeros(unit.shape)
        if self.weight_method != "dirichlet":
            return out
        for n, cols in self.weight_columns.items():
            alpha = self.concentration * self.base_weights[n]
            positive = alpha > 0
            out[:, cols[positive]] = gammaincinv(alpha[positive], unit[:, cols[positive]])
        return out

    def draw(self, rng: np.random.Generator, size: int,
             gamma_rng: np.random.Generator | None = None) -> Assumptions:
        """``size`` random draws (same distribution as ``from_unit`` of uniforms).

        Uniforms come from ``rng``, Dirichlet Gamma variates from ``gamma_rng``
        (default ``rng``); two streams keep the draws independent of batch sizes.
        """
        unit = rng.random((size, self.dimensions))
        gamma_rng = rng if gamma_rng is None else gamma_rng
        # one Gamma call for all weight columns, consumed row by row: batch-size independent
        columns = np.concatenate([np.zeros(0, dtype=int), *self.weight_columns.values()])
        alpha = np.concatenate([np.zeros(0), *(self.concentration * self.base_weights[n]
                                               for n in self.weight_columns)])
        positive = alpha > 0
        gammas = np.zeros((size, self.dimensions))
        if self.weight_method == "dirichlet" and positive.any():
            gammas[:, columns[positive]] = gamma_rng.standard_gamma(
                alpha[positive], size=(size, int(positive.sum())))

        def dirichlet(u: np.ndarray, alpha: np.ndarray, cols: np.ndarray) -> np.ndarray:
            return gammas[:, cols]

        return self._assemble(unit, dirichlet)

    def _assemble(self, unit: np.ndarray, dirichlet) -> Assumptions:
        size = len(unit)
        weights = list(self.base_weights)
        for n, cols in self.weight_columns.items():
            shares = self.base_weights[n]
            u = unit[:, cols]
            if self.weight_method == "dirichlet":
                raw = dirichlet(u, self.concentration * shares, cols)
            else:
                raw = shares * (1.0 + self.spread * (2.0 * u - 1.0))
            total = raw.sum(axis=1, keepdims=True)
            # a draw whose gammas all underflow to 0 (tiny alpha) keeps the configured shares
            weights[n] = np.where(total > 0, raw / np.where(total > 0, total, 1.0), shares)
        if self.set_column is not None:
            chosen = _choice(unit[:, self.set_column], len(self.set_names))
            for n, candidates in self.set_weights.items():
                weights[n] = candidates[chosen]
        geometric = np.array(np.broadcast_to(self.base_geometric, (size, len(self.base_geometric))))
        for n, col in self.aggregation_columns.items():
            geometric[:, n] = unit[:, col] < self.p_geometric
        normalisation = np.full(size, self.base_normalisation)
        if self.normalisation_column is not None:
            normalisation = np.asarray(self.normalisations)[
                _choice(unit[:, self.normalisation_column], len(self.normalisations))]
        missing = np.full(size, self.base_missing)
        if self.missing_column is not None:
            missing = np.asarray(self.missing_policies)[
                _choice(unit[:, self.missing_column], len(self.missing_policies))]
        if self.cells:
            lower = np.array([c.lower for c in self.cells])
            upper = np.array([c.upper for c in self.cells])
            evidence = lower + unit[:, self.evidence_columns] * (upper - lower)
        else:
            evidence = np.empty((size, 0))
        return Assumptions(tuple(weights), geometric, normalisation, missing, evidence)


def _weight_set_choices(assessment: Assessment, names: tuple[str, ...]
                        ) -> tuple[tuple[str, ...], dict[int, np.ndarray]]:
    """The weightings drawn from under method "sets": the weights scored with, then each
    named set; per node whose shares differ between them, a (K, C) array of shares."""
    from riskscore.engine.aggregate import Hierarchy
    from riskscore.errors import ConfigError
    from riskscore.model.weight_sets import apply_weight_set

    model = assessment.model
    chosen = names or tuple(model.weight_sets)
    if not chosen:
        raise ConfigError("sensitivity settings", "weights.method", "is 'sets' but the model "
                          f"{model.path.name} has no [weight_sets.NAME]",
                          "a model with named weight sets, or method = 'dirichlet'")
    for name in chosen:
        apply_weight_set(model, name, "weights.sets")   # an unknown name: its error
    base = assessment.hierarchy.weights
    candidates = [base, *(Hierarchy.from_model(apply_weight_set(model, name)).weights
                          for name in chosen)]
    varied = {n: np.array([c[n] for c in candidates]) for n in range(len(base))
              if any(not np.allclose(c[n], base[n]) for c in candidates[1:])}
    return ("as scored", *chosen), varied


def _applicable(settings: SensitivitySettings, model) -> tuple[str, ...]:
    """The normalisations to vary: goalposts only if every indicator has goalposts (the
    built-in defaults leave it out then; a settings file that asks for it is refused)."""
    missing = [i for i, ind in model.indicators.items() if not ind.goalposts_given]
    if "goalposts" not in settings.normalisations or not missing:
        return settings.normalisations
    if settings.path is not None:
        from riskscore.errors import ConfigError

        raise ConfigError(settings.path, "normalisation",
                          f"includes 'goalposts', but {', '.join(missing)} declare no goalposts",
                          "normalisations that need none (minmax, zscore, rank, percentile), "
                          "or goalposts on every indicator")
    return tuple(c for c in settings.normalisations if c != "goalposts")


def evidence_cells(assessment: Assessment) -> tuple[EvidenceCell, ...]:
    """Values given as a range or one-sided bound, with the raw interval to draw from.

    A one-sided bound takes the indicator's goalpost as its other end (a lower
    bound runs up to the upper goalpost, an upper bound down to the lower one);
    a bound beyond its goalpost gives an empty interval and the value stays fixed.
    """
    cells = []
    for e, entity in enumerate(assessment.entities):
        for i, ind_id in enumerate(assessment.hierarchy.indicator_ids):
            obs = assessment.observations[(entity, ind_id)]
            if obs.is_missing or (obs.lower is None and obs.upper is None):
                continue
            low_goal, high_goal = assessment.model.indicators[ind_id].goalposts
            if not assessment.model.indicators[ind_id].goalposts_given and (
                    obs.lower is None or obs.upper is None):
                continue   # a one-sided bound needs a goalpost to close it
            if obs.lower is not None and obs.upper is not None:
                lower, upper = obs.lower, obs.upper
            elif obs.lower is not None:
                lower, upper = obs.lower, max(high_goal, obs.lower)
            elif obs.upper is not None:
                lower, upper = min(low_goal, obs.upper), obs.upper
            else:
                continue
            if upper > lower:
                cells.append(EvidenceCell(e, i, float(lower), float(upper)))
    return tuple(cells)


def _choice(u: np.ndarray, k: int) -> np.ndarray:
    return np.minimum((u * k).astype(int), k - 1)


def not_varied(assessment: Assessment) -> list[str]:
    """The model's choices the analysis keeps as configured, in plain words (COINr #60).

    Only weighted arithmetic and geometric means are switched between the two;
    operators that take no weights have none to draw; an indicator with its own
    normalisation keeps it; raw-stage denomination, imputation and treatment stay.
    """
    model, h = assessment.model, assessment.hierarchy
    notes = []
    kept = [f"{node} ({h.rule(n).op})" for n, node in enumerate(h.node_ids)
            if h.rule(n).op not in MEANS]
    if kept:
        notes.append("aggregation kept as configured (only arithmetic and geometric means are "
                     "switched): " + ", ".join(kept))
    weightless = [node for n, node in enumerate(h.node_ids)
                  if h.rule(n).op in ("max", "min", "invert", "ratio")]
    if weightless:
        notes.append("no weights drawn under " + ", ".join(weightless)
                     + " (their operators take no weights)")
    own = [i for i in h.indicator_ids if model.indicators[i].normalisation]
    if own:
        notes.append("normalisation kept for indicators with their own method: " + ", ".join(own))
    prepared = sorted({s.kind for s in assessment.steps})
    if prepared:
        notes.append("raw-stage steps kept as configured: " + ", ".join(prepared))
    return notes
