"""Why is this country ranked here? Per-indicator explanations and the evidence table.

Both read an ``Assessment``; nothing is recomputed.
"""

from __future__ import annotations

import math

from riskscore.analyses.groups import group_ranks, overall_standings
from riskscore.analyses.peers import unit_summary
from riskscore.engine.aggregate import DECOMPOSITION, POST_STEP_RULE
from riskscore.engine.assessment import Assessment, format_value, normalisation_text, short_label
from riskscore.model.timeline import gap_days


def explain(result: Assessment, entity: str, tipping_point: dict | None = None) -> dict:
    """Everything behind one entity's score: header facts, one row per indicator, notes.

    ``tipping_point`` (the entity's nearest single-weight swap, as a dict) is passed
    through as ``nearest_tipping_point`` so the explanation says how far the rank holds.
    """
    e = result.index(entity)
    name = result.entities[e]
    scale = result.model.scale
    score = result.scores[e]
    rows = []
    for col, ind_id in enumerate(result.hierarchy.indicator_ids):
        ind = result.model.indicators[ind_id]
        obs = result.observations[(name, ind_id)]
        points = result.allocation[e, col] * scale
        status = ("documented absent" if obs.is_absent else "observed") if not obs.is_missing \
            else ("imputed" if result.imputed[e, col] else "missing")
        dropped = result.dropped_ancestor(e, ind_id) if not obs.is_missing else None
        if dropped:
            status = "not counted"
        rows.append({
            "indicator": ind_id,
            "label": short_label(result.model, ind_id),
            "dimension": result.model.dimension_of(ind_id),
            "value": format_value(obs, ind.unit),
            "normalised": _num(result.slots[e, col] * scale),
            "normalisation": normalisation_text(result.model, ind_id),
            "weight": result.model.normalised_weight(ind_id),
            "effective weight": _num(result.effective[e, col]),
            "contribution": _num(points),
            "share of score": _num(points / score) if score and not math.isnan(score) else None,
            "status": status,
            "not_counted_because": dropped,
            "as_of": obs.as_of.isoformat() if obs.as_of else None,
            "published": obs.published.isoformat() if obs.published else None,
            "gap_days": gap_days(obs, result.as_of),
            "chosen": choice_text(obs, result.as_of, result.known_at),
            "evidence": _evidence_text(obs, result.missing_handling(e, ind_id)),
            "judgement": obs.judgement,
            "steps": [step.to_dict() for step in result.steps_for(name, ind_id)],
            "prepared": _num(result.prepared[e, col]) if result.prepared is not None else None,
        })
        if ind.flag is not None:
            rows[-1]["flag"] = bool(result.flags is not None and result.flags[e, col])
            rows[-1]["flag_rule"] = ind.flag.text()
    aggregations = {n.aggregation for n in result.model.nodes.values()}
    observed, total = result.observed_count(e)
    return {
        "entity": name,
        "label": result.label(name),
        "rank": None if math.isnan(result.ranks[e]) else int(result.ranks[e]),
        "of": len(result.entities),
        "score": _num(score),
        "dimensions": {d: _num(result.node_score(e, d)) for d in result.model.dimensions},
        "coverage": result.observed_weight(e),
        "observed_indicators": observed,
        "indicators": total,
        "missing_policy": result.model.missing,
        "decomposition": {a: DECOMPOSITION[a] for a in sorted(aggregations)},
        "sources": result.sources,
        "as_of": result.as_of.isoformat() if result.as_of else None,
        "known_at": result.known_at.isoformat() if result.known_at else None,
        "nearest_tipping_point": tipping_point,
        "constant_contributions": result.constant_contributions(e),
        "class": result.model.score_class(_num(score)),
        "percentile": overall_standings(result)[e].percentile,
        **({"group_ranks": group_ranks(result)[name]} if result.group_columns else {}),
        **unit_summary(result, e),
        "node_steps": node_steps(result),
        **({"node_steps_decomposition": POST_STEP_RULE} if node_steps(result) else {}),
        **({"flags": result.flags_of(e), "flag_counts": result.flag_counts(e)}
           if result.flags is not None else {}),
        "rows": rows,
        # only when used, so that plain runs keep their exact output
        **({"weight_set": result.weight_set_block()} if result.model.weight_set else {}),
        **({"what_if": [w.to_dict() for w in result.what_if]} if result.what_if else {}),
    }


def node_steps(result: Assessment) -> dict[str, str]:
    """Each node whose aggregate is rescaled or rounded, and how, as a sentence."""
    out = {}
    for node_id, node in result.model.nodes.items():
        parts = []
        if node.aggregation == "sum":
            parts.append("a weighted sum of its children (configured weights, not shares)")
        if node.rescale is not None:
            parts.append(f"then the {node.rescale} of that across the entities (ties: "
                         f"{result.model.ties_of(node_id)})" if node.rescale != "minmax"
                         else "then min-max rescaled across the entities")
        if node.decimals is not None:
            parts.append(f"rounded to {node.decimals} decimals")
        if node.rescale is not None or node.decimals is not None:
            out[node_id] = ", ".join(parts)
    return out


def evidence_rows(result: Assessment, entity: str | None = None) -> list[dict]:
    """One row per evidence item (and per missing value), in entity then model order."""
    positions = [result.index(entity)] if entity else range(len(result.entities))
    rows = []
    for e in positions:
        name = result.entities[e]
        for ind_id in result.hierarchy.indicator_ids:
            obs = result.observations[(name, ind_id)]
            base = {"entity": name, "indicator": ind_id, "value": obs.value,
                    "lower": obs.lower, "upper": obs.upper,
                    "as_of": obs.as_of.isoformat() if obs.as_of else None,
                    "published": obs.published.isoformat() if obs.published else None,
                    "judgement": obs.judgement, "absent": obs.absent}
            if obs.is_missing:
                rows.append({**base, "kind": "missing", "quote": None, "source": None,
                             "url": None, "note": obs.missing_reason})
                continue
            for item in obs.evidence:
                rows.append({**base, "kind": item.kind, "quote": item.quote,
                             "source": item.source, "url": item.url,
                             "source_date": item.date.isoformat() if item.date else None,
                             "note": item.note or obs.derivation})
    return rows


def choice_text(obs, as_of, known_at) -> str | None:
    """Why this observation counts on ``as_of``: its dates and how it was chosen."""
    if obs.derivation:
        return None  # derived values are dated by the registry (see the evidence text)
    if obs.is_missing:
        return obs.missing_reason if obs.as_of is None and obs.selection is None else None
    parts = []
    if obs.as_of is not None and as_of is not None:
        gap = (as_of - obs.as_of).days
        parts.append(f"describes {obs.as_of} ({_age(gap)} before {as_of})" if gap
                     else f"describes {obs.as_of}")
    if obs.published is not None:
        parts.append(f"published {obs.published}")
    if obs.selection:
        parts.append(obs.selection)
    if known_at is not None:
        parts.append(f"known on {known_at}")
    return "; ".join(parts) or None


def _age(days: int) -> str:
    if abs(days) >= 365:
        return f"{days / 365.25:.1f} years"
    return f"{days} days"


def _evidence_text(obs, handling: str) -> str:
    if obs.is_missing:
        return f"MISSING: {obs.missing_reason} — {handling}"
    parts = [obs.derivation] if obs.derivation else []
    if obs.is_absent:
        parts.append(f"DOCUMENTED ABSENT (counted as {obs.value:g}, the no-risk value): {obs.absent}")
    # Registry listings are spelled out in the derivation; cite the supplier evidence only.
    items = [e for e in obs.evidence if not (obs.derivation and e.kind == "external" and e.note)]
    return " | ".join(parts + [item.cite() for item in items])


def _num(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)
