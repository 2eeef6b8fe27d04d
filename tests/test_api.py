"""The library in memory: riskscore.assess on mappings and DataFrames, the Assessment's
Python face, one function per analysis, errors that name the Python parameter.

The tiny index is scored by hand (tests/support.TINY_MODEL): a = mean(x/10, 1 - y/100),
b = z, risk = (3a + b) / 4, on 0-100; x missing for Gamma is re-weighted away.
"""

from __future__ import annotations

import tomllib

import pandas as pd
import pytest
from click.testing import CliRunner

import riskscore
from riskscore.errors import ArgumentError, ConfigError, DataError
from support import TINY_MODEL

# By hand: Alpha a = (0.5 + 0.8) / 2 = 0.65, b = 1 -> (1.95 + 1) / 4; Beta a = 0.5, b = 0;
# Gamma a = 0.5 (y alone), b = 0.5.
BY_HAND = {"Alpha": 73.75, "Beta": 37.5, "Gamma": 50.0}
ROWS = [{"entity": "Alpha", "x": 5, "y": 20, "z": 1},
        {"entity": "Beta", "x": 10, "y": 100, "z": 0},
        {"entity": "Gamma", "x": None, "y": 50, "z": 0.5}]


@pytest.fixture
def mapping():
    return tomllib.loads(TINY_MODEL)


@pytest.fixture
def frame():
    return pd.DataFrame(ROWS)


def scores(result) -> dict[str, float]:
    return {e: float(s) for e, s in zip(result.entities, result.scores, strict=True)}


def test_a_mapping_and_a_dataframe_are_scored_as_by_hand(mapping, frame):
    result = riskscore.assess(mapping, data=frame)
    assert scores(result) == pytest.approx(BY_HAND, rel=1e-12)
    assert result.inputs.source.path == "data"


def test_entities_from_the_index_or_the_entity_column_score_alike(mapping, frame):
    indexed = frame.set_index("entity")
    assert scores(riskscore.assess(mapping, data=indexed)) == pytest.approx(BY_HAND)
    unnamed = frame.set_index("entity").rename_axis(None)
    assert scores(riskscore.assess(mapping, data=unnamed)) == pytest.approx(BY_HAND)


def test_a_metadata_frame_is_the_same_model(frame):
    meta = pd.DataFrame([
        {"id": "risk", "parent": None},
        {"id": "a", "parent": "risk", "weight": 3},
        {"id": "b", "parent": "risk", "weight": 1},
        {"id": "x", "parent": "a", "lower": 0, "upper": 10},
        {"id": "y", "parent": "a", "lower": 0, "upper": 100,
         "direction": riskscore.Direction.LOWER_IS_RISKIER},
        {"id": "z", "parent": "b", "lower": 0, "upper": 1},
    ])
    result = riskscore.assess(meta, data=frame)
    assert scores(result) == pytest.approx(BY_HAND, rel=1e-12)
    assert result.model.indicators["y"].direction == "lower_is_riskier"
    assert set(result.model.nodes) == {"risk", "a", "b"}


def test_a_metadata_frame_names_the_row_and_column_at_fault(frame):
    meta = pd.DataFrame([{"id": "risk", "parent": None}, {"id": "x", "parent": "risk",
                                                           "lower": 0, "upper": 1},
                         {"id": "x", "parent": "risk", "lower": 0, "upper": 2}])
    with pytest.raises(ConfigError) as excinfo:
        riskscore.assess(meta, data=frame)
    assert str(excinfo.value) == ("model: row 3, column id: repeats 'x' (first in row 2); "
                                  "expected each id once")


def test_enum_members_and_their_strings_are_interchangeable(mapping, frame):
    as_enum = {**mapping, "index": {**mapping["index"],
                                    "normalisation": riskscore.Normalisation.MINMAX}}
    as_text = {**mapping, "index": {**mapping["index"], "normalisation": "minmax"}}
    assert scores(riskscore.assess(as_enum, data=frame)) == \
        scores(riskscore.assess(as_text, data=frame))
    # min-max by hand: x over [5, 10], y over [20, 100] reversed, z over [0, 1]
    alpha = (3 * (0.0 + 1.0) / 2 + 1) / 4
    assert scores(riskscore.assess(as_text, data=frame))["Alpha"] == pytest.approx(100 * alpha)


def test_a_mapping_error_names_the_parameter_and_key(mapping, frame):
    mapping["indicators"]["x"]["wieght"] = 2
    with pytest.raises(ConfigError, match=r"^model: indicators\.x\.wieght: is not a known key"):
        riskscore.assess(mapping, data=frame)


def test_a_bad_cell_of_a_dataframe_names_the_parameter_row_and_column(mapping):
    bad = pd.DataFrame([{"entity": "Alpha", "x": 5, "y": 20, "z": 1},
                        {"entity": "Beta", "x": "lots", "y": 100, "z": 0}])
    with pytest.raises(DataError) as excinfo:
        riskscore.assess(mapping, data=bad)
    assert str(excinfo.value).startswith("data: row 3, column x: is the text 'lots'")


def test_errors_name_the_python_parameter_and_the_cli_its_option(tmp_path, mapping, frame):
    with pytest.raises(ArgumentError) as excinfo:
        riskscore.assess(mapping, data=frame, sources="Article")
    assert str(excinfo.value) == "argument sources: is 'Article'; expected 'all' or 'article'"
    with pytest.raises(ArgumentError, match="^argument model: is a int"):
        riskscore.assess(3, data=frame)
    with pytest.raises(ArgumentError, match="^argument as_of: is 'soon'"):
        riskscore.assess(mapping, data=frame, as_of="soon")
    with pytest.raises(ConfigError, match=r"^weights: q: is not a node or indicator"):
        riskscore.assess(mapping, data=frame, weights={"q": 0.5})
    # the command line says the option the parameter comes from
    from riskscore.cli.main import cli

    (tmp_path / "m.toml").write_text(TINY_MODEL, encoding="utf-8")
    frame.to_csv(tmp_path / "d.csv", index=False)
    ran = CliRunner().invoke(cli, ["score", "--config", str(tmp_path / "m.toml"), "--data",
                                   str(tmp_path / "d.csv"), "--sources", "article"])
    assert ran.exit_code == 1
    assert "command line: --sources: is 'article' with a data table" in ran.output


def test_profiles_as_python_data_score_as_the_files_do(tmp_path):
    from test_pipeline import ALPHA, ARTICLE_TEXT, BETA, MODEL, REGISTRY

    from support import write

    model = write(tmp_path / "config" / "model.toml", MODEL)
    write(tmp_path / "config" / "registry.toml", REGISTRY)
    article = write(tmp_path / "data" / "article.txt", ARTICLE_TEXT)
    write(tmp_path / "data" / "profiles" / "alpha.toml", ALPHA)
    write(tmp_path / "data" / "profiles" / "beta.toml", BETA)
    from_files = riskscore.assess(model, profiles=tmp_path / "data" / "profiles")
    in_memory = {name: tomllib.loads(write(tmp_path / f"{name}.toml", text).read_text())
                 for name, text in (("alpha", ALPHA), ("beta", BETA))}
    from_data = riskscore.assess(model, profiles=in_memory, article=article)
    assert scores(from_data) == scores(from_files)
    in_memory["beta"]["values"]["nonsense"] = {"value": 1}
    with pytest.raises(DataError, match=r"^profiles\['beta'\]: values\.nonsense"):
        riskscore.assess(model, profiles=in_memory, article=article)


def test_the_assessment_reads_by_name_and_shows_itself_briefly(mapping, frame):
    result = riskscore.assess(mapping, data=frame)
    assert result["alpha"]["score"] == pytest.approx(73.75)
    assert result["Gamma"]["rank"] == 2
    assert "Beta" in result and "Delta" not in result and len(result) == 3
    assert list(result) == ["Alpha", "Beta", "Gamma"]
    with pytest.raises(DataError, match="is not an entity of these inputs"):
        result["Delta"]
    text = repr(result)
    assert text == ("<Assessment 'risk': 3 entities, 3 indicators; 1. Alpha 73.8, "
                    "2. Gamma 50.0, 3. Beta 37.5>")
    zero = riskscore.assess(mapping, data=pd.DataFrame([{"entity": "Nil", "x": 0, "y": 100,
                                                         "z": 0}]))
    assert repr(zero) == "<Assessment 'risk': 1 entities, 3 indicators; 1. Nil 0.0>"


def test_the_html_table_is_the_ranked_table_escaped(mapping):
    hostile = pd.DataFrame([{"entity": "<b>Evil</b>", "x": 5, "y": 20, "z": 1},
                            {"entity": "Beta", "x": 10, "y": 100, "z": 0}])
    html = riskscore.assess(mapping, data=hostile)._repr_html_()
    assert "<b>Evil</b>" not in html and "&lt;b&gt;Evil&lt;/b&gt;" in html
    assert html.index("Evil") < html.index("Beta")   # rank order
    assert "<table" in html and "73.8" in html


def test_to_frame_ranks_are_nullable_integers(mapping):
    unscored = pd.DataFrame([{"entity": "Alpha", "x": 5, "y": 20, "z": 1},
                             {"entity": "Nobody", "x": None, "y": None, "z": None}])
    frame = riskscore.assess(mapping, data=unscored).to_frame()
    assert str(frame["rank"].dtype) == "Int64"
    assert frame.loc["Alpha", "rank"] == 1
    assert frame.loc["Nobody", "rank"] is pd.NA


def test_contributions_frame_adds_up_by_hand(mapping, frame):
    long = riskscore.assess(mapping, data=frame).contributions_frame()
    assert list(long.columns) == ["entity", "indicator", "raw", "normalised", "weight",
                                  "effective_weight", "contribution", "status"]
    alpha = long[long.entity == "Alpha"].set_index("indicator")
    assert alpha["normalised"].to_dict() == pytest.approx({"x": 50, "y": 80, "z": 100})
    assert alpha["weight"].to_dict() == pytest.approx({"x": 0.375, "y": 0.375, "z": 0.25})
    assert alpha["contribution"].to_dict() == pytest.approx({"x": 18.75, "y": 30, "z": 25})
    gamma = long[long.entity == "Gamma"].set_index("indicator")
    assert gamma.loc["x", "status"] == "missing" and gamma.loc["y", "status"] == "observed"
    # y carries x's share once x is missing: effective 0.75, contribution 0.75 x 50
    assert gamma.loc["y", "effective_weight"] == pytest.approx(0.75)
    assert gamma.loc["y", "contribution"] == pytest.approx(37.5)
    for entity, total in BY_HAND.items():
        assert long[long.entity == entity]["contribution"].sum() == pytest.approx(total)


def test_each_analysis_takes_an_assessment_and_gives_frames_and_dicts(mapping, frame):
    result = riskscore.assess(mapping, data=frame)
    sens = riskscore.sensitivity(result, samples=64, seed=3)
    again = riskscore.sensitivity(result, samples=64, seed=3)
    assert sens.to_dict() == again.to_dict()
    table = sens.to_frame()
    assert list(table.index) == ["Alpha", "Gamma", "Beta"]
    assert str(table["rank"].dtype) == "Int64" and sens.to_dict()["samples"] == 64
    checked = riskscore.audit(result)
    assert len(checked.to_frame()) == len(checked.to_dict()["findings"])
    changed = frame.assign(z=[0, 0, 0.5])
    comparison = riskscore.compare(result, riskscore.assess(mapping, data=changed))
    moves = comparison.to_frame()
    # Alpha's z falls from 1 to 0: b from 1 to 0, a quarter of the score: -25 points
    assert moves.loc["Alpha", "change"] == pytest.approx(-25)
    assert moves.loc["Beta", "change"] == pytest.approx(0)
    assert comparison.to_dict()["results"][0]["entity"] == "Alpha"
    with pytest.raises(ArgumentError, match="^argument before: is a dict"):
        riskscore.compare({}, result)


def test_trend_scores_a_panel_on_each_date(mapping):
    panel = pd.DataFrame([{"entity": "Alpha", "date": "2020", "x": 0, "y": 100, "z": 0},
                          {"entity": "Alpha", "date": "2021", "x": 10, "y": 0, "z": 1}])
    result = riskscore.assess(mapping, data=panel)
    over_time = riskscore.trend(result, ["2020", "2021"]).to_frame()
    assert list(over_time.columns) == ["date", "entity", "score", "rank"]
    assert over_time["score"].tolist() == pytest.approx([0.0, 100.0])
    assert str(over_time["rank"].dtype) == "Int64"


def test_project_find_and_dir_list_the_public_api(tmp_path, monkeypatch):
    names = dir(riskscore)
    for name in ("assess", "sensitivity", "audit", "compare", "trend", "Project",
                 "Assessment", "Direction", "Aggregation", "Normalisation", "__version__"):
        assert name in names
    assert "Any" not in names and "importlib" not in names
    (tmp_path / "riskscore.toml").write_text('name = "mine"\n', encoding="utf-8")
    (tmp_path / "deep" / "er").mkdir(parents=True)
    project = riskscore.Project.find(tmp_path / "deep" / "er")
    assert project.name == "mine"
    assert project.root.resolve() == tmp_path.resolve()
    monkeypatch.chdir(tmp_path / "deep")
    assert riskscore.Project.find().name == "mine"


def test_weights_are_derived_from_an_assessment(mapping, frame):
    result = riskscore.assess(mapping, data=frame)
    equal = riskscore.weights(result, "equal")
    assert equal.to_frame()["weight"].to_dict() == pytest.approx({"a": 0.5, "b": 0.5})
    assert equal.to_dict()["weights"] == pytest.approx({"a": 0.5, "b": 0.5})
    inner = riskscore.weights(result, "equal", node="a").to_frame()
    assert list(inner.index) == ["x", "y"]
