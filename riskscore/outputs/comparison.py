"""The text of ``riskscore compare``: the two editions, risers and fallers, the table.

The command line parses and calls ``riskscore.analyses.compare``; the layout is here,
with the other renderers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from riskscore.outputs.render import prose, render_rows, wrap_text

if TYPE_CHECKING:
    from riskscore.analyses.compare import Comparison
    from riskscore.engine.assessment import Assessment


def comparison_csv(result: Comparison) -> str:
    """The table with one column per group of changes (its points) instead of the words."""
    rows = comparison_rows(result)
    keys = [g.key for g in result.groups] + (
        ["not decomposed"] if any("not decomposed" in r.attribution for r in result.results)
        else [])
    flat = [{**{k: v for k, v in row.items() if k != "largest causes"},
             **{k: r.attribution.get(k, 0.0 if r.change is not None else None) for k in keys}}
            for row, r in zip(rows, result.movers(), strict=True)]
    return render_rows(flat, "csv", list(flat[0]) if flat else None)


def comparison_rows(result: Comparison) -> list[dict[str, Any]]:
    """One row per entity, largest change first."""
    return [{"country": r.entity, "score from": r.score_from, "score to": r.score_to,
             "change": r.change, "rank from": r.rank_from, "rank to": r.rank_to,
             "largest causes": "; ".join(r.causes) or "—"} for r in result.movers()]


def comparison_text(result: Comparison, fmt: str) -> str:
    """The two editions, risers and fallers in words, then the table.

    On a terminal the 'from:' and 'to:' values start in the same column and wrap under
    it; in Markdown each block is its own paragraph or list, so nothing runs together.
    """
    movers = [r for r in result.movers() if r.change is not None and abs(r.change) >= 0.05]
    editions = [("from:", edition_text(result.before)), ("to:", edition_text(result.after))]
    risers = [r for r in movers if (r.change or 0.0) > 0]
    fallers = [r for r in movers if (r.change or 0.0) < 0]
    table = render_rows(comparison_rows(result), fmt,
                        ["country", "score from", "score to", "change", "rank from",
                         "rank to", "largest causes"], wrap={"largest causes": 70},
                        floatfmt={"change": "+.1f"})   # a rise reads +9.8, as in the words
    note = (f"attribution: {result.decomposition}; the parts sum exactly to each change "
            "(--format json lists them all).")
    if fmt == "markdown":
        blocks = ["\n".join(prose(f"- {label} {value}", fmt) for label, value in editions)]
        for title, items in (("Risers", risers), ("Fallers", fallers)):
            blocks.append(f"{title}:" if items else f"{title}: none")
            if items:
                blocks.append("\n".join(prose(f"- {r.sentence()}", fmt) for r in items))
        return "\n\n".join([*blocks, table, prose(note, fmt)]) + "\n"
    label_width = max(len(label) for label, _ in editions) + 1
    lines = [line for label, value in editions
             for line in wrap_text(value, None, label.ljust(label_width), " " * label_width)]
    lines.append("")
    for title, items in (("Risers", risers), ("Fallers", fallers)):
        lines.append(f"{title}:" if items else f"{title}: none")
        lines += [line for r in items for line in wrap_text(r.sentence(), None, "  ", "    ")]
    lines += ["", table, ""]
    lines += wrap_text(note, None, "", "  ")
    return "\n".join(lines) + "\n"


def edition_text(result: Assessment) -> str:
    """One edition in a line: model, dates, weights, what-ifs and inputs."""
    parts = [str(result.model.path), f"as of {result.as_of}" if result.as_of else "undated"]
    if result.known_at:
        parts.append(f"known at {result.known_at}")
    if result.model.weight_set:
        parts.append(f"weight set {result.model.weight_set}")
    if result.model.overrides:
        parts.append("weights " + ", ".join(f"{k}={v:g}" for k, v in result.model.overrides.items()))
    if result.what_if_note:
        parts.append(result.what_if_note)
    parts.append(f"inputs {result.inputs.source.path}")
    return ", ".join(parts)

