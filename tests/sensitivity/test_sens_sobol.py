"""The SALib wrapper against a function whose Sobol indices are known analytically."""

from __future__ import annotations

import numpy as np
import pytest

from riskscore.analyses.sensitivity.sobol import analyse, design, salib_problem


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


def _salib_reference(problem, y, resamples, seed):
    import warnings

    from SALib.analyze import sobol as salib_analyze

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return salib_analyze.analyze(dict(problem), y, calc_second_order=False,
                                     num_resamples=resamples, conf_level=0.9, seed=seed + 1)


def test_design_is_salibs_row_for_row():
    from SALib.sample import sobol as salib_sample

    problem = salib_problem(tuple(f"x{i}" for i in range(6)), ("g", "h", "g", "k", "k", "m"))
    ours = design(problem, 64, seed=11)
    theirs = salib_sample.sample(dict(problem), 64, calc_second_order=False, scramble=True, seed=11)
    assert np.array_equal(ours, theirs)


def test_estimator_equals_salibs_to_1e_12():
    # The vectorised estimator against SALib's analyze on the same design and seed:
    # smooth, interacting, rank-like (many ties), rare-event and all-group outputs.
    problem = salib_problem(tuple(f"x{i}" for i in range(7)), ("g", "g", "h", "k", "k", "k", "m"))
    x = design(problem, 256, seed=5)
    outputs = {
        "smooth": 3 * x[:, 0] + x[:, 2] ** 2 + np.sin(6 * x[:, 3]) * x[:, 6],
        "interacting": x[:, 1] * x[:, 4] + x[:, 5],
        "ranks": np.floor(x[:, 0] * 4 + x[:, 3] * 3),
        "rare": (x[:, 2] > 0.97).astype(float),
    }
    rows = analyse(problem, outputs, confidence=0.9, resamples=150, seed=3)
    compared = 0
    for name, y in outputs.items():
        reference = _salib_reference(problem, y, 150, seed=3)
        ours = [r for r in rows if r.output == name]
        assert [r.group for r in ours] == ["g", "h", "k", "m"]
        for k, row in enumerate(ours):
            for key, value in (("S1", row.s1), ("S1_conf", row.s1_conf), ("ST", row.st),
                               ("ST_conf", row.st_conf)):
                assert abs(value - reference[key][k]) <= 1e-12, (name, key)
                compared += 1
    assert compared == 4 * 4 * 4
