"""A long ranking: the summary's "how sure" part names the top countries, any country further
down whose rank could reach them, and counts the rest instead of listing every country."""

from __future__ import annotations

from click.testing import CliRunner
from report_support import paragraphs_and_items, parse

from riskscore.cli.main import cli
from riskscore.outputs.report.markdown import SUMMARY_TOP

# Two equal indicators on goalposts [0, 100]. E01..E25 have the same value v = 100 - 4 i on
# both, so their score is v: E01 96, E02 92, ..., E25 0, and every rule of aggregation or
# normalisation keeps that order. Outsider has a = 100 and b missing: counted as no risk
# (the model's best_case rule) its score is (100 + 0) / 2 = 50, between E12 (52) and E13 (48),
# so rank 13; counted as worst case (risk 1) it is 100, rank 1.
MODEL = """\
[index]
id = "risk"
scale = 100
min_coverage = 0.5
missing = "best_case"

[indicators.a]
goalposts = [0, 100]

[indicators.b]
goalposts = [0, 100]
"""

# Only the missing-data rule varies, between best and worst case: Outsider ranks first in
# about half the draws and 13th in the others, so its 5-95% rank interval starts at 1.
SETTINGS = """\
[run]
samples = 200
[weights]
vary = false
[aggregation]
vary = false
[normalisation]
vary = false
[missing]
choices = ["best_case", "worst_case"]
[evidence]
vary = false
[sobol]
enabled = false
[tipping]
enabled = false
"""

ENTITIES = [f"E{i:02d}" for i in range(1, 26)]


def _project(tmp_path, outsiders=("Outsider",)):
    (tmp_path / "model.toml").write_text(MODEL, encoding="utf-8")
    (tmp_path / "sensitivity.toml").write_text(SETTINGS, encoding="utf-8")
    rows = ["entity,a,b", *(f"E{i:02d},{100 - 4 * i},{100 - 4 * i}" for i in range(1, 26)),
            *(f"{name},100," for name in outsiders)]
    (tmp_path / "data.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return ["--config", str(tmp_path / "model.toml"), "--data", str(tmp_path / "data.csv"),
            "--settings", str(tmp_path / "sensitivity.toml")]


def _report(tmp_path, *extra, outsiders=("Outsider",)):
    out = tmp_path / "out" / "report.md"
    result = CliRunner().invoke(cli, ["report", *_project(tmp_path, outsiders), "-o", str(out),
                                      *extra])
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def _how_sure_items(markdown):
    """The bullet items between the "How sure" paragraph and the summary's sentences."""
    summary = markdown.split("## Summary\n\n", 1)[1].split("\n\n## ", 1)[0]
    paragraphs = summary.split("\n\n")
    verdict = next(i for i, p in enumerate(paragraphs) if p.startswith("**How sure"))
    block = paragraphs[verdict + 1]           # the list right after the verdict
    return paragraphs_and_items(parse(block))


def test_summary_top_is_ten():
    assert SUMMARY_TOP == 10


def test_with_robustness_the_top_ten_and_a_country_that_can_reach_them_then_a_count(tmp_path):
    items = _how_sure_items(_report(tmp_path))
    named = [item.split(" ranks first in ")[0] for item in items[:-1]]
    # ranks 1-10 are E01..E10; Outsider (rank 13) ranks first in some draws
    assert named == [*ENTITIES[:10], "Outsider"]
    # 26 countries, 11 named: E11, E12 and E13..E25 are left = 2 + 13
    assert items[-1] == ("… and 15 more, none ranked first in any draw and each with a 5–95% "
                         "rank interval below the top 10: see the Robustness table.")
    outsider = items[-2]
    assert outsider.startswith("Outsider ranks first in ")
    assert "5–95% rank interval 1–13;" in outsider


def test_without_robustness_a_long_ranking_points_to_the_appendix(tmp_path):
    markdown = _report(tmp_path, "--samples", "0")   # 26 countries, more than --top 10
    paragraph = next(p for p in markdown.split("## Summary\n\n", 1)[1].split("\n\n")
                     if p.startswith("**How sure"))
    assert paragraph.endswith("; … and 16 more, in the appendix's full ranking.")
    appendix = markdown.split("## Appendix: full tables", 1)[1]
    assert all(f"| {name} " in appendix for name in [*ENTITIES, "Outsider"])


def test_without_robustness_the_single_weight_list_is_capped_too(tmp_path):
    markdown = _report(tmp_path, "--samples", "0", "--top", "30")
    paragraph = next(p for p in markdown.split("## Summary\n\n", 1)[1].split("\n\n")
                     if p.startswith("**How sure"))
    assert paragraph.startswith("**How sure is this ranking?** Not measured here")
    named = [part.split(":")[0] for part in paragraph.split("By single weights: ", 1)[1]
             .split("; ")]
    assert named[:-1] == ENTITIES[:10]
    assert named[-1] == "… and 16 more"          # 26 - 10
    assert paragraph.endswith("see each country's nearest tipping point under the ranked "
                              "table.")
    # the ranked table still lists every country
    assert all(f"| {name} " in markdown for name in [*ENTITIES, "Outsider"])


def test_a_short_ranking_is_listed_whole(tmp_path):
    (tmp_path / "model.toml").write_text(MODEL, encoding="utf-8")
    (tmp_path / "data.csv").write_text("entity,a,b\nA,90,90\nB,60,60\nC,30,30\n",
                                       encoding="utf-8")
    (tmp_path / "sensitivity.toml").write_text(SETTINGS, encoding="utf-8")
    out = tmp_path / "r.md"
    result = CliRunner().invoke(cli, ["report", "--config", str(tmp_path / "model.toml"),
                                      "--data", str(tmp_path / "data.csv"), "--settings",
                                      str(tmp_path / "sensitivity.toml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    items = _how_sure_items(out.read_text(encoding="utf-8"))
    assert [item.split(" ranks first in ")[0] for item in items] == ["A", "B", "C"]
    assert not any("more" in item for item in items)


def test_countries_that_could_reach_the_top_are_capped_too(tmp_path):
    # 15 tied outsiders (a = 100, b missing): 50 as no risk, tied 13th behind E01..E12;
    # 100 as worst case, all tied first. So every one ranks first in some draws: 15
    # climbers, of which the first 10 are named. 25 + 15 = 40 countries, 20 named.
    items = _how_sure_items(_report(tmp_path, outsiders=[f"Outsider{k:02d}" for k in range(15)]))
    named = [item.split(" ranks first in ")[0] for item in items[:-1]]
    assert named[:10] == ENTITIES[:10]
    assert len(named) == 20 and all(n.startswith("Outsider") for n in named[10:])
    assert items[-1] == ("… and 20 more, 5 of which also rank first in some draws or have a "
                         "5–95% rank interval reaching the top 10: see the Robustness table.")
