"""Denomination, imputation and outlier treatment: hand-computed cases, every step
recorded per cell and shown in explain, imputed cells never counted as observed."""

from __future__ import annotations

import math

import numpy as np
import pytest
from click.testing import CliRunner
from scipy import stats

import riskscore
from riskscore.cli.main import cli
from riskscore.engine.prepare.treat import treat
from riskscore.errors import ConfigError
from riskscore.model.types import Treatment

MODEL = '''[index]
id = "r"
groups = ["region"]
{index}

[denominators.pop]
label = "Population"
unit = "million"

[indicators.x]
goalposts = [0, 100]
{x}

[indicators.y]
goalposts = [0, 10]
'''


def run(tmp_path, rows: str, *, index: str = "", x: str = ""):
    model = tmp_path / "m.toml"
    model.write_text(MODEL.format(index=index, x=x), encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_text("entity,x,y,pop,region\n" + rows, encoding="utf-8")
    return riskscore.assess(model, data=data), model, data


def raw_after(result, entity: str, indicator: str = "x") -> float:
    return float(result.prepared[result.index(entity), result.hierarchy.indicator_ids.index(
        indicator)])


def test_denomination_by_hand(tmp_path):
    result, *_ = run(tmp_path, "A,50,1,2,n\nB,30,1,10,s\nC,,1,5,s\n",
                     x='denominator = "pop"\nper = 10')
    assert raw_after(result, "A") == pytest.approx(250.0)      # 50 / 2 * 10
    assert raw_after(result, "B") == pytest.approx(30.0)       # 30 / 10 * 10
    assert math.isnan(raw_after(result, "C"))                  # nothing to divide
    step = result.steps_for("A", "x")[0]
    assert (step.kind, step.before, step.after) == ("denominated", 50.0, 250.0)
    assert step.note == "divided by pop (2) x 10"


@pytest.mark.parametrize(("imputation", "expected"), [
    ("mean", (10 + 20 + 60) / 3),
    ("median", 20.0),
    ('group_mean"\ngroup = "region', (20 + 60) / 2),       # C is in group s with B and D
    ('group_median"\ngroup = "region', 40.0),
    ("worst_case", 60.0),                                   # the riskiest observed value
])
def test_imputation_by_hand(tmp_path, imputation, expected):
    result, *_ = run(tmp_path, "A,10,1,1,n\nB,20,1,1,s\nC,,1,1,s\nD,60,1,1,s\n",
                     x=f'imputation = "{imputation}"')
    assert raw_after(result, "C") == pytest.approx(expected)
    c, col = result.index("C"), 0
    assert result.imputed[c, col]
    # the imputed cell is shown as imputed, and does not count as observed coverage
    assert result.observed_count(c) == (1, 2)
    assert "imputed" in result.missing_handling(c, "x")
    assert float(result.scores[c]) == pytest.approx(
        100 * (expected / 100 + 0.1) / 2)


def test_group_with_no_observed_value_stays_missing(tmp_path):
    result, *_ = run(tmp_path, "A,,1,1,n\nB,20,1,1,s\n",
                     x='imputation = "group_mean"\ngroup = "region"')
    assert math.isnan(raw_after(result, "A"))
    assert not result.imputed[0, 0]


def test_winsorisation_by_the_coinr_rule():
    column = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 100], dtype=float)
    skew, kurt = stats.skew(column, bias=False), stats.kurtosis(column, bias=False)
    assert abs(skew) >= 2 and kurt >= 3.5                       # it fails the rule
    out, kind, notes = treat(column, Treatment())
    # the maximum is replaced by the next value inward, after which it passes
    assert kind == "winsorised"
    assert out.tolist() == [1, 2, 3, 4, 5, 6, 7, 8, 9, 9]
    assert abs(stats.skew(out, bias=False)) < 2
    assert notes[9] == "winsorised from 100 to 9 (COINr rule)"
    assert notes[:9] == [None] * 9


def test_log_fallback_when_winsorising_is_not_enough():
    column = np.array([1] * 12 + [50, 60, 70, 80, 90, 100, 1000, 2000], dtype=float)
    out, kind, notes = treat(column, Treatment(winmax=1))
    # one point replaced (2000 -> 1000) still fails, so the original values are logged
    assert kind == "log-treated"
    expected = np.log(column - 1 + 0.01 * (2000 - 1))
    assert out == pytest.approx(expected)
    assert all(n.startswith("log-transformed") for n in notes)


def test_passing_column_is_untouched():
    column = np.array([1.0, 2.0, 3.0, 4.0, np.nan])
    out, _, notes = treat(column, Treatment())
    assert np.array_equal(out, column, equal_nan=True) and notes == [None] * 5


def test_treatment_in_the_pipeline_and_in_explain(tmp_path):
    rows = "".join(f"E{k},{v},1,1,n\n" for k, v in enumerate([1, 2, 3, 4, 5, 6, 7, 8, 9, 100]))
    result, model, data = run(tmp_path, rows, index='treatment = "winsorise"')
    assert raw_after(result, "E9") == 9.0
    out = CliRunner().invoke(cli, ["explain", "E9", "--config", str(model), "--data", str(data),
                                   "--format", "json"])
    assert out.exit_code == 0, out.output
    import json

    row = next(r for r in json.loads(out.output)["rows"] if r["indicator"] == "x")
    assert row["steps"] == [{"step": "winsorised", "before": 100.0, "after": 9.0,
                             "note": "winsorised from 100 to 9 (COINr rule)"}]
    assert row["prepared"] == 9.0


def test_profiles_give_denominators_and_groups(tmp_path):
    model = tmp_path / "m.toml"
    model.write_text(MODEL.format(index="", x='denominator = "pop"\nimputation = "group_mean"\n'
                                              'group = "region"'), encoding="utf-8")
    profiles = tmp_path / "p" / "profiles"
    profiles.mkdir(parents=True)
    (tmp_path / "p" / "article.txt").write_text("An article.", encoding="utf-8")
    src = 'evidence = [{ kind = "external", source = "S", url = "https://example.org", date = 2020-01-01 }]'
    (profiles / "a.toml").write_text(
        f'entity = "A"\ngroups = {{ region = "n" }}\n[values.x]\nvalue = 40\n{src}\n'
        f'[values.pop]\nvalue = 4\n{src}\n[values.y]\nvalue = 5\n{src}\n', encoding="utf-8")
    (profiles / "b.toml").write_text(
        f'entity = "B"\ngroups = {{ region = "n" }}\n[values.x]\nmissing = "none found"\n'
        f'[values.pop]\nvalue = 2\n{src}\n[values.y]\nvalue = 5\n{src}\n', encoding="utf-8")
    result = riskscore.assess(model, profiles=profiles)
    assert raw_after(result, "A") == pytest.approx(10.0)       # 40 / 4
    assert raw_after(result, "B") == pytest.approx(10.0)       # group n's mean of 10
    assert result.inputs.group("B", "region") == "n"


@pytest.mark.parametrize(("x", "message"), [
    ('denominator = "gdp"', "indicators.x.denominator: is 'gdp', not a [denominators.ID]"),
    ('imputation = "group_mean"', "indicators.x.imputation: is 'group_mean' without a group"),
    ('group = "region"', "indicators.x.group: is set without a group imputation"),
    ('imputation = "group_mean"\ngroup = "income"',
     "indicators.x.group: is 'income', not a group column"),
    ("per = 10", "indicators.x.per: is set without a denominator"),
    ('treatment = "trim"', "indicators.x.treatment: is 'trim'"),
])
def test_inapplicable_preparation_options_are_refused(tmp_path, x, message):
    with pytest.raises(ConfigError) as err:
        run(tmp_path, "A,1,1,1,n\n", x=x)
    assert message in str(err.value)


def test_audit_reports_every_imputed_cell_and_treated_point(tmp_path):
    from riskscore.analyses.audit import audit

    rows = "".join(f"E{k},{v},1,1,n\n" for k, v in enumerate([1, 2, 3, 4, 5, 6, 7, 8, 9, 100]))
    rows += "G,,1,1,n\n"
    model = tmp_path / "m.toml"
    model.write_text(MODEL.format(index='treatment = "winsorise"', x='imputation = "median"'),
                     encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_text("entity,x,y,pop,region\n" + rows, encoding="utf-8")
    findings = audit(model, data=data).to_dict()["findings"]
    imputed = [f for f in findings if f["code"] == "imputed"]
    assert [(f["level"], f["entity"], f["indicator"]) for f in imputed] == [("note", "G", "x")]
    assert "median over 10 observed values gave 5.5" in imputed[0]["message"]
    treated = [f for f in findings if f["code"] == "treated"]
    assert len(treated) == 1 and "E9 100→9" in treated[0]["message"]
