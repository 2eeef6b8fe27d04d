"""The command line: parse options, call the library, format the result. Nothing else.

Library errors (``RiskscoreError``) become one-line messages with exit code 1;
usage errors are click's (exit code 2).
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import click

from riskscore import __version__
from riskscore.errors import RiskscoreError
from riskscore.render import FORMATS

DEFAULT_CONFIG = "config/model.toml"
DEFAULT_PROFILES = "seeds/profiles"


def handle_errors(func):
    """Turn library errors into click errors: one readable line, exit 1, no traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except RiskscoreError as err:
            raise click.ClickException(err.message) from None

    return wrapper


def input_options(func):
    """The options every scoring command shares: model, inputs, what-if weights, sources."""
    options = [
        click.option("--config", "config", type=click.Path(path_type=Path), default=DEFAULT_CONFIG,
                     show_default=True, help="Model file (hierarchy, goalposts, weights)."),
        click.option("--profiles", type=click.Path(path_type=Path), default=None,
                     help=f"Directory of country profiles [default: {DEFAULT_PROFILES}]."),
        click.option("--data", type=click.Path(path_type=Path), default=None,
                     help="Wide CSV instead of profiles: an 'entity' column plus one column "
                          "per indicator id; an empty cell is missing."),
        click.option("--article", type=click.Path(path_type=Path), default=None,
                     help="Article text that quotes are checked against "
                          "[default: the one *.txt beside the profiles directory]."),
        click.option("--weight", "weights", multiple=True, metavar="NODE=W",
                     help="What-if: set NODE's share of its parent to W (0-1); its siblings "
                          "keep their proportions. Repeatable."),
        click.option("--sources", type=click.Choice(["all", "article"]), default="all",
                     show_default=True,
                     help="'article' scores with article-quoted values only (the rest missing)."),
        click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
                     help="Date for dated facts such as supplier sanctions "
                          "[default: the model's evidence_date]."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def format_option(func):
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
                        show_default=True, help="Output format.")(func)


def output_option(func):
    return click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False),
                        default=None,
                        help="Write to this file (atomically) instead of standard output.")(func)


def run_assessment(config, profiles, data, article, weights, sources, as_of):
    from riskscore.pipeline import assess
    from riskscore.weights import parse_weight_options

    if profiles is not None and data is not None:
        raise click.UsageError("give --profiles or --data, not both")
    return assess(config, profiles=profiles if data is None else None, data=data,
                  article=article, weights=parse_weight_options(weights), sources=sources,
                  as_of=as_of.date() if isinstance(as_of, dt.datetime) else as_of)


def emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        from riskscore.fileio import write_atomic

        write_atomic(output, text)
        click.echo(f"wrote {output}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="riskscore")
def cli():
    """Transparent policy-risk scoring: ranked, explained, evidence-traced.

    Scores countries' exposure to Chinese surveillance technology (vendor share,
    sanctioned suppliers, debt, data-localisation gaps) from evidence-backed
    profiles. Run from the project root, or pass --config and --profiles.
    """


@cli.command()
@input_options
@format_option
@output_option
@handle_errors
def score(config, profiles, data, article, weights, sources, as_of, fmt, output):
    """Rank the countries: score, dimension scores, coverage and main drivers."""
    from riskscore.render import render_rows, to_json

    result = run_assessment(config, profiles, data, article, weights, sources, as_of)
    if fmt == "json":
        emit(to_json(result.to_dict()), output)
        return
    text = render_rows(result.table_rows(), fmt)
    if fmt == "table":
        notes = []
        if result.model.overrides:
            notes.append("what-if weights: " + ", ".join(
                f"{k}={v:g}" for k, v in result.model.overrides.items()))
        if result.sources == "article":
            notes.append("article-quoted values only (--sources article)")
        text += "\n" + "".join(f"\n{n}" for n in notes) + (
            "\nscores 0-100, higher = more risk; 'riskscore explain COUNTRY' shows why.\n")
    emit(text, output)


@cli.command()
@click.argument("country")
@input_options
@format_option
@output_option
@handle_errors
def explain(country, config, profiles, data, article, weights, sources, as_of, fmt, output):
    """Why COUNTRY scores what it does: every indicator's value, weight and evidence."""
    from riskscore.explain import explain as explain_entity
    from riskscore.render import render_rows, to_json

    result = run_assessment(config, profiles, data, article, weights, sources, as_of)
    detail = explain_entity(result, country)
    if fmt == "json":
        emit(to_json(detail), output)
        return
    if fmt == "csv":
        emit(render_rows(detail["rows"], "csv"), output)
        return
    columns = ["indicator", "value", "normalised", "weight", "effective weight",
               "contribution", "share of score", "as_of", "evidence"]
    rows = [{**row, "weight": f"{row['weight']:.3f}",
             "effective weight": _fmt(row["effective weight"], ".3f"),
             "share of score": _fmt(row["share of score"], ".0%"),
             "evidence": row["evidence"] + (f" [judgement: {row['judgement']}]"
                                            if row["judgement"] else "")}
            for row in detail["rows"]]
    score_text = _fmt(detail["score"], ".1f")
    header = (f"{detail['entity']}: score {score_text}, rank {detail['rank']} of {detail['of']}; "
              f"coverage {detail['observed_indicators']}/{detail['indicators']} indicators "
              f"({detail['coverage']:.0%} of weight); missing data: {detail['missing_policy']}")
    dims = ", ".join(f"{d} {_fmt(v, '.1f')}" for d, v in detail["dimensions"].items())
    decomposition = "; ".join(f"{k}: {v}" for k, v in detail["decomposition"].items())
    text = (f"{header}\ndimensions: {dims}\ncontributions: {decomposition}\n\n"
            + render_rows(rows, fmt, columns) + "\n")
    emit(text, output)


@cli.command()
@click.argument("country", required=False)
@input_options
@format_option
@output_option
@handle_errors
def evidence(country, config, profiles, data, article, weights, sources, as_of, fmt, output):
    """The evidence behind every value (one row per quote or source), for COUNTRY or all."""
    from riskscore.explain import evidence_rows
    from riskscore.render import render_rows, to_json

    result = run_assessment(config, profiles, data, article, weights, sources, as_of)
    rows = evidence_rows(result, country)
    if fmt == "json":
        emit(to_json(rows), output)
        return
    columns = ["entity", "indicator", "value", "kind", "as_of", "quote", "source", "url", "note"]
    if fmt == "table":
        rows = [{**r, "quote": _clip(r["quote"]), "source": _clip(r["source"]),
                 "note": _clip(r["note"])} for r in rows]
    emit(render_rows(rows, fmt, columns, floatfmt="g"), output)


@cli.command()
@input_options
@handle_errors
def validate(config, profiles, data, article, weights, sources, as_of):
    """Check the config, profiles, registry and article quotes without scoring. Exit 0 if all is well."""
    from riskscore.model import load_model
    from riskscore.pipeline import load_inputs
    from riskscore.weights import apply_weight_overrides, parse_weight_options

    model = apply_weight_overrides(load_model(config), parse_weight_options(weights))
    inputs = load_inputs(model, profiles=profiles if data is None else None, data=data,
                         article=article)
    click.echo(f"ok: {config}: {len(model.indicators)} indicators under "
               f"{len(model.nodes) - 1} nodes")
    if inputs.kind == "profiles":
        quotes = sum(1 for p in inputs.profiles for o in p.values.values()
                     for ev in o.evidence if ev.kind == "article")
        quotes += sum(1 for p in inputs.profiles for s in p.suppliers
                      for ev in s.evidence if ev.kind == "article")
        click.echo(f"ok: {inputs.source.path}: {len(inputs.profiles)} profiles "
                   f"({', '.join(inputs.entities)}); {quotes} article quotes found verbatim "
                   f"in {inputs.article.path.name}")
        if inputs.registry is not None:
            click.echo(f"ok: {inputs.registry.path}: {len(inputs.registry.suppliers)} suppliers")
    else:
        click.echo(f"ok: {inputs.source.path}: {len(inputs.entities)} entities")


def _fmt(value, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def _clip(text: str | None, width: int = 70) -> str | None:
    if text is None or len(text) <= width:
        return text
    return text[: width - 1] + "…"


def main() -> None:
    cli(prog_name="riskscore")
