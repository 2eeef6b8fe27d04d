"""Two editions of the index compared, and each entity's change attributed exactly.

An *edition* is one ``Assessment`` (a model, inputs, an as-of and a known-at date).
Between two editions every difference falls in a *group*:

- ``data:<indicator>``: the indicator's raw value changed (observed in both);
- ``coverage:<indicator>``: the value appeared or disappeared (missing in one);
- ``method:weights``, ``method:goalposts`` (with transforms and directions),
  ``method:aggregation``, ``method:normalisation``, ``method:missing`` (policy),
  ``method:coverage_rules`` (min_coverage and the geometric floor).

Any mix of the two editions (some groups "from", the others "to") can be scored by
the same steps as the pipeline. The attribution is the Shapley value over the
groups: each group's effect averaged over every order in which the changes can be
made, so it does not depend on an order and the parts sum exactly to the change,
interactions included. It needs 2**n scorings for n groups; groups without effect
are dropped, and beyond ``MAX_GROUPS`` the data and coverage groups are merged per
dimension (then into one each), which the result says.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from riskscore.engine.aggregate import Hierarchy, aggregate
from riskscore.engine.assessment import Assessment, short_label
from riskscore.engine.pipeline import apply_missing_policy, normalise_matrix, normalised_bounds
from riskscore.engine.shapley import coalition_shapley
from riskscore.errors import ConfigError
from riskscore.model.types import Model

MAX_GROUPS = 12
METHOD_GROUPS = ("weights", "goalposts", "aggregation", "normalisation", "missing",
                 "coverage_rules")
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Group:
    """One set of changes switched on together."""

    key: str                    # e.g. "data:debt_share_external", "method:weights"
    kind: str                   # "data", "coverage" or "method"
    indicators: tuple[str, ...] = ()
    method: str | None = None


@dataclass
class EntityChange:
    entity: str
    score_from: float | None
    score_to: float | None
    rank_from: int | None
    rank_to: int | None
    change: float | None
    attribution: dict[str, float] = field(default_factory=dict)
    causes: list[str] = field(default_factory=list)   # the largest parts, in words

    def to_dict(self) -> dict:
        return {"entity": self.entity, "score_from": self.score_from, "score_to": self.score_to,
                "rank_from": self.rank_from, "rank_to": self.rank_to, "change": self.change,
                "attribution": self.attribution, "causes": self.causes}

    def sentence(self) -> str:
        """'Kyrgyzstan +3.1: CEIEC listed ... (+4.2); debt share 40→46% (+0.9)'."""
        if self.change is None:
            return f"{self.entity}: not scored in both editions"
        head = f"{self.entity} {self.change:+.1f}"
        return head + (": " + "; ".join(self.causes) if self.causes else ": no change")


@dataclass
class Comparison:
    before: Assessment
    after: Assessment
    groups: tuple[Group, ...]
    decomposition: str
    results: list[EntityChange]

    def movers(self) -> list[EntityChange]:
        """Entities by the size of their change, largest first (unscored last)."""
        return sorted(self.results, key=lambda r: (r.change is None, -abs(r.change or 0.0),
                                                   r.entity))

    def to_frame(self) -> Any:
        """One row per entity (the index), largest change first: its scores and ranks in
        both editions, the change, and one column per group of the attribution (points)."""
        import pandas as pd

        keys = [g.key for g in self.groups]
        rows = [{"entity": r.entity, "score_from": r.score_from, "score_to": r.score_to,
                 "rank_from": r.rank_from, "rank_to": r.rank_to, "change": r.change,
                 **{k: r.attribution.get(k) for k in keys}} for r in self.movers()]
        frame = pd.DataFrame(rows, columns=["entity", "score_from", "score_to", "rank_from",
                                            "rank_to", "change", *keys]).set_index("entity")
        for column in ("rank_from", "rank_to"):
            frame[column] = frame[column].astype("Int64")
        return frame

    def to_dict(self) -> dict:
        return {"from": edition_block(self.before), "to": edition_block(self.after),
                "decomposition": self.decomposition,
                "groups": [g.key for g in self.groups],
                "results": [r.to_dict() for r in self.movers()]}


def edition_block(result: Assessment) -> dict:
    block = result.inputs_block()
    if result.model.overrides:
        block["weights"] = dict(result.model.overrides)
    if result.model.weight_set:
        block["weight_set"] = result.model.weight_set
    return block


def compare(before: Assessment, after: Assessment, max_groups: int = MAX_GROUPS) -> Comparison:
    """Scores, ranks, changes and their exact Shapley attribution, per common entity."""
    _check_comparable(before, after)
    common = [e for e in before.entities if e in after.entities]
    rows_b = [before.entities.index(e) for e in common]
    rows_a = [after.entities.index(e) for e in common]
    ids = before.hierarchy.indicator_ids
    cols_a = [after.hierarchy.indicator_ids.index(i) for i in ids]
    raw_b = before.raw[rows_b]
    raw_a = after.raw[np.ix_(rows_a, cols_a)]
    groups = _groups(before, after, raw_b, raw_a)
    groups, how = _cap(groups, before.model, max_groups)
    values = _score_subsets(before, after.model, groups, raw_b, raw_a, ids, common)
    phi = coalition_shapley(values)
    results = []
    for n, entity in enumerate(common):
        eb, ea = before.index(entity), after.index(entity)
        s_from, s_to = _num(before.scores[eb]), _num(after.scores[ea])
        change = None if s_from is None or s_to is None else s_to - s_from
        attribution: dict[str, float] = {}
        if change is not None:
            if np.all(np.isfinite(values[:, n])):
                attribution = {g.key: float(phi[k, n]) for k, g in enumerate(groups)
                               if abs(phi[k, n]) > TOLERANCE}
                residual = change - float(values[-1, n] - values[0, n])
            else:
                residual = change  # some mixed edition has no score: not decomposable
            if abs(residual) > TOLERANCE:
                attribution["not decomposed"] = residual
            _close_exactly(attribution, change)
        results.append(EntityChange(
            entity, s_from, s_to, _rank(before.ranks[eb]), _rank(after.ranks[ea]), change,
            attribution))
    for entity in [*before.entities, *after.entities]:
        if entity not in common:
            side = before if entity in before.entities else after
            e = side.index(entity)
            results.append(EntityChange(
                entity, _num(side.scores[e]) if side is before else None,
                _num(side.scores[e]) if side is after else None,
                _rank(side.ranks[e]) if side is before else None,
                _rank(side.ranks[e]) if side is after else None, None))
    comparison = Comparison(before, after, tuple(groups),
                            f"exact Shapley values over {len(groups)} groups of changes "
                            f"({2 ** len(groups)} mixed editions scored){how}", results)
    for item in comparison.results:
        item.causes = [describe(comparison, item.entity, key, points)
                       for key, points in _largest(item.attribution)]
    return comparison


# ---- the groups of changes ---------------------------------------------------------

def _check_comparable(before: Assessment, after: Assessment) -> None:
    mb, ma = before.model, after.model
    if set(mb.indicators) != set(ma.indicators) or mb.children != ma.children:
        only = sorted(set(mb.indicators) ^ set(ma.indicators))
        raise ConfigError(ma.path, "indicators",
                          "has a different hierarchy from the base edition's "
                          f"{mb.path}" + (f" (only in one: {', '.join(only)})" if only else ""),
                          "the same nodes and indicators in both editions (weights, goalposts "
                          "and rules may differ)")
    if mb.scale != ma.scale:
        raise ConfigError(ma.path, "index.scale", f"is {ma.scale:g}, the base edition's is "
                          f"{mb.scale:g}", "the same scale in both editions")


def _groups(before: Assessment, after: Assessment, raw_b: np.ndarray,
            raw_a: np.ndarray) -> list[Group]:
    groups = []
    for i, ind in enumerate(before.hierarchy.indicator_ids):
        b, a = raw_b[:, i], raw_a[:, i]
        both = ~np.isnan(b) & ~np.isnan(a)
        if np.any(both & (b != a)):
            groups.append(Group(f"data:{ind}", "data", (ind,)))
        if np.any(np.isnan(b) != np.isnan(a)):
            groups.append(Group(f"coverage:{ind}", "coverage", (ind,)))
    mb, ma = before.model, after.model
    differs = {
        "weights": any(not np.array_equal(x, y) for x, y in
                       zip(before.hierarchy.weights, after.hierarchy.weights, strict=True)),
        "goalposts": any((mb.indicators[i].goalposts, mb.indicators[i].transform,
                          mb.indicators[i].direction)
                         != (ma.indicators[i].goalposts, ma.indicators[i].transform,
                             ma.indicators[i].direction) for i in mb.indicators),
        "aggregation": any(mb.nodes[n].aggregation != ma.nodes[n].aggregation for n in mb.nodes),
        "normalisation": mb.normalisation != ma.normalisation,
        "missing": mb.missing != ma.missing,
        "coverage_rules": mb.geometric_floor != ma.geometric_floor or any(
            mb.nodes[n].min_coverage != ma.nodes[n].min_coverage for n in mb.nodes),
    }
    groups += [Group(f"method:{m}", "method", method=m) for m in METHOD_GROUPS if differs[m]]
    return groups


def _cap(groups: list[Group], model: Model, max_groups: int) -> tuple[list[Group], str]:
    if len(groups) <= max_groups:
        return groups, ""
    merged = _merge(groups, lambda g: model.dimension_of(g.indicators[0]))
    if len(merged) <= max_groups:
        return merged, ("; data and coverage changes merged per dimension to keep the "
                        "number of groups feasible")
    merged = _merge(groups, lambda g: "all")
    return merged, ("; all data changes merged into one group and all coverage changes into "
                    "another to keep the number of groups feasible")


def _merge(groups: list[Group], key) -> list[Group]:
    out: dict[str, Group] = {}
    for g in groups:
        if g.kind == "method":
            out[g.key] = g
            continue
        name = f"{g.kind}:{key(g)}"
        prev = out.get(name)
        out[name] = Group(name, g.kind, (prev.indicators if prev else ()) + g.indicators)
    return list(out.values())


# ---- scoring mixed editions ---------------------------------------------------------

def _score_subsets(before: Assessment, ma: Model, groups: list[Group], raw_b: np.ndarray,
                   raw_a: np.ndarray, ids: tuple[str, ...], common: list[str]) -> np.ndarray:
    """``values[mask, e]``: entity e's score with the groups in ``mask`` switched to 'to'."""
    from dataclasses import replace as copy_with

    mb = before.model
    context = copy_with(before, entities=tuple(common))
    n = len(groups)
    col = {ind: k for k, ind in enumerate(ids)}
    both = ~np.isnan(raw_b) & ~np.isnan(raw_a)
    values = np.empty((1 << n, raw_b.shape[0]))
    models: dict[tuple[str, ...], tuple[Model, Hierarchy]] = {}
    for mask in range(1 << n):
        on = [g for k, g in enumerate(groups) if mask >> k & 1]
        take = np.zeros(raw_b.shape, dtype=bool)
        for g in on:
            cells = both if g.kind == "data" else ~both
            for ind in g.indicators:
                take[:, col[ind]] = cells[:, col[ind]]
        raw = np.where(take, raw_a, raw_b)
        methods = tuple(g.method for g in on if g.kind == "method" and g.method is not None)
        if methods not in models:
            model = mixed_model(mb, ma, methods)
            models[methods] = (model, Hierarchy.from_model(model))
        model, hierarchy = models[methods]
        values[mask] = score_raw(model, hierarchy, raw, context)
    return values


def mixed_model(mb: Model, ma: Model, methods: tuple[str, ...]) -> Model:
    """The base model with the named method groups taken from the other."""
    indicators = dict(mb.indicators)
    nodes = dict(mb.nodes)
    changes: dict[str, Any]
    for i in indicators:
        changes = {}
        if "weights" in methods:
            changes["weight"] = ma.indicators[i].weight
        if "goalposts" in methods:
            changes.update(goalposts=ma.indicators[i].goalposts,
                           transform=ma.indicators[i].transform,
                           direction=ma.indicators[i].direction)
        indicators[i] = replace(indicators[i], **changes)
    for n in nodes:
        changes = {}
        if "weights" in methods:
            changes["weight"] = ma.nodes[n].weight
        if "aggregation" in methods:
            changes["aggregation"] = ma.nodes[n].aggregation
        if "coverage_rules" in methods:
            changes["min_coverage"] = ma.nodes[n].min_coverage
        nodes[n] = replace(nodes[n], **changes)
    top: dict[str, Any] = {}
    if "normalisation" in methods:
        top["normalisation"] = ma.normalisation
    if "missing" in methods:
        top["missing"] = ma.missing
    if "coverage_rules" in methods:
        top["geometric_floor"] = ma.geometric_floor
    return replace(mb, indicators=indicators, nodes=nodes, **top)


def score_raw(model: Model, hierarchy: Hierarchy, raw: np.ndarray, context: Assessment) -> np.ndarray:
    """The pipeline's steps after the raw matrix (``riskscore.engine.pipeline.score``): prepare,
    normalise, missing policy, aggregate. Denominators and groups are the base edition's."""
    from riskscore.engine.prepare import prepare

    entities = context.entities
    denominators = {d: np.array([_obs_value(context, e, d) for e in entities], dtype=float)
                    for d in model.denominators}
    prepared = prepare(model, hierarchy.indicator_ids, entities, raw, denominators,
                       context.inputs.group)
    normalised = normalise_matrix(model, hierarchy, prepared.values)
    observed = np.where(prepared.imputed, np.nan, normalised)
    if model.missing == "fail" and np.isnan(observed).any():
        return np.full(raw.shape[0], np.nan)
    used, _ = apply_missing_policy(model, observed, {}, (), hierarchy.indicator_ids,
                                   normalised_bounds(model, hierarchy))
    used = np.where(prepared.imputed, normalised, used)
    slots, _ = aggregate(hierarchy, used)
    return slots[:, -1] * model.scale


def _obs_value(result: Assessment, entity: str, indicator: str) -> float:
    obs = result.observations.get((entity, indicator))
    return np.nan if obs is None or obs.value is None else obs.value


# ---- words --------------------------------------------------------------------------

def describe(comparison: Comparison, entity: str, key: str, points: float) -> str:
    """One cause in words with its points, e.g. 'debt share 40→46% (+0.9)'."""
    return f"{cause_text(comparison, entity, key)} ({points:+.1f})"


def cause_text(comparison: Comparison, entity: str, key: str) -> str:
    from riskscore.engine.assessment import format_value

    before, after = comparison.before, comparison.after
    kind, _, name = key.partition(":")
    if kind == "method":
        return {"weights": "weights changed", "goalposts": "goalposts changed",
                "aggregation": "aggregation changed", "normalisation": "normalisation changed",
                "missing": "missing-data rule changed",
                "coverage_rules": "coverage rules changed"}[name]
    if kind == "not decomposed":
        return "not decomposed"
    group = next((g for g in comparison.groups if g.key == key), None)
    indicators = group.indicators if group else (name,)
    if len(indicators) > 1 or name not in before.model.indicators:
        label = before.model.label(name) if name in before.model.nodes else name
        return f"{'values' if kind == 'data' else 'coverage'} of {label} changed"
    model = before.model
    ob = before.observations[(entity, name)]
    oa = after.observations[(entity, name)]
    unit = model.indicators[name].unit
    label = short_label(model, name)
    listing = _listing_news(before, after, entity, name)
    if kind == "coverage":
        if ob.is_missing:
            text = f"{label} now {format_value(oa, unit)}"
            return text + (f" ({listing})" if listing else _dated(oa))
        return f"{label} {format_value(ob, unit)} no longer counted ({_why_missing(oa)})"
    text = f"{label} {_short(ob, unit)}→{_short(oa, unit)}"
    return text + (f": {listing}" if listing else _dated(oa))


def _short(obs, unit: str) -> str:
    value = f"{obs.value:g}"
    return value + ("%" if unit.startswith("%") else "")


def _dated(obs) -> str:
    return f" (as of {obs.as_of})" if obs.as_of and not obs.derivation else ""


def _why_missing(obs) -> str:
    reason = obs.missing_reason or "missing"
    return reason if len(reason) <= 90 else reason[:89] + "…"


def _listing_news(before: Assessment, after: Assessment, entity: str, indicator: str) -> str:
    """For sanctions indicators: the listings in force in one edition and not the other."""
    ind = before.model.indicators[indicator]
    registry = after.inputs.registry or before.inputs.registry
    if ind.derive not in ("listed_supplier_count", "max_listing_severity",
                          "listing_severity_sum") or registry is None:
        return ""
    ob, oa = before.observations[(entity, indicator)], after.observations[(entity, indicator)]
    suppliers = list(dict.fromkeys([*ob.suppliers, *oa.suppliers]))
    news = []
    for sid in suppliers:
        supplier = registry.suppliers.get(sid)
        if supplier is None:
            continue
        name = supplier.aliases[0] if supplier.aliases else supplier.name
        was = set(supplier.listings_in_force(before.as_of, before.known_at)) if before.as_of else set()
        now = set(supplier.listings_in_force(after.as_of, after.known_at)) if after.as_of else set()
        for li in sorted(now - was, key=lambda li: li.start):
            news.append(f"{name} listed ({li.instrument.label}) on {li.start}")
        for li in sorted(was - now, key=lambda li: li.start):
            news.append(f"{name} no longer listed ({li.instrument.label})"
                        + (f" from {li.end}" if li.end else ""))
    return "; ".join(news)


def _largest(attribution: dict[str, float], k: int = 3) -> list[tuple[str, float]]:
    items = sorted(attribution.items(), key=lambda kv: (-abs(kv[1]), kv[0]))
    return [(key, value) for key, value in items[:k] if abs(value) >= 0.05]


def _close_exactly(attribution: dict[str, float], change: float) -> None:
    """Put the last rounding difference (~1e-15) on the largest part, so the parts sum to
    the change exactly in floating point as well."""
    if not attribution:
        return
    key = max(attribution, key=lambda k: abs(attribution[k]))
    rest = sum(v for k, v in attribution.items() if k != key)
    attribution[key] = change - rest


def _num(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def _rank(value: float) -> int | None:
    return None if math.isnan(value) else int(value)
