"""Supplier matching and the strictly validated hint rules."""

from __future__ import annotations

import pytest

from riskscore.errors import ConfigError
from riskscore.inputs.extract.hints import load_hints
from riskscore.inputs.extract.suppliers import find_suppliers


def ids(text, registry):
    return [(m.id, m.text) for m in find_suppliers(text, registry)]


def test_longest_alias_first_and_word_boundaries(registry):
    text = "provided by Dahua Technology, a Chinese company, and Huawei’s 5G unit"
    assert ids(text, registry) == [("dahua", "Dahua Technology"), ("huawei", "Huawei")]


def test_full_registry_name_matches(registry):
    text = "by the China National Electronics Import and Export Corporation, a defense company"
    (mention,) = find_suppliers(text, registry)
    assert (mention.id, mention.country) == ("ceiec", "CN")
    assert text[mention.start:mention.end] == (
        "China National Electronics Import and Export Corporation")


@pytest.mark.parametrize("text", ["huawei phones", "HUAWEI", "Huaweis", "ZTEs", "Hyteraland"])
def test_matching_is_case_sensitive_on_word_boundaries(text, registry):
    assert find_suppliers(text, registry) == []


def test_hytera_is_found(registry):
    assert ids("Hytera radios serve police", registry) == [("hytera", "Hytera")]


def test_hint_rules_from_the_shipped_file(hints):
    sentence = ("In Tajikistan, Huawei accounts for over 90 percent of the country’s "
                "telecommunications infrastructure.")
    assert hints.indicators_for(sentence, ["%"], has_supplier=True) == ["vendor_telecom_share"]
    # vendor_telecom_share needs a supplier in the sentence
    assert hints.indicators_for(sentence, ["%"], has_supplier=False) == []
    deal = "Huawei closed a $1 billion deal with Uzbekistan."
    assert "prc_deal_value" in hints.indicators_for(deal, ["USD"], has_supplier=True)
    # prc_deal_value needs a money figure
    assert "prc_deal_value" not in hints.indicators_for(deal, ["%"], has_supplier=True)


def write(tmp_path, text):
    path = tmp_path / "hints.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_unknown_key_in_a_rule_names_file_and_key_path(tmp_path):
    path = write(tmp_path, '[indicators.debt_share_external]\nkeywords = ["debt"]\nkeyword = 1\n')
    with pytest.raises(ConfigError) as err:
        load_hints(path)
    assert err.value.message.startswith(
        f"{path}: indicators.debt_share_external.keyword: is not a known key")


@pytest.mark.parametrize("body, key, problem", [
    ('[indicators.x]\nkeywords = "debt"\n', "indicators.x.keywords", "is the text 'debt'"),
    ("[indicators.x]\npatterns = ['(']\n", "indicators.x.patterns", "not a valid regular"),
    ("[indicators.x]\nfigure_units = ['%']\n", "indicators.x", "has neither keywords nor"),
    ('[indicators.x]\nkeywords = ["a"]\nneeds_supplier = "yes"\n', "indicators.x.needs_supplier",
     "is 'yes'"),
    ('[rules.x]\nkeywords = ["a"]\n', "rules", "is not a known key"),
])
def test_malformed_hints_are_errors(tmp_path, body, key, problem):
    path = write(tmp_path, body)
    with pytest.raises(ConfigError) as err:
        load_hints(path)
    assert err.value.message.startswith(f"{path}: {key}: ")
    assert problem in err.value.message


def test_rule_for_an_indicator_the_model_lacks(tmp_path):
    path = write(tmp_path, '[indicators.debt_share]\nkeywords = ["debt"]\n')
    with pytest.raises(ConfigError, match="indicators.debt_share: is not an indicator"):
        load_hints(path, indicators=["debt_share_external"])
