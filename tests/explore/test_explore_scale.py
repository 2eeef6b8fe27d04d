"""The page at the users' scale: a table of every entity, sortable, searchable and filtered by
group; cards built on demand; a map that follows the sliders; and how long a slider takes.

200 entities: 170 countries (ISO3 ids, so the map draws them) and 30 regions that are not
countries (listed as not on the map), 40 indicators, a ``region`` group column whose k-th row
is ``REGIONS[k % 5]``. 3,000 entities: synthetic ids, no map.
"""

from __future__ import annotations

import statistics

import pytest
from explore_support import page_state
from scale_support import REGIONS, write_countries
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from riskscore.engine.pipeline import assess
from riskscore.outputs.explore import build_page

pytestmark = pytest.mark.usefixtures("browser")
EXTRA = tuple(f"Region {k:02d}" for k in range(30))

# One slider move, timed from the input event to the frame after the page has redrawn.
MOVE = """
var done = arguments[arguments.length - 1];
var input = document.querySelector('input[type=range][data-node="' + arguments[0] + '"]');
var t0 = performance.now();
input.value = String(arguments[1]);
input.dispatchEvent(new Event('input', {bubbles: true}));
requestAnimationFrame(function () { setTimeout(function () { done(performance.now() - t0); }, 0); });
"""


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    folder = tmp_path_factory.mktemp("big")
    model, data = write_countries(folder, 170, 40, groups=True, extra=EXTRA)
    result = assess(model, data=data)
    page = folder / "page.html"
    page.write_text(build_page(result), encoding="utf-8")
    return page, result


def _map_drawn(browser):
    """Wait until the map has followed the last change (it is redrawn 120 ms after it)."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 5).until(lambda d: d.execute_script(
        "return !document.getElementById('map').hasAttribute('data-pending')"))


def _rows(browser):
    return browser.execute_script(
        "return Array.from(document.querySelectorAll('#results > tr:not(.card-row)'))"
        ".map(function (tr) { return [tr.getAttribute('data-entity')].concat("
        "Array.from(tr.children).map(function (c) { return c.textContent; })); })")


def _time_moves(browser, node: str, shares: list[float]) -> list[float]:
    return [browser.execute_async_script(MOVE, node, share) for share in shares]


def test_a_slider_move_at_200_entities_is_timed(browser, big, capsys):
    page, result = big
    browser.get(page.as_uri())
    times = _time_moves(browser, "n0_0_0", [0.3, 0.5, 0.1, 0.6, 0.2, 0.4, 0.25])
    state = page_state(browser)
    assert state["weights"] == {"n0_0_0": 0.25} and len(state["results"]) == 200
    with capsys.disabled():   # the target is 100 ms: logged, not asserted
        print(f"\nexplore page, 200 entities x 40 indicators: slider move to redrawn frame "
              f"(table re-sorted; the map follows 120 ms after the last move) median "
              f"{statistics.median(times):.1f} ms, max {max(times):.1f} ms ({len(times)} moves)")


def test_the_table_sorts_by_any_column(browser, big):
    page, result = big
    browser.get(page.as_uri())
    rows = _rows(browser)
    assert len(rows) == 200
    assert [r[0] for r in rows] == [result.entities[e] for e in result.order()]
    browser.find_element(By.CSS_SELECTOR, 'th[data-key="score"] button').click()
    scores = [float(r[3]) for r in _rows(browser)]
    assert scores == sorted(scores, reverse=True)   # highest first
    browser.find_element(By.CSS_SELECTOR, 'th[data-key="score"] button').click()
    assert [float(r[3]) for r in _rows(browser)] == sorted(scores)
    header = browser.find_element(By.CSS_SELECTOR, 'th[data-key="score"]')
    assert header.get_attribute("aria-sort") == "ascending"
    browser.find_element(By.CSS_SELECTOR, 'th[data-key="name"] button').click()
    names = [r[2] for r in _rows(browser)]
    assert names == sorted(names, key=str.lower)
    dim = result.model.dimensions[0]
    browser.find_element(By.CSS_SELECTOR, f'th[data-key="dim:{dim}"] button').click()
    by_dim = [float(r[4]) for r in _rows(browser)]
    assert by_dim == sorted(by_dim, reverse=True)
    expected = sorted((round(result.node_score(e, dim), 1) for e in range(200)), reverse=True)
    assert by_dim == pytest.approx(expected, abs=0.051)


def test_search_and_the_group_filter_narrow_the_rows(browser, big):
    page, result = big
    browser.get(page.as_uri())
    box = browser.find_element(By.ID, "search")
    box.send_keys("region 1")
    assert sorted(r[0] for r in _rows(browser)) == [f"Region {k:02d}" for k in range(10, 20)]
    assert browser.find_element(By.ID, "shown-count").text == "10 of 200 entities"
    box.clear()
    box.send_keys(" ")   # an input event with an empty query: every row again
    assert len(_rows(browser)) == 200
    Select(browser.find_element(By.CSS_SELECTOR, 'select[data-column="region"]')) \
        .select_by_visible_text("Europe")
    europe = {name for k, name in enumerate(result.entities) if REGIONS[k % 5] == "Europe"}
    assert {r[0] for r in _rows(browser)} == europe and len(europe) == 40
    # the rows stay in rank order, and their ranks are the ranks among all 200
    ranks = [int(r[1]) for r in _rows(browser)]
    assert ranks == sorted(ranks)
    assert ranks == sorted(int(result.ranks[result.entities.index(n)]) for n in europe)
    _map_drawn(browser)
    hidden = browser.execute_script("return document.querySelectorAll('#map path.placed.hidden').length")
    assert hidden == 170 - sum(1 for n in europe if not n.startswith("Region"))


def test_cards_are_built_when_opened(browser, big):
    page, _ = big
    browser.get(page.as_uri())
    assert browser.find_elements(By.CSS_SELECTOR, ".country") == []
    first = browser.find_element(By.CSS_SELECTOR, "#results button.open")
    first.click()
    assert first.get_attribute("aria-expanded") == "true"
    cards = browser.find_elements(By.CSS_SELECTOR, "#results tr.card-row .country")
    assert len(cards) == 1
    assert len(cards[0].find_elements(By.CSS_SELECTOR, ".indicator")) == 40
    # the card follows its row when a slider re-sorts the table
    browser.execute_async_script(MOVE, "n0_0_1", 0.9)
    follows = browser.execute_script(
        "var row = document.querySelector('#results tr.card-row');"
        "return row.previousElementSibling.querySelector('button.open').textContent")
    assert follows == first.text
    first.click()
    assert browser.find_elements(By.CSS_SELECTOR, ".country") == []


def _luminance(colour: str) -> float:
    r, g, b = (int(v) for v in colour.removeprefix("rgb(").removesuffix(")").split(","))
    return 0.299 * r + 0.587 * g + 0.114 * b


def test_the_map_colours_the_countries_by_their_score_and_follows_the_sliders(browser, big):
    page, result = big
    browser.get(page.as_uri())
    for weights in ({}, {"n0_0_2": 0.8}):
        if weights:
            browser.execute_async_script(MOVE, "n0_0_2", 0.8)
            _map_drawn(browser)
        state = {r["entity"]: r for r in page_state(browser)["results"]}
        paths = browser.execute_script(
            "return Array.from(document.querySelectorAll('#map path.placed')).map(function (p) {"
            " return [p.getAttribute('data-entity'), getComputedStyle(p).fill,"
            " p.querySelector('title').textContent]; })")
        assert len(paths) == 170
        assert not any(name.startswith("Region") for name, _, _ in paths)
        for name, _, title in paths:
            assert title == f"{name}: {state[name]['score']:.1f}, rank {state[name]['rank']}"
        # a higher score is never lighter (YlOrRd darkens as the score rises)
        ordered = sorted(paths, key=lambda p: state[p[0]]["score"])
        light = [_luminance(fill) for _, fill, _ in ordered]
        worst = max(b - a for a, b in zip(light, light[1:], strict=False))
        assert worst <= 1.0, (worst, weights)   # within the rounding of each channel
    note = browser.find_element(By.CSS_SELECTOR, "#map p.note").text
    assert note.startswith("Not on the map: Region 00 (not a country name or ISO code);")


def test_3000_entities_stay_usable(browser, tmp_path, capsys):
    model, data = write_countries(tmp_path, 3000, 40, groups=True, countries=False)
    page = tmp_path / "page.html"
    page.write_text(build_page(assess(model, data=data)), encoding="utf-8")
    browser.get(page.as_uri())
    assert len(_rows(browser)) == 500
    assert browser.find_element(By.ID, "shown-count").text == \
        "3000 entities; the first 500 drawn (search or filter to narrow)"
    assert not browser.find_element(By.ID, "map").is_displayed()   # not countries
    box = browser.find_element(By.ID, "search")
    box.send_keys("E02999")
    assert [r[0] for r in _rows(browser)] == ["E02999"]
    times = _time_moves(browser, "n0_0_0", [0.3, 0.5, 0.2])
    with capsys.disabled():
        print(f"\nexplore page, 3,000 entities x 40 indicators: slider move to redrawn frame "
              f"median {statistics.median(times):.0f} ms")
