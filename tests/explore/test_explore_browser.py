"""The what-if page in a real browser (headless Chromium): the fragment's weights give
exactly what `riskscore score --weight` gives, for many random weight sets and every
aggregation rule; keyboard-only use; phone and desktop widths; hostile strings stay text."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from explore_support import go_to_fragment, page_state, wait_for_state
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from riskscore.cli.main import cli
from riskscore.engine.pipeline import assess, load_inputs, score
from riskscore.model.loader import load_model
from riskscore.model.weights import apply_weight_overrides
from riskscore.outputs.explore import page_data, render_page
from support import EXAMPLE, ROOT, TINY_MODEL, write

pytestmark = pytest.mark.usefixtures("browser")


def build(out: Path, *args) -> Path:
    result = CliRunner().invoke(cli, ["explore", "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """Pages for four models that between them use every rule the engine has."""
    base = tmp_path_factory.mktemp("pages")
    shipped = base / "shipped"
    for part in ("config", "seeds"):  # the frozen copy of the example, never the editable one
        shutil.copytree(EXAMPLE / part, shipped / part)
    shutil.copy(EXAMPLE / "riskscore.toml", shipped / "riskscore.toml")
    # B: the shipped data under geometric means, min-max normalisation and minimum coverages
    # that the weights can cross (a node drops out when its observed share falls below it).
    variant = base / "variant"
    shutil.copytree(shipped, variant)
    model = (variant / "config" / "model.toml").read_text(encoding="utf-8")
    model = model.replace('aggregation = "arithmetic"  #', 'aggregation = "geometric"  #')
    model = model.replace('normalisation = "goalposts" #', 'normalisation = "minmax" #')
    model = model.replace('[nodes.debt]\n', '[nodes.debt]\naggregation = "geometric"\n')
    model = model.replace('[nodes.vendor]\n', '[nodes.vendor]\nmin_coverage = 0.6\n')
    model = model.replace('[nodes.data]\n', '[nodes.data]\nmin_coverage = 0.7\n')
    assert model.count("geometric") >= 3 and "min_coverage = 0.6" in model
    (variant / "config" / "model.toml").write_text(model, encoding="utf-8")
    # C and D: a data table with imputed missing values (worst case, mean), scale 1.
    table = write(base / "tiny" / "data.csv", """
        entity,x,y,z
        Alpha,5,20,1
        Beta,10,100,0
        Gamma,,50,0.5
        Delta,2,,
        """)
    worst = write(base / "tiny" / "worst.toml", TINY_MODEL.replace(
        'scale = 100', 'scale = 1\naggregation = "geometric"\ngeometric_floor = 0.05\n'
        'missing = "worst_case"'))
    mean = write(base / "tiny" / "mean.toml", TINY_MODEL.replace(
        'scale = 100', 'scale = 100\nmissing = "mean"\nnormalisation = "minmax"').replace(
        '[nodes.a]\n', '[nodes.a]\naggregation = "geometric"\n'))
    # E: every other operator: harmonic, power, complement geometric, max with multipliers,
    # min, invert, ratio, a geometric mean whose zeros count as zero, coverage that can fail.
    ops = write(base / "tiny" / "ops.toml", OPERATORS_MODEL)
    ops_table = write(base / "tiny" / "ops.csv", """
        entity,a,b,c,v,d,e,e2,f,g,p,q
        Alpha,5,2,8,3,4,6,0,9,2,3,6
        Beta,1,7,,9,10,2,5,,4,8,4
        Gamma,,5,5,0,0,8,8,3,,1,0
        Delta,9,0,3,5,7,,1,6,6,5,5
        """)
    out = {}
    for name, root, args in [
        ("operators", base / "tiny", ["--config", str(ops), "--data", str(ops_table),
                                      "--samples", "0"]),
        ("shipped", shipped, ["--samples", "60", "--seed", "5"]),
        ("variant", variant, ["--samples", "0"]),
        ("worst", base / "tiny", ["--config", str(worst), "--data", str(table), "--samples", "0"]),
        ("mean", base / "tiny", ["--config", str(mean), "--data", str(table), "--samples", "0"]),
    ]:
        os.chdir(root)
        try:
            page = build(root / f"{name}.html", *args)
            config = Path(args[1]) if args[0] == "--config" else root / "config" / "model.toml"
            data = Path(args[args.index("--data") + 1]) if "--data" in args else None
            out[name] = (page, config, data)
        finally:
            os.chdir(ROOT)
    return out


OPERATORS_MODEL = """
[index]
id = "root"
aggregation = "harmonic"
min_coverage = 0.3

[nodes.pw]
aggregation = "power"
power = 3
weight = 2

[nodes.cg]
aggregation = "complement_geometric"
complement = 110

[nodes.mx]
aggregation = "max"
multipliers = { f = 0.5 }
min_coverage = 0.6

[nodes.mn]
aggregation = "min"
parent = "pw"

[nodes.inv]
aggregation = "invert"
parent = "pw"

[nodes.rat]
aggregation = "ratio"
numerator = "p"
denominator = "q"

[nodes.gz]
aggregation = "geometric"
zeros = "zero"
parent = "cg"
""" + "".join(f'[indicators.{i}]\nparent = "{p}"\ngoalposts = [0, 10]\n{extra}\n' for i, p, extra in [
    ("a", "pw", ""), ("b", "mn", ""), ("c", "mn", "weight = 2"), ("v", "inv", ""), ("d", "cg", ""),
    ("e", "gz", ""), ("e2", "gz", "weight = 3"), ("f", "mx", ""),
    ("g", "mx", 'direction = "lower_is_riskier"'), ("p", "rat", ""), ("q", "rat", "")])


def random_weight_sets(model, rng, count: int) -> list[dict[str, float]]:
    """Valid --weight sets: one to four nodes, sometimes every child of a parent."""
    movable = [i for i in (*model.nodes, *model.indicators)
               if model.parent(i) is not None and len(model.children[model.parent(i)]) > 1]
    sets = [{movable[0]: 0.0}, {movable[0]: 1.0}, {movable[-1]: 0.5}]
    while len(sets) < count:
        chosen = rng.choice(movable, size=int(rng.integers(1, min(4, len(movable)) + 1)),
                            replace=False)
        weights: dict[str, float] = {}
        for parent in dict.fromkeys(model.parent(str(c)) for c in chosen):
            kids = [str(c) for c in chosen if model.parent(str(c)) == parent]
            shares = rng.dirichlet(np.ones(len(kids)))
            if len(kids) < len(model.children[parent]):
                shares = shares * rng.uniform(0, 1)
                if rng.random() < 0.3:
                    shares = np.floor(shares * 100) / 100   # what a slider gives
            weights.update({k: float(s) for k, s in zip(kids, shares, strict=True)})
        if weights not in sets:
            sets.append(weights)
    return sets


def fragment(weights: dict[str, float]) -> str:
    return "#weights=" + ",".join(f"{k}:{v!r}" for k, v in weights.items())


def expected(model, inputs, weights):
    """The ranking and every indicator's contribution (points) the engine gives."""
    result = score(apply_weight_overrides(model, weights), inputs)
    contributions = {e: {i: (None if np.isnan(p) else float(p)) for i, p in zip(
        result.hierarchy.indicator_ids, result.allocation[k, :len(result.hierarchy.indicator_ids)]
        * model.scale, strict=True)} for k, e in enumerate(result.entities)}
    return [(r["entity"], r["score"], r["rank"]) for r in result.results()], contributions


def assert_same(state: dict, wanted: list, weights: dict) -> None:
    got = [(r["entity"], r["score"], r["rank"]) for r in state["results"]]
    assert [g[0] for g in got] == [w[0] for w in wanted], weights
    for (entity, s, rank), (_, s_ref, rank_ref) in zip(got, wanted, strict=True):
        assert rank == rank_ref, (weights, entity)
        assert (s is None) == (s_ref is None), (weights, entity)
        if s is not None:
            assert abs(s - s_ref) <= 1e-9, (weights, entity, s, s_ref)


@pytest.mark.parametrize("name", ["shipped", "variant", "worst", "mean", "operators"])
def test_random_fragments_match_the_engine(browser, pages, name):
    page, config, data = pages[name]
    model = load_model(config)
    inputs = load_inputs(model, data=data, profiles=None if data else page.parent / "seeds" /
                         "profiles")
    browser.get(page.as_uri())
    assert "error" not in page_state(browser)
    rng = np.random.default_rng(20261127 + len(name))
    for weights in random_weight_sets(model, rng, 30):
        state = go_to_fragment(browser, fragment(weights))
        assert "error" not in state, (weights, state.get("error"))
        assert state["weights"] == weights
        ranking, contributions = expected(model, inputs, weights)
        assert_same(state, ranking, weights)
        shown = browser.execute_script("return window.riskscoreExplore.contributions()")
        for entity, points in contributions.items():
            for indicator, p in points.items():
                got = shown[entity][indicator]
                assert (got is None) == (p is None), (weights, entity, indicator)
                assert p is None or abs(got - p) <= 1e-9, (weights, entity, indicator, got, p)


def test_fragments_match_the_command_line(browser, pages, monkeypatch):
    page, _, _ = pages["shipped"]
    monkeypatch.chdir(page.parent)
    browser.get(page.as_uri())
    for weights in [{"debt": 0.4}, {"debt": 0.4, "vendor": 0.1},
                    {"vendor_telecom_share": 0.123456789, "sanctions": 0.55},
                    {"localisation_gap": 0.2, "biometric_storage_opacity": 0.3,
                     "dpa_independence_gap": 0.5}]:
        args = [f"--weight={k}={v!r}" for k, v in weights.items()]
        result = CliRunner().invoke(cli, ["score", "--format", "json", *args])
        assert result.exit_code == 0, result.output
        wanted = [(r["entity"], r["score"], r["rank"]) for r in json.loads(result.output)["results"]]
        assert_same(go_to_fragment(browser, fragment(weights)), wanted, weights)


def test_no_fragment_opens_with_the_explore_weights_and_reset_returns_to_them(browser, tmp_path,
                                                                              monkeypatch):
    monkeypatch.chdir(EXAMPLE)
    page = build(tmp_path / "p.html", "--samples", "0", "--weight", "debt=0.4")
    browser.get(page.as_uri())
    state = page_state(browser)
    assert state["weights"] == {"debt": 0.4}
    assert_same(state, [(r["entity"], r["score"], r["rank"]) for r in
                        assess(EXAMPLE / "config" / "model.toml", profiles=EXAMPLE / "seeds" / "profiles",
                               weights={"debt": 0.4}).results()],
                {"debt": 0.4})
    state = go_to_fragment(browser, "#weights=")
    assert state["weights"] == {}
    browser.find_element(By.ID, "reset").click()
    assert page_state(browser)["weights"] == {"debt": 0.4}
    assert browser.execute_script("return location.hash") == "#weights=debt:0.4"


@pytest.mark.parametrize(("bad", "message"), [
    ("#weights=nope:0.3", "--weight: nope: is not a node or indicator of the model"),
    ("#weights=debt:1.5", "--weight: debt: has the weight 1.5; expected a number from 0 to 1"),
    ("#weights=debt:abc", "--weight: debt: has the weight 'abc'"),
    ("#weights=debt:0.7,vendor:0.6", "sets shares of 'risk' summing to 1.3"),
    ("#weights=risk:0.5", "--weight: risk: is the index itself"),
])
def test_a_bad_fragment_is_a_visible_error_as_on_the_command_line(browser, pages, bad, message,
                                                                  monkeypatch):
    page, _, _ = pages["shipped"]
    browser.get(page.as_uri())
    state = go_to_fragment(browser, bad)
    assert message in state["error"]
    alert = browser.find_element(By.ID, "error")
    assert alert.is_displayed() and message in alert.text
    # and the command line refuses the same weights with the same words
    monkeypatch.chdir(page.parent)
    args = [f"--weight={item.replace(':', '=')}" for item in bad.split("=", 1)[1].split(",")]
    result = CliRunner().invoke(cli, ["score", *args])
    assert result.exit_code == 1 and message in result.output


def test_keyboard_only_tab_to_sliders_and_arrow_keys_move_weights(browser, pages, monkeypatch):
    page, config, _ = pages["shipped"]
    browser.get(page.as_uri())
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)       # skip link
    focused = [browser.switch_to.active_element.get_attribute("id") or
               browser.switch_to.active_element.get_attribute("class")]
    for _ in range(3):
        browser.switch_to.active_element.send_keys(Keys.TAB)
        focused.append(browser.switch_to.active_element.get_attribute("id"))
    assert focused == ["skip", "reset", "w-vendor", "w-sanctions"]
    browser.switch_to.active_element.send_keys(Keys.SHIFT, Keys.TAB)
    vendor = browser.switch_to.active_element
    assert vendor.get_attribute("id") == "w-vendor"
    assert vendor.accessible_name == "Chinese vendor share"
    vendor.send_keys(Keys.ARROW_RIGHT)
    state = page_state(browser)
    assert state["weights"] == {"vendor": 0.26}
    vendor.send_keys(Keys.TAB)
    # sanctions now has 0.74 / 3 = 0.2467, shown on the 0.01 slider as 0.25; one step left: 0.24
    browser.switch_to.active_element.send_keys(Keys.ARROW_LEFT)
    state = page_state(browser)
    assert set(state["weights"]) == {"vendor", "sanctions"} and state["weights"]["sanctions"] == 0.24
    # the siblings keep their proportions: vendor scales by what is left (1 - 0.24) over what
    # was left before (1 - 0.74 / 3)
    assert state["weights"]["vendor"] == pytest.approx(0.26 * 0.76 / (1 - 0.74 / 3), abs=1e-15)
    assert browser.execute_script("return location.hash") == fragment(state["weights"])
    monkeypatch.chdir(page.parent)
    result = CliRunner().invoke(cli, ["score", "--format", "json",
                                      *[f"--weight={k}={v!r}" for k, v in state["weights"].items()]])
    wanted = [(r["entity"], r["score"], r["rank"]) for r in json.loads(result.output)["results"]]
    assert_same(state, wanted, state["weights"])
    reset = browser.find_element(By.ID, "reset")
    browser.execute_script("arguments[0].focus()", reset)
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    assert page_state(browser)["weights"] == {}
    # every slider has a visible label the browser reads out
    names = [e.accessible_name for e in browser.find_elements(By.CSS_SELECTOR, "input[type=range]")]
    model = load_model(config)
    assert len(names) == len(model.nodes) + len(model.indicators) - 1 and all(names)


def test_sensitivity_section_shows_the_rank_intervals_of_the_library(browser, pages):
    from dataclasses import replace

    from riskscore.analyses.sensitivity import load_settings, run_sensitivity

    page, config, _ = pages["shipped"]
    settings = load_settings(page.parent / "config" / "sensitivity.toml")
    settings = replace(settings, sobol=replace(settings.sobol, enabled=False))  # not needed here
    outcome = run_sensitivity(assess(config, profiles=page.parent / "seeds" / "profiles"),
                              settings, samples=60, seed=5)
    rows = outcome.entity_rows()
    browser.get(page.as_uri())
    table = browser.find_elements(By.CSS_SELECTOR, "#sensitivity tbody tr")
    assert [r.find_element(By.TAG_NAME, "th").text for r in table] == [r["entity"] for r in rows]
    cells = [[c.text for c in r.find_elements(By.TAG_NAME, "td")] for r in table]
    assert [c[2] for c in cells] == [f"{r['rank_p05']}–{r['rank_p95']}" for r in rows]
    tipping = browser.find_elements(By.CSS_SELECTOR, "#sensitivity .tipping li")
    points = outcome.tipping_points
    assert [(t.get_attribute("data-node"), t.get_attribute("data-overtaker"),
             t.get_attribute("data-overtaken")) for t in tipping] == \
        [(p.node, p.overtaker, p.overtaken) for p in points]
    # "Try it" moves the weight just past the tipping point: the two swap places
    for point in points[:3]:
        browser.get(page.as_uri())
        link = browser.find_element(
            By.CSS_SELECTOR, f'.tipping li[data-node="{point.node}"][data-overtaker="{point.overtaker}"] a')
        browser.execute_script("arguments[0].click()", link)
        state = wait_for_state(browser, lambda s, node=point.node: node in s["weights"])
        order = [r["entity"] for r in state["results"]]
        assert order.index(point.overtaker) < order.index(point.overtaken), (point, state)
        share = state["weights"][point.node]
        assert abs(share - point.weight_to) <= 0.01 and list(state["weights"]) == [point.node]


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1280, 900)])
def test_phone_and_desktop_widths(browser, pages, width, height, tmp_path):
    page, _, _ = pages["shipped"]
    browser.set_window_size(width, height)
    try:
        browser.get(page.as_uri() + "#weights=debt:0.4")
        inner = browser.execute_script("return window.innerWidth")
        assert abs(inner - width) <= 16
        # nothing wider than the screen: no sideways scrolling to read the page
        assert browser.execute_script("return document.documentElement.scrollWidth") <= inner
        for button in browser.find_elements(By.CSS_SELECTOR, "#results button.open"):
            browser.execute_script("arguments[0].click()", button)   # every card open
        for details in browser.find_elements(By.TAG_NAME, "summary"):
            browser.execute_script("arguments[0].click()", details)
        assert browser.execute_script("return document.documentElement.scrollWidth") <= inner
        mini = browser.find_element(By.ID, "mini")
        assert mini.is_displayed() == (width < 760)
        keep = os.environ.get("RISKSCORE_SCREENSHOTS")
        shot = Path(keep) if keep else tmp_path
        shot.mkdir(parents=True, exist_ok=True)
        assert browser.save_screenshot(str(shot / f"explore-{width}.png"))
    finally:
        browser.set_window_size(1280, 900)


def test_hostile_strings_stay_text_and_only_web_links_are_links(browser, tiny, tmp_path):
    model, data = tiny
    payload = page_data(assess(model, data=data), {})
    evil = "</script><script>window.pwned=1</script><!-- <img src=x onerror=window.pwned=2>"
    payload["title"] = evil
    payload["shown"][0][0] = evil
    payload["evidence"][0][0]["items"] = [
        {"kind": "external", "quote": evil, "source": "&amp; \u2028 <b>bold</b>", "url": u,
         "link": u, "date": None, "note": None}
        for u in ["javascript:window.pwned=3", "https://example.org/ok?a=1&b=<2>",
                  "https://example.org/fine", "data:text/html,<script>window.pwned=4</script>"]]
    page = tmp_path / "evil.html"
    page.write_text(render_page(payload), encoding="utf-8")
    browser.get(page.as_uri())
    assert browser.execute_script("return window.pwned === undefined")
    assert browser.find_element(By.TAG_NAME, "h1").text == evil
    assert evil in browser.title
    browser.execute_script("document.querySelector('#results button.open').click()")  # its card
    hrefs = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, ".evidence a")]
    assert hrefs == ["https://example.org/fine"]
    assert len(browser.find_elements(By.TAG_NAME, "script")) == 3
    assert page_state(browser)["results"]


def test_a_zero_under_a_zeros_error_node_is_refused_as_on_the_command_line(browser, tmp_path,
                                                                           monkeypatch):
    """A node declaring zeros = "error" gets a zero child only under some weights: the page
    refuses those weights with the command line's words."""
    model = write(tmp_path / "z.toml", """
        [index]
        id = "root"

        [nodes.g]
        aggregation = "geometric"
        zeros = "error"

        [nodes.k]
        parent = "g"

        [indicators.x]
        parent = "k"
        goalposts = [0, 1]

        [indicators.y]
        parent = "k"
        goalposts = [0, 1]

        [indicators.w]
        parent = "g"
        goalposts = [0, 1]

        [indicators.v]
        goalposts = [0, 1]
        """)
    data = write(tmp_path / "z.csv", "entity,x,y,w,v\nA,0,0.5,0.5,0.3\nB,0.4,0.2,0.9,0.1\n")
    monkeypatch.chdir(tmp_path)
    page = build(tmp_path / "z.html", "--config", str(model), "--data", str(data), "--samples", "0")
    cli_result = CliRunner().invoke(cli, ["score", "--config", str(model), "--data", str(data),
                                          "--weight", "y=0"])
    assert cli_result.exit_code == 1
    message = "A: k: is 0 under node 'g', whose aggregation 'geometric' declares zeros = 'error'"
    assert message in cli_result.output
    browser.get(page.as_uri())
    assert "error" not in page_state(browser)
    state = go_to_fragment(browser, "#weights=y:0")
    assert message in state["error"]
    assert browser.find_element(By.ID, "error").is_displayed()
    # weights that keep k above zero are fine again
    assert "error" not in go_to_fragment(browser, "#weights=y:0.1")
