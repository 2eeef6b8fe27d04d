"""The report's Robustness section, with or without a sensitivity result.

``robustness_section`` is the one place that knows how a ``SensitivityResult``
(from ``riskscore.analyses.sensitivity.run_sensitivity``) appears in the report: a
rank-interval figure, the rank table, the Sobol table and the tipping sentences.
Without a result it says what the section will hold.
"""

from __future__ import annotations

import math
from typing import Any

from riskscore.analyses.sensitivity.sobol import SHIFT_OUTPUT
from riskscore.outputs.report.figure_spec import FigureSpec
from riskscore.outputs.report.mdtext import cell, image, num, table, text
from riskscore.outputs.report.overview import MAX_ROWS

HEADING = "## Robustness"
APPENDIX_ANCHOR = "appendix-full-tables"   # appendix.ANCHOR (not imported: no cycle)
SOBOL_COUNTRIES = 5   # a long ranking's Sobol table: the rank shift and this many countries


def robustness_section(sensitivity: Any | None, *, seed: int, figure_path: str,
                       top: int | None = None) -> tuple[str, list[FigureSpec]]:
    """Markdown of the Robustness section and the figures it links.

    ``sensitivity`` is a ``SensitivityResult`` (``entity_rows()``, ``sobol_rows()``,
    ``tipping_sentences()``, ``to_dict()``) or None for the placeholder.
    ``figure_path`` is where the rank-interval figure goes, relative to the report.
    ``top``: with more countries than this, the figure and the table show the first
    ``top`` by median rank (at most ``MAX_ROWS`` in the figure) and point to the
    appendix, which has them all.
    """
    if sensitivity is None:
        return "\n\n".join([
            HEADING,
            "Not computed for this report. This section will hold the results of "
            f"`riskscore sensitivity --seed {seed}`: each country's rank interval (median "
            "rank and the 5–95% range of ranks over random draws of the weights and of each "
            "value within its documented range), first-order and total Sobol indices saying "
            "which weights and inputs move the scores most, and the tipping points at which "
            "two countries swap places.",
        ]) + "\n", []
    payload = sensitivity.to_dict()
    entities = payload["entities"]
    cut = top is not None and len(entities) > top
    if cut:
        entities = sorted(entities, key=lambda r: (r["median_rank"] if r["median_rank"] is not None
                                                   else math.inf, r["rank"] or math.inf,
                                                   r["entity"]))[:min(top or MAX_ROWS, MAX_ROWS)]
    alt = ("Rank intervals" + (f" of the {len(entities)} countries with the best median rank, "
                               f"of {len(payload['entities']):,}" if cut else "") + ": ") + "; ".join(
        f"{r['entity']} median rank {num(r['median_rank'], 'g')}, 5–95% range "
        f"{num(r['rank_p05'], 'g')} to {num(r['rank_p95'], 'g')}, ranked first in "
        f"{num(r.get('p_top1'), '.0%')} of draws" for r in entities) + "."
    figure = FigureSpec(figure_path, "rank_intervals", {"entities": entities}, alt)
    parts = [HEADING, f"Random analysis with seed {seed}" + _samples(payload) + ". Reproduce it, "
             f"with confidence intervals, with `riskscore sensitivity --seed {seed}"
             + (f" --samples {payload['samples']}`." if payload.get("samples") else "`."),
             image(alt, figure_path)]
    entity_rows = sensitivity.entity_rows()
    if entity_rows and cut:
        parts.append(rank_table(entity_rows[:top], payload.get("top_k")))
        parts.append(f"The first {top} of {len(entity_rows):,} countries in rank order; every "
                     f"country's interval is in the [appendix](#{APPENDIX_ANCHOR}).")
    elif entity_rows:
        parts.append(rank_table(entity_rows, payload.get("top_k")))
    sobol_rows = sensitivity.sobol_rows()
    if sobol_rows and cut:
        # a column per country does not fit: the shift over all of them, and the top few
        first = {r["entity"] for r in entity_rows[:SOBOL_COUNTRIES]}
        sobol_rows = [r for r in sobol_rows if r["output"] == SHIFT_OUTPUT or r["output"] in first]
    if sobol_rows:
        parts += ["### Sensitivity (Sobol indices)",
                  "Total-effect Sobol index (first-order in brackets) of each group of "
                  "assumptions on each country's rank and on the mean absolute rank shift: the "
                  "share of the output's variance that the group accounts for, alone in "
                  "brackets and with its interactions outside. Estimated by riskscore's own "
                  "vectorised estimator (Saltelli 2010 first-order, Jansen total), which the "
                  "tests hold equal to SALib's to 1e-12; the full "
                  "table with confidence intervals is in `riskscore sensitivity --format json`.",
                  _sobol_table(sobol_rows)]
        if cut:
            parts.append(f"Country columns for the first {SOBOL_COUNTRIES} of "
                         f"{len(entity_rows):,} countries; `riskscore sensitivity --format json` "
                         "has every country's.")
    sentences = list(sensitivity.tipping_sentences())
    if sentences and cut:
        shown = {r["entity"] for r in entity_rows[:top]}
        pairs = list(zip(sensitivity.tipping_points, sentences, strict=True))
        near, pairs_seen = [], set()
        for p, sentence in pairs:   # the first (nearest) of each pair of countries
            pair = frozenset((p.overtaker, p.overtaken))
            if (p.overtaker in shown or p.overtaken in shown) and pair not in pairs_seen:
                pairs_seen.add(pair)
                near.append(sentence)
        near = near[:top]
        rest = len(sentences) - len(near)
        parts += ["### Tipping points",
                  f"The nearest for each pair of neighbours among the first {top} countries"
                  + (f" ({len(near)} of {len(sentences):,}; `riskscore sensitivity --format "
                     "json` lists every one):" if rest else ":"),
                  "\n".join(f"- {text(s)}" for s in near) or "None."]
    elif sentences:
        parts += ["### Tipping points", "\n".join(f"- {text(s)}" for s in sentences)]
    return "\n\n".join(parts) + "\n", [figure]


def _samples(payload: dict) -> str:
    samples = payload.get("samples")
    return f", {samples} samples" if samples else ""


def rank_table(rows: list[dict], top_k: Any) -> str:
    """The table of rank intervals, one row per country of ``rows`` (``entity_rows()``)."""
    k = top_k or "k"
    formatted = [{
        "country": cell(str(r["entity"])),
        "rank": _format(r.get("rank")),
        "median rank": _format(r.get("median_rank")),
        "5–95% rank": f"{_format(r.get('rank_p05'))}–{_format(r.get('rank_p95'))}",
        "P(first)": num(r.get("p_top1"), ".0%"),
        f"P(top {k})": num(r.get("p_topk"), ".0%"),
        "5–95% score": f"{num(r.get('score_p05'), '.1f')}–{num(r.get('score_p95'), '.1f')}",
        "P(no score)": num(r.get("p_missing"), ".0%"),
    } for r in rows]
    columns = list(formatted[0])
    return table(formatted, columns, right=columns[1:])


def _sobol_table(rows: list[dict]) -> str:
    outputs = list(dict.fromkeys(r["output"] for r in rows))
    groups = list(dict.fromkeys(r["group"] for r in rows))
    by_key = {(r["output"], r["group"]): r for r in rows}
    formatted = []
    for group in groups:
        row = {"assumption group": cell(group)}
        for output in outputs:
            item = by_key.get((output, group))
            header = "mean abs rank shift" if output == SHIFT_OUTPUT else cell(output)
            row[header] = "—" if item is None or item.get("ST") is None else (
                f"{num(item['ST'], '.2f')} ({num(item['S1'], '.2f')})")
        formatted.append(row)
    columns = list(formatted[0])
    return table(formatted, columns, right=columns[1:])


def _format(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return num(value, ".3g")
    return cell(str(value))
