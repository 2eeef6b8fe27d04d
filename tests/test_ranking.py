import math

import numpy as np

from riskscore.engine.ranking import competition_ranks


def test_ties_share_the_lowest_rank_and_missing_gets_none():
    ranks = competition_ranks(np.array([50.0, 70.0, 50.0, np.nan, 10.0]))
    assert ranks[[0, 1, 2, 4]].tolist() == [2.0, 1.0, 2.0, 4.0]
    assert math.isnan(ranks[3])


def test_batched_rows_are_ranked_independently():
    ranks = competition_ranks(np.array([[1.0, 2.0, 3.0], [3.0, 3.0, 1.0]]))
    assert ranks.tolist() == [[3.0, 2.0, 1.0], [1.0, 1.0, 3.0]]


def test_floating_noise_below_tie_precision_is_a_tie():
    ranks = competition_ranks(np.array([0.1 + 0.2, 0.3]))
    assert ranks.tolist() == [1.0, 1.0]


def test_scores_a_tenth_apart_are_not_tied():
    # 63.7 and 63.9 differ in the first decimal: any rounding coarser than that would tie them.
    ranks = competition_ranks(np.array([63.7, 63.9, 63.75, 40.1]))
    assert ranks.tolist() == [3.0, 1.0, 2.0, 4.0]


def test_differences_at_1e_8_count_and_at_1e_10_do_not():
    # TIE_DECIMALS = 9: a difference of 1e-8 separates, one of 1e-10 ties (in 0-1 units too).
    base = 0.637
    ranks = competition_ranks(np.array([base, base + 1e-8, base + 1e-10, base - 1e-8]))
    assert ranks.tolist() == [2.0, 1.0, 2.0, 4.0]


def test_all_missing_and_single_entity():
    assert np.isnan(competition_ranks(np.array([np.nan, np.nan]))).all()
    assert competition_ranks(np.array([0.0])).tolist() == [1.0]
    # A missing score ranks below nobody: the others keep ranks 1 and 2.
    assert competition_ranks(np.array([np.nan, 0.0, 5.0]))[1:].tolist() == [2.0, 1.0]


def test_three_way_tie_then_a_gap():
    ranks = competition_ranks(np.array([[5.0, 9.0, 9.0, 9.0, 1.0, 5.0]]))
    assert ranks.tolist() == [[4.0, 1.0, 1.0, 1.0, 6.0, 4.0]]
