"""A new user's first hour with their own country table, through the real command line.

The table is as an analyst has it -- name, ISO3 code, region, income group, population,
notes, a comment, a year, coded text (``democracy``/``hybrid``/``autocracy``, ``x``/empty)
beside the numbers -- 120 countries generated deterministically here, and never edited:
the user starts a project with ``riskscore init --blank``, drops the table in, is told in
one message which columns to declare, declares them in the model, then validates,
scores, audits and reports. Every score is recomputed here by hand (min-max, goalposts,
codes, a kept denominator, re-weighting of gaps) and must match the program's.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pycountry
import pytest

N = 120
REGIONS = ("Africa", "Americas", "Asia", "Europe", "Oceania")
INCOMES = ("low", "lower middle", "upper middle", "high")
REGIMES = {"democracy": 0.0, "hybrid": 0.5, "autocracy": 1.0}

MODEL = """
[index]
id = "index"
label = "Digital repression exposure"
normalisation = "minmax"

[columns]
id = "ISO3"
label = "Country name"
groups = ["Region", "Income group"]
keep = ["Population", "Notes", "Source year"]
ignore = ["Comment"]

[nodes.freedom]
label = "Freedom"

[nodes.exposure]
label = "Exposure"

[indicators.press_score]
parent = "freedom"
label = "Press freedom score"
direction = "lower_is_riskier"

[indicators.regime]
parent = "freedom"
label = "Regime type"
codes = { democracy = 0, hybrid = 0.5, autocracy = 1 }

[indicators.internet_share]
parent = "exposure"
label = "Share of people online"
unit = "%"
normalisation = "goalposts"
goalposts = [20, 90]

[indicators.cameras]
parent = "exposure"
label = "Public cameras per 100,000 people"
denominator = "Population"
per = 100000

[indicators.spyware]
parent = "exposure"
label = "Known spyware customer"
codes = { x = 1, "" = 0 }
"""


def country_table(path: Path) -> list[dict[str, str]]:
    """120 real country names and codes with made-up values (seeded), written as CSV."""
    rng = np.random.default_rng(20240601)
    countries = sorted(pycountry.countries, key=lambda c: c.alpha_3)[:N]
    rows = []
    for k, country in enumerate(countries):
        population = int(rng.integers(50_000, 200_000_000))
        row = {
            "Country name": country.name, "ISO3": country.alpha_3,
            "Region": REGIONS[k % len(REGIONS)], "Income group": INCOMES[(k * 7) % 4],
            "Population": str(population),
            "press_score": f"{rng.uniform(10, 95):.1f}" if k % 11 else "",
            "regime": list(REGIMES)[int(rng.integers(0, 3))],
            "internet_share": f"{rng.uniform(5, 99):.1f}",   # some beyond the goalposts
            "cameras": str(int(rng.integers(0, 50_000))) if k % 13 else "",
            "spyware": "x" if rng.random() < 0.3 else "",
            "Notes": f"note on {country.name}, checked" if k % 5 == 0 else "",
            "Comment": "draft" if k % 7 == 0 else "",
            "Source year": str(2020 + k % 4),
        }
        rows.append(row)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows


def expected_scores(rows: list[dict[str, str]]) -> dict[str, float]:
    """The index by hand: each indicator to 0-1, node = mean of its available indicators,
    index = mean of the two nodes, on 0-100."""
    def minmax(values: list[float | None], lower_riskier: bool = False) -> list[float | None]:
        seen = [v for v in values if v is not None]
        low, high = min(seen), max(seen)
        out = [None if v is None else (v - low) / (high - low) for v in values]
        return [None if v is None else (1 - v if lower_riskier else v) for v in out]

    press = minmax([float(r["press_score"]) if r["press_score"] else None for r in rows],
                   lower_riskier=True)
    regime = minmax([REGIMES[r["regime"]] for r in rows])
    internet = [min(max((float(r["internet_share"]) - 20) / 70, 0.0), 1.0) for r in rows]
    cameras = minmax([float(r["cameras"]) / float(r["Population"]) * 100_000
                      if r["cameras"] else None for r in rows])
    spyware = minmax([1.0 if r["spyware"] == "x" else 0.0 for r in rows])

    def mean(values):
        seen = [v for v in values if v is not None]
        return sum(seen) / len(seen)

    return {r["ISO3"]: 100 * mean([mean([press[k], regime[k]]),
                                   mean([internet[k], cameras[k], spyware[k]])])
            for k, r in enumerate(rows)}


def riskscore(project: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "100"}
    proc = subprocess.run([sys.executable, "-m", "riskscore", *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL)
    assert (proc.returncode == 0) == ok, proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    return proc


@pytest.fixture(scope="module")
def journey(tmp_path_factory):
    root = tmp_path_factory.mktemp("own")
    riskscore(root, "init", "--blank", "countries")
    project = root / "countries"
    table = project / "data" / "table.csv"
    rows = country_table(table)
    before = table.read_bytes()
    return project, table, rows, before


def test_undeclared_columns_come_in_one_message_that_says_how(journey):
    project, table, rows, before = journey
    model = project / "config" / "model.toml"
    model.write_text(MODEL.split("[columns]")[0] + MODEL.split('ignore = ["Comment"]\n')[1],
                     encoding="utf-8")
    proc = riskscore(project, "score", ok=False)
    lines = proc.stderr.strip().splitlines()   # both errors at once, one per line
    assert lines[0] == "Error: 2 errors in the inputs, one per line:"
    assert ("indicators.cameras.denominator: is 'Population', not a [denominators.ID]; "
            "expected a [denominators.ID] (none is declared), or a number column named in "
            '[columns] keep = ["Population"]') in lines[1]
    assert "header: has no 'entity' column (the entity ids)" in lines[2]
    assert '[columns] id = "<the id column>"' in lines[2] and "'ISO3'" in lines[2]
    model.write_text(MODEL.replace('label = "Country name"\ngroups = ["Region", "Income group"]\n'
                                   'keep = ["Population", "Notes", "Source year"]\n'
                                   'ignore = ["Comment"]\n', ""), encoding="utf-8")
    proc = riskscore(project, "validate", ok=False)
    message = [ln for ln in proc.stdout.splitlines() if "does not declare" in ln]
    assert len(message) == 1
    assert ("has 7 columns the model does not declare: 'Country name', 'Region', "
            "'Income group', 'Population', 'Notes', 'Comment', 'Source year'") in message[0]
    assert 'keep = ["Country name", "Region"' in message[0] and "ignore = [" in message[0]
    assert table.read_bytes() == before


@pytest.fixture(scope="module")
def declared(journey):
    project, table, rows, before = journey
    (project / "config" / "model.toml").write_text(MODEL, encoding="utf-8")
    return project, table, rows, before


def test_validate_passes_without_clipping_warnings_where_nothing_clips(declared):
    project, *_ = declared
    out = riskscore(project, "validate").stdout
    assert "0 error(s)" in out
    # only internet_share uses goalposts: its values below 20 or above 90 are the only clips
    rows = declared[2]
    beyond = sum(not 20 <= float(r["internet_share"]) <= 90 for r in rows)
    assert out.count("goalposts clip it") == beyond > 0
    assert "press_score" not in out and "cameras" not in out


def test_scores_match_a_computation_by_hand(declared):
    project, table, rows, before = declared
    payload = json.loads(riskscore(project, "score", "--format", "json").stdout)
    results = {r["entity"]: r for r in payload["results"]}
    assert len(results) == N
    expected = expected_scores(rows)
    for iso3, score in expected.items():
        assert math.isclose(results[iso3]["score"], score, rel_tol=1e-9, abs_tol=1e-9), iso3
    first = rows[0]
    entry = results[first["ISO3"]]
    assert entry["label"] == first["Country name"]
    assert entry["groups"] == {"Region": first["Region"], "Income group": first["Income group"]}
    assert entry["kept"]["Notes"] == first["Notes"]
    assert entry["kept"]["Population"] == float(first["Population"])
    assert payload["inputs"]["data"]["sha256"] == hashlib.sha256(before).hexdigest()
    table_text = riskscore(project, "score").stdout
    assert first["Country name"] in table_text
    assert table.read_bytes() == before


def test_audit_and_report_on_the_table(declared):
    project, table, rows, before = declared
    audit = json.loads(riskscore(project, "audit", "--format", "json").stdout)
    assert audit   # the statistical audit ran on the 120 countries (PCA included)
    riskscore(project, "report", "--samples", "200")
    report = (project / "reports" / "report.md").read_text(encoding="utf-8")
    digest = hashlib.sha256(before).hexdigest()
    assert f"Built from the data table `table.csv` (sha256 `{digest}`)." in report
    assert "article" not in report.lower()
    best = max(expected_scores(rows).items(), key=lambda item: item[1])[0]
    name = next(r["Country name"] for r in rows if r["ISO3"] == best)
    assert f"### {name}" in report
    assert "Press freedom score" in report          # labels, not ids, where no short is given
    assert "press_score" not in report.split("## Methodology")[0]
    assert (project / "reports" / "figures").is_dir()
    assert table.read_bytes() == before
