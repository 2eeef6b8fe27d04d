"""Data what-ifs: ``--set ENTITY:INDICATOR=VALUE`` replaces one raw value for a run.

The value replaces the observation the run would have used (before denomination,
normalisation and aggregation, as an observed value would); the run's outputs say
that it is a what-if. The same parser and checks serve the command line and the
explore page, so both give the same messages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from riskscore.errors import ConfigError, did_you_mean
from riskscore.support.checks import entity_key, parse_number, transform_expected, transform_problem


@dataclass(frozen=True)
class WhatIf:
    entity: str        # as typed (resolved to the inputs' name when applied)
    indicator: str
    value: float
    was: float | None = None     # the value the run would have used (filled when applied)

    def text(self) -> str:
        was = "missing" if self.was is None else f"{self.was:g}"
        return f"{self.entity}:{self.indicator}={self.value:g} (was {was})"

    def to_dict(self) -> dict:
        return {"entity": self.entity, "indicator": self.indicator, "value": self.value,
                "was": self.was}


def parse_set_options(items: Iterable[str], source: str = "--set") -> tuple[WhatIf, ...]:
    """Parse ``ENTITY:INDICATOR=VALUE`` strings (each cell once)."""
    out: dict[tuple[str, str], WhatIf] = {}
    for item in items:
        target, sep, text = item.rpartition("=")
        entity, colon, indicator = target.rpartition(":")
        entity, indicator = entity.strip(), indicator.strip()
        if not sep or not colon or not entity or not indicator:
            raise ConfigError(source, item, "is not of the form ENTITY:INDICATOR=VALUE",
                              "e.g. --set KGZ:debt_to_china=40")
        try:
            value = parse_number(text)
        except ValueError as exc:
            raise ConfigError(source, f"{entity}:{indicator}", f"has the value {text.strip()!r}",
                              f"a number ({exc})") from None
        key = (entity_key(entity), indicator)
        if key in out:
            raise ConfigError(source, f"{entity}:{indicator}", f"is set twice ({out[key].value:g} "
                              f"and {value:g})", "each value once")
        out[key] = WhatIf(entity, indicator, value)
    return tuple(out.values())


def resolve_entity(name: str, entities: tuple[str, ...], codes: dict[str, str],
                   source: str = "--set") -> str:
    """The inputs' name for ``name`` (any case, or an ISO3 code of a profile)."""
    key = name.strip().casefold()
    for entity in entities:
        if entity.casefold() == key:
            return entity
    if key in codes:
        return codes[key]
    raise ConfigError(source, name, "is not an entity of these inputs"
                      + did_you_mean(name, [*entities, *(c.upper() for c in codes)]),
                      "one of " + ", ".join(entities))


def check_what_if(model, item: WhatIf, source: str = "--set") -> None:
    """The indicator exists and the value is one it can take (its domain, its transform)."""
    where = f"{item.entity}:{item.indicator}"
    if item.indicator not in model.indicators and item.indicator not in model.denominators:
        known = [*model.indicators, *model.denominators]
        raise ConfigError(source, where, f"names {item.indicator!r}, not an indicator of the model"
                          + did_you_mean(item.indicator, known), "one of " + ", ".join(known))
    ind = model.indicators.get(item.indicator) or model.denominators[item.indicator]
    if ind.domain is not None and (problem := ind.domain.problem(item.value)):
        raise ConfigError(source, where, problem, "a value inside the indicator's domain")
    if transform_problem(item.value, ind.transform):
        raise ConfigError(source, where, f"is {item.value:g} under a {ind.transform} transform",
                          "a value that is " + transform_expected(ind.transform or ""))


def apply_what_ifs(model, inputs, observations: Mapping, items: tuple[WhatIf, ...],
                   source: str = "--set") -> tuple[Mapping, tuple[WhatIf, ...]]:
    """The observations with each what-if value in place, and the what-ifs resolved
    (entity names as in the inputs, ``was`` filled)."""
    if not items:
        return observations, ()
    codes = {p.iso3.casefold(): p.entity for p in inputs.profiles if p.iso3}
    out = dict(observations)
    done = []
    for item in items:
        check_what_if(model, item, source)
        entity = resolve_entity(item.entity, inputs.entities, codes, source)
        old = out[(entity, item.indicator)]
        was = old.value
        out[(entity, item.indicator)] = replace(
            old, value=item.value, lower=None, upper=None, missing_reason=None, absent=None,
            judgement=f"what-if: --set {entity}:{item.indicator}={item.value:g} (recorded "
                      f"value {'missing' if was is None else f'{was:g}'})",
            selection="what-if (--set)")
        done.append(WhatIf(entity, item.indicator, item.value, was))
    return out, tuple(done)
