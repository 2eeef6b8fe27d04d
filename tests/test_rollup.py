"""riskscore rollup (issue 20): units aggregated into larger ones under the two named
rules, checked by hand on a six-unit table (three regions, populations 50 to 1000)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import riskscore
from riskscore.analyses.rollup import rollup
from riskscore.cli.main import cli

MODEL = """
[columns]
groups = ["region"]
keep = ["population"]

[index]
scale = 100

[nodes.a]
[nodes.b]
aggregation = "geometric"

[indicators.x]
parent = "a"
goalposts = [0, 100]
[indicators.y]
parent = "a"
goalposts = [0, 10]
weight = 2
[indicators.z]
parent = "b"
goalposts = [0, 1000]
"""
DATA = """entity,region,population,x,y,z
T1,North,100,10,2,100
T2,North,300,50,4,
T3,North,600,90,1,900
T4,South,50,20,9,400
T5,South,50,40,7,500
T6,East,1000,,5,300
"""


@pytest.fixture()
def files(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "model.toml").write_text(MODEL, encoding="utf-8")
    (tmp_path / "data.csv").write_text(DATA, encoding="utf-8")
    return tmp_path / "model.toml", tmp_path / "data.csv"


def run(args: list[str]) -> str:
    out = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert out.exit_code == 0, out.output
    return out.output


def test_values_rule_by_hand(files):
    model, data = files
    result = riskscore.assess(model, data=data)
    rolled = rollup(result, "region", "values", "population")
    north = next(r for r in rolled.rows if r["group"] == "North")
    # population-weighted means of the observed values: x (100*10 + 300*50 + 600*90)/1000,
    # y (100*2 + 300*4 + 600*1)/1000, z over T1 and T3 only (100*100 + 600*900)/700
    x, y, z = 70.0, 2.0, 550000 / 700
    assert north["values"] == pytest.approx({"x": x, "y": y, "z": z})
    a = (x / 100 + 2 * y / 10) / 3
    b = z / 1000
    assert north["nodes"]["a"] == pytest.approx(100 * a)
    assert north["score"] == pytest.approx(100 * (a + b) / 2)
    assert north["weight"] == 1000 and north["units"] == 3
    for row in rolled.rows:  # the engine's exact decomposition of each larger unit
        assert sum(v for v in row["contributions"].values() if v is not None) == \
            pytest.approx(row["score"])
    assert [r["group"] for r in rolled.rows] == ["North", "South", "East"]   # by score
    assert [r["rank"] for r in rolled.rows] == [1, 2, 3]


def test_values_rule_sums_counts(files):
    model, data = files
    result = riskscore.assess(model, data=data)
    rolled = rollup(result, "region", "values", None, sums=("z",))
    south = next(r for r in rolled.rows if r["group"] == "South")
    assert south["values"]["z"] == 900.0                     # 400 + 500
    assert south["values"]["x"] == pytest.approx(30.0)       # equal weights: (20 + 40) / 2


def test_scores_rule_by_hand(files):
    model, data = files
    result = riskscore.assess(model, data=data)
    rolled = rollup(result, "region", "scores", "population")
    north = next(r for r in rolled.rows if r["group"] == "North")

    def unit(x, y, z):
        a = (x / 100 + 2 * y / 10) / 3
        return 100 * (a + z / 1000) / 2 if z is not None else 100 * a   # z missing: a alone

    t1, t2, t3 = unit(10, 2, 100), unit(50, 4, None), unit(90, 1, 900)
    assert north["score"] == pytest.approx((100 * t1 + 300 * t2 + 600 * t3) / 1000)
    assert north["unit_parts"] == pytest.approx({"T1": 0.1 * t1, "T2": 0.3 * t2, "T3": 0.6 * t3})
    assert sum(north["contributions"].values()) == pytest.approx(north["score"])
    # a dimension a unit lacks (T2 has no b) is averaged over the others
    assert north["nodes"]["b"] == pytest.approx((100 * 10 + 600 * 90) / 700)
    for row in rolled.rows:
        assert sum(row["unit_parts"].values()) == pytest.approx(row["score"])


def test_rollup_cli_formats(files, tmp_path):
    model, data = files
    args = ["rollup", "--config", str(model), "--data", str(data), "--by", "region",
            "--weight-column", "population"]
    doc = json.loads(run([*args, "--format", "json"]))
    assert doc["rule"] == "values" and doc["weight"] == "population"
    assert "weighted means" in doc["rule_text"]
    text = run(args)
    assert text.splitlines()[0].split()[:5] == ["rank", "region", "units", "weight", "score"]
    assert "rule values:" in text and max(len(line) for line in text.splitlines()) <= 100
    csv_text = run([*args, "--format", "csv"])
    assert "contribution.x" in csv_text.splitlines()[0]
    out = tmp_path / "rollup.xlsx"
    run([*args, "--format", "xlsx", "-o", str(out)])
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(out.read_bytes()))
    assert book.sheetnames == ["Roll-up", "Contributions", "About"]
    sheet = book["Roll-up"]
    header = [c.value for c in sheet[1]]
    first = {h: c.value for h, c in zip(header, sheet[2], strict=True)}
    assert first["region"] == "North"
    assert first["score"] == pytest.approx(doc["results"][0]["score"])


@pytest.mark.parametrize(("extra", "expected"), [
    (["--by", "state"], "--by: is 'state'; expected one of the model's group columns: region"),
    (["--by", "region", "--weight-column", "x"],
     "--weight-column: is 'x'; expected a numeric column kept in [columns] keep: population"),
    (["--by", "region", "--rule", "scores", "--sum", "z"], "--sum: is given with --rule scores"),
    (["--by", "region", "--sum", "w"], "--sum: is 'w', not an indicator"),
])
def test_rollup_refuses_bad_options(files, extra, expected):
    model, data = files
    out = CliRunner().invoke(cli, ["rollup", "--config", str(model), "--data", str(data),
                                   *extra])
    assert out.exit_code != 0
    assert expected in " ".join(out.output.split())


def test_a_unit_without_a_weight_is_named(files):
    model, data = files
    data.write_text(DATA.replace("T5,South,50,", "T5,South,,"), encoding="utf-8")
    out = CliRunner().invoke(cli, ["rollup", "--config", str(model), "--data", str(data),
                                   "--by", "region", "--weight-column", "population"])
    assert out.exit_code != 0 and "T5: population: is None" in out.output


def test_values_rule_refuses_a_denominated_model(tmp_path):
    (tmp_path / "m.toml").write_text(MODEL.replace("[indicators.z]", "[denominators.pop2]\n\n"
                                                   "[indicators.z]\ndenominator = \"pop2\""),
                                     encoding="utf-8")
    lines = DATA.splitlines()
    table = [lines[0] + ",pop2"] + [line + ",5" for line in lines[1:]]
    (tmp_path / "d.csv").write_text("\n".join(table) + "\n", encoding="utf-8")
    result = riskscore.assess(tmp_path / "m.toml", data=tmp_path / "d.csv")
    with pytest.raises(Exception) as caught:
        rollup(result, "region", "values")
    assert "--rule: is 'values' for a model with denominators (pop2)" in str(caught.value)
    assert rollup(result, "region", "scores").rows   # the scores rule still rolls it up
