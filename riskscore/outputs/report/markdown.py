"""Build the report's Markdown from an Assessment. Pure: no files, no clock, no randomness.

``build_markdown`` returns the text and the figures it links (``FigureSpec``:
path relative to the report, plot name, plain data, alt text); ``figures.py``
draws them and ``writer.py`` puts everything in place. Every number comes from
the ``Assessment`` (or its article-only twin); the report only formats and, for
the dimension bars, sums indicator contributions.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any

from riskscore._version import __version__
from riskscore.engine.aggregate import DECOMPOSITION
from riskscore.engine.assessment import NO_EVIDENCE, Assessment, short_label
from riskscore.engine.ranking import TIE_DECIMALS
from riskscore.outputs.report.appendix import ANCHOR as APPENDIX_ANCHOR
from riskscore.outputs.report.appendix import appendix
from riskscore.outputs.report.audit_section import audit_section
from riskscore.outputs.report.countries import country_section
from riskscore.outputs.report.figure_spec import FigureSpec, figure_path
from riskscore.outputs.report.groups import groups_section
from riskscore.outputs.report.mdtext import (
    anchor,
    cell,
    code,
    code_cell,
    image,
    link,
    lower_first,
    num,
    table,
    text,
    words_list,
)
from riskscore.outputs.report.overview import (
    DEFAULT_TOP,
    HEAT_MAX_COLUMNS,
    MAX_ROWS,
    distribution_figure,
    heatmap_figure,
    is_long,
    map_figures,
    placement,
    section_entities,
    top_bottom_figure,
)
from riskscore.outputs.report.robustness import robustness_section
from riskscore.outputs.report.sources import SourceIndex

DEFAULT_SEED = 20191119
_DATE_LINE = re.compile(r"^\d{1,2} [A-Z][a-z]+ \d{4}$|^[A-Z][a-z]+ \d{1,2}, \d{4}$|^\d{4}-\d\d-\d\d$")
MISSING_RULES = {
    "reweight": "A missing value is left out and the weights of its siblings are re-scaled "
                "so that they fill its share (the country is scored on what is documented, not "
                "penalised or excused for a gap).",
    "worst_case": "A missing value is imputed as the worst case (risk 1 on the 0–1 scale).",
    "best_case": "A missing value counts as no risk (0 on the 0–1 scale): the score is the "
                 "documented risk, a floor that new evidence can only raise, and the gap is "
                 "shown as imputed.",
    "mean": "A missing value is imputed as the mean normalised value of the countries that "
            "have it; an indicator nobody has is left out.",
    "fail": "A missing value stops the scoring with an error.",
}


def build_markdown(result: Assessment, article_only: Assessment | None, *, title: str | None,
                   date: dt.date | None, seed: int, sensitivity: Any | None = None,
                   name: str = "risk-report", audit: Any | None = None,
                   comparison: Any | None = None, trend: Any | None = None,
                   top: int = DEFAULT_TOP,
                   entities: Sequence[str] | None = None) -> tuple[str, list[FigureSpec]]:
    """The report's Markdown and the figures it links (paths ``figures/<name>-*.svg``).

    ``article_only`` is the same inputs scored with ``sources="article"`` (None for
    a data table, which has no article). ``date`` is the date shown (default: the
    evidence date). ``seed`` is the robustness analysis's seed. ``sensitivity`` is
    an optional ``SensitivityResult`` for the Robustness section. ``audit`` is the
    ``AuditResult`` of ``result`` (``riskscore.analyses.audit.audit_assessment``; run here if None).
    ``comparison`` (a ``riskscore.analyses.compare.Comparison`` with an earlier edition) adds
    the "What changed" section, with the ``trend`` figure (a ``riskscore.analyses.trend.Trend``).
    ``top``: the countries detailed (sections, per-country figures); a longer ranking is
    shown whole by a distribution, the top and bottom ``top`` and an appendix of full tables.
    ``entities`` (names or ISO3 codes) choose the country sections instead of the top ``top``.
    """
    if audit is None:
        from riskscore.analyses.audit import audit_assessment

        audit = audit_assessment(result)
    article_title, article_date = article_heading(result)
    sources = SourceIndex(result, article_title)
    long = is_long(result, top)
    placed = placement(result)
    figures = _figures(result, name, top=top, long=long, sensitivity=sensitivity, placed=placed)
    robust_text, robust_figures = robustness_section(
        sensitivity, seed=seed, figure_path=figure_path(name, "rank-intervals"),
        top=top if long else None)
    countries = [result.entities[e] for e in section_entities(result, top, entities)]
    changes: str = ""
    change_figures: list[Any] = []
    if comparison is not None:
        from riskscore.outputs.report.changes import changes_section

        changes, change_figures = changes_section(comparison, trend, name)
    parts = [
        header(result, title=title, date=date, seed=seed, article_title=article_title,
               article_date=article_date, countries=countries, long=long),
        summary(result, sensitivity.tipping_points if sensitivity is not None else None,
                sensitivity, top=top if long else None),
        figures_section(result, figures, placed, top=top if long else None),
        *([changes] if changes else []),
        *([grouped] if (grouped := groups_section(result)) else []),
        "## Countries\n\n" + "".join(_sections_intro(result, countries, long))
        + "\n\n".join(country_section(result, c, sources) for c in countries),
        methodology(result),
        data_gaps(result, article_only, top=top if long else None),
        robust_text.rstrip("\n"),
        audit_section(audit, countries if long else None),
        sources_section(result, sources, article_date),
        "## Reproducibility\n\n" + "\n".join(f"- {item}" for item in reproducibility(result, seed)),
        *([appendix(result, sensitivity, placed.unplaced if placed.is_map else {}, audit)]
          if long else []),
    ]
    return "\n\n".join(parts) + "\n", figures + change_figures + robust_figures


def article_heading(result: Assessment) -> tuple[str | None, str | None]:
    """The article's title and dateline: its first non-empty lines (a dateline may come first)."""
    article = result.inputs.article
    if article is None:
        return None, None
    documents = result.inputs.documents
    doc = documents.items.get(documents.default) if documents and documents.default else None
    if doc is not None and doc.title and doc.date:
        # a sidecar names the original publication (the text may be a dated repost)
        outlet = f"{doc.outlet}, " if doc.outlet else ""
        return doc.title, f"{outlet}{doc.date.day} {doc.date:%B %Y}"
    lines = [line.strip() for line in article.text.splitlines() if line.strip()][:2]
    if len(lines) == 2 and _DATE_LINE.match(lines[0]):
        return lines[1], lines[0]
    return (lines[0] if lines else None), None


# ---- 1. title and reproducibility ------------------------------------------------
def header(result: Assessment, *, title: str | None, date: dt.date | None, seed: int,
           article_title: str | None, article_date: str | None, countries: list[str],
           long: bool = False) -> str:
    model, inputs = result.model, result.inputs
    heading = title or f"{model.label(model.root)}: risk report"
    shown = date or result.as_of
    lines = [f"# {text(heading)}"]
    facts = []
    if inputs.article is not None:
        dated = f", {text(article_date)}" if article_date else ""
        facts.append(f"Built from the article “{text(article_title or '')}”{dated} "
                     f"({code(inputs.article.path.name)}) [[1]](#source-1).")
    elif inputs.kind == "data":
        facts.append(f"Built from the data table {code(PurePath(inputs.source.path).name)} "
                     f"(sha256 {code(inputs.source.sha256)}).")
    else:
        facts.append(f"Built from the profiles in {code(PurePath(inputs.source.path).name)}.")
    used = ("the data table" if inputs.kind == "data" else
            "all (article and external)" if inputs.article is not None and result.sources == "all"
            else "all (external)" if result.sources == "all" else "article-quoted values only")
    facts.append(f"**Report date:** {shown.isoformat() if shown else 'not given'} · "
                 f"**evidence as of:** {result.as_of.isoformat() if result.as_of else 'not given'}"
                 f" · **countries:** {len(result.entities):,} · **sources used:** {used}.")
    lines.append(" ".join(facts[:1]) + "\n\n" + facts[1])
    if result.what_if:   # never mistaken for the recorded data
        lines.append("**What-if:** this report replaces recorded values: "
                     + "; ".join(text(w.text()) for w in result.what_if) + ".")
    if model.weight_set:
        lines.append("**Weights:** the named weight set "
                     + text(model.weight_sets[model.weight_set].describe())
                     + ", not the configured weights (see Methodology).")
    toc = ["Summary", "Scores by dimension", "Countries", "Methodology", "Data gaps",
           "Robustness", "Audit", "Sources", "Reproducibility"]
    links = [f"[{t}](#{anchor(t)})" for t in toc]
    if long:
        links.append(f"[Appendix](#{APPENDIX_ANCHOR})")
    lines.append("**Contents:** " + " · ".join(links)
                 + (" — country sections: " if long else " — countries: ")
                 + " · ".join(f"[{text(result.label(c))}](#{anchor(result.label(c))})"
                              for c in countries))
    return "\n\n".join(lines)


def reproducibility(result: Assessment, seed: int) -> list[str]:
    """What a reader needs to regenerate the report: version, seed, options and file hashes."""
    model, inputs = result.model, result.inputs
    options = [f"seed {seed} (robustness analysis)", f"sources: {result.sources}"]
    if result.as_of:
        options.append(f"as of {result.as_of.isoformat()}")
    if model.overrides:
        options.append("what-if weights " + ", ".join(
            code(f"--weight {k}={v:g}") for k, v in model.overrides.items()))
    items = [f"riskscore {__version__}; " + "; ".join(options),
             f"config {code(PurePath(model.path).name)}: sha256 `{model.sha256}`"]
    if inputs.kind == "profiles":
        items.append(f"profiles {code(PurePath(inputs.source.path).name + '/')} ({len(inputs.files)} "
                     f"files): sha256 `{inputs.source.sha256}` (over file names and hashes)")
    else:
        items.append(f"data {code(PurePath(inputs.source.path).name)}: sha256 `{inputs.source.sha256}`")
    if inputs.article is not None:
        items.append(f"article {code(inputs.article.path.name)}: sha256 `{inputs.article.sha256}`")
    block = inputs.reference_block()
    if "registry" in block:
        items.append(f"registry {code(PurePath(block['registry']['path']).name)}: sha256 "
                     f"`{block['registry']['sha256']}`")
    return items


# ---- 2. summary -----------------------------------------------------------------
def summary(result: Assessment, tipping_points: list | None = None,
            sensitivity: Any | None = None, top: int | None = None) -> str:
    """How sure the ranking is (first), the ranked table, and what drives each score.

    ``tipping_points`` (already found by the sensitivity analysis) spares finding them
    again; ``sensitivity`` gives each country's chance of ranking first and rank interval.
    ``top``: a long ranking's table and drivers list only its first ``top`` countries (the
    appendix has them all).
    """
    from riskscore.analyses.audit.missing import score_intervals
    from riskscore.analyses.sensitivity.tipping import nearest_by_entity

    model = result.model
    dims = [model.label(d) for d in model.dimensions]
    points = nearest_by_entity(result, tipping_points)
    tiers = _tiers(result, sensitivity)
    tier_number = {e: t.number for t in tiers for e in t.entities}
    bounds = {i["entity"]: i for i in score_intervals(result)}
    rows, details = [], []
    all_rows = list(zip(result.order(), result.table_rows(
        {e: p.short(e) for e, p in points.items() if p}, no_evidence=NO_EVIDENCE), strict=True))
    for e, row in all_rows[:top] if top is not None else all_rows:
        entity = result.entities[e]
        out = {"rank": "—" if row["rank"] is None else str(row["rank"])}
        if tiers:
            out["tier"] = str(tier_number[entity]) if entity in tier_number else "—"
        out.update({"country": cell(row["country"]), "score": num(row["score"])})
        b = bounds[entity]
        out["floor–ceiling"] = (f"{num(b['lowest'])}–{num(b['highest'])}" if b["missing"]
                                else "complete")
        out.update({cell(d): row[d] if row[d] == NO_EVIDENCE else num(row[d]) for d in dims})
        out["coverage"] = cell(row["coverage"])
        if model.classes:
            out["class"] = cell(row["class"] or "—")
        rows.append(out)
        details.append(f"- **{text(row['country'])}**: main drivers "
                       f"{text(row['main drivers'])}; nearest weight tipping point: "
                       f"{text(row['nearest weight tipping point'])}.")
    columns = ["rank", *(["tier"] if tiers else []), "country", "score", "floor–ceiling",
               *map(cell, dims), "coverage", *(["class"] if model.classes else [])]
    note = (f"Scores run from 0 to {model.scale:g}; higher means more exposure. Coverage counts "
            "the indicators with a value and the share of the model's weight they carry. Main "
            "drivers are the three largest contributions, in points of the score. The nearest "
            "weight tipping point is the smallest change of one weight (its siblings rescaled) "
            "that swaps the country with a neighbour; the Robustness section varies everything "
            "at once.")
    note += (" Floor–ceiling is the score with every missing value at its lowest and at its "
             "highest risk" + (" (the missing-data rule scores the floor)"
                               if model.missing == "best_case" else "")
             + "; n/a marks a dimension with no observed indicator.")
    if tiers:
        note += (" Tier: countries whose 5–95% rank intervals overlap are statistically tied "
                 "and share a tier; rank only orders the scores.")
    shown = table(rows, columns, right=["rank", "tier", "score", *map(cell, dims)])
    if top is not None:
        shown += (f"\n\nThe first {len(rows)} of {len(all_rows):,} countries; the full ranking "
                  f"is in the [appendix](#{APPENDIX_ANCHOR}).")
    return "\n\n".join(["## Summary", *evidence_supports(result, tiers, bounds),
                        how_sure(result, points, sensitivity, top or len(result.entities)),
                        " ".join(summary_sentences(result)), shown,
                        "\n".join(details), note])


def _tiers(result: Assessment, sensitivity: Any | None) -> list:
    """Tiers of overlapping 5–95% rank intervals (``riskscore.analyses.tiers``), or [] when
    the sensitivity analysis was not run."""
    if sensitivity is None:
        return []
    from riskscore.analyses.tiers import rank_tiers

    rows = {r["entity"]: r for r in sensitivity.entity_rows()}
    order = [result.entities[e] for e in result.order()]
    return rank_tiers([(n, rows[n].get("rank_p05"), rows[n].get("rank_p95"))
                       for n in order if n in rows])


def evidence_supports(result: Assessment, tiers: list, bounds: dict) -> list[str]:
    """What the evidence supports, before any league table: the tiers (statistically tied
    groups) and which scores are floors under a higher ceiling."""
    lines = []
    if tiers:
        if len(tiers) == 1:
            lines.append("**What the evidence supports.** The uncertainty analysis cannot "
                         "separate the countries: every 5–95% rank interval overlaps another, "
                         f"so all {len(tiers[0].entities)} form one tier (statistically tied). "
                         "The ranked table below orders the documented scores; it is not a "
                         "finding that one country is more exposed than the next.")
        else:
            parts = [f"tier {t.number}: {words_list([text(n) for n in t.entities])} "
                     f"(ranks {t.best}–{t.worst})" for t in tiers]
            lines.append("**What the evidence supports.** Countries whose 5–95% rank "
                         "intervals overlap are statistically tied and share a tier: "
                         + "; ".join(parts) + ". Within a tier the order is not supported.")
    order = [result.entities[e] for e in result.order()]
    partial = [bounds[n] for n in order if bounds[n]["missing"]]
    if partial:
        complete = [text(n) for n in order if not bounds[n]["missing"]]
        named = (f"{words_list(complete)} {'is' if len(complete) == 1 else 'are'}"
                 if len(complete) <= SUMMARY_TOP else f"{len(complete):,} countries are")
        more = len(partial) - SUMMARY_TOP
        partial = partial[:SUMMARY_TOP]
        lines.append(
            "**Floors and ceilings.** "
            + (f"{named} fully documented. " if complete else "")
            + ("For the others the score is a floor: " if complete
               else "Every score is a floor: ")
            + "; ".join(f"{text(b['entity'])} "
                        + (f"{num(b['score'])}, up to {num(b['highest'])} "
                           if b["score"] is not None and not math.isnan(b["score"])
                           else f"(no score), up to {num(b['highest'])} ")
                        + (f"with its {len(b['missing'])} gaps at their worst"
                           if len(b["missing"]) > 1 else "with its gap at its worst")
                        for b in partial)
            + (f"; … and {more:,} more (see the Audit's score intervals)" if more > 0 else "")
            + ".")
    return lines


#: The "how sure" summary names this many countries by rank; a longer ranking adds only
#: the countries whose rank could reach them, then says how many more the tables hold.
SUMMARY_TOP = 10


def how_sure(result: Assessment, points: dict, sensitivity: Any | None,
             top: int = DEFAULT_TOP) -> str:
    """Plain words first: each country's chance of ranking first, its 5–95% rank interval
    and its nearest tipping point (from the sensitivity run, when there is one).

    Beyond ``SUMMARY_TOP`` countries, only the top ones are named, with the first
    ``SUMMARY_TOP`` countries further down that rank first in some draws or whose 5–95% rank
    interval reaches the top; a last line counts the rest and points to the table that
    lists them.
    """
    names = [result.entities[e] for e in result.order()]
    holds = {name: (f"its rank holds until {text(points[name].sentence())}" if points.get(name)
                    else "no single weight change moves its rank") for name in names}
    if sensitivity is None:
        shown = names[:SUMMARY_TOP]
        rest = len(names) - len(shown)
        more = ("" if not rest else f"; … and {rest:,} more" + (
            ": see each country's nearest tipping point under the ranked table"
            if len(names) <= top else ", in the appendix's full ranking"))
        return ("**How sure is this ranking?** Not measured here: the robustness analysis was "
                "not run for this report (`riskscore sensitivity`). By single weights: "
                + "; ".join(f"{text(n)}: {holds[n]}" for n in shown) + more + ".")
    rows = {r["entity"]: r for r in sensitivity.entity_rows()}
    samples = getattr(sensitivity, "samples", None) or sensitivity.to_dict().get("samples") or 0
    leader = rows.get(names[0]) if names else None
    chance = leader.get("p_top1") if leader else None
    if chance is None:
        verdict = "**How sure is this ranking?**"
    elif chance >= 0.9:
        verdict = (f"**How sure is this ranking? Fairly sure at the top:** {text(names[0])} ranks "
                   f"first in {chance:.0%} of the {samples:,} draws.")
    elif chance >= 0.5:
        verdict = (f"**How sure is this ranking? Not very:** {text(names[0])} ranks first in "
                   f"{chance:.0%} of the {samples:,} draws, so another country comes "
                   "first in many plausible versions of the index.")
    else:
        verdict = (f"**How sure is this ranking? Not sure at all:** {text(names[0])} ranks first in "
                   f"only {chance:.0%} of the {samples:,} draws; the order is "
                   "decided by modelling choices as much as by the evidence.")
    most = max(rows.values(), key=lambda r: (r.get("p_top1") or 0, -(r.get("rank") or 0)),
               default=None)
    if most is not None and names and most["entity"] != names[0] and most.get("p_top1"):
        verdict += (f" {text(most['entity'])} ranks first most often "
                    f"({most['p_top1']:.0%} of the draws).")
    listed = [n for n in names if n in rows]
    # the top, then at most as many again from further down that could reach it
    climbers = [n for n in listed[SUMMARY_TOP:] if _could_reach_top(rows[n])]
    named = set(listed[:SUMMARY_TOP] + climbers[:SUMMARY_TOP])
    lines = []
    for name in (n for n in listed if n in named):
        r = rows[name]
        p05, p95 = r.get("rank_p05"), r.get("rank_p95")
        interval = (f"{num(p05, 'g')}" if p05 == p95 else f"{num(p05, 'g')}–{num(p95, 'g')}")
        lines.append(f"- **{text(name)}** ranks first in {num(r.get('p_top1'), '.0%')} of the "
                     f"draws; 5–95% rank interval {interval}; {holds[name]}.")
    rest, unnamed = len(listed) - len(named), len(climbers[SUMMARY_TOP:])
    if rest and not unnamed:
        lines.append(f"- … and {rest:,} more, none ranked first in any draw and each with a "
                     f"5–95% rank interval below the top {SUMMARY_TOP}: see the Robustness "
                     "table.")
    elif rest:
        lines.append(f"- … and {rest:,} more, {unnamed:,} of which also rank first in some draws "
                     f"or have a 5–95% rank interval reaching the top {SUMMARY_TOP}: see the "
                     "Robustness table.")
    return (verdict + " Each draw re-scores every country under other plausible weights, "
            "aggregation, normalisation and missing-data rules, and values within their "
            "documented ranges (see Robustness).\n\n" + "\n".join(lines))


def _could_reach_top(row: dict) -> bool:
    """A country below the top of the summary whose rank change matters: it ranks first in
    some draws, or its 5–95% rank interval reaches the top ``SUMMARY_TOP``."""
    p05 = row.get("rank_p05")
    return bool(row.get("p_top1")) or (p05 is not None and p05 <= SUMMARY_TOP)


def summary_sentences(result: Assessment) -> list[str]:
    """Three or four plain sentences on what drives the top of the ranking."""
    model = result.model
    order = [e for e in result.order() if not math.isnan(result.scores[e])]
    if not order:
        return ["No country could be scored: every one has too little coverage."]
    top = order[0]
    name, score = result.label(result.entities[top]), result.scores[top]
    sentences = []
    if len(order) == 1:
        sentences.append(f"{text(name)} is the only country with a score ({score:.1f} of "
                         f"{model.scale:g}).")
    else:
        second = order[1]
        gap = score - result.scores[second]
        if round(gap, TIE_DECIMALS) == 0:
            runner_up = text(result.label(result.entities[second]))
            sentences.append(f"{text(name)} and {runner_up} share the highest "
                             f"score, {score:.1f} of {model.scale:g}.")
        else:
            sentences.append(f"{text(name)} has the highest score, {score:.1f} of {model.scale:g}, "
                             f"{gap:.1f} points ahead of {text(result.label(result.entities[second]))} "
                             f"({result.scores[second]:.1f}).")
    parts = dimension_contributions(result, top)
    best = max((p, d) for d, p in zip(model.dimensions, parts, strict=True) if p is not None)
    drivers = [d["text"] for d in result.drivers(top)]
    sentences.append(f"Its largest dimension is {text(lower_first(model.label(best[1])))} "
                     f"({best[0]:.1f} points, {best[0] / score:.0%} of its score), and its main "
                     f"drivers are {text(words_list(drivers))}.")
    if len(order) > 1:
        other = dimension_contributions(result, order[1])
        diffs = [((a or 0.0) - (b or 0.0), d)
                 for d, a, b in zip(model.dimensions, parts, other, strict=True)]
        lead, dim = max(diffs)
        if lead > 0:
            runner_up = text(result.label(result.entities[order[1]]))
            sentences.append(f"Most of its lead over {runner_up} comes from "
                             f"{text(lower_first(model.label(dim)))} (+{lead:.1f} points).")
    sentences.append(_coverage_sentence(result))
    return sentences


MISSING_SHORT = {"reweight": "missing values are left out and the remaining weights "
                            "re-scaled, so these scores compare what is documented",
                 "worst_case": "missing values count as worst case",
                 "best_case": "missing values count as no risk, so these scores are floors "
                              "that more evidence can only raise",
                 "mean": "missing values are filled with the mean of the others"}


def _coverage_sentence(result: Assessment) -> str:
    partial, unscored = [], []
    for e in result.order():
        observed, total = result.observed_count(e)
        name = text(result.label(result.entities[e]))
        if math.isnan(result.scores[e]):
            unscored.append(name)
        elif observed < total:
            partial.append(f"{name} ({observed}/{total}, {result.observed_weight(e):.0%} of the "
                           "weight)")
    if not partial and not unscored:
        return "Every country has a value for every indicator."
    if len(partial) + len(unscored) > SUMMARY_TOP:
        return (f"{len(partial):,} of {len(result.entities):,} countries rest on incomplete "
                "evidence" + (f" and {len(unscored):,} cannot be scored (too little of the weight "
                              "is covered)" if unscored else "")
                + f"; {MISSING_SHORT.get(result.model.missing, 'see Methodology')} (see Data gaps).")
    text_ = ""
    if partial:
        verb = "rests" if len(partial) == 1 else "rest"
        text_ = (f"Caveat: {words_list(partial)} {verb} on incomplete evidence; "
                 f"{MISSING_SHORT.get(result.model.missing, 'see Methodology')}.")
    if unscored:
        text_ += (f"{' ' if text_ else ''}{words_list(unscored)} cannot be scored: too little of "
                  "the weight is covered.")
    return text_


def dimension_contributions(result: Assessment, e: int) -> list[float | None]:
    """Each dimension's part of the score (the sum of its indicators' contributions)."""
    points = [result.contribution(e, dim) for dim in result.model.dimensions]
    return [None if math.isnan(p) else p for p in points]


# ---- 3. figures -------------------------------------------------------------------
def _figures(result: Assessment, name: str, *, top: int = DEFAULT_TOP, long: bool = False,
             sensitivity: Any | None = None, placed: Any = None) -> list[FigureSpec]:
    """The figures of "Scores by dimension": for a short ranking the contribution bars and
    the heat map of every country; for a long one the distribution, the top and bottom
    ``top``, the top ``top``'s contribution bars and heat map; then the maps."""
    model = result.model
    order = result.order()
    rows = order[:min(top, MAX_ROWS)] if long else order
    entities = [result.label(result.entities[e]) for e in rows]
    dims = [model.label(d) for d in model.dimensions]
    values = [dimension_contributions(result, e) for e in rows]
    scores = [None if math.isnan(result.scores[e]) else float(result.scores[e]) for e in rows]
    bar_alt = ("Stacked bar chart of each country's score split into dimension contributions"
               + (f", for the {len(rows)} highest of {len(order):,}" if long else "") + ": " +
               "; ".join(
                   f"{c} {num(s)}" + ("" if s is None else " = " + " + ".join(
                       f"{d} {num(v)}" for d, v in zip(dims, vals, strict=True) if v is not None))
                   for c, s, vals in zip(entities, scores, values, strict=True)) + ".")
    figures = []
    if long:
        figures += [distribution_figure(result, name),
                    top_bottom_figure(result, name, top, sensitivity)]
    figures.append(FigureSpec(figure_path(name, "contributions"), "contributions",
                              {"entities": entities, "dimensions": dims, "values": values,
                               "scores": scores, "scale": model.scale}, bar_alt))
    heat = heatmap_figure(result, name, rows)
    if heat is not None:
        figures.append(heat)
    if placed is not None:
        figures += map_figures(result, name, placed)
    return figures


def figures_section(result: Assessment, figures: list[FigureSpec], placed: Any = None,
                    top: int | None = None) -> str:
    by_kind = {f.plot: f for f in figures if f.plot != "choropleth"}
    parts = ["## Scores by dimension"]
    if "distribution" in by_kind:
        first = by_kind["distribution"]
        parts += [image(first.alt, first.path),
                  f"How the {len(result.entities):,} scores spread (bins of "
                  f"{result.model.scale / 20:g} points"
                  + ("; the shaded bands are the score classes" if result.model.classes else "")
                  + "). The highest three are marked."]
    if "top_bottom" in by_kind:
        extremes = by_kind["top_bottom"]
        parts += [image(extremes.alt, extremes.path),
                  "The highest and lowest scores, with each country's rank"
                  + ("; the whisker is the 5–95% range of its score over the robustness draws "
                     "and the rank interval in brackets its 5–95% range of ranks."
                     if extremes.data["panels"][0]["rows"]
                     and extremes.data["panels"][0]["rows"][0].get("score_p05") is not None
                     else " (no robustness run, so no intervals: `riskscore report` with "
                     "`--samples` above 0 adds them).")]
    bars = by_kind["contributions"]
    shown = len(bars.data["entities"])
    parts += [image(bars.alt, bars.path),
              ("Each bar is a country's score" if top is None else
               f"The {shown} highest countries' dimension profiles: each bar is a score")
              + " split into its dimensions' contributions; a dimension's "
              "contribution is the sum of its indicators' contributions, so the segments add up "
              "to the score. A dimension left out for too little coverage has no segment."]
    heat = by_kind.get("heatmap")
    if heat is not None:
        parts += [image(heat.alt, heat.path),
                  ("Each cell" if top is None else f"For the same {shown} countries, each cell")
                  + " is an indicator's normalised value (0 = lowest risk, "
                  f"{result.model.scale:g} = highest) before any missing-data handling; grey "
                  "hatched cells" + (" marked n/a" if heat.data.get("cell_labels", True) else "")
                  + " are missing."
                  + ("" if heat.data.get("cell_labels", True) else
                     " The cells are too many to carry their numbers: the workbook "
                     "(`riskscore score --format xlsx`) has every value.")]
    else:
        parts.append(f"No heat map: {len(result.hierarchy.indicator_ids)} indicators are more "
                     f"columns than fit on a page (at most {HEAT_MAX_COLUMNS}); the workbook "
                     "(`riskscore score --format xlsx`) has every normalised value.")
    maps = [f for f in figures if f.plot == "choropleth"]
    if maps:
        parts.append("### Map")
        for figure in maps:
            parts.append(image(figure.alt, figure.path))
        parts.append("Countries coloured by score"
                     + (" and, below, by score class" if len(maps) > 1 else "")
                     + "; light grey countries are not in the data, hatched ones have no score. "
                     "Boundaries: Natural Earth 1:110m (public domain)."
                     + _not_placed(result, placed))
    return "\n\n".join(parts)


def _not_placed(result: Assessment, placed: Any) -> str:
    if not placed or not placed.unplaced:
        return ""
    names = list(placed.unplaced)
    listed = ", ".join(text(result.label(n)) for n in names[:SUMMARY_TOP])
    more = len(names) - SUMMARY_TOP
    return (f" Not on the map ({len(names)}): {listed}"
            + (f" and {more:,} more (listed in the [appendix](#{APPENDIX_ANCHOR}))" if more > 0
               else "") + ".")


def _sections_intro(result: Assessment, countries: list[str], long: bool) -> list[str]:
    if not long and len(countries) == len(result.entities):
        return []
    return [f"Sections for {len(countries)} of the {len(result.entities):,} countries (chosen "
            "with `--top N` or `--entities A,B`); every country's scores are in the "
            f"[appendix](#{APPENDIX_ANCHOR})" if long else
            f"Sections for {len(countries)} of the {len(result.entities):,} countries (chosen "
            "with `--entities A,B`); the Summary ranks them all", ", and every value is in "
            "`riskscore score --format xlsx` and `--format json`.\n\n"]


# ---- 5. methodology -----------------------------------------------------------------
def rationale_section(model) -> list[str]:
    """The model's own argument for each choice (``rationale`` in the config), if it gives one:
    the index (aggregation, missing data, weights), each dimension, each indicator."""
    items = [*model.nodes, *model.indicators]
    if not any(model.rationale(i) for i in items):
        return []
    lines = []
    if model.rationale(model.root):
        lines.append(text(model.rationale(model.root)))
    bullets = []
    for node_id in model.dimensions:
        if node_id in model.nodes and model.rationale(node_id):
            bullets.append(f"- **{text(model.label(node_id))}** (weight "
                           f"{model.normalised_weight(node_id):.0%} of the index): "
                           f"{text(model.rationale(node_id))}")
        for ind_id in model.indicators:
            if model.dimension_of(ind_id) != node_id or not model.rationale(ind_id):
                continue
            low, high = model.indicators[ind_id].goalposts
            posts = (f"goalposts {low:g}–{high:g}" if model.indicators[ind_id].goalposts_given
                     else "no goalposts")
            bullets.append(f"  - **{text(short_label(model, ind_id))}** ({posts}, "
                           f"{model.normalised_weight(ind_id):.0%} of its dimension): "
                           f"{text(model.rationale(ind_id))}")
    return ["### Why these indicators, goalposts and weights", *lines, "\n".join(bullets)]



def methodology(result: Assessment) -> str:
    model = result.model
    block = result.model_block()
    rows = []
    for entry in block["nodes"]:
        if entry["kind"] != "indicator":
            continue
        low, high = entry["goalposts"] or (None, None)
        rows.append({
            "id": code_cell(entry["id"]),
            "indicator": cell(short_label(model, entry["id"])
                              + (f": {entry['label']}" if entry["label"] != entry["id"] else "")),
            "dimension": cell(model.label(model.dimension_of(entry["id"]))),
            "unit": cell(entry["unit"] or "—"),
            "direction": "higher is riskier" if entry["direction"] == "higher_is_riskier"
                         else "lower is riskier",
            "goalposts": f"{low:g} – {high:g}" if low is not None else "—",
            "transform": entry["transform"] or "—",
            "weight": num(entry["weight"], ".3f"),
            "effective weight": num(entry["effective_weight"], ".1%"),
        })
    columns = ["id", "indicator", "dimension", "unit", "direction", "goalposts", "transform",
               "weight", "effective weight"]
    aggregations = sorted({model.nodes[n].aggregation for n in model.nodes})
    groups: dict[tuple[str, float], list[str]] = {}
    for node_id, node in model.nodes.items():
        name = "the index" if node_id == model.root else text(node.label)
        groups.setdefault((node.aggregation, node.min_coverage), []).append(name)
    node_rules = [f"{aggregation} weighted mean"
                  + (f" with a minimum coverage of {coverage:.0%}" if coverage else "")
                  + f" for {words_list(names)}"
                  for (aggregation, coverage), names in groups.items()]
    normalisation = (
        "Each raw value is transformed if its indicator says so (log10 for deal sizes), then "
        "placed between its goalposts: (x − lower) / (upper − lower), clipped to 0–1, and "
        "reversed where lower values are riskier."
        if model.normalisation == "goalposts" else
        "Each indicator is rescaled over the countries scored (min–max), reversed where lower "
        "values are riskier; an indicator with one distinct value gives 0.5.")
    rules = [
        "- Normalisation: " + normalisation,
        "- Aggregation: " + "; ".join(node_rules) + f". Scores are reported on 0–{model.scale:g}."
        + (f" Geometric means raise values below {model.geometric_floor:g} to it."
           if "geometric" in aggregations else ""),
        "- Missing data: " + MISSING_RULES[model.missing] + " A node whose available children "
        "carry less than its minimum coverage is itself left out, and a country whose index "
        "falls below it gets no score and no rank.",
        "- Decomposition: " + "; ".join(f"{a} nodes share by {DECOMPOSITION[a]}"
                                        for a in aggregations)
        + ". A dimension's contribution is the sum of its indicators' contributions.",
        "- Ranking: the highest score ranks 1; scores equal to "
        f"{TIE_DECIMALS} decimals share a rank (competition ranking, 1-2-2-4).",
    ]
    parts = [
        "## Methodology",
        "### Indicators",
        table(rows, columns, right=["weight", "effective weight"]),
        "Weight is the indicator's share of its dimension; effective weight its share of the "
        "whole index (the product of shares from the index down).",
        *rationale_section(model),
        "### Aggregation and missing data",
        "\n".join(rules),
        "### Weights in effect",
        _weights_text(result),
        *_importance_section(result),
        *_benefit_of_the_doubt(result),
    ]
    return "\n\n".join(parts)


BOD_SHOWN = 10   # countries below 1 named in the report (the closest to 1 first)
BOD_MAX_ENTITIES = 1000   # beyond this the report leaves it to `riskscore weights bod`


def _benefit_of_the_doubt(result: Assessment) -> list[str]:
    """Each entity's best case over the index's children (riskscore weights bod): a
    diagnostic of how much the ranking rests on the weights, not a weight set."""
    from riskscore.analyses.weights.derive import derive
    from riskscore.errors import RiskscoreError

    head = "### Benefit of the doubt"
    if len(result.entities) > BOD_MAX_ENTITIES:
        return [head, f"Not computed for {len(result.entities):,} entities (one linear programme "
                f"each; the report does it for at most {BOD_MAX_ENTITIES:,}): "
                "`riskscore weights bod` computes it."]
    try:
        found = derive("bod", result)
    except RiskscoreError as err:
        return [head, f"Not computed: {text(err.problem)}."]
    model = result.model
    best = sorted(found.entities or [], key=lambda r: (-r["score"], r["entity"]))
    top = [r for r in best if r["score"] >= 1 - 1e-9]
    lines = [f"For each country, the weights of the index's "
             f"{len(found.children)} dimensions most favourable to a high score "
             "(the classic benefit-of-the-doubt rule: no country may score above 1 under "
             "them), as `riskscore weights bod` computes them."]
    if top:
        lines.append(words_list([text(r["entity"]) for r in top]) + " reach 1 under some "
                     "weighting: no choice of weights puts another country above "
                     + ("it." if len(top) == 1 else "them."))
    rest = [r for r in best if r["score"] < 1 - 1e-9]
    shown = rest[:BOD_SHOWN]
    if shown:
        lines.append("\n".join(
            "- Even under its most favourable weights ("
            + ", ".join(f"{text(model.label(c))} {w:.0%}" for c, w in r["weights"].items()
                        if w >= 0.005)
            + f"), {text(r['entity'])} scores {r['score']:.2f} of the best score under them."
            for r in shown))
    if len(rest) > len(shown):
        lines.append(f"{len(rest) - len(shown)} more countries score lower still under their "
                     "most favourable weights; `riskscore weights bod` lists every one.")
    return [head, *lines]


def _importance_section(result: Assessment) -> list[str]:
    """Each node's children: nominal weight beside effective importance (Paruolo, Saisana &
    Saltelli 2013), gaps flagged; nothing when no node has three scored entities."""
    from riskscore.analyses.weights.derive import effective_weights

    found = effective_weights(result)
    if not found:
        return []
    model = result.model
    def name(item: str) -> str:
        return cell(short_label(model, item) if item in model.indicators else model.label(item))

    rows = [{"node": name(r["node"]), "child": name(r["child"]),
             "nominal weight": num(r["nominal"], ".0%"),
             "variance explained": num(r["importance"], ".0%"),
             "share of explained": num(r["share"], ".0%"),
             "gap": "**far from its weight**" if r["far"] else ""} for r in found]
    n = found[0]["entities"]
    estimator = ("a cubic regression spline" if found[0]["estimator"] == "spline"
                 else "a straight line (the squared correlation)")
    note = (f"How much each child really counts: the share of its node's variance it explains "
            f"alone (the correlation ratio, or first-order effect, as in Paruolo, Saisana & "
            f"Saltelli 2013), estimated over {n} entities by {estimator}. A child flagged "
            "counts much more or less than its nominal weight says"
            + (f"; with {n} entities these figures are indicative only." if n < 10 else "."))
    return ["### Effective importance", note,
            table(rows, ["node", "child", "nominal weight", "variance explained",
                         "share of explained", "gap"],
                  right=["nominal weight", "variance explained", "share of explained"])]


def _weights_text(result: Assessment) -> str:
    model = result.model
    rows = []
    for entry in result.model_block()["nodes"]:
        if entry["kind"] != "node" or entry["parent"] is None:
            continue
        override = model.overrides.get(entry["id"])
        rows.append({
            "dimension": cell(entry["label"]), "id": code_cell(entry["id"]),
            "share of index": num(entry["weight"], ".1%"),
            "source": ("what-if override " + code_cell(f"--weight {entry['id']}={override:g}")
                       if override is not None else
                       "weight set " + code_cell(model.weight_set)
                       if model.weight_set and entry["id"] in
                       model.weight_sets[model.weight_set].weights else
                       "re-scaled to keep its proportion" if _sibling_overridden(model, entry["id"])
                       else f"as configured in {code_cell(PurePath(model.path).name)}"),
        })
    indicator_overrides = {k: v for k, v in model.overrides.items() if k in model.indicators}
    lines = [table(rows, ["dimension", "id", "share of index", "source"],
                   right=["share of index"])]
    if model.overrides:
        lines.append("What-if weights are in effect (set on the command line, not in the config): "
                     + ", ".join(f"{code(k)} = {v:g} of its parent" for k, v in
                                 model.overrides.items())
                     + ". Their siblings keep their proportions and share the rest. "
                     + ("Indicator overrides show in the weight column above."
                        if indicator_overrides else ""))
    elif not model.weight_set:
        lines.append(f"No what-if weights: every weight is as configured in "
                     f"{code(PurePath(model.path).name)}.")
    if model.weight_set:
        chosen = model.weight_sets[model.weight_set]
        lines.append(f"Weights from the named set {code(chosen.name)} ({text(chosen.method)}"
                     + (f", {chosen.date.isoformat()}" if chosen.date else "")
                     + (f", from {code(chosen.source)}" if chosen.source else "")
                     + (f", sha256 {code(chosen.sha256[:12])}" if chosen.sha256 else "")
                     + ") in place of the configured ones for "
                     + ", ".join(code(k) for k in chosen.weights) + "."
                     + (f" Derivation: {text(chosen.derivation)}." if chosen.derivation else ""))
    return "\n\n".join(line.rstrip() for line in lines)


def _sibling_overridden(model, node_id: str) -> bool:
    parent = model.parent(node_id)
    return any(model.parent(k) == parent for k in model.overrides if k != node_id)


# ---- 6. data gaps -------------------------------------------------------------------
def _gaps_by_indicator(result: Assessment) -> str:
    """Per indicator, how many countries' values come from each kind of source."""
    kinds = ["article", "external", "data", "missing"]
    rows = []
    for ind_id in result.hierarchy.indicator_ids:
        found = [result.observations[(name, ind_id)].source_kind for name in result.entities]
        rows.append({"indicator": cell(short_label(result.model, ind_id)),
                     **{k: f"{found.count(k):,}" for k in kinds}})
    return table(rows, ["indicator", *kinds], right=kinds)


def data_gaps(result: Assessment, article_only: Assessment | None,
              top: int | None = None) -> str:
    if result.inputs.kind == "data":
        return table_gaps(result)
    order = result.order()
    entities = [result.entities[e] for e in order]
    if top is not None:
        parts = ["## Data gaps",
                 "Where the values come from, counted over the "
                 f"{len(entities):,} countries for each indicator: *article* (backed by a quote "
                 "from the article), *external* (external sources only), *data* (a data table) "
                 "or *missing*. Each country's missing values are listed in the "
                 f"[appendix](#{APPENDIX_ANCHOR}).", _gaps_by_indicator(result)]
        if article_only is not None:
            parts += ["### Article-only ranking",
                      f"Scored with only the values the article supports (`--sources article`), "
                      f"{sum(not math.isnan(s) for s in article_only.scores):,} of "
                      f"{len(entities):,} countries get a score; "
                      "`riskscore score --sources article` ranks them."]
        return "\n\n".join(parts)
    rows = []
    for ind_id in result.hierarchy.indicator_ids:
        row = {"indicator": cell(short_label(result.model, ind_id))}
        for name in entities:
            row[cell(name)] = result.observations[(name, ind_id)].source_kind
        rows.append(row)
    totals = {"indicator": "**backed by the article**"}
    for name in entities:
        kinds = [result.observations[(name, i)].source_kind for i in result.hierarchy.indicator_ids]
        totals[cell(name)] = f"**{kinds.count('article')} of {len(kinds)}**"
    rows.append(totals)
    parts = [
        "## Data gaps",
        "Where each value comes from: *article* (backed by a quote from the article, possibly "
        "with external sources too), *external* (external sources only), *data* (a data table) "
        "or *missing*.",
        table(rows, ["indicator", *map(cell, entities)]),
        "### Article-only ranking",
    ]
    if article_only is None:
        parts.append("Not available: these inputs carry no article quotes.")
        return "\n\n".join(parts)
    parts.append("The same model scored with only the values the article itself supports "
                 "(`--sources article`); every other value counts as missing. It shows how much "
                 "of the ranking rests on the article alone.")
    rows = []
    for e in order:
        name = result.entities[e]
        a = article_only.index(name)
        observed, total = article_only.observed_count(a)
        rows.append({
            "country": cell(name), "rank": _rank(result.ranks[e]), "score": num(result.scores[e]),
            "rank (article only)": _rank(article_only.ranks[a]),
            "score (article only)": num(article_only.scores[a]),
            "coverage (article only)": f"{observed}/{total} "
                                       f"({article_only.observed_weight(a):.0%} of weight)",
        })
    parts.append(table(rows, ["country", "rank", "score", "rank (article only)",
                              "score (article only)", "coverage (article only)"],
                       right=["rank", "score", "rank (article only)", "score (article only)"]))
    return "\n\n".join(parts)


#: A data table's gaps name at most this many entities per indicator.
GAPS_NAMED = 12


def table_gaps(result: Assessment) -> str:
    """A data table's gaps: per indicator, how many entities have a value and which do not."""
    source = result.inputs.source
    names = [result.entities[e] for e in result.order()]
    rows = []
    for ind_id in result.hierarchy.indicator_ids:
        missing = [n for n in names if result.observations[(n, ind_id)].is_missing]
        shown = ", ".join(result.label(n) for n in missing[:GAPS_NAMED])
        if len(missing) > GAPS_NAMED:
            shown += f" and {len(missing) - GAPS_NAMED} more"
        rows.append({"indicator": cell(short_label(result.model, ind_id)),
                     "with a value": f"{len(names) - len(missing)} of {len(names)}",
                     "missing for": cell(shown or "—")})
    return "\n\n".join([
        "## Data gaps",
        f"Every value comes from the data table {code(PurePath(source.path).name)} (sha256 "
        f"{code(source.sha256)}); an empty cell is missing, and the Countries section says "
        "how each gap was handled.",
        table(rows, ["indicator", "with a value", "missing for"], right=["with a value"])])


def _rank(value: float) -> str:
    return "—" if math.isnan(value) else str(int(value))


# ---- 8. sources -----------------------------------------------------------------------
def sources_section(result: Assessment, sources: SourceIndex, article_date: str | None) -> str:
    """The numbered sources as a list (long titles and citations wrap; no table to overflow).

    Each item carries the anchor ``source-N`` that the citations ``[N]`` link to.
    """
    items = []
    for source in sources.sources:
        if source.kind == "article":
            article = result.inputs.article
            assert article is not None   # an "article" source exists only beside its article
            title = (f"Article: “{text(source.title)}” ({code(article.path.name)}, sha256 "
                     f"`{article.sha256[:12]}…`); every quote in this report is verbatim from it")
            date = article_date or None
        else:
            title = link(source.title, source.url) if source.url else text(source.title)
            date = source.date.isoformat() if source.date else None
        if len(source.cited_for) > SUMMARY_TOP:   # a data table behind every country
            labels = list(dict.fromkeys(lab for ls in source.cited_for.values() for lab in ls))
            cited = (f"{len(source.cited_for):,} countries' {text(', '.join(labels[:SUMMARY_TOP]))}"
                     + (f" and {len(labels) - SUMMARY_TOP:,} more indicators"
                        if len(labels) > SUMMARY_TOP else ""))
        else:
            cited = "; ".join(f"{text(c)}: {text(', '.join(labels))}"
                              for c, labels in source.cited_for.items())
        items.append(f'- <a id="source-{source.number}"></a>**\\[{source.number}\\]** '
                     f"{title}" + (f", {text(date)}" if date else "")
                     + (f". Cited for {cited}." if cited else "."))
    return "\n\n".join(["## Sources",
                        "Numbered in the order the country sections first cite them; the "
                        "same URL is listed once. Every citation [n] links here.",
                        "\n".join(items)])
