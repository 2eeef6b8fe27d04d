"""Per-indicator normalisations and output ranges, on cases computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

import riskscore
from riskscore.engine.normalise import percentile_normalise, rank_normalise, zscore_normalise
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
