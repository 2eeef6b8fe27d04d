"""The report at the users' scale: 152 countries read like 4, read through GitHub's renderer.

Two equal indicators with the same value v on both give every country the score v, so the
order, the sections and the alt texts are known by hand. Country i (0-based, ISO3 codes in
alphabetical order) has v = 99.5 - 0.5 i; Singapore (too small for the map) has 50.3 and
Atlantis (not a country) 50.7; classes: low from 0, high from 60.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import cmarkgfm
import pytest
from click.testing import CliRunner
from report_support import EXAMPLE, headings, images, paragraphs_and_items, parse, table_under
from scale_support import country_codes, write_countries

from riskscore.cli.main import cli
from riskscore.outputs.report.overview import DEFAULT_TOP

MODEL = """\
[index]
id = "risk"
scale = 100

[indicators.a]
goalposts = [0, 100]

[indicators.b]
goalposts = [0, 100]

[[classes]]
label = "low"
from = 0

[[classes]]
label = "high"
from = 60
"""
CODES = country_codes(150)
VALUES = {code: 99.5 - 0.5 * i for i, code in enumerate(CODES)}
VALUES.update({"Singapore": 50.3, "Atlantis": 50.7})
BY_SCORE = sorted(VALUES, key=lambda name: -VALUES[name])


def _project(tmp_path):
    (tmp_path / "model.toml").write_text(MODEL, encoding="utf-8")
    rows = ["entity,a,b", *(f"{name},{v},{v}" for name, v in VALUES.items())]
    (tmp_path / "data.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return ["--config", str(tmp_path / "model.toml"), "--data", str(tmp_path / "data.csv")]


def _report(tmp_path, *extra):
    out = tmp_path / "out" / "report.md"
    result = CliRunner().invoke(cli, ["report", *_project(tmp_path), "--samples", "0", "-o",
                                      str(out), *extra])
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8"), out.parent


@pytest.fixture(scope="module")
def long_report(tmp_path_factory):
    return _report(tmp_path_factory.mktemp("long"))


def _sections(markdown):
    countries = markdown.split("\n## Countries\n", 1)[1].split("\n## Methodology\n", 1)[0]
    return [text for level, text in headings(parse(countries)) if level == 3]


def _svg_points(path) -> tuple[float, float]:
    root = ET.parse(path).getroot()
    return tuple(float(root.get(k).removesuffix("pt")) for k in ("width", "height"))


def test_sections_cover_the_top_ten_and_the_appendix_every_country(long_report):
    markdown, _ = long_report
    assert DEFAULT_TOP == 10
    assert _sections(markdown) == BY_SCORE[:10]
    tokens = parse(markdown)
    summary = table_under(tokens, "Summary")
    assert [row[1] for row in summary["rows"]] == BY_SCORE[:10]
    full = table_under(tokens, "Full ranking")
    assert [row[1] for row in full["rows"]] == BY_SCORE
    assert [row[0] for row in full["rows"]] == [str(k) for k in range(1, 153)]
    assert [float(row[2]) for row in full["rows"]] == [round(VALUES[n], 1) for n in BY_SCORE]


def test_figures_are_the_overview_ones_and_none_is_taller_than_1500_pt(long_report):
    markdown, folder = long_report
    shown = {src for src, _ in images(parse(markdown))}
    assert shown == {f"figures/report-{kind}.svg" for kind in
                     ("distribution", "top-bottom", "contributions", "heatmap", "map",
                      "map-classes")}
    for src in shown:
        width, height = _svg_points(folder / src)
        assert height <= 1500, (src, height)
        assert width <= 1100, (src, width)


def test_alt_texts_give_the_top_values(long_report):
    markdown, _ = long_report
    alts = dict(images(parse(markdown)))
    top3 = "; ".join(f"{n} {VALUES[n]:.1f}" for n in BY_SCORE[:3])
    assert alts["figures/report-map.svg"].startswith(
        f"World map of the score (0–100, darker is riskier) of 150 countries. Highest: {top3};")
    assert "and 140 more." in alts["figures/report-map.svg"]
    assert alts["figures/report-map.svg"].endswith(
        "Not on the map: Singapore, Atlantis.")
    # by hand: v >= 60 for i <= 79, so 80 countries are high and 70 low
    assert "150 countries: low: 70; high: 80." in alts["figures/report-map-classes.svg"]
    lowest = "; ".join(f"{n} {VALUES[n]:.1f}" for n in BY_SCORE[-10:])
    assert alts["figures/report-top-bottom.svg"].endswith(f"Lowest: {lowest}.")
    # lowest 25.0, quartiles by hand over the 152 scores
    scores = sorted(VALUES.values())
    assert alts["figures/report-distribution.svg"].startswith(
        f"Histogram of 152 scores (0–100): lowest {scores[0]:.1f}, lower quartile "
        f"{scores[37] + 0.75 * (scores[38] - scores[37]):.1f}, median "
        f"{(scores[75] + scores[76]) / 2:.1f}")


def test_unplaced_entities_are_listed(long_report):
    markdown, _ = long_report
    items = paragraphs_and_items(parse(markdown))
    assert any(item.endswith("Not on the map (2): Singapore, Atlantis.") for item in items)
    appendix = markdown.split("### Not on the map", 1)[1]
    assert "- Atlantis: not a country name or ISO code" in appendix
    assert "- Singapore: SGP is too small for the 1:110m map" in appendix


def test_it_reads_on_github(long_report):
    markdown, _ = long_report
    html = cmarkgfm.github_flavored_markdown_to_html(markdown)
    assert html.count("<img ") == 6
    assert all(re.search(r'alt="[^"]{40,}"', tag) for tag in re.findall(r"<img [^>]*>", html))
    sections = html.split("<h2>Countries</h2>", 1)[1].split("<h2>Methodology</h2>", 1)[0]
    assert sections.count("<h3>") == 10
    # a 152-country report stays a document a reader (and GitHub) can open
    assert len(markdown.encode()) < 150_000
    assert '<a href="#appendix-full-tables">appendix</a>' in html
    assert '<h2>Appendix: full tables</h2>' in html


def test_top_sets_how_many_are_detailed(tmp_path):
    markdown, _ = _report(tmp_path, "--top", "3")
    assert _sections(markdown) == BY_SCORE[:3]
    alts = dict(images(parse(markdown)))
    assert alts["figures/report-top-bottom.svg"].startswith(
        "Bar charts of the 3 highest and 3 lowest scores of 152 countries.")


def test_entities_choose_the_sections_by_name_or_code(tmp_path):
    markdown, _ = _report(tmp_path, "--entities", f"Singapore,{CODES[140].lower()}, {CODES[2]}")
    assert _sections(markdown) == [CODES[2], "Singapore", CODES[140]]   # in rank order


def test_unknown_entities_are_named_all_at_once(tmp_path):
    out = tmp_path / "r.md"
    result = CliRunner().invoke(cli, ["report", *_project(tmp_path), "--samples", "0", "-o",
                                      str(out), "--entities", "Atlantys,ZZZ,Singapore"])
    assert result.exit_code == 2
    message = result.output.strip().splitlines()[-1]
    assert "'--entities'" in message
    assert "'Atlantys' (did you mean 'Atlantis'?); 'ZZZ': not a country of these inputs" in message
    assert "Traceback" not in result.output and not out.exists()


def test_an_empty_entity_name_is_refused(tmp_path):
    result = CliRunner().invoke(cli, ["report", *_project(tmp_path), "--samples", "0", "-o",
                                      str(tmp_path / "r.md"), "--entities", "Singapore,,ALB"])
    assert result.exit_code == 2
    assert "has an empty name" in result.output


def test_many_indicators_turn_the_heat_map_and_too_many_leave_it_out(tmp_path):
    model, data = write_countries(tmp_path / "forty", 30, 40)
    out = tmp_path / "forty" / "r.md"
    result = CliRunner().invoke(cli, ["report", "--config", str(model), "--data", str(data),
                                      "--samples", "0", "-o", str(out)])
    assert result.exit_code == 0, result.output
    heat = out.parent / "figures" / "r-heatmap.svg"
    width, height = _svg_points(heat)
    assert height > width and height <= 1500   # 40 indicators run down the page
    model, data = write_countries(tmp_path / "many", 30, 41)
    out = tmp_path / "many" / "r.md"
    result = CliRunner().invoke(cli, ["report", "--config", str(model), "--data", str(data),
                                      "--samples", "0", "-o", str(out)])
    assert result.exit_code == 0, result.output
    markdown = out.read_text(encoding="utf-8")
    assert "No heat map: 41 indicators are more columns than fit on a page" in markdown
    assert not (out.parent / "figures" / "r-heatmap.svg").exists()


def test_a_short_ranking_of_countries_gets_a_labelled_map_and_no_appendix(tmp_path):
    out = tmp_path / "r.md"
    result = CliRunner().invoke(cli, ["report", "--config", str(EXAMPLE / "config" / "model.toml"),
                                      "--profiles", str(EXAMPLE / "seeds" / "profiles"),
                                      "--samples", "0", "-o", str(out)])
    assert result.exit_code == 0, result.output
    markdown = out.read_text(encoding="utf-8")
    alts = dict(images(parse(markdown)))
    assert set(alts) == {"figures/r-contributions.svg", "figures/r-heatmap.svg",
                         "figures/r-map.svg"}
    assert "Appendix" not in markdown
    svg = (out.parent / "figures" / "r-map.svg").read_text(encoding="utf-8")
    names = [line.split(" ")[0] for line in re.findall(r"<!-- (\w+ \d+\.\d) -->", svg)]
    assert sorted(names) == ["Kazakhstan", "Kyrgyzstan", "Tajikistan", "Uzbekistan"]
