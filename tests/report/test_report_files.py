"""Determinism and atomicity: same inputs, same bytes; a failing run changes nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

from click.testing import CliRunner
from report_support import make_mini, mini_args

from riskscore.cli.report import report


def _snapshot(directory: Path) -> dict[str, str]:
    return {str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def _invoke(args):
    return CliRunner().invoke(report, args)


def test_two_runs_give_identical_bytes(tmp_path):
    mini = make_mini(tmp_path)
    first, second = tmp_path / "one" / "risk-report.md", tmp_path / "two" / "risk-report.md"
    assert _invoke([*mini_args(mini), "--output", str(first)]).exit_code == 0
    assert _invoke([*mini_args(mini), "--output", str(second)]).exit_code == 0
    one, two = _snapshot(first.parent), _snapshot(second.parent)
    assert set(one) == {"risk-report.md", "figures/risk-report-contributions.svg",
                        "figures/risk-report-heatmap.svg", "figures/risk-report-rank-intervals.svg"}
    assert one == two


def test_report_has_no_absolute_paths_or_clock(tmp_path):
    mini = make_mini(tmp_path)
    output = tmp_path / "out" / "risk-report.md"
    assert _invoke([*mini_args(mini), "--output", str(output)]).exit_code == 0
    for path in output.parent.rglob("*"):
        if path.is_file():
            content = path.read_text(encoding="utf-8")
            assert str(tmp_path) not in content, path
            assert "<dc:date>" not in content


def test_date_title_and_seed_are_shown(tmp_path):
    mini = make_mini(tmp_path)
    output = tmp_path / "risk-report.md"
    result = _invoke([*mini_args(mini), "--output", str(output), "--date", "2020-01-31",
                      "--title", "Exposure | Central Asia", "--seed", "42"])
    assert result.exit_code == 0, result.output
    text = output.read_text(encoding="utf-8")
    assert text.startswith("# Exposure | Central Asia\n")
    assert "**Report date:** 2020-01-31" in text and "**evidence as of:** 2019-11-19" in text
    assert "seed 42" in text and "--seed 42" in text


def test_default_output_directory_is_created(tmp_path, monkeypatch):
    mini = make_mini(tmp_path)
    monkeypatch.chdir(mini)
    assert not (mini / "reports").exists()
    result = _invoke([])
    assert result.exit_code == 0, result.output
    assert (mini / "reports" / "risk-report.md").is_file()
    assert (mini / "reports" / "figures" / "risk-report-heatmap.svg").is_file()


def test_bad_config_leaves_previous_report_untouched(tmp_path):
    mini = make_mini(tmp_path)
    output = tmp_path / "out" / "risk-report.md"
    assert _invoke([*mini_args(mini), "--output", str(output)]).exit_code == 0
    before = _snapshot(output.parent)
    config = mini / "config" / "model.toml"
    config.write_text(config.read_text() + "\n[nodes.debt2]\nweight = 'heavy'\n")
    result = _invoke([*mini_args(mini), "--output", str(output)])
    assert result.exit_code == 1
    assert "model.toml" in result.output
    assert _snapshot(output.parent) == before


def test_failure_while_writing_leaves_previous_report_and_no_temp_dirs(tmp_path,
                                                                      monkeypatch):
    mini = make_mini(tmp_path)
    output = tmp_path / "out" / "risk-report.md"
    assert _invoke([*mini_args(mini), "--output", str(output)]).exit_code == 0
    before = _snapshot(output.parent)
    calls = []

    def failing_replace(src, dst):
        calls.append(dst)
        raise OSError("disk full")

    monkeypatch.setattr("riskscore.outputs.report.writer.os.replace", failing_replace)
    result = _invoke([*mini_args(mini), "--output", str(output), "--seed", "1"])
    assert result.exit_code == 1 and calls
    assert "cannot be written (disk full)" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert _snapshot(output.parent) == before
    assert sorted(p.name for p in output.parent.iterdir()) == ["figures", "risk-report.md"]


def test_failure_after_some_files_moved_restores_them(tmp_path, monkeypatch):
    mini = make_mini(tmp_path)
    output = tmp_path / "out" / "risk-report.md"
    assert _invoke([*mini_args(mini), "--output", str(output)]).exit_code == 0
    before = _snapshot(output.parent)
    import os

    real_replace = os.replace
    moved_in = []

    def replace_then_fail(src, dst):
        # The Markdown goes in last: by then every figure is swapped. Fail that one move.
        if Path(dst).name == "risk-report.md":
            raise OSError("disk full")
        real_replace(src, dst)
        moved_in.append(dst)

    monkeypatch.setattr("riskscore.outputs.report.writer.os.replace", replace_then_fail)
    result = _invoke([*mini_args(mini), "--output", str(output), "--weight", "debt=0.7"])
    assert result.exit_code == 1 and moved_in
    assert "cannot be written (disk full)" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)  # no traceback
    assert _snapshot(output.parent) == before
    assert sorted(p.name for p in output.parent.iterdir()) == ["figures", "risk-report.md"]


def test_failure_while_drawing_writes_nothing(tmp_path, monkeypatch):
    """A fault inside the drawing library (not something a user can cause) is reported as
    an internal error, without a traceback, and leaves the previous report as it was."""
    mini = make_mini(tmp_path)
    output = tmp_path / "out" / "risk-report.md"
    assert _invoke([*mini_args(mini), "--output", str(output)]).exit_code == 0
    before = _snapshot(output.parent)

    def broken(plot, data):
        raise RuntimeError("matplotlib exploded")

    monkeypatch.setattr("riskscore.outputs.report.figures.render_svg", broken)
    result = _invoke([*mini_args(mini), "--output", str(output), "--weight", "debt=0.7"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "internal error (RuntimeError: matplotlib exploded)" in result.output
    assert "nothing was written" in result.output and "Traceback" not in result.output
    assert _snapshot(output.parent) == before
    assert sorted(p.name for p in output.parent.iterdir()) == ["figures", "risk-report.md"]
    # and with no previous report, nothing at all is written
    fresh = tmp_path / "fresh" / "risk-report.md"
    assert _invoke([*mini_args(mini), "--output", str(fresh)]).exit_code == 1
    assert not fresh.parent.exists() or not any(fresh.parent.iterdir())


def test_figures_named_after_the_report(tmp_path):
    mini = make_mini(tmp_path)
    output = tmp_path / "what-if.md"
    assert _invoke([*mini_args(mini), "--output", str(output)]).exit_code == 0
    assert (tmp_path / "figures" / "what-if-contributions.svg").is_file()
    assert "](figures/what-if-heatmap.svg)" in output.read_text(encoding="utf-8")
