"""Figures: valid, deterministic SVG from plain data; missing cells marked; numbers in alt."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from report_support import make_mini

from riskscore.engine.pipeline import assess
from riskscore.outputs.report import build_report
from riskscore.outputs.report.figures import render_svg

SVG = "{http://www.w3.org/2000/svg}"

RANKS = {"entities": [
    {"entity": "Alpha", "rank": 1, "median_rank": 1.0, "rank_p05": 1.0, "rank_p95": 2.0,
     "p_top1": 0.8},
    {"entity": "Beta", "rank": 2, "median_rank": 2.0, "rank_p05": 1.0, "rank_p95": 3.0,
     "p_top1": 0.2},
    {"entity": "Gamma", "rank": 3, "median_rank": 3.0, "rank_p05": 3.0, "rank_p95": 3.0,
     "p_top1": 0.0},
]}


def _texts(svg: bytes) -> list[str]:
    """The strings drawn: matplotlib's SVG puts each text in a comment before its glyphs."""
    return [chunk.split("-->")[0].strip() for chunk in svg.decode().split("<!--")[1:]]


def test_rank_interval_plot_from_hand_made_dict():
    svg = render_svg("rank_intervals", RANKS)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    comments = _texts(svg)
    for name in ("Alpha", "Beta", "Gamma", "median rank", "5–95% of draws", "rank as scored"):
        assert name in comments, name
    assert render_svg("rank_intervals", RANKS) == svg


def test_svg_has_no_date_and_is_byte_identical():
    data = {"entities": ["A", "B"], "dimensions": ["d1", "d2"], "values": [[10.0, 5.0],
            [None, 20.0]], "scores": [15.0, 20.0], "scale": 100}
    first = render_svg("contributions", data)
    assert first == render_svg("contributions", data)
    assert b"<dc:date>" not in first
    comments = _texts(first)
    assert "15.0" in comments and "20.0" in comments and "left out: d1" in comments


def test_heatmap_marks_each_missing_cell():
    data = {"entities": ["A", "B"], "indicators": ["x", "y", "z"],
            "values": [[0.0, None, 100.0], [None, None, 50.0]], "scale": 100,
            "groups": [["g", 0, 2]]}
    comments = _texts(render_svg("heatmap", data))
    assert comments.count("n/a") == 3
    assert "50" in comments and "100" in comments


def test_report_figures_alt_text_carries_the_numbers(tmp_path):
    mini = make_mini(tmp_path)
    result = assess(mini / "config" / "model.toml", profiles=mini / "seeds" / "profiles")
    report = build_report(result, None)
    assert set(report.figures) == {"figures/risk-report-contributions.svg",
                                   "figures/risk-report-heatmap.svg"}
    bars = report.alt_texts["figures/risk-report-contributions.svg"]
    # Alpha: vendor 30.0 + sanctions 15.3 + debt 5.6 (data gaps left out) = 50.8
    assert "Alpha 50.8 = Vendor share 30.0 + Sanctioned suppliers 15.3 + Debt exposure 5.6" in bars
    heat = report.alt_texts["figures/risk-report-heatmap.svg"]
    assert "Gamma: vendor share n/a" in heat
    missing = sum(obs.is_missing for obs in result.observations.values())
    assert heat.count("n/a") == missing + 1  # plus the legend's "n/a where missing"
    svg_texts = _texts(report.figures["figures/risk-report-heatmap.svg"])
    assert svg_texts.count("n/a") == missing


def test_a_long_entity_name_widens_the_figure_instead_of_squeezing_it():
    from riskscore.outputs.report.figures import figure_size

    short = {"entities": ["Kazakhstan", "Uzbekistan"], "dimensions": [], "values": []}
    assert figure_size("contributions", short) == (7.5, 0.5 * 2 + 1.6)
    # 58 characters: 40 beyond the 18 the standard width leaves room for, 0.075 in each
    long = {"entities": ["Kazakhstan", "K" * 58], "dimensions": [], "values": []}
    assert figure_size("contributions", long) == pytest.approx((7.5 + 40 * 0.075, 2.6))
    ranks = {"entities": [{"entity": "K" * 58}]}
    assert figure_size("rank_intervals", ranks)[0] == pytest.approx(6.5 + 3.0)
