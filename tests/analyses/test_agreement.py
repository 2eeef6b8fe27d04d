"""Cohen's kappa (scikit-learn's, behind riskscore's checks), held to Cohen's formula by hand."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from riskscore.analyses.agreement import cohen_kappa


def test_kappa_by_hand():
    # 10 items; coders agree on 7 (items 1-4 and 8-10: p_o = 0.7). Coder A: five 0s, five 1s;
    # coder B: six 0s, four 1s. p_e = 0.5*0.6 + 0.5*0.4 = 0.5, so kappa = (0.7 - 0.5) / 0.5 = 0.4.
    a = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
    b = [0, 0, 0, 0, 1, 0, 0, 1, 1, 1]
    assert cohen_kappa(a, b) == pytest.approx(0.4)


def test_kappa_of_chance_agreement_is_zero():
    # p_o = 0.5 = p_e for independent-looking codings
    assert cohen_kappa([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx(0.0)


def test_kappa_of_identical_single_category_codings_is_one():
    assert cohen_kappa([2, 2, 2], [2, 2, 2]) == 1.0


def test_kappa_refuses_codings_of_different_length():
    with pytest.raises(ValueError, match="3 and 2 items"):
        cohen_kappa([0, 1, 2], [0, 1])
    with pytest.raises(ValueError, match="empty"):
        cohen_kappa([], [])


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=2, max_size=60))
def test_kappa_matches_cohens_formula(pairs):
    a = [p[0] for p in pairs]
    b = [p[1] for p in pairs]
    n = len(a)
    observed = sum(x == y for x, y in pairs) / n
    expected_chance = sum(a.count(c) * b.count(c) for c in set(a)) / n ** 2
    if expected_chance == 1.0:
        return  # kappa is undefined there; covered by the single-category test above
    kappa = (observed - expected_chance) / (1 - expected_chance)
    assert cohen_kappa(a, b) == pytest.approx(kappa, abs=1e-12)
