"""Escaping, one function per output context: every string that reaches Markdown, HTML or SVG.

Like markupsafe, the escaper is chosen by where the text lands, and applied once, where
the text enters the document:

=====================  ======================================================================
``md_text``            running Markdown text (a paragraph, a list item, a heading, link text)
``md_cell``            a GitHub table cell
``md_code``            a Markdown code span (``md_code_cell`` inside a table cell)
``link_target``        a link's URL: http, https or doi only, percent-encoded; else None
``md_link``            ``[text](target)``, or the label and the URL as text if not allowed
``md_image``           ``![alt](relative path)`` (spaces and brackets percent-encoded)
``html_text``          HTML text and attribute values (``& < > " '``)
``script_json``        JSON inside an HTML ``<script>`` element
``figure_label``       a matplotlib label (drawn with ``FIGURE_RC``: no mathtext, no TeX)
=====================  ======================================================================

Every escaper first flattens line breaks and other control characters to spaces: a
newline in an entity name must never start a Markdown heading, list or table row.
Markdown text keeps what it says visible verbatim: inline markers are backslash-escaped
(``* _ ` [ ] < > $ ~``, and ``&`` where it would start an entity), and so is a marker at
its start that would begin a block (``#``, ``- ``, ``+ ``, ``--``, ``==``, ``1. ``). ``<`` and ``>``
never reach a renderer unescaped, so no text becomes HTML.
"""

from __future__ import annotations

import html
import json
import re
from urllib.parse import quote

ALLOWED_SCHEMES = ("http", "https", "doi")

# Line breaks, other C0 and C1 control characters, DEL and the Unicode line/paragraph separators.
_CONTROL = re.compile(r"\r\n|[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_INLINE = re.compile(r"([`*_\[\]<>$~])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# What would open a block at the start of a line: an ATX heading, a list item, a thematic
# break or a setext underline ("#", "- ", "+ ", "--", "=="), or an ordered item ("1. ", "2) ").
_BLOCK_MARK = re.compile(r"^([ ]*)(#|[-+=](?=[ ]|$|[-=]))")
_ORDERED = re.compile(r"^([ ]*[0-9]{1,9})([.)])(?=[ ]|$)")
# A run of "#" at the end, after a space: in a heading it would be dropped as its closing sequence.
_CLOSING = re.compile(r"(^|[ ])(#+[ ]*)$")
_BACKTICKS = re.compile(r"`+")
_WEB_ADDRESS = re.compile(r"(?i)((?<![\w/.@])(?:https?://|www\.)[^\s<>`\[\]|\\$*~]+)")
_BARE_DOI = re.compile(r"10\.[0-9]{4,9}/\S+$")


def flatten(raw: object) -> str:
    """``raw`` as one line: CR LF, LF, CR, tabs and every other control character become a space."""
    return _CONTROL.sub(" ", str(raw))


def _inline(raw: object) -> str:
    # A bare web address stays as written (GitHub links it; an escape inside would end up in
    # the link as %5C): it cannot hold what would open markup, which ends it and is escaped.
    parts = _WEB_ADDRESS.split(flatten(raw))
    return "".join(part if i % 2 else _escape_inline(part) for i, part in enumerate(parts))


def _escape_inline(value: str) -> str:
    value = _INLINE.sub(r"\\\1", value.replace("\\", "\\\\"))
    return _ENTITY.sub(r"\\&", value)


def md_text(raw: object) -> str:
    """``raw`` as running Markdown text that renders verbatim, on one line.

    >>> md_text("*x* <b> # y")
    '\\\\*x\\\\* \\\\<b\\\\> # y'
    >>> md_text("# Heading")
    '\\\\# Heading'
    """
    value = _CLOSING.sub(r"\1\\\2", _inline(raw))
    value = _BLOCK_MARK.sub(r"\1\\\2", value)
    return _ORDERED.sub(r"\1\\\2", value)


def md_link_text(raw: object) -> str:
    """The text of a link: running text (brackets escaped, so it cannot close the link)."""
    return md_text(raw)


def md_cell(raw: object) -> str:
    """``raw`` for a GitHub table cell: running text, plus ``|`` escaped so it cannot split it."""
    return _inline(raw).replace("|", "\\|")


def md_code(raw: object) -> str:
    """``raw`` as a Markdown code span, by CommonMark's rule: fenced by a backtick run longer
    than any inside, padded with a space where it starts or ends with a backtick (or would
    lose a space of its own).

    >>> md_code("a`b")
    '``a`b``'
    >>> md_code("`x`")
    '`` `x` ``'
    """
    value = flatten(raw)
    if not value:
        return "` `"
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(value)), default=0) + 1)
    pad = (value[0] == "`" or value[-1] == "`"
           or (value[0] == " " and value[-1] == " " and value.strip(" ")))
    return f"{fence} {value} {fence}" if pad else f"{fence}{value}{fence}"


def md_code_cell(raw: object) -> str:
    """A code span inside a table cell: GitHub splits cells at ``|`` even in code, so it is
    escaped (the table parser removes that backslash before the code span is read)."""
    return md_code(raw).replace("|", "\\|")


def link_target(url: object) -> str | None:
    """``url`` as a safe link target, or None if its scheme is not allowed.

    Only ``http://``, ``https://`` and DOIs (``doi:10.…`` or ``10.…/…``, as
    https://doi.org/...) become links;
    every character that could end the target or open markup (space, brackets, quotes,
    backtick, control characters) is percent-encoded, so a hostile URL such as
    ``x><script>`` or ``javascript:...`` can never become live markup.

    >>> link_target("doi:10.1000/182")
    'https://doi.org/10.1000/182'
    >>> link_target("javascript:alert(1)") is None
    True
    """
    if url is None:
        return None
    url = str(url).strip()
    if url.lower().startswith("doi:"):
        url = "https://doi.org/" + url[4:].strip()
    elif _BARE_DOI.match(url):
        url = "https://doi.org/" + url
    if not re.match(r"(?i)https?://[^\s/\\]", url):
        return None
    return quote(url, safe="/:?#[]@!$&*+,;=%~-._")


def md_link(label: object, url: object) -> str:
    """A Markdown link with an escaped label and a safe target; a URL whose scheme is not
    http, https or doi is shown as escaped text beside the label instead of as a link."""
    target = link_target(url)
    if target is None:
        return f"{md_link_text(label)} ({md_text(url)})"
    return f"[{md_link_text(label)}]({target})"


def md_image(alt: object, path: object) -> str:
    """A Markdown image of a relative figure path; spaces and brackets are percent-encoded."""
    return f"![{md_link_text(alt)}]({quote(str(path), safe='/._-~')})"


def html_text(raw: object) -> str:
    """``raw`` for HTML text or a quoted attribute value: ``& < > " '`` as entities."""
    return html.escape(flatten(raw), quote=True)


def script_json(payload) -> str:
    """JSON that is safe between ``<script type="application/json">`` tags: ``<``, ``>``
    and ``&`` as ``\\u`` escapes, so neither ``</script>`` nor ``<!--`` can occur."""
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, allow_nan=False,
                      separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


# matplotlib settings under which labels are drawn literally: no $...$ mathtext, no TeX.
# (Its SVG writer escapes the text it puts in the file itself.)
FIGURE_RC = {"text.parse_math": False, "text.usetex": False}


def figure_label(raw: object) -> str:
    """A label for a figure drawn under ``FIGURE_RC``: one line, shown as written
    (``$x^2$`` stays ``$x^2$``)."""
    return flatten(raw)
