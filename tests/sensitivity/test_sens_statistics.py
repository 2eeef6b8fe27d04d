"""Rank and score statistics: by hand, and the sparse counters and compact per-draw codes
equal to the dense counters."""

from __future__ import annotations

import numpy as np

from riskscore.analyses.sensitivity.statistics import SCORE_BINS, ColumnCodes, RankStatistics


def _fill(dense_limit: int, draws: int | None = None) -> RankStatistics:
    # three entities, five draws; entity 2 has no score in draw 4
    ranks = np.array([[1, 2, 3], [2, 1, 3], [1, 3, 2], [1, 2, 3], [2, 1, np.nan]], dtype=float)
    scores = np.array([[90, 50, 10], [60, 70, 20], [80, 30, 40], [75, 60, 50], [55, 65, np.nan]])
    stats = RankStatistics.empty(np.array([1.0, 2.0, 3.0]), 100.0, dense_limit=dense_limit,
                                 draws=draws)
    stats.add(scores[:2], ranks[:2])
    stats.flush()
    stats.add(scores[2:], ranks[2:])
    stats.flush()
    return stats


def test_statistics_by_hand():
    stats = _fill(dense_limit=1 << 22)
    # entity 0 ranks 1,2,1,1,2: median 1, 95% 2; entity 2 ranks 3,3,2,3 (one draw missing)
    assert stats.rank_quantile(0.5).tolist() == [1.0, 2.0, 3.0]
    assert stats.rank_quantile(0.95).tolist() == [2.0, 3.0, 3.0]
    assert stats.rank_quantile(0.05).tolist() == [1.0, 1.0, 2.0]
    assert stats.p_top(1).tolist() == [3 / 5, 2 / 5, 0.0]
    assert stats.p_missing().tolist() == [0.0, 0.0, 1 / 5]
    # entity 1's scores 50,70,30,60,65: the 0.5 quantile is the 3rd of 5 in bin order
    # (60): bin of 60 is 60/100*16384 = 9830.4 -> 9830; 2.5 of 5 counts, 2 before it,
    # 1 inside: (9830 + 0.5) / 16384 * 100
    assert stats.score_quantile(0.5)[1] == (9830 + 0.5) / SCORE_BINS * 100


def test_sparse_counters_give_the_same_statistics_as_dense_ones():
    dense, sparse = _fill(dense_limit=1 << 22), _fill(dense_limit=0)
    assert dense.ranks.dense is not None and sparse.ranks.dense is None
    np.testing.assert_array_equal(dense.rank_counts, sparse.rank_counts)
    np.testing.assert_array_equal(dense.score_counts, sparse.score_counts)
    for q in (0.05, 0.5, 0.95):
        np.testing.assert_array_equal(dense.rank_quantile(q), sparse.rank_quantile(q))
        np.testing.assert_array_equal(dense.score_quantile(q), sparse.score_quantile(q))
    np.testing.assert_array_equal(dense.p_top(2), sparse.p_top(2))
    # sparse memory is the distinct pairs seen, not entities x (entities + 1)
    assert len(sparse.ranks.keys) == np.count_nonzero(dense.rank_counts)


def test_sparse_counters_on_random_draws():
    rng = np.random.default_rng(4)
    scores = rng.uniform(0, 100, (300, 40))
    scores[rng.random(scores.shape) < 0.02] = np.nan
    from riskscore.engine.ranking import competition_ranks

    ranks = competition_ranks(scores)
    out = []
    for limit in (1 << 22, 0):
        stats = RankStatistics.empty(competition_ranks(scores[0]), 100.0, dense_limit=limit)
        for start in range(0, 300, 70):
            stats.add(scores[start:start + 70], ranks[start:start + 70])
            stats.flush()
        out.append([stats.rank_quantile(0.5), stats.score_quantile(0.05), stats.p_top(3),
                    stats.p_missing()])
    for a, b in zip(*out, strict=True):
        np.testing.assert_array_equal(a, b)


def test_column_codes_give_the_same_statistics_as_dense_counts():
    # dense_limit=0 with the number of draws known: both tables as per-draw codes
    dense, columns = _fill(dense_limit=1 << 22), _fill(dense_limit=0, draws=5)
    assert isinstance(columns.ranks, ColumnCodes) and isinstance(columns.scores, ColumnCodes)
    np.testing.assert_array_equal(dense.rank_counts, columns.rank_counts)
    np.testing.assert_array_equal(dense.score_counts, columns.score_counts)
    for q in (0.05, 0.5, 0.95):
        np.testing.assert_array_equal(dense.rank_quantile(q), columns.rank_quantile(q))
        np.testing.assert_array_equal(dense.score_quantile(q), columns.score_quantile(q))
    np.testing.assert_array_equal(dense.p_top(2), columns.p_top(2))
    np.testing.assert_array_equal(dense.p_missing(), columns.p_missing())
    # by hand: entity 2 has ranks 3, 3, 2, 3 and one draw without a score (code 0)
    assert columns.rank_counts[2].tolist() == [1, 0, 1, 3]


def test_all_three_forms_agree_on_random_draws_in_several_entity_blocks(monkeypatch):
    from riskscore.analyses.sensitivity import statistics
    from riskscore.engine.ranking import competition_ranks

    monkeypatch.setattr(statistics, "BLOCK_CELLS", 7 * 300)   # blocks of 7 entities
    rng = np.random.default_rng(5)
    scores = rng.uniform(0, 100, (300, 40))
    scores[rng.random(scores.shape) < 0.03] = np.nan
    scores[:, 3] = scores[:, 4]                                # exact ties
    ranks = competition_ranks(scores)
    out = []
    # dense; sorted pairs; codes for 300 planned draws; codes planned for 50 (grown)
    for limit, draws in ((1 << 22, None), (0, None), (0, 300), (0, 50)):
        stats = RankStatistics.empty(competition_ranks(scores[0]), 100.0, dense_limit=limit,
                                     draws=draws)
        for start in range(0, 300, 70):
            stats.add(scores[start:start + 70], ranks[start:start + 70])
        out.append([stats.rank_quantile(0.5), stats.rank_quantile(0.95),
                    stats.score_quantile(0.05), stats.score_quantile(0.95), stats.p_top(1),
                    stats.p_top(3), stats.p_missing(), stats.rank_counts, stats.score_counts,
                    stats.mean_abs_rank_shift])
    for other in out[1:]:
        for a, b in zip(out[0], other, strict=True):
            np.testing.assert_array_equal(a, b)


def test_memory_is_linear_in_entities_for_a_wide_table():
    # 20,000 entities x 4,000 draws: each table as 16-bit codes, 20,000 * 4,000 * 2 bytes
    # (160 MB), where dense counters would take 20,000 * 20,001 * 8 bytes (3.2 GB)
    stats = RankStatistics.empty(np.arange(1.0, 20_001.0), 100.0, draws=4_000)
    assert stats.ranks.nbytes == 20_000 * 4_000 * 2
    assert stats.scores.nbytes == 20_000 * 4_000 * 2
    # 200 entities x 1,000,000 draws: dense counters, 200 * 201 and 200 * 16,384 int64
    small = RankStatistics.empty(np.arange(1.0, 201.0), 100.0, draws=1_000_000)
    assert small.ranks.nbytes == 200 * 201 * 8
    assert small.scores.nbytes == 200 * SCORE_BINS * 8
