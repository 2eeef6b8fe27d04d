"""The dated registry: what counts as sanctioned depends on the as-of date."""

from __future__ import annotations

import datetime as dt

import pytest

from riskscore.derive import derive_observation
from riskscore.errors import DataError
from riskscore.evidence import Evidence
from riskscore.model import load_model
from riskscore.profiles import Profile, SupplierMention
from riskscore.registry import load_registry
from support import ROOT, write

REGISTRY = """
[instruments.list_a]
label = "List A"
severity = 2

[instruments.list_b]
label = "List B"
severity = 3

[suppliers.early]
name = "Early Corp"
aliases = ["Early"]
country = "CN"

[[suppliers.early.listings]]
instrument = "list_a"
start = 2018-01-01
end = 2019-01-01
source = "Lifted after a year"

[suppliers.late]
name = "Late Corp"
country = "CN"

[[suppliers.late.listings]]
instrument = "list_b"
start = 2020-06-01
source = "Listed later"

[suppliers.local]
name = "Local Ltd"
country = "KZ"
"""


@pytest.fixture
def setup(tmp_path):
    registry = load_registry(write(tmp_path / "reg.toml", REGISTRY))
    model = load_model(ROOT / "config" / "model.toml")
    quote = (Evidence("article", quote="q"),)
    profile = Profile(tmp_path / "p.toml", "Testland", None, None, {}, tuple(
        SupplierMention(s, "surveillance", None, None, quote) for s in ("early", "late", "local")))
    return registry, model, profile


def value(setup, indicator, on):
    registry, model, profile = setup
    return derive_observation(model.indicators[indicator], profile, registry, on)


def test_a_listing_counts_only_while_in_force(setup):
    # 2018-06: Early listed (lifted 2019-01-01), Late not yet listed.
    assert value(setup, "sanctioned_suppliers", dt.date(2018, 6, 1)).value == 1
    # The lifted restriction stops counting on its end date.
    assert value(setup, "sanctioned_suppliers", dt.date(2019, 1, 1)).value == 0
    # A supplier listed after the as-of date does not count ...
    assert value(setup, "sanctioned_suppliers", dt.date(2020, 5, 31)).value == 0
    # ... and counts from its start date.
    later = value(setup, "sanctioned_suppliers", dt.date(2020, 6, 1))
    assert later.value == 1 and "Late Corp: List B since 2020-06-01" in later.derivation


def test_severity_is_the_worst_listing_in_force(setup):
    assert value(setup, "sanction_severity", dt.date(2018, 6, 1)).value == 2
    assert value(setup, "sanction_severity", dt.date(2019, 6, 1)).value == 0
    assert value(setup, "sanction_severity", dt.date(2021, 1, 1)).value == 3


def test_supplier_count_filters_by_home_country(setup):
    # prc_surveillance_vendors counts CN suppliers only: Early and Late, not Local (KZ).
    obs = value(setup, "prc_surveillance_vendors", dt.date(2019, 11, 19))
    assert obs.value == 2 and "Local" not in obs.derivation


def test_no_supplier_named_is_missing_not_zero(setup, tmp_path):
    registry, model, _ = setup
    empty = Profile(tmp_path / "p.toml", "Nowhere", None, None, {}, ())
    obs = derive_observation(model.indicators["sanctioned_suppliers"], empty, registry,
                             dt.date(2019, 11, 19))
    assert obs.value is None and "names no supplier" in obs.missing_reason


@pytest.mark.parametrize("edit, expected", [
    (lambda t: t.replace('instrument = "list_a"', 'instrument = "list_c"'),
     r"suppliers.early.listings\[0\].instrument: is 'list_c'"),
    (lambda t: t.replace("end = 2019-01-01", "end = 2017-01-01"),
     r"suppliers.early.listings\[0\].end: is 2017-01-01, not after start"),
    (lambda t: t.replace('country = "KZ"', 'country = "KZ"\nsanctioned = true'),
     "suppliers.local.sanctioned: is not a known key"),
])
def test_registry_errors(tmp_path, edit, expected):
    with pytest.raises(DataError, match=expected):
        load_registry(write(tmp_path / "reg.toml", edit(REGISTRY)))


def test_shipped_registry_dates_match_the_research_notes():
    registry = load_registry(ROOT / "config" / "suppliers.toml")
    nov_2019 = dt.date(2019, 11, 19)
    listed = {s.id for s in registry.suppliers.values() if s.listings_in_force(nov_2019)}
    # Hikvision and Dahua: Entity List 9 Oct 2019; Huawei: 16 May 2019; ZTE: section 889.
    assert {"huawei", "hikvision", "dahua", "zte"} <= listed
    # CEIEC's OFAC designation came a year after the article (30 Nov 2020).
    assert "ceiec" not in listed
    assert registry.suppliers["ceiec"].listings_in_force(dt.date(2020, 11, 30))


def test_a_supplier_counts_from_the_date_of_its_evidence(setup, tmp_path):
    registry, model, _ = setup
    quote = (Evidence("article", quote="q"),)
    profile = Profile(tmp_path / "p.toml", "Testland", None, None, {}, (
        SupplierMention("late", "surveillance", None, dt.date(2021, 1, 1), quote),))
    indicator = model.indicators["sanctioned_suppliers"]
    assert derive_observation(indicator, profile, registry, dt.date(2020, 12, 31)).value is None
    assert derive_observation(indicator, profile, registry, dt.date(2021, 1, 1)).value == 1
