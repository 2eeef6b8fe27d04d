"""Free text with Markdown's special characters renders verbatim and keeps tables whole."""

from __future__ import annotations

from report_support import make_mini, paragraphs_and_items, parse, source_items

from riskscore.engine.pipeline import assess
from riskscore.outputs.report import build_report
from riskscore.outputs.report.mdtext import cell, text


def _tokens(mini):
    result = assess(mini / "config" / "model.toml", profiles=mini / "seeds" / "profiles")
    return parse(build_report(result, None).markdown)


def test_pipe_in_source_title_renders_verbatim_in_the_sources_list(tmp_path):
    mini = make_mini(tmp_path)
    item = next(i for i in source_items(_tokens(mini)) if "Debt bulletin" in i["title"])
    assert item["title"] == "Ministry of Finance | Debt bulletin"
    assert item["date"] == "2019-01-01"
    assert item["cited"] == "Alpha: debt share"


def test_pipe_in_missing_reason_renders_verbatim_in_the_missing_list(tmp_path):
    mini = make_mini(tmp_path)
    items = paragraphs_and_items(_tokens(mini))
    # Alpha's reason has a pipe; it must not split anything
    assert "largest deal (missing): no figure | none published Handled: left out; its siblings' " \
           "weights re-scaled to fill its share." in items


def test_judgement_and_quote_text_render_verbatim(tmp_path):
    mini = make_mini(tmp_path)
    items = paragraphs_and_items(_tokens(mini))
    assert "judgement: Coded 90 | the stated floor" in items
    assert "judgement: No localisation rule found *in force*" in items
    assert any(item.endswith("“No rule on $ transfers.”") for item in items)


def test_title_with_pipe(tmp_path):
    mini = make_mini(tmp_path)
    result = assess(mini / "config" / "model.toml", profiles=mini / "seeds" / "profiles")
    markdown = build_report(result, None, title="A | B *c*").markdown
    assert parse(markdown)[1].content == "A | B \\*c\\*"


def test_escape_helpers():
    assert cell("a | b") == "a \\| b"
    assert cell("line\nbreak") == "line break"
    assert text("*x* _y_ [z] `c` $5 ~s~ <b>") == \
        "\\*x\\* \\_y\\_ \\[z\\] \\`c\\` \\$5 \\~s\\~ \\<b\\>"
    assert text("back\\slash") == "back\\\\slash"
