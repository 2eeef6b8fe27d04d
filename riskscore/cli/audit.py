"""The ``riskscore audit`` command: parse options, run the audit, format it. Nothing else."""

from __future__ import annotations

import datetime as dt

import click

from riskscore.cli.options import (
    data_sheet,
    emit,
    format_option,
    handle_errors,
    input_options,
    known_at_option,
    output_option,
    resolve_inputs,
)

COLUMNS = ["level", "code", "entity", "indicator", "message", "fix"]


@click.command()
@input_options
@format_option
@output_option
@click.option("--strict", is_flag=True,
              help="Exit 1 on any error or any warning the model does not accept "
                   "([[audit.accept]]).")
@handle_errors
@click.pass_context
def audit(ctx, config, profiles, data, article, weights, sources, as_of, fmt, output, strict):
    """Review the model and its data without changing them: statistics, evidence, missing
    data and ranges. Every finding says what is wrong and how to fix it.

    \b
    Example:
      riskscore audit
      riskscore audit --format json --strict
    """
    from riskscore.analyses.audit import audit as run_audit
    from riskscore.model.weights import parse_weight_options
    from riskscore.outputs.render import render_rows, to_json

    config, profiles, data, article = resolve_inputs(config, profiles, data, article)
    result = run_audit(config, profiles=profiles if data is None else None, data=data,
                       sheet=data_sheet(), article=article, weights=parse_weight_options(weights),
                       sources=sources, as_of=as_of.date() if isinstance(as_of, dt.datetime)
                       else as_of, known_at=known_at_option())
    summary = result.summary()
    if fmt == "json":
        text = to_json(result.to_dict())
    elif fmt == "csv":
        text = render_rows([{**f.to_dict(), "indicator": f.indicator} for f in result.findings],
                           "csv", [*COLUMNS, "accepted", "accepted_reason"])
    else:
        rows = [{**row, "fix": row["fix"] + (f" [accepted: {row['accepted_reason']}]"
                                              if row["accepted"] else "")}
                for row in result.rows()]
        text = render_rows(rows, fmt, COLUMNS, wrap={"message": 70, "fix": 45, "indicator": 26})
        text += (f"\n\n{summary['errors']} error(s), {summary['warnings']} warning(s) "
                 f"(+{summary['accepted_warnings']} accepted), {summary['notes']} note(s); "
                 + ("passes --strict" if summary["passes_strict"] else "fails --strict") + "\n")
    emit(text, output)
    if strict and not summary["passes_strict"]:
        ctx.exit(1)
