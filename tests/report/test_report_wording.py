"""Labels as they read mid-sentence in the report's prose."""

from __future__ import annotations

import pytest

from riskscore.outputs.report.mdtext import lower_first


@pytest.mark.parametrize(("label", "mid_sentence"), [
    ("Debt exposure to China", "debt exposure to China"),
    ("Data-localisation gaps", "data-localisation gaps"),
    ("Human hazard", "human hazard"),
    ("DPA gap", "DPA gap"),                              # an acronym keeps its capitals
    ("Chinese vendor share", "Chinese vendor share"),    # so does a nationality
    ("Russian loans", "Russian loans"),
    ("European data rules", "European data rules"),
    ("Turkish lira exposure", "Turkish lira exposure"),
    ("x", "x"),
    ("", ""),
])
def test_lower_first(label, mid_sentence):
    assert lower_first(label) == mid_sentence
