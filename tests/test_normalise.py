import math

import numpy as np

from riskscore.normalise import goalpost_normalise, minmax_normalise, transform_columns


def test_goalposts_scale_clip_and_reverse():
    values = np.array([[25.0, 150.0, -5.0, np.nan]])
    lower = np.array([0.0, 0.0, 0.0, 0.0])
    upper = np.array([100.0, 100.0, 10.0, 1.0])
    higher = np.array([True, True, False, True])
    out = goalpost_normalise(values, lower, upper, higher)
    # 25 of 0..100 -> 0.25; 150 clips to 1; -5 clips to 0 then reverses to 1; NaN stays.
    assert out[0, :3].tolist() == [0.25, 1.0, 1.0]
    assert math.isnan(out[0, 3])


def test_log_transform_applies_to_chosen_columns_only():
    values = np.array([[100.0, 100.0]])
    out = transform_columns(values, ["log10", None])
    assert out.tolist() == [[2.0, 100.0]]
    assert values.tolist() == [[100.0, 100.0]]  # input untouched


def test_minmax_over_entities_and_constant_rule():
    values = np.array([[1.0, 7.0], [3.0, 7.0], [np.nan, 7.0], [5.0, 7.0]])
    out = minmax_normalise(values, np.array([True, False]))
    assert out[:, 0].tolist()[:2] == [0.0, 0.5] and out[3, 0] == 1.0
    assert math.isnan(out[2, 0])
    # A constant indicator carries no relative information: 0.5 everywhere, reversed or not.
    assert out[:, 1].tolist() == [0.5, 0.5, 0.5, 0.5]


def test_minmax_agrees_with_scikit_learn_where_both_define_it():
    """Cross-check against an independent implementation (non-constant columns, with NaN)."""
    from sklearn.preprocessing import minmax_scale

    rng = np.random.default_rng(7)
    values = rng.normal(size=(30, 5)) * [1, 10, 100, 0.1, 3]
    values[rng.random(values.shape) < 0.1] = np.nan
    ours = minmax_normalise(values, np.array([True, True, False, True, False]))
    theirs = minmax_scale(values)  # NaN is ignored in fit and kept in transform
    theirs[:, [2, 4]] = 1.0 - theirs[:, [2, 4]]
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, equal_nan=True)
