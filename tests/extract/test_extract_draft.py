"""The profile draft: valid TOML, verbatim quotes, everything marked for review."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from riskscore.errors import DataError
from riskscore.inputs.extract import draft_indicators, draft_profile, extract_document
from riskscore.inputs.extract.draft import toml_string

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "tests" / "fixtures" / "example"
CONFIG = EXAMPLE / "config"
SEED = EXAMPLE / "seeds" / "000_fecfd22379664373.txt"

AS_OF = dt.date(2019, 11, 19)
DERIVED = {"prc_surveillance_vendors", "sanctioned_suppliers", "sanction_severity"}
NON_DERIVED = ("vendor_telecom_share", "prc_deal_value", "debt_share_external",
               "debt_commitments_gdp", "debt_distress_flag", "localisation_gap",
               "biometric_storage_opacity", "dpa_independence_gap")


@pytest.fixture(scope="module")
def extraction(gazetteer, registry, hints):
    return extract_document(SEED, gazetteer=gazetteer, registry=registry, hints=hints)


@pytest.fixture(scope="module")
def tajik_text(extraction, gazetteer):
    return draft_profile(extraction, "Tajikistan", as_of=AS_OF,
                         indicators=draft_indicators(CONFIG / "model.toml"), gazetteer=gazetteer)


def test_model_indicators_without_derived_ones():
    assert draft_indicators(CONFIG / "model.toml") == NON_DERIVED


def test_tajikistan_draft_parses_and_has_the_header(tajik_text):
    draft = tomllib.loads(tajik_text)
    assert (draft["entity"], draft["iso3"], draft["as_of"]) == ("Tajikistan", "TJK", AS_OF)


def test_every_non_derived_indicator_is_marked_for_review(tajik_text):
    values = tomllib.loads(tajik_text)["values"]
    assert set(values) == set(NON_DERIVED)
    assert not DERIVED & set(values)
    for entry in values.values():
        assert entry["missing"].startswith("REVIEW:")
        assert "value" not in entry
    assert values["prc_deal_value"]["missing"] == "REVIEW: no candidate found"


def test_vendor_share_quotes_the_over_90_percent_sentence_verbatim(tajik_text, seed_text):
    entry = tomllib.loads(tajik_text)["values"]["vendor_telecom_share"]
    quote = ("In Tajikistan, Huawei accounts for over 90 percent of the country’s "
             "telecommunications infrastructure.")
    assert entry["evidence"] == [{"kind": "article", "quote": quote}]
    assert quote in seed_text
    assert '# value = 90   # from "over 90 percent" (lower bound; unit %)' in tajik_text


def test_biometric_opacity_includes_the_context_sentence(tajik_text):
    quotes = [e["quote"] for e in tomllib.loads(tajik_text)["values"]
              ["biometric_storage_opacity"]["evidence"]]
    assert any("where the data will be stored" in q for q in quotes)
    assert "# REVIEW: the country is inferred from the previous sentence" in tajik_text


def test_suppliers_found_near_the_country_are_listed_for_review(tajik_text):
    (huawei,) = tomllib.loads(tajik_text)["suppliers"]
    assert huawei["id"] == "huawei"
    assert huawei["role"] == "surveillance"
    assert huawei["project"] == "REVIEW"
    assert huawei["as_of"] == AS_OF
    quotes = [e["quote"] for e in huawei["evidence"]]
    assert any("over 90 percent" in q for q in quotes)
    assert "# REVIEW role" in tajik_text


def test_country_given_as_iso_code(extraction, gazetteer):
    text = draft_profile(extraction, "KGZ", as_of=AS_OF, indicators=NON_DERIVED,
                         gazetteer=gazetteer)
    draft = tomllib.loads(text)
    assert draft["entity"] == "Kyrgyzstan"
    evidence = draft["values"]["vendor_telecom_share"]["evidence"]
    assert any("eight in every 10" in e["quote"] for e in evidence)
    assert '# value = 80   # from "eight in every 10" (unit %)' in text


def test_unknown_country_is_a_data_error(extraction, gazetteer):
    with pytest.raises(DataError, match="'Narnia' is not a known country"):
        draft_profile(extraction, "Narnia", as_of=AS_OF, indicators=NON_DERIVED,
                      gazetteer=gazetteer)


def test_quotes_with_quote_marks_and_backslashes_survive(gazetteer, registry, hints):
    text = 'In Tajikistan, Huawei said "over 90 percent" of C:\\net telecom\tlines are theirs.'
    extraction = extract_document(text, gazetteer=gazetteer, registry=registry, hints=hints)
    draft = tomllib.loads(draft_profile(extraction, "Tajikistan", as_of=AS_OF,
                                        indicators=NON_DERIVED))
    assert draft["values"]["vendor_telecom_share"]["evidence"][0]["quote"] == text


@given(st.text())
def test_toml_string_round_trips(text):
    assert tomllib.loads(f"x = {toml_string(text)}")["x"] == text


def _figure(text: str):
    from riskscore.inputs.extract import find_figures

    (figure,) = find_figures(text)
    return figure


@pytest.mark.parametrize("text, unit, value, note", [
    ("a $23 million budget", "US$ million", 23, "unit US$ million, from 23000000 US$"),
    ("a US$1 billion deal", "US$ million", 1000, "unit US$ million"),
    ("a $4.3m gift", "US$ thousand", 4300, "unit US$ thousand"),
    ("a $22 million system", "US$", 22_000_000, "unit US$"),
    ("over 90 percent", "%", 90, "unit %"),
    ("116.6 million somoni", "US$ million", None, "in TJS, not US dollars: convert it to US$ million"),
    ("a $23 million budget", "code 0-2", None, "a sum of money (USD), but the indicator is in code 0-2"),
])
def test_draft_values_are_in_the_indicators_unit(text, unit, value, note):
    from riskscore.inputs.extract import in_indicator_unit

    got, got_note = in_indicator_unit(_figure(text), unit)
    assert got == (pytest.approx(value) if value is not None else None)
    assert note in got_note


def test_the_draft_never_suggests_23_000_000_for_a_us_million_indicator(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from riskscore.cli.main import cli
    from support import EXAMPLE

    monkeypatch.chdir(EXAMPLE)
    run = CliRunner().invoke(cli, ["extract", str(EXAMPLE / "seeds" / "000_fecfd22379664373.txt"),
                                   "--draft", "Kazakhstan", "--as-of", "2019-11-19"])
    assert run.exit_code == 0, run.output
    deal = run.output.split("[values.prc_deal_value]")[1].split("[values.")[0]
    assert '# value = 23   # from "$23 million" (unit US$ million' in deal
    assert "23000000  " not in run.output and "value = 23000000" not in run.output
