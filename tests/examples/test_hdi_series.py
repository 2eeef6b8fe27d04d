"""UNDP's HDI 2015-2021 reproduced year by year from a panel of its published inputs.

Source: UNDP HDRO, Human Development Report 2021/22, "Composite indices complete time
series" (8 Sep 2022); extract and licence in tests/fixtures/hdr-time-series/README.md.
The panel has one row per country and year (``date`` = the year, i.e. its last day);
``riskscore trend`` scores each year with the as-of rule picking that year's row, and
every one of the 42 published HDIs (six countries, seven years, three decimals) is
reproduced.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from riskscore.cli.main import cli

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "hdr-time-series"


def published() -> dict[tuple[str, str], str]:
    with (FIXTURE / "published-hdi.csv").open(encoding="utf-8", newline="") as f:
        return {(r["iso3"], f"{r['year']}-12-31"): f"{float(r['hdi']):.3f}"
                for r in csv.DictReader(f)}


def trend_json(data: Path) -> dict:
    result = CliRunner().invoke(cli, ["trend", "--config", str(FIXTURE / "model.toml"),
                                      "--data", str(data), "--from", "2015", "--to", "2021",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_every_published_hdi_2015_2021_is_reproduced():
    payload = trend_json(FIXTURE / "panel.csv")
    expected = published()
    compared = 0
    for row in payload["results"]:
        for date, value in zip(payload["dates"], row["scores"], strict=True):
            assert f"{value:.3f}" == expected[(row["entity"], date)], (row["entity"], date)
            compared += 1
    assert compared == 42
    # Kyrgyzstan's ranks among the six follow the published values: 0.698 (2019) > 0.689 (2020)
    kgz = next(r for r in payload["results"] if r["entity"] == "KGZ")
    assert [f"{s:.3f}" for s in kgz["scores"][4:6]] == ["0.698", "0.689"]


def hdi(le: float, eys: float, mys: float, gni: float) -> float:
    """The HDR 2021/22 technical notes' formula."""
    health = (le - 20) / (85 - 20)
    education = (min(eys, 18) / 18 + min(mys, 15) / 15) / 2
    income = (math.log(gni) - math.log(100)) / (math.log(75000) - math.log(100))
    return (health * education * income) ** (1 / 3)


def test_an_empty_cell_carries_the_previous_year_forward(tmp_path):
    rows = (FIXTURE / "panel.csv").read_text(encoding="utf-8").splitlines()
    cells = {(r.split(",")[0], r.split(",")[1]): r.split(",") for r in rows[1:]}
    # Tajikistan's 2021 life expectancy left out: 2020's value carries forward
    edited = [",".join(["TJK", "2021", "", *cells[("TJK", "2021")][3:]])
              if r.startswith("TJK,2021,") else r for r in rows]
    panel = tmp_path / "panel.csv"
    panel.write_text("\n".join(edited) + "\n", encoding="utf-8")
    payload = trend_json(panel)
    tjk = next(r for r in payload["results"] if r["entity"] == "TJK")
    le_2020 = float(cells[("TJK", "2020")][2])
    eys, mys, gni = (float(x) for x in cells[("TJK", "2021")][3:])
    assert tjk["scores"][-1] == pytest.approx(hdi(le_2020, eys, mys, gni), rel=1e-12)
    # and the unchanged years still match the release
    assert f"{tjk['scores'][-2]:.3f}" == published()[("TJK", "2020-12-31")]


def test_kyrgyzstan_2021_by_hand():
    row = next(r for r in (FIXTURE / "panel.csv").read_text(encoding="utf-8").splitlines()
               if r.startswith("KGZ,2021,"))
    le, eys, mys, gni = (float(x) for x in row.split(",")[2:])
    assert f"{hdi(le, eys, mys, gni):.3f}" == published()[("KGZ", "2021-12-31")] == "0.692"
