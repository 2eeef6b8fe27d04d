"""The report's Groups section: results by group, and the groups rolled up.

For each group column of the model: each group's count and the mean, median, min and max
of the index and each dimension (``riskscore.analyses.groups``), then the groups as larger
units under the ``scores`` roll-up rule with equal weights (``riskscore.analyses.rollup``),
each with its largest indicator contributions. ``riskscore groups`` and ``riskscore
rollup`` give the same numbers with every option.
"""

from __future__ import annotations

from riskscore.analyses.groups import summary_long_rows
from riskscore.analyses.rollup import RULES, rollup
from riskscore.engine.assessment import Assessment, short_label
from riskscore.outputs.report.mdtext import cell, num, table, text

STATS = ("mean", "median", "min", "max")


def groups_section(result: Assessment) -> str:
    """The Markdown of the Groups section ('' for a model without group columns)."""
    if not result.group_columns:
        return ""
    model = result.model
    spec = ".1f" if model.scale >= 10 else ".3f"
    parts = ["## Groups"]
    for column in result.group_columns:
        rows = [{"group": cell(r["group"]),
                 "item": cell(model.label(r["item"]) if r["item"] in model.nodes else r["item"]),
                 "entities": str(r["entities"]), "scored": str(r["scored"]),
                 **{s: num(r[s], spec) for s in STATS}}
                for r in summary_long_rows(result, column)]
        parts += [f"### By {text(column)}",
                  table(rows, ["group", "item", "entities", "scored", *STATS],
                        right=["entities", "scored", *STATS])]
        if all(result.group_of(e, column) is not None for e in result.entities):
            rolled = rollup(result, column, "scores")
            up = []
            for row in rolled.rows:
                top = sorted(row["contributions"].items(), key=lambda kv: -kv[1])[:3]
                up.append({"rank": num(row["rank"], "d") if row["rank"] else "—",
                           "group": cell(row["group"]), "units": str(row["units"]),
                           "score": num(row["score"], spec),
                           "largest contributions": cell("; ".join(
                               f"{short_label(model, i)} {num(v, spec)}" for i, v in top))})
            parts += [f"Rolled up ({text(RULES['scores'])}; equal weights):",
                      table(up, ["rank", "group", "units", "score", "largest contributions"],
                            right=["rank", "units", "score"])]
    return "\n\n".join(parts)
