"""The command line: parse options, call the library, format the result. Nothing else.

Library errors (``RiskscoreError``) become one-line messages with exit code 1;
usage errors are click's (exit code 2).
"""

from __future__ import annotations

import importlib
import sys

import click

from riskscore._version import __version__
from riskscore.cli.options import (
    data_sheet,
    emit,
    emit_pieces,
    format_option,
    handle_errors,
    input_options,
    is_quiet,
    known_at_option,
    output_option,
    project_columns,
    project_option,
    quiet_option,
    require_output,
    resolve_inputs,
    run_assessment,
    workbook_format_option,
)
from riskscore.outputs.render import FORMATS


class LazyGroup(click.Group):
    """A group whose heavier commands are imported only when they are run (or listed)."""

    lazy = {
        "audit": "riskscore.cli.audit:audit",
        "explore": "riskscore.cli.explore:explore",
        "compare": "riskscore.cli.time:compare",
        "extract": "riskscore.cli.extract:extract",
        "groups": "riskscore.cli.groups:groups",
        "init": "riskscore.cli.project:init",
        "list": "riskscore.cli.project:list_",
        "report": "riskscore.cli.report:report",
        "rollup": "riskscore.cli.rollup:rollup",
        "sensitivity": "riskscore.cli.sensitivity:sensitivity",
        "trend": "riskscore.cli.time:trend",
        "weights": "riskscore.cli.weights:weights",
    }

    def list_commands(self, ctx):
        return sorted([*super().list_commands(ctx), *self.lazy])

    def format_commands(self, ctx, formatter):
        """The command list with each summary whole (wrapped, never cut with '...')."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=10_000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def get_command(self, ctx, name):
        if name in self.lazy:
            module, attr = self.lazy[name].split(":")
            return getattr(importlib.import_module(module), attr)
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="riskscore")
@quiet_option
@project_option
def cli():
    """Transparent composite indices: ranked, explained, audited, evidence-traced.

    Builds an index from a data table (or evidence-backed profiles): normalises the
    indicators, aggregates them up a weighted hierarchy, ranks the entities, and
    explains every score, how robust each rank is and where each number came from.
    Every command finds its project (riskscore.toml) in the current folder or above;
    'riskscore init --blank DIR' starts one from a table, 'riskscore init DIR' copies
    the shipped example (a Central Asia surveillance-risk index).

    \b
    Example:
      riskscore init --blank my-index && cd my-index
      riskscore validate && riskscore score
      riskscore explain Northland
    """


@cli.command()
@input_options
@click.option("--format", "fmt", type=click.Choice([*FORMATS, "xlsx", "coinr"],
                                                   case_sensitive=False),
              default="table", show_default=True,
              help="Output format; xlsx writes a workbook and needs --output; coinr writes "
                   "COINr's aggregated table (uCode, uName, indicators, aggregates) as CSV.")
@output_option
@handle_errors
@click.option("--wide", is_flag=True,
              help="Drivers and tipping points as table columns, not short lines beneath.")
def score(config, profiles, data, article, weights, sources, as_of, fmt, output, wide):
    """Rank the countries: score, dimension scores, coverage, drivers and how far each rank holds.

    \b
    Example:
      riskscore score
      riskscore score --weight debt=0.4 --format json
    """
    from riskscore.analyses.sensitivity.tipping import nearest_by_entity
    from riskscore.outputs.explain_text import run_marks
    from riskscore.outputs.render import notes_text, render_rows
    from riskscore.outputs.score_text import score_table

    require_output(fmt, output)
    result = run_assessment(config, profiles, data, article, weights, sources, as_of)
    if fmt == "coinr":
        from riskscore.outputs.coinr import coinr_csv

        emit(coinr_csv(result), output)
        return
    _hint_for_many(len(result.entities), fmt, output)
    nearest = nearest_by_entity(result)
    if fmt == "xlsx":
        from riskscore.outputs.workbook import assessment_workbook

        emit(assessment_workbook(result, nearest), output)
        return
    from riskscore.analyses.groups import annotate_results, group_summaries, rank_columns

    if fmt == "json":
        from itertools import chain

        from riskscore.outputs.escape import json_text
        from riskscore.outputs.jsontext import pieces

        payload = result.to_dict({e: p.to_dict() if p else None for e, p in nearest.items()},
                                 stream=True)
        payload["results"] = annotate_results(result, payload["results"])
        if result.group_columns:
            payload["group_summaries"] = group_summaries(result)
        # json_text: control and bidi characters as \u escapes, as every JSON output has them
        emit_pieces(map(json_text, chain(pieces(payload), ["\n"])), output)
        return
    # Node ids, not labels: they are what `--weight NODE=W` takes to try the swap.
    from riskscore.engine.assessment import NO_EVIDENCE

    rows = result.table_rows({e: p.short(e) for e, p in nearest.items() if p},
                             normalised=fmt == "csv", no_evidence=NO_EVIDENCE)
    if result.group_columns:   # within-group ranks beside the overall one
        ranks = rank_columns(result)
        rows = [_insert_after(row, "rank", ranks[result.entities[e]])   # rows in rank order
                for row, e in zip(rows, result.order(), strict=True)]
    marks = run_marks(result)
    if fmt == "csv" and marks:
        # a CSV has no room for notes: every row says what it was scored under
        rows = [{**row, "scored under": "; ".join(marks)} for row in rows]
    if fmt != "table":
        from riskscore.outputs.render import prose

        emit(render_rows(rows, fmt) + "".join("\n" + prose(m, fmt) for m in marks
                                              if fmt == "markdown"), output)
        return
    text, notes = score_table(result, rows, wide)
    notes[:0] = marks
    if result.model.overrides:
        notes.insert(0, "what-if weights: " + ", ".join(
            f"{k}={v:g}" for k, v in result.model.overrides.items()))
    if result.sources == "article":
        notes.insert(0, "article-quoted values only (--sources article)")
    emit(text + "\n" + notes_text(notes if not is_quiet() else []), output)


def _insert_after(row: dict, key: str, extra: dict) -> dict:
    out = {}
    for k, v in row.items():
        out[k] = v
        if k == key:
            out.update(extra)
    return out


MANY_ENTITIES = 1_000   # more than this, on a terminal: say how to get a file, at once


def _hint_for_many(entities: int, fmt: str, output) -> None:
    """On a terminal, before the long work of ranking many entities, say how to get a file."""
    if output is not None or is_quiet() or entities <= MANY_ENTITIES or not sys.stdout.isatty():
        return
    click.echo(f"{entities:,} entities: their table takes a while and runs to {entities:,} rows; "
               "for a file give -o FILE (--format csv, json or xlsx). Working...", err=True)


@cli.command()
@click.argument("country")
@input_options
@workbook_format_option
@output_option
@handle_errors
def explain(country, config, profiles, data, article, weights, sources, as_of, fmt, output):
    """Why COUNTRY scores what it does: every indicator's value, weight and evidence.

    COUNTRY is a name in any case or an ISO3 code.

    \b
    Example:
      riskscore explain Tajikistan
      riskscore explain tjk --weight debt=0.4 --format json
    """
    from riskscore.analyses.explain import explain as explain_entity
    from riskscore.analyses.sensitivity.tipping import nearest_by_entity
    from riskscore.outputs.explain_text import explain_cards, explain_head, explain_markdown
    from riskscore.outputs.render import render_rows, to_json

    require_output(fmt, output)
    result = run_assessment(config, profiles, data, article, weights, sources, as_of)
    name = result.entities[result.index(country)]
    if fmt == "xlsx":
        from riskscore.outputs.workbook import assessment_workbook

        emit(assessment_workbook(result, nearest_by_entity(result), entity=name), output)
        return
    point = nearest_by_entity(result, only=(name,))[name]   # its neighbours' swaps only
    detail = explain_entity(result, name, point.to_dict() if point else None)
    if fmt == "json":
        emit(to_json(detail), output)
        return
    if fmt == "csv":
        emit(render_rows(detail["rows"], "csv"), output)
        return
    head = explain_head(result, detail, point)
    if fmt == "markdown":
        emit(explain_markdown(detail, head), output)
        return
    emit(explain_cards(detail, head), output)


@cli.command()
@click.argument("country", required=False)
@input_options
@workbook_format_option
@output_option
@handle_errors
def evidence(country, config, profiles, data, article, weights, sources, as_of, fmt, output):
    """The evidence behind every value (one row per quote or source), for COUNTRY or all.

    \b
    Example:
      riskscore evidence KGZ
      riskscore evidence --format csv -o evidence.csv
    """
    from riskscore.analyses.explain import evidence_rows
    from riskscore.outputs.evidence_text import evidence_text
    from riskscore.outputs.render import render_rows, to_json

    require_output(fmt, output)
    result = run_assessment(config, profiles, data, article, weights, sources, as_of)
    if fmt == "xlsx":
        from riskscore.analyses.sensitivity.tipping import nearest_by_entity
        from riskscore.outputs.workbook import assessment_workbook

        name = result.entities[result.index(country)] if country else None
        emit(assessment_workbook(result, nearest_by_entity(result), entity=name), output)
        return
    rows = evidence_rows(result, country)
    if fmt == "json":
        emit(to_json(rows), output)
        return
    columns = ["entity", "indicator", "value", "kind", "as_of", "quote", "source", "url", "note"]
    if fmt != "table":
        emit(render_rows(rows, fmt, columns, floatfmt="g"), output)
        return
    emit(evidence_text(rows), output)


@cli.command()
@input_options
@click.option("-v", "--verbose", is_flag=True,
              help="Name every file checked on a line of its own (by default profiles and "
                   "documents are counted per folder).")
@format_option
@handle_errors
@click.pass_context
def validate(ctx, config, profiles, data, article, weights, sources, as_of, verbose, fmt):
    """Check the config, profiles, registry and article quotes without scoring.

    Names every error in every file in one run, then the warnings (placeholders,
    values beyond their goalposts, files ignored for their extension), then the files
    it checked: the model, the data table or the profiles, the article and any
    documents, the supplier registry. Exit 1 on any error.

    \b
    Example:
      riskscore validate
      riskscore validate -v
      riskscore validate --profiles drafts/ --format json
    """
    from riskscore.analyses.validation import validate as validate_inputs
    from riskscore.cli.options import weight_set_option, what_if_option
    from riskscore.model.weights import parse_weight_options
    from riskscore.outputs.render import render_rows, to_json

    if what_if_option() or weight_set_option():
        raise click.UsageError("validate checks the inputs without scoring them: --set and "
                               "--weights are for the scoring commands (score, explain, ...)")
    config, profiles, data, article = resolve_inputs(config, profiles, data, article)
    found = validate_inputs(config, profiles=profiles if data is None else None, data=data,
                            sheet=data_sheet(), article=article,
                            weights=parse_weight_options(weights), as_of=as_of,
                            known_at=known_at_option(), columns=project_columns())
    if fmt == "json":
        click.echo(to_json({"ok": found.ok, "problems": found.rows(), "checked": found.checked,
                            "files": [f.to_dict() for f in found.files]}), nl=False)
    elif fmt in ("csv", "markdown"):
        from riskscore.outputs.escape import terminal_text

        text = terminal_text(render_rows(found.rows(), fmt, ["level", "code", "file", "key",
                                                            "message"]))
        click.echo(text, nl=not text.endswith("\n"))   # CSV ends its last row itself
    else:
        from riskscore.outputs.escape import visible
        from riskscore.outputs.render import wrap_text

        # One line per problem, unwrapped, as compilers and linters print them: it can be
        # grepped and an editor can jump to it. Everything else fits the terminal.

        for problem in (*found.errors, *found.warnings):
            click.echo(visible(f"{problem.level}: {problem.message}"))
        mark = "ok" if found.ok else "checked"
        from riskscore.outputs.validate_text import checked_lines

        for line in checked_lines(found.files, verbose):
            click.echo("\n".join(wrap_text(f"{mark}: {line}", None, "", "    ")))
        files = len(found.files)
        click.echo(f"{len(found.errors)} error(s), {len(found.warnings)} warning(s) in "
                   f"{files} file{'s' if files != 1 else ''} checked")
    ctx.exit(0 if found.ok else 1)


def main() -> None:
    from riskscore.support.fileio import install_sigterm_handler

    install_sigterm_handler()
    cli(prog_name="riskscore")
