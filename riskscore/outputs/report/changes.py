"""The report's "What changed" section: risers and fallers with their causes, the exact
attribution, and the trend figure when several dates are scored.

Reads a ``riskscore.analyses.compare.Comparison`` and, optionally, a ``riskscore.analyses.trend.Trend``;
formats only.
"""

from __future__ import annotations

from riskscore.outputs.report.figure_spec import FigureSpec, figure_path
from riskscore.outputs.report.mdtext import cell, image, num, table, text

HEADING = "## What changed since the previous edition"


def changes_section(comparison, trend=None, name: str = "risk-report") -> tuple[str, list[FigureSpec]]:
    """Markdown for the section, and the trend figure it links (if ``trend`` is given)."""
    before, after = comparison.before, comparison.after
    lines = [HEADING, "",
             f"Compared: the previous edition {text(_edition(before))} with this report's "
             f"{text(_edition(after))}. Each country's change "
             f"is split exactly among its causes: {text(comparison.decomposition)}; the parts "
             "are order-independent and sum to the change, interactions included.", ""]
    movers = [r for r in comparison.movers() if r.change is not None and abs(r.change) >= 0.05]
    risers = [r for r in movers if r.change > 0]
    fallers = [r for r in movers if r.change < 0]
    for title, items in (("Risers", risers), ("Fallers", fallers)):
        if items:
            lines.append(f"**{title}:**")
            lines += [f"- {text(r.sentence())}" for r in items]
        else:
            lines.append(f"**{title}:** none.")
        lines.append("")
    rows = [{"country": cell(r.entity), "before": num(r.score_from), "after": num(r.score_to),
             "change": "—" if r.change is None else f"{r.change:+.1f}",
             "rank": f"{r.rank_from or '—'} → {r.rank_to or '—'}",
             "attribution": cell("; ".join(f"{k} {v:+.2f}" for k, v in sorted(
                 r.attribution.items(), key=lambda kv: -abs(kv[1]))) or "—")}
            for r in comparison.movers()]
    lines.append(table(rows, ["country", "before", "after", "change", "rank", "attribution"],
                       right=["before", "after", "change"]))
    figures: list[FigureSpec] = []
    if trend is not None and len(trend.dates) > 2:
        spec = FigureSpec(figure_path(name, "trend"), "trend", trend.figure_data(), _alt(trend))
        figures.append(spec)
        lines += ["", image(spec.alt, spec.path), "",
                  "Scores on each date from the earlier to the later edition's as-of date, with "
                  "the same model and inputs; a gap in a line is a date on which the country "
                  "could not be scored (too little evidence describing a date on or before it)."]
    return "\n".join(lines), figures


def _edition(result) -> str:
    parts = [f"as of {result.as_of}" if result.as_of else "undated"]
    if result.known_at:
        parts.append(f"as known on {result.known_at}")
    if result.model.overrides:
        parts.append("weights " + ", ".join(f"{k}={v:g}" for k, v in result.model.overrides.items()))
    parts.append(f"model {result.model.path.name}, inputs {result.inputs.source.path}")
    return "(" + "; ".join(parts) + ")"


def _alt(trend) -> str:
    data = trend.figure_data()
    return ("Line chart of each country's score over time: " + "; ".join(
        f"{e}: " + ", ".join(f"{d} {num(s)}" for d, s in zip(data["dates"], scores, strict=True))
        for e, scores in zip(data["entities"], data["scores"], strict=True)) + ".")
