"""The report leads with tiers (overlapping rank intervals) and floors/ceilings, then the
league table with a tier column; the tiers are recomputed here from the report's own
Robustness table by the overlap rule, written out independently of riskscore.analyses.tiers."""

from __future__ import annotations

import re

from click.testing import CliRunner

from riskscore.cli.main import cli
from tests.support import TINY_MODEL, write


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _table(text: str, first_header: str) -> list[dict]:
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith(f"| {first_header}")
                 or re.match(rf"^\|\s+{re.escape(first_header)}\s+\|", ln))
    head = _cells(lines[start])
    rows = []
    for ln in lines[start + 2:]:
        if not ln.startswith("|"):
            break
        rows.append(dict(zip(head, _cells(ln), strict=True)))
    return rows


def test_tiers_follow_the_overlap_of_the_reported_rank_intervals(tmp_path):
    model = write(tmp_path / "model.toml",
                  TINY_MODEL.replace("scale = 100", 'scale = 100\nmissing = "best_case"'))
    # two clear groups: A1, A2 near the top, B1, B2 near the bottom, one gap (B2's z)
    data = write(tmp_path / "data.csv", """
        entity,x,y,z
        A1,10,0,1
        A2,9.8,1,1
        B1,1,95,0
        B2,0.8,96,
        """)
    out = tmp_path / "r.md"
    result = CliRunner().invoke(cli, ["report", "--config", str(model), "--data", str(data),
                                      "--output", str(out), "--samples", "256"])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    summary = text[text.index("## Summary"):text.index("## Scores by dimension")]
    # what the evidence supports comes before the league table
    table_at = re.search(r"^\|\s+rank\s+\|", summary, re.M).start()
    assert summary.index("**What the evidence supports.**") < table_at
    league = _table(summary, "rank")
    robust = {r["country"]: r for r in _table(text, "country")
              if "5–95% rank" in r}
    # the overlap rule, by hand: walk down the ranking; join while best rank <= tier's worst
    expected, worst, tier = {}, 0, 0
    for row in league:
        lo, hi = (int(v) for v in re.split(r"–", robust[row["country"]]["5–95% rank"])) \
            if "–" in robust[row["country"]]["5–95% rank"] else \
            (int(robust[row["country"]]["5–95% rank"]),) * 2
        if tier == 0 or lo > worst:
            tier, worst = tier + 1, hi
        else:
            worst = max(worst, hi)
        expected[row["country"]] = str(tier)
    assert {r["country"]: r["tier"] for r in league} == expected
    # floors and ceilings: B2 lacks z (group b, weight 1/4): floor = its score, ceiling = +25
    b2 = next(r for r in league if r["country"] == "B2")
    low, high = (float(v) for v in b2["floor–ceiling"].split("–"))
    assert low == float(b2["score"]) and round(high - low, 1) == 25.0
    assert next(r for r in league if r["country"] == "A1")["floor–ceiling"] == "complete"
    assert b2["b"] == "n/a"
