"""The data the what-if page embeds, from an ``Assessment`` scored with configured weights.

Only weight-independent facts go in: the normalised values the engine aggregates
(after transforms, goalposts or min-max, and the missing-data policy), the tree
with its configured (raw) weights, aggregation rules and minimum coverages. The
page re-aggregates them for any weights. Links are kept only for http(s) URLs
and DOIs (as ``link``); every other string is data, escaped where it is shown.
"""

from __future__ import annotations

import math
from typing import Any

from riskscore._version import __version__
from riskscore.analyses.groups import group_ranks
from riskscore.engine.assessment import Assessment, format_value, short_label
from riskscore.outputs.escape import link_target
from riskscore.support.checks import NUMBER_SYNTAX


def page_data(base: Assessment, initial_weights: dict[str, float], sensitivity=None) -> dict:
    if base.model.overrides or base.model.weight_set:
        raise ValueError("page_data needs an assessment scored with the configured weights")
    model, hierarchy = base.model, base.hierarchy
    n_ind = len(hierarchy.indicator_ids)
    items = {}
    for item_id in (*model.nodes, *model.indicators):
        entry: dict[str, Any] = {"label": model.label(item_id), "parent": model.parent(item_id),
                 "weight": model.weight(item_id)}
        if item_id in model.indicators:
            ind = model.indicators[item_id]
            entry.update(kind="indicator", short=short_label(model, item_id), unit=ind.unit,
                         direction=ind.direction,
                         goalposts=list(ind.goalposts) if ind.goalposts_given else None,
                         transform=ind.transform)
        else:
            node = model.nodes[item_id]
            entry.update(kind="node", aggregation=node.aggregation,
                         min_coverage=node.min_coverage, children=list(model.children[item_id]))
        items[item_id] = entry
    values: list[Any] = []
    status: list[Any] = []
    shown: list[Any] = []
    evidence: list[Any] = []
    for e, name in enumerate(base.entities):
        values.append([_num(v) for v in base.slots[e, :n_ind]])
        status.append([])
        shown.append([])
        evidence.append([])
        for col, ind_id in enumerate(hierarchy.indicator_ids):
            obs = base.observations[(name, ind_id)]
            status[-1].append("imputed" if base.imputed[e, col] else
                              "missing" if obs.is_missing else "observed")
            shown[-1].append(format_value(obs, model.indicators[ind_id].unit))
            evidence[-1].append(_evidence(obs, base.missing_handling(e, ind_id)))
    return {
        "riskscore": __version__,
        "title": model.label(model.root),
        "root": model.root,
        "scale": model.scale,
        "classes": [{"label": c.label, "from": c.lower} for c in model.classes],
        "class_decimals": model.class_decimals,
        "floor": model.geometric_floor,
        "missing": model.missing,
        "normalisation": model.normalisation,
        "items": items,
        "indicators": list(hierarchy.indicator_ids),
        "order": list(hierarchy.node_ids),
        # what --weight's message lists for a node the model does not have, in its order
        "weight_ids": [*model.nodes, *model.indicators][1:],
        "model_file": model.path.name,
        "rules": [_rule(hierarchy.rule(n)) for n in range(len(hierarchy.node_ids))],
        "entities": list(base.entities),
        "labels": [base.label(e) for e in base.entities],
        "group_columns": list(base.group_columns),
        "map": _map(base),
        "values": values,
        "status": status,
        "shown": shown,
        "evidence": evidence,
        "initial": dict(initial_weights),
        "inputs": {"config": str(model.path), "config_sha256": model.sha256,
                   "inputs": base.inputs.source.path, "inputs_sha256": base.inputs.source.sha256,
                   "sources": base.sources,
                   "as_of": base.as_of.isoformat() if base.as_of else None},
        "sensitivity": _sensitivity(sensitivity),
        "weight_sets": [{"name": name, "text": chosen.describe(),
                         "overrides": set_overrides(model, name)}
                        for name, chosen in model.weight_sets.items()],
        "what_if": [w.text() for w in base.what_if],
        "edit": {i: edit_rule(model, model.indicators[i]) for i in hierarchy.indicator_ids},
        "raw": [[_num(v) for v in row] for row in base.raw],
        "number_syntax": NUMBER_SYNTAX,
        # each entity's rank within its group(s) at the configured weights, for the group filter
        "group_ranks": group_ranks(base) if base.group_columns else {},
    }


def edit_rule(model, ind) -> dict:
    """What the page needs to turn an edited raw value into the value it aggregates, as
    ``score --set`` does, with the same checks; ``why_not`` when the page cannot (the
    value's normalisation depends on the other entities, or a step the page does not do)."""
    from riskscore.support.checks import transform_expected

    method = ind.normalisation or model.normalisation
    why = None
    if method != "goalposts":
        why = f"it is normalised by {method}, over all the entities"
    elif ind.denominator is not None:
        why = f"it is divided by {ind.denominator} before it is normalised"
    elif model.treatment_of(ind.id) != "none":
        why = "its outliers are treated over all the entities"
    elif model.imputation_of(ind.id) != "none" or model.missing == "mean":
        why = "its missing values are filled from the other entities' values"
    elif getattr(ind, "decimals", None) is not None:
        why = "its normalised value is rounded"
    lo, hi = ind.normalised_range or (0.0, model.scale)
    domain = ind.domain

    def finite(x: float) -> float | None:
        return x if math.isfinite(x) else None

    return {
        "why_not": (why + "; try the value with riskscore score --set ENTITY:INDICATOR=VALUE")
                   if why else None,
        "goalposts": list(ind.goalposts) if why is None else None,
        "transform": ind.transform,
        "transform_expected": transform_expected(ind.transform) if ind.transform else None,
        "higher": ind.higher_is_riskier,
        "range": [lo / model.scale, hi / model.scale],
        "domain": None if domain is None else {
            "name": domain.name, "lower": finite(domain.lower), "upper": finite(domain.upper),
            "lower_open": domain.lower_open, "integer": domain.integer,
            "describe": domain.describe()},
    }


def set_overrides(model, name: str) -> dict[str, float]:
    """A named weight set as the page's overrides (each weighed child's share of its
    parent, as ``--weight`` takes them)."""
    weights = model.weight_sets[name].weights
    out = {}
    for child in weights:
        siblings = model.children[model.parent(child)]
        total = sum(weights[s] for s in siblings)
        out[child] = weights[child] / total
    return out


def _map(base: Assessment) -> dict | None:
    """The world map where the entities are countries: every country's SVG path (960 wide,
    Equal Earth), which entity each placed one is, and the entities not placed with why."""
    from riskscore.outputs.worldmap import place_entities, svg_height, svg_paths

    codes = {p.entity: p.iso3 for p in getattr(base.inputs, "profiles", ()) if p.iso3}
    placed = place_entities(base.entities, codes)
    if not placed.is_map:
        return None
    index = {name: e for e, name in enumerate(base.entities)}
    return {"width": 960, "height": round(svg_height(), 1), "paths": svg_paths(),
            "view": _map_view(list(placed.placed.values())),
            "placed": {str(index[n]): code for n, code in placed.placed.items()},
            "unplaced": [[index[n], why] for n, why in placed.unplaced.items()]}


def _map_view(codes: list[str]) -> list[float]:
    """The page map's viewBox: the world, or the placed countries' region when they spread
    over less than half of it (with a margin, at least 60 degrees wide, 2:1), as the report's."""
    from riskscore.outputs.worldmap import countries, main_polygon, project, svg_height

    width, height = 960.0, svg_height()
    scale = width / (2 * project(180, 0)[0])
    top = project(0, 84)[1] * scale
    points = [project(lon, lat) for code in codes for lon, lat in main_polygon(countries()[code])[0]]
    xs = [x * scale + width / 2 for x, _ in points]
    ys = [top - y * scale for _, y in points]
    if not points or max(xs) - min(xs) > width / 2:
        return [0.0, 0.0, width, round(height, 1)]
    pad = max(0.08 * scale, 0.15 * max(max(xs) - min(xs), max(ys) - min(ys)))
    w = max(max(xs) - min(xs) + 2 * pad, 2 * (max(ys) - min(ys) + 2 * pad), width / 6)
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return [round(cx - w / 2, 1), round(cy - w / 4, 1), round(w, 1), round(w / 2, 1)]


def _rule(rule) -> dict:
    """A node's operator and parameters, as ``riskscore.engine.aggregate.NodeRule`` holds them."""
    return {"op": rule.op, "power": rule.power, "complement": rule.complement,
            "multipliers": None if rule.multipliers is None else [float(m) for m in rule.multipliers],
            "zeros": rule.zeros, "operands": list(rule.operands)}


def _evidence(obs, handling: str) -> dict:
    items = []
    for ev in obs.evidence:
        items.append({"kind": ev.kind, "quote": ev.quote, "source": ev.source, "url": ev.url,
                      "link": link_target(ev.url), "date": ev.date.isoformat() if ev.date else None,
                      "note": ev.note, "document": ev.document})
    return {"items": items, "derivation": obs.derivation, "judgement": obs.judgement,
            "missing": f"{obs.missing_reason} — {handling}" if obs.is_missing else None,
            "as_of": obs.as_of.isoformat() if obs.as_of else None,
            "published": obs.published.isoformat() if obs.published else None,
            "absent": obs.absent, "selection": obs.selection}


def _sensitivity(outcome) -> dict | None:
    if outcome is None:
        return None
    return {"samples": outcome.samples, "seed": outcome.seed, "top_k": outcome.top_k,
            "rows": outcome.entity_rows(),
            "tipping": [{**p.to_dict(), "sentence": s} for p, s in
                        zip(outcome.tipping_points, outcome.tipping_sentences(), strict=True)]}


def _num(value) -> float | None:
    value = float(value)
    return None if math.isnan(value) else value
