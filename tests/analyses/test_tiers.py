"""Tiers of overlapping rank intervals, worked by hand."""

from __future__ import annotations

import math

import pytest

from riskscore.analyses.tiers import rank_tiers, tier_of


def test_separated_intervals_give_one_tier_each():
    tiers = rank_tiers([("A", 1, 1), ("B", 2, 2), ("C", 3, 3)])
    assert [t.entities for t in tiers] == [("A",), ("B",), ("C",)]


def test_overlap_chains_into_one_tier_and_a_gap_starts_the_next():
    # A 1-2 and B 1-3 overlap; C 3-4 overlaps B's worst rank 3, so it joins (a chain);
    # D 5-6 starts below everything the first tier reaches (4); E 5-6 ties with D.
    tiers = rank_tiers([("A", 1, 2), ("B", 1, 3), ("C", 3, 4), ("D", 5, 6), ("E", 5, 6)])
    assert [t.entities for t in tiers] == [("A", "B", "C"), ("D", "E")]
    assert (tiers[0].best, tiers[0].worst, tiers[1].best, tiers[1].worst) == (1, 4, 5, 6)
    assert tier_of(tiers) == {"A": 1, "B": 1, "C": 1, "D": 2, "E": 2}


def test_the_2026_12_review_case_is_one_tier():
    # every country's 5-95% rank interval 1-4 (factcheck-2026-12, headline 1)
    tiers = rank_tiers([("TJ", 1, 4), ("KG", 1, 4), ("KZ", 1, 4), ("UZ", 1, 4)])
    assert len(tiers) == 1 and tiers[0].entities == ("TJ", "KG", "KZ", "UZ")


def test_entities_without_an_interval_are_left_out():
    tiers = rank_tiers([("A", 1, 1), ("B", math.nan, math.nan), ("C", 2, 2)])
    assert tier_of(tiers) == {"A": 1, "C": 2}


def test_an_inverted_interval_is_refused():
    with pytest.raises(ValueError, match="B: best rank 3 is worse than worst rank 2"):
        rank_tiers([("A", 1, 1), ("B", 3, 2)])
