"""COINr's ASEM example reproduced from its published inputs.

examples/coinr-asem holds the inputs of COINr's example COIN (bluefoxr/COINr,
data/ASEM_COIN.rda): 51 units, 49 indicators, denominators and the Europe/Asia
groups, plus two published outputs of the same COIN, its treated data set and its
aggregated results. The engine runs COINr's recorded method: denominate, impute by
group mean, treat outliers by the skew/kurtosis rule, min-max to 0-100, arithmetic
means; every published aggregate of every unit must match to 2 decimals (it does to
about 1e-13), and so must every treated value.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

import riskscore

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "coinr-asem"


@pytest.fixture(scope="module")
def result():
    return riskscore.assess(EXAMPLE / "model.toml", data=EXAMPLE / "asem-input.csv")


def published(name: str) -> dict[str, dict]:
    with (EXAMPLE / name).open(encoding="utf-8", newline="") as f:
        return {r["UnitCode"]: r for r in csv.DictReader(f)}


def test_every_published_aggregate_of_every_unit(result):
    aggregates = published("asem-published-aggregates.csv")
    assert len(result.entities) == len(aggregates) == 51
    for e, unit in enumerate(result.entities):
        for code, value in aggregates[unit].items():
            if code in ("UnitCode", "UnitName"):
                continue
            ours = float(result.scores[e]) if code == "Index" else result.node_score(e, code)
            assert round(ours, 2) == round(float(value), 2), (unit, code)
            assert ours == pytest.approx(float(value), abs=1e-9), (unit, code)


def test_denominated_imputed_and_treated_values_match_coinr(result):
    treated = published("asem-published-treated.csv")
    for e, unit in enumerate(result.entities):
        for col, code in enumerate(result.hierarchy.indicator_ids):
            theirs = treated[unit][code]
            ours = float(result.prepared[e, col])
            if theirs == "":
                assert math.isnan(ours), (unit, code)
            else:
                assert ours == pytest.approx(float(theirs), rel=1e-9, abs=1e-12), (unit, code)


def test_every_treated_point_is_listed(result):
    kinds = {s.kind for s in result.steps}
    assert kinds == {"denominated", "imputed", "winsorised"}
    winsorised = [s for s in result.steps if s.kind == "winsorised"]
    assert len(winsorised) == 35
    assert all(s.note.startswith("winsorised from") and s.before != s.after for s in winsorised)
    imputed = [s for s in result.steps if s.kind == "imputed"]
    assert all("of group" in s.note for s in imputed)
    # an imputed cell never counts as observed
    e, col = result.index(imputed[0].entity), result.hierarchy.indicator_ids.index(
        imputed[0].indicator)
    assert result.imputed[e, col] and math.isnan(result.normalised[e, col])
