"""The Robustness section: placeholder without a sensitivity result, full section with one."""

from __future__ import annotations

from report_support import headings, images, make_mini, paragraphs_and_items, parse, tables

from riskscore.engine.pipeline import assess
from riskscore.outputs.report import build_report
from riskscore.outputs.report.robustness import robustness_section


class FakeSensitivity:
    """Stands in for riskscore.analyses.sensitivity's SensitivityResult (same four methods and
    its tipping points)."""

    tipping_points = []  # nothing swaps: the ranked table says "—"

    def to_dict(self):
        return {"samples": 512, "seed": 5, "entities": [
            {"entity": "Beta", "rank": 2, "median_rank": 2.0, "rank_p05": 1.0,
             "rank_p95": 2.0, "p_top1": 0.25},
            {"entity": "Alpha", "rank": 1, "median_rank": 1.0, "rank_p05": 1.0,
             "rank_p95": 2.0, "p_top1": 0.75}]}

    def entity_rows(self):
        return [{"entity": "Alpha", "rank": 1, "median_rank": 1.0, "rank_p05": 1.0,
                 "rank_p95": 2.0, "p_top1": 0.75, "p_topk": 1.0, "score_p05": 40.0,
                 "score_p95": 60.5, "p_missing": 0.0},
                {"entity": "Beta", "rank": 2, "median_rank": 2.0, "rank_p05": 1.0,
                 "rank_p95": 2.0, "p_top1": 0.25, "p_topk": 1.0, "score_p05": 30.0,
                 "score_p95": 55.0, "p_missing": 0.1}]

    def sobol_rows(self):
        return [{"output": "Alpha", "group": "weights:debt | share", "S1": 0.61, "ST": 0.7},
                {"output": "Alpha", "group": "weights:vendor", "S1": 0.12, "ST": None},
                {"output": "mean_abs_rank_shift", "group": "weights:debt | share",
                 "S1": 0.2, "ST": 0.25}]

    def tipping_sentences(self):
        return ["Beta overtakes Alpha when debt's weight exceeds 0.31 (now 0.25)."]


def test_placeholder_without_sensitivity():
    text, figures = robustness_section(None, seed=99, figure_path="figures/x.svg")
    assert figures == []
    assert text.startswith("## Robustness\n")
    assert "riskscore sensitivity --seed 99" in text
    for phrase in ("rank interval", "Sobol", "tipping points"):
        assert phrase in text


def test_full_section_with_sensitivity():
    text, figures = robustness_section(FakeSensitivity(), seed=5,
                                       figure_path="figures/r-rank-intervals.svg")
    assert [f.path for f in figures] == ["figures/r-rank-intervals.svg"]
    assert figures[0].plot == "rank_intervals"
    tokens = parse(text)
    assert [h for _, h in headings(tokens)] == ["Robustness", "Sensitivity (Sobol indices)",
                                                "Tipping points"]
    (src, alt), = images(tokens)
    assert src == "figures/r-rank-intervals.svg"
    assert "Alpha median rank 1, 5–95% range 1 to 2, ranked first in 75% of draws" in alt
    ranks, sobol = tables(tokens)
    assert ranks["header"] == ["country", "rank", "median rank", "5–95% rank", "P(first)",
                               "P(top k)", "5–95% score", "P(no score)"]
    assert ranks["rows"][0] == ["Alpha", "1", "1", "1–2", "75%", "100%", "40.0–60.5", "0%"]
    assert [r[0] for r in ranks["rows"]] == ["Alpha", "Beta"]
    assert sobol["header"] == ["assumption group", "Alpha", "mean abs rank shift"]
    assert sobol["rows"] == [["weights:debt | share", "0.70 (0.61)", "0.25 (0.20)"],
                             ["weights:vendor", "—", "—"]]
    items = paragraphs_and_items(tokens)
    assert "Beta overtakes Alpha when debt's weight exceeds 0.31 (now 0.25)." in items
    assert ("Random analysis with seed 5, 512 samples. Reproduce it, with confidence intervals, "
            "with riskscore sensitivity --seed 5 --samples 512.") in items


def test_report_with_sensitivity_writes_the_rank_interval_figure(tmp_path):
    mini = make_mini(tmp_path)
    result = assess(mini / "config" / "model.toml", profiles=mini / "seeds" / "profiles")
    report = build_report(result, None, sensitivity=FakeSensitivity(), seed=5)
    assert "figures/risk-report-rank-intervals.svg" in report.figures
    assert report.figures["figures/risk-report-rank-intervals.svg"].startswith(b"<?xml")
    assert "](figures/risk-report-rank-intervals.svg)" in report.markdown
