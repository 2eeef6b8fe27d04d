"""Reading hostile inputs (attack review defects 3, 5, 6 and 8, B26, G10, H04, the
settings caveat): one number syntax, the csv module on the file, names compared
without case, domains for values and bounds, files that are not files, no recursion."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hardening_support import assert_clean_error, run_cli

from riskscore.cli.main import cli
from riskscore.errors import DataError
from riskscore.support.checks import entity_key, goalposts_problem, parse_number, transform_problem
from riskscore.support.fileio import read_bytes
from support import write

TWO = """
[index]
id = "risk"
[indicators.x]
goalposts = [0, 10]
[indicators.y]
goalposts = [0, 10]
"""


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def two(tmp_path):
    return write(tmp_path / "m.toml", TWO)


# ---- one number syntax ---------------------------------------------------------------

@pytest.mark.parametrize("text", ["1_0", "0_1", "١٢", "１２", "1,5", "0x10", "inf", "-nan",
                                  "1e999", "", ".", "1.2.3", "٠.٥"])
def test_the_number_syntax_refuses(text):
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize(("text", "value"), [("12", 12.0), (" -0.5 ", -0.5), ("+.5", 0.5),
                                             ("1.5e3", 1500.0), ("2.", 2.0), ("7E-2", 0.07)])
def test_the_number_syntax_reads(text, value):
    assert parse_number(text) == value


def test_an_underscore_in_a_csv_cell_is_refused_not_read_as_ten(two, tmp_path):
    data = write(tmp_path / "d.csv", "entity,x,y\nA,1_0,5\n")
    result = run("explain", "A", "--config", two, "--data", data, "--format", "json")
    assert result.exit_code == 1
    assert "d.csv: line 2, column x: is the text '1_0'; expected a number such as" in result.output


def test_an_underscore_in_a_weight_is_refused(tiny):
    model, data = tiny
    result = run("score", "--config", model, "--data", data, "--weight", "a=0_1")
    assert result.exit_code == 1 and "--weight: a: has the weight '0_1'" in result.output


def test_the_same_weight_twice_is_an_error(tiny):
    model, data = tiny
    result = run("score", "--config", model, "--data", data, "--weight", "a=0.2",
                 "--weight", "a=0.7")
    assert result.exit_code == 1
    assert "--weight: a: is given twice (0.2 and 0.7); expected each node once" in result.output


# ---- the csv module reads the file -----------------------------------------------------

def test_a_quoted_newline_stays_in_the_name(two, tmp_path):
    data = write(tmp_path / "d.csv", 'entity,x,y\n"Al\npha",1,5\nB,2,2\n')
    result = run("score", "--config", two, "--data", data, "--format", "json")
    assert result.exit_code == 0, result.output
    assert sorted(r["entity"] for r in json.loads(result.output)["results"]) == ["Al\npha", "B"]


def test_errors_name_the_physical_line_after_blank_lines_and_multi_line_fields(two, tmp_path):
    data = write(tmp_path / "d.csv", 'entity,x,y\n\nA,1,5\n\n"B\nC",2,2\nD,ten,5\n')
    result = run("score", "--config", two, "--data", data)
    assert result.exit_code == 1
    assert "d.csv: line 7, column x: is the text 'ten'" in result.output


def test_a_field_over_the_size_limit_is_a_message(two, tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("entity,x,y\n" + "A" * 200_000 + ",1,1\n")
    proc = run_cli("score", "--config", two, "--data", data)
    assert_clean_error(proc, "d.csv: line 2: cannot be read as CSV (field larger than field "
                             "limit (131072)); expected CSV fields of at most 131,072 characters")


# ---- entity names ----------------------------------------------------------------------

def test_entity_names_compare_without_case_or_repeated_spaces():
    assert entity_key("  Czech\t Republic ") == entity_key("czech republic") == "czech republic"
    assert entity_key("Alpha") != entity_key("Alpha2")


def test_alpha_and_ALPHA_are_one_entity_spelt_twice(two, tmp_path):
    data = write(tmp_path / "d.csv", "entity,x,y\nAlpha,1,1\nALPHA,9,9\n")
    for command in (["score"], ["explain", "ALPHA"], ["validate"]):
        result = run(*command, "--config", two, "--data", data)
        assert result.exit_code == 1, (command, result.output)
        assert ("line 3, column entity: is 'ALPHA', the entity 'Alpha' (first at line 2, "
                "column entity) spelt differently") in result.output


def test_two_profiles_differing_in_case_are_refused(project):
    profiles = project / "seeds" / "profiles"
    source = sorted(profiles.glob("*.toml"))[0]
    text = source.read_text(encoding="utf-8")
    entity = next(line for line in text.splitlines() if line.startswith("entity"))
    name = entity.split("=", 1)[1].strip().strip('"')
    (profiles / "zz-copy.toml").write_text(text.replace(entity, f'entity = "{name.upper()}"'),
                                           encoding="utf-8")
    result = run("score", "--config", project / "config" / "model.toml", "--profiles", profiles)
    assert result.exit_code == 1
    assert f"zz-copy.toml: entity: repeats '{name.upper()}', already in {source.name}" \
        in result.output


# ---- domains of transforms, for values and bounds ----------------------------------------

@pytest.mark.parametrize(("value", "transform", "bad"), [
    (0.0, "log", True), (-1.0, "log10", True), (1e-300, "log", False),
    (-1.0, "log1p", True), (-2.0, "log1p", True), (-0.999, "log1p", False), (-5.0, None, False)])
def test_transform_domains(value, transform, bad):
    assert (transform_problem(value, transform) is not None) == bad


def test_log1p_of_minus_two_is_refused_not_scored_as_missing(tmp_path):
    model = write(tmp_path / "m.toml", TWO.replace("goalposts = [0, 10]\n[indicators.y]",
                                                   'goalposts = [0, 10]\ntransform = "log1p"\n'
                                                   "[indicators.y]"))
    data = write(tmp_path / "d.csv", "entity,x,y\nA,-2,9\nB,5,5\n")
    for command in ("score", "validate"):
        result = run(command, "--config", model, "--data", data)
        assert result.exit_code == 1, result.output
        assert "line 2, column x: is -2 under a log1p transform; expected a number > -1" \
            in result.output


def test_a_negative_lower_bound_under_log10_is_refused(project):
    profile = project / "seeds" / "profiles" / "uzbekistan.toml"
    text = profile.read_text(encoding="utf-8")
    assert text.count("lower = 300\n") == 1
    profile.write_text(text.replace("lower = 300\n", "lower = -500\n"), encoding="utf-8")
    for command in ("score", "validate"):
        result = run(command, "--config", project / "config" / "model.toml",
                     "--profiles", project / "seeds" / "profiles")
        assert result.exit_code == 1, result.output
        assert ".lower: is -500 under a log10 transform; expected a positive number" \
            in result.output


def test_goalposts_whose_span_overflows_are_refused(two, tmp_path):
    assert goalposts_problem(-1e308, 1e308, None).startswith("spans [-1e+308, 1e+308], too wide")
    assert goalposts_problem(-1e307, 1e307, None) is None
    model = write(tmp_path / "wide.toml", TWO.replace("goalposts = [0, 10]",
                                                      "goalposts = [-1e308, 1e308]", 1))
    result = run("validate", "--config", model, "--data", write(tmp_path / "d.csv",
                                                                "entity,x,y\nA,1,1\n"))
    assert result.exit_code == 1
    assert "indicators.x.goalposts: spans [-1e+308, 1e+308], too wide" in result.output


# ---- files that are not files, limits --------------------------------------------------

def test_dev_zero_as_registry_is_refused_before_reading(project):
    model = project / "config" / "model.toml"
    text = model.read_text(encoding="utf-8")
    assert 'registry = "suppliers.toml"' in text
    model.write_text(text.replace('registry = "suppliers.toml"', 'registry = "/dev/zero"'),
                     encoding="utf-8")
    proc = run_cli("score", "--config", model, "--profiles", project / "seeds" / "profiles",
                   timeout=60)
    assert_clean_error(proc, "/dev/zero: is a character device; expected a regular TOML file")


def test_a_fifo_as_data_is_refused_without_waiting_for_a_writer(two, tmp_path):
    fifo = tmp_path / "d.csv"
    os.mkfifo(fifo)
    proc = run_cli("score", "--config", two, "--data", fifo, timeout=60)
    assert_clean_error(proc, f"{fifo}: is a FIFO (named pipe); expected a regular CSV file")


def test_a_folder_as_model_is_refused(tmp_path):
    result = run("score", "--config", tmp_path)
    assert result.exit_code == 1 and f"{tmp_path}: is a directory" in result.output


def test_a_file_over_the_limit_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.toml"
    path.write_bytes(b"x" * 11)
    with pytest.raises(DataError, match=r"big.toml: is 11 bytes; expected a TOML file of at "
                                        r"most 10 bytes"):
        read_bytes(path, DataError, "TOML", limit=10)
    assert read_bytes(path, DataError, "TOML", limit=11) == b"x" * 11


# ---- a deep hierarchy -----------------------------------------------------------------

def test_a_hierarchy_1000_levels_deep_is_scored_and_explained(tmp_path):
    lines = ['[index]\nid = "risk"']
    for i in range(1000):
        lines.append(f'[nodes.n{i}]\nparent = "{"risk" if i == 0 else f"n{i - 1}"}"')
    lines.append('[indicators.x]\nparent = "n999"\ngoalposts = [0, 1]')
    model = write(tmp_path / "deep.toml", "\n".join(lines) + "\n")
    data = write(tmp_path / "deep.csv", "entity,x\nA,0.5\nB,0.25\n")
    for command in (["validate"], ["explain", "A"]):
        result = run(*command, "--config", model, "--data", data)
        assert result.exit_code == 0, (command, result.output)
    result = run("score", "--config", model, "--data", data, "--format", "json")
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)["results"]
    assert [(r["entity"], r["score"]) for r in scores] == [("A", 50.0), ("B", 25.0)]


# ---- as-of and settings ---------------------------------------------------------------

def test_an_as_of_date_in_the_future_is_warned_about(tiny):
    model, data = tiny
    proc = run_cli("score", "--config", model, "--data", data, "--as-of", "9999-12-31")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    assert "warning: --as-of 9999-12-31 is after today" in proc.stderr


def test_settings_are_found_beside_the_model_not_in_the_working_folder(project, tmp_path):
    settings = project / "config" / "sensitivity.toml"
    text = settings.read_text(encoding="utf-8")
    assert text.count("samples = 4000 ") == 1
    settings.write_text(text.replace("samples = 4000 ", "samples = 100 ").replace(
        "base_samples = 1024", "base_samples = 16"), encoding="utf-8")
    elsewhere = Path("/")   # as in the review: no project above it
    proc = run_cli("sensitivity", "--config", project / "config" / "model.toml",
                   "--profiles", project / "seeds" / "profiles", "--format", "json",
                   cwd=elsewhere, timeout=300)
    assert proc.returncode == 0, proc.stderr
    payload = json.loads(proc.stdout)
    assert payload["samples"] == 100 and payload["settings"]["path"] == str(settings)


def test_an_explicit_missing_settings_file_is_an_error(tiny, tmp_path):
    model, data = tiny
    result = run("sensitivity", "--config", model, "--data", data, "--settings",
                 tmp_path / "nope.toml")
    assert result.exit_code == 1 and f"{tmp_path / 'nope.toml'}: file not found" in result.output


def test_absent_default_settings_are_stated(tiny, monkeypatch):
    model, data = tiny
    monkeypatch.chdir(model.parent)   # outside any project
    assert not (model.parent / "sensitivity.toml").exists()
    result = run("sensitivity", "--config", model, "--data", data, "--samples", "20")
    assert result.exit_code == 0, result.output
    assert "built-in settings (no sensitivity.toml beside the model)" in " ".join(
        result.output.split())
