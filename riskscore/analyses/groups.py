"""Entities within their groups: ranks and percentiles inside each group, and each group's
summary (count, mean, median, min, max of the index and of every dimension), as COINr
gives results by group.

The groups are the model's group columns (``[columns] groups`` / ``index.groups``) with
each entity's group as the inputs give it (a table's cell or a profile's ``groups``): the
same groups that ``group_mean`` / ``group_median`` imputation uses. Reads an
``Assessment``; nothing is rescored.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from riskscore.engine.assessment import Assessment
from riskscore.engine.ranking import TIE_DECIMALS, competition_ranks

NO_GROUP = "(no group)"


@dataclass(frozen=True)
class Standing:
    """An entity's place among ``of`` scored entities: competition rank (1 = highest score)
    and percentile (the share of the others scoring lower; None with no others)."""

    rank: int | None
    of: int
    percentile: float | None

    def to_dict(self) -> dict:
        return {"rank": self.rank, "of": self.of, "percentile": self.percentile}

    def text(self) -> str:
        return "—" if self.rank is None else f"{self.rank}/{self.of}"


def standings(scores: np.ndarray) -> list[Standing]:
    """Each score's rank and percentile among the scored ones (missing: no rank).

    The percentile is the share of the other scored entities with a lower score (ties
    with the entity do not count: SQL's PERCENT_RANK of the score), so the highest scores
    1 and the lowest 0. Scores equal to ``TIE_DECIMALS`` decimals tie, as in the ranks.
    """
    scores = np.asarray(scores, dtype=float)
    ranks = competition_ranks(scores)
    keyed = np.round(scores, TIE_DECIMALS)
    scored = keyed[~np.isnan(keyed)]
    n = int(scored.size)
    out = []
    for value, rank in zip(keyed, ranks, strict=True):
        if math.isnan(value):
            out.append(Standing(None, n, None))
            continue
        below = int((scored < value).sum())
        out.append(Standing(int(rank), n, below / (n - 1) if n > 1 else None))
    return out


@lru_cache(maxsize=4)
def overall_standings(result: Assessment) -> list[Standing]:
    return standings(result.scores)


def group_standings(result: Assessment, column: str) -> dict[str, tuple[str | None, Standing]]:
    """Per entity: its group in ``column`` and its standing within that group (an entity
    without a group stands alone: rank None)."""
    members: dict[str, list[int]] = {}
    for e, entity in enumerate(result.entities):
        group = result.group_of(entity, column)
        if group is not None:
            members.setdefault(group, []).append(e)
    out: dict[str, tuple[str | None, Standing]] = {
        entity: (None, Standing(None, 0, None)) for entity in result.entities}
    for group, positions in members.items():
        for e, standing in zip(positions, standings(result.scores[positions]), strict=True):
            out[result.entities[e]] = (group, standing)
    return out


@lru_cache(maxsize=4)   # the report explains every entity: rank the groups once
def group_ranks(result: Assessment) -> dict[str, dict[str, dict]]:
    """``{entity: {column: {"group", "rank", "of", "percentile"}}}`` for every group column."""
    by_column = {c: group_standings(result, c) for c in result.group_columns}
    return {entity: {c: {"group": by_column[c][entity][0], **by_column[c][entity][1].to_dict()}
                     for c in result.group_columns}
            for entity in result.entities}


def _stats(values: list[float]) -> dict[str, float | None]:
    found = [v for v in values if not math.isnan(v)]
    if not found:
        return {"mean": None, "median": None, "min": None, "max": None}
    array = np.array(found)
    return {"mean": float(array.mean()), "median": float(np.median(array)),
            "min": float(array.min()), "max": float(array.max())}


def group_summary(result: Assessment, column: str) -> list[dict]:
    """One row per group of ``column`` (in order of first appearance; entities without a
    group last, as ``(no group)``): how many entities and how many scored, and the mean,
    median, min and max of the index and of each dimension over the scored values."""
    members: dict[str, list[int]] = {}
    for e, entity in enumerate(result.entities):
        members.setdefault(result.group_of(entity, column) or NO_GROUP, []).append(e)
    if NO_GROUP in members:
        members[NO_GROUP] = members.pop(NO_GROUP)
    series: dict[str, Callable[..., float]] = {result.model.root:
                                               lambda e: float(result.scores[e])}
    for dim in result.model.dimensions:
        series[dim] = lambda e, d=dim: result.node_score(e, d)
    rows = []
    for group, positions in members.items():
        row: dict = {"column": column, "group": group, "entities": len(positions),
                     "scored": int(np.count_nonzero(~np.isnan(result.scores[positions])))}
        for item, value in series.items():
            for stat, number in _stats([value(e) for e in positions]).items():
                row[f"{item} {stat}"] = number
        rows.append(row)
    return rows


def group_summaries(result: Assessment) -> dict[str, list[dict]]:
    """``group_summary`` for every group column of the model."""
    return {c: group_summary(result, c) for c in result.group_columns}


def annotate_results(result: Assessment, results: Iterable[dict]) -> Iterator[dict]:
    """Each JSON result (``Assessment.iter_results``) with its overall ``percentile`` and,
    with group columns, its ``group_ranks`` (group, rank, of, percentile per column);
    lazily, so a streamed document stays streamed."""
    overall = dict(zip(result.entities, overall_standings(result), strict=True))
    within = group_ranks(result) if result.group_columns else {}
    for row in results:
        row["percentile"] = overall[row["entity"]].percentile
        if within:
            row["group_ranks"] = within[row["entity"]]
        yield row


def rank_columns(result: Assessment) -> dict[str, dict[str, str]]:
    """Per entity, a table column per group column: ``rank in COLUMN`` = '2/5' (rank of
    the scored entities of its group), '—' without a group or a score."""
    out: dict[str, dict[str, str]] = {e: {} for e in result.entities}
    for column in result.group_columns:
        for entity, (_group, standing) in group_standings(result, column).items():
            out[entity][f"rank in {column}"] = standing.text()
    return out


def summary_long_rows(result: Assessment, column: str) -> list[dict]:
    """``group_summary`` one row per group and item (the index, then each dimension):
    group, item, entities, scored, mean, median, min, max (scale units)."""
    items = [result.model.root, *result.model.dimensions]
    rows = []
    for row in group_summary(result, column):
        for item in items:
            rows.append({"group": row["group"], "item": item, "entities": row["entities"],
                         "scored": row["scored"],
                         **{stat: row[f"{item} {stat}"] for stat in ("mean", "median", "min",
                                                                    "max")}})
    return rows
