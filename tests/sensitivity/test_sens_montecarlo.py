"""Monte Carlo ranks: known answers, the fast kernel against aggregate(), determinism."""

from __future__ import annotations

import dataclasses
import json
import textwrap
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import riskscore
import riskscore.cli.main
from riskscore.analyses.sensitivity import SensitivitySettings, run_sensitivity
from riskscore.analyses.sensitivity.montecarlo import Engine, run_monte_carlo
from riskscore.analyses.sensitivity.sampling import SamplingPlan, evidence_cells
from riskscore.cli.sensitivity import sensitivity

MODEL = """
[index]
id = "risk"
min_coverage = 0.0

[nodes.a]
weight = 2

[nodes.b]
weight = 1

[indicators.x]
parent = "a"
goalposts = [0, 10]

[indicators.y]
parent = "a"
goalposts = [0, 100]
direction = "lower_is_riskier"

[indicators.z]
parent = "b"
goalposts = [0, 1]

[indicators.u]
parent = "b"
goalposts = [1, 1000]
transform = "log10"
"""


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


@pytest.fixture
def four(tmp_path):
    model = write(tmp_path / "model.toml", MODEL)
    data = write(tmp_path / "data.csv", """
        entity,x,y,z,u
        Alpha,5,20,1,100
        Beta,10,100,0,
        Gamma,,50,0.5,10
        Delta,7,30,0.4,500
        """)
    return model, data


def test_dominant_country_always_ranks_first(tmp_path):
    # Top has the riskiest value of every indicator (strictly), so under any weights,
    # either aggregation, goalposts or min-max, its score is 1 and the others' below 1.
    model = write(tmp_path / "model.toml", MODEL)
    data = write(tmp_path / "data.csv", """
        entity,x,y,z,u
        Top,10,0,1,1000
        Mid,6,40,0.5,100
        Low,2,90,0.1,5
        """)
    result = run_sensitivity(riskscore.assess(model, data=data),
                             SensitivitySettings(tipping=False), samples=3000, seed=3)
    top = result.entity_rows()[0]
    assert top["entity"] == "Top"
    assert (top["rank"], top["median_rank"], top["rank_p05"], top["rank_p95"]) == (1, 1, 1, 1)
    assert top["p_top1"] == 1.0 and top["p_topk"] == 1.0
    assert top["score_p05"] == pytest.approx(100.0) and top["score_p95"] == pytest.approx(100.0)
    for row in result.entity_rows()[1:]:
        assert row["p_top1"] == 0.0 and row["rank_p05"] >= 2


def test_nominal_draw_reproduces_the_assessment(four):
    assessment = riskscore.assess(*[four[0]], data=four[1])
    plan = SamplingPlan.build(assessment, SensitivitySettings())
    scores = Engine(assessment, plan).scores(plan.nominal(2))
    np.testing.assert_allclose(scores, np.vstack([assessment.scores] * 2), rtol=0, atol=1e-12)


def with_ranges(assessment):
    """Give Alpha's x a range and Delta's z a one-sided lower bound."""
    obs = dict(assessment.observations)
    obs[("Alpha", "x")] = dataclasses.replace(obs[("Alpha", "x")], lower=3.0, upper=8.0)
    obs[("Delta", "z")] = dataclasses.replace(obs[("Delta", "z")], lower=0.4)
    return dataclasses.replace(assessment, observations=obs)


def test_evidence_cells_use_the_goalpost_for_a_one_sided_bound(four):
    cells = evidence_cells(with_ranges(riskscore.assess(four[0], data=four[1])))
    bounds = {(c.entity, c.indicator, c.lower, c.upper) for c in cells}
    assert bounds == {(0, 0, 3.0, 8.0), (3, 2, 0.4, 1.0)}   # z's upper goalpost is 1


def test_fast_kernel_matches_aggregate_on_random_draws(four):
    assessment = with_ranges(riskscore.assess(four[0], data=four[1]))
    for method in ("dirichlet", "uniform"):
        settings = SensitivitySettings(
            weights=dataclasses.replace(SensitivitySettings().weights, method=method))
        plan = SamplingPlan.build(assessment, settings)
        assert "evidence" in plan.groups
        engine = Engine(assessment, plan)
        draws = plan.draw(np.random.default_rng(7), 500)
        np.testing.assert_allclose(engine.scores(draws), engine.scores_reference(draws),
                                   rtol=0, atol=1e-9)
        unit = plan.from_unit(np.random.default_rng(8).random((300, plan.dimensions)))
        np.testing.assert_allclose(engine.scores(unit), engine.scores_reference(unit),
                                   rtol=0, atol=1e-9)


def test_drawn_weights_sum_to_one_and_centre_on_the_configured_shares(four):
    assessment = riskscore.assess(four[0], data=four[1])
    plan = SamplingPlan.build(assessment, SensitivitySettings())
    draws = plan.draw(np.random.default_rng(1), 20000)
    root = len(assessment.hierarchy.node_ids) - 1
    shares = draws.weights[root]
    np.testing.assert_allclose(shares.sum(axis=1), 1.0)
    # Dirichlet(50 * (2/3, 1/3)): mean exactly the configured shares, sd sqrt(p(1-p)/51)
    np.testing.assert_allclose(shares.mean(axis=0), [2 / 3, 1 / 3], atol=0.005)
    np.testing.assert_allclose(shares.std(axis=0), np.sqrt(2 / 9 / 51), rtol=0.05)
    # the inverse-CDF route (for SALib designs) gives the same distribution
    unit = plan.from_unit(np.random.default_rng(2).random((20000, plan.dimensions)))
    np.testing.assert_allclose(unit.weights[root].mean(axis=0), [2 / 3, 1 / 3], atol=0.005)


def test_statistics_do_not_depend_on_the_chunk_size(four):
    assessment = with_ranges(riskscore.assess(four[0], data=four[1]))
    engine = Engine(assessment, SamplingPlan.build(assessment, SensitivitySettings()))
    small = run_monte_carlo(engine, assessment.ranks, samples=1000, seed=5, chunk=7)
    large = run_monte_carlo(engine, assessment.ranks, samples=1000, seed=5, chunk=4096)
    np.testing.assert_array_equal(small.rank_counts, large.rank_counts)
    np.testing.assert_array_equal(small.score_counts, large.score_counts)


def _json(four, seed: int) -> str:
    result = CliRunner().invoke(sensitivity, ["--config", str(four[0]), "--data", str(four[1]),
                                              "--samples", "4000", "--seed", str(seed),
                                              "--format", "json"])
    assert result.exit_code == 0, result.output
    return result.output


def test_same_seed_identical_output_different_seed_close(four):
    first, again, other = _json(four, 11), _json(four, 11), _json(four, 12)
    assert first == again
    a, b = json.loads(first), json.loads(other)
    assert a != b
    for row_a, row_b in zip(a["entities"], b["entities"], strict=True):
        assert row_a["entity"] == row_b["entity"]
        assert row_a["median_rank"] == row_b["median_rank"]
        assert abs(row_a["p_top1"] - row_b["p_top1"]) < 0.1
        assert abs(row_a["p_topk"] - row_b["p_topk"]) < 0.1
    assert set(a) >= {"samples", "seed", "entities", "sobol", "tipping_points"}
    assert set(a["entities"][0]) >= {"entity", "rank", "median_rank", "rank_p05", "rank_p95",
                                     "p_top1", "p_topk", "score_p05", "score_p95"}


def test_nothing_varies_gives_the_nominal_ranking_with_certainty(four):
    fixed = SensitivitySettings(weights=dataclasses.replace(SensitivitySettings().weights,
                                                            vary=False),
                                vary_aggregation=False, normalisations=(), missing_policies=(),
                                vary_evidence=False, tipping=False)
    assessment = riskscore.assess(four[0], data=four[1])
    result = run_sensitivity(assessment, fixed, samples=50, seed=0)
    for row in result.entity_rows():
        assert row["median_rank"] == row["rank_p05"] == row["rank_p95"] == row["rank"]
        assert row["score_p05"] == pytest.approx(row["score"]) == row["score_p95"]
    assert result.mean_abs_rank_shift == 0.0
    assert result.sobol == []


BOUNDS_MODEL = """
[index]
id = "risk"

[indicators.x]
goalposts = [0, 10]
"""


def bounded_profile(entity: str, bounds: str) -> str:
    return (f'entity = "{entity}"\n[values.x]\n{bounds}\n'
            '[[values.x.evidence]]\nkind = "article"\nquote = "The text."\n')


def test_profile_bounds_become_the_evidence_intervals_drawn_from(tmp_path):
    """A one-sided bound runs to the goalpost; a bound beyond the goalpost draws nothing."""
    model = write(tmp_path / "model.toml", BOUNDS_MODEL)
    (tmp_path / "article.txt").write_text("The text.\n", encoding="utf-8")
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    for name, bounds in {"a": "value = 5\nlower = 3", "b": "value = 4\nupper = 6",
                         "c": "value = 2\nlower = 1\nupper = 2.5", "d": "value = 12\nlower = 11",
                         "e": "value = 7"}.items():
        write(profiles / f"{name}.toml", bounded_profile(name.upper(), bounds))
    assessment = riskscore.assess(model, profiles=profiles)
    assert assessment.entities == ("A", "B", "C", "D", "E")
    cells = [(c.entity, c.indicator, c.lower, c.upper) for c in evidence_cells(assessment)]
    # A: [3, upper goalpost 10]; B: [lower goalpost 0, 6]; C: [1, 2.5]; D: 11 is beyond the
    # goalpost 10 so the interval is empty; E has no bounds.
    assert cells == [(0, 0, 3.0, 10.0), (1, 0, 0.0, 6.0), (2, 0, 1.0, 2.5)]


# A model for the fast kernel's edge cases: node a has min_coverage 0.6 (Beta falls below it
# under re-weighting), the root 0.5 (so Beta's root score is missing too); node b holds an indicator and a
# node; x's range on Eps moves the column minimum and Beta's moves its maximum; k is
# constant (min-max gives 0.5); v's only observed cells are both sampled; o's single
# observed cell is sampled (constant under min-max); y is lower-is-riskier; u is log10.
EDGE_MODEL = """
[index]
id = "risk"
min_coverage = 0.5

[nodes.a]
weight = 2
min_coverage = 0.6

[nodes.b]
weight = 1
min_coverage = 0.0

[nodes.c]
parent = "b"
weight = 2
min_coverage = 0.0

[indicators.x]
parent = "a"
goalposts = [0, 10]

[indicators.y]
parent = "a"
goalposts = [0, 100]
direction = "lower_is_riskier"

[indicators.v]
parent = "a"
goalposts = [0, 50]

[indicators.z]
parent = "b"
goalposts = [0, 1]

[indicators.u]
parent = "c"
goalposts = [1, 1000]
transform = "log10"

[indicators.k]
parent = "c"
goalposts = [0, 10]

[indicators.o]
parent = "c"
goalposts = [0, 10]
direction = "lower_is_riskier"
"""

EDGE_DATA = """
entity,x,y,v,z,u,k,o
Alpha,5,20,,1,100,3,
Beta,10,,,0,,3,
Gamma,,50,4,0.5,10,3,6
Delta,7,30,,0.4,500,3,
Eps,2,,1,0.9,50,3,
"""

EDGE_RANGES = {("Eps", "x"): (1.0, 6.0), ("Beta", "x"): (8.0, 10.0), ("Alpha", "x"): (3.0, 8.0),
               ("Delta", "z"): (0.4, None), ("Gamma", "v"): (0.5, 6.0), ("Eps", "v"): (0.0, 3.0),
               ("Gamma", "o"): (2.0, 9.0), ("Alpha", "u"): (20.0, 900.0)}


@pytest.fixture
def edge(tmp_path):
    model = write(tmp_path / "model.toml", EDGE_MODEL)
    data = write(tmp_path / "data.csv", EDGE_DATA)
    assessment = riskscore.assess(model, data=data)
    obs = dict(assessment.observations)
    for key, (lower, upper) in EDGE_RANGES.items():
        obs[key] = dataclasses.replace(obs[key], lower=lower, upper=upper)
    return dataclasses.replace(assessment, observations=obs)


def _fixed(draws, normalisation: int, missing: int, geometric):
    """The draws with one normalisation, missing policy and aggregation (None: as drawn)."""
    size = draws.size
    geo = draws.geometric if geometric is None else np.full(draws.geometric.shape, geometric)
    return dataclasses.replace(draws, normalisation=np.full(size, normalisation),
                               missing=np.full(size, missing), geometric=geo)


@pytest.mark.parametrize("normalisation", ["goalposts", "minmax"])
@pytest.mark.parametrize("missing", ["reweight", "mean", "worst_case", "best_case"])
@pytest.mark.parametrize("geometric", [False, True, None])
def test_fast_kernel_matches_aggregate_on_every_path(edge, normalisation, missing, geometric):
    from riskscore.analyses.sensitivity.settings import MISSING_CHOICES, NORMALISATION_CHOICES

    for method in ("dirichlet", "uniform"):
        settings = SensitivitySettings(
            weights=dataclasses.replace(SensitivitySettings().weights, method=method))
        plan = SamplingPlan.build(edge, settings)
        assert len(plan.cells) == len(EDGE_RANGES)
        engine = Engine(edge, plan)
        assert engine._fast is not None   # the fast layout, not the general fallback
        draws = _fixed(plan.draw(np.random.default_rng(17), 400),
                       NORMALISATION_CHOICES.index(normalisation), MISSING_CHOICES.index(missing),
                       geometric)
        fast, reference = engine.scores(draws), engine.scores_reference(draws)
        np.testing.assert_allclose(fast, reference, rtol=0, atol=1e-9)
        assert np.isnan(reference).any() == (missing == "reweight")   # Beta below coverage
        nominal = plan.nominal(2)
        np.testing.assert_allclose(engine.scores(nominal), engine.scores_reference(nominal),
                                   rtol=0, atol=1e-9)


def test_edge_draws_move_the_minmax_span(edge):
    # the test above covers draws that move a column's min (x) and max (x, u) and draws
    # that leave them where they were (u, whose other cells span 10..500)
    plan = SamplingPlan.build(edge, SensitivitySettings())
    draws = plan.draw(np.random.default_rng(17), 400)
    spans = {}
    for name in ("x", "u"):
        i = edge.hierarchy.indicator_ids.index(name)
        x = edge.raw[:, i].copy()
        cells = [c for c, cell in enumerate(plan.cells) if cell.indicator == i]
        rows = [plan.cells[c].entity for c in cells]
        spans[name] = []
        for s in range(draws.size):
            x[rows] = draws.evidence[s, cells]
            spans[name].append((np.nanmin(x), np.nanmax(x)))
    lows, highs = np.array(spans["x"]).T
    assert (lows < 2).any() and (lows > 2).any() and (highs < 10).all()
    moved = np.array([span != (10.0, 500.0) for span in spans["u"]])
    assert moved.any() and not moved.all()


def test_general_path_agrees_with_the_fast_path(edge):
    plan = SamplingPlan.build(edge, SensitivitySettings())
    engine = Engine(edge, plan)
    draws = plan.draw(np.random.default_rng(5), 300)
    np.testing.assert_allclose(engine.scores(draws), engine._scores_general(draws), rtol=0, atol=1e-9)


@pytest.mark.parametrize("cell", ["-1", "-2"])
def test_values_outside_log1p_are_refused_not_scored(tmp_path, cell):
    """log1p(-1) is -inf and log1p(-2) NaN: an error naming file, row and column, not a score."""
    model = write(tmp_path / "model.toml", MODEL.replace('transform = "log10"', 'transform = "log1p"')
                  .replace("goalposts = [1, 1000]", "goalposts = [0, 1000]"))
    data = write(tmp_path / "data.csv", f"""
        entity,x,y,z,u
        Alpha,5,20,1,100
        Beta,10,100,0,{cell}
        """)
    for command in ("score", "validate"):
        result = CliRunner().invoke(riskscore.cli.main.cli, [command, "--config", str(model),
                                                        "--data", str(data)])
        assert result.exit_code == 1, (command, result.output)
        assert f"data.csv: line 3, column u: is {cell} under a log1p transform; " \
               "expected a number > -1" in result.output
        assert "Traceback" not in result.output
