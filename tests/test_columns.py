"""A data table as an analyst has it: column roles (``[columns]``), coded text, kept
denominators, every undeclared column in one message.

Expected scores are computed by hand from the tiny model (support.TINY_MODEL):
x on [0, 10], y on [0, 100] lower riskier (both under node a, weight 3), z on [0, 1]
(node b, weight 1); root = (3 * mean(x, y) + z) / 4 on 0-100.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from riskscore.cli.main import cli
from support import TINY_MODEL, write

ROLES = """
[columns]
id = "iso3"
label = "name"
groups = ["region"]
keep = ["population", "note"]
ignore = ["comment"]
"""

TABLE = """
iso3,name,region,population,note,comment,x,y,z
AAA,Alphaland,North,1000,"a note, with a comma",ignore me,5,20,1
BBB,Betaland,South,0,,,10,100,0
CCC,Gammaland,North,250.5,text only,,,50,0.5
"""


def run(*args, ok=True):
    result = CliRunner().invoke(cli, list(args))
    assert (result.exit_code == 0) == ok, result.output
    assert "Traceback" not in result.output
    return result


def by_hand(x: float | None, y: float, z: float) -> float:
    a = [v for v in (None if x is None else x / 10, 1 - y / 100) if v is not None]
    return (3 * sum(a) / len(a) + z) / 4 * 100


@pytest.fixture
def roles(tmp_path):
    model = write(tmp_path / "model.toml", TINY_MODEL + ROLES)
    data = write(tmp_path / "table.csv", TABLE)
    return model, data


def test_roles_reach_the_json(roles):
    model, data = roles
    out = json.loads(run("score", "--config", str(model), "--data", str(data),
                         "--format", "json").output)
    results = {r["entity"]: r for r in out["results"]}
    assert set(results) == {"AAA", "BBB", "CCC"}
    assert results["AAA"]["score"] == pytest.approx(by_hand(5, 20, 1))
    assert results["BBB"]["score"] == pytest.approx(by_hand(10, 100, 0))
    assert results["CCC"]["score"] == pytest.approx(by_hand(None, 50, 0.5))
    assert results["AAA"]["label"] == "Alphaland"
    assert results["CCC"]["groups"] == {"region": "North"}
    assert results["AAA"]["kept"] == {"population": 1000.0, "note": "a note, with a comma"}
    assert results["BBB"]["kept"] == {"population": 0.0, "note": None}
    assert "comment" not in json.dumps(out["results"])


def test_table_shows_labels_and_explain_takes_a_label(roles):
    model, data = roles
    table = run("score", "--config", str(model), "--data", str(data), "--format", "csv").output
    assert "Alphaland" in table and "AAA" not in table
    by_label = run("explain", "Betaland", "--config", str(model), "--data", str(data),
                   "--format", "json").output
    by_id = run("explain", "BBB", "--config", str(model), "--data", str(data),
                "--format", "json").output
    assert by_label == by_id


def test_undeclared_columns_are_one_message(tmp_path):
    model = write(tmp_path / "model.toml", TINY_MODEL)
    data = write(tmp_path / "table.csv", "entity,regimeType,x,y,z,note,pop\nA,x,1,2,0,n,3\n")
    result = run("score", "--config", str(model), "--data", str(data), ok=False)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert "has 3 columns the model does not declare: 'regimeType', 'note', 'pop'" in lines[0]
    assert 'keep = ["regimeType", "note", "pop"]' in lines[0]
    assert 'ignore = ["regimeType", "note", "pop"]' in lines[0]
    assert "[columns]" in lines[0] and "model.toml" in lines[0]


def test_validate_lists_undeclared_and_absent_columns_and_bad_cells_together(tmp_path):
    model = write(tmp_path / "model.toml", TINY_MODEL + '[columns]\nkeep = ["population"]\n')
    data = write(tmp_path / "table.csv", "entity,extra,x,y\nA,1,ten,2\nB,2,3,lots\n")
    result = run("validate", "--config", str(model), "--data", str(data), ok=False)
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert any("does not declare: 'extra'" in e for e in errors)
    assert any("has no column for z, population" in e for e in errors)
    assert any("line 2, column x: is the text 'ten'" in e for e in errors)
    assert any("line 3, column y: is the text 'lots'" in e for e in errors)
    assert len(errors) == 4


def test_missing_id_column_says_how_to_name_it(tmp_path):
    model = write(tmp_path / "model.toml", TINY_MODEL)
    data = write(tmp_path / "table.csv", "iso3,x,y,z\nAAA,1,2,0\n")
    result = run("score", "--config", str(model), "--data", str(data), ok=False)
    assert "header: has no 'entity' column" in result.output
    assert '[columns] id = "<the id column>"' in result.output
    assert "'iso3'" in result.output


@pytest.mark.parametrize("extra, expected", [
    ('[columns]\nid = "iso3"\nkeep = ["iso3"]\n',
     "columns.keep: names the column 'iso3' in id and keep"),
    ('[columns]\nkeep = ["x"]\n', "columns.keep: names 'x', which is also [indicators.x]"),
    ('[columns]\nignore = ["date"]\n', "columns.ignore: names 'date', a panel's own column"),
    ('[columns]\nkeeps = ["a"]\n', "columns.keeps: is not a known key"),
])
def test_bad_roles_name_the_key(tmp_path, extra, expected):
    model = write(tmp_path / "model.toml", TINY_MODEL + extra)
    data = write(tmp_path / "table.csv", TABLE)
    result = run("score", "--config", str(model), "--data", str(data), ok=False)
    assert expected in result.output


def test_index_groups_is_an_alias_of_columns_groups(tmp_path):
    model = write(tmp_path / "model.toml", TINY_MODEL.replace(
        'scale = 100', 'scale = 100\ngroups = ["region"]'))
    data = write(tmp_path / "table.csv", "entity,region,x,y,z\nA,North,1,2,0\n")
    out = json.loads(run("score", "--config", str(model), "--data", str(data),
                         "--format", "json").output)
    assert out["results"][0]["groups"] == {"region": "North"}


def test_project_columns_replace_the_models(tmp_path, monkeypatch):
    write(tmp_path / "model.toml", TINY_MODEL + '[columns]\nid = "code"\n')
    write(tmp_path / "table.csv", TABLE)
    write(tmp_path / "riskscore.toml", 'model = "model.toml"\ndata = "table.csv"\n' + ROLES)
    monkeypatch.chdir(tmp_path)
    out = json.loads(run("score", "--format", "json").output)
    assert {r["entity"] for r in out["results"]} == {"AAA", "BBB", "CCC"}
    write(tmp_path / "riskscore.toml", 'model = "model.toml"\ndata = "table.csv"\n'
          '[columns]\nid = "iso3"\nlabels = "name"\n')
    result = run("score", ok=False)
    assert "riskscore.toml: columns.labels: is not a known key" in result.output


CODED_MODEL = """
[index]
id = "risk"

[indicators.watch]
codes = { x = 1, "" = 0 }
goalposts = [0, 1]

[indicators.free]
codes = { yes = 0, no = 1 }
goalposts = [0, 1]

[indicators.level]
codes = { High = 2, Low = 0 }
goalposts = [0, 2]
"""


def test_coded_text_maps_to_numbers(tmp_path):
    model = write(tmp_path / "model.toml", CODED_MODEL)
    data = write(tmp_path / "table.csv", """
        entity,watch,free,level
        A,x,yes,High
        B,,NO,low
        C,x,,High
        """)
    out = json.loads(run("score", "--config", str(model), "--data", str(data),
                         "--format", "json").output)
    scores = {r["entity"]: r["score"] for r in out["results"]}
    # arithmetic mean of the three on 0-1: A = (1 + 0 + 1) / 3; B = (0 + 1 + 0) / 3;
    # C: free is missing (no "" code), so the mean of watch and level = (1 + 1) / 2
    assert scores["A"] == pytest.approx(200 / 3)
    assert scores["B"] == pytest.approx(100 / 3)
    assert scores["C"] == pytest.approx(100)


def test_an_unknown_code_lists_the_codes(tmp_path):
    model = write(tmp_path / "model.toml", CODED_MODEL)
    data = write(tmp_path / "table.csv", "entity,watch,free,level\nA,x,maybe,Medium\n")
    result = run("validate", "--config", str(model), "--data", str(data), ok=False)
    assert ("line 2, column free: is 'maybe', not one of the codes of free; expected one of "
            "'yes', 'no'") in result.output
    assert "line 2, column level: is 'Medium'" in result.output


@pytest.mark.parametrize("codes, expected", [
    ('codes = { yes = 1, YES = 0 }', "repeats the code 'yes'"),
    ('codes = { yes = "one" }', "codes.yes: is the text 'one'; expected a number"),
    ('codes = []', "codes: is a list"),
])
def test_bad_codes_are_config_errors(tmp_path, codes, expected):
    model = write(tmp_path / "model.toml", TINY_MODEL.replace(
        "goalposts = [0, 1]", "goalposts = [0, 1]\n" + codes))
    data = write(tmp_path / "table.csv", "entity,x,y,z\nA,1,2,yes\n")
    result = run("score", "--config", str(model), "--data", str(data), ok=False)
    assert expected in result.output


DENOMINATED = """
[index]
id = "risk"
normalisation = "goalposts"

[indicators.cameras]
denominator = "population"
per = 1000
goalposts = [0, 10]

[indicators.free]
goalposts = [0, 1]

[columns]
keep = ["population", "note"]
"""


def test_a_kept_column_is_a_denominator_with_its_own_domain(tmp_path):
    model = write(tmp_path / "model.toml", DENOMINATED)
    data = write(tmp_path / "table.csv", """
        entity,population,note,cameras,free
        A,2000,big,10,0.5
        B,0,empty,,1
        C,0,odd,4,0
        """)
    out = json.loads(run("score", "--config", str(model), "--data", str(data),
                         "--format", "json").output)
    results = {r["entity"]: r for r in out["results"]}
    # A: 10 / 2000 * 1000 = 5 of [0, 10] -> 0.5; mean with 0.5 -> 50
    assert results["A"]["score"] == pytest.approx(50)
    # B: a population of 0 where nothing is divided is no error; score = free alone
    assert results["B"]["score"] == pytest.approx(100)
    # C: 4 / 0 cannot be divided: cameras missing, score = free alone
    assert results["C"]["score"] == pytest.approx(0)
    assert results["A"]["kept"] == {"population": 2000.0, "note": "big"}
    text = run("explain", "C", "--config", str(model), "--data", str(data),
               "--format", "json").output
    assert '"note": "missing: no population to divide by"' in text


def test_a_declared_denominator_domain_is_checked(tmp_path):
    model = write(tmp_path / "model.toml", DENOMINATED.replace(
        '[columns]\nkeep = ["population", "note"]',
        '[columns]\nkeep = ["note"]\n\n[denominators.population]\ndomain = "nonnegative"'))
    data = write(tmp_path / "table.csv", "entity,population,note,cameras,free\n"
                 "A,0,x,,1\nB,-5,y,1,0\n")
    result = run("validate", "--config", str(model), "--data", str(data), ok=False)
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "line 3, column population: is -5" in errors[0]


@pytest.mark.parametrize("method", ["minmax", "zscore", "rank", "percentile"])
def test_data_scaled_methods_need_no_goalposts(tmp_path, method):
    model = write(tmp_path / "model.toml", f"""
        [index]
        id = "risk"
        normalisation = "{method}"

        [indicators.a]
        [indicators.b]
        direction = "lower_is_riskier"
        """)
    data = write(tmp_path / "table.csv", "entity,a,b\nA,1,30\nB,2,20\nC,4,10\n")
    out = json.loads(run("score", "--config", str(model), "--data", str(data),
                         "--format", "json").output)
    scores = {r["entity"]: r["score"] for r in out["results"]}
    # a rises A < B < C, b falls A > B > C (lower riskier): both say C riskiest, A least
    assert scores["C"] > scores["B"] > scores["A"]
    if method == "minmax":   # a: 0, 1/3, 1; b reversed: 0, 0.5, 1 -> means x 100
        assert scores == pytest.approx({"A": 0, "B": (1 / 3 + 0.5) / 2 * 100, "C": 100})
    assert [n["goalposts"] for n in out["model"]["nodes"] if n["kind"] == "indicator"] \
        == [None, None]
    listed = run("list", "indicators", "--config", str(model), "--data", str(data),
                 "--format", "csv").output
    assert "nan" not in listed


def test_goalposts_method_still_requires_goalposts(tmp_path):
    model = write(tmp_path / "model.toml", '[index]\nid = "r"\n[indicators.a]\n')
    data = write(tmp_path / "table.csv", "entity,a\nA,1\n")
    result = run("score", "--config", str(model), "--data", str(data), ok=False)
    assert "indicators.a.goalposts: is missing; expected a pair [lower, upper]" in result.output


def test_validate_never_warns_clipped_under_data_scaled_methods(tmp_path):
    text = TINY_MODEL.replace("scale = 100", 'scale = 100\nnormalisation = "minmax"')
    model = write(tmp_path / "model.toml", text)
    data = write(tmp_path / "table.csv", "entity,x,y,z\nA,50,-20,7\nB,-3,500,0\nC,1,2,0.5\n")
    result = run("validate", "--config", str(model), "--data", str(data))
    assert "clipped" not in result.output and "goalpost" not in result.output
    # the same values under goalposts are clipped: 5 values beyond [0,10], [0,100], [0,1]
    model.write_text(TINY_MODEL)
    result = run("validate", "--config", str(model), "--data", str(data))
    assert sum("goalposts clip it" in line for line in result.output.splitlines()) == 5


def test_a_coded_indicator_under_goalposts_spans_its_codes(tmp_path):
    model = write(tmp_path / "model.toml", '[index]\nid = "r"\n[indicators.regime]\n'
                  'codes = { democracy = 0, hybrid = 0.5, autocracy = 2 }\n')
    data = write(tmp_path / "table.csv", "entity,regime\nA,autocracy\nB,HYBRID \nC,democracy\n")
    out = json.loads(run("score", "--config", str(model), "--data", str(data),
                         "--format", "json").output)
    # goalposts [0, 2] from the codes: 2 -> 100, 0.5 -> 25, 0 -> 0
    assert {r["entity"]: r["score"] for r in out["results"]} == pytest.approx(
        {"A": 100, "B": 25, "C": 0})
    assert out["model"]["nodes"][-1]["goalposts"] == [0, 2]
