"""The report's figures for a ranking of any length, and which countries get sections.

A reader takes in a few dozen rows at most, so beyond ``top`` countries the report shows
the whole ranking in shapes that do not grow with it: the distribution of the scores, the
top and bottom ``top`` with their rank intervals, the top ``top``'s dimension profiles, a
heat map only where its cells fit, and a world map where the entities are countries. The
full tables go to the appendix (``appendix.py``), the workbook and the JSON.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from riskscore.engine.assessment import Assessment, short_label
from riskscore.outputs.report.figure_spec import FigureSpec, figure_path
from riskscore.outputs.report.mdtext import num

#: Countries with a section and in the per-country figures, unless ``--top`` says otherwise.
DEFAULT_TOP = 10
#: The most rows any per-country figure draws (about 1,500 pt tall at most).
MAX_ROWS = 40
#: A heat map is drawn with at most this many indicator columns ...
HEAT_MAX_COLUMNS = 40
#: ... and its cells carry their numbers up to this many cells.
HEAT_LABELLED_CELLS = 400
#: With more indicators than this (and than rows), the heat map runs them down the page.
HEAT_TURN_AT = 15
#: A map of at most this many countries writes their names (and scores) on them.
MAP_LABELS = 12
#: Alt text names at most this many countries by value.
ALT_NAMED = 10


def is_long(result: Assessment, top: int) -> bool:
    """Whether the ranking is longer than the ``top`` countries the report details."""
    return len(result.entities) > top


def section_entities(result: Assessment, top: int, chosen: Sequence[str] | None) -> list[int]:
    """The positions of the countries that get a section, in rank order: ``chosen`` (names
    or ISO3 codes, resolved by ``Assessment.index``, which raises DataError for an unknown
    one) or else the top ``top``."""
    order = result.order()
    if chosen:
        wanted = {result.index(name) for name in chosen}
        return [e for e in order if e in wanted]
    return order[:top]


def entity_codes(result: Assessment) -> dict[str, str | None]:
    """Each entity's ISO3 code where its inputs give one (a profile's ``iso3``)."""
    return {p.entity: p.iso3 for p in getattr(result.inputs, "profiles", ()) if p.iso3}


def placement(result: Assessment):
    """Which entities are countries on the shipped world map (``worldmap.Placement``)."""
    from riskscore.outputs.worldmap import place_entities

    return place_entities(result.entities, entity_codes(result))


def map_figures(result: Assessment, name: str, placed) -> list[FigureSpec]:
    """The score map, and the class map when the model has classes; [] when the entities
    are not countries."""
    if not placed.is_map:
        return []
    model = result.model
    order = [e for e in result.order() if result.entities[e] in placed.placed]
    scores = {result.label(result.entities[e]): _score(result, e) for e in order}
    codes = {result.label(result.entities[e]): placed.placed[result.entities[e]] for e in order}
    values = {codes[n]: s for n, s in scores.items()}
    top = [f"{n} {num(s)}" for n, s in scores.items() if s is not None][:ALT_NAMED]
    more = len(order) - len(top)
    missing = [n for n, s in scores.items() if s is None]
    alt = (f"World map of the score (0–{model.scale:g}, darker is riskier) of {len(order)} "
           f"countries. Highest: {'; '.join(top)}" + (f"; and {more:,} more" if more > 0 else "")
           + "." + (f" No score: {', '.join(missing)}." if missing else "")
           + _unplaced_alt(result, placed))
    small = len(order) <= MAP_LABELS
    figures = [FigureSpec(figure_path(name, "map"), "choropleth",
                          {"values": values, "scale": model.scale,
                           **({"labels": {codes[n]: f"{n} {num(s)}"
                                          for n, s in scores.items()}} if small else {})}, alt)]
    if model.classes:
        classes = [[c.label, c.lower] for c in model.classes]
        labels = {codes[n]: model.score_class(s) for n, s in scores.items()}
        counts = {c.label: sum(1 for v in labels.values() if v == c.label) for c in model.classes}
        class_alt = (f"World map of the score classes of {len(order)} countries: "
                     + "; ".join(f"{label}: {count}" for label, count in counts.items())
                     + ". Highest: " + "; ".join(f"{n} {model.score_class(s)}" for n, s in
                                                  list(scores.items())[:ALT_NAMED] if s is not None)
                     + "." + _unplaced_alt(result, placed))
        figures.append(FigureSpec(figure_path(name, "map-classes"), "choropleth",
                                  {"values": labels, "scale": model.scale, "classes": classes,
                                   **({"labels": {codes[n]: n for n in scores}}
                                      if small else {})}, class_alt))
    return figures


def _unplaced_alt(result: Assessment, placed) -> str:
    if not placed.unplaced:
        return ""
    return " Not on the map: " + ", ".join(result.label(n) for n in placed.unplaced) + "."


def distribution_figure(result: Assessment, name: str) -> FigureSpec:
    model = result.model
    order = result.order()
    scores = [_score(result, e) for e in order]
    valid = sorted(s for s in scores if s is not None)
    marks = [[result.label(result.entities[e]), _score(result, e)] for e in order[:3]
             if _score(result, e) is not None]
    quartiles = _quartiles(valid)
    alt = (f"Histogram of {len(valid):,} scores (0–{model.scale:g}): "
           + (f"lowest {num(valid[0])}, lower quartile {num(quartiles[0])}, median "
              f"{num(quartiles[1])}, upper quartile {num(quartiles[2])}, highest {num(valid[-1])}"
              if valid else "no country has a score")
           + (f"; {len(scores) - len(valid):,} without a score" if len(valid) < len(scores) else "")
           + (". Classes: " + "; ".join(
               f"{c.label} from {c.lower:g} ({sum(model.score_class(s) == c.label for s in valid)} "
               "countries)" for c in model.classes) if model.classes else "")
           + ". Marked: " + "; ".join(f"{n} {num(s) if not isinstance(s, str) else s}"
                                      for n, s in marks) + ".")
    return FigureSpec(figure_path(name, "distribution"), "distribution",
                      {"scores": scores, "scale": model.scale,
                       "classes": [[c.label, c.lower] for c in model.classes],
                       "marks": marks}, alt)


def top_bottom_figure(result: Assessment, name: str, top: int,
                      sensitivity: Any | None) -> FigureSpec:
    """The top and bottom ``top`` countries (of those with a score, plus the unscored at
    the end of the bottom panel), with their rank intervals when there was a robustness run."""
    rows = {r["entity"]: r for r in sensitivity.entity_rows()} if sensitivity is not None else {}
    order = result.order()
    n = min(top, MAX_ROWS // 2)

    def row(e: int) -> dict:
        r = rows.get(result.entities[e], {})
        rank = result.ranks[e]
        return {"entity": result.label(result.entities[e]), "rank": None if math.isnan(rank) else int(rank),
                "score": _score(result, e), "score_p05": r.get("score_p05"),
                "score_p95": r.get("score_p95"), "rank_p05": r.get("rank_p05"),
                "rank_p95": r.get("rank_p95")}

    head = [row(e) for e in order[:n]]
    tail = [row(e) for e in order[max(n, len(order) - n):]]
    total = len(order)
    panels = [{"title": f"Highest {len(head)} of {total:,}", "rows": head},
              {"title": f"Lowest {len(tail)} of {total:,}", "rows": tail}]
    described = "; ".join(
        f"{r['entity']} {num(r['score'])} rank {r['rank'] or '—'}"
        + (f" (5–95% {r['rank_p05']:g}–{r['rank_p95']:g})" if r["rank_p05"] is not None else "")
        for r in head)
    lowest = "; ".join(f"{r['entity']} {num(r['score'])}" for r in tail)
    alt = (f"Bar charts of the {len(head)} highest and {len(tail)} lowest scores of {total:,} "
           f"countries. Highest: {described}. Lowest: {lowest}.")
    return FigureSpec(figure_path(name, "top-bottom"), "top_bottom",
                      {"panels": panels, "scale": result.model.scale}, alt)


def heatmap_figure(result: Assessment, name: str, rows: list[int]) -> FigureSpec | None:
    """The heat map of ``rows`` (entity positions) by indicator, the indicators grouped by
    dimension (model order within each), or None where it does not fit: more than
    ``HEAT_MAX_COLUMNS`` indicators or ``MAX_ROWS`` rows."""
    model = result.model
    ids = result.hierarchy.indicator_ids
    if len(ids) > HEAT_MAX_COLUMNS or len(rows) > MAX_ROWS:
        return None
    columns: list[Any] = []
    groups: list[Any] = []
    for dim in model.dimensions:
        cols = [k for k, i in enumerate(ids) if model.dimension_of(i) == dim]
        if cols:
            groups.append([model.label(dim), len(columns), len(columns) + len(cols) - 1])
            columns += cols
    columns += [k for k in range(len(ids)) if k not in set(columns)]
    labels = [short_label(model, ids[k]) for k in columns]
    entities = [result.label(result.entities[e]) for e in rows]
    heat = [[None if math.isnan(result.normalised[e, c]) else
             float(result.normalised[e, c] * model.scale)
             for c in columns] for e in rows]
    alt = (f"Heat map of normalised indicator values (0–{model.scale:g}, higher is riskier), "
           "countries by indicators, n/a where missing: " + "; ".join(
               f"{c}: " + ", ".join(f"{lab} {num(v, '.0f') if v is not None else 'n/a'}"
                                    for lab, v in zip(labels, row, strict=True))
               for c, row in zip(entities, heat, strict=True)) + ".")
    data: dict[str, Any] = {"entities": entities, "indicators": labels, "values": heat,
                            "scale": model.scale, "groups": groups}
    if len(labels) > HEAT_TURN_AT and len(labels) > len(entities):
        data["transpose"] = True   # many indicators: down the page, where they fit
    elif len(entities) * len(labels) > HEAT_LABELLED_CELLS:
        data["cell_labels"] = False
    return FigureSpec(figure_path(name, "heatmap"), "heatmap", data, alt)


def _score(result: Assessment, e: int) -> float | None:
    value = result.scores[e]
    return None if math.isnan(value) else float(value)


def _quartiles(values: list[float]) -> tuple[float, float, float]:
    """Lower quartile, median, upper quartile (linear interpolation, numpy's default)."""
    if not values:
        return (math.nan, math.nan, math.nan)

    def at(q: float) -> float:
        pos = q * (len(values) - 1)
        lo = math.floor(pos)
        hi = min(lo + 1, len(values) - 1)
        return values[lo] + (values[hi] - values[lo]) * (pos - lo)

    return at(0.25), at(0.5), at(0.75)
