"""Publishing a hostile project: every command's Markdown, the report, its figures, the trend
SVG and the explore page, through the real command line, read back by real parsers.

The project (tests/hostile_support.py) puts markup in every string a user controls. Nothing of
it may become markup, a link to a disallowed scheme, an element or an event handler; and the
text must still be there to read, literally.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile_support import (
    FLAT_NAME,
    FOLDER,
    INDICATOR,
    JUDGEMENT,
    LITERALS,
    NAME,
    NODE,
    NODE_LABEL,
    SHORT,
    TITLE,
    URLS,
    assert_html_is_inert,
    assert_markdown_is_inert,
    assert_svg_is_inert,
    header_cells,
    heading_texts,
    hostile_project,
    markdown_tokens,
    svg_texts,
    visible_text,
)

from riskscore.cli.main import cli

FLAT_JUDGEMENT = " ".join(JUDGEMENT.replace("\r\n", "\n").split("\n"))
NAME_IN_JSON = NAME
SOURCE_ANCHORS = {f'<a id="source-{n}">' for n in range(1, 100)} | {"</a>"}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    return hostile_project(tmp_path_factory.mktemp("hostile"))


def run(project: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--project", str(project), *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("command", [
    ["score"], ["explain", "KGZ"], ["evidence"], ["evidence", "KGZ"], ["audit"],
    ["compare", "--to-weight", f"{NODE}=0.6"], ["sensitivity", "--samples", "60"],
    ["trend", "--from", "2018", "--to", "2019"],
])
def test_every_markdown_command_shows_the_hostile_name_literally_and_inertly(hostile, command):
    markdown = run(hostile, *command, "--format", "markdown")
    assert_markdown_is_inert(markdown)
    assert FLAT_NAME in visible_text(markdown)


def test_list_evidence_and_explain_show_labels_urls_titles_and_judgements_literally(hostile):
    listed = run(hostile, "list", "indicators", "--format", "markdown")
    assert_markdown_is_inert(listed)
    assert INDICATOR in visible_text(listed)
    shown = visible_text(run(hostile, "evidence", "KGZ", "--format", "markdown"))
    assert TITLE in shown and URLS[0] in shown and URLS[1] in shown
    explained = visible_text(run(hostile, "explain", "KGZ", "--format", "markdown"))
    assert f"[judgement: {FLAT_JUDGEMENT}]" in explained
    assert FLAT_JUDGEMENT == ("Judged - injected item 1. ordered | a | b | |---|---| "
                              "<div onclick=alert(7)>x</div> ===")


def test_validate_and_extract_markdown_are_inert(hostile, tmp_path):
    checked = run(hostile, "validate", "--format", "markdown")
    assert_markdown_is_inert(checked)
    shown = visible_text(checked)
    assert FOLDER in shown and URLS[0] in shown and URLS[1] in shown   # the url warnings
    doc = tmp_path / "news.txt"
    doc.write_text("Huawei supplied 40% of Kyrgyzstan's network <script>alert(8)</script> "
                   "*em* `tick`.\n# Heading 12% of Kazakhstan's debt is owed to China $x^2$.\n",
                   encoding="utf-8")
    found = run(hostile, "extract", str(doc), "--format", "markdown")
    assert_markdown_is_inert(found)
    assert "<script>alert(8)</script> *em* `tick`" in visible_text(found)


def test_explain_markdown_header_is_one_paragraph_of_literal_text(hostile):
    markdown = run(hostile, "explain", "KGZ", "--format", "markdown")
    tokens = markdown_tokens(markdown)
    first = next(t for t in tokens if t.type == "inline")
    shown = "".join(c.content for c in first.children if c.type == "text")
    assert shown.startswith(FLAT_NAME + ": score ")
    assert not heading_texts(markdown)


@pytest.fixture(scope="module")
def report(hostile, tmp_path_factory) -> Path:
    """The report of the hostile project, written by a real ``riskscore`` process, with the
    comparison section (and its trend figure)."""
    out = tmp_path_factory.mktemp("report") / "my report.md"
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run([sys.executable, "-m", "riskscore", "--project", str(hostile),
                           "report", "--samples", "0", "--compare-to-as-of", "2018-06-30",
                           "-o", str(out)], capture_output=True, text=True, env=env,
                          cwd=hostile, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return out


def test_report_markdown_is_inert_and_literal(report):
    markdown = report.read_text(encoding="utf-8")
    assert_markdown_is_inert(markdown, allowed_html=SOURCE_ANCHORS)
    shown = visible_text(markdown)
    for literal in (*LITERALS, FLAT_NAME, TITLE, *URLS, SHORT, NODE_LABEL):
        assert literal in shown, literal
    assert "Judged - injected item 1. ordered | a | b | |---|---| <div onclick=alert(7)>x</div> ===" \
        in shown
    # headings from the name are the program's ("### NAME"), never the name's own "# Heading"
    assert FLAT_NAME in heading_texts(markdown)
    assert f"Evidence for {FLAT_NAME}" in heading_texts(markdown)


def test_report_code_spans_hold_ids_and_folder_names_whole(report):
    codes = [t.content for t in markdown_tokens(report.read_text(encoding="utf-8"))
             if t.type == "code_inline"]
    assert FOLDER + "/" in codes          # the profiles folder, in Reproducibility
    assert INDICATOR in codes             # the indicator id, in the Methodology table
    assert NODE in codes                  # the node id, in "Weights in effect"


def test_report_table_headers_are_escaped_once(report):
    """The data-gap table's header holds entity names: shown as written, no backslashes."""
    markdown = report.read_text(encoding="utf-8")
    headers = header_cells(markdown)
    assert FLAT_NAME in headers and NODE_LABEL in headers
    assert not [h for h in headers if "\\" in h]               # never escaped twice
    assert not [h for h in headers if "\\" in h]


def test_report_links_only_to_allowed_schemes_and_its_figures_render(report):
    tokens = markdown_tokens(report.read_text(encoding="utf-8"))
    targets = [t.attrs.get("href") for t in tokens if t.type == "link_open"]
    images = [t.attrs.get("src") for t in tokens if t.type == "image"]
    assert targets and all(h.startswith(("https://", "http://", "#")) for h in targets)
    assert not [h for h in targets if "javascript" in h.lower() or "<" in h]
    # "my report.md": the figure links survive the space, and each file exists
    assert images and all(src.startswith("figures/my%20report-") for src in images)
    for src in images:
        assert (report.parent / src.replace("%20", " ")).is_file(), src


def test_report_figures_are_inert_svg(report):
    figures = sorted((report.parent / "figures").glob("*.svg"))
    # the hostile project's entities are countries, so the report draws its world map too
    assert [f.name for f in figures] == ["my report-contributions.svg", "my report-heatmap.svg",
                                         "my report-map.svg", "my report-trend.svg"]
    for figure in figures:
        assert_svg_is_inert(figure.read_bytes())


def test_figure_labels_are_drawn_literally_dollars_included(hostile, tmp_path, monkeypatch):
    """With text kept as text in the SVG, each label is there as written: no mathtext."""
    from riskscore.outputs.report import figures

    monkeypatch.setitem(figures.RC, "svg.fonttype", "none")
    run(hostile, "report", "--samples", "40", "-o", str(tmp_path / "r.md"))
    bars = svg_texts((tmp_path / "figures" / "r-contributions.svg").read_bytes())
    heat = svg_texts((tmp_path / "figures" / "r-heatmap.svg").read_bytes())
    ranks = svg_texts((tmp_path / "figures" / "r-rank-intervals.svg").read_bytes())
    for texts in (bars, heat, ranks):
        assert FLAT_NAME in texts
    assert NODE_LABEL in bars                                # the legend
    assert SHORT in heat                                     # a column label
    assert "$y$" in " ".join(heat)                           # the wrapped dimension label
    for name in ("r-contributions.svg", "r-heatmap.svg", "r-rank-intervals.svg"):
        assert_svg_is_inert((tmp_path / "figures" / name).read_bytes())


def test_a_later_report_with_fewer_figures_removes_the_stale_ones(hostile, tmp_path):
    run(hostile, "report", "--samples", "40", "-o", str(tmp_path / "r.md"))
    assert (tmp_path / "figures" / "r-rank-intervals.svg").is_file()
    run(hostile, "report", "--samples", "0", "-o", str(tmp_path / "r.md"))
    assert sorted(p.name for p in (tmp_path / "figures").iterdir()) == [
        "r-contributions.svg", "r-heatmap.svg", "r-map.svg"]
    assert "r-rank-intervals" not in (tmp_path / "r.md").read_text(encoding="utf-8")


def test_trend_figure_is_inert_and_literal(hostile, tmp_path, monkeypatch):
    from riskscore.outputs.report import figures

    monkeypatch.setitem(figures.RC, "svg.fonttype", "none")
    run(hostile, "trend", "--from", "2018", "--to", "2019", "--figure", str(tmp_path / "t.svg"))
    data = (tmp_path / "t.svg").read_bytes()
    assert_svg_is_inert(data)
    assert FLAT_NAME in svg_texts(data)


def test_explore_page_holds_the_hostile_strings_as_data_only(hostile, tmp_path):
    run(hostile, "explore", "--samples", "0", "-o", str(tmp_path / "page.html"))
    page = (tmp_path / "page.html").read_text(encoding="utf-8")
    template = (Path(__file__).resolve().parents[1] / "riskscore" / "outputs" / "explore"
                / "page.html").read_text(encoding="utf-8")
    found = assert_html_is_inert(page, scripts=template.count("<script"))
    assert "<script>alert" not in page and "<img" not in page and "<b " not in page
    strings = []
    for chunk in found.text:
        try:
            strings.append(json.dumps(json.loads(chunk), ensure_ascii=False))
        except ValueError:
            continue
    data = " ".join(strings)
    assert json.dumps(FLAT_NAME, ensure_ascii=False)[1:-1] in data or \
        json.dumps(NAME_IN_JSON, ensure_ascii=False)[1:-1] in data
    links = [v for chunk in strings for v in _values(json.loads(chunk), "link") if v]
    assert links and all(v.startswith(("https://", "http://")) for v in links)


def _values(payload, key):
    if isinstance(payload, dict):
        for k, v in payload.items():
            if k == key:
                yield v
            else:
                yield from _values(v, key)
    elif isinstance(payload, list):
        for v in payload:
            yield from _values(v, key)


def test_report_as_github_renders_it_has_no_live_markup(report):
    """GitHub's own renderer (cmark-gfm, its extensions on, raw HTML let through so that any
    that got in would show): no script, no handler, links to http(s) only, names verbatim."""
    import cmarkgfm
    from cmarkgfm.cmark import Options

    html = cmarkgfm.github_flavored_markdown_to_html(report.read_text(encoding="utf-8"),
                                                     options=Options.CMARK_OPT_UNSAFE)
    found = assert_html_is_inert(html)
    shown = "".join(found.text)
    assert FLAT_NAME in shown and TITLE in shown and URLS[1] in shown
