"""Per-indicator normalisations and output ranges, on cases computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

import riskscore
from riskscore.engine.normalise import (
    minmax_normalise,
    percentile_normalise,
    rank_normalise,
    target_normalise,
    zscore_normalise,
)
from riskscore.errors import ConfigError


def one_indicator(tmp_path, spec: str, values: list[str], *, index: str = "") -> dict:
    model = tmp_path / "m.toml"
    model.write_text(f'[index]\nid = "r"\nscale = 100\n{index}\n'
                     f'[indicators.x]\ngoalposts = [0, 40]\n{spec}\n', encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_text("entity,x\n" + "".join(f"E{k},{v}\n" for k, v in enumerate(values)),
                    encoding="utf-8")
    result = riskscore.assess(model, data=data)
    return {e: float(s) for e, s in zip(result.entities, result.scores, strict=True)}


def test_zscore_by_hand(tmp_path):
    # mean 2, sample sd 1: z = -1, 0, 1 (the score of a lone indicator is its normalised value)
    got = one_indicator(tmp_path, 'normalisation = "zscore"', ["1", "2", "3"])
    assert list(got.values()) == pytest.approx([-1.0, 0.0, 1.0])
    got = one_indicator(tmp_path, 'normalisation = "zscore"\ndirection = "lower_is_riskier"',
                        ["1", "2", "3"])
    assert list(got.values()) == pytest.approx([1.0, 0.0, -1.0])


def test_zscore_matches_scipy_and_handles_a_constant_column():
    values = np.array([[3.0], [7.0], [np.nan], [11.0], [4.0]])
    expected = stats.zscore([3.0, 7.0, 11.0, 4.0], ddof=1)
    got = zscore_normalise(values, np.array([True]))[:, 0]
    assert got[[0, 1, 3, 4]] == pytest.approx(expected)
    assert math.isnan(got[2])
    constant = zscore_normalise(np.array([[5.0], [5.0]]), np.array([True]))
    assert constant.tolist() == [[0.0], [0.0]]


def test_rank_and_percentile_by_hand(tmp_path):
    assert list(one_indicator(tmp_path, 'normalisation = "rank"', ["10", "30", "20"]).values()) \
        == [1.0, 3.0, 2.0]
    # (rank - 1) / (n - 1) on 0-100
    assert list(one_indicator(tmp_path, 'normalisation = "percentile"',
                              ["10", "30", "20"]).values()) == pytest.approx([0.0, 100.0, 50.0])
    ties = rank_normalise(np.array([[5.0], [5.0], [1.0]]), np.array([True]))
    assert ties[:, 0].tolist() == [2.5, 2.5, 1.0]
    lone = percentile_normalise(np.array([[5.0], [np.nan]]), np.array([True]))
    assert lone[0, 0] == 0.5 and math.isnan(lone[1, 0])


def test_distance_to_target_by_hand(tmp_path):
    # min 10, target 40: (x - 10) / 30, capped at 1
    got = one_indicator(tmp_path, 'normalisation = "target"\ntarget = 40', ["10", "30", "20", "70"])
    assert list(got.values()) == pytest.approx([0.0, 200 / 3, 100 / 3, 100.0])


def test_output_range_per_indicator_and_inherited_from_a_node(tmp_path):
    # goalposts 0-40: 20 -> 0.5 -> 1 + 9 * 0.5 = 5.5 on a 0-100 scale
    got = one_indicator(tmp_path, "normalised_range = [1, 10]", ["20", "0"])
    assert list(got.values()) == pytest.approx([5.5, 1.0])
    model = tmp_path / "n.toml"
    model.write_text('[index]\nid = "r"\naggregation = "geometric"\nzeros = "zero"\n'
                     '[nodes.g]\nnormalised_range = [1, 10]\naggregation = "geometric"\n'
                     'zeros = "zero"\n'
                     '[indicators.a]\nparent = "g"\ngoalposts = [0, 1]\n'
                     '[indicators.b]\nparent = "g"\ngoalposts = [0, 1]\n', encoding="utf-8")
    data = tmp_path / "d2.csv"
    data.write_text("entity,a,b\nE,0,1\n", encoding="utf-8")
    # a zero no longer erases the geometric mean (COINr #65): sqrt(1 * 10)
    assert float(riskscore.assess(model, data=data).scores[0]) == pytest.approx(math.sqrt(10))


def test_worst_case_fills_the_top_of_the_range(tmp_path):
    got = one_indicator(tmp_path, "normalised_range = [1, 10]", ["20", ""],
                        index='missing = "worst_case"')
    assert got["E1"] == pytest.approx(10.0)


@pytest.mark.parametrize(("spec", "message"), [
    ('normalisation = "zscore"\nnormalised_range = [1, 10]',
     "indicators.x.normalised_range: is set with the unbounded normalisation 'zscore'"),
    ("target = 5", "indicators.x.target: is set without normalisation = 'target'"),
    ('normalisation = "target"', "indicators.x.normalisation: is 'target' without a target"),
    ('normalisation = "median"', "indicators.x.normalisation: is 'median'"),
    ("normalised_range = [10, 1]", "indicators.x.normalised_range: is [10, 1]"),
])
def test_inapplicable_options_are_refused(tmp_path, spec, message):
    with pytest.raises(ConfigError) as err:
        one_indicator(tmp_path, spec, ["1"])
    assert message in str(err.value)


MIXED = """[index]
id = "r"
scale = 100
{index}
[indicators.a]
goalposts = [0, 40]
[indicators.g]
goalposts = [1, 1000]
transform = "log10"
direction = "lower_is_riskier"
normalised_range = [20, 60]
[indicators.b]
goalposts = [0, 40]
normalisation = "minmax"
[indicators.c]
goalposts = [0, 40]
normalisation = "zscore"
[indicators.d]
goalposts = [1, 10000]
transform = "log10"
normalisation = "target"
target = 1000
[indicators.e]
goalposts = [0, 40]
normalisation = "percentile"
normalised_range = [10, 20]
[indicators.f]
goalposts = [0, 40]
normalisation = "rank"
direction = "lower_is_riskier"
"""
MIXED_DATA = ("entity,a,g,b,c,d,e,f\n"
              "E0,10,10,1,1,10,10,10\n"
              "E1,20,100,3,2,100,30,30\n"
              "E2,60,1000,5,3,10000,20,20\n"
              "E3,,,,,,,\n")
# Each column by its own method, on 0-1 units (scale 100), worked out by hand:
MIXED_EXPECTED = {
    # goalposts [0, 40]: 10/40, 20/40, 60/40 clipped to 1
    "a": [0.25, 0.5, 1.0],
    # log10 on values and goalposts: 1/3, 2/3, 1 of [0, 3]; lower is riskier: 2/3, 1/3, 0;
    # then onto the range [20, 60]: 20 + 40 * p, divided by the scale
    "g": [(20 + 40 * 2 / 3) / 100, (20 + 40 / 3) / 100, 0.2],
    # min-max of 1, 3, 5 = 0, 0.5, 1
    "b": [0.0, 0.5, 1.0],
    # mean 2, sample sd 1: z = -1, 0, 1, kept in z units divided by the scale
    "c": [-0.01, 0.0, 0.01],
    # log10: 1, 2, 4 with the target log10(1000) = 3: (x - 1) / (3 - 1) capped at 1
    "d": [0.0, 0.5, 1.0],
    # percentile (rank - 1) / (n - 1) of 10, 30, 20 = 0, 1, 0.5; onto [10, 20]
    "e": [0.10, 0.20, 0.15],
    # ranks of -10, -30, -20 (lower is riskier) = 3, 1, 2, divided by the scale
    "f": [0.03, 0.01, 0.02],
}


def mixed(tmp_path, index: str = ""):
    model = tmp_path / "mixed.toml"
    model.write_text(MIXED.format(index=index), encoding="utf-8")
    data = tmp_path / "mixed.csv"
    data.write_text(MIXED_DATA, encoding="utf-8")
    return riskscore.assess(model, data=data)


def test_each_indicator_normalised_by_its_own_method_in_one_model(tmp_path):
    result = mixed(tmp_path)
    ids = result.hierarchy.indicator_ids
    assert ids == tuple(MIXED_EXPECTED)
    for column, iid in enumerate(ids):
        assert result.normalised[:3, column].tolist() == pytest.approx(MIXED_EXPECTED[iid],
                                                                       abs=1e-12), iid
        assert math.isnan(result.normalised[3, column]), iid
    # the index is the plain mean of the seven columns (equal weights), on 0-100
    for e in range(3):
        expected = 100 * sum(MIXED_EXPECTED[i][e] for i in ids) / 7
        assert float(result.scores[e]) == pytest.approx(expected, abs=1e-9)
    assert math.isnan(float(result.scores[3]))


@pytest.mark.parametrize(("policy", "expected"), [
    # the top of each bounded column's range (no range: 1); zscore and rank: the observed maximum
    ("worst_case", {"a": 1.0, "g": 0.6, "b": 1.0, "c": 0.01, "d": 1.0, "e": 0.2, "f": 0.03}),
    # the bottom of each range (no range: 0); zscore and rank: the observed minimum
    ("best_case", {"a": 0.0, "g": 0.2, "b": 0.0, "c": -0.01, "d": 0.0, "e": 0.1, "f": 0.01}),
])
def test_worst_and_best_case_fill_each_method_with_its_own_ends(tmp_path, policy, expected):
    result = mixed(tmp_path, f'missing = "{policy}"')
    ids = result.hierarchy.indicator_ids
    filled = dict(zip(ids, result.slots[3, :len(ids)].tolist(), strict=True))
    assert filled == pytest.approx(expected, abs=1e-12)
    assert result.imputed[3].all() and not result.imputed[:3].any()
    assert float(result.scores[3]) == pytest.approx(100 * sum(expected.values()) / 7, abs=1e-9)


def test_distance_to_target_when_the_minimum_is_at_the_target_or_the_span_below_one():
    higher = np.array([True])
    # the minimum is already the target: every entity scores 1 (none is closer than the rest)
    at = target_normalise(np.array([[10.0], [20.0]]), np.array([10.0]), higher)
    assert at[:, 0].tolist() == [1.0, 1.0]
    # target 1, minimum 0.5: a span of 0.5, so (x - 0.5) / 0.5
    small = target_normalise(np.array([[0.5], [0.75], [1.0]]), np.array([1.0]), higher)
    assert small[:, 0].tolist() == pytest.approx([0.0, 0.5, 1.0])


def test_an_all_missing_column_stays_missing_without_a_warning():
    import warnings

    values = np.array([[np.nan, 1.0], [np.nan, 3.0]])
    higher = np.array([True, True])
    with warnings.catch_warnings():
        warnings.simplefilter("error")      # a RuntimeWarning would reach the user's terminal
        results = {
            "zscore": zscore_normalise(values, higher),
            "minmax": minmax_normalise(values, higher),
            "percentile": percentile_normalise(values, higher),
            "rank": rank_normalise(values, higher),
            "target": target_normalise(values, np.array([5.0, 5.0]), higher),
        }
    # the observed column, by hand: mean 2, sample sd sqrt(2), so z = -/+ 1/sqrt(2); target 5
    # from the minimum 1: (x - 1) / 4
    expected = {"zscore": [-1 / math.sqrt(2), 1 / math.sqrt(2)], "minmax": [0.0, 1.0],
                "percentile": [0.0, 1.0], "rank": [1.0, 2.0], "target": [0.0, 0.5]}
    for method, got in results.items():
        assert np.isnan(got[:, 0]).all(), method
        assert got[:, 1].tolist() == pytest.approx(expected[method]), method


@pytest.mark.parametrize(("spec", "values"), [
    ("", ["1", "0", "3"]),                            # goalposts [0, 3]: 1 -> 1/3
    ('normalisation = "minmax"', ["1", "0", "3"]),    # min 0, max 3: 1 -> 1/3
])
def test_a_model_of_one_method_keeps_the_exact_quotient(tmp_path, spec, values):
    # (x - lower) / (upper - lower) as Python computes it: 1/3 itself. Mapping it onto the
    # scale and back, (0 + 100 * (1/3)) / 100, would differ in the last bit.
    model = tmp_path / "m.toml"
    model.write_text(f'[index]\nid = "r"\nscale = 100\n[indicators.x]\ngoalposts = [0, 3]\n{spec}\n',
                     encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_text("entity,x\n" + "".join(f"E{k},{v}\n" for k, v in enumerate(values)),
                    encoding="utf-8")
    result = riskscore.assess(model, data=data)
    assert result.normalised[:, 0].tolist() == [1 / 3, 0.0, 1.0]
