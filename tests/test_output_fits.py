"""Output that fits: every command's text at 80, 100 and 160 columns; colour, --quiet, case,
ISO3 codes and "did you mean"."""

from __future__ import annotations

import json
import re
import sys

import click
import pytest
from click.testing import CliRunner

from riskscore.cli.main import cli
from riskscore.cli.options import _use_pager
from riskscore.outputs.render import elide_url, fit_table, style, terminal_width, wrap_text
from support import ARTICLE, EXAMPLE

URL = re.compile(r"^\S*https?://\S+$")

COMMANDS = [
    ["score"], ["score", "--wide"], ["score", "--weight", "debt=0.4"],
    ["explain", "Tajikistan"], ["explain", "KAZ"], ["evidence"], ["evidence", "kgz"],
    ["validate"], ["list", "countries"], ["list", "indicators"], ["list", "weights"],
    ["sensitivity", "--settings", "../quick-sensitivity.toml", "--seed", "1"],  # few draws
    ["extract", "seeds/000_fecfd22379664373.txt"],
    ["audit"], ["compare", "--to-as-of", "2021-01-01"], ["trend", "--from", "2017", "--to", "2020"],
    ["--help"], ["score", "--help"], ["explain", "--help"],
]


@pytest.fixture(autouse=True)
def at_example(monkeypatch):
    monkeypatch.chdir(EXAMPLE)
    monkeypatch.delenv("NO_COLOR", raising=False)


def run(*args, ok=True):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    if ok:
        assert result.exit_code in (0, 1) and result.exception is None or \
            isinstance(result.exception, SystemExit), result.output
    return result


@pytest.mark.parametrize("width", [80, 100, 160])
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_no_line_is_wider_than_the_terminal(command, width, monkeypatch):
    """No exception: a URL longer than the line is shortened in the middle (elide_url)."""
    monkeypatch.setenv("COLUMNS", str(width))
    output = run(*command).output
    assert output.strip()
    for line in output.splitlines():
        assert len(line) <= width, f"{len(line)} > {width}: {line!r}"


def test_terminal_width_is_columns_else_the_terminal_else_100(monkeypatch):
    monkeypatch.setenv("COLUMNS", "123")
    assert terminal_width() == 123
    monkeypatch.setenv("COLUMNS", "0")
    monkeypatch.setattr(sys, "__stdout__", None)  # no terminal at all
    assert terminal_width() == 100


def test_wrap_text_keeps_urls_whole_and_breaks_other_long_words():
    url = "https://example.org/" + "a" * 6           # 26 characters: fits after the indent
    lines = wrap_text(f"see {url} for more", 30, "  ", "    ")
    assert lines == ["  see", f"    {url}", "    for more"]
    assert wrap_text("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


def test_a_url_longer_than_the_line_is_shortened_in_the_middle():
    url = "https://example.org/" + "a" * 30 + "/end"   # 54 characters
    lines = wrap_text(f"see {url} for more", 30, "  ", "    ")
    # 26 characters after the indent: 25 kept around '…', the first 15 (3/5, rounded up)
    # and the last 10
    assert lines == ["  see", "    https://example…aaaaaa/end", "    for more"]
    assert len(lines[1]) == 30
    assert elide_url(url, 60) == url


def test_fit_table_wraps_then_falls_back_to_records():
    rows = [{"id": "alpha", "n": 1.25, "text": "one two three four five six seven eight"}]
    wide = fit_table(rows, ["id", "n", "text"], width=80).splitlines()
    # id 5 wide, n 3 ("1.2", right-aligned), text 39; two spaces between columns.
    assert wide == ["id       n  text", "-----  ---  " + "-" * 39,
                    "alpha  1.2  one two three four five six seven eight"]
    # At 30 columns the text column gets 30 - 5 - 3 - 4 = 18 characters.
    narrow = fit_table(rows, ["id", "n", "text"], width=30).splitlines()
    assert narrow[2:] == ["alpha  1.2  one two three four", " " * 12 + "five six seven",
                          " " * 12 + "eight"]
    records = fit_table(rows, ["id", "n", "text"], width=12).splitlines()
    assert records[:3] == ["id alpha", "  n: 1.2", "  text: one"]


def test_explain_is_a_card_per_indicator_with_evidence_beneath(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    lines = run("explain", "tajikistan").output.splitlines()
    card = lines.index(next(ln for ln in lines if ln.startswith("vendor share [vendor_telecom_share] (")))
    # Frozen example: share 2/(2+1+1) of vendor, 1/4 of the index -> effective 0.125; Tajikistan
    # ">90 percent" coded 90 on goalposts 0-100 -> 90.0 normalised.
    assert lines[card + 1].startswith("  value 90 (90–100)% · normalised 90.0 · weight 0.500 "
                                      "(effective 0.125)")
    evidence = lines.index("  evidence:", card)
    assert lines[evidence + 1].startswith("    “In Tajikistan, Huawei accounts for over 90 percent")


def test_evidence_groups_by_country_and_indicator_with_urls_whole(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    lines = run("evidence").output.splitlines()
    countries = [ln for ln in lines if ln and not ln.startswith(" ")]
    assert countries == ["Kazakhstan", "Kyrgyzstan", "Tajikistan", "Uzbekistan"]
    items = json.loads(run("evidence", "--format", "json").output)
    urls = {i["url"] for i in items if i.get("url")}
    shown = {ln.strip() for ln in lines}
    # each URL on a line of its own at a 6-space indent: whole where it fits in the 74
    # columns left, else shortened to them
    assert urls and all(elide_url(url, 74) in shown for url in urls)
    assert any(len(url) > 74 for url in urls)
    assert all(len(ln) <= 80 for ln in lines)


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    assert style("x", bold=True) == "\x1b[1mx\x1b[0m"
    monkeypatch.setenv("NO_COLOR", "1")
    assert style("x", bold=True) == "x"
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False, raising=False)
    assert style("x", bold=True) == "x"


def test_output_is_plain_in_a_pipe_and_files_get_no_colour_codes(tmp_path):
    assert "\x1b[" not in run("score").output  # CliRunner is not a terminal
    target = tmp_path / "score.txt"
    run("score", "-o", target)
    assert "\x1b[" not in target.read_text(encoding="utf-8")


def test_quiet_prints_only_the_result(tmp_path):
    loud = run("score").output
    quiet = run("score", "--quiet").output
    assert "higher = more risk" in loud and "higher = more risk" not in quiet
    assert quiet == run("-q", "score").output
    assert quiet.strip() and loud.startswith(quiet.rstrip("\n"))
    assert run("score", "-q", "--format", "csv", "-o", tmp_path / "s.csv").output == ""


def test_choices_are_case_insensitive():
    assert json.loads(run("score", "--format", "JSON").output)["results"]
    assert run("score", "--sources", "Article", "--format", "Csv").output.startswith("rank,")
    assert "vendor_telecom_share" in run("list", "Indicators").output


def test_countries_by_iso3_and_any_case():
    by_code = json.loads(run("explain", "TJK", "--format", "json").output)
    assert by_code["entity"] == "Tajikistan"
    assert json.loads(run("explain", "tjk", "--format", "json").output) == by_code
    assert json.loads(run("explain", "TAJIKISTAN", "--format", "json").output) == by_code
    assert {e["entity"] for e in json.loads(run("evidence", "uzb", "--format", "json").output)} \
        == {"Uzbekistan"}


@pytest.mark.parametrize("args, suggestion", [
    (["explain", "Tajikstan"], "(did you mean 'Tajikistan'?)"),
    (["evidence", "Kazakstan"], "(did you mean 'Kazakhstan'?)"),
    (["score", "--weight", "dbet=0.4"], "(did you mean 'debt'?)"),
    (["score", "--weight", "vendor_telecom_shar=0.4"], "(did you mean 'vendor_telecom_share'?)"),
])
def test_did_you_mean(args, suggestion):
    result = run(*args, ok=False)
    assert result.exit_code == 1
    assert suggestion in result.output and "Traceback" not in result.output


def test_every_help_has_an_example():
    for name in cli.list_commands(None):
        text = run(name, "--help").output
        assert "Example" in text, f"riskscore {name} --help: add an 'Example:' section"
    assert "Example" in run("--help").output


def test_pager_only_on_a_terminal_and_only_for_long_output(monkeypatch):
    import riskscore.outputs.render

    monkeypatch.setattr(riskscore.outputs.render, "terminal_height", lambda: 24)
    long, short = "x\n" * 40, "x\n" * 5
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    assert _use_pager(long) and not _use_pager(short)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False, raising=False)  # a pipe
    assert not _use_pager(long)


def test_a_data_table_takes_iso3_codes_too(tiny, tmp_path):
    from riskscore import assess

    model, _ = tiny
    table = tmp_path / "named.csv"
    table.write_text("entity,x,y,z\nTajikistan,5,20,1\nKyrgyzstan,10,100,0\n", encoding="utf-8")
    result = assess(model, data=table)
    assert [result.index(c) for c in ("tjk", "KGZ", "kyrgyzstan")] == [0, 1, 1]


def test_draft_country_did_you_mean():
    result = run("extract", ARTICLE, "--draft", "Tajikstan", "--as-of", "2019-11-19", ok=False)
    assert result.exit_code == 1
    assert "'Tajikstan' is not a known country (did you mean 'Tajikistan'?)" in result.output


def test_a_url_that_fits_only_without_the_indent_goes_flush_left():
    from riskscore.outputs.render import wrap_text

    url = "https://example.org/" + "a" * 12          # 32 characters
    # at width 34 an indent of 6 leaves 28: too little, but the whole width holds it
    assert wrap_text(f"see {url}", 34, indent="      ") == ["      see", url]
    # wider than the whole line: shortened at the indent to the 32 characters left, the
    # first 19 (3/5 of 31, rounded up) and the last 12 around '…'
    long = "https://example.org/" + "b" * 40
    assert wrap_text(long, 34, indent="  ") == ["  https://example.org…" + "b" * 12]


def test_sensitivity_tables_stay_aligned_on_a_colour_terminal(monkeypatch):
    """On a colour terminal a table's rule line starts with an escape code; the prose
    around the tables is wrapped, the tables themselves never (it collapsed their spaces)."""
    from riskscore.outputs import render

    monkeypatch.setattr(render, "colour_enabled", lambda: True)
    monkeypatch.setenv("COLUMNS", "80")
    result = CliRunner().invoke(cli, ["sensitivity", "--settings", "../quick-sensitivity.toml",
                                      "--seed", "1"], color=True)
    assert result.exit_code == 0, result.output
    plain = click.unstyle(result.output).splitlines()
    rules = [line for line in plain if line.startswith("--")]
    assert len(rules) == 2                                   # the ranks and the Sobol table
    for rule in rules:
        assert re.fullmatch(r"-+(  -+)+", rule), rule            # columns two spaces apart
    first = plain.index(rules[0])
    rows = plain[first + 1:plain.index("", first)]
    assert len(rows) == 4                                    # one per country, aligned
    columns = len(rules[0].split())
    for row in rows:
        assert len(re.split(r"(?<=\S)  +", row.strip())) == columns, row


def test_explain_markdown_keeps_its_four_facts_apart():
    from markdown_it import MarkdownIt

    output = run("explain", "TJK", "--format", "markdown").output
    tokens = MarkdownIt("commonmark").enable("table").parse(output)
    items = [t for t in tokens if t.type == "list_item_open"]
    assert len(items) == 8   # the four facts, then where it stands (issue 20), each apart
    inline = [t.content for t in tokens if t.type == "inline"]
    assert inline[0].startswith("Tajikistan: score ")
    assert inline[1].startswith("dimensions: ") and inline[3].startswith("contributions: ")
    assert [line.split(":")[0] for line in inline[4:8]] == [
        "standing", "nearest peers", "strengths (lowest risk ranks)",
        "weaknesses (highest risk ranks)"]
    assert any(t.type == "table_open" for t in tokens)
