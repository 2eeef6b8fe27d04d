"""Every operator on the degenerate inputs the field's tools trip over (COINr #19, #53):
a constant column, a column nobody reported, a single entity, a zero in a mean.

Expected values follow from each method's documented rule, worked out by hand in the
comments; none is read back from the program. A missing value must stay missing (NaN),
never turn into a silent zero, and no case may raise.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import riskscore
from riskscore.engine.prepare.treat import treat
from riskscore.model.types import Treatment


def assess(tmp_path, spec: str, rows: dict[str, tuple[str, str]], *, index: str = ""):
    """A model ``index (arithmetic, reweight) -> x (spec), y (goalposts 0-10)`` on a table."""
    model = tmp_path / "m.toml"
    model.write_text(f'[index]\nid = "r"\nscale = 100\n{index}\n'
                     f'[indicators.x]\ngoalposts = [0, 40]\n{spec}\n'
                     '[indicators.y]\ngoalposts = [0, 10]\n', encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_text("entity,x,y\n" + "".join(f"{e},{x},{y}\n" for e, (x, y) in rows.items()),
                    encoding="utf-8")
    return riskscore.assess(model, data=data)


def normalised_x(result) -> list[float]:
    """x's normalised values as fractions of the scale (score points / 100)."""
    column = result.hierarchy.indicator_ids.index("x")
    return [float(v) for v in result.normalised[:, column]]


# x = 5 for three entities. Bounded methods are on [0, 1]; rank is the average rank in
# score points, so a fraction rank / 100 of the scale.
CONSTANT = [
    ("", 5 / 40),                                   # goalposts: (5 - 0) / (40 - 0)
    ('normalisation = "minmax"', 0.5),              # one distinct value -> 0.5
    ('normalisation = "zscore"', 0.0),              # no spread -> the mean, 0
    ('normalisation = "rank"', 2 / 100),            # ranks 1, 2, 3 tied -> (1 + 2 + 3) / 3
    ('normalisation = "percentile"', 0.5),          # (2 - 1) / (3 - 1)
    ('normalisation = "target"\ntarget = 20', 0.0),  # (5 - min 5) / (20 - 5)
    ('normalisation = "target"\ntarget = 4', 1.0),   # the minimum is past the target
]


@pytest.mark.parametrize(("spec", "expected"), CONSTANT, ids=lambda v: str(v).split("\n")[0])
def test_a_constant_column(tmp_path, spec, expected):
    result = assess(tmp_path, spec, {"A": ("5", "1"), "B": ("5", "2"), "C": ("5", "3")})
    assert normalised_x(result) == pytest.approx([expected] * 3)


# A single entity: the same rules with n = 1.
SINGLE = [
    ("", 5 / 40),
    ('normalisation = "minmax"', 0.5),
    ('normalisation = "zscore"', 0.0),              # fewer than two values -> 0
    ('normalisation = "rank"', 1 / 100),
    ('normalisation = "percentile"', 0.5),
    ('normalisation = "target"\ntarget = 20', 0.0),
]


@pytest.mark.parametrize(("spec", "expected"), SINGLE, ids=lambda v: str(v).split("\n")[0])
def test_a_single_entity(tmp_path, spec, expected):
    result = assess(tmp_path, spec, {"A": ("5", "4")})
    assert normalised_x(result) == pytest.approx([expected])
    assert list(result.ranks) == [1]


@pytest.mark.parametrize("spec", [spec for spec, _ in CONSTANT], ids=lambda v: v.split("\n")[0])
def test_a_column_nobody_reported_stays_missing(tmp_path, spec):
    # x is missing everywhere: under reweight the index is y alone, y / 10 on 0-100.
    result = assess(tmp_path, spec, {"A": ("", "2"), "B": ("", "5")})
    assert all(math.isnan(v) for v in normalised_x(result))
    assert [float(s) for s in result.scores] == pytest.approx([20.0, 50.0])
    for entity in range(2):
        assert math.isnan(result.contribution(entity, "x"))          # not counted, not 0
        assert result.contribution(entity, "y") == pytest.approx(float(result.scores[entity]))
        assert result.missing_handling(entity, "x").startswith("left out")


@pytest.mark.parametrize("missing", ["worst_case", "best_case", "mean"])
def test_missing_rules_on_a_column_nobody_reported(tmp_path, missing):
    # worst case fills 1, best case 0: the index is the mean of that and y / 10.
    # "mean" has no other entity to average: the cell stays missing and y carries it.
    result = assess(tmp_path, "", {"A": ("", "2"), "B": ("", "6")},
                    index=f'missing = "{missing}"')
    filled = {"worst_case": 1.0, "best_case": 0.0, "mean": None}[missing]
    if filled is None:
        assert [float(s) for s in result.scores] == pytest.approx([20.0, 60.0])
    else:
        assert [float(s) for s in result.scores] == pytest.approx(
            [100 * (filled + 0.2) / 2, 100 * (filled + 0.6) / 2])


@pytest.mark.parametrize("imputation", ["mean", "median", "worst_case"])
def test_imputation_of_a_column_nobody_reported_imputes_nothing(tmp_path, imputation):
    result = assess(tmp_path, f'imputation = "{imputation}"', {"A": ("", "2"), "B": ("", "6")})
    assert not result.imputed.any()
    assert all(math.isnan(v) for v in normalised_x(result))
    assert [float(s) for s in result.scores] == pytest.approx([20.0, 60.0])


@pytest.mark.parametrize("column", [
    [5.0, 5.0, 5.0, 5.0],            # constant: skewness undefined, nothing to treat
    [7.0],                           # a single entity
    [np.nan, np.nan, np.nan],        # nobody reported
    [1.0, np.nan, 3.0],              # two values
], ids=["constant", "single", "all-missing", "two-values"])
def test_outlier_treatment_leaves_degenerate_columns_alone(column):
    column = np.array(column)
    out, _, notes = treat(column, Treatment())
    assert np.array_equal(out, column, equal_nan=True)
    assert notes == [None] * len(column)


@pytest.mark.parametrize(("rule", "expected"), [
    # x = 0 normalises to 0; y = 5 to 0.5. Weighted means with equal weights:
    ('aggregation = "geometric"', 100 * math.sqrt(0.01 * 0.5)),   # 0 raised to the floor 0.01
    ('aggregation = "geometric"\nzeros = "zero"', 0.0),
    ('aggregation = "harmonic"\nzeros = "zero"', 0.0),
    # the power mean floors a zero too (zeros = "floor" is the default for all three)
    ('aggregation = "power"\npower = 2', 100 * math.sqrt((0.01 ** 2 + 0.25) / 2)),
    # kept as 0, the zero enters a p > 0 power mean as it is (only p <= 0 collapses to 0)
    ('aggregation = "power"\npower = 2\nzeros = "zero"', 100 * math.sqrt((0 + 0.25) / 2)),
    ('aggregation = "complement_geometric"', 100 * (1 - math.sqrt(1 * 0.5))),
    ('aggregation = "min"', 0.0),
    ('aggregation = "max"', 50.0),
])
def test_a_zero_in_every_mean(tmp_path, rule, expected):
    with warnings.catch_warnings():   # log(0), 0/0: handled, never a RuntimeWarning on stderr
        warnings.simplefilter("error")
        result = assess(tmp_path, "", {"A": ("0", "5")}, index=rule)
    assert float(result.scores[0]) == pytest.approx(expected)


@pytest.mark.parametrize("rule", ['aggregation = "max"', 'aggregation = "arithmetic"',
                                  'aggregation = "harmonic"'])
def test_a_node_whose_only_available_child_weighs_nothing_is_missing(tmp_path, rule):
    # a weighs 0 and is reported; b weighs 1 and is missing; min_coverage = 0 lets any
    # coverage through. A weight-0 child never counts, so nothing counts: the node (the
    # index) is missing, not max(a) = 80 and not 0.
    model = tmp_path / "m.toml"
    model.write_text(f'[index]\nid = "r"\nscale = 100\nmin_coverage = 0\n{rule}\n'
                     '[indicators.a]\ngoalposts = [0, 1]\nweight = 0\n'
                     '[indicators.b]\ngoalposts = [0, 1]\nweight = 1\n', encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_text("entity,a,b\nE,0.8,\nF,0.8,0.5\n", encoding="utf-8")
    result = riskscore.assess(model, data=data)
    assert math.isnan(float(result.scores[0]))
    assert float(result.scores[1]) == pytest.approx(50.0)     # b alone: 0.5
