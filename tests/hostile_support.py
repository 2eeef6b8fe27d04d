"""A hostile copy of the example project, and readers that check published output the way a
renderer reads it: Markdown with markdown-it-py (CommonMark + GitHub tables), HTML with
html.parser, SVG with xml.etree.

Every string a user controls carries markup: an entity name with a newline and a heading,
a backtick, a pipe, a script element and ``$...$``; an indicator id and a node id with
backticks and ``$``; labels with HTML and maths; evidence URLs ``javascript:`` and
``x><script>``; a source title that tries to close a link; a judgement that tries to start
lists and a table; a profiles folder named with a backtick and an ``onerror`` image.
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

from support import EXAMPLE

NAME = "Kyrgyz\n# Heading `tick` a|b <script>alert(1)</script> $x^2$ *em*"
FLAT_NAME = NAME.replace("\n", " ")      # how it shows: one line, every character literal
INDICATOR = "vendor`share$"              # an indicator id (the TOML key of the indicator)
NODE = "debt`$"                          # a node id
NODE_LABEL = "Debt `exposure` $y$ <b onmouseover=alert(6)>bold</b>"
SHORT = "vendor `sh` $z$ <i>"            # the indicator's short label
JUDGEMENT = ("Judged\r\n- injected item\n1. ordered\n| a | b |\n|---|---|\n"
             "<div onclick=alert(7)>x</div>\n===")
TITLE = "Title](javascript:alert(3)) <img src=x onerror=alert(4)>"
URLS = ("javascript:alert(1)", "x><script>alert(2)</script><b")
FOLDER = "p`<img src=x onerror=alert(5)>`"
# Text that must never become markup, each as it must still be readable.
LITERALS = ("<script>alert(1)</script>", "$x^2$", "*em*", "`tick`", "a|b")
# How each hostile line would begin a block of its own if a newline got through.
INJECTED = ("Heading", "injected item", "ordered", "a | b", "<div", "===", "x</div>")


def hostile_project(root: Path) -> Path:
    """Copy the example project to ``root`` and make every user string hostile; return root."""
    for part in ("config", "seeds"):
        shutil.copytree(EXAMPLE / part, root / part)
    shutil.copy(EXAMPLE / "riskscore.toml", root / "riskscore.toml")
    files = [root / "config" / "model.toml", root / "config" / "hints.toml",
             *sorted((root / "seeds" / "profiles").glob("*.toml"))]
    for path in files:
        text = path.read_text(encoding="utf-8")
        text = text.replace("indicators.vendor_telecom_share]", f'indicators."{INDICATOR}"]')
        text = text.replace("values.vendor_telecom_share", f'values."{INDICATOR}"')
        text = text.replace("[nodes.debt]", f'[nodes."{NODE}"]')
        text = text.replace('parent = "debt"', f'parent = "{NODE}"')
        path.write_text(text, encoding="utf-8")
    model = root / "config" / "model.toml"
    text = model.read_text(encoding="utf-8")
    text = text.replace('label = "Debt exposure to China"', f"label = {_toml(NODE_LABEL)}")
    text = text.replace('short = "vendor share"', f"short = {_toml(SHORT)}")
    model.write_text(text, encoding="utf-8")
    profile = root / "seeds" / "profiles" / "kyrgyzstan.toml"
    text = profile.read_text(encoding="utf-8")
    text = text.replace('entity = "Kyrgyzstan"', f"entity = {_toml(NAME)}")
    text = text.replace('url = "https://24.kg/english/74248_Smart_City_project_Odd_investors/"',
                        f"url = {_toml(URLS[0])}")
    text = text.replace('url = "https://24.kg/english/127757_Interior_Ministry_of_Kyrgyzstan_'
                        'cooperates_with_Chinese_company_CEIEC/"', f"url = {_toml(URLS[1])}")
    text = text.replace("source = \"24.kg, 'Smart City project. Odd investors'\"",
                        f"source = {_toml(TITLE)}")
    text, count = re.subn(r'judgement = "Proxy: [^"\n]*"', lambda _: f"judgement = {_toml(JUDGEMENT)}",
                          text, count=1)
    assert count == 1 and NAME.split("\n")[0] + "\\n" in text and URLS[1] in text
    profile.write_text(text, encoding="utf-8")
    (root / "seeds" / "profiles").rename(root / "seeds" / FOLDER)
    project = root / "riskscore.toml"
    project.write_text(project.read_text(encoding="utf-8").replace(
        'profiles = "seeds/profiles"', f"profiles = {_toml('seeds/' + FOLDER)}"), encoding="utf-8")
    return root


def _toml(value: str) -> str:
    """A TOML basic string."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\r", "\\r").replace("\n", "\\n") + '"'


# ---- reading Markdown as a renderer does --------------------------------------------------

def markdown_tokens(source: str):
    """Every token (block and inline, flattened) of ``source`` under CommonMark + GFM tables."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    out = []
    for token in parser.parse(source):
        out.append(token)
        out.extend(token.children or ())
    return out


def render_markdown(source: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(source)


def shown(inline) -> str:
    """What an inline token shows: the text of its children (code spans as their content)."""
    return "".join(c.content for c in inline.children or ()
                   if c.type in ("text", "code_inline", "softbreak"))


def heading_texts(source: str) -> list[str]:
    """Each heading as shown."""
    tokens = markdown_tokens(source)
    return [shown(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "heading_open"]


def header_cells(source: str) -> list[str]:
    """Each table header cell as shown."""
    tokens = markdown_tokens(source)
    return [shown(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "th_open"]


def visible_text(source: str) -> str:
    """What a reader sees: the text of every text and code token, joined."""
    return " ".join(t.content for t in markdown_tokens(source)
                    if t.type in ("text", "code_inline", "code_block", "fence"))


def assert_markdown_is_inert(source: str, *, allowed_html=()) -> None:
    """No user text became markup: no HTML token (beyond ``allowed_html``, exact strings the
    program writes itself), no heading, list item or table cell started by the hostile lines,
    no link with a scheme other than http(s) (or a fragment, or a relative figure), and no
    script element or on* attribute in the rendered HTML."""
    tokens = markdown_tokens(source)
    for token in tokens:
        if token.type in ("html_block", "html_inline"):
            assert token.content.strip() in allowed_html, f"raw HTML from text: {token.content!r}"
        if token.type in ("link_open", "image"):
            target = token.attrs.get("href") or token.attrs.get("src") or ""
            assert re.match(r"(https?://|#|figures/)", target), f"link target {target!r}"
        if token.type == "inline":
            # a hostile line that started a block of its own would start an inline token
            assert not token.content.startswith(INJECTED), f"injected block: {token.content!r}"
            assert token.content not in ("a", "b", "x"), f"injected table: {token.content!r}"
    assert_html_is_inert(render_markdown(source))


# ---- reading HTML and SVG ----------------------------------------------------------------

class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)


def html_elements(source: str) -> _Elements:
    parser = _Elements()
    parser.feed(source)
    parser.close()
    return parser


def assert_html_is_inert(source: str, scripts: int = 0) -> _Elements:
    """At most ``scripts`` script elements (the page's own), no on* attribute, no link or
    source to a scheme other than http(s), a fragment or a relative figure."""
    found = html_elements(source)
    assert sum(tag == "script" for tag, _ in found.tags) <= scripts, [
        t for t in found.tags if t[0] == "script"]
    for tag, attrs in found.tags:
        for name, value in attrs:
            assert not name.lower().startswith("on"), (tag, name, value)
            if name in ("href", "src") and value is not None:
                assert re.match(r"(https?://|#|figures/)", value), (tag, name, value)
        assert tag not in ("img", "iframe", "object", "embed") or dict(attrs).get(
            "src", "").startswith("figures/"), (tag, attrs)
    return found


def assert_svg_is_inert(data: bytes) -> ElementTree.Element:
    """Well-formed XML with no script element, no foreignObject and no on* attribute."""
    root = ElementTree.fromstring(data)
    for element in root.iter():
        local = element.tag.rsplit("}", 1)[-1]
        assert local not in ("script", "foreignObject"), local
        for name in element.attrib:
            assert not name.rsplit("}", 1)[-1].lower().startswith("on"), (local, name)
    return root


def svg_texts(data: bytes) -> list[str]:
    """The text of every <text> element (figures drawn with svg.fonttype 'none')."""
    root = ElementTree.fromstring(data)
    return ["".join(element.itertext()) for element in root.iter()
            if element.tag.rsplit("}", 1)[-1] == "text"]
