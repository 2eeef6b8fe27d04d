"""Figures: values, units, bounds and exact text, each worked out by hand."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from riskscore.inputs.extract.figures import find_figures, parse_number


def only(text):
    figures = find_figures(text)
    assert len(figures) == 1, figures
    f = figures[0]
    return f.text, f.value, f.unit, f.bound


@pytest.mark.parametrize("text, expected", [
    ("Huawei accounts for over 90 percent of it.", ("over 90 percent", 90, "%", "lower")),
    ("71 percent of agreements", ("71 percent", 71, "%", "exact")),
    ("reaching 90% of users", ("90%", 90, "%", "exact")),
    ("Forty-two percent of deals", ("Forty-two percent", 42, "%", "exact")),
    ("connecting eight in every 10 Kyrgyz residents", ("eight in every 10", 80, "%", "exact")),
    ("one in five subscribers", ("one in five", 20, "%", "exact")),
    ("dropping by about 20 percentage points.", ("about 20 percentage points", 20, "pp", "approx")),
    ("nearly 70 percent of people", ("nearly 70 percent", 70, "%", "upper")),
    ("a $1 billion deal", ("$1 billion", 1e9, "USD", "exact")),
    ("totaling about $4.3 million to", ("about $4.3 million", 4.3e6, "USD", "approx")),
    ("worth US$2.5m in", ("US$2.5m", 2.5e6, "USD", "exact")),
    ("over 4,000 cameras (many", ("over 4,000 cameras", 4000, "cameras", "lower")),
    ("identify 1.7 million offenses and", ("1.7 million offenses", 1.7e6, "offenses", "exact")),
    ("some 883 cameras.", ("some 883 cameras", 883, "cameras", "approx")),
    ("and 445 traffic accidents in the capital", ("445 traffic accidents", 445, "traffic accidents",
                                                 "exact")),
    ("Almost 933,000 violators were fined", ("Almost 933,000 violators", 933000, "violators",
                                             "upper")),
    ("fewer than 12 firms", ("fewer than 12 firms", 12, "firms", "upper")),
    ("at least 3 suppliers", ("at least 3 suppliers", 3, "suppliers", "lower")),
    ("roughly 300 people died", ("roughly 300 people", 300, "people", "approx")),
])
def test_single_figures(text, expected):
    got = only(text)
    assert got[0] == expected[0]
    assert got[1] == pytest.approx(expected[1])
    assert got[2:] == expected[2:]


def test_money_in_a_local_currency_and_in_dollars_are_two_figures():
    text = "Almost 933,000 violators were fined 116.6 million somoni ($12 million)."
    figures = find_figures(text)
    assert [(f.text, f.unit, f.bound) for f in figures] == [
        ("Almost 933,000 violators", "violators", "upper"),
        ("116.6 million somoni", "TJS", "exact"),
        ("$12 million", "USD", "exact"),
    ]
    assert figures[1].value == pytest.approx(116_600_000)
    assert figures[2].value == pytest.approx(12_000_000)
    for f in figures:
        assert text[f.start:f.end] == f.text


@pytest.mark.parametrize("text", [
    "Kazakhstan has experimented since 2017.",
    "By 2050, cities will grow.",
    "Published 19 November 2019",
    "Huawei's 5G giant and Tele2 operate.",
    "the most reclusive of the three, has seen",
])
def test_years_dates_and_model_names_are_not_figures(text):
    assert find_figures(text) == []


def test_a_year_is_skipped_but_a_comma_number_of_the_same_size_is_a_count():
    figures = find_figures("In 2018, it added 2,018 cameras.")
    assert [(f.text, f.value) for f in figures] == [("2,018 cameras", 2018)]


def test_scaled_numbers_without_a_noun_are_plain_numbers():
    figures = find_figures("set to grow from 72 million to 95 million by 2050.")
    assert [(f.text, f.value, f.unit) for f in figures] == [
        ("72 million", 72e6, "number"), ("95 million", 95e6, "number")]


def test_offset_shifts_positions_into_the_document():
    (figure,) = find_figures("over 90 percent", offset=100)
    assert (figure.start, figure.end) == (100, 115)


@pytest.mark.parametrize("token, value", [("4,000", 4000), ("1.7", 1.7), ("Forty-two", 42),
                                          ("eight", 8), ("ninety nine", 99)])
def test_parse_number(token, value):
    assert parse_number(token) == pytest.approx(value)


@given(st.text(alphabet="0123456789,.$% overabutsmilonecrntpg", max_size=60))
def test_figure_offsets_are_exact_and_ordered(text):
    previous_end = 0
    for f in find_figures(text):
        assert text[f.start:f.end] == f.text
        assert f.start >= previous_end
        assert f.bound in ("exact", "lower", "upper", "approx")
        previous_end = f.end
