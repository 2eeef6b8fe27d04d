"""The engine on a tiny model computed by hand, and on a published index (the HDI)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from riskscore import assess
from riskscore.errors import DataError
from support import write


def scores(result) -> dict[str, float]:
    return {e: float(s) for e, s in zip(result.entities, result.scores, strict=True)}


def test_tiny_model_by_hand(tiny):
    model, data = tiny
    result = assess(model, data=data)
    # Alpha: x 5/10 = .5, y reversed 1 - 20/100 = .8 -> a = .65; z = 1 -> b = 1;
    #        index = .75 * .65 + .25 * 1 = .7375
    # Beta:  x 1, y 0 -> a = .5; z 0 -> b = 0; index = .375
    # Gamma: x missing, re-weighted: a = y = .5; b = .5; index = .5
    assert scores(result) == pytest.approx({"Alpha": 73.75, "Beta": 37.5, "Gamma": 50.0})
    assert [result.entities[i] for i in result.order()] == ["Alpha", "Gamma", "Beta"]
    alpha = result.index("Alpha")
    # x: .75 * .5 * .5 = .1875; y: .75 * .5 * .8 = .3; z: .25 * 1
    assert result.contribution(alpha, "x") == pytest.approx(18.75)
    assert result.contribution(alpha, "y") == pytest.approx(30.0)
    assert result.contribution(alpha, "z") == pytest.approx(25.0)
    # A node's contribution is the sum of its indicators' contributions.
    assert result.contribution(alpha, "a") == pytest.approx(48.75)
    gamma = result.index("Gamma")
    assert math.isnan(result.contribution(gamma, "x"))
    assert result.contribution(gamma, "y") == pytest.approx(37.5)  # y carries all of a


def test_min_coverage_drops_a_thin_node(tmp_path, tiny):
    model, _ = tiny
    text = model.read_text().replace("[nodes.a]\nweight = 3", "[nodes.a]\nweight = 3\nmin_coverage = 0.6")
    model.write_text(text)
    data = write(tmp_path / "d.csv", "entity,x,y,z\nGamma,,50,1\n")
    result = assess(model, data=data)
    # a has half its weight observed (< 0.6) so it is missing; the index is b alone = 1.
    assert result.scores[0] == pytest.approx(100.0)
    assert math.isnan(result.node_score(0, "a"))


def test_geometric_root_and_its_log_share_decomposition(tiny):
    model, data = tiny
    model.write_text(model.read_text().replace('scale = 100', 'scale = 100\naggregation = "geometric"'))
    result = assess(model, data=data)
    alpha = result.index("Alpha")
    expected = math.exp(0.75 * math.log(0.65) + 0.25 * math.log(1.0))
    assert result.scores[alpha] == pytest.approx(100 * expected)
    # Beta's b = 0 is raised to the floor 0.01: .5 ** .75 * .01 ** .25
    assert scores(result)["Beta"] == pytest.approx(100 * 0.5 ** 0.75 * 0.01 ** 0.25)
    # Shares in log space relative to the floor: t_a = .75 ln(.65/.01), t_b = .25 ln(1/.01)
    t_a, t_b = 0.75 * math.log(65), 0.25 * math.log(100)
    a_part = result.contribution(alpha, "x") + result.contribution(alpha, "y")
    assert a_part == pytest.approx(100 * expected * t_a / (t_a + t_b))
    assert result.contribution(alpha, "z") == pytest.approx(100 * expected * t_b / (t_a + t_b))


@pytest.mark.parametrize("policy, gamma", [
    ("worst_case", 0.75 * 0.75 + 0.25 * 0.5),     # x imputed as 1 -> a = .75
    ("best_case", 0.75 * 0.25 + 0.25 * 0.5),      # x imputed as 0 -> a = (0 + .5) / 2 = .25
    ("mean", 0.75 * (0.75 + 0.5) / 2 + 0.125),     # x imputed as mean(.5, 1) = .75
])
def test_missing_policies_impute_visibly(tiny, policy, gamma):
    model, data = tiny
    model.write_text(model.read_text().replace("scale = 100", f'scale = 100\nmissing = "{policy}"'))
    result = assess(model, data=data)
    g = result.index("Gamma")
    assert result.scores[g] == pytest.approx(100 * gamma)
    assert result.imputed[g, 0] and not result.imputed[g, 1]
    row = next(r for r in result.results() if r["entity"] == "Gamma")
    assert row["missing"][0]["handling"].startswith(f"imputed ({policy})")


def test_missing_policy_fail_names_entity_and_indicator(tiny):
    model, data = tiny
    model.write_text(model.read_text().replace("scale = 100", 'scale = 100\nmissing = "fail"'))
    with pytest.raises(DataError, match=r"Gamma: x: is missing .*'fail'"):
        assess(model, data=data)


def test_minmax_normalisation_over_the_entities(tiny):
    model, data = tiny
    model.write_text(model.read_text().replace("scale = 100", 'scale = 100\nnormalisation = "minmax"'))
    result = assess(model, data=data)
    # x: 5, 10 -> 0, 1; y (lower riskier): 20, 100, 50 -> 1, 0, .625; z: 1, 0, .5
    assert result.normalised[:, 1].tolist() == pytest.approx([1.0, 0.0, 0.625])
    assert scores(result)["Alpha"] == pytest.approx(100 * (0.75 * 0.5 + 0.25))


def test_weight_override_matches_hand_computation(tiny):
    model, data = tiny
    result = assess(model, data=data, weights={"b": 0.5, "x": 0.8})
    # a = b = .5; inside a, x = .8 and y fills .2
    alpha = 0.5 * (0.8 * 0.5 + 0.2 * 0.8) + 0.5 * 1
    beta = 0.5 * (0.8 * 1 + 0.2 * 0) + 0.5 * 0
    assert scores(result)["Alpha"] == pytest.approx(100 * alpha)
    assert scores(result)["Beta"] == pytest.approx(100 * beta)
    nodes = {n["id"]: n for n in result.model_block()["nodes"]}
    assert nodes["b"]["weight"] == pytest.approx(0.5) and nodes["y"]["weight"] == pytest.approx(0.2)


HDI_MODEL = """
[index]
id = "hdi"
label = "Human Development Index (UNDP method since 2010)"
scale = 1
aggregation = "geometric"

[nodes.health]
[nodes.education]
[nodes.income]

[indicators.life_expectancy]
parent = "health"
goalposts = [20, 85]

[indicators.expected_schooling]
parent = "education"
goalposts = [0, 18]

[indicators.mean_schooling]
parent = "education"
goalposts = [0, 15]

[indicators.gni_per_capita]
parent = "income"
goalposts = [100, 75000]
transform = "log"
"""


def test_reproduces_the_published_hdi_2019(tmp_path):
    """UNDP Human Development Report 2020, Table 1 (HDI 2019) and its technical notes.

    Health (LE-20)/65; education = mean(EYS/18, MYS/15) with EYS capped at 18;
    income (ln GNI - ln 100)/(ln 75000 - ln 100); HDI = geometric mean of the three.
    Published HDI values: Norway 0.957, Kazakhstan 0.825, Tajikistan 0.668.
    """
    model = write(tmp_path / "hdi.toml", HDI_MODEL)
    data = write(tmp_path / "hdi.csv", """
        entity,life_expectancy,expected_schooling,mean_schooling,gni_per_capita
        Norway,82.4,18.1,12.9,66494
        Kazakhstan,73.6,15.6,11.9,22857
        Tajikistan,71.1,11.7,10.7,3954
        """)
    result = assess(model, data=data)
    published = {"Norway": 0.957, "Kazakhstan": 0.825, "Tajikistan": 0.668}
    for entity, hdi in published.items():
        assert scores(result)[entity] == pytest.approx(hdi, abs=0.0006), entity
    assert [result.entities[i] for i in result.order()] == ["Norway", "Kazakhstan", "Tajikistan"]
    # Contributions decompose the geometric HDI exactly (a plain sum: a NaN part would fail).
    total = np.sum(result.allocation[:, : len(result.hierarchy.indicator_ids)], axis=1)
    assert total == pytest.approx(result.scores)


@pytest.mark.parametrize("value, lower, upper, unit, expected", [
    (90, 90, 100, "%", "90 (90–100)%"),
    (70, None, None, "% of GDP", "70% of GDP"),
    (22, 20.9, 22, "US$ million", "US$22 (20.9–22) million"),
    (0, None, 1, "code 0-2", "0 (≤1)"),
    (3, None, None, "count", "3"),
    (5, 5, None, "count", "5 (≥5)"),
])
def test_values_are_shown_with_their_bounds_and_units(value, lower, upper, unit, expected):
    from riskscore.engine.assessment import format_value
    from riskscore.model.evidence import Observation

    assert format_value(Observation("X", "i", value, lower, upper), unit) == expected


def test_to_frame_is_the_ranked_table(tiny):
    model, data = tiny
    frame = assess(model, data=data).to_frame()
    assert list(frame.index) == ["Alpha", "Gamma", "Beta"]
    assert list(frame.columns) == ["rank", "score", "a", "b", "coverage"]
    assert frame.loc["Gamma", "score"] == pytest.approx(50.0)
    # Gamma lacks x, which carries half of a (3/4 of the index): 5/8 of the weight observed.
    assert frame.loc["Gamma", "coverage"] == pytest.approx(0.625)


def test_the_model_carries_its_arguments(tiny):
    """``rationale`` on the index, a node and an indicator: prose the report and README quote."""
    model, _ = tiny
    text = model.read_text()
    text = text.replace('scale = 100', 'scale = 100\nrationale = "Why the whole method."', 1)
    text = text.replace("[nodes.a]\nweight = 3", '[nodes.a]\nweight = 3\nrationale = "Why a."')
    text = text.replace('[indicators.x]\n', '[indicators.x]\nrationale = "Why x, 0-10, weight 1."\n')
    model.write_text(text)
    from riskscore.model.loader import load_model

    loaded = load_model(model)
    assert loaded.rationale("risk") == "Why the whole method."
    assert loaded.rationale("a") == "Why a."
    assert loaded.rationale("x") == "Why x, 0-10, weight 1."
    assert loaded.rationale("b") is None and loaded.rationale("y") is None


def test_a_misspelt_rationale_is_an_error(tiny):
    from riskscore.errors import ConfigError
    from riskscore.model.loader import load_model

    model, _ = tiny
    model.write_text(model.read_text().replace("[nodes.a]\nweight = 3",
                                               '[nodes.a]\nweight = 3\nrationle = "typo"'))
    with pytest.raises(ConfigError, match=r"nodes\.a\.rationle: is not a known key"):
        load_model(model)


def test_hierarchy_compiles_the_model_children_first(tiny):
    from riskscore.engine.aggregate import Hierarchy
    from riskscore.model.loader import load_model

    model, _ = tiny
    model.write_text(model.read_text().replace("[nodes.b]\nweight = 1",
                                               '[nodes.b]\nweight = 1\naggregation = "geometric"\n'
                                               "min_coverage = 0.4")
                     .replace("scale = 100", "scale = 100\ngeometric_floor = 0.05"))
    h = Hierarchy.from_model(load_model(model))
    assert h.indicator_ids == ("x", "y", "z") and h.node_ids == ("a", "b", "risk")
    assert h.n_slots == 6
    assert [h.slot(s) for s in ("x", "y", "z", "a", "b", "risk")] == [0, 1, 2, 3, 4, 5]
    assert [c.tolist() for c in h.children] == [[0, 1], [2], [3, 4]]
    assert [w.tolist() for w in h.weights] == [[0.5, 0.5], [1.0], [0.75, 0.25]]
    assert h.geometric.tolist() == [False, True, False]
    assert h.min_coverage.tolist() == [0.0, 0.4, 0.0]
    assert h.floor == 0.05
