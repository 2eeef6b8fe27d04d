"""``riskscore sensitivity``: how sure is the ranking? (registered with ``cli.add_command``)."""

from __future__ import annotations

from pathlib import Path

import click

from riskscore.cli.options import (
    Progress,
    emit,
    handle_errors,
    input_options,
    output_option,
    require_output,
    run_assessment,
    sensitivity_settings,
    workbook_format_option,
)

ENTITY_COLUMNS = ["rank", "entity", "score", "median_rank", "rank_p05", "rank_p95", "p_top1",
                  "p_topk", "score_p05", "score_p95"]
SOBOL_COLUMNS = ["output", "group", "S1", "S1_conf", "ST", "ST_conf"]


@click.command()
@input_options
@click.option("--samples", type=click.IntRange(min=1), default=None,
              help="Monte Carlo draws [default: run.samples in the settings].")
@click.option("--seed", type=click.IntRange(min=0), default=None,
              help="Random seed; the same seed gives identical output [default: run.seed].")
@click.option("--top-k", "top_k", type=click.IntRange(min=1), default=None,
              help="Report the probability of ranking in the top K [default: run.top_k].")
@click.option("--settings", "settings_path", type=click.Path(path_type=Path), default=None,
              help="What varies and how [default: the project's, config/sensitivity.toml; "
                   "built-in defaults if it has none].")
@workbook_format_option
@output_option
@handle_errors
def sensitivity(config, profiles, data, article, weights, sources, as_of, samples, seed, top_k,
                settings_path, fmt, output):
    """How sure is the ranking: rank intervals, Sobol indices and weight tipping points.

    Re-scores the countries many times with weights, aggregation, normalisation,
    missing-data policy and evidence ranges drawn as the project's sensitivity settings say;
    reports each country's median rank, 5-95% rank and score intervals and chance
    of ranking first or in the top K; the share of rank variance due to each
    group of assumptions (Sobol S1/ST); and the weights at which two neighbours
    in the ranking swap (check one with 'riskscore score --weight NODE=W').

    \b
    Example:
      riskscore sensitivity --samples 2000 --seed 1
      riskscore sensitivity --format json -o sensitivity.json
    """
    from riskscore.analyses.sensitivity import run_sensitivity
    from riskscore.outputs.render import prose, render_rows, to_json

    require_output(fmt, output)
    result = run_assessment(config, profiles, data, article, weights, sources, as_of)
    settings = sensitivity_settings(settings_path, config)
    with Progress() as progress:
        outcome = run_sensitivity(result, settings, samples=samples, seed=seed, top_k=top_k,
                                  progress=progress)
    if fmt == "xlsx":
        from riskscore.analyses.sensitivity.tipping import nearest_by_entity
        from riskscore.outputs.workbook import assessment_workbook

        emit(assessment_workbook(result, nearest_by_entity(result), sensitivity=outcome), output)
        return
    if fmt == "json":
        emit(to_json(outcome.to_dict()), output)
        return
    if fmt == "csv":
        emit(render_rows(outcome.entity_rows(), "csv", [*ENTITY_COLUMNS, "p_missing"]), output)
        return
    rows = [{**r, "p_top1": _pct(r["p_top1"]), "p_topk": _pct(r["p_topk"])}
            for r in outcome.entity_rows()]
    columns = [c if c != "p_topk" else f"p_top{outcome.top_k}" for c in ENTITY_COLUMNS]
    rows = [{**r, f"p_top{outcome.top_k}": r["p_topk"]} for r in rows]
    ranks_table = render_rows(rows, fmt, columns)
    table_parts = [ranks_table]
    parts = [prose(f"{outcome.samples} draws, seed {outcome.seed}; ranks: nominal, median and "
                   f"5-95% interval; scores 0-{outcome.scale:g}"
                   + ("" if settings.path else "; built-in settings (no sensitivity.toml beside "
                      "the model)"), fmt),
             ranks_table,
             prose(f"mean absolute rank shift from the nominal ranking: "
                   f"{outcome.mean_abs_rank_shift:.2f}", fmt)]
    if outcome.sobol:
        parts.append(prose(f"Sobol indices of each group of assumptions (riskscore's "
                           "vectorised Saltelli/Jansen estimator, equal to SALib's in the tests; "
                           f"{outcome.sobol_base_samples} base samples; S1 first-order, ST "
                           f"total, ± {settings.sobol.confidence:.0%} confidence)", fmt))
        table_parts.append(render_rows(outcome.sobol_rows(), fmt, SOBOL_COLUMNS,
                                       floatfmt=".2f"))
        parts.append(table_parts[-1])
    if outcome.not_varied:
        parts.append("Kept as configured (not varied by this analysis):\n"
                     + "\n".join(prose(f"- {note}", fmt) for note in outcome.not_varied))
    if settings.tipping:
        sentences = outcome.tipping_sentences()
        lines = [prose(f"- {s}", fmt) for s in sentences] if sentences else [
            "- no weight change within [0, 1] swaps two neighbours in the ranking"]
        parts.append("Tipping points (one weight changed, its siblings rescaled in proportion):\n"
                     + "\n".join(lines))
    if fmt == "table":  # prose wrapped to the terminal; the tables are fitted already
        from riskscore.outputs.render import wrap_text

        # The tables are known as such, not by their text: on a colour terminal a rule
        # line starts with an escape code, and rewrapping a table collapses its columns.
        parts = [part if part in table_parts else "\n".join(
            wrapped for line in part.splitlines()
            for wrapped in wrap_text(line, None, "", "  ")) for part in parts]
    emit("\n\n".join(parts) + "\n", output)


def _pct(value: float) -> str:
    return f"{value:.0%}"
