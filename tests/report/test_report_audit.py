"""The summary says first how sure the ranking is; the audit section; citations jump to sources."""

from __future__ import annotations

import re

from report_support import headings, make_mini, paragraphs_and_items, parse, table_under
from test_report_robustness import FakeSensitivity

from riskscore.analyses.audit import audit_assessment
from riskscore.engine.pipeline import assess
from riskscore.outputs.report import build_report


def _mini(tmp_path, **kwargs):
    mini = make_mini(tmp_path)
    result = assess(mini / "config" / "model.toml", profiles=mini / "seeds" / "profiles")
    return result, build_report(result, None, **kwargs).markdown


def test_the_summary_says_first_how_sure_the_ranking_is(tmp_path):
    _, markdown = _mini(tmp_path, sensitivity=FakeSensitivity())
    summary = markdown.split("## Summary\n\n", 1)[1]
    # what the evidence supports leads (both 5-95% rank intervals are 1-2: one tier), then
    # how sure the ranking is, before any table (issue 23)
    assert summary.startswith("**What the evidence supports.** The uncertainty analysis cannot "
                              "separate the countries")
    how_sure = next(p for p in summary.split("\n\n") if p.startswith("**How sure"))
    assert summary.index(how_sure) < summary.index("| rank") if "| rank" in summary else True
    assert how_sure.startswith("**How sure is this ranking? Not very:** Alpha ranks first in "
                               "75% of the 512 draws")
    items = paragraphs_and_items(parse(markdown))
    alpha = next(i for i in items if i.startswith("Alpha ranks first in"))
    assert alpha.startswith("Alpha ranks first in 75% of the draws; 5–95% rank interval 1–2;")
    assert any(i.startswith("Beta ranks first in 25% of the draws; 5–95% rank interval 1–2;")
               for i in items)


def test_without_a_sensitivity_run_the_summary_says_so(tmp_path):
    _, markdown = _mini(tmp_path)
    summary = markdown.split("## Summary\n\n", 1)[1]
    # no tiers without a sensitivity run: the floors and ceilings lead, then how sure
    paragraphs = summary.split("\n\n")
    assert paragraphs[0].startswith("**Floors and ceilings.**")
    assert paragraphs[1].startswith("**How sure is this ranking?** Not measured here")


def test_hashes_come_last(tmp_path):
    result, markdown = _mini(tmp_path)
    level2 = [t for level, t in headings(parse(markdown)) if level == 2]
    assert level2[-1] == "Reproducibility"
    assert markdown.index(result.model.sha256) > markdown.index("## Sources")
    assert markdown.count(result.model.sha256) == 1


def test_the_audit_section_lists_findings_accepts_and_intervals(tmp_path):
    result, markdown = _mini(tmp_path)
    audit = audit_assessment(result)
    section = markdown.split("## Audit\n\n", 1)[1].split("\n## ", 1)[0]
    summary = audit.summary()
    assert (f"{summary['errors']} error(s), {summary['warnings']} warning(s) not accepted"
            in section)
    for finding in audit.strict_failures:
        assert f"`{finding.code}`" in section
    tokens = parse(markdown)
    intervals = table_under(tokens, "Missing data: score intervals")
    assert intervals["header"] == ["country", "score", "missing", "all at lowest risk",
                                   "all at highest risk", "possible ranks"]
    by_country = {row[0]: row for row in intervals["rows"]}
    for item in audit.intervals:
        row = by_country[item["entity"]]
        assert row[3] == f"{item['lowest']:.1f}" and row[4] == f"{item['highest']:.1f}"


def test_accepted_findings_show_with_their_reason(tmp_path):
    mini = make_mini(tmp_path)
    model = mini / "config" / "model.toml"
    model.write_text(model.read_text() + '\n[[audit.accept]]\ncode = "single-source"\n'
                     'reason = "One register is the only source."\n'
                     '\n[[audit.accept]]\ncode = "reweight-lowers"\n'
                     'reason = "Gaps are re-weighted on purpose | see methodology."\n')
    result = assess(model, profiles=mini / "seeds" / "profiles")
    markdown = build_report(result, None).markdown
    section = markdown.split("### Accepted findings\n\n", 1)[1].split("\n### ", 1)[0]
    assert "*Accepted because:* Gaps are re-weighted on purpose | see methodology." in section
    assert "reweight-lowers" in section


def test_citations_jump_to_the_numbered_source(tmp_path):
    _, markdown = _mini(tmp_path)
    targets = set(re.findall(r"\]\(#source-(\d+)\)", markdown))
    anchors = set(re.findall(r'<a id="source-(\d+)"></a>', markdown))
    assert targets and targets <= anchors
    assert "(#sources)" not in markdown.split("## Sources")[0].replace("[Sources](#sources)", "")


def test_a_documented_absence_is_not_listed_as_missing(tmp_path):
    from test_domains import project as absent_project

    config, profiles = absent_project(tmp_path)
    result = assess(config, profiles=profiles)
    markdown = build_report(result, None).markdown
    assert "#### Missing or not counted for Alpha" not in markdown
    assert "DOCUMENTED ABSENT" in markdown or "documented absent" in markdown
