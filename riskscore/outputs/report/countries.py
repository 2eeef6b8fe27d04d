"""One report section per country: score, explanation table, evidence, what is missing.

Reads ``explain.explain`` rows and the observations; numbers are formatted, not
recomputed. Evidence items point to the numbered Sources ("[3]").
"""

from __future__ import annotations

from riskscore.analyses.explain import explain
from riskscore.engine.assessment import Assessment, short_label
from riskscore.model.evidence import Evidence
from riskscore.outputs.report.mdtext import cell, link, num, table, text
from riskscore.outputs.report.sources import SourceIndex

TABLE_COLUMNS = ("indicator", "value", "normalised", "nominal weight", "weight used",
                 "contribution", "share", "status", "sources")
NUMERIC = ("normalised", "nominal weight", "weight used", "contribution", "share")


def country_section(result: Assessment, entity: str, sources: SourceIndex) -> str:
    """The Markdown of one country's section (a level-3 heading and its body)."""
    detail = explain(result, entity)
    name = detail["entity"]
    model = result.model
    shown = detail["label"]   # a table's label column, else the entity itself
    parts = [f"### {text(shown)}", _headline(result, detail)]
    if standing := _standing(result, detail):
        parts.append(standing)
    rows = []
    for row in detail["rows"]:
        obs = result.observations[(name, row["indicator"])]
        numbers = sorted({sources.number(item) for item in obs.evidence})
        rows.append({
            "indicator": cell(short_label(model, row["indicator"])),
            "value": cell(row["value"]),
            "normalised": num(row["normalised"]),
            "nominal weight": num(model.effective_weight(row["indicator"]), ".1%"),
            "weight used": num(row["effective weight"], ".1%"),
            "contribution": num(row["contribution"]),
            "share": num(row["share of score"], ".0%"),
            "status": cell(row["status"]),
            "sources": " ".join(_ref(n) for n in numbers) or "—",
        })
    parts.append(table(rows, TABLE_COLUMNS, right=NUMERIC))
    parts.append(f"Normalised values and contributions are on the 0–{model.scale:g} scale; "
                 "nominal weight is the indicator's share of the index as configured, weight "
                 "used its share after missing values were re-weighted; the contributions sum "
                 "to the score.")
    evidence = _evidence_list(result, name, detail["rows"], sources)
    if evidence:
        parts += [f"#### Evidence for {text(shown)}", evidence]
    gaps = _gaps_table(result, name, detail["rows"])
    if gaps:
        parts += [f"#### Missing or not counted for {text(shown)}", gaps]
    return "\n\n".join(parts)


def article_quote_line(quote: str, number: int) -> str:
    """How the report cites the article: 'article [1]: “…”' (the tests look for this shape)."""
    return f"article {_ref(number)}: “{text(quote)}”"


def _headline(result: Assessment, detail: dict) -> str:
    scale = result.model.scale
    if detail["rank"] is None:
        standing = f"**No score** (unranked of {detail['of']})"
    else:
        standing = (f"**Rank {detail['rank']} of {detail['of']}**, score "
                    f"**{num(detail['score'])}** of {scale:g}")
    dims = " · ".join(f"{text(result.model.label(d))} {num(v)}"
                      for d, v in detail["dimensions"].items())
    return (f"{standing}. Dimension scores: {dims}. Coverage: {detail['observed_indicators']} "
            f"of {detail['indicators']} indicators observed ({detail['coverage']:.0%} of the "
            "weight).")


def _standing(result: Assessment, detail: dict) -> str:
    """Rank within each group, nearest peers (with their distance) and the strengths and
    weaknesses (indicators ranked lowest and highest for risk), from ``explain``."""
    lines = []
    for column, g in detail.get("group_ranks", {}).items():
        if g["rank"] is not None:
            lines.append(f"Rank {g['rank']} of {g['of']} in {text(column)} "
                         f"{text(g['group'])}.")
    if detail["peers"]:
        lines.append("Nearest peers on the normalised indicators: " + "; ".join(
            f"{text(result.label(p['entity']))} (distance {p['distance']:.3g}, rank "
            f"{p['rank'] if p['rank'] is not None else '—'})" for p in detail["peers"]) + ".")
    for key, name in (("strengths", "Lowest risk ranks"), ("weaknesses", "Highest risk ranks")):
        if detail[key]:
            lines.append(f"{name}: " + "; ".join(
                f"{text(short_label(result.model, r['indicator']))} {r['rank']} of {r['of']}"
                for r in detail[key]) + ".")
    return " ".join(lines)


def _evidence_list(result: Assessment, entity: str, rows: list[dict],
                   sources: SourceIndex) -> str:
    items = []
    seen: dict[tuple[Evidence, ...], str] = {}
    for row in rows:
        ind_id = row["indicator"]
        obs = result.observations[(entity, ind_id)]
        if not obs.evidence and not obs.judgement and not obs.derivation:
            continue
        label = short_label(result.model, ind_id)
        when = f" as of {obs.as_of.isoformat()}" if obs.as_of else ""
        if obs.is_missing:
            head = "missing (reason below); evidence looked at:"
        else:
            head = f"{text(row['value'])}{when}"
        lines = [f"- **{text(label)}**: {head}"]
        if obs.derivation:
            lines.append(f"  - derived: {text(obs.derivation)}")
        if obs.evidence and obs.evidence in seen:
            lines.append(f"  - evidence: the same as for {text(seen[obs.evidence])} above")
        else:
            if obs.evidence:
                seen[obs.evidence] = label
            lines += [f"  - {_evidence_line(item, sources)}" for item in obs.evidence]
        if obs.judgement:
            lines.append(f"  - judgement: {text(obs.judgement)}")
        items.append("\n".join(lines))
    return "\n".join(items)


def _evidence_line(item: Evidence, sources: SourceIndex) -> str:
    number = sources.number(item)
    if item.kind == "article":
        line = article_quote_line(item.quote or "", number)
    else:
        title = item.source or "source"
        head = link(title, item.url) if item.url else text(title)
        date = f", {item.date.isoformat()}" if item.date else ""
        line = f"{item.kind} {_ref(number)}: {head}{date}"
        if item.quote:
            line += f": “{text(item.quote)}”"
    if item.note:
        line += f" — {text(item.note)}"
    return line


def _gaps_table(result: Assessment, entity: str, rows: list[dict]) -> str:
    e = result.index(entity)
    gaps = []
    for row in rows:
        status = row["status"]
        if status in ("observed", "documented absent"):
            continue
        obs = result.observations[(entity, row["indicator"])]
        if obs.is_missing:
            reason = obs.missing_reason or "no reason given"
            handling = result.missing_handling(e, row["indicator"])
        else:  # observed, but a node above it has too little coverage and is left out
            reason = f"observed, but {row['not_counted_because']}"
            handling = "shown, but adds nothing to the score"
        # A list, not a table: reasons are sentences, and a table of them overflows the page.
        gaps.append(f"- **{text(short_label(result.model, row['indicator']))}** "
                    f"({text(status)}): {text(reason)} *Handled:* {text(handling)}.")
    return "\n".join(gaps)


def _ref(number: int) -> str:
    return f"[[{number}]](#source-{number})"

