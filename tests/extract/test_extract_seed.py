"""The seed article end to end: candidates, figures, offsets, the repeated sentence."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from riskscore.inputs.extract import extract_document

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "tests" / "fixtures" / "example"
SEED = EXAMPLE / "seeds" / "000_fecfd22379664373.txt"


@pytest.fixture(scope="module")
def extraction(gazetteer, registry, hints):
    return extract_document(SEED, gazetteer=gazetteer, registry=registry, hints=hints)


def find(extraction, fragment):
    (candidate,) = [c for c in extraction.candidates if fragment in c.sentence]
    return candidate


def test_document_and_hash(extraction):
    assert extraction.document == str(SEED)
    assert extraction.sha256 == hashlib.sha256(SEED.read_bytes()).hexdigest()


def test_all_four_countries_have_candidates(extraction):
    for country in ("Kazakhstan", "Kyrgyzstan", "Tajikistan", "Uzbekistan"):
        assert extraction.for_country(country, context=False), country


def test_every_sentence_and_figure_offset_is_exact(extraction, seed_text):
    assert extraction.candidates
    for c in extraction.candidates:
        assert seed_text[c.start:c.end] == c.sentence
        for f in c.figures:
            assert seed_text[f.start:f.end] == f.text
            assert c.start <= f.start < f.end <= c.end


def test_huawei_over_90_percent_in_tajikistan(extraction, seed_text):
    c = find(extraction, "over 90 percent")
    assert c.entities == ("Tajikistan",)
    assert [s.id for s in c.suppliers] == ["huawei"]
    assert "vendor_telecom_share" in c.indicators
    (figure,) = c.figures
    assert (figure.text, figure.value, figure.unit, figure.bound) == (
        "over 90 percent", 90.0, "%", "lower")
    assert figure.start == seed_text.index("over 90 percent")


def test_eight_in_every_10_is_80_percent_in_kyrgyzstan(extraction):
    c = find(extraction, "eight in every 10")
    assert "Kyrgyzstan" in c.entities
    assert [(f.text, f.value, f.unit) for f in c.figures] == [("eight in every 10", 80.0, "%")]
    assert "vendor_telecom_share" in c.indicators


def test_repeated_sentence_is_reported_once_at_its_first_occurrence(gazetteer, registry,
                                                                   seed_text, hints):
    repeated = ("Autocrats across the region are already looking to China’s Sharp Eyes "
                "policing project to document the activities of their citizens.")
    # Hints that fire on it, so that it would be a candidate twice if repeats were kept.
    from riskscore.inputs.extract.hints import HintRule, Hints

    sharp = Hints(None, (HintRule("prc_surveillance_vendors", ("Sharp Eyes",), ()),))
    extraction = extract_document(seed_text, gazetteer=gazetteer, registry=registry, hints=sharp)
    matches = [c for c in extraction.candidates if c.sentence == repeated]
    assert len(matches) == 1
    assert matches[0].start == seed_text.index(repeated)
    assert extraction.document == "<text>"


def test_missing_space_sentence_starts_right_after_the_full_stop(extraction, seed_text):
    c = find(extraction, "In February, Tajikistan’s government")
    assert seed_text[c.start - 9:c.start] == "citizens."
    assert c.entities == ("Tajikistan",)
    assert "biometric_storage_opacity" in c.indicators


def test_country_inside_a_supplier_name_is_not_an_entity(extraction):
    c = find(extraction, "China National Petroleum Corporation")
    assert [s.id for s in c.suppliers] == ["cnpc"]
    # "China" here comes from "Beijing", not from the supplier's name
    assert c.entities == ("Uzbekistan", "China")
    assert [(f.value, f.unit) for f in c.figures] == [(2e9, "USD")]


def test_fines_sentence_is_no_candidate(extraction):
    # The fines sentence names no country and no supplier; it has figures but the
    # shipped hints do not fire on it, so it is no candidate.
    assert not [c for c in extraction.candidates if "somoni" in c.sentence]


def test_context_carries_tajikistan_to_the_huawei_storage_sentence(extraction):
    c = find(extraction, "where the data will be stored")
    assert c.entities == ()
    assert c.context == ("Tajikistan",)
    assert c in extraction.for_country("Tajikistan")
    assert c not in extraction.for_country("Tajikistan", context=False)


def test_to_dict_has_exactly_the_documented_keys(extraction):
    data = extraction.to_dict()
    assert set(data) == {"document", "sha256", "candidates"}
    candidate = data["candidates"][0]
    assert set(candidate) == {"sentence", "start", "end", "entities", "suppliers", "figures",
                              "indicators"}
    c = next(c for c in data["candidates"] if "over 90 percent" in c["sentence"])
    assert c["suppliers"] == [{"id": "huawei", "country": "CN"}]
    assert c["figures"][0] == {"text": "over 90 percent", "value": 90.0, "unit": "%",
                               "bound": "lower", "start": c["figures"][0]["start"],
                               "end": c["figures"][0]["start"] + 15}
