"""`riskscore audit` on the command line: the JSON contract, --strict, formats, a subprocess."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from audit_support import project
from click.testing import CliRunner

from riskscore.cli.main import cli
from support import EXAMPLE, ROOT

MODEL = """
[index]
id = "risk"
evidence_date = 2019-11-19

[indicators.x]
goalposts = [0, 100]
domain = "percent"

[indicators.k]
goalposts = [0, 2]
domain = [0, 2]
integer = true
"""

FLAWED = {"Alpha": {"x": 10, "k": 2}, "Beta": {"x": 60, "k": 2}, "Gamma": {"x": 30, "k": 2}}
ACCEPT = """
[[audit.accept]]
code = "zero-variance"
indicator = "k"
reason = "Kept to show that every supplier is listed."
"""

FINDING_KEYS = {"level", "code", "entity", "indicator", "message", "fix", "accepted",
                "accepted_reason"}


def invoke(tmp_path, *args, model=MODEL, profiles=FLAWED):
    config, directory = project(tmp_path, model, profiles)
    return CliRunner().invoke(cli, ["audit", "--config", str(config), "--profiles", str(directory),
                                    *args])


def test_json_contract(tmp_path):
    run = invoke(tmp_path, "--format", "json")
    assert run.exit_code == 0, run.output
    payload = json.loads(run.output)
    assert {"findings", "summary", "statistics", "missing_data", "inputs"} <= set(payload)
    for item in payload["findings"]:
        assert set(item) == FINDING_KEYS
        assert item["level"] in ("error", "warning", "note")
        assert isinstance(item["message"], str) and item["message"]
        assert isinstance(item["fix"], str) and item["fix"]
        assert item["entity"] is None or isinstance(item["entity"], str)
        assert item["indicator"] is None or isinstance(item["indicator"], str)
    (constant,) = [f for f in payload["findings"] if f["code"] == "zero-variance"]
    assert (constant["level"], constant["entity"], constant["indicator"]) == ("warning", None, "k")
    assert payload["summary"] == {"errors": 0, "warnings": 1, "accepted_warnings": 0,
                                  "notes": len(payload["findings"]) - 1, "passes_strict": False}


def test_strict_exits_1_on_an_unaccepted_warning_and_0_once_accepted(tmp_path):
    assert invoke(tmp_path / "a").exit_code == 0
    strict = invoke(tmp_path / "b", "--strict")
    assert strict.exit_code == 1
    assert "1 warning(s) (+0 accepted)" in strict.output and "fails --strict" in strict.output
    accepted = invoke(tmp_path / "c", "--strict", "--format", "json", model=MODEL + ACCEPT)
    assert accepted.exit_code == 0, accepted.output
    (constant,) = [f for f in json.loads(accepted.output)["findings"]
                   if f["code"] == "zero-variance"]
    assert constant["accepted"] is True
    assert constant["accepted_reason"] == "Kept to show that every supplier is listed."


def test_strict_exits_1_on_an_error(tmp_path):
    profiles = {**FLAWED, "Beta": {"x": 160, "k": 1}}
    run = invoke(tmp_path, "--strict", model=MODEL + ACCEPT, profiles=profiles)
    assert run.exit_code == 1
    assert "out-of-domain" in run.output and "values.x.value: is 160" in run.output


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv"])
def test_every_format_names_level_code_and_culprit(tmp_path, fmt):
    run = invoke(tmp_path, "--format", fmt, model=MODEL + ACCEPT)
    assert run.exit_code == 0
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(run.output)))
        (row,) = [r for r in rows if r["code"] == "zero-variance"]
        assert (row["level"], row["indicator"], row["accepted"]) == ("warning", "k", "True")
    else:
        assert "zero-variance" in run.output and "warning (accepted)" in run.output
    if fmt == "markdown":
        # brackets escaped in the Markdown source, so they show as brackets, never a link
        assert "\\[accepted: Kept to show that every supplier is listed.\\]" in run.output


def test_an_audit_that_cannot_run_is_one_message(tmp_path):
    run = CliRunner().invoke(cli, ["audit", "--config", str(tmp_path / "nope.toml")])
    assert run.exit_code == 1
    assert "nope.toml: file not found" in run.output and "Traceback" not in run.output


def test_subprocess_strict(tmp_path):
    config, directory = project(tmp_path, MODEL, FLAWED)
    proc = subprocess.run([sys.executable, "-m", "riskscore", "audit", "--strict", "--format",
                           "json", "--config", str(config), "--profiles", str(directory)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["summary"]["passes_strict"] is False


def test_the_shipped_index_can_be_audited():
    run = CliRunner().invoke(cli, ["audit", "--format", "json", "--config",
                                   str(EXAMPLE / "config" / "model.toml"), "--profiles",
                                   str(EXAMPLE / "seeds" / "profiles")])
    assert run.exit_code == 0, run.output
    payload = json.loads(run.output)
    assert {m["entity"] for m in payload["missing_data"]} == {
        "Kazakhstan", "Kyrgyzstan", "Tajikistan", "Uzbekistan"}


def test_on_a_terminal_each_finding_is_a_card_errors_first(tmp_path):
    """Beta's x = 160 is outside its percent domain (an error), k never varies (a warning,
    accepted here); the error comes first whatever order the audit found them in."""
    run = invoke(tmp_path, model=MODEL + ACCEPT, profiles={**FLAWED, "Beta": {"x": 160, "k": 2}})
    lines = run.output.splitlines()
    heads = [line for line in lines if line and not line.startswith(" ")]
    levels = [head.split(":")[0] for head in heads[:-1]]
    assert levels[0] == "error" and levels.count("error") == 1
    assert levels == sorted(levels, key=["error", "warning", "warning (accepted)", "note",
                                         "note (accepted)"].index)
    (card,) = [i for i, line in enumerate(lines) if line.startswith("warning (accepted): "
                                                                     "zero-variance · k")]
    body = lines[card + 1:lines.index("", card)]
    assert body[0].startswith("  ") and "k" in body[0]
    assert any(line.startswith("  fix: ") for line in body)
    assert any(line == "  accepted: Kept to show that every supplier is listed." for line in body)
    assert heads[-1].startswith("1 error(s), 0 warning(s) (+1 accepted)")
