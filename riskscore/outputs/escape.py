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
``visible``            terminal text: hostile control characters shown as ``\\x1b``/``\\u202e``
``csv_text``           a CSV cell: ``visible``, then OWASP's ``'`` before a formula start
``json_text``          JSON text: C1 controls and bidi controls as ``\\u`` escapes
=====================  ======================================================================

Every escaper first flattens line breaks and tabs to spaces (a newline in an entity name
must never start a Markdown heading, list or table row) and shows every other control
character visibly escaped: C0 and C1 controls, DEL, and the bidirectional embeddings,
overrides and isolates U+202A-U+202E and U+2066-U+2069 become ``\\x1b`` or ``\\u202e``, so
a name can neither drive the terminal (ESC, OSC) nor reorder what is shown around it.
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

from riskscore.support.checks import HOSTILE_CHARACTERS

ALLOWED_SCHEMES = ("http", "https", "doi")

# Line breaks and tabs (and the Unicode line/paragraph separators): a space in running text.
_BREAK = re.compile(r"\r\n|[\t\n\v\f\r\x85\u2028\u2029]")
# Every other control character, DEL, and the bidi embeddings, overrides and isolates:
# shown as an escape, never passed to a terminal or a renderer.
_HOSTILE = re.compile(f"[{HOSTILE_CHARACTERS}]")
# Everything a terminal could act on except the line break and tab of plain text.
_TERMINAL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
# The colour codes riskscore itself writes (click.style: ESC [ digits ; ... m).
_SGR = re.compile(r"\x1b\[[0-9;]*m")
_JSON_RAW = re.compile(r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
# What a spreadsheet reads as the start of a formula (OWASP's list); the workbook writer
# stores such text with Excel's quote prefix, CSV cells get a leading "'".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
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


def _shown(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(raw: object) -> str:
    """``raw`` with every control character except line break and tab, and every bidi
    control, shown as an escape (``\\x1b``, ``\\u202e``): what reaches a terminal.

    >>> visible("a\x1b]0;t\x07b\u202ec")
    'a\\\\x1b]0;t\\\\x07b\\\\u202ec'
    """
    return _TERMINAL.sub(lambda m: _shown(m.group()), str(raw))


def terminal_text(text: str) -> str:
    """Program output bound for a terminal: ``visible``, except the colour codes riskscore
    writes itself (``ESC [ ... m``), which a text escaped by ``visible`` can no longer hold."""
    parts = _SGR.split(text)
    codes = _SGR.findall(text)
    out = [visible(parts[0])]
    for code, part in zip(codes, parts[1:], strict=True):
        out.extend((code, visible(part)))
    return "".join(out)


def flatten(raw: object) -> str:
    """``raw`` as one line: CR LF, LF, CR and tabs become a space, every other control
    character (and bidi control) is shown escaped (``visible``)."""
    return _HOSTILE.sub(lambda m: _shown(m.group()), _BREAK.sub(" ", str(raw)))


def csv_text(raw: object) -> str:
    """``raw`` for a CSV cell: control characters other than line breaks and tabs shown
    escaped (``visible``), and a leading ``'`` (OWASP) when it starts like a formula
    (``= + - @``, tab, carriage return), unless it is a plain number such as ``-0.5``,
    which a spreadsheet reads as a number anyway.

    >>> csv_text("=2+2"), csv_text("-0.5"), csv_text("@SUM(A1)")
    ("'=2+2", '-0.5', "'@SUM(A1)")
    """
    text = _HOSTILE.sub(lambda m: _shown(m.group()), str(raw))
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)


def json_text(text: str) -> str:
    """JSON text with C1 controls, DEL, bidi controls and U+2028/9 written as ``\\u``
    escapes (the same strings once parsed; C0 controls JSON escapes itself)."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


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
