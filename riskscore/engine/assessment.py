"""The result of scoring: one object that explanations, analyses and reports read.

Nothing downstream recomputes a score; it reads this. Scores and contributions
are in the model's scale (0-100 by default); ``slots``/``allocation`` arrays are
kept in 0-1 units as the kernels produced them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from riskscore._version import __version__
from riskscore.engine.aggregate import DECOMPOSITION, POST_STEP_RULE, Hierarchy
from riskscore.inputs.loading import InputSet
from riskscore.model.evidence import Observation
from riskscore.model.types import Model

DRIVERS = 3
REPR_ENTITIES = 3   # entities named in the short repr
NO_EVIDENCE = "n/a"  # shown for a dimension with no observed indicator (table_rows)


@dataclass(frozen=True, eq=False, repr=False)
class Assessment:
    """The scored index. ``result["Tajikistan"]`` (a name in any case, or an ISO3 code)
    is that entity's result; ``to_frame()`` the ranked table; ``contributions_frame()``
    every indicator's part of every score; ``to_dict()`` the JSON contract."""

    model: Model
    hierarchy: Hierarchy
    inputs: InputSet
    sources: str
    as_of: dt.date | None
    entities: tuple[str, ...]
    observations: Mapping[tuple[str, str], Observation]   # built when looked up (data tables)
    raw: np.ndarray          # (E, I) raw values, NaN = missing
    normalised: np.ndarray   # (E, I) risk in [0, 1] before any imputation
    imputed: np.ndarray      # (E, I) bool
    slots: np.ndarray        # (E, I + N) values aggregated, 0-1
    coverage: np.ndarray     # (E, N) share of each node's weight on available children
    allocation: np.ndarray   # (E, I + N) part of the root score, 0-1
    effective: np.ndarray    # (E, I + N) effective weight after re-weighting
    scores: np.ndarray       # (E,) in scale units
    ranks: np.ndarray        # (E,) competition ranks, NaN when the score is missing
    known_at: dt.date | None = None   # only what was published by then (None: as known today)
    constant: np.ndarray | None = None   # (E, N) nodes' constant parts of the score, 0-1
    prepared: np.ndarray | None = None   # (E, I) raw values after denomination/imputation/
    steps: tuple[Any, ...] = ()                    # treatment, and every such step (riskscore.engine.prepare)
    what_if: tuple[Any, ...] = ()                  # data what-ifs applied (riskscore.inputs.what_if.WhatIf)
    flags: np.ndarray | None = None      # (E, I) bool: a flag raised (None: the model has none)

    def flags_of(self, entity: int) -> list[str]:
        """The indicators whose flag this entity raises, in model order."""
        if self.flags is None:
            return []
        return [i for col, i in enumerate(self.hierarchy.indicator_ids) if self.flags[entity, col]]

    def flag_counts(self, entity: int) -> dict[str, int]:
        """Flags raised under each node (the index: all of them), in the tree's order."""
        if self.flags is None:
            return {}
        raised = set(self.flags_of(entity))
        counts = {}
        for node in self.model.nodes:
            counts[node] = sum(1 for i in raised if node in self.model.path_to_root(i)[1:])
        return counts

    def normalised_values(self, entity: int) -> dict[str, float | None]:
        """Every indicator's normalised value as aggregated (scale units; imputed included;
        None where missing), whether or not the entity's score is."""
        return {i: _float_or_none(self.slots[entity, col] * self.model.scale)
                for col, i in enumerate(self.hierarchy.indicator_ids)}

    # ---- the Python face: short repr, the table in notebooks, lookups by name ------
    def __repr__(self) -> str:
        shown = [f"{'-' if math.isnan(self.ranks[e]) else int(self.ranks[e])}. "
                 f"{self.entities[e]} {float(self.scores[e]):.1f}"
                 for e in self.order()[:REPR_ENTITIES]]
        more = len(self.entities) - len(shown)
        return (f"<Assessment {self.model.root!r}: {len(self.entities)} entities, "
                f"{len(self.hierarchy.indicator_ids)} indicators"
                + (f", as of {self.as_of.isoformat()}" if self.as_of else "") + "; "
                + ", ".join(shown) + (f", ... {more} more" if more > 0 else "") + ">")

    def _repr_html_(self) -> str:
        """The ranked table (Jupyter shows it): ``to_frame()`` as HTML, text escaped."""
        html: str = self.to_frame().to_html(escape=True, na_rep="—", float_format="{:.1f}".format)
        return html

    def __len__(self) -> int:
        return len(self.entities)

    def __iter__(self) -> Iterator[str]:
        return iter(self.entities)

    def __contains__(self, entity: object) -> bool:
        return isinstance(entity, str) and entity.casefold() in {e.casefold()
                                                                 for e in self.entities}

    def __getitem__(self, entity: str) -> dict[str, Any]:
        """One entity's result (as in ``to_dict()["results"]``): rank, score, class,
        nodes, contributions, coverage, missing values and drivers. Raises DataError
        (a KeyError's message) for a name that is not an entity."""
        position = self.index(entity)
        return next(r for r in self.results() if r["entity"] == self.entities[position])

    def contributions_frame(self) -> Any:
        """Every indicator's part of every score, one row per (entity, indicator).

        Columns: ``entity``, ``indicator``, ``raw`` (the value scored, after any
        denomination or treatment; NaN when missing), ``normalised`` (the value
        aggregated, in scale units: observed or imputed), ``weight`` (the indicator's
        nominal weight in the index: the product of the shares from the root down),
        ``effective_weight`` (that weight after re-weighting around missing values),
        ``contribution`` (points of the score; the rows of an entity sum to its score,
        less any node's constant part) and ``status`` (``observed``, ``imputed`` or
        ``missing``). For arithmetic means, contribution = effective_weight x normalised.
        """
        import pandas as pd

        scale = self.model.scale
        raw = self.prepared if self.prepared is not None else self.raw
        rows = []
        for e in self.order():
            for col, ind in enumerate(self.hierarchy.indicator_ids):
                status = ("imputed" if self.imputed[e, col] else
                          "missing" if np.isnan(self.normalised[e, col]) else "observed")
                value = self.slots[e, col]
                rows.append({"entity": self.entities[e], "indicator": ind,
                             "raw": float(raw[e, col]),
                             "normalised": float(value * scale),
                             "weight": float(self._nominal_weights[col]),
                             "effective_weight": float(self.effective[e, col]),
                             "contribution": float(self.allocation[e, col] * scale),
                             "status": status})
        return pd.DataFrame(rows, columns=["entity", "indicator", "raw", "normalised",
                                           "weight", "effective_weight", "contribution",
                                           "status"])

    def steps_for(self, entity: str, indicator: str) -> list[Any]:
        """What denomination, imputation and treatment did to one cell, in order."""
        return list(self._steps_by_cell.get((entity, indicator), ()))

    @cached_property
    def _steps_by_cell(self) -> dict[tuple[str, str], list[Any]]:
        """The steps grouped by cell, in order (looked up per cell, not searched)."""
        out: dict[tuple[str, str], list[Any]] = {}
        for step in self.steps:
            out.setdefault((step.entity, step.indicator), []).append(step)
        return out

    # ---- lookups ---------------------------------------------------------------
    def label(self, entity: str) -> str:
        """The entity's display label: a table's ``[columns] label`` cell, else its id."""
        return self.inputs.label(entity)

    @property
    def group_columns(self) -> tuple[str, ...]:
        """The model's group columns (``[columns] groups``, ``index.groups`` included)."""
        return self.model.group_columns

    def group_of(self, entity: str, column: str) -> str | None:
        """The entity's group in ``column`` (a table's group cell or a profile's groups)."""
        return self.inputs.group(entity, column)

    def extra_of(self, entity: str, column: str) -> float | str | None:
        """The entity's cell in a kept column (``[columns] keep``): a number if it reads
        as one, else its text; None when empty or not a kept column."""
        return self.inputs.extra(entity, column)

    def index(self, entity: str) -> int:
        """The position of ``entity``, named in any case, by its label, or by its ISO3 code.

        Raises DataError listing the entities, with a "did you mean" for a near miss.
        """
        from riskscore.support.checks import entity_key

        key = entity_key(entity)      # NFC/NFKC, case and spaces folded, as loaders compare
        for i, name in enumerate(self.entities):
            if entity_key(name) == key:
                return i
        for i, name in enumerate(self.entities):
            if entity_key(self.label(name)) == key:
                return i
        from riskscore.inputs.countries import country_names, profile_codes

        key = entity.strip().casefold()
        codes = profile_codes(self.inputs)
        if key in codes and codes[key] in self.entities:
            return self.entities.index(codes[key])
        named = country_names(key)  # a table has no codes: ask pycountry what the code names
        for i, name in enumerate(self.entities):
            if name.casefold() in named:
                return i
        from riskscore.errors import DataError, did_you_mean

        raise DataError(self.inputs.source.path, entity,
                        "is not an entity of these inputs"
                        + did_you_mean(entity, [*self.entities, *(c.upper() for c in codes)]),
                        "one of " + ", ".join(self.entities)
                        + (" (or its ISO3 code)" if codes else ""))

    def node_score(self, entity: int, node: str) -> float:
        return float(self.slots[entity, self.hierarchy.slot(node)] * self.model.scale)

    def contribution(self, entity: int, item: str) -> float:
        """Points of the score an indicator or a node accounts for (NaN if not counted).

        For a node this is the sum of its indicators' contributions, so a dimension's
        contribution and its indicators' add up to the same number.
        """
        return float(self.allocation[entity, self.hierarchy.slot(item)] * self.model.scale)

    def order(self) -> list[int]:
        """Entity positions by rank (ties in input order; missing scores last)."""
        keyed = [(math.inf if math.isnan(r) else r, i) for i, r in enumerate(self.ranks)]
        return [i for _, i in sorted(keyed)]

    def observed_weight(self, entity: int) -> float:
        """Share of the model's nominal weight resting on observed (not imputed) values."""
        observed = ~np.isnan(self.normalised[entity])
        return float(self._nominal_weights[observed].sum())

    @cached_property
    def _nominal_weights(self) -> np.ndarray:
        """Each indicator's effective weight under the model (computed once, not per entity)."""
        return np.array([self.model.effective_weight(i) for i in self.hierarchy.indicator_ids])

    def dimension_observed(self, entity: int, dimension: str) -> bool:
        """Whether any indicator under ``dimension`` (a node or an indicator id) has an
        observed value for ``entity``: False means the dimension rests on no evidence."""
        ids = self.hierarchy.indicator_ids
        return any(not np.isnan(self.normalised[entity, col]) for col, ind in enumerate(ids)
                   if ind == dimension or self.model.dimension_of(ind) == dimension)

    def observed_count(self, entity: int) -> tuple[int, int]:
        observed = ~np.isnan(self.normalised[entity])
        return int(observed.sum()), observed.size

    def drivers(self, entity: int, k: int = DRIVERS) -> list[dict[str, Any]]:
        """The ``k`` largest indicator contributions, largest first (ties by model order)."""
        ids = self.hierarchy.indicator_ids
        points = self.allocation[entity, :len(ids)] * self.model.scale
        with np.errstate(invalid="ignore"):
            cols = np.flatnonzero(points > 0)              # NaN is not > 0
        rows = sorted(zip((-points[cols]).tolist(), cols.tolist(), strict=True))
        out = []
        for neg_points, col in rows[:k]:
            ind_id = ids[col]
            obs = self.observations[(self.entities[entity], ind_id)]
            out.append({"indicator": ind_id, "points": -neg_points,
                        "text": f"{short_label(self.model, ind_id)} "
                                f"{format_value(obs, self.model.indicators[ind_id].unit)} "
                                f"(+{-neg_points:.1f})"})
        return out

    # ---- outputs ---------------------------------------------------------------
    def table_rows(self, robustness: dict[str, str] | None = None,
                   normalised: bool = False,
                   no_evidence: str | None = None) -> list[dict[str, Any]]:
        """One row per entity in rank order, for the ranked table.

        ``robustness`` (entity -> text), when given, adds a column saying how far the
        rank holds, e.g. from ``riskscore.analyses.sensitivity.tipping.nearest_by_entity``.
        ``normalised`` adds a column ``normalised.ID`` per indicator (the CSV's).
        ``no_evidence``, when given, is shown instead of the number for a dimension in
        which the entity has no observed indicator (``dimension_observed``): under the
        best-case rule that number is 0.0, which would read as documented zero risk.
        """
        rows = []
        for e in self.order():
            observed, total = self.observed_count(e)
            row = {"rank": _int_or_none(self.ranks[e]), "country": self.label(self.entities[e]),
                   "score": _float_or_none(self.scores[e])}
            for dim in self.model.dimensions:
                row[self.model.label(dim) if dim in self.model.nodes else dim] = (
                    no_evidence if no_evidence is not None
                    and not self.dimension_observed(e, dim)
                    else _float_or_none(self.node_score(e, dim)))
            row["coverage"] = f"{observed}/{total} ({self.observed_weight(e):.0%} of weight)"
            if self.model.classes:
                row["class"] = self.model.score_class(_float_or_none(self.scores[e]))
            if self.flags is not None:
                row["flags"] = len(self.flags_of(e))
            row["main drivers"] = "; ".join(d["text"] for d in self.drivers(e)) or "—"
            if robustness is not None:
                row["nearest weight tipping point"] = robustness.get(self.entities[e]) or "—"
            if self.flags is not None and normalised:
                row["flagged"] = "; ".join(self.flags_of(e))
            if normalised:
                row.update({f"normalised.{i}": v for i, v in self.normalised_values(e).items()})
            rows.append(row)
        return rows

    def results(self, robustness: dict[str, dict[str, Any] | None] | None = None) -> list[dict[str, Any]]:
        """The JSON ``results`` list: full float precision, rank order.

        ``robustness`` (entity -> tipping point dict or None), when given, adds
        ``nearest_tipping_point`` to each result.
        """
        return list(self.iter_results(robustness))

    def iter_results(self, robustness: dict[str, dict[str, Any] | None] | None = None,
                     ) -> Iterator[dict[str, Any]]:
        """``results()`` one entity at a time, each made when it is asked for."""
        n_ind = len(self.hierarchy.indicator_ids)
        scale = self.model.scale
        # whole arrays to Python floats at once (the same numbers as one cell at a time)
        node_rows = (self.slots[:, n_ind:] * scale).tolist()
        contribution_rows = (self.allocation[:, :n_ind] * scale).tolist()
        missing_cells = np.isnan(self.raw)
        observed_counts = (~np.isnan(self.normalised)).sum(axis=1).tolist()
        normalised_rows = (self.slots[:, :n_ind] * scale).tolist()
        for e in self.order():
            entity = self.entities[e]
            nodes = dict(zip(self.hierarchy.node_ids, map(_float_or_none, node_rows[e]),
                             strict=True))
            contributions = dict(zip(self.hierarchy.indicator_ids,
                                     map(_float_or_none, contribution_rows[e]), strict=True))
            missing = [{"indicator": i, "reason": self.observations[(entity, i)].missing_reason,
                        "handling": self.missing_handling(e, i)}
                       for c, i in enumerate(self.hierarchy.indicator_ids)
                       if missing_cells[e, c]]
            constants = self.constant_contributions(e)
            out = {
                "rank": _int_or_none(self.ranks[e]), "entity": entity,
                **self._roles_block(entity),
                "score": _float_or_none(self.scores[e]),
                "class": self.model.score_class(_float_or_none(self.scores[e])), "nodes": nodes,
                "contributions": contributions,
                "coverage": self.observed_weight(e),
                "observed_indicators": observed_counts[e], "indicators": n_ind,
                "missing": missing, "drivers": self.drivers(e),
                "normalised": dict(zip(self.hierarchy.indicator_ids,
                                       map(_float_or_none, normalised_rows[e]), strict=True)),
                "imputed": [self.hierarchy.indicator_ids[col]
                            for col in np.flatnonzero(self.imputed[e]).tolist()],
            }
            if self.flags is not None:
                out["flags"] = self.flags_of(e)
                out["flag_counts"] = self.flag_counts(e)
            if constants:
                out["constant_contributions"] = constants
            if robustness is not None:
                out["nearest_tipping_point"] = robustness.get(entity)
            yield out

    def _roles_block(self, entity: str) -> dict[str, Any]:
        """A table's label, groups and kept cells for the entity (only those it declares)."""
        block: dict[str, Any] = {}
        if self.inputs.labels:
            block["label"] = self.label(entity)
        groups = {c: self.group_of(entity, c) for c in self.group_columns}
        if any(v is not None for v in groups.values()):
            block["groups"] = groups
        if self.inputs.kept:
            block["kept"] = {c: self.extra_of(entity, c) for c in self.inputs.kept}
        return block

    def constant_contributions(self, entity: int) -> dict[str, float]:
        """Points of the score that belong to a node itself, not to its children.

        Only Shapley nodes whose value with every child absent is not 0 have one
        (``invert``: 1 - x keeps the 1; a ratio keeps 1). With the indicator
        contributions they sum exactly to the score.
        """
        if self.constant is None:
            return {}
        return {node: float(self.constant[entity, n] * self.model.scale)
                for n, node in enumerate(self.hierarchy.node_ids)
                if self.constant[entity, n] != 0}

    def dropped_ancestor(self, entity: int, item: str) -> str | None:
        """The nearest node above ``item`` left out for low coverage, if any."""
        for node in self.model.path_to_root(item)[1:]:
            if np.isnan(self.slots[entity, self.hierarchy.slot(node)]):
                n = self.hierarchy.node_ids.index(node)
                return (f"{node} left out: {self.coverage[entity, n]:.0%} of its weight observed, "
                        f"below its minimum coverage {self.model.nodes[node].min_coverage:.0%}")
        return None

    def missing_handling(self, entity: int, indicator: str) -> str:
        col = self.hierarchy.slot(indicator)
        raw_steps = [s for s in self.steps_for(self.entities[entity], indicator)
                     if s.kind == "imputed"]
        if raw_steps:
            return f"{raw_steps[0].note}: {raw_steps[0].after:g} (raw units)"
        if self.imputed[entity, col]:
            return f"imputed ({self.model.missing}): {self.slots[entity, col]:.3f} on 0-1"
        if self.model.missing == "mean" and np.isnan(self.slots[entity, col]):
            return "left out: no entity has a value to average"
        return "left out; its siblings' weights re-scaled to fill its share"

    def model_block(self) -> dict[str, Any]:
        nodes = []
        for item_id in (*self.model.nodes, *self.model.indicators):
            is_indicator = item_id in self.model.indicators
            entry: dict[str, Any] = {"id": item_id, "parent": self.model.parent(item_id),
                     "kind": "indicator" if is_indicator else "node",
                     "label": self.model.label(item_id),
                     "weight": self.model.normalised_weight(item_id),
                     "configured_weight": self.model.weight(item_id),
                     "effective_weight": self.model.effective_weight(item_id)}
            if is_indicator:
                ind = self.model.indicators[item_id]
                entry.update(unit=ind.unit, direction=ind.direction,
                             goalposts=list(ind.goalposts) if ind.goalposts_given else None,
                             transform=ind.transform,
                             derive=ind.derive,
                             normalisation=normalisation_text(self.model, item_id))
                if ind.decimals is not None:
                    entry["round"] = ind.decimals
                if ind.flag is not None:
                    entry["flag"] = {"test": ind.flag.test, "threshold": ind.flag.threshold,
                                     "on": ind.flag.on}
            else:
                node = self.model.nodes[item_id]
                entry.update(aggregation=node.aggregation, min_coverage=node.min_coverage,
                             decomposition=DECOMPOSITION[node.aggregation])
                for key in ("power", "complement", "numerator", "denominator"):
                    if getattr(node, key) is not None:
                        entry[key] = getattr(node, key)
                if node.multipliers:
                    entry["multipliers"] = dict(node.multipliers)
                if node.aggregation in ("geometric", "harmonic", "power"):
                    entry["zeros"] = node.zeros
                if node.rescale is not None:
                    entry["rescale"] = node.rescale
                    entry["ties"] = self.model.ties_of(item_id)
                if node.decimals is not None:
                    entry["round"] = node.decimals
                if node.rescale is not None or node.decimals is not None:
                    entry["decomposition"] += "; " + POST_STEP_RULE
            nodes.append(entry)
        return {"root": self.model.root, "scale": self.model.scale,
                "missing": self.model.missing, "normalisation": self.model.normalisation,
                "geometric_floor": self.model.geometric_floor,
                "classes": [{"label": c.label, "from": c.lower} for c in self.model.classes],
                "decomposition": DECOMPOSITION, "weight_overrides": dict(self.model.overrides),
                **({"weight_set": self.weight_set_block()} if self.model.weight_set else {}),
                "nodes": nodes}

    def weight_set_block(self) -> dict[str, Any] | None:
        """The named weight set scored with (``--weights NAME``), or None."""
        name = self.model.weight_set
        return self.model.weight_sets[name].to_dict() if name else None

    @property
    def what_if_note(self) -> str | None:
        """'what-if data: KGZ:debt=40 (was 12); ...' when any value was replaced."""
        if not self.what_if:
            return None
        return "what-if data (--set): " + "; ".join(w.text() for w in self.what_if)

    def inputs_block(self) -> dict[str, Any]:
        return {"config": {"path": str(self.model.path), "sha256": self.model.sha256},
                **self.inputs.reference_block(), "sources": self.sources,
                "as_of": self.as_of.isoformat() if self.as_of else None,
                **({"known_at": self.known_at.isoformat()} if self.known_at else {}),
                **({"what_if": [w.to_dict() for w in self.what_if]} if self.what_if else {})}

    def to_dict(self, robustness: dict[str, dict[str, Any] | None] | None = None,
                stream: bool = False) -> dict[str, Any]:
        """The machine contract of ``riskscore score --format json``; with ``stream`` its
        ``results`` are an iterator, each made as it is written (``outputs.jsontext.pieces``)."""
        results = self.iter_results(robustness) if stream else self.results(robustness)
        return {"riskscore": __version__, "inputs": self.inputs_block(),
                "model": self.model_block(), "results": results}

    def to_frame(self) -> Any:
        """The ranked table as a pandas DataFrame indexed by entity: ``rank`` (nullable
        Int64: missing when the entity has no score), ``score``, one column per
        dimension, and ``coverage`` (the share of the weight on observed values)."""
        import pandas as pd

        rows = []
        for e in self.order():
            row = {"entity": self.entities[e], "rank": _int_or_none(self.ranks[e]),
                   "score": self.scores[e]}
            row.update({n: self.node_score(e, n) for n in self.model.dimensions})
            row["coverage"] = self.observed_weight(e)
            rows.append(row)
        frame = pd.DataFrame(rows).set_index("entity")
        frame["rank"] = frame["rank"].astype("Int64")
        return frame


def normalisation_text(model: Model, indicator: str) -> str:
    """The indicator's normalisation as a phrase: 'percentile (ties: min), rounded to 4'."""
    ind = model.indicators[indicator]
    method = ind.normalisation or model.normalisation
    text = method
    if method in ("rank", "percentile"):
        text += f" (ties: {model.ties_of(indicator)})"
    if ind.decimals is not None:
        text += f", rounded to {ind.decimals} decimal{'s' if ind.decimals != 1 else ''}"
    return text


def short_label(model: Model, indicator: str) -> str:
    """The indicator's name in running text: its ``short``, else its ``label``, else (no
    label either) its id with spaces for underscores."""
    ind = model.indicators[indicator]
    if ind.short:
        return ind.short
    return ind.label if ind.label != ind.id else indicator.replace("_", " ")


def format_value(obs: Observation, unit: str) -> str:
    """A raw value with its bound or range, e.g. '90 (90–100)%' or '0 (≤1)'."""
    if obs.value is None:
        return "missing"
    if obs.is_absent:
        return f"absent ({obs.value:g})"
    text = f"{obs.value:g}"
    if obs.lower is not None and obs.upper is not None:
        text = f"{text} ({obs.lower:g}–{obs.upper:g})"
    elif obs.lower is not None:
        text = f"{text} (≥{obs.lower:g})"
    elif obs.upper is not None:
        text = f"{text} (≤{obs.upper:g})"
    if unit.startswith("%"):
        return f"{text}{unit}" if unit == "%" else f"{text}{unit[0]} {unit[1:].strip()}"
    if unit.startswith("US$"):
        return f"US${text}{unit[3:]}"
    return text


def _float_or_none(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def _int_or_none(value: float) -> int | None:
    return None if math.isnan(value) else int(value)
