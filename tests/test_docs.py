"""The README stays true: its sample table is the real output, and CI runs its test command."""

from __future__ import annotations

import re

from click.testing import CliRunner

from riskscore.cli import cli
from support import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def test_readme_sample_table_is_the_real_ranking(monkeypatch):
    monkeypatch.chdir(ROOT)
    output = CliRunner().invoke(cli, ["score", "--format", "markdown"]).output
    real = [cells(line) for line in output.splitlines()[2:] if line.startswith("|")]
    start = README.index("|   rank | country")
    sample = [cells(line) for line in README[start:].splitlines()[2:6]]
    assert sample == real


def test_readme_has_exactly_two_setup_commands_and_ci_runs_the_test_one():
    setup = README[README.index("## Set-up"):README.index("## What you get")]
    commands = re.findall(r"```bash\n(.+?)\n```", setup)
    assert len(commands) == 2
    install_and_score, install_and_test = commands
    assert install_and_score.endswith("riskscore score")
    test_command = install_and_test.split(" && ", 3)[-1]
    assert test_command == "ruff check . && python -m pytest"
    assert test_command in (ROOT / ".ci" / "run").read_text()
