"""``riskscore init`` and ``riskscore list``: make a project, and see what one holds."""

from __future__ import annotations

from pathlib import Path

import click

from riskscore.cli.options import (
    emit,
    format_option,
    handle_errors,
    input_options,
    output_option,
    project_columns,
    resolve_inputs,
)

LIST_KINDS = ("countries", "indicators", "weights")


@click.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("--blank", is_flag=True,
              help="A blank data-table project (a model with column roles and a small "
                   "table) instead of the shipped Central Asia example.")
@click.option("--profiles", "profiles", is_flag=True,
              help="With --blank: the evidence-profile layout (one indicator, two "
                   "profiles, an article) instead of a data table.")
@click.option("--from-coinr", "coinr", nargs=2, default=None, metavar="IDATA IMETA",
              type=click.Path(path_type=Path, dir_okay=False),
              help="A project made from COINr's two input tables (CSV): iData and iMeta.")
@handle_errors
def init(directory, blank, profiles, coinr):
    """Create a project in DIRECTORY (made if missing; nothing is ever overwritten).

    With --blank: a data-table project to make your own (riskscore.toml with data =,
    config/model.toml with its [columns] roles, data/table.csv, a README); with
    --blank --profiles: evidence profiles instead of a table. Without --blank: a
    copy of the shipped example, the Central Asia index. Every riskscore command
    run in that folder or below then finds it.

    \b
    Example:
      riskscore init --blank my-index && cd my-index && riskscore score
      riskscore init --blank --profiles my-evidence-index
      riskscore init central-asia
      riskscore init --from-coinr iData.csv iMeta.csv my-coinr-index
    """
    from riskscore.inputs.project import init_project

    if profiles and not blank:
        raise click.UsageError("--profiles only with --blank (the shipped example already "
                               "uses profiles)")
    if coinr and (blank or profiles):
        raise click.UsageError("--from-coinr builds the project from its tables: not with "
                               "--blank or --profiles")
    written = init_project(directory, blank=blank, profiles=profiles, coinr=coinr or None)
    what = ("COINr's tables (its default build: min-max 0-100, arithmetic means)" if coinr
            else "a blank data-table project" if blank and not profiles
            else "a blank evidence-profile project (one example indicator)" if blank
            else "the Central Asia example")
    click.echo(f"created {directory} with {what}: {len(written)} files", err=True)
    click.echo(f"next: cd {directory} && riskscore validate && riskscore score", err=True)


@click.command(name="list")
@click.argument("kind", type=click.Choice(LIST_KINDS, case_sensitive=False))
@input_options
@format_option
@output_option
@handle_errors
def list_(kind, config, profiles, data, article, weights, sources, as_of, fmt, output):
    """Show what the project holds: its countries, indicators, or the weights in effect.

    'countries' lists each entity with its ISO3 code and profile file; 'indicators'
    each indicator with its dimension, unit, direction, goalposts and label;
    'weights' every node and indicator with its configured weight, its share of its
    parent and its effective weight in the index, after any --weight what-ifs.

    \b
    Example:
      riskscore list countries
      riskscore list weights --weight debt=0.4
    """
    from riskscore.model.loader import load_model
    from riskscore.model.weights import apply_weight_overrides, parse_weight_options
    from riskscore.outputs.render import fit_table, fit_tree, notes_text, render_rows

    kind = kind.lower()
    config, profiles, data, article = resolve_inputs(config, profiles, data, article)
    model = apply_weight_overrides(load_model(config, columns=project_columns()),
                                   parse_weight_options(weights))
    if kind == "countries":
        rows = country_rows(model, profiles, data, article)
        columns = ["entity", "iso3", "file"]
    elif kind == "indicators":
        rows = indicator_rows(model)
        columns = ["id", "dimension", "unit", "direction", "goalposts", "weight", "label"]
    else:
        rows = weight_rows(model)
        columns = ["id", "kind", "parent", "configured", "share of parent", "effective", "label"]
    if fmt == "table" and kind == "indicators":
        rows = [{**r, "direction": r["direction"].split("_")[0]} for r in rows]  # higher/lower
    floats = {"weight": ".3f", "share of parent": ".3f", "effective": ".3f", "configured": "g"}
    if fmt != "table":
        emit(render_rows(rows, fmt, columns, floatfmt=floats)
             + ("\n" if fmt == "markdown" else ""), output)
        return
    if kind == "weights":  # the hierarchy as indentation, which also shows each parent
        text = fit_tree(rows, [c for c in columns if c not in ("parent", "label")],
                        floatfmt=floats, below="label")
    else:
        text = fit_table(rows, columns, floatfmt=floats, below=["label"])
    notes = []
    if kind == "weights":
        notes.append("Indented under its parent. share of parent: siblings' weights "
                     "normalised to sum to 1; effective: the product of the shares from the "
                     "index down.")
        if model.overrides:
            notes.append("what-if weights: " + ", ".join(f"{k}={v:g}"
                                                         for k, v in model.overrides.items()))
    emit(text + "\n" + notes_text(notes), output)


def country_rows(model, profiles, data, article) -> list[dict]:
    from riskscore.engine.pipeline import load_inputs

    inputs = load_inputs(model, profiles=profiles, data=data, article=article)
    if inputs.kind == "data":
        return [{"entity": e, "iso3": None, "file": inputs.source.path} for e in inputs.entities]
    return [{"entity": p.entity, "iso3": p.iso3, "file": p.path.name} for p in inputs.profiles]


def indicator_rows(model) -> list[dict]:
    rows = []
    for ind in model.indicators.values():
        low, high = ind.goalposts
        rows.append({"id": ind.id, "dimension": model.dimension_of(ind.id), "parent": ind.parent,
                     "unit": ind.unit or None, "direction": ind.direction,
                     "goalposts": (f"{low:g}–{high:g}" if ind.goalposts_given else "—")
                     + (f" ({ind.transform})" if ind.transform else ""),
                     "weight": model.normalised_weight(ind.id), "derive": ind.derive,
                     "label": ind.label})
    return rows


def weight_rows(model) -> list[dict]:
    """Every node and indicator, depth first from the root, with the weights in effect."""
    rows = []

    def visit(item: str, depth: int) -> None:
        if item != model.root:
            rows.append({"id": item, "depth": depth,
                         "kind": "indicator" if item in model.indicators else "node",
                         "parent": model.parent(item), "configured": model.weight(item),
                         "share of parent": model.normalised_weight(item),
                         "effective": model.effective_weight(item),
                         "overridden": item in model.overrides, "label": model.label(item)})
        for child in model.children.get(item, ()):
            visit(child, depth + 1)

    visit(model.root, 0)
    return rows
