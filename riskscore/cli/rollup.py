"""The ``riskscore rollup`` command: units aggregated into larger ones by a group column."""

from __future__ import annotations

import click

from riskscore.cli.options import (
    emit,
    handle_errors,
    input_options,
    output_option,
    require_output,
    workbook_format_option,
)


@click.command()
@input_options
@workbook_format_option
@output_option
@click.option("--by", "by", required=True, metavar="COLUMN",
              help="The group column whose groups are the larger units (a [columns] groups "
                   "column).")
@click.option("--rule", type=click.Choice(["values", "scores"]), default="values",
              show_default=True,
              help="values: weighted-mean indicator values scored by the model; scores: the "
                   "weighted mean of the units' scores.")
@click.option("--weight-column", default=None, metavar="COLUMN",
              help="A kept numeric column weighting each unit (e.g. population) "
                   "[default: equal weights].")
@click.option("--sum", "sums", multiple=True, metavar="INDICATOR",
              help="With --rule values: sum this indicator's values (a count) instead of "
                   "averaging them; repeatable.")
@handle_errors
def rollup(config, profiles, data, article, weights, sources, as_of, fmt, output, by, rule,
           weight_column, sums):
    """Roll units up into larger ones: tracts to counties, countries to regions.

    Each larger unit is a group of --by. Under --rule values its indicator values are the
    weighted means of its units' values (sums with --sum) and it is scored by the same
    model; under --rule scores its score is the weighted mean of its units' scores. Both
    give exact indicator contributions that add up to the score.

    \b
    Example:
      riskscore rollup --by region --weight-column population
      riskscore rollup --by region --rule scores --format json
    """
    from riskscore.analyses.rollup import RULES
    from riskscore.analyses.rollup import rollup as run_rollup
    from riskscore.cli.main import run_assessment
    from riskscore.outputs.render import render_rows, to_json

    require_output(fmt, output)
    result = run_assessment(config, profiles, data, article, weights, sources, as_of)
    rolled = run_rollup(result, by, rule, weight_column, tuple(sums))
    if fmt == "json":
        emit(to_json(rolled.to_dict()), output)
        return
    if fmt == "xlsx":
        from riskscore.outputs.workbook import rollup_workbook

        emit(rollup_workbook(rolled), output)
        return
    rows = rolled.table_rows()
    if fmt == "csv":
        rows = [{**r, **{f"contribution.{i}": full["contributions"].get(i)
                         for i in rolled.indicators}}
                for r, full in zip(rows, rolled.rows, strict=True)]
        emit(render_rows(rows, "csv"), output)
        return
    places = ".1f" if rolled.scale >= 10 else ".3f"
    import textwrap

    note = textwrap.fill(f"rule {rule}: {RULES[rule]}; weights: {weight_column or 'equal'}. "
                         "Contributions: --format json, csv or xlsx.", 90)
    emit(render_rows(rows, fmt, floatfmt={"score": places, "weight": "g",
                                          **{d: places for d in rolled.dimensions}})
         + "\n\n" + note + "\n", output)
