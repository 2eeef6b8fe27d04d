"""The text of ``riskscore explain``: the header lines, the construction rules, where the
entity stands, and one card per indicator (or a Markdown list and table).

The command line parses and calls ``riskscore.analyses.explain``; the layout is here,
with the other renderers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from riskscore.engine.assessment import Assessment

#: The columns of explain's Markdown table, in order.
EXPLAIN_COLUMNS = ["indicator", "value", "normalised", "weight", "effective weight",
                   "contribution", "share of score", "status", "as_of", "published", "evidence"]


def dash_or(value: Any, spec: str) -> str:
    """``value`` formatted by ``spec``; a dash for None."""
    return "—" if value is None else format(value, spec)


def run_marks(result: Assessment) -> list[str]:
    """What this run was scored under besides the model: a named weight set, what-if data."""
    marks: list[str] = []
    if result.model.weight_set:
        chosen = result.model.weight_sets[result.model.weight_set]
        marks.append(f"weight set: {chosen.describe()}"
                     + (f"; derivation: {chosen.derivation}" if chosen.derivation else ""))
    if note := result.what_if_note:   # None unless what-ifs were applied
        marks.append(note)
    return marks


def explain_head(result: Assessment, detail: dict[str, Any], point: Any) -> list[str]:
    """The lines above the indicators: who and where (score, rank, coverage, dates), what
    the run was scored under, the dimension scores, how far the rank holds (``point``: the
    nearest tipping point, or None), how contributions are split, then ``rule_lines``."""
    from riskscore.analyses.sensitivity.tipping import tipping_unavailable

    score_text = dash_or(detail["score"], ".1f")
    who = detail["entity"] if detail["label"] == detail["entity"] else \
        f"{detail['label']} ({detail['entity']})"
    header = (f"{who}: score {score_text}, rank {detail['rank']} of {detail['of']}; "
              f"coverage {detail['observed_indicators']}/{detail['indicators']} indicators "
              f"({detail['coverage']:.0%} of weight); missing data: {detail['missing_policy']}"
              f"; as of {detail['as_of'] or 'undated'}"
              + (f", as known on {detail['known_at']}" if detail["known_at"] else ""))
    dims = ", ".join(f"{result.model.label(d) if d in result.model.nodes else d} "
                     f"{dash_or(v, '.1f')}" for d, v in detail["dimensions"].items())
    holds = (f"rank holds until {point.sentence()}" if point
             else tipping_unavailable(result) or "no single weight in [0, 1] changes this rank")
    decomposition = "; ".join(f"{k}: {v}" for k, v in detail["decomposition"].items())
    return [header, *run_marks(result), f"dimensions: {dims}", holds,
            f"contributions: {decomposition}", *rule_lines(detail, result.label)]


def explain_rows(detail: dict[str, Any]) -> list[dict[str, Any]]:
    """The indicator rows of the Markdown table: the share as a percentage and the
    evidence with its notes (not counted, judgement, dates, preparation steps) inline."""
    return [{**row, "share of score": dash_or(row["share of score"], ".0%"),
             "evidence": row["evidence"]
             + (f" [not counted: {row['not_counted_because']}]" if row["not_counted_because"]
                else "")
             + (f" [judgement: {row['judgement']}]" if row["judgement"] else "")
             + (f" [dates: {row['chosen']}]" if row["chosen"] else "")
             + "".join(f" [{step['note']}]" for step in row["steps"])}
            for row in detail["rows"]]


def explain_markdown(detail: dict[str, Any], head: list[str]) -> str:
    """``explain`` as Markdown: the head lines as a list, then the indicators' table."""
    from riskscore.outputs.render import prose, render_rows

    # A list, so that the four facts stay four lines when the Markdown is rendered;
    # each escaped (names and labels are text).
    return ("\n".join(prose(f"- {line}", "markdown") for line in head) + "\n\n"
            + render_rows(explain_rows(detail), "markdown", EXPLAIN_COLUMNS,
                          floatfmt={"weight": ".3f", "effective weight": ".3f"}) + "\n")


def standing_lines(detail: dict[str, Any],
                   label: Callable[[str], str] | None = None) -> list[str]:
    """Where the entity stands: percentile, rank in each group, peers, strengths, weaknesses.

    Peers are named by ``label`` (an entity id to its display label; default: the id)."""
    name_of = label or (lambda entity: entity)
    lines = []
    where = []
    if detail.get("percentile") is not None:
        where.append(f"percentile {detail['percentile']:.0%} of {detail['of']}")
    for column, g in detail.get("group_ranks", {}).items():
        if g["rank"] is not None:
            where.append(f"rank {g['rank']} of {g['of']} in {column} {g['group']}")
    if where:
        lines.append("standing: " + "; ".join(where))
    if detail["peers"]:
        lines.append("nearest peers: " + "; ".join(
            f"{name_of(p['entity'])} (distance {p['distance']:.3g}, score "
            f"{dash_or(p['score'], '.3g')}, rank {p['rank'] if p['rank'] is not None else '—'})"
            for p in detail["peers"]) + f" — {detail['peer_distance']}")
    labels = {row["indicator"]: row["label"] for row in detail["rows"]}   # short, else label
    for key, name in (("strengths", "strengths (lowest risk ranks)"),
                      ("weaknesses", "weaknesses (highest risk ranks)")):
        if detail[key]:
            lines.append(f"{name}: " + "; ".join(
                f"{labels.get(r['indicator'], r['indicator'])} {r['rank']}/{r['of']}"
                for r in detail[key]))
    return lines


def rule_lines(detail: dict[str, Any], label: Callable[[str], str] | None = None) -> list[str]:
    """The construction rules behind one explanation beyond goalposts and means: each tie
    rule and rounding of a normalisation, each node rescaled or rounded, the flags raised;
    then where the entity stands (``standing_lines``, peers named by ``label``)."""
    by_rule: dict[str, list[str]] = {}
    for row in detail["rows"]:
        if "(ties:" in row["normalisation"] or "rounded" in row["normalisation"]:
            by_rule.setdefault(row["normalisation"], []).append(row["indicator"])
    lines = [f"normalised by {rule}: {', '.join(ids)}" for rule, ids in by_rule.items()]
    lines += [f"{node}: {text}" for node, text in detail["node_steps"].items()]
    if detail["node_steps"]:
        lines.append("contributions of those nodes: " + detail["node_steps_decomposition"])
    lines += standing_lines(detail, label)
    if "flags" in detail:
        flagged = [r for r in detail["rows"] if "flag" in r]
        lines.append(f"flags raised: {len(detail['flags'])} of {len(flagged)} ("
                     + (", ".join(f"{r['indicator']} {r['flag_rule']}" for r in flagged
                                  if r["flag"]) or "none") + ")")
    return lines


def explain_cards(detail: dict[str, Any], head: list[str]) -> str:
    """``explain`` as text: the header lines, then one card per indicator (its numbers on
    one wrapped line, then each piece of evidence beneath; a URL longer than the line
    is shortened in the middle, see ``render.wrap_text``)."""
    from riskscore.outputs.render import style, wrap_text

    lines = [line for text in head for line in wrap_text(text, None, "", "  ")]
    lines[0] = style(lines[0], bold=True)
    for row in detail["rows"]:
        facts = [row["dimension"], row["status"]]
        if row["as_of"]:
            facts.append(f"as of {row['as_of']}")
        name = row["indicator"] if row["label"] == row["indicator"].replace("_", " ") else \
            f"{row['label']} [{row['indicator']}]"
        lines += ["", *(style(line, bold=True) for line in
                        wrap_text(f"{name}  ({'; '.join(facts)})", None, "", "  "))]
        numbers = [f"value {row['value']}", f"normalised {dash_or(row['normalised'], '.1f')}",
                   f"weight {row['weight']:.3f} "
                   f"(effective {dash_or(row['effective weight'], '.3f')})",
                   f"contribution {dash_or(row['contribution'], '.1f')}"
                   + (f" ({row['share of score']:.0%} of score)"
                      if row["share of score"] is not None else "")]
        lines += wrap_text(" · ".join(numbers), None, "  ", "    ")
        items = [item for item in row["evidence"].split(" | ") if item]
        if items:
            lines.append("  evidence:")
            for item in items:
                lines += wrap_text(item, None, "    ", "      ")
        for key, name in (("judgement", "judgement"), ("not_counted_because", "not counted"),
                          ("chosen", "dates")):
            if row.get(key):
                lines += wrap_text(f"{name}: {row[key]}", None, "  ", "    ")
    return "\n".join(lines) + "\n"
