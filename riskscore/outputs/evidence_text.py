"""The text of ``riskscore evidence``: the evidence behind every value, grouped by entity
and indicator, wrapped to the terminal.

The command line parses and calls ``riskscore.analyses.explain.evidence_rows``; the
layout is here, with the other renderers.
"""

from __future__ import annotations

from typing import Any


def evidence_text(rows: list[dict[str, Any]]) -> str:
    """``evidence`` as text: grouped by country, then indicator (its value and date), each
    piece of evidence beneath it, wrapped; URLs whole on their own line."""
    from riskscore.outputs.render import elide_url, style, terminal_width, wrap_text

    lines: list[str] = []
    entity = indicator = None
    for row in rows:
        if row["entity"] != entity:
            entity, indicator = row["entity"], None
            lines += ([""] if lines else []) + [style(entity, bold=True)]
        if row["indicator"] != indicator:
            indicator = row["indicator"]
            if row["kind"] == "missing":
                lines += wrap_text(f"{indicator}: missing — {row['note']}", None, "  ", "    ")
                continue
            value = _value_text(row)
            dated = f" (as of {row['as_of']})" if row["as_of"] else ""
            lines.append(style(f"  {indicator} = {value}{dated}", bold=True))
        if row["kind"] == "article":
            lines += wrap_text(f"article: “{row['quote']}”", None, "    ", "      ")
        else:
            cited = ", ".join(str(p) for p in (row["source"], row.get("source_date")) if p)
            if row.get("quote"):
                cited = f"“{row['quote']}” — {cited}"
            lines += wrap_text(f"{row['kind']}: {cited}", None, "    ", "      ")
            if row["url"]:
                # at the indent, shortened in the middle if longer than the line's room
                lines.append("      " + elide_url(row["url"], terminal_width() - 6))
        if row.get("note"):
            lines += wrap_text(f"note: {row['note']}", None, "      ", "        ")
    return "\n".join(lines) + "\n"


def _value_text(row: dict[str, Any]) -> str:
    value = "—" if row["value"] is None else f"{row['value']:g}"
    low, high = row.get("lower"), row.get("upper")
    if low is not None and high is not None:
        return f"{value} ({low:g}–{high:g})"
    if low is not None:
        return f"{value} (≥{low:g})"
    return f"{value} (≤{high:g})" if high is not None else value
