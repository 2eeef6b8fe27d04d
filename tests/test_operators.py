"""Each aggregation operator on a case computed by hand, its degenerate cases, and
its exact decomposition (Shapley values where there is no closed form)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import riskscore
from riskscore.engine.shapley import coalition_masks
from riskscore.errors import ConfigError, DataError


def write(tmp_path, node_rule: str, rows: dict[str, list[str]], *, scale: int = 100,
          extra: str = "") -> tuple:
    """A model ``index -> node n (node_rule) -> indicators a, b`` and a data table."""
    model = tmp_path / "m.toml"
    model.write_text(f'[index]\nid = "root"\nscale = {scale}\n{extra}\n'
                     f'[nodes.n]\n{node_rule}\n'
                     '[indicators.a]\nparent = "n"\ngoalposts = [0, 1]\n'
                     '[indicators.b]\nparent = "n"\ngoalposts = [0, 1]\n', encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_text("entity,a,b\n" + "".join(f"{k},{v[0]},{v[1]}\n" for k, v in rows.items()),
                    encoding="utf-8")
    return model, data


def scores(tmp_path, rule, rows, **kw) -> dict[str, float]:
    model, data = write(tmp_path, rule, rows, **kw)
    result = riskscore.assess(model, data=data)
    return {e: float(s) for e, s in zip(result.entities, result.scores, strict=True)}


@pytest.mark.parametrize(("rule", "expected"), [
    # 2 / (1/0.2 + 1/0.8) = 2 / 6.25 = 0.32
    ('aggregation = "harmonic"', 32.0),
    # sqrt((0.2^2 + 0.8^2) / 2) = sqrt(0.34)
    ('aggregation = "power"\npower = 2', 100 * math.sqrt(0.34)),
    # cube root of mean of cubes: ((0.008 + 0.512) / 2) ^ (1/3) = 0.26 ^ (1/3)
    ('aggregation = "power"\npower = 3', 100 * 0.26 ** (1 / 3)),
    # 1 - sqrt((1 - 0.2) * (1 - 0.8)) = 1 - sqrt(0.16) = 0.6 (k = 100 on a 0-100 scale)
    ('aggregation = "complement_geometric"\ncomplement = 100', 60.0),
    # 1.1 - sqrt(0.9 * 0.3) with k = 110
    ('aggregation = "complement_geometric"\ncomplement = 110', 100 * (1.1 - math.sqrt(0.27))),
    ('aggregation = "max"', 80.0),
    ('aggregation = "min"', 20.0),
    # max(0.2, 0.5 * 0.8) = 0.4
    ('aggregation = "max"\nmultipliers = { b = 0.5 }', 40.0),
    # sqrt(0.2 * 0.8) = 0.4
    ('aggregation = "geometric"', 40.0),
])
def test_operator_by_hand(tmp_path, rule, expected):
    assert scores(tmp_path, rule, {"E": ["0.2", "0.8"]})["E"] == pytest.approx(expected, abs=1e-9)


def test_weighted_harmonic_and_power_by_hand(tmp_path):
    model = tmp_path / "m.toml"
    model.write_text('[index]\nid = "r"\naggregation = "harmonic"\n'
                     '[indicators.a]\ngoalposts = [0, 1]\nweight = 3\n'
                     '[indicators.b]\ngoalposts = [0, 1]\nweight = 1\n', encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_text("entity,a,b\nE,0.5,0.25\n", encoding="utf-8")
    # 1 / (0.75 / 0.5 + 0.25 / 0.25) = 1 / 2.5 = 0.4
    assert float(riskscore.assess(model, data=data).scores[0]) == pytest.approx(40.0)


def test_invert_and_ratio_by_hand(tmp_path):
    model = tmp_path / "m.toml"
    model.write_text(
        '[index]\nid = "gain"\nscale = 100\n'
        '[nodes.readiness]\n[nodes.not_vulnerable]\naggregation = "invert"\n'
        '[indicators.r]\nparent = "readiness"\ngoalposts = [0, 1]\n'
        '[indicators.v]\nparent = "not_vulnerable"\ngoalposts = [0, 1]\n', encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_text("entity,r,v\nE,0.6,0.3\n", encoding="utf-8")
    result = riskscore.assess(model, data=data)
    # (0.6 + (1 - 0.3)) / 2 = 0.65: ND-GAIN's 50 * (R - V + 1)
    assert float(result.scores[0]) == pytest.approx(65.0)
    # contributions: r 30 points; v enters as -0.3 / 2 = -15 points; invert keeps its 1 -> 50.
    assert result.contribution(0, "r") == pytest.approx(30.0)
    assert result.contribution(0, "v") == pytest.approx(-15.0)
    assert result.constant_contributions(0) == {"not_vulnerable": pytest.approx(50.0)}

    ratio = tmp_path / "gdi.toml"
    ratio.write_text(
        '[index]\nid = "gdi"\nscale = 1\naggregation = "ratio"\n'
        'numerator = "female"\ndenominator = "male"\n'
        '[nodes.female]\n[nodes.male]\n'
        '[indicators.f]\nparent = "female"\ngoalposts = [0, 1]\n'
        '[indicators.m]\nparent = "male"\ngoalposts = [0, 1]\n', encoding="utf-8")
    data.write_text("entity,f,m\nE,0.5,0.8\n", encoding="utf-8")
    result = riskscore.assess(ratio, data=data)
    assert float(result.scores[0]) == pytest.approx(0.625)
    # Shapley with absent operands at 1: phi_f = ((0.5-1) + (0.625-1.25)) / 2 = -0.5625,
    # phi_m = ((1.25-1) + (0.625-0.5)) / 2 = 0.1875; the constant 1 stays with the node.
    assert result.contribution(0, "f") == pytest.approx(-0.5625)
    assert result.contribution(0, "m") == pytest.approx(0.1875)
    assert result.constant_contributions(0) == {"gdi": pytest.approx(1.0)}


def test_max_shapley_contributions_by_hand(tmp_path):
    model, data = write(tmp_path, 'aggregation = "max"\nmultipliers = { b = 0.5 }',
                        {"E": ["0.6", "0.9"]})
    result = riskscore.assess(model, data=data)
    # v(a) = 0.6, v(b) = 0.45, v(ab) = 0.6: phi_a = (0.6 + 0.15) / 2, phi_b = (0.45 + 0) / 2
    assert result.contribution(0, "a") == pytest.approx(37.5)
    assert result.contribution(0, "b") == pytest.approx(22.5)


@pytest.mark.parametrize("rule", [
    'aggregation = "harmonic"', 'aggregation = "power"\npower = 2',
    'aggregation = "power"\npower = -2', 'aggregation = "complement_geometric"\ncomplement = 110',
    'aggregation = "max"\nmultipliers = { a = 0.7 }', 'aggregation = "min"',
    'aggregation = "geometric"\nzeros = "zero"',
])
def test_contributions_sum_exactly_to_the_score(tmp_path, rule):
    rows = {"E0": ["0.2", "0.8"], "E1": ["0", "0.5"], "E2": ["1", "1"], "E3": ["0.33", "0"],
            "E4": ["0.7", ""]}
    model, data = write(tmp_path, rule, rows)
    result = riskscore.assess(model, data=data)
    for e in range(len(result.entities)):
        parts = [result.contribution(e, i) for i in ("a", "b")]
        observed = [p for p in parts if not math.isnan(p)]
        total = sum(observed) + sum(result.constant_contributions(e).values())
        assert not math.isnan(float(result.scores[e]))
        assert total == pytest.approx(float(result.scores[e]), abs=1e-9)


def test_shapley_coalitions_cover_every_subset_once():
    masks = coalition_masks(3)
    assert masks.shape == (8, 3)
    assert sorted(tuple(row) for row in masks.astype(int).tolist()) == sorted(
        (a, b, c) for a in (0, 1) for b in (0, 1) for c in (0, 1))


def test_zero_rules_of_a_geometric_mean(tmp_path):
    rows = {"E": ["0", "0.64"]}
    floored = scores(tmp_path, 'aggregation = "geometric"', rows)["E"]
    assert floored == pytest.approx(100 * math.sqrt(0.01 * 0.64))       # floor 0.01
    assert scores(tmp_path, 'aggregation = "geometric"\nzeros = "zero"', rows)["E"] == 0.0
    assert scores(tmp_path, 'aggregation = "harmonic"\nzeros = "zero"', rows)["E"] == 0.0
    model, data = write(tmp_path, 'aggregation = "geometric"\nzeros = "error"', rows)
    with pytest.raises(DataError) as err:
        riskscore.assess(model, data=data)
    assert "E: a: is 0 under node 'n'" in str(err.value)
    assert "zeros = 'floor'" in str(err.value)


def test_degenerate_cases(tmp_path):
    # all missing -> the node and the index are missing, never 0
    got = scores(tmp_path, 'aggregation = "max"', {"E": ["", ""], "F": ["0.1", "0.2"]})
    assert math.isnan(got["E"]) and got["F"] == pytest.approx(20.0)
    # a single entity and a constant column are fine for every operator
    for rule in ('aggregation = "harmonic"', 'aggregation = "complement_geometric"',
                 'aggregation = "min"'):
        assert scores(tmp_path, rule, {"E": ["0.5", "0.5"]})["E"] == pytest.approx(50.0)
    # one missing child: re-weighted means use the other; max/min over the available
    assert scores(tmp_path, 'aggregation = "harmonic"', {"E": ["0.4", ""]})["E"] == \
        pytest.approx(40.0)
    assert scores(tmp_path, 'aggregation = "min"', {"E": ["0.4", ""]})["E"] == pytest.approx(40.0)


def test_classes_in_json_and_table(tmp_path):
    extra = '[[classes]]\nlabel = "Low"\nfrom = 0\n[[classes]]\nlabel = "High"\nfrom = 50\n'
    model, data = write(tmp_path, 'aggregation = "max"', {"E": ["0.2", "0.8"], "F": ["0.1", "0.2"]},
                        extra=extra)
    result = riskscore.assess(model, data=data)
    assert {r["entity"]: r["class"] for r in result.results()} == {"E": "High", "F": "Low"}
    assert [r["class"] for r in result.table_rows()] == ["High", "Low"]
    assert result.model_block()["classes"] == [{"label": "Low", "from": 0.0},
                                               {"label": "High", "from": 50.0}]


@pytest.mark.parametrize(("rule", "message"), [
    ('aggregation = "arithmetic"\npower = 2',
     "nodes.n.power: is set on a node whose aggregation is 'arithmetic'"),
    ('aggregation = "power"', "nodes.n.power: is missing"),
    ('aggregation = "power"\npower = 0', "nodes.n.power: is 0"),
    ('aggregation = "max"\nmultipliers = { z = 2 }',
     "nodes.n.multipliers.z: names 'z', which is not a child of n"),
    ('aggregation = "invert"', "nodes.n.aggregation: is 'invert' over 2 children"),
    ('aggregation = "ratio"\nnumerator = "a"', "nodes.n.denominator: is missing"),
    ('aggregation = "ratio"\nnumerator = "a"\ndenominator = "a"',
     "nodes.n.aggregation: is 'ratio' over 2 children"),
    ('aggregation = "mean"', "nodes.n.aggregation: is 'mean'"),
    ('aggregation = "arithmetic"\nzeros = "floor"',
     "nodes.n.zeros: is set on a node whose aggregation is 'arithmetic'"),
    ('aggregation = "geometric"\nzeros = "skip"', "nodes.n.zeros: is 'skip'"),
    ('aggregation = "max"\nmultipliers = { a = -1 }', "nodes.n.multipliers.a: is -1"),
])
def test_unknown_or_inapplicable_options_are_refused_with_the_key_path(tmp_path, rule, message):
    model, data = write(tmp_path, rule, {"E": ["0.2", "0.8"]})
    with pytest.raises(ConfigError) as err:
        riskscore.assess(model, data=data)
    assert message in str(err.value)


def test_too_many_children_for_an_exact_shapley_split_is_refused(tmp_path):
    model = tmp_path / "m.toml"
    model.write_text('[index]\nid = "r"\naggregation = "max"\n' + "".join(
        f"[indicators.i{k}]\ngoalposts = [0, 1]\n" for k in range(13)), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        riskscore.assess(model, data=tmp_path / "none.csv")
    assert "at most 12 children" in str(err.value)


def test_classes_must_increase(tmp_path):
    extra = '[[classes]]\nlabel = "A"\nfrom = 50\n[[classes]]\nlabel = "B"\nfrom = 10\n'
    model, data = write(tmp_path, 'aggregation = "max"', {"E": ["0.2", "0.8"]}, extra=extra)
    with pytest.raises(ConfigError) as err:
        riskscore.assess(model, data=data)
    assert "classes[1].from: is 10, not above the previous band's 50" in str(err.value)


def test_means_only_flag_tells_the_fast_paths_apart(tmp_path):
    from riskscore.engine.aggregate import Hierarchy
    from riskscore.model.loader import load_model

    model, _ = write(tmp_path, 'aggregation = "geometric"', {"E": ["0.2", "0.8"]})
    assert Hierarchy.from_model(load_model(model)).means_only
    model, _ = write(tmp_path, 'aggregation = "max"', {"E": ["0.2", "0.8"]})
    hierarchy = Hierarchy.from_model(load_model(model))
    assert not hierarchy.means_only
    assert np.array_equal(hierarchy.geometric, [False, False])


# ---- node_value, the one-node kernel, by hand on every operator ---------------------------

def _node(rule, child, weights):
    from riskscore.engine.aggregate import node_value

    child = np.array([child], dtype=float)
    available = ~np.isnan(child)
    w = np.array(weights, dtype=float)[None, :]
    w_avail = np.where(available, w, 0.0)
    return float(node_value(rule, child, available, w_avail, w_avail.sum(axis=-1), 0.01)[0])


@pytest.mark.parametrize("rule, child, weights, expected", [
    # Weighted means re-weight over the available children: (1 * .2 + 3 * .6) / 4 = .5
    (("arithmetic",), [0.2, 0.6, np.nan], [1, 3, 5], 0.5),
    # exp((ln .25 + ln 1) / 2) = .5; a zero child is raised to the floor .01 (rule "floor").
    (("geometric",), [0.25, 1.0, np.nan], [1, 1, 9], 0.5),
    (("geometric",), [0.0, 1.0], [1, 1], 0.1),
    # ... or kept (rule "zero"): the mean is 0.
    (("geometric", 1.0, 1.0, None, "zero"), [0.0, 1.0], [1, 1], 0.0),
    # Harmonic: 2 / (1/.25 + 1/1) = .4; power 2: sqrt((.36 + .64) / 2)
    (("harmonic",), [0.25, 1.0], [1, 1], 0.4),
    (("power", 2.0), [0.6, 0.8], [1, 1], math.sqrt(0.5)),
    (("harmonic", 1.0, 1.0, None, "zero"), [0.0, 1.0], [1, 1], 0.0),
    # Complement geometric, k = 1: 1 - sqrt(.5 * .5) = .5 for children .5, .5;
    # 1 - sqrt((1 - .2)(1 - .6)) for .2, .6 (weights equal).
    (("complement_geometric",), [0.2, 0.6], [1, 1], 1 - math.sqrt(0.8 * 0.4)),
    (("max",), [0.2, 0.6, np.nan], [1, 1, 1], 0.6),
    (("min",), [0.2, 0.6, np.nan], [1, 1, 1], 0.2),
    (("max", 1.0, 1.0, np.array([2.0, 1.0])), [0.4, 0.6], [1, 1], 0.8),
    (("invert",), [0.3], [1], 0.7),
    (("ratio", 1.0, 1.0, None, "floor", (1, 0)), [0.8, 0.2], [1, 1], 0.25),
])
def test_node_value_by_hand(rule, child, weights, expected):
    from riskscore.engine.aggregate import NodeRule

    assert _node(NodeRule(*rule), child, weights) == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_node_value_missing_cases():
    from riskscore.engine.aggregate import NodeRule

    assert math.isnan(_node(NodeRule("max"), [np.nan, np.nan], [1, 1]))
    assert math.isnan(_node(NodeRule("ratio"), [0.5, 0.0], [1, 1]))      # denominator 0
    with pytest.raises(ValueError, match="unknown aggregation 'median'"):
        _node(NodeRule("median"), [0.5], [1])


def test_zeros_error_names_the_first_zero_child_and_counts_the_others(tmp_path):
    model = tmp_path / "m.toml"
    model.write_text('[index]\nid = "root"\naggregation = "geometric"\nzeros = "error"\n'
                     '[nodes.n]\n'
                     '[indicators.a]\nparent = "n"\ngoalposts = [0, 1]\n'
                     '[indicators.b]\nparent = "n"\ngoalposts = [0, 1]\n'
                     '[indicators.c]\ngoalposts = [0, 1]\n', encoding="utf-8")
    data = tmp_path / "d.csv"
    expected = ("whose aggregation 'geometric' declares zeros = 'error'{more}; expected a "
                "positive value, or zeros = 'floor' (raise to the geometric floor) or 'zero' "
                "(the mean becomes 0) on that node")
    # The root's children are n (nodes come first) and c. E1's n (the mean of 0 and 0) and c
    # are 0, and E2's c: three zeros, the first is E1's node n.
    data.write_text("entity,a,b,c\nE0,0.5,0.5,0.5\nE1,0,0,0\nE2,0.5,0.5,0\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        riskscore.assess(model, data=data)
    assert str(err.value) == "E1: n: is 0 under node 'root', " + expected.format(
        more=" (and 2 more)")
    data.write_text("entity,a,b,c\nE0,0.5,0.5,0.5\nE1,0.5,0.5,0\nE2,0.5,0.5,0\n",
                    encoding="utf-8")
    with pytest.raises(DataError) as err:
        riskscore.assess(model, data=data)
    assert str(err.value) == "E1: c: is 0 under node 'root', " + expected.format(
        more=" (and 1 more)")
    data.write_text("entity,a,b,c\nE0,0.5,0.5,0.5\nE1,0.5,0.5,0\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        riskscore.assess(model, data=data)
    assert str(err.value) == "E1: c: is 0 under node 'root', " + expected.format(more="")
    # a zero under a node without the rule is no error (n is an arithmetic mean)
    data.write_text("entity,a,b,c\nE0,0,0.5,0.5\n", encoding="utf-8")
    # sqrt(0.25 * 0.5): n = 0.25
    assert float(riskscore.assess(model, data=data).scores[0]) == pytest.approx(
        100 * math.sqrt(0.125))


# ---- the decomposition's edge cases, batches and floating-point hygiene -------------------

def test_ratio_operands_follow_the_names_not_the_order_of_the_children(tmp_path):
    # The denominator is declared first, so it is the ratio node's first child.
    model = tmp_path / "gdi.toml"
    model.write_text(
        '[index]\nid = "gdi"\nscale = 1\naggregation = "ratio"\n'
        'numerator = "female"\ndenominator = "male"\n'
        '[nodes.male]\n[nodes.female]\n'
        '[indicators.m]\nparent = "male"\ngoalposts = [0, 1]\n'
        '[indicators.f]\nparent = "female"\ngoalposts = [0, 1]\n', encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_text("entity,m,f\nE,0.8,0.5\n", encoding="utf-8")
    result = riskscore.assess(model, data=data)
    assert float(result.scores[0]) == pytest.approx(0.5 / 0.8)     # female / male
    # the Shapley split of test_invert_and_ratio_by_hand, whatever the order
    assert result.contribution(0, "f") == pytest.approx(-0.5625)
    assert result.contribution(0, "m") == pytest.approx(0.1875)


def test_max_of_three_children_shapley_by_hand(tmp_path):
    model = tmp_path / "m.toml"
    model.write_text('[index]\nid = "root"\naggregation = "max"\n'
                     + "".join(f"[indicators.{c}]\ngoalposts = [0, 1]\n" for c in "abc"),
                     encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_text("entity,a,b,c\nE,0.2,0.5,0.8\n", encoding="utf-8")
    result = riskscore.assess(model, data=data)
    # max over the present children (absent = 0). Sorted x1 .2 < x2 .5 < x3 .8, each child's
    # Shapley value is its share of the increments it completes: the first .2 is split three
    # ways, the step .2 -> .5 two ways (b, c), the step .5 -> .8 goes to c alone.
    assert float(result.scores[0]) == pytest.approx(80.0)
    assert result.contribution(0, "a") == pytest.approx(100 * 0.2 / 3)
    assert result.contribution(0, "b") == pytest.approx(100 * (0.2 / 3 + 0.3 / 2))
    assert result.contribution(0, "c") == pytest.approx(100 * (0.2 / 3 + 0.3 / 2 + 0.3))


def test_an_invert_node_scoring_zero_passes_zero_to_its_child(tmp_path):
    model = tmp_path / "m.toml"
    model.write_text('[index]\nid = "root"\n[nodes.inv]\naggregation = "invert"\n'
                     '[indicators.v]\nparent = "inv"\ngoalposts = [0, 1]\n'
                     '[indicators.r]\ngoalposts = [0, 1]\n', encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_text("entity,v,r\nE,1,0.6\n", encoding="utf-8")
    result = riskscore.assess(model, data=data)
    # inv = 1 - 1 = 0; the root is (0 + 0.6) / 2 = 0.3: r holds all 30 points, v none
    assert float(result.scores[0]) == pytest.approx(30.0)
    assert result.contribution(0, "r") == pytest.approx(30.0)
    assert result.contribution(0, "v") == 0.0
    assert result.constant_contributions(0) == {}


@pytest.mark.parametrize("rule, child", [
    # a weight-0 child at the value that is singular for the operator (log 0, 1/0) is left out
    (("geometric", 1.0, 1.0, None, "zero"), [0.5, 0.0]),
    (("harmonic", 1.0, 1.0, None, "zero"), [0.5, 0.0]),
    (("power", -2.0, 1.0, None, "zero"), [0.5, 0.0]),
    (("complement_geometric",), [0.5, 1.0]),
])
def test_a_child_of_weight_zero_never_counts(rule, child):
    from riskscore.engine.aggregate import NodeRule

    # weights 1 and 0: every mean is the first child's value, 0.5
    assert _node(NodeRule(*rule), child, [1, 0]) == pytest.approx(0.5, rel=1e-12)


@pytest.mark.parametrize("rule, child", [
    (("geometric", 1.0, 1.0, None, "zero"), [0.0, 1.0]),
    (("harmonic", 1.0, 1.0, None, "zero"), [0.0, 1.0]),
    (("complement_geometric",), [1.0, 0.2]),
    (("ratio",), [0.5, 0.0]),
])
def test_singular_children_raise_no_floating_point_warning(rule, child):
    import warnings

    from riskscore.engine.aggregate import NodeRule

    with warnings.catch_warnings():
        warnings.simplefilter("error")        # a RuntimeWarning would reach the user's terminal
        value = _node(NodeRule(*rule), child, [1, 1])
    # a zero child makes these means 0; 1 - sqrt(0 * 0.8) = 1; a zero denominator: missing
    expected = {"geometric": 0.0, "harmonic": 0.0, "complement_geometric": 1.0}
    if rule[0] == "ratio":
        assert math.isnan(value)
    else:
        assert value == expected[rule[0]]


def test_scoring_and_decomposing_degenerate_nodes_raise_no_warning(tmp_path):
    import warnings

    model = tmp_path / "m.toml"
    model.write_text('[index]\nid = "root"\n'
                     '[nodes.n]\n[nodes.m]\n[nodes.h]\naggregation = "harmonic"\nzeros = "zero"\n'
                     '[indicators.a]\nparent = "n"\ngoalposts = [0, 1]\n'
                     '[indicators.z]\nparent = "n"\ngoalposts = [0, 1]\nweight = 0\n'
                     '[indicators.b]\nparent = "m"\ngoalposts = [0, 1]\n'
                     '[indicators.c]\nparent = "m"\ngoalposts = [0, 1]\n'
                     '[indicators.d]\nparent = "h"\ngoalposts = [0, 1]\n'
                     '[indicators.e]\nparent = "h"\ngoalposts = [0, 1]\n', encoding="utf-8")
    data = tmp_path / "d.csv"
    # E0: n = 0 although its weight-0 child z is not; m has no child; h = 0 (a zero child)
    data.write_text("entity,a,z,b,c,d,e\nE0,0,0.5,,,0,0.5\nE1,0.5,0.5,0.5,0.5,0.5,0.5\n",
                    encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = riskscore.assess(model, data=data)
    assert result.scores.tolist() == pytest.approx([0.0, 50.0])
    assert [result.contribution(0, i) for i in "azde"] == [0.0] * 4
    assert math.isnan(result.contribution(0, "b")) and math.isnan(result.contribution(0, "c"))
    # E1: every node .5, each of n, m, h a third of 50; z weighs nothing
    assert [result.contribution(1, i) for i in "azbcde"] == pytest.approx(
        [50 / 3, 0.0, 25 / 3, 25 / 3, 25 / 3, 25 / 3])


RULES = [("arithmetic",), ("geometric",), ("harmonic",), ("power", 2.0),
         ("complement_geometric",), ("max", 1.0, 1.0, np.array([1.0, 0.5, 2.0])), ("min",),
         ("ratio", 1.0, 1.0, None, "floor", (2, 0))]


@pytest.mark.parametrize("rule", RULES, ids=[r[0] for r in RULES])
def test_node_value_of_a_batch_equals_each_entity_alone(rule):
    from riskscore.engine.aggregate import NodeRule, node_value

    rng = np.random.default_rng(7)
    child = rng.uniform(0.05, 1.0, size=(2, 3, 3))        # 2 samples, 3 entities, 3 children
    child[0, 1, 1] = np.nan
    w = np.array([1.0, 2.0, 3.0])
    available = ~np.isnan(child)
    w_avail = np.where(available, w, 0.0)
    batch = node_value(NodeRule(*rule), child, available, w_avail, w_avail.sum(axis=-1), 0.01)
    assert batch.shape == (2, 3)
    for s in range(2):
        for e in range(3):
            one = child[s, e][None, :]
            ok = ~np.isnan(one)
            wa = np.where(ok, w, 0.0)
            alone = node_value(NodeRule(*rule), one, ok, wa, wa.sum(axis=-1), 0.01)
            assert alone.shape == (1,)
            np.testing.assert_allclose(batch[s, e], alone[0], rtol=1e-12)


def test_shapley_decomposition_of_a_batch_equals_each_sample_alone(tmp_path):
    from riskscore.engine.aggregate import Hierarchy, aggregate, decompose_nodes
    from riskscore.model.loader import load_model

    model = tmp_path / "m.toml"
    model.write_text('[index]\nid = "root"\n'
                     '[nodes.h]\naggregation = "harmonic"\n[nodes.x]\naggregation = "max"\n'
                     '[nodes.inv]\nparent = "x"\naggregation = "invert"\n'
                     '[indicators.a]\nparent = "h"\ngoalposts = [0, 1]\n'
                     '[indicators.b]\nparent = "h"\ngoalposts = [0, 1]\n'
                     '[indicators.c]\nparent = "x"\ngoalposts = [0, 1]\n'
                     '[indicators.d]\nparent = "inv"\ngoalposts = [0, 1]\n', encoding="utf-8")
    hierarchy = Hierarchy.from_model(load_model(model))
    rng = np.random.default_rng(3)
    values = rng.uniform(0.05, 1.0, size=(4, 3, 4))       # 4 samples, 3 entities, 4 indicators
    values[1, 2, 0] = np.nan
    slots, _ = aggregate(hierarchy, values)
    batch = decompose_nodes(hierarchy, slots)
    for s in range(4):
        one = decompose_nodes(hierarchy, aggregate(hierarchy, values[s])[0])
        for part in ("allocation", "effective", "constant"):
            np.testing.assert_allclose(getattr(batch, part)[s], getattr(one, part), rtol=1e-12,
                                       equal_nan=True, err_msg=part)
    # and the parts add up to each score: indicators plus the invert node's constant
    total = np.nansum(batch.allocation[..., :4], axis=-1) + batch.constant.sum(axis=-1)
    np.testing.assert_allclose(total, slots[..., -1], rtol=1e-12)
