"""Missing data: score intervals, re-weighting that lowers a score, by hand."""

from __future__ import annotations

import pytest
from audit_support import by_code, project

from riskscore.analyses.audit import audit

MODEL = """
[index]
id = "risk"
missing = "{missing}"

[nodes.a]
[nodes.b]

[indicators.x]
parent = "a"
goalposts = [0, 100]
unit = "%"

[indicators.y]
parent = "a"
goalposts = [0, 100]
unit = "%"

[indicators.z]
parent = "b"
goalposts = [0, 10]
"""

# Alpha lacks y. By hand under reweight: a = x = 0.6, b = 0.5, score = 100 * (0.6 + 0.5) / 2
# = 55. With y at lowest risk a = 0.3 (score 40); at highest a = 0.8 (score 65). Beta scores
# 100 * (0.5 + 0.5) / 2 = 50, so Alpha ranks 1 or 2.
PROFILES = {"Alpha": {"x": 60, "y": None, "z": 5}, "Beta": {"x": 50, "y": 50, "z": 5}}


def run(tmp_path, missing="reweight"):
    config, directory = project(tmp_path, MODEL.format(missing=missing), PROFILES)
    return audit(config, profiles=directory)


def test_score_interval_by_hand(tmp_path):
    result = run(tmp_path)
    alpha = next(i for i in result.intervals if i["entity"] == "Alpha")
    assert alpha["score"] == pytest.approx(55)
    assert (alpha["lowest"], alpha["highest"]) == (pytest.approx(40), pytest.approx(65))
    assert (alpha["best_rank"], alpha["worst_rank"], alpha["missing"]) == (1, 2, ["y"])
    beta = next(i for i in result.intervals if i["entity"] == "Beta")
    assert beta["missing"] == [] and beta["lowest"] == beta["highest"] == pytest.approx(50)
    (note,) = by_code(result, "score-interval")
    assert (note.level, note.entity, note.indicators) == ("note", "Alpha", ("y",))
    assert "at their lowest risk it would score 40.0, at their highest 65.0 (rank 1–2" in note.message


def test_reweighting_lowers_the_score_below_the_siblings_average(tmp_path):
    """Re-weighting counts Alpha's y as x's 0.6: any y below 60% lowers the score."""
    (found,) = by_code(run(tmp_path), "reweight-lowers")
    assert (found.level, found.entity, found.indicators) == ("warning", "Alpha", ("y",))
    assert ("Entering any value for Alpha's y below 60% (risk 0.60 on the 0–1 scale) would lower "
            "its score, from 55.0 to as little as 40.0") in found.message


def test_mean_imputation_too_and_best_case_never(tmp_path):
    """Under mean, y counts as Beta's 0.5: any y below 50% lowers Alpha's score (55 with
    y = 0.5: a = 0.55, score 52.5). Under best_case a gap counts as no risk: evidence only raises."""
    (found,) = by_code(run(tmp_path / "m", "mean"), "reweight-lowers")
    assert "below 50% (risk 0.50" in found.message and "from 52.5 to as little as 40.0" in found.message
    assert by_code(run(tmp_path / "b", "best_case"), "reweight-lowers") == []
