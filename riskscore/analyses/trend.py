"""The index over time: the same model and inputs scored on a series of dates.

``trend`` loads nothing; it scores an already loaded ``InputSet`` on each date
(the as-of rule of ``riskscore.model.timeline`` picks each value), so every date is
computed from the same files, whose hashes the result carries.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from riskscore.engine.assessment import Assessment
from riskscore.engine.pipeline import score
from riskscore.inputs.loading import InputSet
from riskscore.model.types import Model


@dataclass(frozen=True)
class Trend:
    dates: tuple[dt.date, ...]
    assessments: tuple[Assessment, ...]
    every: str

    @property
    def entities(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e for a in self.assessments for e in a.entities))

    def score(self, date_index: int, entity: str) -> float | None:
        result = self.assessments[date_index]
        if entity not in result.entities:
            return None
        value = result.scores[result.entities.index(entity)]
        return None if math.isnan(value) else float(value)

    def rank(self, date_index: int, entity: str) -> int | None:
        result = self.assessments[date_index]
        if entity not in result.entities:
            return None
        value = result.ranks[result.entities.index(entity)]
        return None if math.isnan(value) else int(value)

    def rows(self) -> list[dict]:
        """One row per date: the date, then each entity's score and rank."""
        rows = []
        for d, date in enumerate(self.dates):
            row: dict = {"date": date.isoformat()}
            for entity in self.entities:
                row[entity] = self.score(d, entity)
                row[f"{entity} rank"] = self.rank(d, entity)
            rows.append(row)
        return rows

    def table_rows(self) -> list[dict]:
        """One row per date with 'score (rank)' per entity, '—' when not scored."""
        out = []
        for d, date in enumerate(self.dates):
            row = {"date": date.isoformat()}
            for entity in self.entities:
                s, r = self.score(d, entity), self.rank(d, entity)
                row[entity] = "—" if s is None else f"{s:.1f} ({r})"
            out.append(row)
        return out

    def to_frame(self) -> Any:
        """A long frame: one row per date and entity, with its score and rank (Int64)."""
        import pandas as pd

        rows = [{"date": date, "entity": e, "score": self.score(d, e), "rank": self.rank(d, e)}
                for d, date in enumerate(self.dates) for e in self.entities]
        frame = pd.DataFrame(rows, columns=["date", "entity", "score", "rank"])
        frame["rank"] = frame["rank"].astype("Int64")
        frame["score"] = frame["score"].astype(float)
        return frame

    def to_dict(self) -> dict:
        first = self.assessments[0]
        inputs = first.inputs_block()
        inputs.pop("as_of", None)
        if first.model.weight_set:
            inputs["weight_set"] = first.weight_set_block()
        return {"inputs": inputs, "every": self.every,
                "dates": [d.isoformat() for d in self.dates],
                "results": [{"entity": e,
                             "scores": [self.score(d, e) for d in range(len(self.dates))],
                             "ranks": [self.rank(d, e) for d in range(len(self.dates))]}
                            for e in self.entities]}

    def figure_data(self) -> dict:
        """Plain data for the ``trend`` plotter of ``riskscore.outputs.report.figures``."""
        first = self.assessments[0]
        return {"dates": [d.isoformat() for d in self.dates], "entities": list(self.entities),
                "scores": [[self.score(d, e) for d in range(len(self.dates))]
                           for e in self.entities],
                "scale": first.model.scale, "title": f"{first.model.label(first.model.root)}"}


def trend(model: Model, inputs: InputSet, dates: list[dt.date], *, sources: str = "all",
          known_at: dt.date | None = None, every: str = "year") -> Trend:
    """Score ``inputs`` on each of ``dates`` (as known on ``known_at``, if given).

    Without ``known_at`` each date is scored with everything known today; with it,
    with what was known on that one date.
    """
    return Trend(tuple(dates), tuple(score(model, inputs, sources=sources, as_of=d,
                                           known_at=known_at) for d in dates), every)
