"""Invariants of the engine, checked on generated data (hypothesis)."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskscore import assess
from riskscore.engine.aggregate import Hierarchy, aggregate, decompose
from riskscore.model.loader import load_model
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
# The parent slot of every slot below the root.
PARENT = {int(k): N_IND + n for n, kids in enumerate(HIERARCHY.children) for k in kids}

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


def counted(values, slots):
    """Indicators whose value and every ancestor's score are present: they share the score."""
    ok = ~np.isnan(values)
    for i in range(N_IND):
        slot = i
        while slot in PARENT:
            slot = PARENT[slot]
            ok[:, i] &= ~np.isnan(slots[:, slot])
    return ok


@given(cases())
def test_contributions_add_up_to_the_score(case):
    values, weights, geometric = case
    slots, _ = aggregate(HIERARCHY, values, weights, geometric)
    allocation, effective = decompose(HIERARCHY, slots, weights, geometric)
    mask = counted(values, slots)
    # No NaN hides in the sum: counted indicators have finite parts, the others none.
    assert np.isfinite(allocation[:, :N_IND][mask]).all()
    assert np.isnan(allocation[:, :N_IND][~mask]).all()
    total = np.where(mask, allocation[:, :N_IND], 0.0).sum(axis=1)
    np.testing.assert_allclose(total, slots[:, -1], rtol=1e-9, atol=1e-12)
    # Effective weights of the counted indicators sum to one per entity.
    np.testing.assert_allclose(np.where(mask, effective[:, :N_IND], 0.0).sum(axis=1), 1.0,
                               rtol=1e-9)
    assert np.isnan(effective[:, :N_IND][~mask]).all()


# ---- an independent reference: the textbook definitions, one entity at a time --------

def reference(values, weights, geometric, min_coverage, floor):
    """Node scores, allocations and effective weights for one entity, by plain recursion."""
    score = {i: float(values[i]) for i in range(N_IND)}
    for n, kids in enumerate(HIERARCHY.children):
        avail = [(float(w), score[int(k)]) for w, k in zip(weights[n], kids, strict=True)
                 if not np.isnan(score[int(k)])]
        w_sum = sum(w for w, _ in avail)
        if w_sum <= 0 or w_sum / float(np.sum(weights[n])) < min_coverage[n] - 1e-12:
            score[N_IND + n] = np.nan
        elif geometric[n]:
            score[N_IND + n] = np.exp(sum(w * np.log(max(v, floor)) for w, v in avail) / w_sum)
        else:
            score[N_IND + n] = sum(w * v for w, v in avail) / w_sum
    root = N_IND + N_NODES - 1
    alloc = dict.fromkeys(score, np.nan)
    eff = dict.fromkeys(score, np.nan)
    if not np.isnan(score[root]):
        alloc[root], eff[root] = score[root], 1.0
    for n in range(N_NODES - 1, -1, -1):
        parent, kids = score[N_IND + n], [int(k) for k in HIERARCHY.children[n]]
        if np.isnan(alloc[N_IND + n]):
            continue
        avail = [j for j, k in enumerate(kids) if not np.isnan(score[k])]
        w_sum = sum(float(weights[n][j]) for j in avail)
        terms = {j: float(weights[n][j]) / w_sum * np.log(max(score[kids[j]], floor) / floor)
                 for j in avail}
        for j in avail:
            w = float(weights[n][j]) / w_sum
            if geometric[n]:
                total = sum(terms.values())
                share = terms[j] / total if total > 0 else w
            else:
                share = w * score[kids[j]] / parent if parent > 0 else w
            alloc[kids[j]] = alloc[N_IND + n] * share
            eff[kids[j]] = eff[N_IND + n] * w
    order = range(N_IND + N_NODES)
    return ([score[k] for k in order], [alloc[k] for k in order], [eff[k] for k in order])


small = st.sampled_from([0.0, 0.005, 0.01, 0.012, 0.02, 0.5, 1.0])
any_cell = st.one_of(unit, small, st.just(np.nan))


@st.composite
def reference_cases(draw):
    n_entities = draw(st.integers(1, 5))
    values = np.array([[draw(any_cell) for _ in range(N_IND)] for _ in range(n_entities)])
    weights = tuple(np.array([draw(st.one_of(weight, st.just(0.0))) for _ in kids])
                    for kids in HIERARCHY.children)
    weights = tuple(w if w.sum() > 0 else w + 1.0 for w in weights)
    geometric = np.array([draw(st.booleans()) for _ in range(N_NODES)])
    coverage = np.array([draw(st.sampled_from([0.0, 0.3, 0.5, 1.0])) for _ in range(N_NODES)])
    return values, weights, geometric, coverage


@settings(max_examples=100, deadline=None)
@given(reference_cases())
def test_aggregate_and_decompose_match_the_textbook_definitions(case):
    values, weights, geometric, coverage = case
    hierarchy = replace(HIERARCHY, min_coverage=coverage)
    slots, cover = aggregate(hierarchy, values, weights, geometric)
    allocation, effective = decompose(hierarchy, slots, weights, geometric)
    for e in range(values.shape[0]):
        want_slots, want_alloc, want_eff = reference(values[e], weights, geometric, coverage,
                                                     HIERARCHY.floor)
        np.testing.assert_allclose(slots[e], want_slots, rtol=1e-12, atol=1e-15, equal_nan=True)
        np.testing.assert_allclose(allocation[e], want_alloc, rtol=1e-9, atol=1e-15,
                                   equal_nan=True)
        np.testing.assert_allclose(effective[e], want_eff, rtol=1e-12, equal_nan=True)
    # Coverage: the share of each node's weight on available children.
    for n, kids in enumerate(HIERARCHY.children):
        present = ~np.isnan(slots[:, kids])
        expected = (present * weights[n]).sum(axis=1) / weights[n].sum()
        np.testing.assert_allclose(cover[:, n], expected, rtol=1e-12)


@settings(max_examples=25, deadline=None)
@given(reference_cases(), st.integers(2, 4), st.randoms(use_true_random=False))
def test_batched_samples_equal_one_sample_at_a_time(case, n_samples, rng):
    """Leading sample axes (as Monte Carlo uses them): per-sample weights and flags."""
    values, _, _, coverage = case
    hierarchy = replace(HIERARCHY, min_coverage=coverage)
    batch_values = np.array([values] * n_samples)
    batch_weights = tuple(np.array([[rng.uniform(0.01, 5.0) for _ in kids]
                                    for _ in range(n_samples)]) for kids in HIERARCHY.children)
    batch_geo = np.array([[rng.random() < 0.5 for _ in range(N_NODES)]
                          for _ in range(n_samples)])
    slots, cover = aggregate(hierarchy, batch_values, batch_weights, batch_geo)
    allocation, effective = decompose(hierarchy, slots, batch_weights, batch_geo)
    for s in range(n_samples):
        weights_s = tuple(w[s] for w in batch_weights)
        one, one_cover = aggregate(hierarchy, values, weights_s, batch_geo[s])
        one_alloc, one_eff = decompose(hierarchy, one, weights_s, batch_geo[s])
        np.testing.assert_allclose(slots[s], one, rtol=1e-12, equal_nan=True)
        np.testing.assert_allclose(cover[s], one_cover, rtol=1e-12, equal_nan=True)
        np.testing.assert_allclose(allocation[s], one_alloc, rtol=1e-12, equal_nan=True)
        np.testing.assert_allclose(effective[s], one_eff, rtol=1e-12, equal_nan=True)


def test_the_geometric_argument_is_used():
    """One entity, by hand: arithmetic everywhere versus geometric everywhere."""
    values = np.array([[0.64, 0.25, 0.5, 0.5, 1.0]])   # x, y, u, v, z
    weights = tuple(np.ones(len(kids)) for kids in HIERARCHY.children)
    order = {n: i for i, n in enumerate(HIERARCHY.node_ids)}
    arith, _ = aggregate(HIERARCHY, values, weights, np.zeros(N_NODES, bool))
    geo, _ = aggregate(HIERARCHY, values, weights, np.ones(N_NODES, bool))
    # Arithmetic: c = .5, a = (.64 + .25 + .5)/3, b = 1, risk = (a + b)/2
    a = (0.64 + 0.25 + 0.5) / 3
    assert arith[0, N_IND + order["a"]] == pytest.approx(a, rel=1e-14)
    assert arith[0, -1] == pytest.approx((a + 1.0) / 2, rel=1e-14)
    # Geometric: c = .5, a = (.64 * .25 * .5) ** (1/3) = .08 ** (1/3), risk = sqrt(a * 1)
    a = 0.08 ** (1 / 3)
    assert geo[0, N_IND + order["a"]] == pytest.approx(a, rel=1e-14)
    assert geo[0, -1] == pytest.approx(a ** 0.5, rel=1e-14)
    # The model's own flags (all arithmetic in DEEP_MODEL) are the default.
    default, _ = aggregate(HIERARCHY, values, weights)
    assert default[0, -1] == arith[0, -1]


def test_geometric_small_score_is_shared_in_log_space():
    """S <= 0.027 (ln(S / floor) <= 1): shares still follow the logs, not the weights."""
    values = np.array([[0.01, 0.04, np.nan, np.nan, np.nan]])   # x at the floor, y 4x it
    weights = tuple(np.ones(len(kids)) for kids in HIERARCHY.children)
    geometric = np.ones(N_NODES, bool)
    slots, _ = aggregate(HIERARCHY, values, weights, geometric)
    allocation, _ = decompose(HIERARCHY, slots, weights, geometric)
    # a = sqrt(.01 * .04) = .02 (c, b missing; risk = a). t_x = .5 ln 1 = 0, t_y = .5 ln 4.
    assert slots[0, -1] == pytest.approx(0.02, rel=1e-12)
    assert allocation[0, :2].tolist() == pytest.approx([0.0, 0.02], abs=1e-15)


def test_a_node_scoring_zero_gives_zero_contributions_not_missing():
    values = np.array([[0.0, 0.0, 0.0, 0.0, 0.8]])
    weights = tuple(np.ones(len(kids)) for kids in HIERARCHY.children)
    slots, _ = aggregate(HIERARCHY, values, weights, np.zeros(N_NODES, bool))
    allocation, effective = decompose(HIERARCHY, slots, weights, np.zeros(N_NODES, bool))
    assert slots[0, -1] == pytest.approx(0.4)
    assert allocation[0, :N_IND].tolist() == pytest.approx([0, 0, 0, 0, 0.4], abs=1e-15)
    # Effective weights: a and b halves; a's three children thirds; c's two halves.
    assert effective[0, :N_IND].tolist() == pytest.approx([1 / 6, 1 / 6, 1 / 12, 1 / 12, 0.5])
    # An all-zero entity: score 0, every part 0, and the root keeps its effective weight 1.
    slots, _ = aggregate(HIERARCHY, np.zeros((1, N_IND)), weights, np.zeros(N_NODES, bool))
    allocation, effective = decompose(HIERARCHY, slots, weights, np.zeros(N_NODES, bool))
    assert allocation[0].tolist() == [0.0] * (N_IND + N_NODES)
    assert effective[0, -1] == 1.0


def test_an_unscored_entity_has_no_parts_and_no_effective_weight():
    values = np.full((1, N_IND), np.nan)
    weights = tuple(np.ones(len(kids)) for kids in HIERARCHY.children)
    slots, cover = aggregate(HIERARCHY, values, weights, np.zeros(N_NODES, bool))
    allocation, effective = decompose(HIERARCHY, slots, weights, np.zeros(N_NODES, bool))
    assert np.isnan(slots).all() and np.isnan(allocation).all() and np.isnan(effective).all()
    assert cover.tolist() == [[0.0] * N_NODES]


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
