"""Invariants of the engine, checked on generated data (hypothesis)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from riskscore import assess
from riskscore.aggregate import Hierarchy, aggregate, decompose
from riskscore.model import load_model
from support import write

# Three levels: risk -> (a -> (x, y, c -> (u, v)), b -> z)
DEEP_MODEL = """
[index]
id = "risk"
scale = 100

[nodes.a]
[nodes.b]
[nodes.c]
parent = "a"

[indicators.x]
parent = "a"
goalposts = [0, 1]
[indicators.y]
parent = "a"
goalposts = [0, 1]
[indicators.u]
parent = "c"
goalposts = [0, 1]
[indicators.v]
parent = "c"
goalposts = [0, 1]
[indicators.z]
parent = "b"
goalposts = [0, 1]
"""

with tempfile.TemporaryDirectory() as _tmp:
    HIERARCHY = Hierarchy.from_model(load_model(write(Path(_tmp) / "m.toml", DEEP_MODEL)))
N_IND = len(HIERARCHY.indicator_ids)
N_NODES = len(HIERARCHY.node_ids)

unit = st.floats(0.0, 1.0)
cell = st.one_of(unit, st.just(np.nan))
weight = st.floats(0.01, 10.0)


@st.composite
def cases(draw):
    n_entities = draw(st.integers(1, 6))
    values = np.array([[draw(cell) for _ in range(N_IND)] for _ in range(n_entities)])
    values[:, 0] = [draw(unit) for _ in range(n_entities)]  # every entity has some data
    weights = tuple(np.array([draw(weight) for _ in kids]) for kids in HIERARCHY.children)
    geometric = np.array([draw(st.booleans()) for _ in range(N_NODES)])
    return values, weights, geometric


def root(values, weights, geometric):
    slots, _ = aggregate(HIERARCHY, values, weights, geometric)
    return slots[..., -1]


@given(cases())
def test_scores_stay_within_the_scale(case):
    scores = root(*case)
    assert np.all((scores >= -1e-12) & (scores <= 1 + 1e-12))


@given(cases(), st.floats(0.001, 1000.0))
def test_scaling_all_weights_changes_nothing(case, factor):
    values, weights, geometric = case
    scaled = tuple(w * factor for w in weights)
    np.testing.assert_allclose(root(values, scaled, geometric), root(values, weights, geometric),
                               rtol=1e-9, atol=1e-12)


@given(cases(), st.integers(0, N_IND - 1), st.floats(0.0, 1.0))
def test_a_riskier_indicator_never_lowers_a_score(case, column, bump):
    values, weights, geometric = case
    riskier = values.copy()
    observed = ~np.isnan(riskier[:, column])
    riskier[observed, column] = np.minimum(1.0, riskier[observed, column] + bump)
    assert np.all(root(riskier, weights, geometric) >= root(values, weights, geometric) - 1e-12)


@given(cases(), st.randoms(use_true_random=False))
def test_reordering_entities_changes_nothing(case, rng):
    values, weights, geometric = case
    order = list(range(values.shape[0]))
    rng.shuffle(order)
    np.testing.assert_allclose(root(values[order], weights, geometric),
                               root(values, weights, geometric)[order], rtol=1e-12)


@given(cases())
def test_contributions_add_up_to_the_score(case):
    values, weights, geometric = case
    slots, _ = aggregate(HIERARCHY, values, weights, geometric)
    allocation, effective = decompose(HIERARCHY, slots, weights, geometric)
    total = np.nansum(allocation[:, :N_IND], axis=1)
    np.testing.assert_allclose(total, slots[:, -1], rtol=1e-9, atol=1e-12)
    # Effective weights of the observed indicators sum to one per entity.
    np.testing.assert_allclose(np.nansum(effective[:, :N_IND], axis=1), 1.0, rtol=1e-9)


@settings(max_examples=15, deadline=None)
@given(st.permutations(["Alpha", "Beta", "Gamma", "Delta"]))
def test_reordering_csv_rows_changes_nothing(order):
    rows = {"Alpha": "1,0.2,0.3,0.4,0.5", "Beta": "0,,1,0.1,0.9",
            "Gamma": "0.5,0.5,,0.5,0", "Delta": "0.9,0.8,0.7,,0.6"}
    with tempfile.TemporaryDirectory() as tmp:
        model = write(Path(tmp) / "m.toml", DEEP_MODEL)
        header = "entity,x,y,u,v,z\n"
        base = write(Path(tmp) / "a.csv", header + "".join(f"{k},{v}\n" for k, v in rows.items()))
        shuffled = write(Path(tmp) / "b.csv", header + "".join(f"{k},{rows[k]}\n" for k in order))
        first, second = assess(model, data=base), assess(model, data=shuffled)
    assert first.results()[0]["entity"] == second.results()[0]["entity"]
    for entity in rows:
        i, j = first.index(entity), second.index(entity)
        assert first.scores[i] == second.scores[j] and first.ranks[i] == second.ranks[j]
