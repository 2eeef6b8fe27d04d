"""Domains (what values are possible) and documented absence (a value, not a gap)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from riskscore.analyses.explain import evidence_rows, explain
from riskscore.cli.main import cli
from riskscore.engine.pipeline import assess
from riskscore.errors import ConfigError, DataError
from riskscore.inputs.profiles import load_profiles
from riskscore.model.domains import Domain
from riskscore.model.evidence import Article
from riskscore.model.loader import load_model
from support import write

MODEL = """
[index]
id = "risk"

[indicators.share]
goalposts = [0, 60]
unit = "%"
domain = "percent"

[indicators.code]
goalposts = [0, 2]
domain = [0, 2]
integer = true

[indicators.deal]
goalposts = [1, 1000]
transform = "log10"
unit = "US$ million"
domain = "positive"
"""

ARTICLE_TEXT = "Nobody has found a priced deal in Alpha. Alpha's debt is large."

PROFILE = """
entity = "Alpha"
as_of = 2019-11-19

[values.share]
value = 30
[[values.share.evidence]]
kind = "article"
quote = "Alpha's debt is large."

[values.code]
value = 1
[[values.code.evidence]]
kind = "article"
quote = "Alpha's debt is large."

[values.deal]
absent = "No priced deal found in the article or the AidData records."
[[values.deal.evidence]]
kind = "article"
quote = "Nobody has found a priced deal in Alpha."
"""


def project(tmp_path, profile=PROFILE, model=MODEL):
    write(tmp_path / "model.toml", model)
    write(tmp_path / "seeds" / "article.txt", ARTICLE_TEXT)
    write(tmp_path / "seeds" / "profiles" / "alpha.toml", profile)
    return tmp_path / "model.toml", tmp_path / "seeds" / "profiles"


@pytest.mark.parametrize("domain, value, problem", [
    (Domain.named("percent"), -5, "is -5, outside the indicator's domain (percent: a number from 0 to 100)"),
    (Domain.named("percent"), 100.5, "is 100.5, outside"),
    (Domain.between(0, 2, integer=True), 7, "is 7, outside the indicator's domain ([0, 2]: "
                                             "a whole number from 0 to 2)"),
    (Domain.between(0, 2, integer=True), 1.5, "is 1.5, not a whole number"),
    (Domain.named("count"), 2.5, "is 2.5, not a whole number"),
    (Domain.named("count"), -1, "outside"),
    (Domain.named("positive"), 0, "is 0, outside the indicator's domain (positive: a number > 0)"),
    (Domain.named("binary"), 2, "outside"),
])
def test_impossible_values_are_named(domain, value, problem):
    assert problem in domain.problem(value)


@pytest.mark.parametrize("domain, value", [
    (Domain.named("percent"), 0), (Domain.named("percent"), 100), (Domain.named("share"), 0.5),
    (Domain.between(0, 2, integer=True), 2), (Domain.named("count"), 4000),
    (Domain.named("positive"), 1e-9), (Domain.named("real"), -1e9),
])
def test_possible_values_pass(domain, value):
    assert domain.problem(value) is None


def test_model_reads_domains_and_the_no_risk_value(tmp_path):
    config, _ = project(tmp_path)
    model = load_model(config)
    assert model.indicators["share"].domain == Domain("percent", 0, 100)
    assert model.indicators["code"].domain == Domain("[0, 2]", 0, 2, integer=True)
    # The documented-absent value defaults to the goalpost at the no-risk end.
    assert model.indicators["deal"].no_risk_value == 1
    flipped = load_model(write(tmp_path / "m2.toml", MODEL.replace(
        'domain = "percent"', 'domain = "percent"\ndirection = "lower_is_riskier"')))
    assert flipped.indicators["share"].no_risk_value == 60


@pytest.mark.parametrize("edit, message", [
    (lambda m: m.replace('domain = "percent"', 'domain = "percentage"'),
     "indicators.share.domain: is 'percentage'; expected one of 'percent'"),
    (lambda m: m.replace('domain = [0, 2]\n', ''), "indicators.code.integer: is set without domain"),
    (lambda m: m.replace('domain = [0, 2]', 'domain = [2, 0]'),
     r"indicators.code.domain: is \[2, 0\]; expected lower < upper"),
    (lambda m: m.replace('domain = [0, 2]', 'domain = [0, 2]\nabsent_value = 3'),
     "indicators.code.absent_value: gives the documented-absent value 3, which is 3, outside"),
    (lambda m: m.replace('domain = "positive"', 'domain = "positive"\nabsent_value = 0'),
     "indicators.deal.absent_value: gives the documented-absent value 0"),
])
def test_model_domain_errors_name_the_key(tmp_path, edit, message):
    with pytest.raises(ConfigError, match=message):
        load_model(write(tmp_path / "model.toml", edit(MODEL)))


@pytest.mark.parametrize("edit, message", [
    (lambda p: p.replace("value = 30", "value = -5"),
     r"alpha.toml: values.share.value: is -5, outside the indicator's domain \(percent"),
    (lambda p: p.replace("value = 1\n", "value = 7\n"),
     r"values.code.value: is 7, outside .*; expected a whole number from 0 to 2"),
    (lambda p: p.replace("value = 30", "value = 30\nupper = 120"),
     r"values.share.upper: is 120, outside"),
    (lambda p: p.replace('absent = "No priced', 'value = 5\nabsent = "No priced'),
     "values.deal.value: is given together with absent"),
    (lambda p: p.replace('absent = "No priced', 'missing = "x"\nabsent = "No priced'),
     "values.deal.absent: is given together with missing"),
    (lambda p: p.split("[[values.deal.evidence]]")[0],
     "values.deal.evidence: is missing; expected evidence that documents the absence"),
])
def test_profiles_refuse_impossible_values(tmp_path, edit, message):
    config, profiles = project(tmp_path, edit(PROFILE))
    model = load_model(config)
    with pytest.raises(DataError, match=message):
        load_profiles(profiles, model, Article.load(tmp_path / "seeds" / "article.txt"), None)


def test_score_refuses_an_out_of_domain_value_with_one_message(tmp_path):
    config, profiles = project(tmp_path, PROFILE.replace("value = 1\n", "value = 7\n"))
    run = CliRunner().invoke(cli, ["score", "--config", str(config), "--profiles", str(profiles)])
    assert run.exit_code == 1
    assert "values.code.value: is 7, outside the indicator's domain" in run.output
    assert "Traceback" not in run.output


def test_a_table_cell_outside_its_domain_is_an_error(tmp_path):
    config, _ = project(tmp_path)
    data = write(tmp_path / "data.csv", "entity,share,code,deal\nAlpha,-5,1,10\n")
    run = CliRunner().invoke(cli, ["score", "--config", str(config), "--data", str(data)])
    assert run.exit_code == 1
    assert "line 2, column share: is -5, outside the indicator's domain" in run.output


def test_documented_absence_is_a_no_risk_value_not_a_gap(tmp_path):
    config, profiles = project(tmp_path)
    result = assess(config, profiles=profiles)
    obs = result.observations[("Alpha", "deal")]
    assert obs.is_absent and not obs.is_missing and obs.value == 1
    # By hand: share 30/60 = 0.5, code 1/2 = 0.5, deal at its lower goalpost = 0; equal weights.
    assert result.scores[0] == pytest.approx(100 * (0.5 + 0.5 + 0) / 3)
    assert result.observed_count(0) == (3, 3)
    row = next(r for r in explain(result, "Alpha")["rows"] if r["indicator"] == "deal")
    assert row["status"] == "documented absent"
    assert row["value"] == "absent (1)"
    assert "DOCUMENTED ABSENT" in row["evidence"] and "No priced deal found" in row["evidence"]
    (ev,) = [r for r in evidence_rows(result, "Alpha") if r["indicator"] == "deal"]
    assert ev["absent"].startswith("No priced deal") and ev["kind"] == "article"


def test_missing_stays_unknown_beside_absent(tmp_path):
    profile = PROFILE.replace('absent = "No priced deal found in the article or the AidData records."',
                              'missing = "Not searched yet."')
    config, profiles = project(tmp_path, profile)
    result = assess(config, profiles=profiles)
    assert result.observations[("Alpha", "deal")].is_missing
    assert result.scores[0] == pytest.approx(100 * (0.5 + 0.5) / 2)  # re-weighted over two
    run = CliRunner().invoke(cli, ["explain", "Alpha", "--config", str(tmp_path / "model.toml"),
                                   "--profiles", str(profiles), "--format", "json"])
    statuses = {r["indicator"]: r["status"] for r in json.loads(run.output)["rows"]}
    assert statuses == {"share": "observed", "code": "observed", "deal": "missing"}


def test_the_model_accepts_audit_findings_with_reasons(tmp_path):
    text = MODEL + """
[[audit.accept]]
code = "clipped"
indicator = "share"
reason = "The goalpost caps by design."

[[audit.accept]]
code = "single-source"
entity = "Alpha"
reason = "One register is the only source."
"""
    model = load_model(write(tmp_path / "model.toml", text))
    assert [(a.code, a.indicator, a.entity) for a in model.accepts] == [
        ("clipped", "share", None), ("single-source", None, "Alpha")]
    with pytest.raises(ConfigError, match=r"audit.accept\[0\].reason: is missing"):
        load_model(write(tmp_path / "m.toml", text.replace('reason = "The goalpost caps by design."', "")))
    with pytest.raises(ConfigError, match=r"audit.accept\[0\].indicator: is 'shares', not an indicator"):
        load_model(write(tmp_path / "m.toml", text.replace('indicator = "share"', 'indicator = "shares"')))
