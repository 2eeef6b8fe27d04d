"""The weighting kernels against independent references: a published AHP example,
pymcdm's entropy and CRITIC, numpy's eigen-decomposition, LPs and analytic values
worked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from riskscore.analyses.weights.ahp import (
    consistency_ratio,
    geometric_mean_judgements,
    principal_eigenvector,
)
from riskscore.analyses.weights.bod import benefit_of_the_doubt, best_case
from riskscore.analyses.weights.budget import budget_weights
from riskscore.analyses.weights.effective import effective_importance, first_order_effect, is_far
from riskscore.analyses.weights.information import critic_weights, entropy_weights
from riskscore.analyses.weights.optimised import child_correlations, optimised_weights
from riskscore.analyses.weights.pca import factor_weights, factors_to_keep, varimax

# Saaty (2008), "Decision making with the analytic hierarchy process", Int. J. Services
# Sciences 1(1), Table 2: relative consumption of drinks in the United States. Rows and
# columns: coffee, wine, tea, beer, sodas, milk, water.
DRINKS = np.array([
    [1, 9, 5, 2, 1, 1, 1 / 2],
    [1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
    [1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9],
    [1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
    [1, 9, 4, 2, 1, 2, 1 / 2],
    [1, 9, 3, 1, 1 / 2, 1, 1 / 3],
    [2, 9, 9, 3, 2, 3, 1],
])
# The published derived priorities (three decimals) and consistency ratio
DRINKS_PRIORITIES = [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327]
DRINKS_CR = 0.022


def test_ahp_reproduces_saatys_drinks_example():
    w, lam = principal_eigenvector(DRINKS)
    assert np.round(w, 3).tolist() == DRINKS_PRIORITIES
    assert round(consistency_ratio(lam, 7), 3) == DRINKS_CR


def test_ahp_consistent_matrix_gives_its_ratios_and_cr_zero():
    w = np.array([0.5, 0.3, 0.2])
    a = w[:, None] / w[None, :]
    got, lam = principal_eigenvector(a)
    assert got == pytest.approx(w)
    assert lam == pytest.approx(3)
    assert consistency_ratio(lam, 3) == pytest.approx(0, abs=1e-12)


def test_ahp_cr_by_hand_for_a_3x3_matrix():
    # a = [[1,2,8],[1/2,1,2],[1/8,1/2,1]]: λmax found by numpy directly; CI/(RI=0.58)
    a = np.array([[1, 2, 8], [1 / 2, 1, 2], [1 / 8, 1 / 2, 1]])
    lam = max(np.linalg.eigvals(a).real)
    _, got = principal_eigenvector(a)
    assert got == pytest.approx(lam)
    assert consistency_ratio(got, 3) == pytest.approx((lam - 3) / 2 / 0.58)


def test_geometric_mean_of_two_experts_is_reciprocal_cellwise():
    a = np.array([[1, 4], [1 / 4, 1]])
    b = np.array([[1, 1], [1, 1]])
    combined = geometric_mean_judgements(np.array([a, b]))
    assert combined[0, 1] == pytest.approx(2.0)       # √(4·1)
    assert combined[1, 0] == pytest.approx(0.5)


def test_budget_mean_median_and_spread_by_hand():
    points = np.array([[50, 30, 20], [10, 6, 4], [20, 40, 40]])   # shares .5/.3/.2 twice
    w, spread = budget_weights(points, "mean")
    assert w == pytest.approx([(0.5 + 0.5 + 0.2) / 3, (0.3 + 0.3 + 0.4) / 3, (0.2 + 0.2 + 0.4) / 3])
    assert spread["min"][0] == pytest.approx(0.2) and spread["max"][0] == pytest.approx(0.5)
    assert spread["sd"][0] == pytest.approx(np.std([0.5, 0.5, 0.2], ddof=1))
    median, _ = budget_weights(points, "median")
    assert median == pytest.approx(np.array([0.5, 0.3, 0.2]) / 1.0)


MATRIX = np.array([[0.9, 0.2, 0.4, 0.7], [0.5, 0.6, 0.3, 0.2], [0.1, 0.8, 0.9, 0.5],
                   [0.7, 0.4, 0.6, 0.9], [0.3, 0.5, 0.2, 0.1], [0.6, 0.9, 0.8, 0.4]])


def test_entropy_matches_pymcdm():
    from pymcdm.weights import entropy_weights as reference

    w, _ = entropy_weights(MATRIX)
    assert w == pytest.approx(reference(MATRIX), rel=1e-12)


def test_critic_matches_pymcdm():
    from pymcdm.weights import critic_weights as reference

    w, _, _ = critic_weights(MATRIX)
    assert w == pytest.approx(reference(MATRIX), rel=1e-12)


def test_entropy_of_a_constant_column_is_one_and_its_weight_zero():
    x = np.array([[0.2, 0.5], [0.8, 0.5], [0.4, 0.5]])
    w, e = entropy_weights(x)
    assert e[1] == pytest.approx(1.0)
    assert w.tolist() == pytest.approx([1.0, 0.0])


def test_pca_one_factor_by_hand_from_numpys_eigendecomposition():
    # three strongly related children: one eigenvalue above 1 explaining > 60%, so one
    # factor, no rotation; weights = squared loadings scaled = squared eigenvector entries
    x = np.array([[1.0, 2.0, 1.5], [2.0, 2.9, 2.0], [3.0, 4.2, 3.5], [4.0, 4.8, 3.9],
                  [5.0, 6.1, 5.2], [6.0, 6.8, 6.4]])
    values, vectors = np.linalg.eigh(np.corrcoef(x, rowvar=False))
    top = vectors[:, np.argmax(values)]
    assert sorted(values)[-2] < 1 and max(values) / 3 > 0.6
    fit = factor_weights(x)
    assert fit.kept == 1
    assert fit.weights == pytest.approx(top ** 2 / (top ** 2).sum(), rel=1e-9)
    assert fit.eigenvalues == pytest.approx(sorted(values, reverse=True), rel=1e-9)


def test_factors_kept_by_the_handbooks_rule():
    assert factors_to_keep(np.array([2.5, 1.2, 0.2, 0.1])) == 2
    # one factor above 1 explaining 30%: the next added until 60%
    assert factors_to_keep(np.array([1.5, 0.9, 0.9, 0.9, 0.8])) == 3


def _varimax_criterion(loadings: np.ndarray) -> float:
    """Kaiser's criterion on row-normalised loadings: Σ_factors variance of squared loadings."""
    x = loadings / np.sqrt((loadings ** 2).sum(axis=1, keepdims=True))
    return float(((x ** 2).var(axis=0)).sum())


def test_varimax_finds_the_best_rotation_of_a_brute_force_search():
    simple = np.array([[0.9, 0.1], [0.8, 0.05], [0.7, 0.0], [0.1, 0.7], [0.0, 0.9],
                       [0.05, 0.6]])

    def turn(deg):
        t = np.radians(deg)
        return np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])

    rotated = simple @ turn(25)
    back = varimax(rotated)
    best = max(_varimax_criterion(rotated @ turn(d)) for d in np.arange(0, 90, 0.01))
    assert _varimax_criterion(back) == pytest.approx(best, abs=1e-7)
    # a rotation only: communalities unchanged, and the simple structure comes back
    assert (back ** 2).sum(axis=1) == pytest.approx((simple ** 2).sum(axis=1))
    assert np.abs(back) == pytest.approx(np.abs(simple), abs=0.02)


def test_benefit_of_the_doubt_3x2_by_hand():
    y = np.array([[1.0, 0.5], [0.5, 1.0], [0.4, 0.4]])
    scores, shares = benefit_of_the_doubt(y)
    # entity 1: w = (1, 0) gives 1 and keeps the others <= 1 (0.5, 0.4)
    assert scores[0] == pytest.approx(1.0)
    assert scores[1] == pytest.approx(1.0)
    # entity 3: the constraints a + b/2 <= 1 and a/2 + b <= 1 meet at a = b = 2/3:
    # 0.4·2/3 + 0.4·2/3 = 8/15
    assert scores[2] == pytest.approx(8 / 15)
    assert shares[2] == pytest.approx([0.5, 0.5])


def test_benefit_of_the_doubt_bounds_by_hand():
    y = np.array([[1.0, 0.5], [0.5, 1.0], [0.4, 0.4]])
    # entity 1 may give child 1 at most 60% of the weight: w = (0.6k, 0.4k), the binding
    # constraint is its own 0.8k <= 1 (entity 2 gets 0.7k): k = 1.25, score 1
    score, shares = best_case(y, 0, lower=np.array([0.0, 0.0]), upper=np.array([0.6, 1.0]))
    assert shares == pytest.approx([0.6, 0.4])
    assert score == pytest.approx(1.0)
    # entity 3 forced to put >= 80% on child 1: w = (0.8k, 0.2k); entity 1 binds: 0.9k = 1
    score, _ = best_case(y, 2, lower=np.array([0.8, 0.0]), upper=np.array([1.0, 1.0]))
    assert score == pytest.approx(0.4 * (0.8 + 0.2) / 0.9)


def test_optimised_weights_equalise_the_correlations():
    rng = np.random.default_rng(3)
    x = rng.uniform(size=(200, 3)) * np.array([1.0, 0.3, 0.6])   # unequal spreads
    fit = optimised_weights(x)
    r = child_correlations(x, fit.weights)
    assert r == pytest.approx(np.full(3, r.mean()), abs=1e-3)
    assert fit.weights.sum() == pytest.approx(1.0)
    # under equal weights they were not equal: the optimisation did something
    assert np.ptp(child_correlations(x, np.full(3, 1 / 3))) > 0.2


def test_optimised_weights_meet_an_unequal_target():
    rng = np.random.default_rng(4)
    x = rng.uniform(size=(300, 2))
    fit = optimised_weights(x, target=np.array([2.0, 1.0]))
    r = fit.correlations
    assert r[0] / r.sum() == pytest.approx(2 / 3, abs=1e-3)


def test_effective_importance_of_an_additive_node_is_its_analytic_value():
    # Y = Σ w_j X_j with independent X_j ~ U(0, 1)·s_j: S_j = w_j² s_j² / Σ_k w_k² s_k²
    rng = np.random.default_rng(11)
    n = 4000
    s = np.array([1.0, 2.0, 0.5])
    w = np.array([0.5, 0.25, 0.25])
    x = rng.uniform(size=(n, 3)) * s
    y = x @ w
    got, method = effective_importance(x, y)
    analytic = w ** 2 * s ** 2 / (w ** 2 * s ** 2).sum()
    assert method == "spline"
    assert got == pytest.approx(analytic, abs=0.02)


def test_effective_importance_of_a_nonlinear_effect_is_seen_by_the_spline():
    # Y = X1² + X2 with X ~ U(-1, 1): X1's effect is invisible to a straight line (r ≈ 0)
    # but not to the correlation ratio: Var(X1²) = 4/45, Var(X2) = 1/3
    rng = np.random.default_rng(5)
    x = rng.uniform(-1, 1, size=(4000, 2))
    y = x[:, 0] ** 2 + x[:, 1]
    s1, method = first_order_effect(x[:, 0], y)
    assert method == "spline"
    assert s1 == pytest.approx((4 / 45) / (4 / 45 + 1 / 3), abs=0.02)


def test_small_samples_use_the_squared_correlation():
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    y = np.array([2.0, 1.0, 4.0, 3.0, 6.0])
    s, method = first_order_effect(x, y)
    assert method == "linear"
    assert s == pytest.approx(np.corrcoef(x, y)[0, 1] ** 2)


@pytest.mark.parametrize(("nominal", "share", "far"), [
    (0.25, 0.61, True), (0.25, 0.30, False), (0.5, 0.38, False), (0.4, 0.1, True),
    (0.0, 0.2, True), (0.1, 0.19, False)])
def test_far_from_the_nominal_weight(nominal, share, far):
    assert is_far(nominal, share) is far
