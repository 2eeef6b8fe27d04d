"""The report's appendix for a long ranking: the full tables the sections leave out.

Only written when there are more countries than the report details (``--top``): the full
ranked table, every country's rank interval (with a robustness run) and every country's
missing indicators. The same numbers are in ``riskscore score --format xlsx`` and JSON.
"""

from __future__ import annotations

from typing import Any

from riskscore.engine.assessment import Assessment, short_label
from riskscore.outputs.report.mdtext import cell, num, table, text

HEADING = "## Appendix: full tables"
#: The anchor of the appendix's heading (GitHub's slug of ``HEADING``).
ANCHOR = "appendix-full-tables"


def ranking_table(result: Assessment, rows: list[dict] | None = None) -> str:
    """The ranked table (rank, country, score, dimensions, coverage, class) of ``rows``
    (``Assessment.table_rows()`` rows; all of them when None)."""
    model = result.model
    dims = [model.label(d) for d in model.dimensions]
    out = []
    for row in rows if rows is not None else result.table_rows():
        item = {"rank": "—" if row["rank"] is None else str(row["rank"]),
                "country": cell(row["country"]), "score": num(row["score"])}
        item.update({cell(d): num(row[d]) for d in dims})
        item["coverage"] = cell(row["coverage"])
        if model.classes:
            item["class"] = cell(row["class"] or "—")
        out.append(item)
    columns = ["rank", "country", "score", *map(cell, dims), "coverage",
               *(["class"] if model.classes else [])]
    return table(out, columns, right=["rank", "score", *map(cell, dims)])


def appendix(result: Assessment, sensitivity: Any | None, unplaced: dict[str, str],
             audit: Any | None = None) -> str:
    """The appendix's Markdown."""
    from riskscore.outputs.report.robustness import rank_table

    parts = [HEADING,
             "Every country, in rank order. The same numbers, at full precision and with every "
             "indicator, are in `riskscore score --format xlsx` and `--format json`.",
             "### Full ranking", ranking_table(result)]
    if sensitivity is not None and sensitivity.entity_rows():
        parts += ["### Every country's rank interval",
                  rank_table(sensitivity.entity_rows(), sensitivity.to_dict().get("top_k"))]
    gaps = []
    ids = result.hierarchy.indicator_ids
    for e in result.order():
        observed, total = result.observed_count(e)
        if observed == total:
            continue
        missing = [short_label(result.model, i) for i in ids
                   if result.observations[(result.entities[e], i)].is_missing]
        gaps.append(f"- **{text(result.label(result.entities[e]))}** ({observed}/{total}): "
                    + (text(", ".join(missing)) if missing else "values not counted") + ".")
    parts.append("### Missing values by country")
    parts.append("\n".join(gaps) if gaps else "Every country has a value for every indicator.")
    if audit is not None:
        from riskscore.outputs.report.audit_section import intervals_table

        parts += ["### Every country's missing-data score interval", intervals_table(audit)]
    if unplaced:
        parts += ["### Not on the map",
                  "\n".join(f"- {text(result.label(name))}: {text(why)}"
                            for name, why in unplaced.items())]
    return "\n\n".join(parts)
