"""The model's named choices as enums; their string values are accepted wherever they are.

``Direction.LOWER_IS_RISKIER == "lower_is_riskier"``: each is a ``StrEnum``, so a
model file's text, a Python string and a member are interchangeable, and the loader's
lists of valid values (``riskscore.model.types.DIRECTIONS`` ...) are read from here.
"""

from __future__ import annotations

from enum import StrEnum


class Direction(StrEnum):
    """Which end of an indicator is risky."""

    HIGHER_IS_RISKIER = "higher_is_riskier"
    LOWER_IS_RISKIER = "lower_is_riskier"


class Normalisation(StrEnum):
    """How raw values become 0-1 (``normalisation`` of the index or an indicator)."""

    GOALPOSTS = "goalposts"
    MINMAX = "minmax"
    ZSCORE = "zscore"
    RANK = "rank"
    PERCENTILE = "percentile"
    TARGET = "target"


class Aggregation(StrEnum):
    """How a node combines its children (``aggregation`` of the index or a node)."""

    ARITHMETIC = "arithmetic"
    GEOMETRIC = "geometric"
    HARMONIC = "harmonic"
    POWER = "power"
    COMPLEMENT_GEOMETRIC = "complement_geometric"
    MAX = "max"
    MIN = "min"
    INVERT = "invert"
    RATIO = "ratio"
    SUM = "sum"


class MissingPolicy(StrEnum):
    """What a missing value becomes (``missing`` of the index)."""

    REWEIGHT = "reweight"
    FAIL = "fail"
    WORST_CASE = "worst_case"
    BEST_CASE = "best_case"
    MEAN = "mean"


class Imputation(StrEnum):
    """A raw-value imputation before normalising (``imputation``)."""

    NONE = "none"
    MEAN = "mean"
    MEDIAN = "median"
    GROUP_MEAN = "group_mean"
    GROUP_MEDIAN = "group_median"
    WORST_CASE = "worst_case"
