"""Sentence splitting: exact offsets, and the traps in the seed article."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from riskscore.inputs.extract.sentences import split_sentences, unique_sentences


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
