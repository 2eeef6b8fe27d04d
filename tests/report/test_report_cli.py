"""The command itself: help text, errors, and one run through a real subprocess."""

from __future__ import annotations

import hashlib
import subprocess
import sys

from click.testing import CliRunner
from report_support import make_mini, mini_args

from riskscore.cli.report import report


def test_help_lists_the_options():
    result = CliRunner().invoke(report, ["--help"])
    assert result.exit_code == 0
    for option in ("--output", "--title", "--date", "--seed", "--weight", "--sources",
                   "--config", "--profiles"):
        assert option in result.output
    flat = "".join(result.output.split())  # help text wraps anywhere
    assert "reports/risk-report.md" in flat and "20191119" in flat


def test_unknown_weight_node_is_a_readable_error(tmp_path):
    mini = make_mini(tmp_path)
    result = CliRunner().invoke(report, [*mini_args(mini), "--output",
                                         str(tmp_path / "r.md"), "--weight", "nope=0.5"])
    assert result.exit_code == 1
    assert "nope" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "r.md").exists()


def test_a_report_on_a_data_table_names_it_with_its_hash_and_never_speaks_of_articles(
        tmp_path):
    model = tmp_path / "model.toml"
    model.write_text('[index]\nid = "risk"\n\n[indicators.x]\ngoalposts = [0, 10]\n\n'
                     '[indicators.y]\ngoalposts = [0, 1]\n', encoding="utf-8")
    data = tmp_path / "data.csv"
    data.write_text("entity,x,y\nAlpha,5,1\nBeta,10,\n", encoding="utf-8")
    output = tmp_path / "out" / "report.md"
    result = CliRunner().invoke(report, ["--config", str(model), "--data", str(data),
                                         "--output", str(output)])
    assert result.exit_code == 0, result.output
    text = output.read_text(encoding="utf-8")
    digest = hashlib.sha256(data.read_bytes()).hexdigest()
    assert f"Built from the data table `data.csv` (sha256 `{digest}`)." in text
    assert "article" not in text.lower()
    assert "**sources used:** the data table." in text
    # the gaps: y is missing for Beta only
    assert "| y           |         1 of 2 | Beta          |" in text


def test_real_subprocess(tmp_path):
    mini = make_mini(tmp_path)
    output = tmp_path / "sub" / "risk-report.md"
    run = subprocess.run(
        [sys.executable, "-c", "from riskscore.cli.report import report; report()",
         *mini_args(mini), "--output", str(output)],
        capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    assert f"wrote {output}" in run.stderr
    assert output.read_text(encoding="utf-8").startswith("# Mini surveillance risk: risk report")


def test_library_never_imports_click():
    run = subprocess.run(
        [sys.executable, "-c", "import sys, riskscore.outputs.report, riskscore.outputs.report.markdown, "
         "riskscore.outputs.report.figures, riskscore.outputs.report.writer; print('click' in sys.modules)"],
        capture_output=True, text=True, timeout=60, check=True)
    assert run.stdout.strip() == "False"
