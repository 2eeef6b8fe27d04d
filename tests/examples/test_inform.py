"""INFORM Risk (Mid-2018, v0.3.4) reproduced from its published components.

The release table (examples/inform/INFORM_Mid2018_v034.csv) publishes every level
of the index at one decimal. Each aggregate is recomputed by the engine from its
*published* children; since every INFORM operator is monotone in each child, the
true value of an aggregate whose children are rounded to 0.05 lies between the
aggregate of (children - 0.05) and of (children + 0.05), and the published value
is that true value rounded, so it must lie within 0.05 of that interval.
INFORM RISK itself must match exactly at one decimal, and the risk classes
(thresholds 2.0 / 3.5 / 5.0 / 6.5, checked against the classes published in the
2020 release) must follow.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

import riskscore
from riskscore.model.loader import load_model

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "inform"
RELEASE = EXAMPLE / "INFORM_Mid2018_v034.csv"

# aggregate -> (operator settings, published children, weights)
AGGREGATES = {
    "Natural": ('aggregation = "complement_geometric"\ncomplement = 11',
                ["Earthquake", "Flood", "Tsunami", "Tropical Cyclone", "Drought"], None),
    "Human": ('aggregation = "max"\nmultipliers = { c1 = 0.7 }',
              ["Current Highly Violent Conflict Intensity", "Projected Conflict Risk"], None),
    "HAZARD & EXPOSURE": ('aggregation = "complement_geometric"\ncomplement = 11',
                          ["Natural", "Human"], None),
    "Socio-Economic Vulnerability": ('aggregation = "arithmetic"',
                                     ["Development & Deprivation", "Inequality",
                                      "Aid Dependency"], [2, 1, 1]),
    "Other Vulnerable Groups": ('aggregation = "complement_geometric"\ncomplement = 11',
                                ["Health Conditions", "Children U5", "Recent Shocks",
                                 "Food Security"], None),
    "Vulnerable Groups": ('aggregation = "complement_geometric"\ncomplement = 11',
                          ["Uprooted people", "Other Vulnerable Groups"], None),
    "VULNERABILITY": ('aggregation = "complement_geometric"\ncomplement = 11',
                      ["Socio-Economic Vulnerability", "Vulnerable Groups"], None),
    "Institutional": ('aggregation = "arithmetic"', ["DRR", "Governance"], None),
    "Infrastructure": ('aggregation = "arithmetic"',
                       ["Communication", "Physical infrastructure", "Access to health care"],
                       None),
    "LACK OF COPING CAPACITY": ('aggregation = "complement_geometric"\ncomplement = 11',
                                ["Institutional", "Infrastructure"], None),
}


def release_rows() -> list[dict]:
    with RELEASE.open(encoding="utf-8", newline="") as f:
        return [row for row in csv.DictReader(f) if row["ISO3"]]


def cell(row: dict, column: str) -> float | None:
    return None if row[column] in ("", "x") else float(row[column])


def one_level_model(tmp_path: Path, rule: str, n_children: int,
                    weights: list[float] | None) -> Path:
    lines = ["[index]", 'id = "agg"', "scale = 10", rule, ""]
    for c in range(n_children):
        lines += [f"[indicators.c{c}]", "goalposts = [0, 10]"]
        if weights:
            lines.append(f"weight = {weights[c]}")
        lines.append("")
    path = tmp_path / "agg.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def score_table(tmp_path: Path, model: Path, rows: list[list[float | None]], tag: str) -> list:
    data = tmp_path / f"{tag}.csv"
    n = len(rows[0])
    with data.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["entity", *[f"c{c}" for c in range(n)]])
        for e, values in enumerate(rows):
            writer.writerow([f"e{e}", *["" if v is None else repr(v) for v in values]])
    result = riskscore.assess(model, data=data)
    by_name = dict(zip(result.entities, result.scores, strict=True))
    return [by_name[f"e{e}"] for e in range(len(rows))]


@pytest.mark.parametrize("aggregate", list(AGGREGATES))
def test_every_published_aggregate_from_its_published_children(tmp_path, aggregate):
    rule, children, weights = AGGREGATES[aggregate]
    rows = [r for r in release_rows() if cell(r, aggregate) is not None]
    inputs = [[cell(r, c) for c in children] for r in rows]
    model = one_level_model(tmp_path, rule, len(children), weights)

    def shifted(delta):
        return [[None if v is None else min(10.0, max(0.0, v + delta)) for v in vals]
                for vals in inputs]

    low = np.array(score_table(tmp_path, model, shifted(-0.05), "low"))
    high = np.array(score_table(tmp_path, model, shifted(+0.05), "high"))
    published = np.array([cell(r, aggregate) for r in rows])
    outside = [(rows[i]["COUNTRY"], published[i], low[i], high[i]) for i in range(len(rows))
               if not (low[i] - 0.05 - 1e-9 <= published[i] <= high[i] + 0.05 + 1e-9)]
    assert len(rows) >= 150
    assert outside == []


def test_inform_risk_from_the_three_dimensions_exactly_at_one_decimal(tmp_path):
    dims = ["HAZARD & EXPOSURE", "VULNERABILITY", "LACK OF COPING CAPACITY"]
    rows = [r for r in release_rows() if cell(r, "INFORM RISK") is not None]
    model = one_level_model(tmp_path, 'aggregation = "geometric"\nzeros = "zero"', 3, None)
    scores = score_table(tmp_path, model, [[cell(r, d) for d in dims] for r in rows], "risk")
    mismatches = [(r["COUNTRY"], r["INFORM RISK"], s) for r, s in zip(rows, scores, strict=True)
                  if f"{s + 1e-9:.1f}" != f"{float(r['INFORM RISK']):.1f}"]
    assert len(rows) == 191
    assert mismatches == []


def test_risk_class_thresholds_match_the_published_classes():
    """The model's bands reproduce every class the 2020 release publishes beside its scores."""
    model = load_model(EXAMPLE / "model.toml")
    with (EXAMPLE / "INFORM_GRI_2020_v040_classes.csv").open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["INFORM RISK"]]
    wrong = [(r["COUNTRY"], r["INFORM RISK"], r["RISK CLASS"]) for r in rows
             if model.score_class(float(r["INFORM RISK"])).casefold()
             != r["RISK CLASS"].casefold()]
    assert len(rows) >= 190
    assert wrong == []


def test_full_model_classes_follow_the_rounded_score():
    result = riskscore.assess(EXAMPLE / "model.toml", data=EXAMPLE / "components.csv")
    somalia = result.index("Somalia")
    # Somalia's published INFORM RISK is 9.1: "Very High" (6.5 and above).
    assert round(float(result.scores[somalia]), 1) == pytest.approx(9.1, abs=0.15)
    assert result.model.score_class(float(result.scores[somalia])) == "Very High"
    row = next(r for r in result.results() if r["entity"] == "Somalia")
    assert row["class"] == "Very High"


def test_components_table_is_the_release_table():
    """components.csv holds exactly the release's component columns (no drift)."""
    with (EXAMPLE / "components.csv").open(encoding="utf-8") as f:
        components = list(csv.DictReader(f))
    release = release_rows()
    assert [r["entity"] for r in components] == [r["COUNTRY"] for r in release]
    assert components[0]["current_conflict_intensity"] == release[0][
        "Current Highly Violent Conflict Intensity"]
    assert components[1]["drr"] == ""          # Albania's DRR is 'x' (not available)


def test_the_report_names_each_country_s_class(tmp_path):
    from click.testing import CliRunner

    from riskscore.cli.main import cli

    output = tmp_path / "inform.md"
    result = CliRunner().invoke(cli, [
        "report", "--config", str(EXAMPLE / "model.toml"), "--data",
        str(EXAMPLE / "components.csv"), "--samples", "0", "--output", str(output)])
    assert result.exit_code == 0, result.output
    summary = output.read_text(encoding="utf-8").split("## Summary")[1].split("\n## ")[0]
    header = next(line for line in summary.splitlines()
                  if line.lstrip("| ").startswith("rank"))
    assert header.rstrip("|").split("|")[-1].strip() == "class"
    somalia = next(line for line in summary.splitlines() if "| Somalia" in line)
    assert somalia.rstrip().rstrip("|").split("|")[-1].strip() == "Very High"
