"""UNDP's Gender Development Index 2021 reproduced from its published inputs by sex.

Each sex's HDI is a geometric mean with its own life-expectancy goalposts; the GDI is
their ratio, a node with aggregation = "ratio". The release publishes the female and
male HDIs at full precision and the GDI at three decimals.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

import riskscore

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "gdi"


@pytest.fixture(scope="module")
def reproduced():
    result = riskscore.assess(EXAMPLE / "model.toml", data=EXAMPLE / "inputs-2021.csv")
    with (EXAMPLE / "published-2021.csv").open(encoding="utf-8", newline="") as f:
        return result, {r["iso3"]: r for r in csv.DictReader(f)}


def test_gdi_and_both_hdis_match_the_release(reproduced):
    result, published = reproduced
    compared = 0
    for e, iso in enumerate(result.entities):
        row = published[iso]
        if not row["gdi"]:
            continue
        compared += 1
        assert f"{float(result.scores[e]):.3f}" == f"{float(row['gdi']):.3f}", iso
        assert result.node_score(e, "hdi_female") == pytest.approx(float(row["hdi_f"]), abs=1e-8)
        assert result.node_score(e, "hdi_male") == pytest.approx(float(row["hdi_m"]), abs=1e-8)
    assert compared == 172


def test_one_country_by_hand(reproduced):
    """Afghanistan, step by step from the HDR technical notes' formulas."""
    result, _ = reproduced
    with (EXAMPLE / "inputs-2021.csv").open(encoding="utf-8") as f:
        afg = next(r for r in csv.DictReader(f) if r["entity"] == "AFG")
    v = {k: float(x) for k, x in afg.items() if k != "entity"}

    def hdi(le, lo, hi, eys, mys, gni):
        health = (le - lo) / (hi - lo)
        education = (min(eys, 18) / 18 + min(mys, 15) / 15) / 2
        income = (math.log(gni) - math.log(100)) / (math.log(75000) - math.log(100))
        return (health * education * income) ** (1 / 3)

    female = hdi(v["le_f"], 22.5, 87.5, v["eys_f"], v["mys_f"], v["gni_pc_f"])
    male = hdi(v["le_m"], 17.5, 82.5, v["eys_m"], v["mys_m"], v["gni_pc_m"])
    assert round(female / male, 3) == 0.681          # the published GDI
    assert float(result.scores[result.index("AFG")]) == pytest.approx(female / male, rel=1e-12)


def test_ratio_contributions_and_constant_sum_to_the_gdi(reproduced):
    result, _ = reproduced
    e = result.index("NOR")
    parts = [result.contribution(e, i) for i in result.hierarchy.indicator_ids]
    total = sum(parts) + sum(result.constant_contributions(e).values())
    assert result.constant_contributions(e) == {"gdi": pytest.approx(1.0)}
    assert total == pytest.approx(float(result.scores[e]), abs=1e-12)
