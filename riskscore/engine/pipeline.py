"""The one place that knows the order: inputs -> matrix -> normalise -> aggregate -> rank.

``assess`` is the library entry point the command line calls::

    from riskscore.engine.pipeline import assess
    result = assess("config/model.toml", profiles="seeds/profiles")
    print(result.to_frame())
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np

from riskscore.engine.aggregate import (
    Hierarchy,
    aggregate,
    decompose_nodes,
    round_half_away,
    zero_violations,
)
from riskscore.engine.assessment import Assessment
from riskscore.engine.normalise import (
    goalpost_normalise,
    minmax_normalise,
    percentile_normalise,
    rank_normalise,
    target_normalise,
    transform_columns,
    zscore_normalise,
)
from riskscore.engine.prepare import prepare
from riskscore.engine.ranking import competition_ranks
from riskscore.errors import ArgumentError, ConfigError, DataError, RiskscoreError
from riskscore.inputs.columnar import ColumnTable
from riskscore.inputs.derive import derive_observation
from riskscore.inputs.loading import (
    InputSet,
    load_profile_inputs,
    load_profile_mappings,
    load_table_inputs,
)
from riskscore.inputs.what_if import WhatIf, apply_what_ifs
from riskscore.model.evidence import Observation
from riskscore.model.loader import load_model
from riskscore.model.timeline import choose
from riskscore.model.types import Indicator, Model
from riskscore.model.weight_sets import apply_weight_set
from riskscore.model.weights import apply_weight_overrides
from riskscore.support.problems import Collector

if TYPE_CHECKING:
    from pandas import DataFrame

    from riskscore.support.tomlio import Section

SOURCES = ("all", "article")

# What ``assess`` takes as its model, data and profiles (see its docstring).
ModelSpec: TypeAlias = "Model | Path | str | Mapping[str, Any] | DataFrame"
DataSpec: TypeAlias = "Path | str | DataFrame"
ProfilesSpec: TypeAlias = "Path | str | Mapping[str, Any] | Sequence[Any]"


def assess(model: ModelSpec, *, profiles: ProfilesSpec | None = None,
           data: DataSpec | None = None, sheet: str | None = None,
           article: Path | str | None = None, weights: Mapping[str, float] | None = None,
           sources: str = "all", as_of: dt.date | None = None,
           known_at: dt.date | None = None, columns: Section | None = None,
           weight_set: str | None = None, what_if: tuple[WhatIf, ...] = (),
           weights_source: str = "--weight") -> Assessment:
    """Load the model and inputs, apply what-if ``weights``, and score.

    ``model`` is a model file's path, a mapping with a model file's structure, a
    metadata DataFrame (one row per indicator and node: ``riskscore.model.metadata``)
    or a loaded ``Model``. Give ``profiles`` (a directory of TOML profiles, or profiles
    as Python data: see ``load_profile_mappings``) or ``data`` (a wide CSV or .xlsx
    table's path, or a pandas DataFrame whose entity ids are its ``entity`` column or
    its index; ``sheet`` names a workbook's worksheet, default the first).
    ``weights`` maps node ids to shares of their parent (``weights_source`` names them
    in messages: the command line's option, or the library's parameter). ``sources`` is "all" or
    "article" (article-quoted values only). ``as_of`` is the date
    scored: per indicator the latest observation describing a date on or before it,
    and the registry listings in force on it (default: the model's evidence_date,
    else the latest date of the inputs). ``known_at`` keeps only what was published
    on or before that date (observations, supplier mentions, registry listings).
    ``columns`` (a project's ``[columns]`` section) replaces the model's column roles.
    ``weight_set`` scores with the model's ``[weight_sets.NAME]`` (before ``weights``);
    ``what_if`` replaces raw values (``riskscore.inputs.what_if``).
    Nothing depends on the current folder but relative paths; ``riskscore.assess``
    finds a project's files when they are not given.
    Raises ``RiskscoreError`` subclasses with a readable message; ``ArgumentError``
    names the parameter at fault.
    """
    collector = Collector()   # every independent error of the model and inputs, at once
    try:
        loaded = as_model(model, collector, columns=columns)
    except RiskscoreError as err:   # the model cannot be built: what was found so far, and this
        collector.error(err)
        collector.raise_errors()
        raise
    with collector.attempt():
        loaded = apply_weight_overrides(apply_weight_set(loaded, weight_set),
                                        dict(weights or {}), weights_source)
    inputs = None
    with collector.attempt():
        inputs = load_inputs(loaded, profiles=profiles, data=data, sheet=sheet, article=article,
                             collector=collector)
    collector.raise_errors()
    assert inputs is not None   # loading either succeeded or recorded its error
    return score(loaded, inputs, sources=sources, as_of=as_of, known_at=known_at,
                 what_if=what_if)


def as_model(model: ModelSpec, collector: Collector | None = None, *,
             columns: Section | None = None) -> Model:
    """``model`` (see ``assess``) as a loaded ``Model`` (``columns``: a project's
    ``[columns]``, replacing the model's own)."""
    from riskscore.model.loader import model_from_mapping

    if isinstance(model, Model):
        return model
    if isinstance(model, str | Path):
        return load_model(Path(model), collector, columns=columns)
    if isinstance(model, Mapping):
        return model_from_mapping(model, collector, columns=columns)
    if hasattr(model, "columns") and hasattr(model, "to_dict"):
        from riskscore.model.metadata import mapping_from_metadata

        return model_from_mapping(mapping_from_metadata(model), collector, columns=columns)
    raise ArgumentError("model", f"is a {type(model).__name__}",
                        "a model file's path, a mapping with its structure, a metadata "
                        "DataFrame (one row per indicator and node) or a Model")


def load_inputs(model: Model, *, profiles: ProfilesSpec | None = None,
                data: DataSpec | None = None, article: Path | str | None = None,
                sheet: str | None = None, collector: Collector | None = None) -> InputSet:
    """Profiles or a data table; ``collector`` as in ``riskscore.support.problems``."""
    if profiles is not None and data is not None:
        raise ArgumentError("data", "is given together with profiles",
                            "either profiles or a data table")
    if data is not None:
        if hasattr(data, "columns") and hasattr(data, "itertuples"):
            from riskscore.inputs.memory import frame_table

            id_column = getattr(getattr(model, "columns", None), "id", "entity")
            return load_table_inputs(model, frame_table(data, id_column), sheet, collector)
        if not isinstance(data, str | Path):
            raise ArgumentError("data", f"is a {type(data).__name__}",
                                "a table's path (.csv or .xlsx) or a pandas DataFrame")
        return load_table_inputs(model, Path(data), sheet, collector)
    if profiles is None:
        raise ArgumentError("profiles", "is not given, and neither is data",
                            "a profiles directory or a data table (a path or a DataFrame)")
    if isinstance(profiles, str | Path):
        return load_profile_inputs(model, Path(profiles), Path(article) if article else None,
                                   collector)
    return load_profile_mappings(model, profiles, Path(article) if article else None, collector)


def score(model: Model, inputs: InputSet, *, sources: str = "all",
          as_of: dt.date | None = None, known_at: dt.date | None = None,
          what_if: tuple[WhatIf, ...] = ()) -> Assessment:
    """Score ``inputs`` under ``model``; the result carries everything later steps read."""
    if sources not in SOURCES:
        raise ArgumentError("sources", f"is {sources!r}", "'all' or 'article'")
    if sources == "article" and inputs.kind == "data":
        raise ArgumentError("sources", "is 'article' with a data table",
                            "'article' only with profiles, which carry article quotes")
    as_of = resolve_as_of(model, inputs, as_of)
    if known_at is not None and as_of is None:
        as_of = known_at
    observations = collect_observations(model, inputs, sources, as_of, known_at)
    observations, what_if = apply_what_ifs(model, inputs, observations, what_if)
    hierarchy = Hierarchy.from_model(model)
    entities = inputs.entities
    if isinstance(observations, LazyObservations) and observations.values_as_chosen():
        table = inputs.table
        assert isinstance(table, ColumnTable)
        raw = table.matrix(hierarchy.indicator_ids)
        denominators = {d: table.values[d].copy() for d in model.denominators}
    else:
        raw = np.array([[_value(observations[(e, i)]) for i in hierarchy.indicator_ids]
                        for e in entities], dtype=float).reshape(len(entities), -1)
        denominators = {d: np.array([_value(observations[(e, d)]) for e in entities],
                                    dtype=float) for d in model.denominators}
    prepared = prepare(model, hierarchy.indicator_ids, entities, raw, denominators,
                       inputs.group)
    normalised = normalise_matrix(model, hierarchy, prepared.values)
    # cells filled at the raw stage are imputed, not observed: they stay NaN here
    normalised_observed = np.where(prepared.imputed, np.nan, normalised)
    used, imputed = apply_missing_policy(model, normalised_observed, observations, entities,
                                         hierarchy.indicator_ids,
                                         normalised_bounds(model, hierarchy))
    used = np.where(prepared.imputed, normalised, used)
    imputed = imputed | prepared.imputed
    slots, coverage = aggregate(hierarchy, used)
    _refuse_zeros(model, hierarchy, slots, entities)
    parts = decompose_nodes(hierarchy, slots)
    scores = slots[:, -1] * model.scale
    flags = raised_flags(model, hierarchy, raw, normalised_observed)
    return Assessment(
        model=model, hierarchy=hierarchy, inputs=inputs, sources=sources, as_of=as_of,
        entities=entities, observations=observations, raw=raw, normalised=normalised_observed,
        imputed=imputed, slots=slots, coverage=coverage, allocation=parts.allocation,
        effective=parts.effective, scores=scores, ranks=competition_ranks(scores),
        known_at=known_at, constant=parts.constant, prepared=prepared.values,
        steps=prepared.steps, what_if=what_if, flags=flags,
    )


def raised_flags(model: Model, hierarchy: Hierarchy, raw: np.ndarray,
                 normalised: np.ndarray) -> np.ndarray | None:
    """``(E, I)``: where an indicator's ``flag`` threshold is passed (None: no flags declared).

    A flag ``on = "normalised"`` tests the observed normalised value in scale units (after
    any rounding); ``on = "raw"`` the value as given, before denomination, imputation or
    treatment. Imputed and missing values raise no flag.
    """
    if not model.flags:
        return None
    out = np.zeros(normalised.shape, dtype=bool)
    for col, ind_id in enumerate(hierarchy.indicator_ids):
        flag = model.indicators[ind_id].flag
        if flag is None:
            continue
        observed = ~np.isnan(normalised[:, col])
        values = normalised[:, col] * model.scale if flag.on == "normalised" else raw[:, col]
        out[:, col] = flag.passes(values) & observed
    return out


def resolve_as_of(model: Model, inputs: InputSet, as_of: dt.date | None) -> dt.date | None:
    """The date scored: the one given, else the model's evidence_date, else the latest
    date of the inputs (the profiles' as_of, or a panel's dates)."""
    return as_of or model.evidence_date or max(inputs.evidence_dates, default=None)


def _refuse_zeros(model: Model, hierarchy: Hierarchy, slots: np.ndarray,
                  entities: tuple[str, ...]) -> None:
    """A node declared ``zeros = "error"`` must not receive a zero: say where it does."""
    found = zero_violations(hierarchy, slots)
    if found:
        e, node, slot = found[0]
        child = (hierarchy.indicator_ids + hierarchy.node_ids)[slot]
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise DataError(entities[e], child,
                        f"is 0 under node {node!r}, whose aggregation "
                        f"{model.nodes[node].aggregation!r} declares zeros = 'error'{more}",
                        "a positive value, or zeros = 'floor' (raise to the geometric floor) "
                        "or 'zero' (the mean becomes 0) on that node")


def collect_observations(model: Model, inputs: InputSet, sources: str,
                         as_of: dt.date | None,
                         known_at: dt.date | None = None) -> Mapping[tuple[str, str], Observation]:
    """Every (entity, indicator) observation that counts on ``as_of`` as known at
    ``known_at``; missing ones with their reason (see ``riskscore.model.timeline.choose``).

    A data table read by column gives a mapping that chooses each observation when
    it is looked up (``LazyObservations``): no object per cell until one is shown.
    """
    article_only = sources == "article"
    items = (*model.indicators.values(), *model.denominators.values())
    if isinstance(inputs.table, ColumnTable) and not any(ind.derive for ind in items):
        return LazyObservations(model, inputs, article_only, as_of, known_at)
    out: dict[tuple[str, str], Observation] = {}
    for entity in inputs.entities:
        profile = next((p for p in inputs.profiles if p.entity == entity), None)
        for ind in items:
            out[(entity, ind.id)] = _observation(model, inputs, profile, entity, ind,
                                                 article_only, as_of, known_at)
    return out


class LazyObservations(Mapping[tuple[str, str], Observation]):
    """``collect_observations`` of a data table read by column, each chosen when looked up."""

    def __init__(self, model: Model, inputs: InputSet, article_only: bool,
                 as_of: dt.date | None, known_at: dt.date | None) -> None:
        self._args = (model, inputs, article_only, as_of, known_at)
        self._items = {**model.indicators, **model.denominators}
        self._entities = set(inputs.entities)

    def __getitem__(self, key: tuple[str, str]) -> Observation:
        entity, item = key
        if entity not in self._entities or item not in self._items:
            raise KeyError(key)
        model, inputs, article_only, as_of, known_at = self._args
        if known_at is None and inputs.table is not None:
            # one undated observation per cell: choose() would return it as it is
            return inputs.table[key][0]
        return _observation(model, inputs, None, entity, self._items[item], article_only,
                            as_of, known_at)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return ((e, i) for e in self._args[1].entities for i in self._items)

    def __len__(self) -> int:
        return len(self._entities) * len(self._items)

    @property
    def table(self) -> ColumnTable:
        """The table read by column whose observations these are."""
        table = self._args[1].table
        assert isinstance(table, ColumnTable)
        return table

    def values_as_chosen(self) -> bool:
        """True if each cell's chosen value is the table's own (nothing dated to choose
        between, nothing left out as unknown): the arrays can be read directly."""
        return self._args[4] is None


def _observation(model: Model, inputs: InputSet, profile: Any, entity: str, ind: Indicator,
                 article_only: bool,
                 as_of: dt.date | None, known_at: dt.date | None) -> Observation:
    """The observation of ``ind`` that counts for ``entity`` (see ``collect_observations``)."""
    if ind.derive:
        if as_of is None:
            raise ConfigError(model.path, "index.evidence_date", "is missing",
                              "a date (or --as-of) to date the supplier registry")
        if inputs.registry is None:
            raise ConfigError(model.path, "index.registry", "could not be read",
                              f"a readable supplier registry, since {ind.id} is derived")
        return derive_observation(ind, profile, inputs.registry, as_of, article_only, known_at)
    series = inputs.series(entity, ind.id)
    if not series:
        where = profile.path.name if profile is not None else Path(inputs.source.path).name
        return Observation(entity, ind.id, None, missing_reason=f"no entry in {where}")
    candidates = series
    if article_only:
        candidates = tuple(o for o in series if o.is_missing or "article" in o.kinds)
        if not candidates:
            latest = max(series, key=lambda o: o.as_of or dt.date.min)
            return Observation(entity, ind.id, None, as_of=latest.as_of,
                               missing_reason="left out: backed by external sources only "
                               "(--sources article)")
    return choose(candidates, entity, ind.id, as_of=as_of, known_at=known_at,
                  max_age=model.max_age_of(ind.id))


def normalise_matrix(model: Model, hierarchy: Hierarchy, raw: np.ndarray) -> np.ndarray:
    """Raw values -> normalised values on the 0-1 scale (NaN stays NaN).

    Each indicator uses its own ``normalisation`` (default: the index's), ``rank`` and
    ``percentile`` with its tie rule (``ties``). Bounded methods give 0-1, then map onto
    the indicator's ``normalised_range`` (scale units); ``zscore`` and ``rank`` keep their
    own units (divided by the scale). An indicator with ``round = d`` is then rounded to
    ``d`` decimals in scale units, half away from zero, as published tables round.
    """
    out = _normalise_columns(model, hierarchy, raw)
    decimals = [model.indicators[i].decimals for i in hierarchy.indicator_ids]
    for col, d in enumerate(decimals):
        if d is not None:
            out[..., col] = round_half_away(out[..., col] * model.scale, d) / model.scale
    return out


def _normalise_columns(model: Model, hierarchy: Hierarchy, raw: np.ndarray) -> np.ndarray:
    indicators = [model.indicators[i] for i in hierarchy.indicator_ids]
    transforms = [ind.transform for ind in indicators]
    higher = np.array([ind.higher_is_riskier for ind in indicators])
    values = transform_columns(raw, transforms)
    methods = [ind.normalisation or model.normalisation for ind in indicators]
    if all(m == "goalposts" for m in methods) and not any(i.normalised_range for i in indicators):
        return goalpost_normalise(values, *_goalposts(indicators, transforms), higher)
    if all(m == "minmax" for m in methods) and not any(i.normalised_range for i in indicators):
        return minmax_normalise(values, higher)
    out = np.empty_like(values)
    ties = [model.ties_of(ind.id) if m in ("rank", "percentile") else None
            for ind, m in zip(indicators, methods, strict=True)]
    for method, tie in dict.fromkeys(zip(methods, ties, strict=True)):
        cols = np.array([m == method and t == tie for m, t in zip(methods, ties, strict=True)])
        v, h = values[..., cols], higher[cols]
        chosen = [ind for ind, c in zip(indicators, cols, strict=True) if c]
        if method == "goalposts":
            lower, upper = _goalposts(chosen, [i.transform for i in chosen])
            part = goalpost_normalise(v, lower, upper, h)
        elif method == "minmax":
            part = minmax_normalise(v, h)
        elif method == "percentile":
            part = percentile_normalise(v, h, tie or "average")
        elif method == "target":
            target = transform_columns(np.array([[i.target for i in chosen]], dtype=float),
                                       [i.transform for i in chosen])[0]
            part = target_normalise(v, target, h)
        elif method == "rank":
            out[..., cols] = rank_normalise(v, h, tie or "average") / model.scale
            continue
        else:  # zscore: unbounded, in its own units
            out[..., cols] = zscore_normalise(v, h) / model.scale
            continue
        lo = np.array([(i.normalised_range or (0.0, model.scale))[0] for i in chosen])
        hi = np.array([(i.normalised_range or (0.0, model.scale))[1] for i in chosen])
        out[..., cols] = (lo + (hi - lo) * part) / model.scale
    return out


def normalised_bounds(model: Model, hierarchy: Hierarchy) -> tuple[np.ndarray, np.ndarray]:
    """Per indicator, the no-risk and full-risk normalised values (0-1 units).

    The ends of the indicator's output range for bounded methods (reversed
    direction included: the range's top is always the riskiest); NaN for zscore
    and rank, which have no fixed ends.
    """
    low, high = [], []
    for ind_id in hierarchy.indicator_ids:
        ind = model.indicators[ind_id]
        method = ind.normalisation or model.normalisation
        if method in ("zscore", "rank"):
            low.append(np.nan)
            high.append(np.nan)
            continue
        lo, hi = ind.normalised_range or (0.0, model.scale)
        low.append(lo / model.scale)
        high.append(hi / model.scale)
    return np.array(low), np.array(high)


def _goalposts(indicators: list[Indicator],
               transforms: list[str | None]) -> tuple[np.ndarray, np.ndarray]:
    bounds = transform_columns(np.array([ind.goalposts for ind in indicators], dtype=float).T,
                               transforms)
    return bounds[0], bounds[1]


def apply_missing_policy(model: Model, normalised: np.ndarray,
                         observations: Mapping[tuple[str, str], Observation],
                         entities: tuple[str, ...],
                         indicator_ids: tuple[str, ...],
                         bounds: tuple[np.ndarray, np.ndarray] | None = None,
                         ) -> tuple[np.ndarray, np.ndarray]:
    """Return the values to aggregate and a mask of imputed cells.

    ``bounds`` (per column, 0-1 units; NaN for unbounded methods) are the no-risk and
    full-risk ends that ``best_case`` and ``worst_case`` impute (default 0 and 1);
    an unbounded column takes its observed minimum or maximum.
    """
    missing = np.isnan(normalised)
    if model.missing == "reweight" or not missing.any():
        return normalised, np.zeros_like(missing)
    if model.missing == "fail":
        e, i = map(int, np.argwhere(missing)[0])
        obs = observations[(entities[e], indicator_ids[i])]
        raise DataError(entities[e], indicator_ids[i],
                        f"is missing ({obs.missing_reason}) and the model's missing policy "
                        f"is 'fail' ({model.path.name}: index.missing)",
                        "a value, or missing = 'reweight'")
    if model.missing in ("worst_case", "best_case"):
        low, high = bounds if bounds is not None else (np.zeros(normalised.shape[-1]),
                                                        np.ones(normalised.shape[-1]))
        with np.errstate(all="ignore"):
            if model.missing == "worst_case":
                fill = np.where(np.isnan(high), np.fmax.reduce(normalised, axis=0), high)
            else:  # best case: no evidence, no risk points: the documented floor
                fill = np.where(np.isnan(low), np.fmin.reduce(normalised, axis=0), low)
    else:  # mean of the observed entities; an all-missing indicator stays missing
        with np.errstate(all="ignore"):
            observed = np.where(missing, 0.0, normalised).sum(axis=0)
            counts = (~missing).sum(axis=0)
            fill = np.where(counts > 0, observed / np.maximum(counts, 1), np.nan)
    used = np.where(missing, fill, normalised)
    return used, missing & ~np.isnan(used)


def _value(obs: Observation) -> float:
    return np.nan if obs.value is None else obs.value
