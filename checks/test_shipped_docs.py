"""The committed documents describe the shipped example as it is: the README's sample table
and reports/ are what the commands make from the repository root's project today.

These checks read the files a user is invited to edit (config/, seeds/), so they are not part
of the test suite (`python -m pytest` runs tests/ only, on frozen fixtures): editing the
example's weights never breaks the tests. CI runs them (`python -m pytest checks`) after the
suite; after changing the shipped example, regenerate with `riskscore report` and paste
`riskscore score --format markdown` into the README.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from riskscore.cli.main import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMITTED = ROOT / "reports" / "risk-report.md"


def cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def test_readme_sample_table_is_the_real_ranking(monkeypatch):
    monkeypatch.chdir(ROOT)
    output = CliRunner().invoke(cli, ["score", "--format", "markdown"]).output
    real = [cells(line) for line in output.splitlines()[2:] if line.startswith("|")]
    start = README.index("|   rank | country")
    sample = [cells(line) for line in README[start:].splitlines()[2:2 + len(real)]]
    assert real and sample == real, ("the README's sample table differs from "
                                     "`riskscore score --format markdown`: paste it in")


def test_committed_report_matches_a_fresh_run(tmp_path, monkeypatch):
    assert COMMITTED.is_file(), "reports/risk-report.md is missing: run `riskscore report`"
    monkeypatch.chdir(ROOT)  # the root's project: config/model.toml, seeds/profiles
    output = tmp_path / "risk-report.md"
    result = CliRunner().invoke(cli, ["report", "--output", str(output)])
    assert result.exit_code == 0, result.output
    fresh = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert fresh, "nothing generated"
    for rel in fresh:
        committed = ROOT / "reports" / rel
        assert committed.is_file(), f"reports/{rel} is missing: run `riskscore report`"
        assert committed.read_bytes() == (tmp_path / rel).read_bytes(), (
            f"reports/{rel} differs from a fresh run: run `riskscore report` and commit it")
    committed_figures = sorted((ROOT / "reports" / "figures").glob("risk-report-*.svg"))
    assert [p.name for p in committed_figures] == sorted(
        p.name for p in (tmp_path / "figures").glob("*.svg"))
