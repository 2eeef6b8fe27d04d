"""benchmarks/floor.py (issue 19's yardstick, written with numpy and pandas alone) agrees
with the engine to 1e-9: scores, ranks, node scores and every contribution."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np

import riskscore

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from floor import floor_json, floor_scores  # noqa: E402
from synthetic import write_synthetic  # noqa: E402


def test_floor_agrees_with_the_engine(tmp_path):
    model, data = write_synthetic(tmp_path, entities=300, indicators=12, depth=3, seed=5)
    # a row with most values missing, so some node falls under min_coverage (0.3)
    lines = data.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    lines[1] = ",".join([cells[0], *([""] * 9), *cells[10:]])
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    engine = riskscore.assess(model, data=data)
    floor = floor_scores(model, data)
    assert list(floor["entities"]) == list(engine.entities)
    np.testing.assert_allclose(floor["scores"], engine.scores, rtol=0, atol=1e-9)
    np.testing.assert_array_equal(floor["ranks"], engine.ranks)
    dropped = 0
    for node, values in floor["nodes"].items():
        got = np.array([engine.node_score(e, node) for e in range(len(engine.entities))])
        np.testing.assert_allclose(values, got, rtol=0, atol=1e-9)
        dropped += int(np.isnan(values).sum())
    assert dropped > 0                              # the coverage rule was exercised
    for indicator, values in floor["contributions"].items():
        got = np.array([engine.contribution(e, indicator) for e in range(len(engine.entities))])
        np.testing.assert_allclose(values, got, rtol=0, atol=1e-9)
    # contributions add up to the score (the decomposition is exact)
    total = np.nansum(np.array(list(floor["contributions"].values())), axis=0)
    np.testing.assert_allclose(total, np.nan_to_num(floor["scores"]), atol=1e-9)
    records = json.loads(floor_json(floor))["results"]
    by_engine = {r["entity"]: r for r in engine.to_dict()["results"]}
    assert [r["entity"] for r in records] == [r["entity"] for r in engine.to_dict()["results"]]
    for record in records:
        mine = by_engine[record["entity"]]
        assert record["rank"] == mine["rank"]
        for key, value in record["contributions"].items():
            other = mine["contributions"][key]
            assert (value is None) == (other is None)
            assert value is None or math.isclose(value, other, abs_tol=1e-9)
