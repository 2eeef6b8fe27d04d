"""The ``riskscore report`` command: parse options, build the report, write it. Nothing else.

Registered on the main group with ``cli.add_command(report)``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from riskscore.cli_options import (
    Progress,
    handle_errors,
    input_options,
    project_path,
    run_assessment,
    settings_path_or_default,
)

DEFAULT_SEED = 20191119  # keep equal to riskscore.report.DEFAULT_SEED (not imported: fast --help)


@click.command()
@input_options
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False),
              default=None,
              help="Report file [default: the project's report, reports/risk-report.md]; its "
                   "figures go to figures/<name>-*.svg beside it. All written atomically; the "
                   "folder is created if missing.")
@click.option("--title", default=None,
              help="Report title [default: the model's label followed by ': risk report'].")
@click.option("--date", "date", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Date shown in the report header [default: the evidence date].")
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True,
              help="Seed of the robustness analysis, printed for reproducibility.")
@click.option("--samples", type=click.IntRange(min=0), default=None,
              help="Monte Carlo draws for the robustness section; 0 leaves it out "
                   "[default: the [run] samples of the project's sensitivity settings].")
@click.option("--settings", "settings_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None,
              help="Sensitivity settings [default: the project's, config/sensitivity.toml].")
@handle_errors
def report(config, profiles, data, article, weights, sources, as_of, output, title, date, seed,
           samples, settings_path):
    """Write the Markdown risk report (ranking, figures, evidence, methodology, sources).

    \b
    Example:
      riskscore report
      riskscore report --samples 0 -o out/report.md
    """
    from riskscore.report import article_only_assessment, build_report, write_report

    result = run_assessment(config, profiles, data, article, weights, sources, as_of)
    output = project_path("report", output, fallback=Path("reports/risk-report.md"))
    sensitivity = None
    if samples != 0:
        from riskscore.sensitivity import load_settings, run_sensitivity

        with Progress() as progress:
            settings = load_settings(settings_path_or_default(settings_path))
            sensitivity = run_sensitivity(result, settings, samples=samples, seed=seed,
                                          progress=progress)
    built = build_report(result, article_only_assessment(result), title=title,
                         date=date.date() if isinstance(date, dt.datetime) else date,
                         seed=seed, name=output.stem, sensitivity=sensitivity)
    written = write_report(built, output, create_folder=True)
    click.echo(f"wrote {output} and {len(written) - 1} figures", err=True)


if __name__ == "__main__":
    report()
