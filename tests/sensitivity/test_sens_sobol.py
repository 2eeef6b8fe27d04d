"""The SALib wrapper against a function whose Sobol indices are known analytically."""

from __future__ import annotations

import numpy as np
import pytest

from riskscore.sensitivity.sobol import analyse, design, salib_problem


def test_linear_model_first_order_indices_are_squared_coefficient_shares():
    # y = a x1 + b x2 with independent uniform inputs: Var(y) = (a^2 + b^2)/12, and
    # S_i = a_i^2 / (a^2 + b^2); additive, so the total-effect index equals S_i.
    a, b = 1.0, 2.0
    problem = salib_problem(("x1", "x2"), ("first", "second"))
    x = design(problem, 4096, seed=1)
    y = a * x[:, 0] + b * x[:, 1]
    rows = {r.group: r for r in analyse(problem, {"y": y}, confidence=0.95, resamples=100, seed=1)}
    assert rows["first"].s1 == pytest.approx(a * a / (a * a + b * b), abs=0.03)
    assert rows["second"].s1 == pytest.approx(b * b / (a * a + b * b), abs=0.03)
    assert rows["first"].st == pytest.approx(0.2, abs=0.03)
    assert rows["second"].st == pytest.approx(0.8, abs=0.03)
    assert rows["first"].s1_conf > 0


def test_groups_move_together():
    # Group g holds x1 and x2 (y = x1 + x2 + x3): S_g = 2/3, S_x3 = 1/3.
    problem = salib_problem(("x1", "x2", "x3"), ("g", "g", "h"))
    x = design(problem, 4096, seed=2)
    assert len(x) == 4096 * (2 + 2)           # N x (groups + 2) rows
    rows = {r.group: r for r in analyse(problem, {"y": x.sum(axis=1)}, confidence=0.95,
                                        resamples=100, seed=2)}
    assert rows["g"].s1 == pytest.approx(2 / 3, abs=0.03)
    assert rows["h"].s1 == pytest.approx(1 / 3, abs=0.03)


def test_constant_output_has_no_indices():
    problem = salib_problem(("x1",), ("g",))
    rows = analyse(problem, {"y": np.ones(len(design(problem, 8, seed=0)))}, confidence=0.95,
                   resamples=10, seed=0)
    assert rows[0].s1 is None and rows[0].st is None
