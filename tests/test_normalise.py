import math

import numpy as np

from riskscore.engine.normalise import goalpost_normalise, minmax_normalise, transform_columns


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


def test_minmax_constant_column_keeps_its_missing_cell_missing():
    # A constant column with a gap: observed cells get 0.5, the gap stays missing.
    values = np.array([[4.0, 1.0], [np.nan, 2.0], [4.0, np.nan]])
    out = minmax_normalise(values, np.array([True, True]))
    assert out[[0, 2], 0].tolist() == [0.5, 0.5] and math.isnan(out[1, 0])
    # A single observed entity is constant too.
    single = minmax_normalise(np.array([[np.nan], [3.0], [np.nan]]), np.array([False]))
    assert single[1, 0] == 0.5 and np.isnan(single[[0, 2], 0]).all()
    assert math.isnan(out[2, 1]) and out[:2, 1].tolist() == [0.0, 1.0]


def test_minmax_all_missing_column_stays_missing():
    out = minmax_normalise(np.array([[np.nan, 1.0], [np.nan, 3.0]]), np.array([True, True]))
    assert np.isnan(out[:, 0]).all() and out[:, 1].tolist() == [0.0, 1.0]


def test_minmax_batched_over_samples_uses_each_sample_alone():
    # Leading axis = samples: each sample's column is scaled over its own entities.
    values = np.array([[[0.0], [10.0], [5.0]], [[2.0], [4.0], [3.0]]])
    out = minmax_normalise(values, np.array([True]))
    assert out[..., 0].tolist() == [[0.0, 1.0, 0.5], [0.0, 1.0, 0.5]]


def test_goalposts_reverse_inside_the_range_and_batched():
    values = np.array([[[2.0, 30.0]], [[8.0, 90.0]]])  # two samples, one entity
    out = goalpost_normalise(values, np.array([0.0, 10.0]), np.array([10.0, 110.0]),
                             np.array([True, False]))
    # 2 of 0..10 -> .2; 30 of 10..110 -> .2 reversed .8; 8 -> .8; 90 -> .8 reversed .2
    np.testing.assert_allclose(out, [[[0.2, 0.8]], [[0.8, 0.2]]], rtol=1e-15)


def test_each_transform_on_its_own_column():
    values = np.array([[math.e, 100.0, math.e - 1, 7.0]])
    out = transform_columns(values, ["log", "log10", "log1p", None])
    np.testing.assert_allclose(out, [[1.0, 2.0, 1.0, 7.0]], rtol=1e-15)
    assert out.dtype == float
    # Integer input is read as floats (log of an int array would still work, but a
    # transform-less int column must not truncate later arithmetic).
    assert transform_columns(np.array([[1, 2]]), [None, None]).dtype == float


def test_minmax_on_missing_and_constant_columns_warns_nothing():
    """All-missing and constant columns are expected input: no numpy RuntimeWarning."""
    import warnings

    values = np.array([[np.nan, 2.0, 1.0], [np.nan, 2.0, np.nan]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = minmax_normalise(values, np.array([True, True, False]))
    assert np.isnan(out[:, 0]).all() and out[:, 1].tolist() == [0.5, 0.5]
    assert out[0, 2] == 0.5 and math.isnan(out[1, 2])


# ---- z-scores, ranks, percentiles and distance to target, by hand ---------------------

NAN = np.nan
# Columns: a rising 1,2,3 with a gap; b lower-is-riskier with a tie; c observed once;
# d constant; e observed twice.
MATRIX = np.array([[1.0, 10.0, 5.0, 7.0, NAN],
                   [2.0, 10.0, NAN, 7.0, 1.0],
                   [3.0, 40.0, NAN, NAN, 3.0],
                   [NAN, 50.0, NAN, 7.0, NAN]])
HIGHER = np.array([True, False, True, True, True])


def test_zscore_by_hand():
    from riskscore.engine.normalise import zscore_normalise

    out = zscore_normalise(MATRIX, HIGHER)
    sd_b = math.sqrt((2 * 17.5 ** 2 + 12.5 ** 2 + 22.5 ** 2) / 3)     # sample sd around 27.5
    expected = np.array([
        [-1.0, 17.5 / sd_b, 0.0, 0.0, NAN],
        [0.0, 17.5 / sd_b, NAN, 0.0, -1 / math.sqrt(2)],
        [1.0, -12.5 / sd_b, NAN, NAN, 1 / math.sqrt(2)],
        [NAN, -22.5 / sd_b, NAN, 0.0, NAN]])
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-15, equal_nan=True)


def test_rank_and_percentile_by_hand():
    from riskscore.engine.normalise import percentile_normalise, rank_normalise

    ranks = rank_normalise(MATRIX, HIGHER)
    # b reversed: 50 is the least risky (rank 1), 40 rank 2, the tied 10s share 3.5.
    np.testing.assert_array_equal(ranks, [[1, 3.5, 1, 2, NAN], [2, 3.5, NAN, 2, 1],
                                          [3, 2, NAN, NAN, 2], [NAN, 1, NAN, 2, NAN]])
    pct = percentile_normalise(MATRIX, HIGHER)
    # (rank - 1) / (n - 1); one observed value scores 0.5; all tied (d): (2 - 1) / 2.
    np.testing.assert_allclose(pct, [[0, 2.5 / 3, 0.5, 0.5, NAN], [0.5, 2.5 / 3, NAN, 0.5, 0],
                                     [1, 1 / 3, NAN, NAN, 1], [NAN, 0, NAN, 0.5, NAN]],
                               rtol=1e-12, equal_nan=True)


def test_distance_to_target_by_hand():
    from riskscore.engine.normalise import target_normalise

    target = np.array([2.5, 30.0, 4.0, 9.0, 2.0])
    out = target_normalise(MATRIX, target, HIGHER)
    # a: (x - 1) / 1.5 capped at 1; b: min 10, (x - 10) / 20 capped, then reversed;
    # c: the minimum 5 is past the target 4: 1; d: (7 - 7) / 2 = 0; e: (x - 1) / 1.
    np.testing.assert_allclose(out, [[0, 1, 1, 0, NAN], [1 / 1.5, 1, NAN, 0, 0],
                                     [1, 0, NAN, NAN, 1], [NAN, 0, NAN, 0, NAN]],
                               rtol=1e-12, atol=1e-15, equal_nan=True)


def test_every_method_treats_each_sample_of_a_batch_alone():
    from riskscore.engine.normalise import (
        percentile_normalise,
        rank_normalise,
        target_normalise,
        zscore_normalise,
    )

    batch = np.stack([MATRIX, MATRIX[::-1] * 2.0])
    target = np.array([2.5, 30.0, 4.0, 9.0, 2.0])
    for kernel in (zscore_normalise, rank_normalise, percentile_normalise, minmax_normalise,
                   lambda v, h: target_normalise(v, target, h)):
        out = kernel(batch, HIGHER)
        for s in range(2):
            np.testing.assert_allclose(out[s], kernel(batch[s], HIGHER), rtol=1e-12,
                                       equal_nan=True)


def test_zscore_divides_by_a_spread_below_one():
    from riskscore.engine.normalise import zscore_normalise

    out = zscore_normalise(np.array([[0.1], [0.2], [0.3]]), np.array([True]))
    np.testing.assert_allclose(out[:, 0], [-1.0, 0.0, 1.0], rtol=1e-12, atol=1e-12)  # sd 0.1
