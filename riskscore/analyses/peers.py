"""Each entity's nearest peers on the normalised indicators, and its strengths and
weaknesses (the indicators on which it ranks lowest and highest), as in COINr's unit
summaries. Reads an ``Assessment``; nothing is rescored.

Peers: scikit-learn's ``NearestNeighbors`` (brute force, Euclidean) on every entity's
normalised indicator values as aggregated (scale units); a missing value takes the
indicator's mean over the entities that have one, so that every entity has peers, and an
indicator nobody has is left out. The distance is stated with each peer.

Strengths and weaknesses follow the model's direction: a higher normalised value is more
risk, so an entity's weaknesses are the indicators where its observed value ranks highest
among the entities observed (rank 1 = the riskiest) and its strengths those where it
ranks lowest. Imputed and missing values are not ranked.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from riskscore.engine.assessment import Assessment
from riskscore.engine.ranking import competition_ranks

PEERS = 3
STRENGTHS = 3
DISTANCE = ("Euclidean distance between the entities' normalised indicator values (scale "
            "units); a missing value counts as the indicator's mean")


def peer_matrix(result: Assessment) -> np.ndarray:
    """``(E, I')``: normalised values in scale units, missing filled with the column mean;
    columns with no value at all left out."""
    values = np.array(result.slots[:, :len(result.hierarchy.indicator_ids)], dtype=float)
    present = ~np.isnan(values)
    keep = present.any(axis=0)
    values, present = values[:, keep], present[:, keep]
    means = np.where(present, values, 0.0).sum(axis=0) / present.sum(axis=0)
    return np.where(present, values, means) * result.model.scale


@lru_cache(maxsize=4)   # the report explains every entity: fit the neighbours once
def all_peers(result: Assessment, k: int = PEERS) -> dict[str, list[dict]]:
    """Per entity, its ``k`` nearest other entities, nearest first (ties in input order):
    ``{"entity", "distance", "score", "rank"}``."""
    from sklearn.neighbors import NearestNeighbors

    matrix = peer_matrix(result)
    n = len(result.entities)
    k = max(0, min(k, n - 1))
    if k == 0 or matrix.shape[1] == 0:
        return {e: [] for e in result.entities}
    finder = NearestNeighbors(n_neighbors=min(n, k + 1), algorithm="brute",
                              metric="euclidean").fit(matrix)
    distances, positions = finder.kneighbors(matrix)
    out = {}
    for e, entity in enumerate(result.entities):
        pairs = [(float(d), int(p)) for d, p in zip(distances[e], positions[e], strict=True)
                 if p != e]
        # the entity itself may be listed after a twin at distance 0: drop it, keep k
        pairs = sorted(pairs, key=lambda dp: (round(dp[0], 12), dp[1]))[:k]
        out[entity] = [{"entity": result.entities[p], "distance": d,
                        "score": _num(result.scores[p]), "rank": _int(result.ranks[p])}
                       for d, p in pairs]
    return out


def indicator_ranks(result: Assessment) -> np.ndarray:
    """``(E, I)`` competition ranks of each observed normalised value among the entities
    observed (1 = the highest, i.e. the riskiest); NaN where not observed."""
    observed = np.where(result.imputed, np.nan, result.normalised)
    return competition_ranks(observed.T).T


def strengths_and_weaknesses(result: Assessment, entity: int,
                             n: int = STRENGTHS) -> tuple[list[dict], list[dict]]:
    """The entity's ``n`` strengths (lowest-ranked observed indicators, least risk first)
    and ``n`` weaknesses (highest-ranked, riskiest first), each
    ``{"indicator", "rank", "of", "normalised"}``; an indicator is never both."""
    ranks = indicator_ranks(result)
    counts = (~np.isnan(np.where(result.imputed, np.nan, result.normalised))).sum(axis=0)
    rows = []
    for col, ind in enumerate(result.hierarchy.indicator_ids):
        rank = ranks[entity, col]
        if math.isnan(rank) or counts[col] < 2:
            continue
        rows.append({"indicator": ind, "rank": int(rank), "of": int(counts[col]),
                     "normalised": float(result.normalised[entity, col] * result.model.scale),
                     "_position": (rank - 1) / (counts[col] - 1), "_col": col})
    weak = sorted(rows, key=lambda r: (r["_position"], r["_col"]))[:n]
    chosen = {r["indicator"] for r in weak}
    strong = [r for r in sorted(rows, key=lambda r: (-r["_position"], r["_col"]))
              if r["indicator"] not in chosen][:n]
    strip = lambda r: {k: v for k, v in r.items() if not k.startswith("_")}  # noqa: E731
    return [strip(r) for r in strong], [strip(r) for r in weak]


def unit_summary(result: Assessment, entity: int, peers: dict[str, list[dict]] | None = None,
                 k: int = PEERS) -> dict:
    """Peers (with the distance rule), strengths and weaknesses of one entity."""
    found = peers if peers is not None else all_peers(result, k)
    strengths, weaknesses = strengths_and_weaknesses(result, entity)
    return {"peers": found[result.entities[entity]], "peer_distance": DISTANCE,
            "strengths": strengths, "weaknesses": weaknesses}


def _num(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def _int(value: float) -> int | None:
    return None if math.isnan(value) else int(value)
