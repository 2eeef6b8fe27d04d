"""The profile path through score(), fast: a small project of real files, scored by hand.

Registry (as of the model's evidence date 2020-01-01): Acme (CN) listed with severity 2
since 2019-06-01; Bolt (CN) never listed; Telco (CN) listed with severity 3 from
2020-06-01; Kaz (KZ) never listed.

Alpha names Acme, Bolt (external evidence only) and Kaz for surveillance and Telco for
telecom; debt 40 (article), share 80 (external only).
Beta names Telco for telecom (external only, involved since 2019-05-01); debt 10
(external only), share 30 (article), both describing 2019-12-01; its profile is dated
2020-08-01, after the model's evidence date (a value describing a later date than the
one scored would not count: see tests/test_timeline.py).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from riskscore import assess
from riskscore.engine.pipeline import load_inputs, score
from riskscore.errors import ConfigError, DataError
from riskscore.inputs.loading import load_table_inputs
from riskscore.model.loader import load_model
from support import TINY_MODEL, write

ARTICLE_TEXT = """Alpha buys its city cameras from Acme. Alpha also works with Kaz on cameras.
Alpha's phone network runs on Telco equipment. Alpha owes 40 percent of its debt to China.
Chinese vendors hold 30 percent of Beta's market.
"""

MODEL = """
[index]
id = "risk"
evidence_date = 2020-01-01
registry = "registry.toml"

[nodes.vendor]
[nodes.money]

[indicators.vendors]
parent = "vendor"
goalposts = [0, 2]
derive = "supplier_count"
roles = ["surveillance"]
countries = ["CN"]

[indicators.listed]
parent = "vendor"
goalposts = [0, 2]
derive = "listed_supplier_count"

[indicators.severity]
parent = "vendor"
goalposts = [0, 3]
derive = "max_listing_severity"

[indicators.debt]
parent = "money"
goalposts = [0, 100]

[indicators.share]
parent = "money"
goalposts = [0, 100]
"""

REGISTRY = """
[instruments.list_a]
label = "List A"
severity = 2

[instruments.list_b]
label = "List B"
severity = 3

[suppliers.acme]
name = "Acme Corp"
country = "CN"

[[suppliers.acme.listings]]
instrument = "list_a"
start = 2019-06-01
source = "Listed"

[suppliers.bolt]
name = "Bolt Ltd"
aliases = ["Bolt"]
country = "CN"

[suppliers.telco]
name = "Telco Inc"
country = "CN"

[[suppliers.telco.listings]]
instrument = "list_b"
start = 2020-06-01
source = "Listed later"

[suppliers.kaz]
name = "Kaz LLP"
country = "KZ"
"""

EXTERNAL = 'kind = "external", source = "S", url = "https://example.org/s", date = 2019-01-01'

ALPHA = f"""
entity = "Alpha"
as_of = 2019-01-01

[[suppliers]]
id = "acme"
role = "surveillance"
evidence = {{ kind = "article", quote = "Alpha buys its city cameras from Acme." }}

[[suppliers]]
id = "bolt"
role = "surveillance"
evidence = {{ {EXTERNAL} }}

[[suppliers]]
id = "kaz"
role = "surveillance"
evidence = {{ kind = "article", quote = "Alpha also works with Kaz on cameras." }}

[[suppliers]]
id = "telco"
role = "telecom"
evidence = {{ kind = "article", quote = "Alpha's phone network runs on Telco equipment." }}

[values.debt]
value = 40
evidence = [{{ kind = "article", quote = "Alpha owes 40 percent of its debt to China." }}]

[values.share]
value = 80
evidence = [{{ {EXTERNAL} }}]
"""

BETA = f"""
entity = "Beta"
as_of = 2020-08-01

[[suppliers]]
id = "telco"
role = "telecom"
as_of = 2019-05-01
evidence = {{ {EXTERNAL} }}

[values.debt]
value = 10
as_of = 2019-12-01
evidence = [{{ {EXTERNAL} }}]

[values.share]
value = 30
as_of = 2019-12-01
evidence = [{{ kind = "article", quote = "Chinese vendors hold 30 percent of Beta's market." }}]
"""


@pytest.fixture
def small(tmp_path):
    """(model path, profiles dir) of the small project."""
    model = write(tmp_path / "config" / "model.toml", MODEL)
    write(tmp_path / "config" / "registry.toml", REGISTRY)
    write(tmp_path / "data" / "article.txt", ARTICLE_TEXT)
    write(tmp_path / "data" / "profiles" / "alpha.toml", ALPHA)
    write(tmp_path / "data" / "profiles" / "beta.toml", BETA)
    return model, tmp_path / "data" / "profiles"


def by_entity(result) -> dict[str, float]:
    return {e: float(s) for e, s in zip(result.entities, result.scores, strict=True)}


def raw(result, entity, indicator) -> float:
    return float(result.raw[result.index(entity), result.hierarchy.indicator_ids.index(indicator)])


def test_profiles_scored_by_hand_on_the_evidence_date(small):
    model, profiles = small
    result = assess(model, profiles=profiles)
    assert result.as_of == dt.date(2020, 1, 1)   # the model's evidence date, not a profile's
    # Alpha: CN surveillance suppliers Acme and Bolt (Kaz is KZ, Telco is telecom) -> 2 -> 1;
    # listed among all four named: Acme only (Telco from 2020-06) -> 1 -> .5; severity 2 -> 2/3.
    assert [raw(result, "Alpha", i) for i in ("vendors", "listed", "severity")] == [2, 1, 2]
    alpha = ((1 + 0.5 + 2 / 3) / 3 + (0.4 + 0.8) / 2) / 2
    # Beta: no surveillance supplier (missing); Telco named, not yet listed: 0 and 0;
    # vendor = 0 over two of its three indicators; money = (.1 + .3) / 2 = .2.
    assert np.isnan(raw(result, "Beta", "vendors"))
    assert [raw(result, "Beta", i) for i in ("listed", "severity")] == [0, 0]
    beta = (0 + 0.2) / 2
    assert by_entity(result) == pytest.approx({"Alpha": 100 * alpha, "Beta": 100 * beta},
                                              rel=1e-12)
    assert result.ranks.tolist() == [1.0, 2.0]
    assert result.inputs.kind == "profiles" and result.entities == ("Alpha", "Beta")
    vendors = result.observations[("Alpha", "vendors")]
    assert vendors.derivation == "2 supplier(s) named (surveillance): Acme Corp, Bolt"


def test_article_only_sources_through_the_profile_path(small):
    model, profiles = small
    result = assess(model, profiles=profiles, sources="article")
    # Alpha: Bolt (external only) and the share (external only) leave; Acme stays.
    assert [raw(result, "Alpha", i) for i in ("vendors", "listed", "severity", "debt")] == [
        1, 1, 2, 40]
    assert np.isnan(raw(result, "Alpha", "share"))
    share = result.observations[("Alpha", "share")]
    assert share.missing_reason == ("left out: backed by external sources only "
                                    "(--sources article)")
    assert share.as_of == dt.date(2019, 1, 1)
    alpha = ((0.5 + 0.5 + 2 / 3) / 3 + 0.4) / 2
    # Beta: its only supplier and its debt are external: vendor is missing altogether,
    # so the index is money alone = share .3.
    assert np.isnan(raw(result, "Beta", "listed")) and np.isnan(raw(result, "Beta", "debt"))
    missing = result.observations[("Beta", "listed")].missing_reason
    assert missing == "the profile names no article-quoted supplier in the role surveillance/telecom"
    assert result.observations[("Beta", "vendors")].missing_reason == (
        "the profile names no article-quoted supplier in the role surveillance from CN")
    assert by_entity(result) == pytest.approx({"Alpha": 100 * alpha, "Beta": 30.0}, rel=1e-12)
    assert result.sources == "article"
    # Article-backed values pass unchanged.
    assert result.observations[("Beta", "share")].value == 30


def test_as_of_dates_the_listings(small):
    model, profiles = small
    result = assess(model, profiles=profiles, as_of=dt.date(2020, 7, 1))
    assert result.as_of == dt.date(2020, 7, 1)
    # Telco is listed now: Alpha 2 of 4 listed (-> 1), severity 3; Beta 1 listed, severity 3.
    alpha = ((1 + 1 + 1) / 3 + 0.6) / 2
    beta = ((0.5 + 1) / 2 + 0.2) / 2
    assert by_entity(result) == pytest.approx({"Alpha": 100 * alpha, "Beta": 100 * beta},
                                              rel=1e-12)


def test_without_an_evidence_date_the_latest_profile_date_is_used(small):
    model, profiles = small
    model.write_text(model.read_text().replace("evidence_date = 2020-01-01\n", ""))
    result = assess(model, profiles=profiles)
    assert result.as_of == dt.date(2020, 8, 1)   # Beta's, the later of the two
    listed = result.observations[("Beta", "listed")]
    assert listed.value == 1 and listed.as_of == dt.date(2020, 8, 1)


def test_no_date_at_all_is_an_error_naming_the_model_key(small):
    model, profiles = small
    model.write_text(model.read_text().replace("evidence_date = 2020-01-01\n", ""))
    for name in ("alpha.toml", "beta.toml"):
        path = profiles / name
        path.write_text(path.read_text().replace("as_of = 2019-01-01\n", "")
                        .replace("as_of = 2020-08-01\n", ""))
    with pytest.raises(ConfigError) as excinfo:
        assess(model, profiles=profiles)
    assert str(excinfo.value) == (f"{model}: index.evidence_date: is missing; expected a date "
                                  "(or --as-of) to date the supplier registry")


def test_a_profile_without_an_entry_is_missing_with_its_reason(small):
    model, profiles = small
    path = profiles / "beta.toml"
    path.write_text(path.read_text().split("[values.debt]")[0] + BETA.split("evidence = [{ "
                                                                             f"{EXTERNAL} }}]")[1])
    result = assess(model, profiles=profiles)
    assert result.observations[("Beta", "debt")].missing_reason == "no entry in beta.toml"
    assert by_entity(result)["Beta"] == pytest.approx(100 * (0 + 0.3) / 2, rel=1e-12)


def test_an_article_passed_explicitly(small, tmp_path):
    model, profiles = small
    moved = tmp_path / "elsewhere.txt"
    (tmp_path / "data" / "article.txt").rename(moved)
    with pytest.raises(DataError, match="holds 0 article text files"):
        assess(model, profiles=profiles)
    result = assess(model, profiles=profiles, article=moved)
    assert result.inputs.article.path == moved


def test_the_library_reads_the_project_found_above_the_working_folder(small, tmp_path,
                                                                      monkeypatch):
    model, profiles = small
    (tmp_path / "seeds").mkdir()
    profiles.rename(tmp_path / "seeds" / "profiles")
    (tmp_path / "data" / "article.txt").rename(tmp_path / "seeds" / "article.txt")
    relative = model.relative_to(tmp_path).as_posix()
    (tmp_path / "riskscore.toml").write_text(f'model = "{relative}"\n', encoding="utf-8")
    (tmp_path / "seeds" / "deeper").mkdir()
    monkeypatch.chdir(tmp_path / "seeds" / "deeper")
    result = assess()   # riskscore.toml two folders up names the model; profiles by default
    assert result.entities == ("Alpha", "Beta")
    assert Path(result.inputs.source.path) == Path("../profiles")
    assert Path(result.model.path).resolve() == model.resolve()


def test_the_engine_has_no_folder_dependent_defaults(small, tmp_path, monkeypatch):
    from riskscore.engine import pipeline
    from riskscore.errors import ArgumentError

    model, _profiles = small
    monkeypatch.chdir(tmp_path)
    with pytest.raises(TypeError):
        pipeline.assess()   # no model: nothing is looked up in the working folder
    with pytest.raises(ArgumentError) as excinfo:
        pipeline.assess(model)
    assert str(excinfo.value) == ("argument profiles: is not given, and neither is data; "
                                  "expected a profiles directory or a data table (a path or "
                                  "a DataFrame)")


def test_sources_are_checked(small, tiny):
    model, profiles = small
    with pytest.raises(ConfigError) as excinfo:
        assess(model, profiles=profiles, sources="quotes")
    assert str(excinfo.value) == ("argument sources: is 'quotes'; "
                                  "expected 'all' or 'article'")
    tiny_model, data = tiny
    with pytest.raises(ConfigError) as excinfo:
        assess(tiny_model, data=data, sources="article")
    assert str(excinfo.value) == ("argument sources: is 'article' with a data table; "
                                  "expected 'article' only with profiles, "
                                  "which carry article quotes")


def test_profiles_and_data_together_are_refused(small, tiny):
    model, profiles = small
    with pytest.raises(ConfigError) as excinfo:
        load_inputs(load_model(model), profiles=profiles, data=tiny[1])
    assert str(excinfo.value) == ("argument data: is given together with profiles; "
                                  "expected either profiles or a data table")


# ---- missing policies on columns that are all missing or observed once -----------------

GAPS = """
entity,x,y,z
Alpha,5,20,
Beta,,100,
Gamma,,50,
"""


@pytest.fixture
def gaps(tmp_path):
    return write(tmp_path / "model.toml", TINY_MODEL), write(tmp_path / "gaps.csv", GAPS)


def with_policy(model_path, policy):
    model_path.write_text(TINY_MODEL.replace("scale = 100", f'scale = 100\nmissing = "{policy}"'))
    return model_path


def test_mean_imputes_a_single_observed_column_and_leaves_an_empty_one(gaps):
    model, data = gaps
    result = assess(with_policy(model, "mean"), data=data)
    # x: only Alpha (.5) -> Beta and Gamma get .5; z: nobody -> stays missing, so b is missing
    # and the index is a alone (a = mean of x and reversed y).
    assert by_entity(result) == pytest.approx({"Alpha": 100 * (0.5 + 0.8) / 2,
                                               "Beta": 100 * (0.5 + 0.0) / 2,
                                               "Gamma": 100 * (0.5 + 0.5) / 2}, rel=1e-12)
    assert result.imputed.tolist() == [[False, False, False], [True, False, False],
                                       [True, False, False]]
    assert np.isnan(result.normalised[:, 2]).all()


def test_worst_case_imputes_every_gap_as_full_risk(gaps):
    model, data = gaps
    result = assess(with_policy(model, "worst_case"), data=data)
    assert by_entity(result) == pytest.approx({"Alpha": 100 * (0.75 * 0.65 + 0.25),
                                               "Beta": 100 * (0.75 * 0.5 + 0.25),
                                               "Gamma": 100 * (0.75 * 0.75 + 0.25)}, rel=1e-12)
    assert result.imputed.tolist() == [[False, False, True], [True, False, True],
                                       [True, False, True]]


def test_best_case_imputes_every_gap_as_no_risk(gaps):
    model, data = gaps
    result = assess(with_policy(model, "best_case"), data=data)
    assert by_entity(result) == pytest.approx({"Alpha": 100 * 0.75 * 0.65,
                                               "Beta": 0.0,
                                               "Gamma": 100 * 0.75 * 0.25}, abs=1e-12)
    assert result.imputed.tolist() == [[False, False, True], [True, False, True],
                                       [True, False, True]]


def test_reweight_leaves_gaps_and_imputes_nothing(gaps):
    model, data = gaps
    result = assess(model, data=data)
    assert by_entity(result) == pytest.approx({"Alpha": 65.0, "Beta": 0.0, "Gamma": 50.0})
    assert not result.imputed.any()


def test_policies_without_gaps_change_nothing(tiny):
    model, data = tiny
    data.write_text("entity,x,y,z\nAlpha,5,20,1\nBeta,10,100,0\n")
    for policy in ("mean", "worst_case", "best_case", "fail"):
        result = assess(with_policy(model, policy), data=data)
        assert by_entity(result) == pytest.approx({"Alpha": 73.75, "Beta": 37.5})
        assert not result.imputed.any()


def test_fail_policy_message_names_the_first_gap(gaps):
    model, data = gaps
    with pytest.raises(DataError) as excinfo:
        assess(with_policy(model, "fail"), data=data)
    # The reason in brackets is the data table's own (its wording belongs to datatable.py).
    text = str(excinfo.value)
    assert text.startswith("Alpha: z: is missing (") and "gaps.csv" in text
    assert text.endswith(") and the model's missing policy is 'fail' (model.toml: index.missing); "
                         "expected a value, or missing = 'reweight'")


def test_score_accepts_a_loaded_table_and_a_transform_on_the_goalposts(tmp_path):
    # log10 goalposts [1, 1000]: 100 -> 2/3, 10 -> 1/3 (bounds are transformed too).
    model = load_model(write(tmp_path / "m.toml", """
        [index]
        id = "risk"
        scale = 1
        [indicators.deal]
        goalposts = [1, 1000]
        transform = "log10"
        """))
    inputs = load_table_inputs(model, write(tmp_path / "d.csv", "entity,deal\nA,100\nB,10\n"))
    result = score(model, inputs)
    assert result.scores.tolist() == pytest.approx([2 / 3, 1 / 3], rel=1e-12)
    assert result.as_of is None


@pytest.mark.parametrize("value", ["-1", "-1.5"])
def test_a_profile_value_outside_log1p_is_refused(small, value):
    model, profiles = small
    model.write_text(model.read_text().replace('[indicators.debt]\nparent = "money"\n',
                                               '[indicators.debt]\nparent = "money"\n'
                                               'transform = "log1p"\n'))
    path = profiles / "alpha.toml"
    path.write_text(path.read_text().replace("value = 40", f"value = {value}"))
    with pytest.raises(DataError) as excinfo:
        assess(model, profiles=profiles)
    assert str(excinfo.value).endswith(f"alpha.toml: values.debt.value: is {value} under a log1p "
                                       "transform; expected a number > -1")


def test_assess_reads_the_named_sheet_of_a_workbook(tiny, tmp_path):
    from openpyxl import Workbook

    model, _ = tiny
    book = Workbook()
    book.remove(book.active)
    book.create_sheet("Notes").append(["read me"])
    sheet = book.create_sheet("Scores")
    for row in (["entity", "x", "y", "z"], ["Alpha", 5, 20, 1], ["Beta", 10, 100, 0]):
        sheet.append(row)
    book.save(tmp_path / "data.xlsx")
    result = assess(model, data=tmp_path / "data.xlsx", sheet="Scores")
    # a = mean(x/10, 1 - y/100), b = z, risk = (3a + b)/4: Alpha (3 * .65 + 1)/4, Beta 3 * .5/4
    assert by_entity(result) == pytest.approx({"Alpha": 73.75, "Beta": 37.5})


def test_missing_policy_ends_are_0_and_1_when_no_bounds_are_given(tiny):
    from dataclasses import replace

    from riskscore.engine.pipeline import apply_missing_policy

    model = load_model(tiny[0])
    normalised = np.array([[0.2, np.nan], [np.nan, 0.7], [0.4, 0.5]])    # 3 entities, 2 columns
    for policy, fill in (("worst_case", 1.0), ("best_case", 0.0)):
        used, imputed = apply_missing_policy(replace(model, missing=policy), normalised, {},
                                             ("A", "B", "C"), ("x", "y"))
        assert used.tolist() == [[0.2, fill], [fill, 0.7], [0.4, 0.5]]
        assert imputed.tolist() == [[False, True], [True, False], [False, False]]
    # reweight imputes nothing: the values as they are, and a boolean mask of their shape
    used, imputed = apply_missing_policy(replace(model, missing="reweight"), normalised, {},
                                         ("A", "B", "C"), ("x", "y"))
    assert used is normalised
    assert imputed.dtype == bool and imputed.shape == (3, 2) and not imputed.any()


def test_known_at_alone_dates_the_scoring_and_reaches_the_derivations(small, tmp_path):
    model, profiles = small
    # With nothing else to date it (a data table, no evidence_date), known_at is the date scored.
    plain = write(tmp_path / "plain.toml", TINY_MODEL)
    data = write(tmp_path / "plain.csv", "entity,x,y,z\nAlpha,5,20,1\n")
    assert assess(plain, data=data, known_at=dt.date(2020, 3, 1)).as_of == dt.date(2020, 3, 1)
    # Derived values are derived as known on that date, and say so.
    result = assess(model, profiles=profiles, known_at=dt.date(2020, 1, 1))
    assert "(as known on 2020-01-01" in result.observations[("Alpha", "listed")].derivation


@pytest.mark.parametrize("sources", ["all", "article"])
def test_every_observation_names_its_entity_and_indicator(small, sources):
    model, profiles = small
    result = assess(model, profiles=profiles, sources=sources)
    for (entity, indicator), obs in result.observations.items():
        assert (obs.entity, obs.indicator) == (entity, indicator)
    # the kinds of observation met: a value, one left out (external only), none in the profile
    assert result.observations[("Alpha", "debt")].value == 40
    if sources == "article":
        assert result.observations[("Alpha", "share")].missing_reason.startswith("left out")


def test_a_cell_imputed_before_normalising_counts_as_imputed_not_observed(tmp_path):
    model = write(tmp_path / "m.toml", '[index]\nid = "r"\n'
                  '[indicators.x]\ngoalposts = [0, 100]\nimputation = "mean"\n'
                  '[indicators.y]\ngoalposts = [0, 10]\n')
    data = write(tmp_path / "d.csv", "entity,x,y\nA,10,1\nB,,1\nC,20,1\n")
    result = assess(model, data=data)
    # B's x is the mean of 10 and 20 = 15 -> 0.15; y = 1/10: B = 100 * (0.15 + 0.1) / 2
    assert by_entity(result)["B"] == pytest.approx(12.5)
    assert result.imputed[1].tolist() == [True, False]
    assert np.isnan(result.normalised[1, 0]) and result.normalised[0, 0] == pytest.approx(0.1)
    assert result.observed_count(1) == (1, 2)
