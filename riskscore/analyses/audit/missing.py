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
from collections.abc import Callable
from typing import Any

import numpy as np

from riskscore.analyses.audit.findings import Finding, finding
from riskscore.engine.aggregate import aggregate
from riskscore.engine.pipeline import apply_missing_policy

_INVERSE: dict[str | None, Callable[[Any], Any]] = {
    "log": np.exp, "log10": lambda x: 10 ** x, "log1p": np.expm1, None: lambda x: x}


def rescore(result, normalised: np.ndarray) -> np.ndarray:
    """Scores (model scale) for a changed normalised matrix, under the model's rules."""
    used, _ = apply_missing_policy(result.model, normalised, result.observations,
                                   result.entities, result.hierarchy.indicator_ids)
    slots, _ = aggregate(result.hierarchy, used)
    return slots[..., -1] * result.model.scale


def score_intervals(result) -> list[dict]:
    """Per entity: score, the score with every gap at lowest and highest risk, the ranks
    that would give, and per node its coverage against ``min_coverage`` (how far from the cliff).

    One rescoring of all entities at once each way: an entity with every gap filled has
    no gap left for the missing-data rule to fill, so its score depends on its row alone.
    """
    missing = np.isnan(result.normalised)
    low_all = np.where(missing, 0.0, result.normalised)
    high_all = np.where(missing, 1.0, result.normalised)
    lows = rescore(result, low_all).tolist()
    highs = rescore(result, high_all).tolist()
    scores = result.scores
    valid = np.sort(scores[~np.isnan(scores)])
    h = result.hierarchy
    n_ind = len(h.indicator_ids)
    out = []
    for e, entity in enumerate(result.entities):
        gaps = [h.indicator_ids[c] for c in np.flatnonzero(missing[e])]
        low, high = lows[e], highs[e]
        nodes = {node: {"coverage": float(result.coverage[e, n]),
                        "min_coverage": float(h.min_coverage[n]),
                        "margin": float(result.coverage[e, n] - h.min_coverage[n]),
                        "left_out": bool(np.isnan(result.slots[e, n_ind + n]))}
                 for n, node in enumerate(h.node_ids)}
        out.append({"entity": entity, "score": _num(scores[e]), "missing": gaps,
                    "lowest": low, "highest": high, "nodes": nodes,
                    "best_rank": 1 + _above(valid, scores[e], high + 1e-9),
                    "worst_rank": 1 + _above(valid, scores[e], low - 1e-9)})
    return out


def _above(valid: np.ndarray, own: float, threshold: float) -> int:
    """How many of the other entities' scores (``valid``, sorted, with ``own`` among them
    unless NaN) are above ``threshold``."""
    count = int(valid.size - np.searchsorted(valid, threshold, side="right"))
    return count - (1 if not math.isnan(own) and own > threshold else 0)


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
    """Nodes left out for low coverage with observed values under them (warnings), and
    nodes one missing value away from that (notes), entity by entity in node order."""
    h = result.hierarchy
    n_ind = len(h.indicator_ids)
    hits: list[tuple[int, int, str]] = []
    for n in range(len(h.node_ids)):
        kids = h.children[n]
        available = ~np.isnan(result.slots[:, kids])
        cover = result.coverage[:, n]
        left_out = np.isnan(result.slots[:, n_ind + n])
        for e in np.flatnonzero(left_out & (cover > 0) & available.any(axis=1)).tolist():
            hits.append((e, n, "dropped"))
        if h.min_coverage[n] <= 0:
            continue
        lightest = np.where(available, np.asarray(h.weights[n]), np.inf).min(axis=1)
        near = ~left_out & available.any(axis=1) & (cover - lightest < h.min_coverage[n] - 1e-12)
        for e in np.flatnonzero(near).tolist():
            hits.append((e, n, "cliff"))
    found = []
    for e, n, kind in sorted(hits):
        entity, node, minimum = result.entities[e], h.node_ids[n], h.min_coverage[n]
        cover = result.coverage[e, n]
        kids = h.children[n]
        available = ~np.isnan(result.slots[e, kids])
        if kind == "dropped":
            lost = [_slot_id(h, k) for k in kids[available]]
            found.append(finding(
                "dropped-node",
                f"{entity}'s {node} is left out: {cover:.0%} of its weight is observed, "
                f"below its minimum coverage of {minimum:.0%}, so its observed "
                f"{', '.join(lost)} count for nothing.",
                "find the missing values under it, state documented absences, or lower "
                f"min_coverage for {node}", entity=entity, indicators=tuple(lost)))
            continue
        weights = np.asarray(h.weights[n])[available]
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
    """Each gap where entering a low value would lower the entity's score.

    Every gap is tried at once: a row with one gap set is rescored on its own, which
    is exact under ``reweight`` (the gap's siblings share its weight in that row alone);
    under ``mean`` the other entities' mean depends on the value entered, so each gap
    is rescored with the whole matrix.
    """
    h = result.hierarchy
    base_all = result.scores
    cases = [(e, c) for e, c in np.argwhere(np.isnan(result.normalised)).tolist()
             if not math.isnan(base_all[e])]
    if not cases:
        return []
    rows, cols = (np.array(x, dtype=np.int64) for x in zip(*cases, strict=True))
    base = base_all[rows]

    def scores_at(pick: np.ndarray, values: np.ndarray) -> np.ndarray:
        return _scores_with_cell(result, rows[pick], cols[pick], values)

    everyone = np.arange(len(cases))
    at_zero = scores_at(everyone, np.zeros(len(cases)))
    lowers = np.flatnonzero(at_zero < base - 1e-9)
    at_one = np.full(len(cases), np.nan)
    at_one[lowers] = scores_at(lowers, np.ones(lowers.size))
    comes_back = at_one < base - 1e-9
    searched = lowers[~comes_back[lowers]]
    thresholds = np.full(len(cases), np.nan)
    thresholds[searched] = _thresholds(result, rows[searched], cols[searched], base[searched])
    found = []
    for k in lowers.tolist():
        e, col = cases[k]
        entity, ind_id = result.entities[e], h.indicator_ids[col]
        ind = result.model.indicators[ind_id]
        rule = ("counts the gap as the average of its siblings" if result.model.missing ==
                "reweight" else "counts the gap as the other entities' mean")
        if comes_back[k]:  # even the highest risk lowers it: a node comes back
            what = (f"Entering any value for {entity}'s {ind_id}, even at the highest risk, "
                    f"would lower its score, from {base[k]:.1f} to between {at_zero[k]:.1f} and "
                    f"{at_one[k]:.1f}: it would bring back a node now left out for low coverage "
                    f"along with its low values, so the gap is not neutral ({rule}).")
        else:
            threshold = float(thresholds[k])
            raw = _raw_of(result, ind, threshold)
            what = (f"Entering any value for {entity}'s {ind_id} below "
                    + (f"{_with_unit(raw, ind.unit)} " if raw is not None else "")
                    + f"(risk {threshold:.2f} on the 0–1 scale) would lower its score, from "
                    f"{base[k]:.1f} to as little as {at_zero[k]:.1f}: the missing-data rule "
                    f"({result.model.missing}) {rule}, so more evidence of some risk can "
                    "lower it.")
        found.append(finding(
            "reweight-lowers", what,
            "document the value (or its absence), or choose a missing-data rule under which "
            "evidence cannot lower a score (best_case), and argue the choice in the methodology",
            entity=entity, indicators=ind_id))
    return found


def _scores_with_cell(result, rows: np.ndarray, cols: np.ndarray,
                      values: np.ndarray) -> np.ndarray:
    """Entity ``rows[k]``'s score with its normalised ``cols[k]`` set to ``values[k]``,
    everything else as scored (``rescore`` of the whole matrix so changed, for each k)."""
    if result.model.missing == "mean":   # the fill depends on every row: one at a time
        out = np.empty(rows.size)
        for k, (e, col, value) in enumerate(zip(rows.tolist(), cols.tolist(), values.tolist(),
                                                strict=True)):
            matrix = result.normalised.copy()
            matrix[e, col] = value
            out[k] = rescore(result, matrix)[e]
        return out
    cases = result.normalised[rows]       # each row scored alone: the rule fills within it
    cases[np.arange(rows.size), cols] = values
    return rescore(result, cases)


def _thresholds(result, rows: np.ndarray, cols: np.ndarray, base: np.ndarray) -> np.ndarray:
    """For each case, the normalised value at which entering it leaves the score
    unchanged (bisection, all cases together)."""
    low, high = np.zeros(rows.size), np.ones(rows.size)
    for _ in range(40):
        mid = (low + high) / 2
        below = _scores_with_cell(result, rows, cols, mid) < base
        low, high = np.where(below, mid, low), np.where(below, high, mid)
    return (low + high) / 2


def _raw_of(result, ind, t: float) -> float | None:
    """The raw value that normalises to ``t`` under goalposts (None under min-max)."""
    if (ind.normalisation or result.model.normalisation) != "goalposts" \
            or not ind.goalposts_given:
        return None
    forward: dict[str | None, Callable[[Any], Any]] = {
        "log": np.log, "log10": np.log10, "log1p": np.log1p, None: lambda x: x}
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
