"""``riskscore explore``: write the what-if page (registered lazily in ``cli``)."""

from __future__ import annotations

from pathlib import Path

import click

from riskscore.cli.options import (
    Progress,
    handle_errors,
    input_options,
    run_assessment,
    sensitivity_settings,
)

DEFAULT_OUTPUT = Path("explore.html")


@click.command()
@input_options
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False),
              default=DEFAULT_OUTPUT, show_default=True,
              help="The page to write (a missing folder is created).")
@click.option("--samples", type=click.IntRange(min=0), default=None,
              help="Monte Carlo draws for the rank intervals; 0 leaves them out "
                   "[default: run.samples in the settings].")
@click.option("--seed", type=click.IntRange(min=0), default=None,
              help="Random seed of the rank intervals [default: run.seed].")
@click.option("--settings", "settings_path", type=click.Path(path_type=Path), default=None,
              help="What the rank intervals vary [default: the project's sensitivity settings].")
@handle_errors
def explore(config, profiles, data, article, weights, sources, as_of, output, samples, seed,
            settings_path):
    """Write one self-contained HTML page to try weights on: a slider per node.

    The page re-scores as the sliders move, with the same rules as 'riskscore
    score'; it shows each country's contributions and evidence, and the rank
    intervals and tipping points of the sensitivity run. No server and no network:
    open the file in a browser, or send it. The address holds the weights:
    explore.html#weights=debt:0.4 shows what 'riskscore score --weight debt=0.4' gives.

    Example: riskscore explore -o explore.html --weight debt=0.4
    """
    from riskscore.cli.options import weight_set_option
    from riskscore.model.weights import apply_weight_overrides, parse_weight_options
    from riskscore.outputs.explore import build_page
    from riskscore.support.fileio import write_atomic

    # the page starts from the configured weights: a --weights set opens as its shares
    base = run_assessment(config, profiles, data, article, (), sources, as_of,
                          with_weight_set=False)
    refuse_page_rules(base.model)
    overrides = parse_weight_options(weights)
    if (weight_set := weight_set_option()) is not None:
        from riskscore.model.weight_sets import apply_weight_set
        from riskscore.outputs.explore.data import set_overrides

        apply_weight_set(base.model, weight_set)   # an unknown name: its error
        overrides = {**set_overrides(base.model, weight_set), **overrides}
    apply_weight_overrides(base.model, overrides)  # a bad --weight fails here, before any work
    outcome = None
    if samples != 0:
        from dataclasses import replace

        from riskscore.analyses.sensitivity import run_sensitivity

        settings = sensitivity_settings(settings_path, config)
        # The page shows rank intervals and tipping points; Sobol indices are not needed.
        settings = replace(settings, sobol=replace(settings.sobol, enabled=False))
        nominal = (run_assessment(config, profiles, data, article, weights, sources, as_of)
                   if overrides else base)   # with --weights: the set, then --weight
        with Progress() as progress:
            outcome = run_sensitivity(nominal, settings, samples=samples, seed=seed,
                                      progress=progress)
    write_atomic(output, build_page(base, overrides, outcome))
    click.echo(f"wrote {output}; open it in a browser (no server or network needed)", err=True)


def refuse_page_rules(model) -> None:
    """The page re-scores one entity at a time in the browser: a node summed, rescaled
    across the entities or rounded is not among its rules yet, so say so, not mis-score."""
    from riskscore.errors import ConfigError

    for node_id, node in model.nodes.items():
        where = "index" if node_id == model.root else f"nodes.{node_id}"
        for key, used in (("aggregation", node.aggregation == "sum"),
                          ("rescale", node.rescale is not None),
                          ("round", node.decimals is not None)):
            if used:
                value = {"aggregation": "'sum'", "rescale": repr(node.rescale),
                         "round": str(node.decimals)}[key]
                raise ConfigError(model.path, f"{where}.{key}",
                                  f"is {value}, which the explore page cannot re-score yet",
                                  "riskscore score/explain/report for this model; the page "
                                  "takes nodes without sum, rescale or round")

