"""UNDP's Human Development Index 2021 reproduced from its published inputs (examples/hdi).

The HDI is the geometric mean of three indices made from four goalposted indicators;
UNDP publishes it at three decimals. Every one of the 191 published values must come
out equal at three decimals, and the four countries UNDP gives no HDI (a component
missing) must get no score rather than a re-weighted one.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

import riskscore

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "hdi"


@pytest.fixture(scope="module")
def reproduced():
    result = riskscore.assess(EXAMPLE / "model.toml", data=EXAMPLE / "inputs-2021.csv")
    with (EXAMPLE / "published-2021.csv").open(encoding="utf-8", newline="") as f:
        return result, {r["iso3"]: r for r in csv.DictReader(f)}


def test_every_published_hdi_at_three_decimals(reproduced):
    result, published = reproduced
    compared = 0
    for e, iso in enumerate(result.entities):
        if published[iso]["hdi"]:
            compared += 1
            assert f"{float(result.scores[e]):.3f}" == f"{float(published[iso]['hdi']):.3f}", iso
    assert compared == 191


def test_no_hdi_where_undp_publishes_none(reproduced):
    result, published = reproduced
    unscored = {iso for e, iso in enumerate(result.entities) if math.isnan(result.scores[e])}
    assert unscored == {iso for iso, row in published.items() if not row["hdi"]}
    assert unscored == {"MCO", "NRU", "PRK", "SOM"}


def test_norway_by_hand(reproduced):
    # HDR 2021/22 inputs for Norway, 2021: life expectancy 83.2339, expected schooling
    # 18.1852 (capped at 18), mean schooling 13.0036, GNI per capita 64,660.1.
    result, published = reproduced
    health = (83.2339 - 20) / (85 - 20)
    education = (min(18.1852 / 18, 1.0) + 13.0036 / 15) / 2
    income = (math.log(64660.1) - math.log(100)) / (math.log(75000) - math.log(100))
    hdi = (health * education * income) ** (1 / 3)
    norway = result.index("NOR")
    assert float(result.scores[norway]) == pytest.approx(hdi, abs=1e-4)
    assert round(hdi, 3) == float(published["NOR"]["hdi"]) == 0.961
