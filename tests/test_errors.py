"""Bad input: one readable message naming the file and key, exit 1, no traceback."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from riskscore.cli.main import cli
from support import TINY_MODEL, write

GOOD_CSV = "entity,x,y,z\nAlpha,5,20,1\n"


def run(*args):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("model_text, expected", [
    ("[index\nid = 1", "malformed TOML"),
    ("", "file is empty"),
    (TINY_MODEL.replace("[nodes.b]\nweight = 1", "[nodes.b]\nweigth = 1"),
     "nodes.b.weigth: is not a known key"),
    (TINY_MODEL.replace("[nodes.b]\nweight = 1", "[nodes.b]\nweight = -1"),
     "nodes.b.weight: is -1; expected a number >= 0"),
    (TINY_MODEL.replace("[nodes.b]\nweight = 1", '[nodes.b]\nweight = "heavy"'),
     "nodes.b.weight: is the text 'heavy'; expected a number"),
    (TINY_MODEL.replace("[nodes.a]\nweight = 3", "[nodes.a]\nweight = 0")
     .replace("[nodes.b]\nweight = 1", "[nodes.b]\nweight = 0"),
     "index: has children whose weights are all zero"),
    (TINY_MODEL.replace('parent = "b"', 'parent = "c"'),
     "indicators.z.parent: is 'c', which is not a node"),
    (TINY_MODEL.replace("goalposts = [0, 10]", "goalposts = [10, 0]"),
     "indicators.x.goalposts: is [10, 0]; expected lower < upper"),
    (TINY_MODEL.replace("goalposts = [0, 10]", 'goalposts = [0, 10]\ntransform = "log"'),
     "indicators.x.goalposts: has lower 0 with transform 'log'"),
    (TINY_MODEL.replace("scale = 100", "scale = 0"), "index.scale: is 0"),
    (TINY_MODEL.replace("[nodes.a]\nweight = 3", '[nodes.a]\nweight = 3\nparent = "a"'),
     "nodes.a.parent: forms a cycle"),
])
def test_bad_model(tmp_path, model_text, expected):
    model = tmp_path / "model.toml"
    model.write_text(model_text)
    data = write(tmp_path / "d.csv", GOOD_CSV)
    result = run("score", "--config", str(model), "--data", str(data))
    assert result.exit_code == 1, result.output
    assert expected in result.output
    assert str(model) in result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    # one line per error: a lone error on the 'Error:' line, several beneath a count
    assert len(lines) == 1 or (lines[0] == f"Error: {len(lines) - 1} errors in the inputs, "
                               "one per line:" and all(str(model) in ln for ln in lines[1:]))


@pytest.mark.parametrize("csv_text, expected", [
    ("", "file is empty"),
    ("entity,x,y,z,x\nA,1,2,3,4\n", "column 'x': appears twice"),
    ("entity,x,y,z,w\nA,1,2,0,4\n", "header: has 1 column the model does not declare: 'w'"),
    ("entity,x,y\nA,1,2\n", "header: has no column for z"),
    ("entity,x,y,z\nA,1,2,0\nA,3,4,0\n", "line 3, column entity: repeats 'A'"),
    ("entity,x,y,z\nA,ten,2,0\n", "line 2, column x: is the text 'ten'"),
    ("entity,x,y,z\nA,nan,2,0\n", "line 2, column x: is 'nan'; expected a finite number"),
    ("entity,x,y,z\nA,1,inf,0\n", "line 2, column y: is 'inf'"),
    ("entity,x,y,z\n", "has a header but no rows"),
    ("x,y,z\n1,2,3\n", "has no 'entity' column"),
])
def test_bad_table(tiny, tmp_path, csv_text, expected):
    model, _ = tiny
    data = tmp_path / "bad.csv"
    data.write_text(csv_text)
    result = run("score", "--config", str(model), "--data", str(data))
    assert result.exit_code == 1, result.output
    assert expected in result.output and "bad.csv" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("weight, expected", [
    ("nosuch=0.5", "--weight: nosuch: is not a node or indicator"),
    ("a=lots", "--weight: a: has the weight 'lots'"),
    ("a=1.5", "--weight: a: has the weight 1.5"),
    ("a=nan", "--weight: a: has the weight nan"),
    ("a", "is not of the form NODE=W"),
    ("risk=0.5", "--weight: risk: is the index itself"),
])
def test_bad_weight_override(tiny, weight, expected):
    model, data = tiny
    result = run("score", "--config", str(model), "--data", str(data), "--weight", weight)
    assert result.exit_code == 1, result.output
    assert expected in result.output


def test_overrides_on_one_parent_must_leave_room(tiny):
    model, data = tiny
    result = run("score", "--config", str(model), "--data", str(data),
                 "--weight", "a=0.7", "--weight", "b=0.6")
    assert result.exit_code == 1
    assert "summing to 1.3" in result.output


def test_missing_files_are_named(tiny, tmp_path):
    model, data = tiny
    result = run("score", "--config", str(tmp_path / "nope.toml"), "--data", str(data))
    assert result.exit_code == 1 and "nope.toml: file not found" in result.output
    result = run("score", "--config", str(model), "--data", str(tmp_path / "nope.csv"))
    assert result.exit_code == 1 and "nope.csv: file not found" in result.output


def test_usage_errors_are_exit_2(tiny):
    model, data = tiny
    assert run("score", "--format", "yaml").exit_code == 2
    result = run("score", "--config", str(model), "--data", str(data), "--profiles", "x")
    assert result.exit_code == 2 and "not both" in result.output


def test_a_fault_of_riskscore_itself_is_one_message_and_debug_shows_it(tmp_path, monkeypatch):
    """A bug (not a user error) escaping a command: one line that says so, exit 1; with
    RISKSCORE_DEBUG=1 the exception itself propagates, for a traceback."""
    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    args = ["score", "--config", str(write(tmp_path / "m.toml", TINY_MODEL)),
            "--data", str(write(tmp_path / "d.csv", GOOD_CSV))]
    assert CliRunner().invoke(cli, args).exit_code == 0
    monkeypatch.setattr("riskscore.cli.main.run_assessment", broken)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "internal error (ZeroDivisionError: division by zero)" in result.output
    assert "RISKSCORE_DEBUG=1" in result.output
    debug = CliRunner().invoke(cli, args, env={"RISKSCORE_DEBUG": "1"})
    assert isinstance(debug.exception, ZeroDivisionError)


@pytest.mark.parametrize("command", [["score"], ["report", "--output", "{tmp}/out/r.md"],
                                     ["explain", "A"]])
def test_every_independent_data_error_in_one_run(tiny, tmp_path, command):
    model, _ = tiny
    data = write(tmp_path / "bad.csv", "entity,x,y,z,w,v\nA,ten,2,0,1,1\nB,1,lots,0,1,1\n"
                                       "C,1,2,inf,1,1\n")
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    result = run(*args, "--config", str(model), "--data", str(data))
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert lines[0] == "Error: 4 errors in the inputs, one per line:"
    assert "header: has 2 columns the model does not declare: 'w', 'v'" in lines[1]
    assert "line 2, column x: is the text 'ten'" in lines[2]
    assert "line 3, column y: is the text 'lots'" in lines[3]
    assert "line 4, column z: is 'inf'" in lines[4]
    assert not (tmp_path / "out").exists()   # nothing half-written
