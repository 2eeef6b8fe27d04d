"""The robustness analysis on a model with operators beyond weighted means: draws are
scored by the engine's own aggregate(), nothing is varied that the operator cannot
take, and what is kept is said in plain words (COINr #60)."""

from __future__ import annotations

import numpy as np

import riskscore
from riskscore.analyses.sensitivity import SensitivitySettings, run_sensitivity
from riskscore.analyses.sensitivity.tipping import ShareScorer, weight_items


def build(tmp_path):
    model = tmp_path / "m.toml"
    model.write_text(
        '[index]\nid = "r"\nscale = 10\n'
        '[nodes.h]\naggregation = "max"\nmultipliers = { b = 0.7 }\n'
        '[nodes.c]\naggregation = "complement_geometric"\ncomplement = 11\n'
        '[indicators.a]\nparent = "h"\ngoalposts = [0, 10]\n'
        '[indicators.b]\nparent = "h"\ngoalposts = [0, 10]\n'
        '[indicators.x]\nparent = "c"\ngoalposts = [0, 10]\n'
        '[indicators.y]\nparent = "c"\ngoalposts = [0, 10]\n', encoding="utf-8")
    rng = np.random.default_rng(7)
    rows = "".join(f"E{k}," + ",".join(f"{v:.1f}" for v in rng.uniform(0, 10, 4)) + "\n"
                   for k in range(12))
    data = tmp_path / "d.csv"
    data.write_text("entity,a,b,x,y\n" + rows, encoding="utf-8")
    return riskscore.assess(model, data=data)


def test_draws_use_the_operators_and_say_what_is_kept(tmp_path):
    result = build(tmp_path)
    outcome = run_sensitivity(result, SensitivitySettings(), samples=200, seed=3)
    kept = " ".join(outcome.not_varied)
    assert "h (max)" in kept and "c (complement_geometric)" in kept
    assert "no weights drawn under h" in kept
    assert outcome.to_dict()["not_varied"] == list(outcome.not_varied)
    # only the root's weights and the c node's weights vary; the max node's children do not
    groups = set(outcome.groups)
    assert "weights:h" not in groups and "weights:c" in groups
    # the draws are the real operators: (weights centred on the model's) every nominal
    # score lies inside its 5-95% score interval, which it did not when draws were scored
    # as weighted means
    for row in outcome.entity_rows():
        assert row["score_p05"] - 1e-9 <= row["score"] <= row["score_p95"] + 1e-9


def test_tipping_points_skip_weightless_operators_and_closed_forms_need_arithmetic(tmp_path):
    result = build(tmp_path)
    items = weight_items(result)
    assert "a" not in items and "b" not in items          # under max: weights do nothing
    assert {"x", "y", "h", "c"} <= set(items)
    assert not ShareScorer(result, "x").exact()            # complement geometric on the path
