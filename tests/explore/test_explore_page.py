"""The page file itself: self-contained, escaped for its contexts, deterministic."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

from riskscore.cli.main import cli
from riskscore.outputs.explore.html import html_text, script_json
from support import EXAMPLE


def test_script_json_cannot_close_its_script_or_open_a_comment():
    text = script_json({"a": "</script><!-- x & y \u2028", "</": ["<!--"]})
    assert "</" not in text and "<!--" not in text and "&" not in text
    assert json.loads(text) == {"a": "</script><!-- x & y \u2028", "</": ["<!--"]}


def test_html_text_escapes_markup_and_quotes():
    assert html_text('<a href="x">&\'') == "&lt;a href=&quot;x&quot;&gt;&amp;&#x27;"


def test_page_is_self_contained_and_byte_stable(tmp_path, monkeypatch):
    monkeypatch.chdir(EXAMPLE)
    pages = []
    for name in ("a.html", "b.html"):
        result = CliRunner().invoke(cli, ["explore", "--samples", "20", "--seed", "1",
                                          "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        pages.append((tmp_path / name).read_bytes())
    assert pages[0] == pages[1]
    html = pages[0].decode("utf-8")
    # no file or address outside the page: scripts and styles inline, no fetches
    assert not re.search(r"<(script|img|iframe|link)[^>]+(src|href)=", html)
    assert "@import" not in html and "url(" not in html and "fetch(" not in html
    assert "XMLHttpRequest" not in html
    assert html.count("<script") == 3   # the data, the state, the code
    data = json.loads(re.search(r'id="riskscore-data">(.*?)</script>', html, re.S).group(1))
    assert data["entities"] == ["Kazakhstan", "Kyrgyzstan", "Tajikistan", "Uzbekistan"]
    assert data["sensitivity"]["samples"] == 20
    state = json.loads(re.search(r'id="riskscore-state">(.*?)</script>', html, re.S).group(1))
    assert state == {"weights": {}, "results": []}   # filled in by the script


def test_explore_checks_weights_first_and_defaults_to_explore_html(tmp_path, monkeypatch):
    monkeypatch.chdir(EXAMPLE)
    result = CliRunner().invoke(cli, ["explore", "--weight", "debt=2", "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 1
    assert "--weight: debt: has the weight 2; expected a number from 0 to 1" in result.output
    assert not (tmp_path / "x.html").exists()
    assert "Example: riskscore explore" in CliRunner().invoke(cli, ["explore", "--help"]).output
