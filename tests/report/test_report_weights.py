"""A what-if weight shows in the report, as an override, and changes the ranking."""

from __future__ import annotations

from click.testing import CliRunner
from report_support import make_mini, mini_args, paragraphs_and_items, parse, table_under

from riskscore.cli.report import report


def _run(mini, tmp_path, *extra):
    output = tmp_path / "out" / "risk-report.md"
    result = CliRunner().invoke(report, [*mini_args(mini), "--output", str(output), *extra])
    assert result.exit_code == 0, result.output
    return parse(output.read_text(encoding="utf-8"))


def test_weight_override_changes_ranking_and_is_stated(tmp_path):
    mini = make_mini(tmp_path)
    default = _run(mini, tmp_path / "a")
    what_if = _run(mini, tmp_path / "b", "--weight", "debt=0.7")
    def countries(tokens):
        ranked = table_under(tokens, "Summary")
        col = ranked["header"].index("country")
        return [row[col] for row in ranked["rows"]]

    order, order_what_if = countries(default), countries(what_if)
    # by hand (report_support): Alpha 0.508 > Beta 0.485; with debt at 0.7, Beta 0.694 > Alpha 0.281
    assert order[:2] == ["Alpha", "Beta"]
    assert order_what_if[:2] == ["Beta", "Alpha"]

    weights = {row[1]: row for row in table_under(what_if, "Weights in effect")["rows"]}
    assert weights["debt"][2] == "70.0%"
    assert "--weight debt=0.7" in weights["debt"][3]
    assert weights["vendor"][2] == "10.0%" and "re-scaled" in weights["vendor"][3]
    text = "\n".join(paragraphs_and_items(what_if))
    assert "What-if weights are in effect" in text
    assert "--weight debt=0.7" in text  # in the reproducibility line

    default_weights = {row[1]: row for row in table_under(default, "Weights in effect")["rows"]}
    assert default_weights["debt"][2] == "25.0%"
    assert "What-if" not in "\n".join(paragraphs_and_items(default))


def test_indicator_weight_override_shows_in_indicator_table(tmp_path):
    mini = make_mini(tmp_path)
    tokens = _run(mini, tmp_path, "--weight", "debt_share_external=0.5")
    rows = {row[0]: row for row in table_under(tokens, "Indicators")["rows"]}
    assert rows["debt_share_external"][7] == "0.500"
    assert rows["debt_distress_flag"][7] == "0.500"
