"""The ``riskscore groups`` command: each group's summary and its entities' ranks within it."""

from __future__ import annotations

import click

from riskscore.cli.options import emit, format_option, handle_errors, input_options, output_option


@click.command()
@input_options
@format_option
@output_option
@click.option("--by", "column", default=None, metavar="COLUMN",
              help="The group column to summarise [default: every group column of the model].")
@handle_errors
def groups(config, profiles, data, article, weights, sources, as_of, fmt, output, column):
    """Results by group: count, mean, median, min and max of the index and each dimension
    per group (as COINr's results by group), and each entity's rank within its group.

    Groups are the model's group columns ([columns] groups, or index.groups) -- the same
    groups that group_mean / group_median imputation uses.

    \b
    Example:
      riskscore groups --by region
      riskscore groups --format json
    """
    from riskscore.analyses.groups import group_ranks, group_summaries, summary_long_rows
    from riskscore.cli.main import run_assessment
    from riskscore.errors import ConfigError
    from riskscore.outputs.render import render_rows, to_json

    result = run_assessment(config, profiles, data, article, weights, sources, as_of)
    if not result.group_columns:
        raise ConfigError(result.model.path, "columns.groups", "declares no group column",
                          'groups = ["region"] in [columns] (or index.groups) naming the '
                          "text column(s) that group the entities")
    if column is not None and column not in result.group_columns:
        raise ConfigError("command line", "--by", f"is {column!r}",
                          "one of the model's group columns: " + ", ".join(result.group_columns))
    columns = [column] if column else list(result.group_columns)
    if fmt == "json":
        ranks = group_ranks(result)
        emit(to_json({"scale": result.model.scale, "root": result.model.root,
                      "summaries": {c: s for c, s in group_summaries(result).items()
                                    if c in columns},
                      "ranks": {e: {c: r[c] for c in columns} for e, r in ranks.items()}}),
             output)
        return
    if fmt == "csv":
        emit(render_rows([{"column": c, **r} for c in columns
                          for r in summary_long_rows(result, c)], "csv"), output)
        return
    places = ".1f" if result.model.scale >= 10 else ".3f"
    parts = [f"{c}:\n" + render_rows(summary_long_rows(result, c), fmt, floatfmt=places)
             for c in columns]
    emit("\n\n".join(parts) + "\n", output)
