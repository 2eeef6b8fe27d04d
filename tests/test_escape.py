"""The escapers, one per output context, on hand-written cases read back by real parsers."""

from __future__ import annotations

import pytest
from hostile_support import (
    assert_html_is_inert,
    assert_markdown_is_inert,
    html_elements,
    markdown_tokens,
    render_markdown,
    visible_text,
)

from riskscore.outputs.escape import (
    figure_label,
    flatten,
    html_text,
    link_target,
    md_cell,
    md_code,
    md_code_cell,
    md_image,
    md_link,
    md_text,
    script_json,
)

HOSTILE = [
    "# Heading", "- item", "+ item", "1. first", "2) second", "---", "===", "> quote",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "*em* _em_ __strong__",
    "`code`", "[a](javascript:alert(1))", "![i](x)", "$x^2$", "~~s~~", "&lt;b&gt; &amp; &#60;",
    "back\\slash \\*", "a | b", "line\nbreak", "cr\r\n# Heading", "tab\there", "x\n    indented",
    "[ref]: javascript:alert(1)", "<!-- comment -->", "<http://autolink.example>", "ends # ##",
]


@pytest.mark.parametrize("raw", HOSTILE)
def test_text_renders_verbatim_as_one_paragraph(raw):
    source = f"Before {md_text(raw)} after\n\n{md_text(raw)}\n"
    tokens = markdown_tokens(source)
    kinds = [t.type for t in tokens if t.type not in ("inline", "text", "softbreak")]
    assert kinds == ["paragraph_open", "paragraph_close"] * 2, kinds
    shown = [t.content for t in tokens if t.type == "text"]
    flat = " ".join(raw.replace("\r\n", " ").replace("\n", " ").replace("\t", " ").split(" "))
    assert shown[1] == flat.strip() if flat.startswith(" ") else shown[1] == flat
    assert shown[0] == f"Before {flat} after"


@pytest.mark.parametrize("raw", HOSTILE)
def test_cell_stays_in_its_cell_and_renders_verbatim(raw):
    source = f"| h1 | h2 |\n|---|---|\n| {md_cell(raw)} | z |\n"
    tokens = markdown_tokens(source)
    cells = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "td_open"]
    assert len(cells) == 2 and cells[1] == "z"
    texts = [t.content for t in tokens if t.type == "text"]
    assert texts[-2] == flatten(raw).strip()
    assert not [t for t in tokens if t.type.startswith(("html", "link", "image", "em", "s_"))]
    assert_html_is_inert(render_markdown(source))


def test_escapes_by_hand():
    assert md_text("*x* _y_ [z] `c` $5 ~s~ <b>") == \
        "\\*x\\* \\_y\\_ \\[z\\] \\`c\\` \\$5 \\~s\\~ \\<b\\>"
    assert md_text("back\\slash") == "back\\\\slash"
    assert md_text("# h") == "\\# h" and md_text("- a") == "\\- a" and md_text("1. a") == "1\\. a"
    assert md_text("24.kg, a report") == "24.kg, a report"    # not a list marker: unchanged
    assert md_text("C# and F#") == "C# and F#" and md_text("rank #1") == "rank #1"
    assert md_text("Team #") == "Team \\#"                   # not a heading's closing sequence
    assert md_text("-5% and a-b") == "-5% and a-b"
    assert md_text("a\nb\r\nc\rd\x00e\u2028f") == "a b c d\\\\x00e f"   # NUL shown escaped
    assert md_text("AT&T &amp;") == "AT&T \\&amp;"
    assert md_cell("a | b\nc") == "a \\| b c"
    assert md_cell("# not a heading in a cell") == "# not a heading in a cell"


@pytest.mark.parametrize(("raw", "span"), [
    ("plain", "`plain`"),
    ("a`b", "``a`b``"),
    ("a``b`c", "```a``b`c```"),
    ("`start", "`` `start ``"),
    ("end`", "`` end` ``"),
    (" both ", "`  both  `"),
    ("   ", "`   `"),
    ("new\nline", "`new line`"),
])
def test_code_span_fence_and_padding_by_commonmark(raw, span):
    assert md_code(raw) == span
    code = [t.content for t in markdown_tokens(f"x {span} y") if t.type == "code_inline"]
    assert code == [flatten(raw)]


def test_code_span_in_a_table_cell_keeps_the_pipe_and_the_backticks():
    raw = "id`with|pipe"
    tokens = markdown_tokens(f"| a |\n|---|\n| {md_code_cell(raw)} |\n")
    assert [t.content for t in tokens if t.type == "code_inline"] == [raw]


def test_backtick_cannot_break_out_of_a_code_span():
    raw = "p`<img src=x onerror=alert(1)>`"
    source = f"profiles {md_code(raw)}: sha256 `abc`"
    assert_markdown_is_inert(source)
    assert [t.content for t in markdown_tokens(source) if t.type == "code_inline"] == [raw, "abc"]


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "data:text/html,<b>",
    "vbscript:x", "file:///etc/passwd", "//evil.example/x", "x><script>alert(1)</script><b",
    "mailto:a@b.c", "http:/no-host", "https://\\evil", "",
])
def test_only_http_https_and_doi_become_links(url):
    assert link_target(url) is None
    source = md_link("Title](javascript:alert(2)) <b>", url)
    assert_markdown_is_inert(source)
    assert "Title](javascript:alert(2)) <b>" in visible_text(source)


def test_allowed_links_are_percent_encoded():
    assert link_target("doi:10.1000/182") == "https://doi.org/10.1000/182"
    assert link_target("HTTPS://example.org/a b") == "HTTPS://example.org/a%20b"
    assert link_target("10.1000/182") == "https://doi.org/10.1000/182"       # a bare DOI
    assert link_target("10.12/x") is None                                    # not a DOI
    html = render_markdown(md_link("T", 'https://example.org/"><script>x</script>'))
    assert 'href="https://example.org/%22%3E%3Cscript%3Ex%3C/script%3E"' in html
    assert_html_is_inert(html)


def test_image_paths_with_spaces_and_brackets_still_render():
    html = render_markdown(md_image("a [b] <c>", "figures/my (1) report-bars.svg"))
    assert '<img src="figures/my%20%281%29%20report-bars.svg" alt="a [b] &lt;c&gt;"' in html


def test_html_text_and_script_json():
    raw = '<img src=x onerror="alert(1)">\n&'
    found = html_elements(f'<p title="{html_text(raw)}">{html_text(raw)}</p>')
    assert [t for t, _ in found.tags] == ["p"]
    assert found.tags[0][1] == [("title", '<img src=x onerror="alert(1)"> &')]
    assert "".join(found.text) == '<img src=x onerror="alert(1)"> &'
    payload = script_json({"name": "</script><script>alert(1)</script><!--\u2028"})
    assert "<" not in payload and ">" not in payload and "\u2028" not in payload
    import json

    assert json.loads(payload) == {"name": "</script><script>alert(1)</script><!--\u2028"}


def test_figure_label_is_one_line_and_keeps_dollars():
    assert figure_label("A $x^2$\nB") == "A $x^2$ B"


@pytest.mark.parametrize("raw", HOSTILE)
def test_text_in_a_heading_is_the_whole_heading_verbatim(raw):
    tokens = markdown_tokens(f"### {md_text(raw)}\n")
    assert [t.type for t in tokens if t.type.endswith(("_open", "_close"))] == [
        "heading_open", "heading_close"]
    shown = "".join(t.content for t in tokens if t.type == "text")
    assert shown == flatten(raw).strip(" ")


def _github(source: str) -> str:
    """``source`` as GitHub renders it (cmark-gfm with its extensions, raw HTML let through
    so that any that got in would show)."""
    import cmarkgfm
    from cmarkgfm.cmark import Options

    return cmarkgfm.github_flavored_markdown_to_html(source, options=Options.CMARK_OPT_UNSAFE)


def test_a_bare_web_address_in_text_stays_a_working_link_on_github():
    url = "https://24.kg/english/127757_Interior_Ministry_of_Kyrgyzstan/"
    for source in (md_text(f"see {url} (2019)"), f"| h |\n|---|\n| {md_cell(url)} |\n"):
        html = _github(source)
        assert f'<a href="{url}">{url}</a>' in html
    # what would open markup still ends the address and is escaped
    html = _github(md_text("https://a.example/x><script>alert(1)</script> $x$ *y*"))
    assert_html_is_inert(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; $x$ *y*" in html


@pytest.mark.parametrize("raw", HOSTILE)
def test_github_renders_text_and_cells_verbatim_and_inert(raw):
    html = _github(f"{md_text(raw)}\n\n| h |\n|---|\n| {md_cell(raw)} |\n")
    found = assert_html_is_inert(html)
    # a web address in the text may become a link (assert_html_is_inert allows http(s) only)
    table = ["table", "thead", "tr", "th", "tbody", "tr", "td"]
    assert [tag for tag, _ in found.tags if tag != "a"] == ["p", *table]
