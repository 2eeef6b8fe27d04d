"""The command line: parse options, call the library, format the result. Nothing else.

Library errors (``RiskscoreError``) become one-line messages with exit code 1;
usage errors are click's (exit code 2).
"""

from __future__ import annotations

import importlib

import click

from riskscore import __version__
from riskscore.cli_options import (
    data_sheet,
    emit,
    format_option,
    handle_errors,
    input_options,
    known_at_option,
    output_option,
    require_output,
    resolve_inputs,
    run_assessment,
    workbook_format_option,
)


class LazyGroup(click.Group):
    """A group whose heavier commands are imported only when they are run (or listed)."""

    lazy = {
        "audit": "riskscore.cli_audit:audit",
        "explore": "riskscore.cli_explore:explore",
        "compare": "riskscore.cli_time:compare",
        "extract": "riskscore.cli_extract:extract",
        "init": "riskscore.cli_project:init",
        "list": "riskscore.cli_project:list_",
        "report": "riskscore.cli_report:report",
        "sensitivity": "riskscore.cli_sensitivity:sensitivity",
        "trend": "riskscore.cli_time:trend",
    }

    def list_commands(self, ctx):
        return sorted([*super().list_commands(ctx), *self.lazy])

    def get_command(self, ctx, name):
        if name in self.lazy:
            module, attr = self.lazy[name].split(":")
            return getattr(importlib.import_module(module), attr)
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="riskscore")
def cli():
    """Transparent policy-risk scoring: ranked, explained, evidence-traced.

    Scores countries' exposure to Chinese surveillance technology (vendor share,
    sanctioned suppliers, debt, data-localisation gaps) from evidence-backed
    profiles. Run from the project root, or pass --config and --profiles.
    """


@cli.command()
@input_options
@workbook_format_option
@output_option
@handle_errors
def score(config, profiles, data, article, weights, sources, as_of, fmt, output):
    """Rank the countries: score, dimension scores, coverage and main drivers."""
    from riskscore.render import render_rows, to_json
    from riskscore.sensitivity.tipping import nearest_by_entity

    require_output(fmt, output)
    result = run_assessment(config, profiles, data, article, weights, sources, as_of)
    nearest = nearest_by_entity(result)
    if fmt == "xlsx":
        from riskscore.workbook import assessment_workbook

        emit(assessment_workbook(result, nearest), output)
        return
    if fmt == "json":
        emit(to_json(result.to_dict({e: p.to_dict() if p else None for e, p in nearest.items()})),
             output)
        return
    # Node ids, not labels: they are what `--weight NODE=W` takes to try the swap.
    text = render_rows(result.table_rows({e: p.short(e) for e, p in nearest.items() if p}), fmt)
    if fmt == "table":
        notes = []
        if result.model.overrides:
            notes.append("what-if weights: " + ", ".join(
                f"{k}={v:g}" for k, v in result.model.overrides.items()))
        if result.sources == "article":
            notes.append("article-quoted values only (--sources article)")
        text += "\n" + "".join(f"\n{n}" for n in notes) + (
            "\nscores 0-100, higher = more risk; 'riskscore explain COUNTRY' shows why."
            "\nnearest weight tipping point: the smallest change of one weight (its siblings "
            "rescaled) that swaps the country\nwith a neighbour (try it with --weight NODE=W); "
            "'riskscore sensitivity' gives rank intervals over all weights and modelling choices.\n")
    emit(text, output)


@cli.command()
@click.argument("country")
@input_options
@workbook_format_option
@output_option
@handle_errors
def explain(country, config, profiles, data, article, weights, sources, as_of, fmt, output):
    """Why COUNTRY scores what it does: every indicator's value, weight and evidence."""
    from riskscore.explain import explain as explain_entity
    from riskscore.render import render_rows, to_json
    from riskscore.sensitivity.tipping import nearest_by_entity

    require_output(fmt, output)
    result = run_assessment(config, profiles, data, article, weights, sources, as_of)
    name = result.entities[result.index(country)]
    nearest = nearest_by_entity(result)
    point = nearest[name]
    if fmt == "xlsx":
        from riskscore.workbook import assessment_workbook

        emit(assessment_workbook(result, nearest, entity=name), output)
        return
    detail = explain_entity(result, name, point.to_dict() if point else None)
    if fmt == "json":
        emit(to_json(detail), output)
        return
    if fmt == "csv":
        emit(render_rows(detail["rows"], "csv"), output)
        return
    columns = ["indicator", "value", "normalised", "weight", "effective weight",
               "contribution", "share of score", "status", "as_of", "published", "evidence"]
    rows = [{**row, "share of score": _fmt(row["share of score"], ".0%"),
             "evidence": row["evidence"]
             + (f" [not counted: {row['not_counted_because']}]" if row["not_counted_because"] else "")
             + (f" [judgement: {row['judgement']}]" if row["judgement"] else "")
             + (f" [dates: {row['chosen']}]" if row["chosen"] else "")}
            for row in detail["rows"]]
    score_text = _fmt(detail["score"], ".1f")
    header = (f"{detail['entity']}: score {score_text}, rank {detail['rank']} of {detail['of']}; "
              f"coverage {detail['observed_indicators']}/{detail['indicators']} indicators "
              f"({detail['coverage']:.0%} of weight); missing data: {detail['missing_policy']}"
              f"; as of {detail['as_of'] or 'undated'}"
              + (f", as known on {detail['known_at']}" if detail["known_at"] else ""))
    dims = ", ".join(f"{d} {_fmt(v, '.1f')}" for d, v in detail["dimensions"].items())
    holds = (f"rank holds until {point.sentence()}" if point
             else "no single weight in [0, 1] changes this rank")
    decomposition = "; ".join(f"{k}: {v}" for k, v in detail["decomposition"].items())
    text = (f"{header}\ndimensions: {dims}\n{holds}\ncontributions: {decomposition}\n\n"
            + render_rows(rows, fmt, columns, wrap={"evidence": 70},
                          floatfmt={"weight": ".3f", "effective weight": ".3f"}) + "\n")
    emit(text, output)


@cli.command()
@click.argument("country", required=False)
@input_options
@workbook_format_option
@output_option
@handle_errors
def evidence(country, config, profiles, data, article, weights, sources, as_of, fmt, output):
    """The evidence behind every value (one row per quote or source), for COUNTRY or all."""
    from riskscore.explain import evidence_rows
    from riskscore.render import render_rows, to_json

    require_output(fmt, output)
    result = run_assessment(config, profiles, data, article, weights, sources, as_of)
    if fmt == "xlsx":
        from riskscore.sensitivity.tipping import nearest_by_entity
        from riskscore.workbook import assessment_workbook

        name = result.entities[result.index(country)] if country else None
        emit(assessment_workbook(result, nearest_by_entity(result), entity=name), output)
        return
    rows = evidence_rows(result, country)
    if fmt == "json":
        emit(to_json(rows), output)
        return
    columns = ["entity", "indicator", "value", "kind", "as_of", "quote", "source", "url", "note"]
    emit(render_rows(rows, fmt, columns, floatfmt="g",
                     wrap={"quote": 50, "source": 40, "url": 40, "note": 40}), output)


@cli.command()
@input_options
@format_option
@handle_errors
@click.pass_context
def validate(ctx, config, profiles, data, article, weights, sources, as_of, fmt):
    """Check the config, profiles, registry and article quotes without scoring.

    Names every error in every file in one run, then the warnings (placeholders,
    values beyond their goalposts, files ignored for their extension). Exit 1 on any error.
    """
    from riskscore.render import render_rows, to_json
    from riskscore.validation import validate as validate_inputs
    from riskscore.weights import parse_weight_options

    config, profiles, data, article = resolve_inputs(config, profiles, data, article)
    found = validate_inputs(config, profiles=profiles if data is None else None, data=data,
                            sheet=data_sheet(), article=article,
                            weights=parse_weight_options(weights), as_of=as_of,
                            known_at=known_at_option())
    if fmt == "json":
        click.echo(to_json({"ok": found.ok, "problems": found.rows(), "checked": found.checked}),
                   nl=False)
    elif fmt in ("csv", "markdown"):
        click.echo(render_rows(found.rows(), fmt, ["level", "code", "file", "key", "message"]))
    else:
        for problem in (*found.errors, *found.warnings):
            click.echo(f"{problem.level}: {problem.message}")
        if found.ok:
            for line in found.checked:
                click.echo(f"ok: {line}")
        click.echo(f"{len(found.errors)} error(s), {len(found.warnings)} warning(s)")
    ctx.exit(0 if found.ok else 1)


def _fmt(value, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def main() -> None:
    from riskscore.fileio import install_sigterm_handler

    install_sigterm_handler()
    cli(prog_name="riskscore")
