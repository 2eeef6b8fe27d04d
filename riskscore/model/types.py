"""The scoring model's types: a hierarchy of nodes over indicators, as frozen objects.

``Model``, ``Node``, ``Indicator`` and their parts, with the vocabularies their settings
take (``DIRECTIONS``, ``MEANS`` ...). ``riskscore.model.loader`` reads them from TOML.
The model knows nothing about countries: entities come from profiles or a table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from riskscore.model.choices import Aggregation, Direction, Imputation, MissingPolicy, Normalisation
from riskscore.model.columns import Columns
from riskscore.model.domains import Domain
from riskscore.model.timeline import MaxAge

DIRECTIONS = tuple(d.value for d in Direction)
TRANSFORMS = ("log", "log10", "log1p")
MEANS = ("arithmetic", "geometric")
AGGREGATIONS = tuple(a.value for a in Aggregation)
# Tie rules of rank and percentile: scipy.stats.rankdata's methods. "min" gives Excel's
# PERCENTRANK.INC and SQL's PERCENT_RANK; "average" is the statistician's mid-rank.
TIE_RULES = ("average", "min", "max", "dense")
# A node's aggregated score re-expressed across the entities (the SVI's "percentile rank
# of the sum of percentile ranks").
RESCALES = ("rank", "percentile", "minmax")
FLAG_VALUES = ("normalised", "raw")
FLAG_TESTS = ("at_least", "above", "at_most", "below")
ZERO_RULES = ("floor", "zero", "error")
# Exact contributions are Shapley values over a node's children (2^C evaluations).
MAX_SHAPLEY_CHILDREN = 12
MISSING_POLICIES = tuple(m.value for m in MissingPolicy)
NORMALISATIONS = tuple(n.value for n in Normalisation)
# Bounded methods give 0-1 before the output range; zscore and rank are unbounded.
BOUNDED_NORMALISATIONS = ("goalposts", "minmax", "percentile", "target")
IMPUTATIONS = tuple(i.value for i in Imputation)
TREATMENTS = ("none", "winsorise")
DERIVATIONS = ("supplier_count", "listed_supplier_count", "max_listing_severity",
               "listing_severity_sum")
ROLES = ("surveillance", "telecom")


@dataclass(frozen=True)
class Indicator:
    id: str
    parent: str
    label: str
    unit: str
    direction: str
    goalposts: tuple[float, float]
    weight: float
    transform: str | None = None
    short: str | None = None
    derive: str | None = None
    roles: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    domain: Domain | None = None
    absent_value: float | None = None
    rationale: str | None = None   # why this indicator, these goalposts and this weight
    max_age: MaxAge | None = None   # older observations are missing (default: the index's)
    normalisation: str | None = None   # None: the index's
    target: float | None = None        # normalisation = "target": the value that scores 1
    normalised_range: tuple[float, float] | None = None   # in scale units; None: [0, scale]
    denominator: str | None = None     # divide by this [denominators.ID] value ...
    per: float = 1.0                   # ... and multiply by this (e.g. per 1000 people)
    imputation: str | None = None      # a raw-value imputation (None: the index's)
    group: str | None = None           # group_mean / group_median: the grouping column
    treatment: str | None = None       # outlier treatment (None: the index's)
    codes: tuple[tuple[str, float], ...] = ()   # a table's coded text -> number (``codes``)
    goalposts_given: bool = True       # False: none declared (NaN), the method needs none
    ties: str | None = None            # rank/percentile tie rule (None: the index's)
    decimals: int | None = None        # ``round = d``: the normalised value rounded (scale units)
    flag: Flag | None = None           # a threshold whose passing raises a flag

    def code(self, text: str) -> float | None:
        """The number the coded text ``text`` stands for (exact, then ignoring case), or None."""
        for code, value in self.codes:
            if code == text:
                return value
        folded = text.casefold()
        return next((value for code, value in self.codes if code.casefold() == folded), None)

    @property
    def higher_is_riskier(self) -> bool:
        return self.direction == "higher_is_riskier"

    @property
    def no_risk_value(self) -> float | None:
        """The value a documented absence takes: ``absent_value``, else the no-risk goalpost
        (None without either)."""
        if self.absent_value is not None:
            return self.absent_value
        if not self.goalposts_given:
            return None
        return self.goalposts[0] if self.higher_is_riskier else self.goalposts[1]


@dataclass(frozen=True)
class Flag:
    """``flag = { at_least = 0.9 }``: the indicator raises a flag where its value passes.

    ``test`` is one of ``at_least`` (>=), ``above`` (>), ``at_most`` (<=), ``below`` (<);
    ``on`` is ``normalised`` (scale units, after any rounding) or ``raw`` (the value as
    prepared: after denomination, in the indicator's unit). Only observed values flag.
    """

    test: str
    threshold: float
    on: str = "normalised"

    def passes(self, values: Any) -> Any:
        import numpy as np

        values = np.asarray(values, dtype=float)
        with np.errstate(invalid="ignore"):
            if self.test == "at_least":
                out = values >= self.threshold - 1e-12
            elif self.test == "above":
                out = values > self.threshold + 1e-12
            elif self.test == "at_most":
                out = values <= self.threshold + 1e-12
            else:
                out = values < self.threshold - 1e-12
        return out & ~np.isnan(values)

    def text(self) -> str:
        sign = {"at_least": ">=", "above": ">", "at_most": "<=", "below": "<"}[self.test]
        return f"{self.on} {sign} {self.threshold:g}"


@dataclass(frozen=True)
class Treatment:
    """COINr's outlier rule: an indicator with |skew| >= skew and kurtosis >= kurtosis is
    winsorised point by point (at most ``winmax`` points) until it passes, else the
    original values are log-transformed."""

    skew: float = 2.0
    kurtosis: float = 3.5
    winmax: int = 5


@dataclass(frozen=True)
class Accept:
    """A finding of ``riskscore audit`` the model accepts, with the reason (``[[audit.accept]]``)."""

    code: str
    reason: str
    indicator: str | None = None
    entity: str | None = None


@dataclass(frozen=True)
class Node:
    id: str
    parent: str | None
    label: str
    weight: float
    aggregation: str
    min_coverage: float
    rationale: str | None = None   # why this node and its weight (the index: the whole method)
    power: float | None = None                   # "power": the exponent p
    complement: float | None = None              # "complement_geometric": k, in scale units
    multipliers: tuple[tuple[str, float], ...] = ()   # "max"/"min": per-child multipliers
    numerator: str | None = None                 # "ratio": numerator / denominator
    denominator: str | None = None
    zeros: str = "floor"                         # a zero child of a geometric/harmonic mean
    rescale: str | None = None                   # the aggregate re-expressed across entities
    ties: str | None = None                      # rescale's tie rule (None: the index's)
    decimals: int | None = None                  # ``round = d``: the score rounded (scale units)


@dataclass(frozen=True)
class ScoreClass:
    """A named band of scores: from ``lower`` (inclusive) up to the next band's lower."""

    label: str
    lower: float


@dataclass(frozen=True)
class Model:
    """A validated model. ``children[id]`` lists child ids (nodes or indicators) in file order."""

    path: Path
    sha256: str
    root: str
    nodes: dict[str, Node]
    indicators: dict[str, Indicator]
    children: dict[str, tuple[str, ...]]
    scale: float
    missing: str
    normalisation: str
    geometric_floor: float
    evidence_date: dt.date | None
    registry_path: Path | None
    overrides: dict[str, float] = field(default_factory=dict)
    accepts: tuple[Accept, ...] = ()
    invalid_ids: frozenset[str] = frozenset()   # ids left out for errors (collecting mode only)
    max_age: MaxAge | None = None

    classes: tuple[ScoreClass, ...] = ()
    class_decimals: int | None = None
    denominators: dict[str, Indicator] = field(default_factory=dict)
    group_columns: tuple[str, ...] = ()   # columns.groups (index.groups included)
    columns: Columns = Columns()
    imputation: str = "none"
    treatment: str = "none"
    treatment_rule: Treatment = Treatment()
    weight_sets: dict[str, Any] = field(default_factory=dict)   # name -> WeightSet ([weight_sets.NAME])
    weight_set: str | None = None                     # the set scored with (--weights NAME)
    ties: str = "average"                        # the default tie rule of rank and percentile

    def ties_of(self, item_id: str) -> str:
        """The tie rule of an indicator's rank/percentile or a node's rescale."""
        return self.item(item_id).ties or self.ties

    @property
    def flags(self) -> dict[str, Flag]:
        """The indicators that can raise a flag, in model order."""
        return {k: ind.flag for k, ind in self.indicators.items() if ind.flag is not None}

    def max_age_of(self, indicator_id: str) -> MaxAge | None:
        """The indicator's own max_age, else the model-wide one, else None (no limit)."""
        item = self.indicators.get(indicator_id) or self.denominators[indicator_id]
        return item.max_age or self.max_age

    def imputation_of(self, indicator_id: str) -> str:
        return self.indicators[indicator_id].imputation or self.imputation

    def treatment_of(self, indicator_id: str) -> str:
        return self.indicators[indicator_id].treatment or self.treatment

    def score_class(self, score: float | None) -> str | None:
        """The label of the band ``score`` falls in (after rounding, if the model says so)."""
        if score is None or score != score or not self.classes:
            return None
        if self.class_decimals is not None:
            score = round(score, self.class_decimals)
        label = None
        for band in self.classes:
            if score >= band.lower - 1e-12:
                label = band.label
        return label

    def item(self, node_id: str) -> Node | Indicator:
        """The node or indicator with this id (KeyError if neither)."""
        return self.nodes.get(node_id) or self.indicators[node_id]

    def weight(self, node_id: str) -> float:
        return self.item(node_id).weight

    def parent(self, node_id: str) -> str | None:
        return self.item(node_id).parent

    def label(self, node_id: str) -> str:
        return self.item(node_id).label

    def rationale(self, node_id: str) -> str | None:
        """The model's argument for a node or indicator (``rationale`` in the config), if any."""
        return self.item(node_id).rationale

    def normalised_weight(self, node_id: str) -> float:
        """The node's share of its parent (siblings' weights sum to 1)."""
        parent = self.parent(node_id)
        if parent is None:
            return 1.0
        return self.weight(node_id) / self._sibling_total(parent)

    def _sibling_total(self, parent: str) -> float:
        """The sum of ``parent``'s children's weights, computed once per parent (a model is
        frozen): summing the siblings at every call made wide models quadratic."""
        totals: dict[str, float] | None = self.__dict__.get("_totals")
        if totals is None:
            totals = {}
            object.__setattr__(self, "_totals", totals)
        if parent not in totals:
            totals[parent] = sum(self.weight(s) for s in self.children[parent])
        return totals[parent]

    def path_to_root(self, node_id: str) -> list[str]:
        path = [node_id]
        while (parent := self.parent(path[-1])) is not None:
            path.append(parent)
        return path

    def effective_weight(self, node_id: str) -> float:
        """Product of normalised weights from the root down to ``node_id``."""
        product = 1.0
        for item in self.path_to_root(node_id)[:-1]:
            product *= self.normalised_weight(item)
        return product

    def dimension_of(self, indicator_id: str) -> str:
        """The root's child above an indicator (its top-level dimension)."""
        path = self.path_to_root(indicator_id)
        return path[-2] if len(path) >= 2 else indicator_id

    @property
    def dimensions(self) -> tuple[str, ...]:
        return self.children[self.root]

    def with_weights(self, weights: dict[str, float], overrides: dict[str, float]) -> Model:
        """A copy with new raw weights for the named nodes or indicators."""
        nodes = {k: replace(v, weight=weights.get(k, v.weight)) for k, v in self.nodes.items()}
        indicators = {k: replace(v, weight=weights.get(k, v.weight))
                      for k, v in self.indicators.items()}
        merged = {**self.overrides, **overrides}
        return replace(self, nodes=nodes, indicators=indicators, overrides=merged)
