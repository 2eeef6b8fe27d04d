"""Ranges: values beyond their goalposts (clipped, a warning) and outside their domain (an error).

A value beyond a goalpost is possible but counts as the goalpost: the model says
"no more risk than this". That is a design choice for some indicators (the HDI
caps expected schooling at 18 years) and a sign of badly set goalposts for
others, so it is a warning the model can accept per indicator. A value outside
the indicator's domain is impossible; the loaders record it (code
``out-of-domain``) and the audit reports it as an error.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from riskscore.model.evidence import Observation
from riskscore.model.types import Model


@dataclass(frozen=True)
class Clip:
    entity: str
    indicator: str
    value: float
    side: str          # "lower" or "upper"
    goalpost: float

    @property
    def by(self) -> float:
        return abs(self.value - self.goalpost)

    def sentence(self, unit: str = "") -> str:
        unit = f" {unit}" if unit and not unit.startswith("%") else unit
        word = "below" if self.side == "lower" else "above"
        return (f"{self.entity}'s {self.indicator} is {self.value:g}{unit}, {word} the {self.side} "
                f"goalpost {self.goalpost:g}{unit} by {self.by:g}: it counts as {self.goalpost:g} "
                "(the goalposts clip it)")


def goalpost_clips(model: Model, observations: dict[tuple[str, str], Observation]) -> list[Clip]:
    """Every observed value beyond the goalposts of an indicator normalised by its goalposts,
    in entity then model order."""
    from riskscore.engine.pipeline import LazyObservations

    if isinstance(observations, LazyObservations) and observations.values_as_chosen():
        return _clips_by_column(model, observations)
    clips = []
    for (entity, ind_id), obs in observations.items():
        if obs.value is None or ind_id not in model.indicators:
            continue
        ind = model.indicators[ind_id]
        if (ind.normalisation or model.normalisation) != "goalposts":
            continue   # only goalposts clip: the other methods scale by the data
        lower, upper = ind.goalposts
        if obs.value < lower:
            clips.append(Clip(entity, ind_id, obs.value, "lower", lower))
        elif obs.value > upper:
            clips.append(Clip(entity, ind_id, obs.value, "upper", upper))
    return clips


def _clips_by_column(model: Model, observations) -> list[Clip]:
    """``goalpost_clips`` of a table read by column: its arrays searched, an observation
    made only for a value beyond a goalpost."""
    table = observations.table
    hits = []
    for col, (ind_id, ind) in enumerate(model.indicators.items()):
        if (ind.normalisation or model.normalisation) != "goalposts" or ind_id not in table.values:
            continue
        lower, upper = ind.goalposts
        values = table.values[ind_id]
        with np.errstate(invalid="ignore"):
            hits += [(row, col, ind_id, "lower", lower) for row in np.flatnonzero(values < lower)]
            hits += [(row, col, ind_id, "upper", upper) for row in np.flatnonzero(values > upper)]
    return [Clip(table.entities[row], ind_id, float(table.values[ind_id][row]), side, goalpost)
            for row, _, ind_id, side, goalpost in sorted(hits)]


def check(result, impossible: set[tuple[str, str]]) -> list:
    """Clipped values (warnings) and indicators without a domain (notes).

    ``impossible`` holds (entity, indicator) cells already reported outside their
    domain: those are errors, and their clipping is not reported again.
    """
    from riskscore.analyses.audit.findings import finding

    model = result.model
    found = []
    for clip in goalpost_clips(model, result.observations):
        if (clip.entity, clip.indicator) in impossible:
            continue
        ind = model.indicators[clip.indicator]
        found.append(finding(
            "clipped", clip.sentence(ind.unit) + ".",
            "check the value and its unit; if the goalposts cap it by design (as the HDI caps "
            "schooling at 18 years), accept it in the model for this indicator; otherwise widen "
            "the goalposts", entity=clip.entity, indicators=clip.indicator))
    for ind_id, ind in model.indicators.items():
        if ind.domain is None and not ind.derive:
            found.append(finding(
                "no-domain",
                f"{ind_id} declares no domain, so an impossible value (a negative share, a code "
                "off its scale) would pass unnoticed.",
                'declare one, e.g. domain = "percent", domain = "count", or domain = [0, 2] with '
                "integer = true", indicators=ind_id))
    return found
