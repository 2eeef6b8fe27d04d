"""Country mentions: pycountry names, the gazetteer file, and ambiguous names."""

from __future__ import annotations

import pytest

from riskscore.errors import ConfigError
from riskscore.inputs.extract.gazetteer import find_countries, load_gazetteer


def names(text, gazetteer):
    return [m.country.name for m in find_countries(text, gazetteer)]


@pytest.mark.parametrize("text, expected", [
    ("Kyrgyzstan opened a center in its capital, Bishkek.", ["Kyrgyzstan", "Kyrgyzstan"]),
    ("cameras blanket Nur-Sultan and Almaty", ["Kazakhstan", "Kazakhstan"]),
    ("patrol the capital, Tashkent.", ["Uzbekistan"]),
    ("The Safe City project in Dushanbe, and Bokhtar", ["Tajikistan", "Tajikistan"]),
    ("links to Xinjiang, where Beijing", ["China", "China"]),
    ("eight in every 10 Kyrgyz residents", ["Kyrgyzstan"]),
    ("The Kazakh government", ["Kazakhstan"]),
    ("Kazakhstan’s top companies Kazakhtelecom and Kcell", ["Kazakhstan"]),
    ("Mongolia and Kenya and Quito", ["Mongolia", "Kenya", "Ecuador"]),
    ("Papua New Guinea", ["Papua New Guinea"]),
    ("sanctioned by the United States and U.S. agencies", ["United States", "United States"]),
    ("the Islamic Republic of Iran", ["Iran"]),
    ("Russia and the Russian Federation", ["Russian Federation", "Russian Federation"]),
])
def test_countries_are_found_and_named_canonically(text, expected, gazetteer):
    assert names(text, gazetteer) == expected


@pytest.mark.parametrize("text, expected", [
    ("Chad Smith, a consultant, said so.", []),
    ("Dahua won contracts in Chad.", ["Chad"]),
    ("She studied at Georgia Tech.", []),
    ("He moved to Georgia Tech in 2010.", []),
    ("Cameras were installed in Georgia, where", ["Georgia"]),
    ("Michael Jordan endorsed it.", []),
    ("Vendors from Jordan and Chad", ["Jordan", "Chad"]),
    ("in New Jersey", []),
    ("the Republic of Chad", ["Chad"]),
])
def test_ambiguous_names_need_a_cue_word_and_no_capitalised_word_after(text, expected,
                                                                          gazetteer):
    assert names(text, gazetteer) == expected


def test_mentions_carry_exact_offsets(gazetteer):
    text = "Huawei in Tajikistan’s capital, Dushanbe."
    mentions = find_countries(text, gazetteer)
    assert [(m.text, m.start, m.end, m.country.iso3) for m in mentions] == [
        ("Tajikistan", 10, 20, "TJK"), ("Dushanbe", 32, 40, "TJK")]


def test_resolve_accepts_names_forms_and_codes(gazetteer):
    assert gazetteer.resolve("tajikistan").iso3 == "TJK"
    assert gazetteer.resolve("KG").name == "Kyrgyzstan"
    assert gazetteer.resolve("UZB").name == "Uzbekistan"
    assert gazetteer.resolve("Narnia") is None


def test_a_bad_country_code_names_the_file_and_key(tmp_path):
    path = tmp_path / "gazetteer.toml"
    path.write_text('[places]\n"Bishkek" = "KGZZ"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_gazetteer(path)
    assert err.value.message.startswith(f"{path}: places.Bishkek: is 'KGZZ'")


def test_an_unknown_table_is_an_error(tmp_path):
    path = tmp_path / "gazetteer.toml"
    path.write_text('[cities]\n"Bishkek" = "KGZ"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="cities: is not a known key"):
        load_gazetteer(path)
