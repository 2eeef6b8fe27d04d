"""The ``riskscore report`` command: parse options, build the report, write it. Nothing else.

Registered on the main group with ``cli.add_command(report)``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from riskscore.cli.options import (
    Progress,
    handle_errors,
    input_options,
    other_edition_given,
    other_edition_options,
    project_name,
    project_output,
    run_assessment,
    run_other_edition,
    sensitivity_settings,
)

DEFAULT_TOP = 10   # keep equal to riskscore.outputs.report.DEFAULT_TOP (not imported: fast --help)
DEFAULT_SEED = 20191119  # keep equal to riskscore.outputs.report.DEFAULT_SEED (not imported: fast --help)


@click.command()
@input_options
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False),
              default=None,
              help="Report file [default: the project's report, reports/risk-report.md]; its "
                   "figures go to figures/<name>-*.svg beside it. All written atomically; the "
                   "folder is created if missing.")
@click.option("--title", default=None,
              help="Report title [default: the project's name (with the project's model), else the "
                   "model's label, followed by ': risk report'].")
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
@click.option("--top", type=click.IntRange(min=1), default=DEFAULT_TOP, show_default=True,
              help="Countries the report details (sections, dimension profiles, heat map); a "
                   "longer ranking is shown by its distribution, its top and bottom N and an "
                   "appendix of full tables.")
@click.option("--entities", default=None, metavar="A,B",
              help="The countries (names or ISO3 codes, comma-separated) that get a section, "
                   "instead of the top N.")
@other_edition_options(prefix="compare-to", what="The previous edition's (adds a 'What changed' "
                       "section; others default to this report's):")
@handle_errors
def report(config, profiles, data, article, weights, sources, as_of, output, title, date, seed,
           samples, settings_path, top, entities, to_as_of, to_known_at, to_config, to_profiles, to_data,
           to_weights):
    """Write the Markdown risk report (ranking, figures, evidence, methodology, sources).

    With any --compare-to-* option, a section says what changed since that previous
    edition (risers, fallers, an exact attribution) with the trend between the two dates.

    \b
    Example:
      riskscore report
      riskscore report --samples 0 -o out/report.md
      riskscore report --top 20 --entities Kazakhstan,UZB
      riskscore report --as-of 2021-01-01 --compare-to-as-of 2019-11-19
    """
    from riskscore.outputs.report import article_only_assessment, build_report, write_report

    result = run_assessment(config, profiles, data, article, weights, sources, as_of)
    chosen = _entity_list(entities)
    _check_entities(result, chosen)   # before any long work
    comparison = trend = None
    if other_edition_given(to_as_of, to_known_at, to_config, to_profiles, to_data, to_weights):
        comparison, trend = _changes(result, config, profiles, data, article, weights, sources,
                                     to_as_of, to_known_at, to_config, to_profiles, to_data,
                                     to_weights)
    output = project_output("report", output, fallback=Path("reports/risk-report.md"))
    if title is None and config is None and (name := project_name()) is not None:
        title = f"{name}: risk report"
    sensitivity = None
    if samples != 0:
        from riskscore.analyses.sensitivity import run_sensitivity

        with Progress() as progress:
            settings = sensitivity_settings(settings_path, config)
            sensitivity = run_sensitivity(result, settings, samples=samples, seed=seed,
                                          progress=progress)
    built = build_report(result, article_only_assessment(result), title=title,
                         date=date.date() if isinstance(date, dt.datetime) else date,
                         seed=seed, name=output.stem, sensitivity=sensitivity,
                         comparison=comparison, trend=trend, top=top, entities=chosen)
    written = write_report(built, output, create_folder=True)
    click.echo(f"wrote {output} and {len(written) - 1} figures", err=True)


def _entity_list(text: str | None) -> list[str]:
    """``--entities A,B``: the names, stripped; an empty item is refused."""
    if text is None:
        return []
    names = [part.strip() for part in text.split(",")]
    if not all(names):
        raise click.BadParameter(f"{text!r} has an empty name; expected names or ISO3 codes "
                                 "separated by commas, e.g. 'Kazakhstan,UZB'",
                                 param_hint="'--entities'")
    return names


def _check_entities(result, names: list[str]) -> None:
    """Every unknown name of ``--entities`` in one message, with a near match where there is one."""
    from riskscore.errors import RiskscoreError, did_you_mean

    unknown = []
    for name in names:
        try:
            result.index(name)
        except RiskscoreError:
            unknown.append(f"{name!r}" + did_you_mean(name, list(result.entities)))
    if unknown:
        listed = ", ".join(result.entities[:8]) + (", …" if len(result.entities) > 8 else "")
        raise click.BadParameter(f"{'; '.join(unknown)}: not a country of these inputs; expected "
                                 f"names or ISO3 codes of the scored countries ({listed})",
                                 param_hint="'--entities'")


def _changes(result, config, profiles, data, article, weights, sources, *others):
    """The comparison previous -> this edition, and the yearly trend between their dates
    (same model and inputs as this report) when the dates differ."""
    from riskscore.analyses.compare import compare
    from riskscore.analyses.trend import trend
    from riskscore.model.timeline import date_range

    previous = run_other_edition(result, config, profiles, data, article, weights, sources,
                                 *others)
    comparison = compare(previous, result)
    series = None
    if previous.as_of and result.as_of and previous.as_of != result.as_of:
        start, end = sorted((previous.as_of, result.as_of))
        dates = sorted({*date_range(start, end, "year"), end})
        series = trend(result.model, result.inputs, dates, sources=result.sources,
                       known_at=result.known_at)
    return comparison, series


if __name__ == "__main__":
    report()
