"""The floor: ``riskscore score --format json``'s job on a synthetic index, written directly
in numpy and pandas, as the yardstick of issue 19 (not a part of riskscore).

The whole job, for the models ``synthetic.py`` writes (goalposts, weighted arithmetic
means, one ``min_coverage`` for every node): read the CSV, normalise on the goalposts
(clipped to [0, 1]), score every node bottom-up as the weighted mean of its available
children (a missing child's weight shared among its siblings; a node whose available
weight is under ``min_coverage`` is missing), share each score among the children
top-down (``w_c * s_c / s``) down to exact indicator contributions, rank (competition
ranks, ties to 9 decimals), and write the JSON of every entity's rank, score, node scores
and contributions. It reads the model with ``tomllib``, never riskscore.
``tests/test_floor.py`` holds it to the engine to 1e-9.

    python benchmarks/floor.py MODEL.toml DATA.csv > out.json
"""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd


def floor_scores(model_path: Path, data_path: Path) -> dict:
    """Entities, scores, ranks, node scores and contributions (scale units) as arrays."""
    model = tomllib.loads(Path(model_path).read_text(encoding="utf-8"))
    index = model["index"]
    root, scale, min_cov = index["id"], float(index.get("scale", 100)), index.get("min_coverage", 0.0)
    items = {**model.get("nodes", {}), **model.get("indicators", {})}
    children: dict[str, list[str]] = {root: []}
    for item, spec in items.items():
        children.setdefault(spec.get("parent", root), []).append(item)
    indicators = list(model["indicators"])
    frame = pd.read_csv(data_path, dtype={"entity": str})
    raw = frame[indicators].to_numpy(dtype=float)
    low, high = np.array([model["indicators"][i]["goalposts"] for i in indicators], float).T
    value = dict(zip(indicators, np.clip((raw - low) / (high - low), 0.0, 1.0).T, strict=True))
    order: list[str] = []                       # nodes, children before parents
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        stack.append((node, True))
        stack += [(c, False) for c in children[node] if c in children]
    weights, available = {}, {}
    for node in order:                          # bottom-up
        kids = children[node]
        w = np.array([items[k].get("weight", 1.0) for k in kids], float)
        w = w / w.sum()
        v = np.stack([value[k] for k in kids], axis=1)
        ok = ~np.isnan(v)
        w_ok = np.where(ok, w, 0.0)
        w_sum = w_ok.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            score = (w_ok * np.where(ok, v, 0.0)).sum(axis=1) / w_sum
            weights[node] = w_ok / w_sum[:, None]
        keep = (w_sum > 0) & (w_sum / w.sum() >= min_cov - 1e-12)
        value[node] = np.where(keep, score, np.nan)
        available[node] = ok
    share = {root: value[root]}
    for node in reversed(order):                # top-down: each child's part of the score
        kids = children[node]
        v = np.stack([value[k] for k in kids], axis=1)
        s = value[node][:, None]
        with np.errstate(invalid="ignore", divide="ignore"):
            part = np.where(s > 0, weights[node] * v / s, weights[node])
        part = np.where(available[node], part, np.nan)
        for c, kid in enumerate(kids):
            share[kid] = share[node] * part[:, c]
    scores = value[root] * scale
    ranks = pd.Series(np.round(scores, 9)).rank(method="min", ascending=False).to_numpy()
    return {"entities": frame["entity"].to_numpy(), "scores": scores, "ranks": ranks,
            "nodes": {n: value[n] * scale for n in order},
            "contributions": {i: share[i] * scale for i in indicators}}


def floor_json(result: dict) -> str:
    """One JSON record per entity in rank order (NaN as null)."""
    order = np.lexsort((np.arange(len(result["scores"])), np.nan_to_num(result["ranks"],
                                                                         nan=np.inf)))
    nodes = pd.DataFrame(result["nodes"]).astype(object)
    contributions = pd.DataFrame(result["contributions"]).astype(object)
    nodes = nodes.where(nodes.notna(), None).to_dict("records")
    contributions = contributions.where(contributions.notna(), None).to_dict("records")
    rows = []
    for e in order.tolist():
        rank, score = result["ranks"][e], result["scores"][e]
        rows.append({"entity": result["entities"][e],
                     "rank": None if np.isnan(rank) else int(rank),
                     "score": None if np.isnan(score) else float(score),
                     "nodes": nodes[e], "contributions": contributions[e]})
    return json.dumps({"results": rows}, sort_keys=True)


def main(argv: list[str] | None = None) -> int:
    model, data = (Path(a) for a in (argv if argv is not None else sys.argv[1:]))
    sys.stdout.write(floor_json(floor_scores(model, data)) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
