"""Tiers: entities whose rank intervals overlap cannot be told apart, so they form one tier.

The uncertainty analysis gives each entity a 5-95% rank interval. Two entities whose
intervals overlap are statistically tied: some plausible version of the index puts either
one ahead. Walking down the nominal ranking, an entity joins the current tier while its best
rank (the interval's lower end) is no worse than the worst rank any member of the tier can
take; otherwise it starts the next tier. The tiers are the connected runs of overlapping
intervals along the ranking, so a tier boundary is a place where the ranking is supported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Tier:
    number: int                  # 1 = the highest-scoring tier
    entities: tuple[str, ...]    # nominal rank order
    best: int                    # best rank any member reaches (5% quantile)
    worst: int                   # worst rank any member reaches (95% quantile)


def rank_tiers(intervals: Sequence[tuple[str, float, float]]) -> list[Tier]:
    """Group ``(entity, best_rank, worst_rank)`` triples, given in nominal rank order, into
    tiers of overlapping rank intervals (see the module docstring).

    Entities without an interval (NaN or None bounds) are left out. Raises ``ValueError``
    if a best rank is worse than its worst rank.
    """
    tiers: list[Tier] = []
    members: list[str] = []
    best = worst = 0
    for entity, low, high in intervals:
        if low is None or high is None or low != low or high != high:
            continue
        low_i, high_i = int(low), int(high)
        if low_i > high_i:
            raise ValueError(f"{entity}: best rank {low_i} is worse than worst rank {high_i}")
        if members and low_i <= worst:
            members.append(entity)
            best, worst = min(best, low_i), max(worst, high_i)
            continue
        if members:
            tiers.append(Tier(len(tiers) + 1, tuple(members), best, worst))
        members, best, worst = [entity], low_i, high_i
    if members:
        tiers.append(Tier(len(tiers) + 1, tuple(members), best, worst))
    return tiers


def tier_of(tiers: Sequence[Tier]) -> dict[str, int]:
    """Entity -> its tier number."""
    return {entity: t.number for t in tiers for entity in t.entities}
