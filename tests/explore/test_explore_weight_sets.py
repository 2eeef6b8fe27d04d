"""The page's weight-set selector (and --set what-ifs on the page) in a real browser: choosing
a named set gives exactly what `riskscore score --weights NAME` gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from explore_support import page_state, wait_for_state
from selenium.webdriver.support.ui import Select

from riskscore.cli.main import cli
from support import write

pytestmark = pytest.mark.usefixtures("browser")

MODEL = """
[index]
id = "risk"

[nodes.a]
weight = 3

[nodes.b]

[indicators.x]
parent = "a"
goalposts = [0, 10]

[indicators.y]
parent = "a"
goalposts = [0, 10]

[indicators.z]
parent = "b"
goalposts = [0, 10]

[weight_sets.tilted]
method = "manual"
[weight_sets.tilted.weights]
a = 1
b = 3
x = 4
y = 1
"""

DATA = "entity,x,y,z\nA,1,9,5\nB,8,2,3\nC,5,5,9\nD,3,7,1\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path / "riskscore.toml", 'name = "t"\nmodel = "model.toml"\ndata = "data.csv"\n')
    write(tmp_path / "model.toml", MODEL)
    write(tmp_path / "data.csv", DATA)
    return tmp_path


def cli_scores(project: Path, *args: str) -> dict[str, float]:
    result = CliRunner().invoke(cli, ["--project", str(project), "score", "--format", "json",
                                      *args])
    assert result.exit_code == 0, result.output
    return {r["entity"]: r["score"] for r in json.loads(result.output)["results"]}


def page(project: Path, *args: str) -> Path:
    out = project / "page.html"
    result = CliRunner().invoke(cli, ["--project", str(project), "explore", "--samples", "0",
                                      "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    return out


def test_choosing_a_set_scores_as_the_cli_does(browser, project):
    browser.get(page(project).as_uri())
    select = Select(browser.find_element("id", "weight-set"))
    assert [o.text for o in select.options] == ["as configured", "tilted", "other weights"]
    configured = cli_scores(project)
    state = page_state(browser)
    assert {r["entity"]: r["score"] for r in state["results"]} == pytest.approx(configured)
    select.select_by_value("tilted")
    expected = cli_scores(project, "--weights", "tilted")
    assert expected != pytest.approx(configured)
    state = wait_for_state(browser, lambda s: bool(s["weights"]))
    assert {r["entity"]: r["score"] for r in state["results"]} == pytest.approx(expected,
                                                                             abs=1e-9)
    assert "Weight set tilted" in browser.find_element("id", "what-if").text
    assert "#weights=" in browser.current_url   # the address holds the set's shares
    select.select_by_value("")
    state = wait_for_state(browser, lambda s: not s["weights"])
    assert {r["entity"]: r["score"] for r in state["results"]} == pytest.approx(configured)


def test_explore_with_weights_opens_on_the_set(browser, project):
    browser.get(page(project, "--weights", "tilted").as_uri())
    state = page_state(browser)
    assert {r["entity"]: r["score"] for r in state["results"]} == pytest.approx(
        cli_scores(project, "--weights", "tilted"), abs=1e-9)
    assert Select(browser.find_element("id", "weight-set")).first_selected_option.text == "tilted"


def test_a_page_without_sets_has_no_selector(browser, project):
    write(project / "model.toml", MODEL.split("[weight_sets.tilted]")[0])
    browser.get(page(project).as_uri())
    assert not browser.find_element("id", "weight-set").is_displayed()


EDIT_MODEL = """
[index]
id = "risk"
missing = "worst_case"

[indicators.p]
goalposts = [0, 10]
domain = [0, 10]
weight = 2

[indicators.q]
goalposts = [1, 100]
transform = "log10"
direction = "lower_is_riskier"

[indicators.r]
goalposts = [0, 1]
normalisation = "minmax"
"""

EDIT_DATA = "entity,p,q,r\nAland,1,2,0.9\nBorduria,2,40,0.7\nCarpania,,5,0.8\n"


def edit(browser, entity: str, indicator: str, value: str) -> None:
    Select(browser.find_element("id", "edit-entity")).select_by_visible_text(entity)
    Select(browser.find_element("id", "edit-indicator")).select_by_value(
        str(["p", "q", "r"].index(indicator)))
    box = browser.find_element("id", "edit-value")
    box.clear()
    box.send_keys(value)
    browser.find_element("css selector", "#edit button[type=submit]").click()


def cli_error(project: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--project", str(project), "score", *args])
    assert result.exit_code == 1, result.output
    return result.output.strip().removeprefix("Error: ")


def test_page_edits_score_as_score_set_does(browser, project):
    write(project / "model.toml", EDIT_MODEL)
    write(project / "data.csv", EDIT_DATA)
    browser.get(page(project).as_uri())
    edit(browser, "Carpania", "p", "7.5")      # a missing value, now observed
    edit(browser, "Aland", "q", "30")           # through the log10 transform, reversed
    state = wait_for_state(browser, lambda s: len(s.get("what_if", [])) == 2)
    expected = cli_scores(project, "--set", "Carpania:p=7.5", "--set", "Aland:q=30")
    assert {r["entity"]: r["score"] for r in state["results"]} == pytest.approx(expected,
                                                                             abs=1e-9)
    assert state["what_if"] == ["Carpania:p=7.5 (was missing)", "Aland:q=30 (was 2)"]
    assert "what-if data: Carpania:p=7.5 (was missing)" in browser.find_element(
        "id", "what-if").text
    browser.find_element("id", "edit-clear").click()
    state = wait_for_state(browser, lambda s: "what_if" not in s)
    assert {r["entity"]: r["score"] for r in state["results"]} == pytest.approx(
        cli_scores(project))


@pytest.mark.parametrize(("indicator", "value", "typed"), [
    ("p", "12", "12"), ("p", "abc", "abc"), ("q", "-3", "-3")])
def test_page_edit_errors_are_the_cli_messages(browser, project, indicator, value, typed):
    write(project / "model.toml", EDIT_MODEL)
    write(project / "data.csv", EDIT_DATA)
    browser.get(page(project).as_uri())
    edit(browser, "Aland", indicator, value)
    state = wait_for_state(browser, lambda s: "error" in s)
    assert state["error"] == cli_error(project, "--set", f"Aland:{indicator}={typed}")
    assert browser.find_element("id", "error").text == state["error"]


def test_a_value_normalised_over_all_entities_is_refused_with_the_reason(browser, project):
    write(project / "model.toml", EDIT_MODEL)
    write(project / "data.csv", EDIT_DATA)
    browser.get(page(project).as_uri())
    edit(browser, "Aland", "r", "0.1")
    state = wait_for_state(browser, lambda s: "error" in s)
    assert "normalised by minmax, over all the entities" in state["error"]
    assert "riskscore score --set" in state["error"]
