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
    project_columns,
    resolve_inputs,
    weight_set_option,
    what_if_option,
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
                       else as_of, known_at=known_at_option(), columns=project_columns(),
                       weight_set=weight_set_option(), what_if=what_if_option())
    summary = result.summary()
    if fmt == "json":
        text = to_json(result.to_dict())
    elif fmt == "csv":
        text = render_rows([{**f.to_dict(), "indicator": f.indicator} for f in result.findings],
                           "csv", [*COLUMNS, "accepted", "accepted_reason"])
    else:
        if fmt == "table":
            text = finding_cards(result.rows())
        else:
            rows = [{**row, "fix": row["fix"] + (f" [accepted: {row['accepted_reason']}]"
                                                  if row["accepted"] else "")}
                    for row in result.rows()]
            text = render_rows(rows, fmt, COLUMNS)
        text += (f"\n\n{summary['errors']} error(s), {summary['warnings']} warning(s) "
                 f"(+{summary['accepted_warnings']} accepted), {summary['notes']} note(s); "
                 + ("passes --strict" if summary["passes_strict"] else "fails --strict") + "\n")
    emit(text, output)
    if strict and not summary["passes_strict"]:
        ctx.exit(1)


#: The order findings are printed in on a terminal: what fails --strict first.
LEVEL_ORDER = ("error", "warning", "warning (accepted)", "note", "note (accepted)")


def finding_cards(rows: list[dict]) -> str:
    """One card per finding, errors first, then warnings, accepted warnings and notes: a
    head line (level, code, country and indicators), the message, the fix and, for an
    accepted finding, the model's reason; each wrapped to the terminal."""
    from riskscore.outputs.render import style, wrap_text

    rank = {level: i for i, level in enumerate(LEVEL_ORDER)}
    cards = []
    for row in sorted(rows, key=lambda r: rank.get(r["level"], len(LEVEL_ORDER))):
        where = " · ".join(x for x in (row["entity"], row["indicator"]) if x)
        head = f"{row['level']}: {row['code']}" + (f" · {where}" if where else "")
        lines = [style(line, bold=True) for line in wrap_text(head, None, "", "    ")]
        lines += wrap_text(row["message"], None, "  ", "  ")
        lines += wrap_text(f"fix: {row['fix']}", None, "  ", "    ")
        if row["accepted"]:
            lines += wrap_text(f"accepted: {row['accepted_reason']}", None, "  ", "    ")
        cards.append("\n".join(lines))
    return "\n\n".join(cards) if cards else "no findings"
