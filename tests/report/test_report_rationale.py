"""The methodology argues each indicator, goalpost and weight with the model's own rationale."""

from __future__ import annotations

from click.testing import CliRunner

from riskscore.cli.main import cli

MODEL = '''[index]
id = "r"
rationale = "Equal dimensions: no evidence favours one."

[nodes.money]
weight = 3
rationale = "Debt is the channel of leverage."

[nodes.tech]
weight = 1

[indicators.debt]
parent = "money"
goalposts = [0, 60]
rationale = "60% is where lenders' leverage is total."

[indicators.vendors]
parent = "tech"
goalposts = [0, 4]
'''


def test_rationale_reaches_the_methodology(tmp_path):
    model = tmp_path / "m.toml"
    model.write_text(MODEL, encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_text("entity,debt,vendors\nA,30,1\nB,10,3\n", encoding="utf-8")
    out = tmp_path / "r.md"
    result = CliRunner().invoke(cli, ["report", "--config", str(model), "--data", str(data),
                                      "--samples", "0", "--output", str(out)])
    assert result.exit_code == 0, result.output
    section = out.read_text(encoding="utf-8").split("### Why these indicators, goalposts and "
                                                   "weights")[1].split("\n### ")[0]
    assert "Equal dimensions: no evidence favours one." in section
    # money's share of the index is 3 / (3 + 1) = 75%; debt is all of its dimension
    assert "**money** (weight 75% of the index): Debt is the channel of leverage." in section
    assert ("**debt** (goalposts 0–60, 100% of its dimension): 60% is where lenders' "
            "leverage is total.") in section
    assert "vendors" not in section          # no rationale given, nothing invented
