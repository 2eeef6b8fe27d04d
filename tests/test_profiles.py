"""Profiles: every value has evidence; article quotes are checked against the article."""

from __future__ import annotations

import shutil

import pytest

from riskscore.errors import DataError, EvidenceError
from riskscore.inputs.profiles import load_profiles
from riskscore.inputs.registry import load_registry
from riskscore.model.evidence import Article, normalise_quote
from riskscore.model.loader import load_model
from support import ARTICLE, EXAMPLE, write

QUOTE = "In Tajikistan, Huawei accounts for over 90 percent of the country’s telecommunications"

PROFILE = f"""
entity = "Tajikistan"
as_of = 2019-11-19

[[suppliers]]
id = "huawei"
role = "telecom"
evidence = {{ kind = "article", quote = "In Tajikistan, Huawei accounts for" }}

[values.vendor_telecom_share]
value = 90
lower = 90
upper = 100

[[values.vendor_telecom_share.evidence]]
kind = "article"
quote = "{QUOTE}"
"""


def load(tmp_path, text, name="tajikistan.toml"):
    write(tmp_path / "profiles" / name, text)
    model = load_model(EXAMPLE / "config" / "model.toml")
    registry = load_registry(EXAMPLE / "config" / "suppliers.toml")
    return load_profiles(tmp_path / "profiles", model, Article.load(ARTICLE), registry)


def test_a_good_profile_loads_with_bounds_and_dates(tmp_path):
    (profile,) = load(tmp_path, PROFILE)
    obs = profile.values["vendor_telecom_share"]
    assert (obs.value, obs.lower, obs.upper) == (90, 90, 100)
    assert obs.as_of.isoformat() == "2019-11-19" and obs.kinds == ("article",)


def test_quote_matching_folds_only_whitespace_and_curly_quotes():
    article = Article.load(ARTICLE)
    assert article.contains(QUOTE.replace("’", "'").replace(" ", "\n  "))
    assert not article.contains(QUOTE.replace("over 90", "over 80"))
    assert normalise_quote("“a”  ‘b’\n c") == "\"a\" 'b' c"


@pytest.mark.parametrize("edit, error, expected", [
    (lambda t: t.replace("over 90 percent", "over 95 percent"), EvidenceError,
     r"tajikistan.toml: values.vendor_telecom_share.evidence\[0\].quote: is not in the article "
     r"000_fecfd22379664373.txt \(Tajikistan, vendor_telecom_share\)"),
    (lambda t: t.replace("value = 90\n", "value = 80\n"), DataError,
     "values.vendor_telecom_share.value: is 80, below lower 90"),
    (lambda t: t.replace("value = 90\n", ""), DataError,
     "values.vendor_telecom_share.value: is missing"),
    (lambda t: t.replace("value = 90\n", 'value = 90\nmissing = "x"\n'), DataError,
     "values.vendor_telecom_share.value: is given together with missing"),
    (lambda t: t.replace("[values.vendor_telecom_share]", "[values.vendor_share]"), DataError,
     "values.vendor_share: is not an indicator of the model"),
    (lambda t: t.replace("[values.vendor_telecom_share]", "[values.sanctioned_suppliers]")
     .replace("values.vendor_telecom_share.evidence", "values.sanctioned_suppliers.evidence"),
     DataError, "values.sanctioned_suppliers: is derived"),
    (lambda t: t.replace('id = "huawei"', 'id = "acme"'), DataError,
     r"suppliers\[0\].id: is 'acme', not in the registry"),
    (lambda t: t.replace('role = "telecom"', 'role = "cloud"'), DataError,
     r"suppliers\[0\].role: is 'cloud'"),
    (lambda t: t.replace("lower = 90", "lowr = 90"), DataError,
     "values.vendor_telecom_share.lowr: is not a known key"),
    (lambda t: t.replace("value = 90", 'value = "ninety"'), DataError,
     "values.vendor_telecom_share.value: is the text 'ninety'"),
    (lambda t: t.replace("as_of = 2019-11-19", 'as_of = "Nov 2019"'), DataError,
     "as_of: is the text 'Nov 2019'; expected a TOML date"),
])
def test_profile_errors_name_file_and_key(tmp_path, edit, error, expected):
    with pytest.raises(error, match=expected):
        load(tmp_path, edit(PROFILE))


def test_external_evidence_needs_source_url_and_date(tmp_path):
    text = PROFILE.replace('kind = "article"\nquote', 'kind = "external"\nsource = "S"\nquote')
    with pytest.raises(DataError, match=r"evidence\[0\].url: is missing"):
        load(tmp_path, text)


def test_duplicate_entity_across_files(tmp_path):
    load(tmp_path, PROFILE)
    shutil.copy(tmp_path / "profiles" / "tajikistan.toml", tmp_path / "profiles" / "tj2.toml")
    with pytest.raises(DataError, match="tj2.toml: entity: repeats 'Tajikistan'"):
        load(tmp_path, PROFILE)
