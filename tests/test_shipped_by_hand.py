"""Shipped-data scores derived by hand, independently of the program.

The inputs are a frozen copy of the shipped model, registry, article and two profiles
(tests/fixtures/shipped-2019-11-19/, copied at commit c4d5a49), so that revising the
shipped example does not break this test. The raw numbers are read from those files
with tomllib; every step after that -- which suppliers count, which listings are in
force, normalisation, weights, re-weighting over missing values, min_coverage and the
weighted means -- is written out below as plain arithmetic, and the result is compared
with ``riskscore score --format json``.

Published figures for comparison (README, reports/risk-report.md at that commit):
Tajikistan 63.7, Kazakhstan 40.1. Those counted AidData's commitments, a value that
describes 2021-12-31, in the index dated 2019-11-19; since values are dated (a value
counts on the as-of date only if the date it describes is on or before it), they are
Tajikistan 64.6 and Kazakhstan 52.1, derived below.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from riskscore.cli.main import cli

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "shipped-2019-11-19"


def read(relative: str) -> dict:
    return tomllib.loads((FIXTURE / relative).read_text(encoding="utf-8"))


MODEL = read("config/model.toml")
REGISTRY = read("config/suppliers.toml")
IND = MODEL["indicators"]
AS_OF = MODEL["index"]["evidence_date"]


def goalpost(indicator: str, value: float) -> float:
    """(x - lower) / (upper - lower), clipped to [0, 1]; every shipped indicator is higher-riskier."""
    assert IND[indicator].get("direction", "higher_is_riskier") == "higher_is_riskier"
    lower, upper = IND[indicator]["goalposts"]
    return min(1.0, max(0.0, (value - lower) / (upper - lower)))


def weight(indicator_or_node: str) -> float:
    table = IND if indicator_or_node in IND else MODEL["nodes"]
    return table[indicator_or_node].get("weight", 1.0)


def counted(profile: dict, on: dt.date) -> dict[str, float]:
    """The values that count on ``on``: those describing a date (their as_of, else the
    profile's) on or before it."""
    return {k: v["value"] for k, v in profile["values"].items()
            if "value" in v and v.get("as_of", profile["as_of"]) <= on}


def in_force(listing: dict, on: dt.date) -> bool:
    return listing["start"] <= on and ("end" not in listing or on < listing["end"])


def score_json() -> dict:
    result = CliRunner().invoke(cli, [
        "score", "--format", "json", "--config", str(FIXTURE / "config" / "model.toml"),
        "--profiles", str(FIXTURE / "seeds" / "profiles")])
    assert result.exit_code == 0, result.output
    return {r["entity"]: r for r in json.loads(result.output)["results"]}


def test_the_fixture_is_what_the_hand_computation_assumes():
    """The model's shape as used below: four equal dimensions, goalposts, arithmetic, reweight."""
    index = MODEL["index"]
    assert (index["scale"], index["aggregation"], index["missing"], index["normalisation"]) == (
        100, "arithmetic", "reweight", "goalposts")
    assert index["min_coverage"] == 0.5
    assert MODEL["index"]["evidence_date"].isoformat() == "2019-11-19"
    assert {n: weight(n) for n in MODEL["nodes"]} == {
        "vendor": 25, "sanctions": 25, "debt": 25, "data": 25}
    assert {n: v.get("min_coverage") for n, v in MODEL["nodes"].items()} == dict.fromkeys(
        MODEL["nodes"])   # so each dimension inherits the index's 0.5


def test_tajikistan_by_hand():
    profile = read("seeds/profiles/tajikistan.toml")
    values = counted(profile, AS_OF)
    # AidData's 2000-2021 commitments describe 2021: not yet observed on 2019-11-19.
    assert profile["values"]["debt_commitments_gdp"]["as_of"] == dt.date(2021, 12, 31)
    assert sorted(set(profile["values"]) - set(values)) == ["debt_commitments_gdp"]

    # Vendor. The profile names Huawei twice, once per role; only the surveillance role
    # counts for prc_surveillance_vendors (roles = surveillance, countries = CN).
    assert [(s["id"], s["role"]) for s in profile["suppliers"]] == [
        ("huawei", "surveillance"), ("huawei", "telecom")]
    assert IND["prc_surveillance_vendors"]["roles"] == ["surveillance"]
    assert REGISTRY["suppliers"]["huawei"]["country"] == "CN"
    vendors = 1                                                       # Huawei
    share = goalpost("vendor_telecom_share", values["vendor_telecom_share"])      # 90/100 = .9
    count = goalpost("prc_surveillance_vendors", vendors)                        # 1/4 = .25
    assert IND["prc_deal_value"]["transform"] == "log10"
    low, high = IND["prc_deal_value"]["goalposts"]                               # 1, 1000
    deal = (math.log10(values["prc_deal_value"]) - math.log10(low)) / (
        math.log10(high) - math.log10(low))                                      # log10(22)/3
    vendor = (weight("vendor_telecom_share") * share + weight("prc_surveillance_vendors") * count
              + weight("prc_deal_value") * deal) / (
        weight("vendor_telecom_share") + weight("prc_surveillance_vendors")
        + weight("prc_deal_value"))                                               # (1.8+.25+.447)/4

    # Sanctions. Huawei (either role) is one named supplier; on 2019-11-19 its Entity
    # List (2019-05-16, severity 2) and section 889 (2019-08-13, severity 1) listings are
    # in force, so 1 supplier is listed and the worst severity is 2.
    listings = [li for li in REGISTRY["suppliers"]["huawei"]["listings"] if in_force(li, AS_OF)]
    assert [li["instrument"] for li in listings] == ["bis_entity_list", "ndaa_889"]
    severity = max(REGISTRY["instruments"][li["instrument"]]["severity"] for li in listings)
    assert severity == 2
    listed = goalpost("sanctioned_suppliers", 1)                                 # 1/4
    worst = goalpost("sanction_severity", severity)                              # 2/3
    sanctions = (listed + worst) / 2          # both weigh 1

    # Debt: 45/60 (weight 2) and flag 1 (weight 1); the commitments (weight 1) do not
    # count yet, so the two present re-weight over 3 (coverage 3/4 >= 0.5).
    debt = (2 * goalpost("debt_share_external", values["debt_share_external"])
            + goalpost("debt_distress_flag", values["debt_distress_flag"])) / 3
    assert [weight(i) for i in ("debt_share_external", "debt_commitments_gdp",
                                "debt_distress_flag")] == [2, 1, 1]

    # Data: codes 1, 2, 1 on 0-2.
    data = (goalpost("localisation_gap", values["localisation_gap"])
            + goalpost("biometric_storage_opacity", values["biometric_storage_opacity"])
            + goalpost("dpa_independence_gap", values["dpa_independence_gap"])) / 3

    expected = 100 * (vendor + sanctions + debt + data) / 4
    # The same number with the fixture's values written in, as a check on the reading above.
    by_hand = 100 * ((1.8 + 0.25 + math.log10(22) / 3) / 4 + (0.25 + 2 / 3) / 2
                     + (1.5 + 1) / 3 + (0.5 + 1 + 0.5) / 3) / 4
    assert expected == pytest.approx(by_hand, rel=1e-14)
    assert round(expected, 1) == 64.6

    result = score_json()["Tajikistan"]
    assert result["score"] == pytest.approx(expected, rel=1e-12)
    assert result["nodes"]["vendor"] == pytest.approx(100 * vendor, rel=1e-12)
    assert result["nodes"]["sanctions"] == pytest.approx(100 * sanctions, rel=1e-12)
    assert result["nodes"]["debt"] == pytest.approx(100 * debt, rel=1e-12)
    assert result["nodes"]["data"] == pytest.approx(100 * data, rel=1e-12)
    # Arithmetic means share the score by weighted term: the vendor share's part is
    # 1/4 (dimension) * 2/4 (weight) * .9.
    assert result["contributions"]["vendor_telecom_share"] == pytest.approx(
        100 * 0.25 * 0.5 * share, rel=1e-12)


def test_kazakhstan_by_hand_with_reweighting_and_min_coverage():
    profile = read("seeds/profiles/kazakhstan.toml")
    values = counted(profile, AS_OF)
    missing = sorted(k for k, v in profile["values"].items() if "missing" in v)
    assert missing == ["debt_share_external", "prc_deal_value", "vendor_telecom_share"]

    # Vendor: only prc_surveillance_vendors is observed, weight 1 of 2 + 1 + 1 = 4: a
    # coverage of 1/4 < min_coverage 0.5, so the whole dimension is missing.
    surveillance = [s["id"] for s in profile["suppliers"] if s["role"] == "surveillance"]
    assert surveillance == ["hikvision", "dahua", "sergek"]
    cn = [s for s in surveillance if REGISTRY["suppliers"][s]["country"] == "CN"]
    assert cn == ["hikvision", "dahua"]                    # Sergek is Kazakh
    vendor_coverage = weight("prc_surveillance_vendors") / 4
    assert vendor_coverage < 0.5

    # Sanctions: named in either role are Hikvision, Dahua, Sergek and Huawei (telecom).
    named = list(dict.fromkeys(s["id"] for s in profile["suppliers"]))
    assert named == ["hikvision", "dahua", "sergek", "huawei"]
    listed = [s for s in named
              if any(in_force(li, AS_OF) for li in REGISTRY["suppliers"][s].get("listings", []))]
    assert listed == ["hikvision", "dahua", "huawei"]
    # Hikvision and Dahua: section 889 (1) and Entity List (2); Huawei likewise: worst 2.
    severity = 2
    sanctions = (goalpost("sanctioned_suppliers", len(listed))                   # 3/4
                 + goalpost("sanction_severity", severity)) / 2                  # 2/3

    # Debt: the share (weight 2) is missing and the commitments (weight 1) describe 2021,
    # after the as-of date; only the flag (weight 1) counts: a coverage of 1/4 < 0.5, so
    # the whole dimension is missing.
    assert "debt_commitments_gdp" not in values and values["debt_distress_flag"] == 0

    data = (goalpost("localisation_gap", values["localisation_gap"])            # 0
            + goalpost("biometric_storage_opacity", values["biometric_storage_opacity"])
            + goalpost("dpa_independence_gap", values["dpa_independence_gap"])) / 3

    # The index re-weights over the two dimensions present (coverage 2/4 >= 0.5).
    expected = 100 * (sanctions + data) / 2
    by_hand = 100 * ((0.75 + 2 / 3) / 2 + (0 + 0.5 + 0.5) / 3) / 2
    assert expected == pytest.approx(by_hand, rel=1e-14)
    assert round(expected, 1) == 52.1

    result = score_json()["Kazakhstan"]
    assert result["score"] == pytest.approx(expected, rel=1e-12)
    assert result["nodes"]["vendor"] is None
    assert result["nodes"]["sanctions"] == pytest.approx(100 * sanctions, rel=1e-12)
    assert result["nodes"]["debt"] is None
    assert result["nodes"]["data"] == pytest.approx(100 * data, rel=1e-12)
