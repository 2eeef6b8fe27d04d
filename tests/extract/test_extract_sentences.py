"""Sentence splitting: exact offsets, and the traps in the seed article."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from riskscore.inputs.extract.sentences import _WordIndex, split_sentences, unique_sentences


def texts(text):
    return [s.text for s in split_sentences(text)]


def test_missing_space_after_full_stop_splits_with_exact_offsets():
    text = "They watch their citizens.In February, Tajikistan acted."
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == ["They watch their citizens.",
                                           "In February, Tajikistan acted."]
    assert (sentences[1].start, sentences[1].end) == (26, 56)


@pytest.mark.parametrize("text, expected", [
    ("Hikvision is under U.S. sanctions. It sells cameras.",
     ["Hikvision is under U.S. sanctions.", "It sells cameras."]),
    ("Mr. Li met Dr. Sharipov. They spoke.", ["Mr. Li met Dr. Sharipov.", "They spoke."]),
    ("Some firms, e.g. ZTE, sell radios. Others do not.",
     ["Some firms, e.g. ZTE, sell radios.", "Others do not."]),
    ("It found 1.7 million offenses. Fines were $4.3 million.",
     ["It found 1.7 million offenses.", "Fines were $4.3 million."]),
    ("He called it “anti-China.” Then he left.", ["He called it “anti-China.”", "Then he left."]),
    ("The firm was listed by the U.S. The listing still stands.",
     ["The firm was listed by the U.S.", "The listing still stands."]),
    ("Supplied—reportedly free—by CEIEC. Done!", ["Supplied—reportedly free—by CEIEC.", "Done!"]),
])
def test_abbreviations_decimals_quotes_and_dashes(text, expected):
    assert texts(text) == expected


def test_blank_lines_and_bullets_end_sentences_and_markers_are_dropped():
    text = "Key points\n\n- Nairobi has cameras\n- Kenya pays\n1. First\n2) Second"
    assert texts(text) == ["Key points", "Nairobi has cameras", "Kenya pays", "First", "Second"]


def test_single_line_break_inside_a_paragraph_joins_wrapped_lines():
    text = "Huawei supplies the\nnetwork. Next one."
    assert texts(text) == ["Huawei supplies the\nnetwork.", "Next one."]


def test_repeated_sentence_is_kept_once_at_its_first_occurrence():
    text = "A repeat.\nA repeat.In February, more."
    unique = unique_sentences(split_sentences(text))
    assert [(s.text, s.start) for s in unique] == [("A repeat.", 0), ("In February, more.", 19)]


def test_seed_sentences_have_exact_offsets_and_the_repeat_is_dropped(seed_text):
    sentences = split_sentences(seed_text)
    for s in sentences:
        assert seed_text[s.start:s.end] == s.text
    repeated = ("Autocrats across the region are already looking to China’s Sharp Eyes "
                "policing project to document the activities of their citizens.")
    assert [s.text for s in sentences].count(repeated) == 2
    unique = unique_sentences(sentences)
    assert [s.text for s in unique].count(repeated) == 1
    assert len(unique) == len(sentences) - 1
    assert any(s.text.startswith("In February, Tajikistan’s government") for s in unique)


@given(st.text(alphabet="ab .\n!?U.S1,2“”—-", max_size=80))
def test_offsets_are_exact_for_any_text(text):
    previous_end = 0
    for s in split_sentences(text):
        assert text[s.start:s.end] == s.text
        assert s.text and s.text == s.text.strip()
        assert s.start >= previous_end
        previous_end = s.end


# ---- one pass, not a rescan from the start at every full stop (attack review, defect 7) ----

_REFERENCE_WORD_BEFORE = re.compile(r"([\w.]+)$")


def _reference_word_before(text, position):
    """What the splitter looked up before it was made linear: the word before a full
    stop by searching from the start of the text (correct, but O(n) per full stop)."""
    match = _REFERENCE_WORD_BEFORE.search(text, 0, position)
    return None if match is None else match.group(1)


@given(st.text(alphabet="ab.A\n .1é_!", max_size=40), st.data())
def test_the_word_index_finds_what_a_search_from_the_start_finds(text, data):
    position = data.draw(st.integers(0, len(text)))
    words = _WordIndex(text)
    span = words.word_before(position)
    expected = _reference_word_before(text, position)
    assert (None if span is None else text[span[0]:span[1]]) == expected
    assert words.lowercase_word_before(position) == (
        expected is not None and re.fullmatch(r"[a-z]{2,}", expected) is not None)


def _cpu_seconds(function, argument, repeats=3):
    """The least CPU time of a few calls (the least is the one least disturbed)."""
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        function(argument)
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.parametrize("unit", [
    "Its citizens.In February the U.S. The firm said 1.7 million e.g. more. ",
    "ab.Cd",                        # no space: every full stop asks for the word before it
    "x" * 200 + ".Cd" * 50,         # a long lowercase word before many full stops
])
def test_splitting_time_grows_linearly_with_the_text(unit):
    """Four times the text must cost about four times as much, not sixteen: the ratio of
    CPU times at n and 4n is compared (no absolute seconds), with room for noise."""
    small = unit * (20_000 // len(unit) + 1)
    large = small * 4
    split_sentences(small)   # warm up
    ratio = _cpu_seconds(split_sentences, large) / max(_cpu_seconds(split_sentences, small),
                                                       1e-4)
    assert ratio < 9, ratio   # linear gives about 4; the old rescan gave 16 and more
