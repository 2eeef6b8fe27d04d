"""Missing data: what the gaps could do to each score, and where the missing-data rule bites.

- **Score interval.** Each entity's score if every missing value were at its lowest
  risk (0) and at its highest (1), everything else as scored, and the ranks that
  would give it against the others' scores.
- **Coverage cliffs.** A node whose observed children carry less than its
  ``min_coverage`` is left out whole, with its observed values (a warning); a node
  one missing value away from that is a note.
- **Re-weighting lowers scores.** Under ``reweight`` a gap counts as the average of
  its siblings, and under ``mean`` as the other entities' mean; entering a value
  below that level *lowers* the score, even a value that shows some risk. Each such
  cell is a warning with the threshold in the indicator's unit.
"""

from __future__ import annotations

import math

import numpy as np

from riskscore.analyses.audit.findings import Finding, finding
from riskscore.engine.aggregate import aggregate
from riskscore.engine.pipeline import apply_missing_policy

_INVERSE = {"log": np.exp, "log10": lambda x: 10 ** x, "log1p": np.expm1,
            None: lambda x: x}


def rescore(result, normalised: np.ndarray) -> np.ndarray:
    """Scores (model scale) for a changed normalised matrix, under the model's rules."""
    used, _ = apply_missing_policy(result.model, normalised, result.observations,
                                   result.entities, result.hierarchy.indicator_ids)
    slots, _ = aggregate(result.hierarchy, used)
    return slots[..., -1] * result.model.scale


def score_intervals(result) -> list[dict]:
    """Per entity: score, the score with every gap at lowest and highest risk, the ranks
    that would give, and per node its coverage against ``min_coverage`` (how far from the cliff)."""
    out = []
    missing = np.isnan(result.normalised)
    for e, entity in enumerate(result.entities):
        gaps = [result.hierarchy.indicator_ids[c] for c in np.flatnonzero(missing[e])]
        low_matrix = result.normalised.copy()
        high_matrix = result.normalised.copy()
        low_matrix[e, missing[e]] = 0.0
        high_matrix[e, missing[e]] = 1.0
        low = float(rescore(result, low_matrix)[e])
        high = float(rescore(result, high_matrix)[e])
        others = [s for i, s in enumerate(result.scores) if i != e and not math.isnan(s)]
        h = result.hierarchy
        nodes = {node: {"coverage": float(result.coverage[e, n]),
                        "min_coverage": float(h.min_coverage[n]),
                        "margin": float(result.coverage[e, n] - h.min_coverage[n]),
                        "left_out": bool(np.isnan(result.slots[e, len(h.indicator_ids) + n]))}
                 for n, node in enumerate(h.node_ids)}
        out.append({"entity": entity, "score": _num(result.scores[e]), "missing": gaps,
                    "lowest": low, "highest": high, "nodes": nodes,
                    "best_rank": 1 + sum(1 for s in others if s > high + 1e-9),
                    "worst_rank": 1 + sum(1 for s in others if s > low - 1e-9)})
    return out


def check(result, intervals: list[dict]) -> list[Finding]:
    findings = []
    for item in intervals:
        if not item["missing"]:
            continue
        score = "no score" if item["score"] is None else f"scores {item['score']:.1f}"
        findings.append(finding(
            "score-interval",
            f"{item['entity']} {score} with {len(item['missing'])} value(s) missing "
            f"({', '.join(item['missing'])}): at their lowest risk it would score "
            f"{item['lowest']:.1f}, at their highest {item['highest']:.1f} (rank "
            f"{_span(item['best_rank'], item['worst_rank'])} against the others' scores).",
            "find the missing values, or state them documented absent where the evidence "
            "shows there is none", entity=item["entity"], indicators=tuple(item["missing"])))
    findings += _cliffs(result)
    if result.model.missing in ("reweight", "mean"):
        findings += _reweighting(result)
    return findings


def _span(a: int, b: int) -> str:
    return str(a) if a == b else f"{a}–{b}"


def _cliffs(result) -> list[Finding]:
    h = result.hierarchy
    n_ind = len(h.indicator_ids)
    found = []
    for e, entity in enumerate(result.entities):
        for n, node in enumerate(h.node_ids):
            minimum = h.min_coverage[n]
            cover = result.coverage[e, n]
            kids = h.children[n]
            available = ~np.isnan(result.slots[e, kids])
            if np.isnan(result.slots[e, n_ind + n]):
                if cover > 0 and available.any():
                    lost = [_slot_id(h, k) for k in kids[available]]
                    found.append(finding(
                        "dropped-node",
                        f"{entity}'s {node} is left out: {cover:.0%} of its weight is observed, "
                        f"below its minimum coverage of {minimum:.0%}, so its observed "
                        f"{', '.join(lost)} count for nothing.",
                        "find the missing values under it, state documented absences, or lower "
                        f"min_coverage for {node}", entity=entity, indicators=tuple(lost)))
                continue
            if minimum <= 0:
                continue
            weights = np.asarray(h.weights[n])[available]
            if len(weights) and cover - weights.min() < minimum - 1e-12:
                smallest = _slot_id(h, kids[available][int(np.argmin(weights))])
                found.append(finding(
                    "coverage-cliff",
                    f"{entity}'s {node} holds {cover:.0%} of its weight against a minimum of "
                    f"{minimum:.0%}: without {smallest}, the whole of {node} would be left out.",
                    "strengthen the evidence under it, or argue the min_coverage in the "
                    "methodology", entity=entity, indicators=(smallest,)))
    return found


def _slot_id(h, slot: int) -> str:
    n_ind = len(h.indicator_ids)
    return h.indicator_ids[slot] if slot < n_ind else h.node_ids[slot - n_ind]


def _reweighting(result) -> list[Finding]:
    found = []
    for e, entity in enumerate(result.entities):
        base = result.scores[e]
        if math.isnan(base):
            continue
        for col in np.flatnonzero(np.isnan(result.normalised[e])):
            ind_id = result.hierarchy.indicator_ids[col]
            matrix = result.normalised.copy()
            matrix[e, col] = 0.0
            at_zero = rescore(result, matrix)[e]
            if not at_zero < base - 1e-9:
                continue
            matrix[e, col] = 1.0
            at_one = rescore(result, matrix)[e]
            ind = result.model.indicators[ind_id]
            rule = ("counts the gap as the average of its siblings" if result.model.missing ==
                    "reweight" else "counts the gap as the other entities' mean")
            if at_one < base - 1e-9:  # even the highest risk lowers it: a node comes back
                what = (f"Entering any value for {entity}'s {ind_id}, even at the highest risk, "
                        f"would lower its score, from {base:.1f} to between {at_zero:.1f} and "
                        f"{at_one:.1f}: it would bring back a node now left out for low coverage "
                        f"along with its low values, so the gap is not neutral ({rule}).")
            else:
                threshold = _threshold(result, matrix, e, col, base)
                raw = _raw_of(result, ind, threshold)
                what = (f"Entering any value for {entity}'s {ind_id} below "
                        + (f"{_with_unit(raw, ind.unit)} " if raw is not None else "")
                        + f"(risk {threshold:.2f} on the 0–1 scale) would lower its score, from "
                        f"{base:.1f} to as little as {at_zero:.1f}: the missing-data rule "
                        f"({result.model.missing}) {rule}, so more evidence of some risk can "
                        "lower it.")
            found.append(finding(
                "reweight-lowers", what,
                "document the value (or its absence), or choose a missing-data rule under which "
                "evidence cannot lower a score (best_case), and argue the choice in the methodology",
                entity=entity, indicators=ind_id))
    return found


def _threshold(result, matrix: np.ndarray, e: int, col: int, base: float) -> float:
    """The normalised value at which entering it leaves the score unchanged (bisection)."""
    low, high = 0.0, 1.0
    for _ in range(40):
        mid = (low + high) / 2
        matrix[e, col] = mid
        if rescore(result, matrix)[e] < base:
            low = mid
        else:
            high = mid
    return (low + high) / 2


def _raw_of(result, ind, t: float) -> float | None:
    """The raw value that normalises to ``t`` under goalposts (None under min-max)."""
    if (ind.normalisation or result.model.normalisation) != "goalposts" \
            or not ind.goalposts_given:
        return None
    forward = {"log": np.log, "log10": np.log10, "log1p": np.log1p, None: lambda x: x}
    lo, hi = (float(forward[ind.transform](g)) for g in ind.goalposts)
    position = t if ind.higher_is_riskier else 1 - t
    return float(_INVERSE[ind.transform](lo + position * (hi - lo)))


def _with_unit(value: float, unit: str) -> str:
    """'9.75%', 'US$8.1 million', '1 (code 0-2)'."""
    if unit.startswith("%"):
        return f"{value:.3g}{unit}"
    if unit.startswith("US$"):
        return f"US${value:.3g}{unit[3:]}"
    return f"{value:.3g} ({unit})" if unit else f"{value:.3g}"


def _num(value: float) -> float | None:
    return None if math.isnan(value) else float(value)
