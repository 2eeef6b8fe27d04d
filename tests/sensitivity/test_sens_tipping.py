"""Tipping points against swap weights derived by hand, and reproduced through the real CLI."""

from __future__ import annotations

import json
import math
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

import riskscore
from riskscore.analyses.sensitivity.tipping import find_tipping_points
from riskscore.cli.main import cli
from riskscore.cli.sensitivity import sensitivity


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def two_indicator_model(tmp_path: Path, aggregation: str = "arithmetic") -> tuple[Path, Path]:
    model = write(tmp_path / "model.toml", f"""
        [index]
        id = "risk"
        aggregation = "{aggregation}"

        [indicators.x]
        goalposts = [0, 1]

        [indicators.y]
        goalposts = [0, 1]
        """)
    data = write(tmp_path / "data.csv", """
        entity,x,y
        A,0.8,0.2
        B,0.3,0.6
        """)
    return model, data


def test_two_countries_arithmetic_swap_by_hand(tmp_path):
    # x gets share w, y gets 1 - w.  A(w) = 0.8w + 0.2(1-w) = 0.2 + 0.6w,
    # B(w) = 0.3w + 0.6(1-w) = 0.6 - 0.3w.  Equal when 0.9w = 0.4: w = 4/9.
    # Configured w = 1/2: A = 0.5 > B = 0.45, so B overtakes A if x falls to 4/9,
    # i.e. if y rises from 1/2 to 5/9.
    model, data = two_indicator_model(tmp_path)
    points = {p.node: p for p in find_tipping_points(riskscore.assess(model, data=data))}
    assert set(points) == {"x", "y"}
    assert points["x"].weight_to == pytest.approx(4 / 9, abs=1e-12)
    assert points["y"].weight_to == pytest.approx(5 / 9, abs=1e-12)
    assert points["x"].weight_from == pytest.approx(0.5)
    assert (points["x"].overtaker, points["x"].overtaken) == ("B", "A")
    assert points["x"].method == "exact"
    assert "B overtakes A if the y weight rises from 0.50 to 0.56" in points["y"].sentence()


def test_two_countries_geometric_swap_by_hand(tmp_path):
    # Geometric: ln A = w ln .8 + (1-w) ln .2, ln B = w ln .3 + (1-w) ln .6.
    # Equal when w ln(8/3) = (1-w) ln 3, i.e. w = ln 3 / ln 8 (~0.528). At w = 1/2
    # A = 0.4 < B = sqrt(0.18) ~ 0.424, so A overtakes B if x rises to ln 3 / ln 8.
    model, data = two_indicator_model(tmp_path, "geometric")
    points = {p.node: p for p in find_tipping_points(riskscore.assess(model, data=data))}
    assert points["x"].weight_to == pytest.approx(math.log(3) / math.log(8), abs=1e-9)
    assert (points["x"].overtaker, points["x"].overtaken) == ("A", "B")
    assert points["x"].method == "numeric"


def missing_value_model(tmp_path: Path) -> tuple[Path, Path]:
    model = write(tmp_path / "model.toml", """
        [index]
        id = "risk"

        [indicators.x]
        goalposts = [0, 1]

        [indicators.y]
        goalposts = [0, 1]

        [indicators.z]
        goalposts = [0, 1]
        """)
    data = write(tmp_path / "data.csv", """
        entity,x,y,z
        A,0.9,0.0,0.6
        B,0.2,0.7,
        """)
    return model, data


# x share w, y and z share (1 - w)/2 each. A(w) = 0.9w + 0.3(1 - w) = 0.3 + 0.6w.
# B lacks z, so it is re-weighted over x and y:
# B(w) = (0.2w + 0.35(1 - w)) / (w + (1 - w)/2) = (0.7 - 0.3w) / (1 + w).
# Equal when (0.3 + 0.6w)(1 + w) = 0.7 - 0.3w  <=>  3w^2 + 6w - 2 = 0
# <=>  w = sqrt(60)/6 - 1 ~ 0.29099; at w = 1/3, A = 0.5 > B = 0.45.
SWAP_X = math.sqrt(60) / 6 - 1


def test_missing_value_swap_is_the_root_of_a_quadratic(tmp_path):
    model, data = missing_value_model(tmp_path)
    points = [p for p in find_tipping_points(riskscore.assess(model, data=data)) if p.node == "x"]
    assert len(points) == 1
    assert points[0].weight_to == pytest.approx(SWAP_X, abs=1e-12)
    assert points[0].weight_from == pytest.approx(1 / 3)
    assert (points[0].overtaker, points[0].overtaken) == ("B", "A")


def _order(model: Path, data: Path, weight: str) -> list[str]:
    result = CliRunner().invoke(cli, ["score", "--config", str(model), "--data", str(data),
                                      "--weight", weight, "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = sorted(json.loads(result.output)["results"], key=lambda r: -r["score"])
    return [r["entity"] for r in rows]


def test_tipping_point_reproduced_with_score_weight_through_the_cli(tmp_path):
    model, data = missing_value_model(tmp_path)
    result = CliRunner().invoke(sensitivity, ["--config", str(model), "--data", str(data),
                                              "--samples", "50", "--format", "json"])
    assert result.exit_code == 0, result.output
    points = [p for p in json.loads(result.output)["tipping_points"] if p["node"] == "x"]
    assert len(points) == 1
    w = points[0]["weight_to"]
    assert w == pytest.approx(SWAP_X, abs=1e-9)
    assert points[0]["entities"] == ["B", "A"]
    assert _order(model, data, f"x={w + 1e-4:.6f}") == ["A", "B"]   # configured side
    assert _order(model, data, f"x={w - 1e-4:.6f}") == ["B", "A"]   # past the tipping point


def test_every_reported_swap_flips_the_order_either_side(tmp_path):
    model, data = missing_value_model(tmp_path)
    for point in find_tipping_points(riskscore.assess(model, data=data)):
        step = 1e-4 if point.weight_to > point.weight_from else -1e-4
        overtaker, overtaken = point.overtaker, point.overtaken
        before = _order(model, data, f"{point.node}={point.weight_to - step:.6f}")
        after = _order(model, data, f"{point.node}={point.weight_to + step:.6f}")
        assert before.index(overtaken) < before.index(overtaker)
        assert after.index(overtaker) < after.index(overtaken)


def test_table_output_lists_the_three_parts_and_rejects_a_bad_top_k(tmp_path):
    model, data = two_indicator_model(tmp_path)
    base = ["--config", str(model), "--data", str(data), "--samples", "200"]
    result = CliRunner().invoke(sensitivity, base)
    assert result.exit_code == 0, result.output
    assert "median_rank" in result.output and "Sobol indices" in result.output
    assert "B overtakes A if the x weight falls from 0.50 to 0.44 (share of risk)" in result.output
    bad = CliRunner().invoke(sensitivity, [*base, "--top-k", "3"])
    assert bad.exit_code == 1
    assert "--top-k: is 3; expected a whole number from 1 to 2" in bad.output


def test_nearest_for_some_entities_is_theirs_in_the_full_answer(tmp_path):
    """``only`` limits the work to the swaps with each entity's neighbours: the same points."""
    import sys

    from riskscore.analyses.sensitivity.tipping import nearest_by_entity

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from synthetic import write_synthetic

    model, data = write_synthetic(tmp_path, entities=60, indicators=8, depth=2, seed=3)
    result = riskscore.assess(model, data=data)
    full = nearest_by_entity(result)
    listed = nearest_by_entity(result, find_tipping_points(result))
    assert full == listed                     # arrays and the sorted list choose alike
    assert sum(p is not None for p in full.values()) > 30
    some = [result.entities[k] for k in (0, 7, 59)]
    assert nearest_by_entity(result, only=some) == {name: full[name] for name in some}


def test_wide_parent_swaps_found_in_closed_form_as_derived_by_hand(tmp_path, monkeypatch):
    """80 indicators under the index (wider than WIDE, so each share is scored in closed
    form). A: i0 = 0, the rest 1; B: all 0.5 (i5 missing); C: i0 = 1, the rest 0.2 (i2
    missing). At i0's share w (siblings rescaled; C's mean is over its 78 available of
    i0's 79 siblings, k = 78/79 of their weight): A = 1 - w, B = 0.5,
    C = (w + 0.2 k (1 - w)) / (w + k (1 - w)), so A meets B at w = 0.5 and C meets B at
    w = 0.3 k / (0.5 + 0.3 k)."""
    from riskscore.analyses.sensitivity import tipping

    n = 80
    assert n > tipping.WIDE
    lines = ["[index]", 'id = "risk"']
    for i in range(n):
        lines += [f"[indicators.i{i}]", "goalposts = [0, 1]"]
    model = write(tmp_path / "wide.toml", "\n".join(lines) + "\n")
    rows = {"A": ["0"] + ["1"] * (n - 1), "B": ["0.5"] * n, "C": ["1"] + ["0.2"] * (n - 1)}
    rows["B"][5] = ""
    rows["C"][2] = ""
    data = write(tmp_path / "wide.csv", "entity," + ",".join(f"i{i}" for i in range(n)) + "\n"
                 + "".join(f"{e}," + ",".join(v) + "\n" for e, v in rows.items()))
    found = {(p.overtaker, p.overtaken): p.weight_to
             for p in find_tipping_points(riskscore.assess(model, data=data)) if p.node == "i0"}
    assert found[("B", "A")] == pytest.approx(0.5, abs=1e-12)
    k = 78 / 79
    assert found[("C", "B")] == pytest.approx(0.3 * k / (0.5 + 0.3 * k), abs=1e-12)
    monkeypatch.setattr(tipping, "WIDE", 10 ** 9)   # the re-aggregating path agrees
    slow = {(p.overtaker, p.overtaken): p.weight_to
            for p in find_tipping_points(riskscore.assess(model, data=data)) if p.node == "i0"}
    assert slow == pytest.approx(found, abs=1e-12)
