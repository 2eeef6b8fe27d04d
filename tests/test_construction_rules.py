"""Construction rules of published indices (issue 20): tie rules, rounding, a node
rescaled across entities, ``sum``, flags, and normalised values in every output.

Every expected value is computed independently of riskscore: pandas' ``rank(method=)``,
scipy's ``rankdata``, the PERCENTRANK.INC definition (the share of the other values
strictly below), Python's ``decimal`` rounding, or by hand.
"""

from __future__ import annotations

import csv
import io
import json
import math
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from scipy.stats import rankdata

import riskscore
from riskscore.cli.main import cli
from riskscore.errors import RiskscoreError

# Twelve entities with ties in every column; "c" is missing for E03.
A = [2, 4, 4, 1, 1, 2, 0, 3, 4, 3, 0, 0]
B = [2, 0, 4, 4, 4, 3, 0, 4, 1, 0, 2, 1]
C = [30, 5, 9, None, 10, 21, 34, 21, 18, 12, 39, 16]
ENTITIES = [f"E{i:02d}" for i in range(12)]


def write_data(folder: Path) -> Path:
    path = folder / "data.csv"
    lines = ["entity,a,b,c"] + [f"{e},{a},{b},{'' if c is None else c}"
                                for e, a, b, c in zip(ENTITIES, A, B, C, strict=True)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_model(folder: Path, text: str, name: str = "model.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def percentile_model(ties: str) -> str:
    return f"""
[index]
scale = 1
ties = "{ties}"
[indicators.a]
goalposts = [0, 1]
normalisation = "percentile"
[indicators.b]
goalposts = [0, 1]
normalisation = "rank"
[indicators.c]
goalposts = [0, 1]
normalisation = "percentile"
direction = "lower_is_riskier"
"""


def pandas_percentile(values, method: str, ascending: bool = True) -> np.ndarray:
    s = pd.Series(values, dtype=float)
    ranks = s.rank(method=method, ascending=ascending)
    top = ranks.max() if method == "dense" else s.count()
    return ((ranks - 1) / (top - 1)).to_numpy()


@pytest.mark.parametrize("ties", ["average", "min", "max", "dense"])
def test_tie_rules_of_percentile_and_rank_match_pandas(tmp_path, ties):
    result = riskscore.assess(write_model(tmp_path, percentile_model(ties)),
                              data=write_data(tmp_path))
    got = result.normalised  # 0-1 units; scale 1
    np.testing.assert_allclose(got[:, 0], pandas_percentile(A, ties), atol=1e-12)
    # rank: the riskiest (highest) ranked highest, ties by the rule, as scipy ranks them
    np.testing.assert_allclose(got[:, 1], rankdata(B, method=ties), atol=1e-12)
    # lower is riskier: the percentile of the values in descending order; E03 stays missing
    expected_c = pandas_percentile(C, ties, ascending=False)
    np.testing.assert_allclose(got[:, 2], expected_c, atol=1e-12)
    assert math.isnan(got[3, 2])


def test_min_ties_is_excel_percentrank_inc(tmp_path):
    # PERCENTRANK.INC(array, x) = (number of values strictly below x) / (n - 1)
    result = riskscore.assess(write_model(tmp_path, percentile_model("min")),
                              data=write_data(tmp_path))
    for e, x in enumerate(A):
        below = sum(1 for y in A if y < x)
        assert result.normalised[e, 0] == pytest.approx(below / (len(A) - 1), abs=1e-12)
    # by hand: a = 2 has five values below (0, 0, 0, 1, 1): 5 / 11
    assert result.normalised[0, 0] == pytest.approx(5 / 11)


def test_an_indicator_s_own_tie_rule_wins(tmp_path):
    text = percentile_model("average").replace(
        '[indicators.b]', '[indicators.b]\nties = "dense"')
    result = riskscore.assess(write_model(tmp_path, text), data=write_data(tmp_path))
    np.testing.assert_allclose(result.normalised[:, 1], rankdata(B, method="dense"))
    np.testing.assert_allclose(result.normalised[:, 0], pandas_percentile(A, "average"))


def half_up(value: float | Decimal, places: int) -> float:
    """Round half up in decimal arithmetic (as Excel's ROUND on the printed value)."""
    exact = value if isinstance(value, Decimal) else Decimal(repr(value))
    return float(exact.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP))


def D(value: float) -> Decimal:
    return Decimal(repr(value))


def test_round_on_an_indicator_rounds_half_up_in_scale_units(tmp_path):
    model = write_model(tmp_path, """
[index]
scale = 10
[indicators.x]
goalposts = [0, 1]
round = 1
[indicators.y]
goalposts = [0, 1]
""")
    data = tmp_path / "d.csv"
    values = [0.285, 0.125, 0.0449, 0.95, 0.335]
    data.write_text("entity,x,y\n" + "".join(f"E{i},{v},{v}\n" for i, v in enumerate(values)))
    result = riskscore.assess(model, data=data)
    for e, v in enumerate(values):
        # on the 0-10 scale: 2.85 -> 2.9 (numpy's round would give 2.8), 1.25 -> 1.3
        assert result.normalised[e, 0] * 10 == pytest.approx(half_up(D(v) * 10, 1), abs=1e-12)
        assert result.normalised[e, 1] * 10 == pytest.approx(v * 10, abs=1e-12)
    assert result.normalised[0, 0] * 10 == pytest.approx(2.9)
    # the index is the mean of the rounded x and the exact y
    assert result.scores[0] == pytest.approx((2.9 + 2.85) / 2)


def test_round_on_a_node_and_the_index(tmp_path):
    model = write_model(tmp_path, """
[index]
scale = 10
round = 1
[nodes.p]
round = 1
[indicators.x]
parent = "p"
goalposts = [0, 1]
[indicators.y]
parent = "p"
goalposts = [0, 1]
[indicators.z]
goalposts = [0, 1]
""")
    data = tmp_path / "d.csv"
    rows = [(0.21, 0.24, 0.333), (0.5, 0.55, 0.1), (0.66, 0.11, 0.9)]
    data.write_text("entity,x,y,z\n" + "".join(f"E{i},{x},{y},{z}\n"
                                                for i, (x, y, z) in enumerate(rows)))
    result = riskscore.assess(model, data=data)
    for e, (x, y, z) in enumerate(rows):
        p = half_up((D(x) + D(y)) / 2 * 10, 1)                 # INFORM: each level rounded
        index = half_up((D(p) + D(z) * 10) / 2, 1)
        assert result.node_score(e, "p") == pytest.approx(p, abs=1e-12)
        assert result.scores[e] == pytest.approx(index, abs=1e-12)
        # contributions still add up to the (rounded) score
        assert np.nansum(result.allocation[e, :3]) * 10 == pytest.approx(index, abs=1e-9)


SVI = """
[index]
scale = 1
min_coverage = 1
ties = "min"
aggregation = "sum"
rescale = "percentile"
round = 4
[nodes.t1]
aggregation = "sum"
rescale = "percentile"
round = 4
min_coverage = 1
[nodes.t2]
aggregation = "sum"
rescale = "percentile"
round = 4
min_coverage = 1
[indicators.a]
parent = "t1"
goalposts = [0, 1]
normalisation = "percentile"
round = 4
flag = { at_least = 0.8 }
[indicators.b]
parent = "t1"
goalposts = [0, 1]
normalisation = "percentile"
round = 4
weight = 2
flag = { at_least = 0.9 }
[indicators.c]
parent = "t2"
goalposts = [0, 1]
normalisation = "percentile"
round = 4
flag = { above = 30, on = "raw" }
"""


def excel_percentrank(values: pd.Series) -> pd.Series:
    """PERCENTRANK.INC over the non-missing values, then ROUND(, 4). Sums of rounded
    values equal in decimals are equal (9 decimals: float noise is not an order)."""
    observed = values.dropna().round(9)
    ranks = observed.map(lambda x: (observed < x).sum() / (len(observed) - 1))
    return ranks.map(lambda v: half_up(v, 4)).reindex(values.index)


def test_percentile_rank_of_a_sum_of_percentile_ranks_is_one_model(tmp_path):
    result = riskscore.assess(write_model(tmp_path, SVI), data=write_data(tmp_path))
    frame = pd.DataFrame({"a": A, "b": B, "c": C}, index=ENTITIES, dtype=float)
    pr = frame.apply(excel_percentrank)
    t1 = excel_percentrank(pr["a"] + 2 * pr["b"])          # weight 2: a weighted sum
    t2 = excel_percentrank(pr["c"])
    overall = excel_percentrank(t1 + t2)                     # E03 (c missing): no t2, no index
    for e, name in enumerate(ENTITIES):
        for col, ind in enumerate("abc"):
            got = result.normalised[e, col]
            assert (math.isnan(got) and math.isnan(pr.loc[name, ind])) or \
                got == pytest.approx(pr.loc[name, ind], abs=1e-12), (name, ind)
        assert result.node_score(e, "t1") == pytest.approx(t1[name], abs=1e-12), name
        if math.isnan(overall[name]):
            assert math.isnan(result.scores[e]), name
        else:
            assert result.scores[e] == pytest.approx(overall[name], abs=1e-12), name
            # the decomposition sums exactly to the rescaled, rounded score
            assert np.nansum(result.allocation[e, :3]) == pytest.approx(result.scores[e],
                                                                       abs=1e-12)
    assert math.isnan(result.scores[3]) and math.isnan(result.node_score(3, "t2"))
    # by hand: E03 (a 1, b 4) and E05 (a 2, b 3) tie on t1: 0.2727 + 2 * 0.7273 =
    # 0.4545 + 2 * 0.6364 = 1.7273, so both take the lower rank (min)
    assert result.node_score(3, "t1") == result.node_score(5, "t1") == pytest.approx(7 / 11,
                                                                                    abs=1e-4)


def test_sum_aggregation_and_its_decomposition(tmp_path):
    model = write_model(tmp_path, """
[index]
aggregation = "sum"
scale = 1
[indicators.x]
goalposts = [0, 10]
weight = 2
[indicators.y]
goalposts = [0, 10]
weight = 0.5
""")
    data = tmp_path / "d.csv"
    data.write_text("entity,x,y\nP,3,8\nQ,0,0\nR,10,\n")
    result = riskscore.assess(model, data=data)
    # by hand: P = 2 * 0.3 + 0.5 * 0.8 = 1.0; Q = 0; R = 2 * 1.0 (y missing adds nothing)
    assert result.scores.tolist() == pytest.approx([1.0, 0.0, 2.0])
    assert result.contribution(0, "x") == pytest.approx(0.6)
    assert result.contribution(0, "y") == pytest.approx(0.4)
    assert result.contribution(2, "x") == pytest.approx(2.0)


def test_flags_per_indicator_node_and_entity(tmp_path):
    result = riskscore.assess(write_model(tmp_path, SVI), data=write_data(tmp_path))
    frame = pd.DataFrame({"a": A, "b": B, "c": C}, index=ENTITIES, dtype=float)
    pr = frame.apply(excel_percentrank)
    for e, name in enumerate(ENTITIES):
        expected = [ind for ind, at in (("a", 0.8), ("b", 0.9)) if pr.loc[name, ind] >= at]
        if C[e] is not None and C[e] > 30:
            expected.append("c")
        assert result.flags_of(e) == expected, name
        counts = result.flag_counts(e)
        assert counts == {"index": len(expected), "t1": len([i for i in expected if i != "c"]),
                          "t2": int("c" in expected)}
    # by hand: E02 has b = 4, tied for the top with three others: 8 of the 11 others
    # below, 0.7273 under the min rule, so no flag at 0.9 (the average rule would give 0.8636)
    assert pr.loc["E02", "b"] == pytest.approx(0.7273)
    assert "b" not in result.flags_of(ENTITIES.index("E02"))
    assert result.flags_of(ENTITIES.index("E10")) == ["c"]      # 39 > 30, raw
    # a = 4 (E01, E02, E08): 9 of 11 below, 0.8182 >= 0.8
    assert [e for e in range(12) if "a" in result.flags_of(e)] == [1, 2, 8]


def run(args: list[str], folder: Path) -> str:
    out = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert out.exit_code == 0, out.output
    return out.output


def test_score_json_and_csv_carry_normalised_values_and_flags(tmp_path):
    model, data = write_model(tmp_path, SVI), write_data(tmp_path)
    frame = pd.DataFrame({"a": A, "b": B, "c": C}, index=ENTITIES, dtype=float)
    pr = frame.apply(excel_percentrank)
    doc = json.loads(run(["score", "--config", str(model), "--data", str(data),
                          "--format", "json"], tmp_path))
    by_entity = {r["entity"]: r for r in doc["results"]}
    e03 = by_entity["E03"]                      # no overall score, still its normalised values
    assert e03["score"] is None
    assert e03["normalised"]["a"] == pytest.approx(pr.loc["E03", "a"])
    assert e03["normalised"]["c"] is None
    assert by_entity["E10"]["flags"] == ["c"]
    assert by_entity["E10"]["flag_counts"]["t2"] == 1
    table = list(csv.DictReader(io.StringIO(run(
        ["score", "--config", str(model), "--data", str(data), "--format", "csv"], tmp_path))))
    row = next(r for r in table if r["country"] == "E06")
    for ind in "abc":
        assert float(row[f"normalised.{ind}"]) == pytest.approx(pr.loc["E06", ind])
    assert row["flagged"] == "; ".join(by_entity["E06"]["flags"])
    assert int(row["flags"]) == len(by_entity["E06"]["flags"])
    ind_block = {n["id"]: n for n in doc["model"]["nodes"]}
    assert ind_block["a"]["normalisation"] == "percentile (ties: min), rounded to 4 decimals"
    assert ind_block["t1"]["rescale"] == "percentile" and ind_block["t1"]["ties"] == "min"


def test_explain_states_the_tie_rule_and_the_node_steps(tmp_path):
    model, data = write_model(tmp_path, SVI), write_data(tmp_path)
    text = run(["explain", "E06", "--config", str(model), "--data", str(data)], tmp_path)
    flat = " ".join(text.split())
    assert "normalised by percentile (ties: min), rounded to 4 decimals: a, b, c" in flat
    assert "t1: a weighted sum of its children" in flat
    assert "then the percentile of that across the entities (ties: min)" in flat
    detail = json.loads(run(["explain", "E06", "--config", str(model), "--data", str(data),
                             "--format", "json"], tmp_path))
    assert {r["indicator"]: r["normalisation"] for r in detail["rows"]}["b"] == \
        "percentile (ties: min), rounded to 4 decimals"
    assert detail["flags"] == [r["indicator"] for r in detail["rows"] if r.get("flag")]


@pytest.mark.parametrize(("addition", "key", "expected"), [
    ('[indicators.x]\ngoalposts = [0, 1]\nties = "min"\nnormalisation = "minmax"',
     "indicators.x.ties", "ties only with normalisation 'rank' or 'percentile'"),
    ('[indicators.x]\ngoalposts = [0, 1]\nround = 1.5', "indicators.x.round",
     "a whole number of decimals"),
    ('[indicators.x]\ngoalposts = [0, 1]\nflag = { at_least = 1, below = 2 }',
     "indicators.x.flag", "exactly one of at_least, above, at_most, below"),
    ('[indicators.x]\ngoalposts = [0, 1]\nflag = { at_least = 1, on = "both" }',
     "indicators.x.flag.on", "'normalised', 'raw'"),
    ('[nodes.p]\nties = "min"\n[indicators.x]\nparent = "p"\ngoalposts = [0, 1]',
     "nodes.p.ties", "only beside rescale"),
    ('[nodes.p]\nrescale = "median"\n[indicators.x]\nparent = "p"\ngoalposts = [0, 1]',
     "nodes.p.rescale", "'rank', 'percentile', 'minmax'"),
    ('[index]\nties = "first"\n[indicators.x]\ngoalposts = [0, 1]', "index.ties",
     "'average', 'min', 'max', 'dense'"),
])
def test_construction_rules_refuse_bad_settings(tmp_path, addition, key, expected):
    text = addition if addition.startswith("[index]") else "[index]\n" + addition
    with pytest.raises(RiskscoreError) as caught:  # alone, or among all the errors
        riskscore.assess(write_model(tmp_path, text), data=write_data(tmp_path))
    message = str(caught.value)
    assert key in message and expected in message, message


def test_the_explore_page_refuses_what_it_cannot_rescore(tmp_path):
    model, data = write_model(tmp_path, SVI), write_data(tmp_path)
    out = CliRunner().invoke(cli, ["explore", "--config", str(model), "--data", str(data),
                                   "-o", str(tmp_path / "page.html"), "--samples", "0"])
    assert out.exit_code != 0
    assert "index.aggregation: is 'sum', which the explore page cannot re-score yet" in out.output
    assert not (tmp_path / "page.html").exists()


def test_the_score_table_says_why_no_tipping_points(tmp_path):
    model, data = write_model(tmp_path, SVI), write_data(tmp_path)
    text = " ".join(run(["score", "--config", str(model), "--data", str(data)], tmp_path).split())
    assert "weight tipping points are not computed for a model with nodes rescaled" in text
