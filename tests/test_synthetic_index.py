"""`python benchmarks/synthetic.py DIR` writes a synthetic index a user can score."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from riskscore.cli.main import cli
from support import ROOT

SCRIPT = ROOT / "benchmarks" / "synthetic.py"


def test_help_says_what_it_writes_with_an_example():
    run = subprocess.run([sys.executable, str(SCRIPT), "--help"], capture_output=True, text=True,
                         check=False, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "model.toml and data.csv" in run.stdout and "example: python benchmarks" in run.stdout


def test_it_writes_an_index_that_scores(tmp_path):
    run = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path / "synth"), "--entities",
                          "12", "--indicators", "6", "--depth", "2"], capture_output=True,
                         text=True, check=False, timeout=60)
    assert run.returncode == 0, run.stderr
    model, data = tmp_path / "synth" / "model.toml", tmp_path / "synth" / "data.csv"
    assert run.stdout.splitlines()[-1] == f"next: riskscore score --config {model} --data {data}"
    lines = data.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "entity,x000,x001,x002,x003,x004,x005" and len(lines) == 1 + 12
    scored = CliRunner().invoke(cli, ["score", "--config", str(model), "--data", str(data),
                                      "--format", "json"])
    assert scored.exit_code == 0, scored.output
    assert len(json.loads(scored.output)["results"]) == 12


def test_a_size_below_one_is_a_usage_error(tmp_path):
    run = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path), "--entities", "0"],
                         capture_output=True, text=True, check=False, timeout=60)
    assert run.returncode == 2 and "must be at least 1" in run.stderr
    assert "Traceback" not in run.stderr
