"""The text of ``riskscore trend``: score (rank) per entity on each date, and a note of
the inputs and weight set.

The command line parses and calls ``riskscore.analyses.trend``; the layout is here,
with the other renderers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from riskscore.outputs.render import prose, render_rows, wrap_text

if TYPE_CHECKING:
    from riskscore.analyses.trend import Trend
    from riskscore.model.types import Model


def trend_text(result: Trend, model: Model, fmt: str) -> str:
    """The trend table in ``fmt`` (table or markdown), a row per date and a column per
    entity, then a note naming the inputs (their sha256) and the weight set, if any."""
    text = render_rows(result.table_rows(), fmt, ["date", *result.entities])
    inputs_line = ", ".join(f"{k} sha256 {v['sha256'][:12]}"
                            for k, v in result.to_dict()["inputs"].items()
                            if isinstance(v, dict) and "sha256" in v)
    weight_set = (f"; weight set {model.weight_sets[model.weight_set].describe()}"
                  if model.weight_set else "")
    note = prose(f"score (rank) on each date; — = not scored. inputs: {inputs_line}"
                 f"{weight_set}", fmt)
    if fmt == "table":
        note = "\n".join(wrap_text(note))
    return text + f"\n\n{note}\n"
