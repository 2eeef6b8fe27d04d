import math

import numpy as np

from riskscore.ranking import competition_ranks


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
