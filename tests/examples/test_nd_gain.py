"""ND-GAIN 2014 reproduced from its published component scores.

ND-GAIN = 50 * (readiness - vulnerability + 1); readiness is the mean of its three
components and vulnerability of its six sectors (a missing component is left out
of the mean, as ND-GAIN does). The published scores carry ten or more decimals.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

import riskscore

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "nd-gain"


@pytest.fixture(scope="module")
def reproduced():
    result = riskscore.assess(EXAMPLE / "model.toml", data=EXAMPLE / "components-2014.csv")
    with (EXAMPLE / "published-2014.csv").open(encoding="utf-8", newline="") as f:
        published = {r["ISO3"]: r for r in csv.DictReader(f)}
    return result, published


def test_gain_readiness_and_vulnerability_match_the_release(reproduced):
    result, published = reproduced
    compared = 0
    for e, iso in enumerate(result.entities):
        row = published[iso]
        if not row["gain"]:
            assert math.isnan(float(result.scores[e])) or not row["readiness"] \
                or not row["vulnerability"]
            continue
        compared += 1
        assert float(result.scores[e]) == pytest.approx(float(row["gain"]), abs=1e-8)
        assert result.node_score(e, "readiness") / 100 == pytest.approx(
            float(row["readiness"]), abs=1e-9)
        assert result.node_score(e, "vulnerability") / 100 == pytest.approx(
            float(row["vulnerability"]), abs=1e-9)
    assert compared == 180


def test_the_gain_formula_by_hand_for_one_country(reproduced):
    result, published = reproduced
    afg = published["AFG"]
    by_hand = 50 * (float(afg["readiness"]) - float(afg["vulnerability"]) + 1)
    assert by_hand == pytest.approx(33.4016369481, abs=1e-9)      # the published ND-GAIN
    assert float(result.scores[result.index("AFG")]) == pytest.approx(by_hand, abs=1e-8)


def test_contributions_of_an_inverted_node_sum_to_the_score(reproduced):
    result, _ = reproduced
    e = result.index("AFG")
    parts = sum(result.contribution(e, i) for i in result.hierarchy.indicator_ids)
    constant = result.constant_contributions(e)
    assert constant == {"not_vulnerable": pytest.approx(50.0)}
    assert parts + constant["not_vulnerable"] == pytest.approx(float(result.scores[e]), abs=1e-9)
    assert result.contribution(e, "food") < 0 < result.contribution(e, "economic")
