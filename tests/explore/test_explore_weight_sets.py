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
