"""Roll-up: units aggregated into larger ones by a group column (tracts to counties,
countries to regions), each unit weighing its ``weight_column`` value (e.g. population)
or the same, under one of two named rules.

``values`` ("weighted-mean values, scored by the model"): each larger unit's raw
indicator values are the weighted means of its units' observed values (or their sums, for
the indicators named in ``sums``: counts), and the larger units are scored by the same
model, as entities of their own; contributions are the engine's, exact as for any score.
Normalisations over the entities (minmax, rank, percentile, z-score, distance to target)
then compare the larger units with each other.

``scores`` ("weighted-mean score of the units"): each larger unit's score, dimension
scores and indicator contributions are the weighted means of its scored units' (units
without a score are left out, the weights rescaled over the rest). The mean is linear, so
the indicator contributions add up exactly to the larger unit's score; each unit's part
``w_u * s_u / sum(w)`` adds up to it as well.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from riskscore.engine.assessment import Assessment
from riskscore.engine.ranking import competition_ranks
from riskscore.errors import ConfigError, DataError

RULES = {
    "values": "the larger unit's indicator values are the weighted means (sums for counts) of "
              "its units' observed values, scored by the same model",
    "scores": "the larger unit's score is the weighted mean of its units' scores; "
              "contributions are the weighted means of theirs",
}


@dataclass(frozen=True)
class RolledUp:
    """The larger units, in rank order: ``rows`` one dict per larger unit."""

    rule: str
    by: str
    weight_column: str | None
    scale: float
    root: str
    dimensions: tuple[str, ...]
    indicators: tuple[str, ...]
    rows: list[dict] = field(default_factory=list)
    assessment: Assessment | None = None   # rule "values": the larger units scored

    def to_dict(self) -> dict:
        return {"rule": self.rule, "rule_text": RULES[self.rule], "by": self.by,
                "weight": self.weight_column or "equal", "scale": self.scale,
                "results": self.rows}

    def table_rows(self) -> list[dict]:
        out = []
        for row in self.rows:
            out.append({"rank": row["rank"], self.by: row["group"], "units": row["units"],
                        "weight": row["weight"], "score": row["score"],
                        **{d: row["nodes"].get(d) for d in self.dimensions}})
        return out


def unit_weights(result: Assessment, weight_column: str | None) -> np.ndarray:
    """Each entity's weight: its ``weight_column`` value (a kept column of the table), or 1.

    Raises DataError naming the entity whose weight is missing, not a number or negative.
    """
    if weight_column is None:
        return np.ones(len(result.entities))
    kept = tuple(getattr(result.inputs, "kept", ()) or ())
    if weight_column not in kept:
        raise ConfigError("command line", "--weight-column", f"is {weight_column!r}",
                          "a numeric column kept in [columns] keep: "
                          + (", ".join(kept) or "(none kept)"))
    out = []
    for entity in result.entities:
        value = result.extra_of(entity, weight_column)
        if isinstance(value, bool) or not isinstance(value, int | float) or \
                not math.isfinite(value) or value < 0:
            raise DataError(entity, weight_column, f"is {value!r}",
                            "a number >= 0 in the weight column (a [columns] keep column)")
        out.append(float(value))
    return np.array(out)


def memberships(result: Assessment, by: str) -> dict[str, list[int]]:
    """Larger unit -> positions of its units, in order of first appearance."""
    if by not in result.group_columns:
        raise ConfigError("command line", "--by", f"is {by!r}",
                          "one of the model's group columns: "
                          + (", ".join(result.group_columns) or "(none declared)"))
    groups: dict[str, list[int]] = {}
    missing = [e for e in result.entities if result.group_of(e, by) is None]
    if missing:
        raise DataError(missing[0], by, "has no group" + (f" (and {len(missing) - 1} more)"
                                                          if len(missing) > 1 else ""),
                        f"every unit in a group of {by} to roll it up")
    for e, entity in enumerate(result.entities):
        group = result.group_of(entity, by)
        if group is not None:   # every unit has one: checked above
            groups.setdefault(group, []).append(e)
    return groups


def rollup(result: Assessment, by: str, rule: str, weight_column: str | None = None,
           sums: tuple[str, ...] = ()) -> RolledUp:
    """Aggregate ``result``'s units into the groups of ``by`` under ``rule``."""
    if rule not in RULES:
        raise ConfigError("command line", "--rule", f"is {rule!r}", "'values' or 'scores'")
    for ind in sums:
        if ind not in result.model.indicators:
            raise ConfigError("command line", "--sum", f"is {ind!r}, not an indicator",
                              "one of " + ", ".join(result.model.indicators))
    if sums and rule != "values":
        raise ConfigError("command line", "--sum", "is given with --rule scores",
                          "--sum only with --rule values (it sums an indicator's raw values)")
    if rule == "values" and result.model.denominators:
        raise ConfigError("command line", "--rule", "is 'values' for a model with denominators "
                          "(" + ", ".join(result.model.denominators) + ")",
                          "--rule scores: rolling up a denominated indicator's raw values is "
                          "not supported yet")
    groups = memberships(result, by)
    weights = unit_weights(result, weight_column)
    base = RolledUp(rule=rule, by=by, weight_column=weight_column, scale=result.model.scale,
                    root=result.model.root, dimensions=tuple(result.model.dimensions),
                    indicators=tuple(result.hierarchy.indicator_ids))
    if rule == "scores":
        return _by_scores(result, base, groups, weights)
    return _by_values(result, base, groups, weights, sums)


def _by_scores(result: Assessment, base: RolledUp, groups: dict[str, list[int]],
               weights: np.ndarray) -> RolledUp:
    scale = result.model.scale
    rows = []
    for group, positions in groups.items():
        scored = [e for e in positions if not math.isnan(result.scores[e])]
        w = weights[scored]
        total = float(w.sum())
        row: dict = {"group": group, "units": len(positions), "scored_units": len(scored),
                     "weight": float(weights[positions].sum())}
        if not scored or total <= 0:
            row.update(score=None, nodes={}, contributions={}, unit_parts={})
            rows.append(row)
            continue
        share = w / total
        row["score"] = float(share @ result.scores[scored])
        row["nodes"] = {d: _weighted_mean([result.node_score(e, d) for e in scored], w)
                        for d in result.model.dimensions}
        alloc = np.nan_to_num(result.allocation[scored][:, :len(base.indicators)]) * scale
        row["contributions"] = dict(zip(base.indicators, (share @ alloc).tolist(), strict=True))
        constants = np.zeros(len(scored))
        for k, e in enumerate(scored):
            constants[k] = sum(result.constant_contributions(e).values())
        if constants.any():
            row["constant_contribution"] = float(share @ constants)
        row["unit_parts"] = {result.entities[e]: float(s * result.scores[e])
                             for e, s in zip(scored, share, strict=True)}
        rows.append(row)
    _rank(rows)
    return _with(base, rows)


def _by_values(result: Assessment, base: RolledUp, groups: dict[str, list[int]],
               weights: np.ndarray, sums: tuple[str, ...]) -> RolledUp:
    import pandas as pd

    from riskscore.engine.pipeline import assess

    raw = result.raw
    columns = {}
    for col, ind in enumerate(base.indicators):
        values = []
        for positions in groups.values():
            x = raw[positions, col]
            w = weights[positions]
            seen = ~np.isnan(x)
            if not seen.any():
                values.append(np.nan)
            elif ind in sums:
                values.append(float(x[seen].sum()))
            else:
                values.append(float(w[seen] @ x[seen] / w[seen].sum()) if w[seen].sum() > 0
                              else np.nan)
        columns[ind] = values
    id_column = getattr(getattr(result.model, "columns", None), "id", "entity")
    frame = pd.DataFrame(columns, index=pd.Index(list(groups), name=id_column))
    # the table's other roles: each larger unit is its own group of --by; another group
    # column keeps a value all its units share; a kept column (the weight) is summed
    label_column = getattr(getattr(result.model, "columns", None), "label", None)
    if label_column:   # a larger unit is labelled by its group's name
        frame[label_column] = list(groups)
    for column in result.group_columns:
        frame[column] = [g if column == base.by else _shared(result, column, members)
                         for g, members in groups.items()]
    for column in getattr(result.inputs, "kept", ()) or ():
        frame[column] = [float(weights[m].sum()) if column == base.weight_column else None
                         for m in groups.values()]
    scored = assess(result.model, data=frame)
    rows = []
    position = {g: i for i, g in enumerate(scored.entities)}
    for group, members in groups.items():
        e = position[group]
        rows.append({"group": group, "units": len(members),
                     "weight": float(weights[members].sum()),
                     "score": _num(scored.scores[e]),
                     "nodes": {d: _num(scored.node_score(e, d)) for d in result.model.dimensions},
                     "values": {i: _num(frame.loc[group, i]) for i in base.indicators},
                     "contributions": {i: _num(scored.contribution(e, i))
                                       for i in base.indicators},
                     **({"constant_contributions": scored.constant_contributions(e)}
                        if scored.constant_contributions(e) else {})})
    _rank(rows)
    out = _with(base, rows)
    return RolledUp(**{**out.__dict__, "assessment": scored})


def _weighted_mean(values: list[float], weights: np.ndarray) -> float | None:
    """The weighted mean over the values present (a dimension a unit lacks is left out)."""
    x = np.array(values, dtype=float)
    seen = ~np.isnan(x)
    if not seen.any() or weights[seen].sum() <= 0:
        return None
    return float(weights[seen] @ x[seen] / weights[seen].sum())


def _rank(rows: list[dict]) -> None:
    scores = np.array([np.nan if r["score"] is None else r["score"] for r in rows], dtype=float)
    ranks = competition_ranks(scores)
    for row, rank in zip(rows, ranks, strict=True):
        row["rank"] = None if math.isnan(rank) else int(rank)
    rows.sort(key=lambda r: (math.inf if r["rank"] is None else r["rank"]))


def _shared(result: Assessment, column: str, members: list[int]) -> str | None:
    found = {result.group_of(result.entities[e], column) for e in members}
    return found.pop() if len(found) == 1 else None


def _with(base: RolledUp, rows: list[dict]) -> RolledUp:
    return RolledUp(**{**base.__dict__, "rows": rows})


def _num(value) -> float | None:
    value = float(value)
    return None if math.isnan(value) else value
