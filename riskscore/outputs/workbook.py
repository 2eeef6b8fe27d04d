"""What goes into a ``--format xlsx`` workbook: the ranking first, then the contributions,
the evidence (quotes and links), the model's weights and goalposts, and, for
``sensitivity``, the rank intervals and tipping points; an "About" sheet last.

Reads an ``Assessment`` (and a ``SensitivityResult``); nothing is recomputed.
The cells are written by ``riskscore.outputs.xlsx``.
"""

from __future__ import annotations

from riskscore._version import __version__
from riskscore.analyses.explain import evidence_rows, explain
from riskscore.engine.assessment import Assessment
from riskscore.outputs.xlsx import SheetData, workbook_bytes

SCORE = "0.0"
SHARE = "0.000"
PERCENT = "0%"


def assessment_workbook(result: Assessment, tipping: dict | None = None,
                        entity: str | None = None, sensitivity=None) -> bytes:
    """The workbook for ``result``: every entity, or only ``entity`` in the contributions
    and evidence sheets. ``tipping`` maps an entity to its nearest tipping point (a
    ``TippingPoint`` or None); ``sensitivity`` adds the rank-interval and tipping sheets.
    """
    sheets = [ranking_sheet(result, tipping or {}), contributions_sheet(result, entity),
              evidence_sheet(result, entity), model_sheet(result)]
    if sensitivity is not None:
        sheets += sensitivity_sheets(sensitivity)
    sheets.append(about_sheet(result, sensitivity))
    return workbook_bytes(sheets)


def ranking_sheet(result: Assessment, tipping: dict) -> SheetData:
    model = result.model
    dims = [(d, model.label(d)) for d in model.dimensions]
    rows = []
    for e in result.order():
        name = result.entities[e]
        observed, total = result.observed_count(e)
        point = tipping.get(name)
        rows.append({"rank": _num(result.ranks[e], int), "entity": name,
                     "label": result.label(name),
                     "score": _num(result.scores[e]),
                     **{label: _num(result.node_score(e, d)) for d, label in dims},
                     "coverage (share of weight)": result.observed_weight(e),
                     "indicators observed": observed, "indicators": total,
                     "class": model.score_class(_num(result.scores[e])),
                     "nearest weight tipping point": point.short(name) if point else None})
    columns = ["rank", "entity", *(["label"] if result.inputs.labels else []), "score",
               *[label for _, label in dims],
               "coverage (share of weight)", "indicators observed", "indicators",
               *(["class"] if model.classes else []), "nearest weight tipping point"]
    return SheetData("Ranking", columns, rows,
                     formats={"score": SCORE, **{label: SCORE for _, label in dims},
                              "coverage (share of weight)": PERCENT})


def contributions_sheet(result: Assessment, entity: str | None) -> SheetData:
    names = [entity] if entity else [result.entities[e] for e in result.order()]
    rows = []
    for name in names:
        detail = explain(result, name)
        e = result.index(name)
        for row in detail["rows"]:
            ind = result.model.indicators[row["indicator"]]
            obs = result.observations[(result.entities[e], row["indicator"])]
            rows.append({"entity": detail["entity"], "rank": detail["rank"],
                         "indicator": row["indicator"], "label": ind.label,
                         "dimension": row["dimension"], "value": obs.value,
                         "lower": obs.lower, "upper": obs.upper, "unit": ind.unit,
                         "normalised": row["normalised"], "weight (share of parent)": row["weight"],
                         "effective weight": row["effective weight"],
                         "contribution": row["contribution"], "share of score": row["share of score"],
                         "status": row["status"],
                         "why not counted": row["not_counted_because"]})
    columns = ["entity", "rank", "indicator", "label", "dimension", "value", "lower", "upper",
               "unit", "normalised", "weight (share of parent)", "effective weight",
               "contribution", "share of score", "status", "why not counted"]
    return SheetData("Contributions", columns, rows,
                     formats={"normalised": SCORE, "weight (share of parent)": SHARE,
                              "effective weight": SHARE, "contribution": "0.00",
                              "share of score": PERCENT},
                     wrap=["label"])


def evidence_sheet(result: Assessment, entity: str | None) -> SheetData:
    columns = ["entity", "indicator", "value", "lower", "upper", "kind", "as_of", "quote",
               "source", "url", "source_date", "note", "judgement"]
    return SheetData("Evidence", columns, evidence_rows(result, entity), links=["url"],
                     wrap=["quote", "note", "judgement"])


def model_sheet(result: Assessment) -> SheetData:
    block = result.model_block()
    rows = []
    for node in block["nodes"]:
        goalposts = node.get("goalposts") or [None, None]
        rows.append({**node, "goalpost lower": goalposts[0], "goalpost upper": goalposts[1],
                     "weight override": block["weight_overrides"].get(node["id"])})
    columns = ["id", "parent", "kind", "label", "weight", "configured_weight", "effective_weight",
               "weight override", "aggregation", "min_coverage", "unit", "direction",
               "goalpost lower", "goalpost upper", "transform", "derive"]
    return SheetData("Model", columns, rows,
                     formats={"weight": SHARE, "effective_weight": SHARE}, wrap=["label"])


def sensitivity_sheets(outcome) -> list[SheetData]:
    columns = ["rank", "entity", "score", "median_rank", "rank_p05", "rank_p95", "p_top1",
               "p_topk", "score_p05", "score_p95", "p_missing"]
    intervals = SheetData("Rank intervals", columns, outcome.entity_rows(),
                          formats={"score": SCORE, "score_p05": SCORE, "score_p95": SCORE,
                                   "p_top1": PERCENT, "p_topk": PERCENT, "p_missing": PERCENT})
    rows = [{**p.to_dict(), "overtaker": p.overtaker, "overtaken": p.overtaken,
             "sentence": s} for p, s in zip(outcome.tipping_points, outcome.tipping_sentences(),
                                            strict=True)]
    tipping = SheetData("Tipping points",
                        ["node", "parent", "weight_from", "weight_to", "distance", "overtaker",
                         "overtaken", "method", "sentence"], rows,
                        formats={"weight_from": SHARE, "weight_to": SHARE, "distance": SHARE},
                        wrap=["sentence"])
    return [intervals, tipping]


def about_sheet(result: Assessment, sensitivity=None) -> SheetData:
    model = result.model
    items = [("riskscore", __version__), ("model", str(model.path)), ("model sha256", model.sha256),
             ("inputs", result.inputs.source.path), ("inputs sha256", result.inputs.source.sha256),
             ("sources", result.sources),
             ("as of", result.as_of.isoformat() if result.as_of else None),
             ("what-if weights", ", ".join(f"{k}={v:g}" for k, v in model.overrides.items())
              or None),
             *_weight_set_items(model),
             *([("what-if data", "; ".join(w.text() for w in result.what_if))]
               if result.what_if else []),
             ("scale", f"0-{model.scale:g}, higher = more risk"),
             ("missing values", model.missing), ("normalisation", model.normalisation)]
    if sensitivity is not None:
        items += [("sensitivity draws", sensitivity.samples), ("seed", sensitivity.seed),
                  ("top k", sensitivity.top_k)]
    return SheetData("About", ["item", "value"],
                     [{"item": k, "value": v} for k, v in items])


def _weight_set_items(model) -> list[tuple[str, object]]:
    """The named weight set scored with, and how it was derived (none: no rows)."""
    if not model.weight_set:
        return []
    chosen = model.weight_sets[model.weight_set]
    return [("weight set", chosen.describe()), ("weight set derivation", chosen.derivation)]


def _num(value, kind=float):
    return None if value is None or value != value else kind(value)


def rollup_workbook(rolled) -> bytes:
    """``riskscore rollup --format xlsx``: the larger units ranked, and every indicator's
    contribution (and, under the values rule, its rolled-up raw value)."""
    ranking = rolled.table_rows()
    columns = list(ranking[0]) if ranking else ["rank", rolled.by, "units", "weight", "score"]
    contributions = [{rolled.by: row["group"], "indicator": i,
                      "contribution": row["contributions"].get(i),
                      **({"value": row["values"].get(i)} if "values" in row else {})}
                     for row in rolled.rows for i in rolled.indicators]
    about = [{"item": "rule", "value": rolled.rule}, {"item": "by", "value": rolled.by},
             {"item": "weight", "value": rolled.weight_column or "equal"}]
    return workbook_bytes([
        SheetData("Roll-up", columns, ranking,
                  formats={"score": SCORE, **{d: SCORE for d in rolled.dimensions}}),
        SheetData("Contributions", [rolled.by, "indicator", "contribution",
                                    *(["value"] if rolled.rule == "values" else [])],
                  contributions, formats={"contribution": SCORE}),
        SheetData("About", ["item", "value"], about),
    ])
