"""The report shipped in reports/ is what the command makes from the shipped data today."""

from __future__ import annotations

from click.testing import CliRunner
from report_support import ROOT

from riskscore.cli_report import report

COMMITTED = ROOT / "reports" / "risk-report.md"


def test_committed_report_matches_a_fresh_run(tmp_path, monkeypatch):
    assert COMMITTED.is_file(), "reports/risk-report.md is missing: run `riskscore report`"
    monkeypatch.chdir(ROOT)  # the defaults: config/model.toml, seeds/profiles
    output = tmp_path / "risk-report.md"
    result = CliRunner().invoke(report, ["--output", str(output)])
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
