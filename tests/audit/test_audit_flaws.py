"""Each flaw, planted in a model and data written here, is found with its level and culprit."""

from __future__ import annotations

import math

import pytest
from audit_support import by_code, project

from riskscore.analyses.audit import audit

BASE = """
[index]
id = "risk"
evidence_date = 2019-11-19

[nodes.a]
[nodes.b]

[indicators.x]
parent = "a"
goalposts = [0, 100]
unit = "%"
domain = "percent"

[indicators.y]
parent = "a"
goalposts = [0, 100]
unit = "%"
domain = "percent"

[indicators.k]
parent = "b"
goalposts = [0, 3]
domain = [0, 3]
integer = true

[indicators.z]
parent = "b"
goalposts = [0, 10]
domain = "nonnegative"
"""

GOOD = {
    "Alpha": {"x": 10, "y": 80, "k": 1, "z": 2},
    "Beta": {"x": 40, "y": 30, "k": 2, "z": 9},
    "Gamma": {"x": 70, "y": 50, "k": 0, "z": 5},
    "Delta": {"x": 90, "y": 20, "k": 3, "z": 1},
}


def run(tmp_path, model=BASE, edits=None):
    profiles = {e: dict(v) for e, v in GOOD.items()}
    for entity, values in (edits or {}).items():
        profiles[entity].update(values)
    config, directory = project(tmp_path, model, profiles)
    return audit(config, profiles=directory)


def test_clean_data_raises_no_warning_or_error(tmp_path):
    result = run(tmp_path)
    assert [f.code for f in result.strict_failures] == []
    assert result.summary()["passes_strict"] is True


def test_a_constant_indicator(tmp_path):
    result = run(tmp_path, edits={e: {"k": 2} for e in GOOD})
    (found,) = by_code(result, "zero-variance")
    assert (found.level, found.indicators, found.entity) == ("warning", ("k",), None)
    # By hand: k = 2 on goalposts [0, 3] normalises to 0.67 for everyone.
    assert "same normalised value (0.67; raw 2) for all 4 scored entities" in found.message
    assert "separates no one" in found.message


def test_one_indicator_entered_twice_under_two_ids(tmp_path):
    result = run(tmp_path, edits={e: {"y": v["x"]} for e, v in GOOD.items()})
    (found,) = by_code(result, "duplicate-indicator")
    assert (found.level, found.indicators) == ("warning", ("x", "y"))
    assert "identical raw and normalised values for all 4 entities" in found.message


def test_a_value_outside_its_domain(tmp_path):
    result = run(tmp_path, edits={"Beta": {"k": 7}, "Gamma": {"x": -5}})
    found = {(f.entity, f.indicator): f for f in by_code(result, "out-of-domain")}
    assert set(found) == {("Beta", "k"), ("Gamma", "x")}
    assert found[("Beta", "k")].level == "error"
    assert "values.k.value: is 7, outside the indicator's domain ([0, 3]" in found[("Beta", "k")].message
    assert "beta.toml" in found[("Beta", "k")].fix
    assert by_code(result, "clipped") == []  # impossible, not merely clipped


def test_a_value_beyond_a_goalpost_is_clipped_and_can_be_accepted(tmp_path):
    model = BASE
    result = run(tmp_path, model, edits={"Beta": {"z": 12.5}})
    (found,) = by_code(result, "clipped")
    assert (found.level, found.entity, found.indicators) == ("warning", "Beta", ("z",))
    assert "Beta's z is 12.5, above the upper goalpost 10 by 2.5: it counts as 10" in found.message
    accepted = run(tmp_path / "b", model + """
[[audit.accept]]
code = "clipped"
indicator = "z"
reason = "Ten is the cap by design, like the HDI's 18 years of schooling."
""", edits={"Beta": {"z": 12.5}})
    (found,) = by_code(accepted, "clipped")
    assert found.accepted and found.reason.startswith("Ten is the cap")
    assert accepted.summary()["passes_strict"] is True


def test_evidence_dated_after_the_as_of_date(tmp_path):
    result = run(tmp_path, edits={
        "Alpha": {"x": {"value": 10, "as_of": "2021-12-31"}},
        "Beta": {"y": {"value": 30, "date": "2024-05-01"}},
        "Gamma": {"y": {"value": 50, "date": "2022-07-01",
                        "retrospective": "The overview dates the law to 2018."}},
    })
    (later,) = by_code(result, "later-source")
    assert (later.level, later.entity, later.indicators) == ("warning", "Beta", ("y",))
    assert "(2024-05-01), published after the as-of date 2019-11-19" in later.message
    (retro,) = by_code(result, "retrospective-source")
    assert (retro.level, retro.entity) == ("note", "Gamma")
    assert "The overview dates the law to 2018." in retro.message
    # A value describing 2021 does not count on 2019-11-19: the engine leaves it out, the
    # audit says so, and the gap shows in the missing-data checks.
    (ignored,) = by_code(result, "later-observation")
    assert (ignored.level, ignored.entity, ignored.indicators) == ("note", "Alpha", ("x",))
    assert "(from 2021-12-31); they do not count on it, so it is missing" in ignored.message
    assert by_code(result, "time-leakage") == []
    assert ("Alpha", ("x",)) in {(f.entity, f.indicators) for f in by_code(result, "score-interval")}


def test_a_value_counted_although_it_describes_a_later_date_is_an_error(tmp_path):
    """Time leakage is an error: an engine that let a 2021 value count on 2019-11-19
    (simulated here by swapping one observation of the scored result) is caught."""
    import dataclasses
    import datetime as dt

    from riskscore.analyses.audit import audit_assessment
    from riskscore.engine.pipeline import assess

    config, directory = project(tmp_path, BASE, GOOD)
    result = assess(config, profiles=directory)
    observations = dict(result.observations)
    observations[("Alpha", "x")] = dataclasses.replace(observations[("Alpha", "x")],
                                                       as_of=dt.date(2021, 12, 31))
    leaked = audit_assessment(dataclasses.replace(result, observations=observations))
    (leak,) = by_code(leaked, "time-leakage")
    assert (leak.level, leak.entity, leak.indicators) == ("error", "Alpha", ("x",))
    assert "describes 2021-12-31, after the as-of date 2019-11-19" in leak.message


def test_one_source_behind_two_indicators(tmp_path):
    url = "https://example.org/one-report"
    result = run(tmp_path, edits={"Alpha": {"x": {"value": 10, "url": url},
                                            "z": {"value": 2, "url": url}}})
    (found,) = by_code(result, "shared-evidence")
    assert (found.level, found.entity, found.indicators) == ("warning", "Alpha", ("x", "z"))
    # By hand: equal weights, so each indicator is a quarter of the score. Alpha's x = 0.10,
    # y = 0.80, k = 1/3, z = 0.20: score 100 * (0.10 + 0.80 + 1/3 + 0.20) / 4 = 35.83;
    # x and z carry 100 * (0.10 + 0.20) / 4 = 7.5 points, 7.5 / 35.83 = 21%.
    assert "example.org/one-report" in found.message
    assert "7.5 points, 21% of its score 35.8" in found.message


def test_one_supplier_behind_two_indicators_by_name(tmp_path):
    """A supplier named in two values' quotes or judgements is one fact (data with a registry)."""
    model = BASE.replace('evidence_date = 2019-11-19', 'evidence_date = 2019-11-19\n'
                         'registry = "registry.toml"')
    (tmp_path / "registry.toml").write_text("""
[instruments.el]
label = "Entity List"
severity = 2

[suppliers.acme]
name = "Acme Surveillance Ltd"
aliases = ["Acme"]
country = "CN"
""")
    result = run(tmp_path, model, edits={"Delta": {
        "x": {"value": 90, "judgement": "Acme's share of the network."},
        "z": {"value": 1, "judgement": "One Acme project."}}})
    (found,) = by_code(result, "shared-evidence")
    assert (found.entity, found.indicators) == ("Delta", ("x", "z"))
    assert found.message.startswith("The supplier Acme Surveillance Ltd stands behind 2 of "
                                    "Delta's indicators")


COVERAGE = BASE.replace("[nodes.a]", "[nodes.a]\nmin_coverage = 0.6").replace(
    '[indicators.y]\nparent = "a"', '[indicators.y]\nparent = "a"\nweight = 2')


def test_a_coverage_cliff(tmp_path):
    """Node a needs 60% of its weight (x 1/3, y 2/3). Beta has only x: a is dropped with
    x's value; Gamma has only y (67%): one more gap and a is gone."""
    result = run(tmp_path, COVERAGE, edits={"Beta": {"y": None}, "Gamma": {"x": None}})
    (dropped,) = by_code(result, "dropped-node")
    assert (dropped.level, dropped.entity, dropped.indicators) == ("warning", "Beta", ("x",))
    assert "Beta's a is left out: 33% of its weight is observed, below its minimum coverage " \
           "of 60%, so its observed x count for nothing" in dropped.message
    # How far each entity is from the cliff, node by node (by hand: x is 1/3 of a, y 2/3).
    margins = {i["entity"]: i["nodes"]["a"] for i in result.intervals}
    assert margins["Beta"]["coverage"] == pytest.approx(1 / 3) and margins["Beta"]["left_out"]
    assert margins["Gamma"]["margin"] == pytest.approx(2 / 3 - 0.6)
    assert margins["Alpha"]["margin"] == pytest.approx(0.4) and not margins["Alpha"]["left_out"]
    (cliff,) = by_code(result, "coverage-cliff")
    assert (cliff.level, cliff.entity, cliff.indicators) == ("note", "Gamma", ("y",))
    assert "holds 67% of its weight against a minimum of 60%" in cliff.message


def test_judgement_proxy_and_single_source(tmp_path):
    result = run(tmp_path, edits={"Alpha": {
        "x": {"value": 10, "judgement": "Proxy: users connected, not equipment."},
        "y": {"value": 80, "judgement": "Coded from the law's text."}}})
    (proxy,) = by_code(result, "proxy")
    assert (proxy.level, proxy.entity, proxy.indicators) == ("warning", "Alpha", ("x",))
    assert {(f.entity, f.indicator) for f in by_code(result, "judgement")} == {("Alpha", "y")}
    singles = by_code(result, "single-source")
    assert len(singles) == 16 and {f.level for f in singles} == {"note"}


@pytest.mark.parametrize("accept, passes", [
    ('code = "proxy"\nindicator = "x"\nentity = "Alpha"', True),
    ('code = "proxy"\nindicator = "y"', False),
    ('code = "proxy"\nentity = "alpha"', True),   # entity names match case-insensitively
    ('code = "proxy"', True),                     # every indicator, every entity
])
def test_accepts_match_code_indicator_and_entity(tmp_path, accept, passes):
    model = BASE + f'\n[[audit.accept]]\n{accept}\nreason = "A proxy is all there is."\n'
    result = run(tmp_path, model, edits={"Alpha": {
        "x": {"value": 10, "judgement": "Proxy: users connected."}}})
    (proxy,) = by_code(result, "proxy")
    assert proxy.accepted is passes
    assert result.summary()["passes_strict"] is passes
    assert bool(by_code(result, "unused-accept")) is not passes


def test_errors_cannot_be_accepted_and_unknown_codes_are_named(tmp_path):
    model = BASE + """
[[audit.accept]]
code = "out-of-domain"
reason = "No."

[[audit.accept]]
code = "clipping"
reason = "A typo of clipped."
"""
    result = run(tmp_path, model, edits={"Beta": {"k": 7}})
    (error,) = by_code(result, "out-of-domain")
    assert error.level == "error" and not error.accepted
    (unknown,) = by_code(result, "unknown-accept")
    assert unknown.level == "warning" and "'clipping' is not an audit code" in unknown.message
    assert not result.summary()["passes_strict"]


def test_duplicates_in_a_wide_model_found_by_hand(tmp_path):
    """200 indicators, 4 entities; planted: i1 = i150 everywhere, i7 = i90 on every
    entity both have (i7 is missing on Alpha, the entity with most values, so the pair is
    not found by the sorted window there), i20 = i30 only on 2 entities (fewer than the 3
    a duplicate needs), i40 and i41 differing by 1 on one entity. Every other column is a
    distinct arithmetic sequence, so exactly the first two pairs are duplicates."""
    n, entities = 200, ["Alpha", "Beta", "Gamma", "Delta"]
    table = {e: [float(i + 0.001 * (k + 1) * (i + 1)) for i in range(n)]
             for k, e in enumerate(entities)}
    for e in entities:
        table[e][150] = table[e][1]
        table[e][90] = table[e][7]
        table[e][41] = table[e][40] + (1.0 if e == "Delta" else 0.0)
    table["Alpha"][7] = math.nan
    for e in ("Alpha", "Beta"):
        table[e][30] = table[e][20]
    lines = ["[index]", 'id = "risk"'] + [f"[indicators.i{i}]\ngoalposts = [0, 300]"
                                          for i in range(n)]
    (tmp_path / "wide.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = ["entity," + ",".join(f"i{i}" for i in range(n))]
    rows += [e + "," + ",".join("" if math.isnan(v) else repr(v) for v in table[e])
             for e in entities]
    (tmp_path / "wide.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = audit(tmp_path / "wide.toml", data=tmp_path / "wide.csv")
    assert sorted(f.indicators for f in by_code(result, "duplicate-indicator")) == [
        ("i1", "i150"), ("i7", "i90")]
