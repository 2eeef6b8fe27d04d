"""``riskscore compare`` and ``riskscore trend``: editions of the index side by side.

Parse options, call ``riskscore.analyses.compare`` / ``riskscore.analyses.trend``, format. Nothing else.
"""

from __future__ import annotations

from pathlib import Path

import click

from riskscore.cli.options import (
    PERIOD,
    emit,
    format_option,
    handle_errors,
    input_options,
    known_at_option,
    other_edition_options,
    output_option,
    project_columns,
    resolve_inputs,
    run_assessment,
    run_other_edition,
)


@click.command()
@input_options
@other_edition_options
@format_option
@output_option
@handle_errors
def compare(config, profiles, data, article, weights, sources, as_of, to_as_of, to_known_at,
            to_config, to_profiles, to_data, to_weights, fmt, output):
    """What changed between two editions, and why: scores, ranks and an exact attribution.

    The base edition takes the usual options; the other takes --to-* (each defaults to the
    base's), and any --set what-ifs (so 'compare --set KGZ:debt=40' attributes that change;
    'compare --to-weights NAME' the change to a named weight set). Each country's change
    is split exactly (Shapley values over the groups of changes) into data changes per
    indicator, coverage changes (values appearing or disappearing) and method changes
    (weights, goalposts, aggregation, normalisation).

    Example: riskscore compare --to-as-of 2021-01-01
    """
    from riskscore.analyses.compare import compare as compare_editions
    from riskscore.cli.options import what_if_option
    from riskscore.outputs.comparison import comparison_csv, comparison_text
    from riskscore.outputs.render import to_json

    # --set is a what-if on the edition compared to: the change it makes is attributed
    base = run_assessment(config, profiles, data, article, weights, sources, as_of,
                          with_what_if=False)
    other = run_other_edition(base, config, profiles, data, article, weights, sources, to_as_of,
                              to_known_at, to_config, to_profiles, to_data, to_weights,
                              what_if=what_if_option())
    result = compare_editions(base, other)
    if fmt == "json":
        emit(to_json(result.to_dict()), output)
        return
    if fmt == "csv":
        emit(comparison_csv(result), output)
        return
    emit(comparison_text(result, fmt), output)


@click.command()
@input_options
@click.option("--from", "start", type=PERIOD, required=True,
              help="First date scored (YYYY, YYYY-MM or YYYY-MM-DD; a year means its last day).")
@click.option("--to", "end", type=PERIOD, required=True, help="Last date scored (inclusive).")
@click.option("--every", type=click.Choice(["year", "quarter", "month"], case_sensitive=False),
              default="year",
              show_default=True, help="Step between the dates scored.")
@click.option("--figure", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Also write the trend figure (SVG: one line per country, gaps where not "
                   "scored) to this file (a missing folder is created).")
@format_option
@output_option
@handle_errors
def trend(config, profiles, data, article, weights, sources, as_of, start, end, every, figure,
          fmt, output):
    """Scores and ranks over time: the same inputs scored on each date from --from to --to.

    Example: riskscore trend --from 2016 --to 2021 --figure trend.svg
    """
    from riskscore.analyses.trend import trend as trend_of
    from riskscore.engine.pipeline import load_inputs
    from riskscore.model.loader import load_model
    from riskscore.model.timeline import count_dates, date_range
    from riskscore.model.weights import apply_weight_overrides, parse_weight_options
    from riskscore.outputs.render import render_rows, to_json
    from riskscore.outputs.trend_text import trend_text

    if as_of is not None:
        raise click.UsageError("trend scores every date from --from to --to; drop --as-of")
    if end < start:
        raise click.UsageError(f"--to {end} is before --from {start}")
    count = count_dates(start, end, every)
    if count > 400:   # counted before any date is made: a far --to is the input's fault
        raise click.UsageError(f"--from {start} --to {end} --every {every} gives "
                               f"{count:,} dates; at most 400 (use a longer --every or a "
                               "shorter span)")
    dates = date_range(start, end, every)
    from riskscore.cli.options import weight_set_option, what_if_option
    from riskscore.model.weight_sets import apply_weight_set

    if what_if_option():
        raise click.UsageError("trend scores the recorded values on each date: --set is for "
                               "score, explain, compare and report")
    config, profiles, data, article = resolve_inputs(config, profiles, data, article)
    model = apply_weight_overrides(apply_weight_set(load_model(config, columns=project_columns()),
                                                    weight_set_option()),
                                   parse_weight_options(weights))
    inputs = load_inputs(model, profiles=profiles if data is None else None, data=data,
                         article=article)
    result = trend_of(model, inputs, dates, sources=sources, known_at=known_at_option(),
                      every=every)
    if figure is not None:
        from riskscore.outputs.report.figures import render_svg
        from riskscore.support.fileio import write_atomic

        write_atomic(figure, render_svg("trend", result.figure_data()))
        click.echo(f"wrote {figure}", err=True)
    if fmt == "json":
        emit(to_json(result.to_dict()), output)
    elif fmt == "csv":
        emit(render_rows(result.rows(), "csv"), output)
    else:
        emit(trend_text(result, model, fmt), output)
