"""The dated registry: what counts as sanctioned depends on the as-of date."""

from __future__ import annotations

import datetime as dt

import pytest

from riskscore.errors import DataError
from riskscore.inputs.derive import derive_observation
from riskscore.inputs.profiles import Profile, SupplierMention
from riskscore.inputs.registry import Instrument, Listing, load_registry
from riskscore.model.evidence import Evidence
from riskscore.model.loader import load_model
from support import EXAMPLE, write

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
url = "https://example.org/early"

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


# One indicator per derivation, so these tests do not depend on the shipped model.
MODEL = """
[index]
id = "risk"

[indicators.prc_surveillance_vendors]
goalposts = [0, 4]
derive = "supplier_count"
countries = ["CN"]

[indicators.sanctioned_suppliers]
goalposts = [0, 4]
derive = "listed_supplier_count"

[indicators.sanction_severity]
goalposts = [0, 3]
derive = "max_listing_severity"

[indicators.severity_sum]
goalposts = [0, 8]
derive = "listing_severity_sum"
"""


@pytest.fixture
def setup(tmp_path):
    registry = load_registry(write(tmp_path / "reg.toml", REGISTRY))
    model = load_model(write(tmp_path / "model.toml", MODEL))
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


def test_severity_sum_counts_each_listed_supplier_once_by_its_worst_listing(setup, tmp_path):
    # 2018-06: Early on List A (2) -> 2; 2019-06: nothing in force -> 0;
    # 2021: Late on List B (3) -> 3.
    assert value(setup, "severity_sum", dt.date(2018, 6, 1)).value == 2
    assert value(setup, "severity_sum", dt.date(2019, 6, 1)).value == 0
    later = value(setup, "severity_sum", dt.date(2021, 1, 1))
    assert later.value == 3 and "(Late Corp 3)" in later.derivation
    # Both listed at once: 2 + 3 = 5, Early counted once although named in two roles.
    registry, model, _ = setup
    both = write(tmp_path / "both.toml", REGISTRY.replace("end = 2019-01-01", "end = 2022-01-01"))
    quote = (Evidence("article", quote="q"),)
    profile = Profile(tmp_path / "p.toml", "Testland", None, None, {}, (
        SupplierMention("early", "surveillance", None, None, quote),
        SupplierMention("early", "telecom", None, None, quote),
        SupplierMention("late", "surveillance", None, None, quote)))
    obs = derive_observation(model.indicators["severity_sum"], profile, load_registry(both),
                             dt.date(2021, 1, 1))
    assert obs.value == 5


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
    registry = load_registry(EXAMPLE / "config" / "suppliers.toml")
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


# ---- registry reading: every check, with the whole message --------------------------

def registry_error(tmp_path, text) -> str:
    with pytest.raises(DataError) as excinfo:
        load_registry(write(tmp_path / "reg.toml", text))
    return str(excinfo.value)


def test_a_zero_length_listing_is_refused(tmp_path):
    text = REGISTRY.replace("end = 2019-01-01", "end = 2018-01-01")
    assert registry_error(tmp_path, text) == (
        f"{tmp_path / 'reg.toml'}: suppliers.early.listings[0].end: is 2018-01-01, not after "
        "start 2018-01-01; expected a date after start")


def test_a_listing_needs_a_start_date(tmp_path):
    text = REGISTRY.replace("start = 2020-06-01\n", "")
    assert registry_error(tmp_path, text).startswith(
        f"{tmp_path / 'reg.toml'}: suppliers.late.listings[0].start: is missing")


@pytest.mark.parametrize("edit, key", [
    (lambda t: t.replace('label = "List A"\n', ""), "instruments.list_a.label: is missing"),
    (lambda t: t.replace("severity = 2\n", ""), "instruments.list_a.severity: is missing"),
    (lambda t: t.replace('instrument = "list_b"\n', ""),
     "suppliers.late.listings[0].instrument: is missing"),
    (lambda t: t.replace('source = "Listed later"\n', ""),
     "suppliers.late.listings[0].source: is missing"),
    (lambda t: t.replace('name = "Late Corp"\n', ""), "suppliers.late.name: is missing"),
    (lambda t: t.replace('name = "Local Ltd"\ncountry = "KZ"\n', 'name = "Local Ltd"\n'),
     "suppliers.local.country: is missing"),
    (lambda t: t.replace("severity = 2", "severity = -1"),
     "instruments.list_a.severity: is -1; expected a number >= 0"),
    (lambda t: t.replace('source = "Listed later"', 'source = "Listed later"\nwhen = 1'),
     "suppliers.late.listings[0].when: is not a known key"),
    (lambda t: t + "\n[other]\nx = 1\n", "other: is not a known key"),
])
def test_required_keys_and_unknown_keys(tmp_path, edit, key):
    assert f"reg.toml: {key}" in registry_error(tmp_path, edit(REGISTRY))


def test_unknown_instrument_lists_the_declared_ones(tmp_path):
    text = REGISTRY.replace('instrument = "list_a"', 'instrument = "list_c"')
    assert registry_error(tmp_path, text) == (
        f"{tmp_path / 'reg.toml'}: suppliers.early.listings[0].instrument: is 'list_c', which is "
        "not declared under [instruments]; expected one of list_a, list_b")


def test_a_registry_without_suppliers_is_refused(tmp_path):
    text = REGISTRY.split("[suppliers.early]")[0]
    assert registry_error(tmp_path, text) == (
        f"{tmp_path / 'reg.toml'}: declares no [suppliers.*] tables; expected at least one supplier")


def test_registry_reads_every_field(tmp_path):
    text = REGISTRY.replace('source = "Lifted after a year"',
                            'source = "Lifted after a year"\nnote = "A note"')
    registry = load_registry(write(tmp_path / "reg.toml", text))
    assert registry.path == tmp_path / "reg.toml"
    assert registry.instruments["list_b"] == Instrument("list_b", "List B", 3.0)
    early = registry.get("early")
    assert (early.id, early.name, early.aliases, early.country) == (
        "early", "Early Corp", ("Early",), "CN")
    assert early.listings == (Listing(registry.instruments["list_a"], dt.date(2018, 1, 1),
                                      dt.date(2019, 1, 1), "Lifted after a year",
                                      "https://example.org/early", "A note"),)
    late = registry.get("late").listings[0]
    assert (late.end, late.url, late.note) == (None, None, None)
    assert registry.get("local").aliases == () and registry.get("local").listings == ()
    assert registry.get("nobody") is None


def test_a_severity_zero_instrument_loads_and_counts_as_listed(tmp_path):
    text = REGISTRY.replace("severity = 2", "severity = 0")
    registry = load_registry(write(tmp_path / "reg.toml", text))
    assert registry.instruments["list_a"].severity == 0
    model = load_model(EXAMPLE / "config" / "model.toml")
    profile = Profile(tmp_path / "p.toml", "Testland", None, None, {}, (
        SupplierMention("early", "surveillance", None, None, (Evidence("article", quote="q"),)),))
    on = dt.date(2018, 6, 1)
    listed = derive_observation(model.indicators["sanctioned_suppliers"], profile, registry, on)
    worst = derive_observation(model.indicators["sanction_severity"], profile, registry, on)
    assert (listed.value, worst.value) == (1, 0)
    assert worst.derivation == ("worst listing in force on 2018-06-01 has severity 0: "
                                "Early: List A since 2018-01-01")


# ---- derivation: roles, countries, article-only, and the explanation text --------------

@pytest.fixture
def mixed(tmp_path):
    """Early (CN) for surveillance, Late (CN) for telecom, Local (KZ) for surveillance;
    Late is backed only by an external source."""
    registry = load_registry(write(tmp_path / "reg.toml", REGISTRY))
    model = load_model(EXAMPLE / "config" / "model.toml")
    quote = (Evidence("article", quote="q"),)
    external = (Evidence("external", source="S", url="https://example.org", date=dt.date(2019, 1, 1)),)
    profile = Profile(tmp_path / "p.toml", "Testland", None, None, {}, (
        SupplierMention("early", "surveillance", None, None, quote),
        SupplierMention("late", "telecom", None, None, external),
        SupplierMention("local", "surveillance", None, None, quote)))
    return registry, model, profile


def derive(mixed, indicator, on, article_only=False):
    registry, model, profile = mixed
    return derive_observation(model.indicators[indicator], profile, registry, on, article_only)


def test_a_telecom_supplier_is_not_a_surveillance_vendor(mixed):
    # prc_surveillance_vendors: role surveillance, country CN -> Early only.
    obs = derive(mixed, "prc_surveillance_vendors", dt.date(2021, 1, 1))
    assert obs.value == 1
    assert obs.derivation == "1 supplier(s) named (surveillance): Early"
    # sanctioned_suppliers takes both roles: Early (lifted by then) and Late count as named.
    listed = derive(mixed, "sanctioned_suppliers", dt.date(2021, 1, 1))
    assert listed.value == 1
    assert listed.derivation == ("1 of 3 named supplier(s) listed on 2021-01-01: "
                                 "Late Corp: List B since 2020-06-01")
    assert listed.as_of == dt.date(2021, 1, 1)


def test_article_only_drops_externally_backed_suppliers(mixed):
    listed = derive(mixed, "sanctioned_suppliers", dt.date(2021, 1, 1), article_only=True)
    assert listed.value == 0
    assert listed.derivation == "0 of 2 named supplier(s) listed on 2021-01-01: none of Early, " \
                                "Local Ltd listed"
    worst = derive(mixed, "sanction_severity", dt.date(2021, 1, 1), article_only=True)
    assert worst.value == 0.0
    assert worst.derivation == ("worst listing in force on 2021-01-01 has severity 0: "
                                "none of Early, Local Ltd listed")
    # With every source, Late's severity 3 is the worst.
    assert derive(mixed, "sanction_severity", dt.date(2021, 1, 1)).value == 3


def test_derived_evidence_names_the_listing(mixed):
    obs = derive(mixed, "sanctioned_suppliers", dt.date(2018, 6, 1))
    assert obs.value == 1
    listing = obs.evidence[-1]
    assert (listing.kind, listing.source, listing.url, listing.date, listing.note) == (
        "external", "Lifted after a year", "https://example.org/early", dt.date(2018, 1, 1),
        "List A: Early Corp")
    # The mentions' own evidence comes first, then the listings in force.
    assert len(obs.evidence) == 4
    assert obs.entity == "Testland" and obs.indicator == "sanctioned_suppliers"


def test_missing_derivation_says_which_role_and_country(mixed, tmp_path):
    registry, model, _ = mixed
    empty = Profile(tmp_path / "p.toml", "Nowhere", None, None, {}, ())
    obs = derive_observation(model.indicators["prc_surveillance_vendors"], empty, registry,
                             dt.date(2019, 11, 19))
    assert obs.value is None and obs.as_of == dt.date(2019, 11, 19)
    assert obs.missing_reason == "the profile names no supplier in the role surveillance from CN"
    obs = derive_observation(model.indicators["sanctioned_suppliers"], empty, registry,
                             dt.date(2019, 11, 19), True)
    assert obs.missing_reason == ("the profile names no article-quoted supplier in the role "
                                  "surveillance/telecom")


def test_a_supplier_named_twice_counts_once(tmp_path):
    registry = load_registry(write(tmp_path / "reg.toml", REGISTRY))
    model = load_model(EXAMPLE / "config" / "model.toml")
    quote = (Evidence("article", quote="q"),)
    profile = Profile(tmp_path / "p.toml", "T", None, None, {}, (
        SupplierMention("early", "surveillance", "one", None, quote),
        SupplierMention("early", "telecom", "two", None, quote)))
    obs = derive_observation(model.indicators["sanctioned_suppliers"], profile, registry,
                             dt.date(2018, 6, 1))
    assert obs.value == 1 and obs.derivation.startswith("1 of 1 named supplier(s)")


def test_several_listings_and_suppliers_in_one_derivation(tmp_path):
    text = REGISTRY + """
[[suppliers.late.listings]]
instrument = "list_a"
start = 2020-07-01
source = "A second list"

[[suppliers.local.listings]]
instrument = "list_b"
start = 2020-01-01
source = "Local listed too"
"""
    registry = load_registry(write(tmp_path / "reg.toml", text))
    model = load_model(EXAMPLE / "config" / "model.toml")
    quote = (Evidence("article", quote="q"),)
    profile = Profile(tmp_path / "p.toml", "T", None, None, {}, tuple(
        SupplierMention(s, "telecom", None, None, quote) for s in ("early", "late", "local")))
    obs = derive_observation(model.indicators["sanctioned_suppliers"], profile, registry,
                             dt.date(2020, 8, 1))
    assert obs.value == 2
    assert obs.derivation == ("2 of 3 named supplier(s) listed on 2020-08-01: Late Corp: List B "
                              "since 2020-06-01, List A since 2020-07-01; Local Ltd: List B since "
                              "2020-01-01")
    assert obs.suppliers == ("early", "late", "local")
    assert (obs.entity, obs.indicator, obs.as_of) == ("T", "sanctioned_suppliers",
                                                     dt.date(2020, 8, 1))


def test_a_missing_derivation_names_entity_indicator_and_every_country(mixed, tmp_path):
    import dataclasses

    registry, model, _ = mixed
    empty = Profile(tmp_path / "p.toml", "Nowhere", None, None, {}, ())
    indicator = dataclasses.replace(model.indicators["prc_surveillance_vendors"],
                                    countries=("CN", "KZ"))
    obs = derive_observation(indicator, empty, registry, dt.date(2019, 11, 19))
    assert (obs.entity, obs.indicator, obs.value) == ("Nowhere", "prc_surveillance_vendors", None)
    assert obs.missing_reason == ("the profile names no supplier in the role surveillance "
                                  "from CN/KZ")


# ---- collecting mode (riskscore validate): bad items are recorded and left out --------

def test_collecting_leaves_out_a_supplier_with_a_bad_listing(tmp_path):
    from riskscore.support.problems import Collector

    text = REGISTRY.replace('instrument = "list_b"', 'instrument = "list_c"').replace(
        "severity = 2\n", "")
    collector = Collector()
    registry = load_registry(write(tmp_path / "reg.toml", text), collector)
    # list_a has no severity, so Early's listing of it fails too; Late's names list_c.
    assert sorted(registry.instruments) == ["list_b"]
    assert sorted(registry.suppliers) == ["local"]
    assert [p.key for p in collector.errors] == [
        "instruments.list_a.severity", "suppliers.early.listings[0].instrument",
        "suppliers.late.listings[0].instrument"]


def test_collecting_with_no_valid_supplier_says_so(tmp_path):
    from riskscore.support.problems import Collector

    text = REGISTRY.split("[suppliers.early]")[0] + (
        '[suppliers.bad]\nname = "Bad"\ncountry = "CN"\n[[suppliers.bad.listings]]\n'
        'instrument = "nope"\nstart = 2019-01-01\nsource = "S"\n')
    collector = Collector()
    with pytest.raises(DataError) as excinfo:
        load_registry(write(tmp_path / "reg.toml", text), collector)
    assert str(excinfo.value) == (f"{tmp_path / 'reg.toml'}: has no valid [suppliers.*] table; "
                                  "expected at least one supplier")
    assert len(collector.errors) == 1


def test_malformed_registry_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="malformed TOML"):
        load_registry(write(tmp_path / "reg.toml", "[suppliers\n"))


# ---- known_at: only what was announced by then counts --------------------------------

KNOWN = REGISTRY.replace('start = 2020-06-01\nsource = "Listed later"',
                         'start = 2020-06-01\npublished = 2020-05-20\nsource = "Listed later"'
                         ).replace('end = 2019-01-01\n', 'end = 2019-01-01\nend_published = 2019-03-01\n')


def test_listings_as_known_on_a_date(tmp_path):
    registry = load_registry(write(tmp_path / "reg.toml", KNOWN))
    early, late = registry.get("early").listings[0], registry.get("late").listings[0]
    assert (late.published, late.announced, late.published_assumed) == (
        dt.date(2020, 5, 20), dt.date(2020, 5, 20), False)
    assert (early.announced, early.published_assumed, early.end_published) == (
        dt.date(2018, 1, 1), True, dt.date(2019, 3, 1))
    # Late, announced 2020-05-20, in force from 2020-06-01.
    assert late.in_force(dt.date(2020, 6, 1), known_at=dt.date(2020, 5, 20))
    assert not late.in_force(dt.date(2020, 6, 1), known_at=dt.date(2020, 5, 19))
    assert not late.in_force(dt.date(2020, 5, 31), known_at=dt.date(2020, 6, 30))
    # Early's end on 2019-01-01 was announced on 2019-03-01: until then it looked in force.
    assert early.in_force(dt.date(2019, 2, 1), known_at=dt.date(2019, 2, 28))
    assert not early.in_force(dt.date(2019, 2, 1), known_at=dt.date(2019, 3, 1))
    assert not early.in_force(dt.date(2019, 2, 1))
    assert early.in_force(dt.date(2018, 6, 1), known_at=dt.date(2018, 1, 1))
    assert not early.in_force(dt.date(2018, 6, 1), known_at=dt.date(2017, 12, 31))
    assert [li.source for li in registry.get("late").listings_in_force(
        dt.date(2020, 7, 1), dt.date(2020, 5, 19))] == []
    assert [li.source for li in registry.get("late").listings_in_force(
        dt.date(2020, 7, 1), dt.date(2020, 5, 20))] == ["Listed later"]


def test_an_end_announced_without_an_end_is_refused(tmp_path):
    text = REGISTRY.replace('start = 2020-06-01\n', 'start = 2020-06-01\nend_published = 2021-01-01\n')
    assert registry_error(tmp_path, text) == (
        f"{tmp_path / 'reg.toml'}: suppliers.late.listings[0].end_published: is given without "
        "end; expected an end date first")


def test_derivation_as_known_on_a_date(tmp_path):
    registry = load_registry(write(tmp_path / "reg.toml", KNOWN))
    model = load_model(EXAMPLE / "config" / "model.toml")
    quote = (Evidence("article", quote="q"),)
    profile = Profile(tmp_path / "p.toml", "T", None, None, {}, (
        SupplierMention("late", "surveillance", None, None, quote, dt.date(2020, 4, 1)),
        SupplierMention("early", "surveillance", None, None, quote, dt.date(2020, 5, 25)),
        SupplierMention("local", "surveillance", None, None, quote, None)))
    listed = model.indicators["sanctioned_suppliers"]
    on = dt.date(2020, 7, 1)
    # Known on 2020-05-22: only Late's mention is published (Early's comes 2020-05-25, Local's
    # never), and Late's listing was announced on 2020-05-20.
    obs = derive_observation(listed, profile, registry, on, known_at=dt.date(2020, 5, 22))
    assert obs.value == 1 and obs.suppliers == ("late",)
    assert obs.derivation == ("1 of 1 named supplier(s) listed on 2020-07-01: Late Corp: List B "
                              "since 2020-06-01 (as known on 2020-05-22)")
    # The observation is as recent as its newest input: Late's listing (2020-05-20) is newer
    # than Late's mention (2020-04-01).
    assert obs.published == dt.date(2020, 5, 20)
    # A day before the listing was announced, Late counts as named but not as listed.
    obs = derive_observation(listed, profile, registry, on, known_at=dt.date(2020, 5, 19))
    assert obs.value == 0 and obs.published == dt.date(2020, 4, 1)
    # On the mention's own publication date it counts.
    obs = derive_observation(listed, profile, registry, on, known_at=dt.date(2020, 5, 25))
    assert obs.suppliers == ("late", "early")
    # Supplier counts take their date from the mentions only.
    count = derive_observation(model.indicators["prc_surveillance_vendors"], profile, registry,
                               on, known_at=dt.date(2020, 5, 22))
    assert count.value == 1 and count.published == dt.date(2020, 4, 1)
    # Without known_at every mention counts, whatever its publication date.
    assert derive_observation(listed, profile, registry, on).suppliers == ("late", "early", "local")


def test_collecting_reports_every_unknown_key_and_non_table_entry(tmp_path):
    from riskscore.support.problems import Collector

    text = REGISTRY.replace('country = "KZ"', 'country = "KZ"\nsanctioned = true\nrank = 1') \
        .replace("[suppliers.early]", "[suppliers]\nstray = 1\n\n[suppliers.early]")
    collector = Collector()
    registry = load_registry(write(tmp_path / "reg.toml", text), collector)
    assert sorted(registry.suppliers) == ["early", "late"]
    assert sorted(p.key for p in collector.errors) == [
        "suppliers.local.rank", "suppliers.local.sanctioned", "suppliers.stray"]


def test_derivation_texts_in_full(tmp_path):
    # Early's restriction extended to 2022, so on 2021-01-01 both Early (List A, severity 2)
    # and Late (List B, severity 3) are listed; neither listing gives its announcement date.
    registry = load_registry(write(tmp_path / "both.toml",
                                   REGISTRY.replace("end = 2019-01-01", "end = 2022-01-01")))
    model = load_model(write(tmp_path / "model.toml", MODEL))
    quote = (Evidence("article", quote="q"),)
    profile = Profile(tmp_path / "p.toml", "Testland", None, None, {}, tuple(
        SupplierMention(s, "surveillance", None, None, quote, dt.date(2017, 1, 1))
        for s in ("early", "late", "local")))
    total = model.indicators["severity_sum"]
    on, known = dt.date(2021, 1, 1), dt.date(2021, 1, 1)
    obs = derive_observation(total, profile, registry, on)
    assert obs.value == 5
    assert obs.derivation == (
        "severity sum 5 over 2 of 3 named supplier(s) listed on 2021-01-01 (Early 2 + Late Corp 3)"
        ": Early: List A since 2018-01-01; Late Corp: List B since 2020-06-01")
    # As known on a date, the two listings' start dates stand in for their announcements.
    obs = derive_observation(total, profile, registry, on, known_at=known)
    assert obs.derivation.endswith(
        "Late Corp: List B since 2020-06-01 (as known on 2021-01-01; 2 listing(s) without an "
        "announcement date in the registry: their start date is taken as announced)")
    # Supplier counts do not read the registry, so they make no such assumption. (The
    # indicator declares no roles, so it takes every role the model knows.)
    count = derive_observation(model.indicators["prc_surveillance_vendors"], profile, registry,
                               on, known_at=known)
    assert count.derivation == ("2 supplier(s) named (surveillance/telecom): Early, Late Corp "
                                "(as known on 2021-01-01)")
    # Nothing in force (before Early's start): the sum is 0 and says so.
    early_on = dt.date(2017, 6, 1)
    obs = derive_observation(total, profile, registry, early_on, known_at=known)
    assert obs.value == 0
    assert obs.derivation == ("severity sum 0 over 0 of 3 named supplier(s) listed on 2017-06-01 "
                              "(none): none of Early, Late Corp, Local Ltd listed "
                              "(as known on 2021-01-01)")
