"""Attack review, round 2 (issue 18), F7, the page's half: the explore page in headless
Chromium accepts and refuses the fragments of tests/weight_syntax_cases.py as --weight does,
with the very message the command line prints (only the syntax named differs: ``:`` and
``#weights=`` for ``=`` and ``--weight``). The command line's half:
tests/attack/test_round2_weights.py."""

from __future__ import annotations

import shutil
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from explore_support import go_to_fragment
from weight_syntax_cases import ACCEPTED, REFUSED, message

from riskscore.cli.main import cli
from support import EXAMPLE

pytestmark = pytest.mark.usefixtures("browser")


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    root = tmp_path_factory.mktemp("weights")
    for part in ("config", "seeds"):
        shutil.copytree(EXAMPLE / part, root / part)
    shutil.copy(EXAMPLE / "riskscore.toml", root / "riskscore.toml")
    page = root / "page.html"
    result = CliRunner().invoke(cli, ["--project", str(root), "explore", "-o", str(page),
                                      "--samples", "0"])
    assert result.exit_code == 0, result.output
    return root, page


def fragment(items: list[str]) -> str:
    return "#weights=" + ",".join(quote(item.replace("=", ":", 1), safe=":,+") for item in items)


def cli_error(root, items: list[str]) -> str:
    args = [f"--weight={part}" for item in items for part in item.split(",")]
    result = CliRunner().invoke(cli, ["--project", str(root), "score", *args])
    assert result.exit_code == 1
    return result.output.strip().removeprefix("Error: ")


def as_on_the_page(text: str, items: list[str]) -> str:
    """The command line's message in the page's syntax (an item it echoes, and the form)."""
    for item in items:
        text = text.replace(f"--weight: {item}:", f"--weight: {item.replace('=', ':', 1)}:")
    return (text.replace("--weight debt=0.4", "#weights=debt:0.4").replace("'='", "':'")
            .replace("NODE=W", "NODE:W"))


@pytest.mark.parametrize("items,shares", ACCEPTED, ids=[repr(i) for i, _ in ACCEPTED])
def test_the_page_accepts_what_the_command_line_accepts(browser, shipped, items, shares):
    _, page = shipped
    browser.get(page.as_uri())
    state = go_to_fragment(browser, fragment(items))
    assert "error" not in state, state.get("error")
    assert state["weights"] == pytest.approx(shares)


@pytest.mark.parametrize("items,template", REFUSED, ids=[repr(i) for i, _ in REFUSED])
def test_the_page_refuses_with_the_command_lines_message(browser, shipped, items, template):
    root, page = shipped
    browser.get(page.as_uri())
    state = go_to_fragment(browser, fragment(items))
    assert message(template, "page") in state["error"]
    assert state["error"] == as_on_the_page(cli_error(root, items), items)
