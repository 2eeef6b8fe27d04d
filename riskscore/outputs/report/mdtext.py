"""Small Markdown helpers: escaping free text, links, numbers and GitHub tables.

Free text (quotes, judgements, source titles) is escaped so that it renders
verbatim: a ``*`` or ``_`` in a quote must not turn into emphasis, a ``$`` must
not start GitHub's inline maths, a ``~`` no strike-through, and a ``|`` must not
split a table cell.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

from riskscore.outputs.render import escape_cell

_INLINE = re.compile(r"([`*_\[\]<>$~])")
_SLUG_DROP = re.compile(r"[^\w\- ]", re.UNICODE)


def text(raw: str) -> str:
    """Escape ``raw`` for running Markdown text (backslashes first, then inline markers)."""
    return _INLINE.sub(r"\\\1", raw.replace("\\", "\\\\"))


def cell(raw: str) -> str:
    """Escape ``raw`` for a table cell: ``render.escape_cell`` plus the inline markers."""
    return _INLINE.sub(r"\\\1", escape_cell(raw))


def link_target(url: str) -> str | None:
    """``url`` as a safe link target, or None if its scheme is not allowed.

    Only ``http``, ``https`` and ``doi:`` (as https://doi.org/...) become links; every
    character that could end the target or open markup (space, brackets, quotes,
    backtick, control characters) is percent-encoded, so a hostile URL such as
    ``x><script>`` or ``javascript:...`` can never become live markup.
    """
    from urllib.parse import quote

    url = url.strip()
    if url.lower().startswith("doi:"):
        url = "https://doi.org/" + url[4:].strip()
    if not re.match(r"(?i)https?://[^\s/]", url):
        return None
    return quote(url, safe="/:?#[]@!$&*+,;=%~-._")


def link(label: str, url: str) -> str:
    """A Markdown link with an escaped label and a safe target; a URL whose scheme is not
    http, https or doi is shown as escaped text beside the label instead of as a link."""
    target = link_target(url)
    if target is None:
        return f"{text(label)} ({text(url)})"
    return f"[{text(label)}]({target})"


def image(alt: str, path: str) -> str:
    """A Markdown image of a relative figure path; spaces and brackets are percent-encoded."""
    from urllib.parse import quote

    return f"![{text(alt)}]({quote(str(path), safe='/._-~')})"


def anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    return _SLUG_DROP.sub("", heading.strip().lower()).replace(" ", "-")


def num(value: float | None, spec: str = ".1f") -> str:
    """A number in ``spec``, or an em dash when it is missing (None or NaN)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return format(value, spec)


def table(rows: Sequence[Mapping[str, str]], columns: Sequence[str],
          right: Sequence[str] = ()) -> str:
    """A GitHub table of pre-formatted, pre-escaped string cells; ``right`` columns align right."""
    from tabulate import tabulate

    body = [[row.get(c, "—") for c in columns] for row in rows]
    align = tuple("right" if c in right else "left" for c in columns)
    lines = tabulate(body, headers=[cell(c) for c in columns], tablefmt="github",
                     disable_numparse=True, colalign=align).split("\n")
    # tabulate's github format pads right-aligned cells but leaves the delimiter row plain;
    # mark those columns "--:" so that renderers align them too.
    dashes = lines[1].strip("|").split("|")
    lines[1] = "|" + "|".join(d[:-1] + ":" if a == "right" else d
                              for d, a in zip(dashes, align, strict=True)) + "|"
    return "\n".join(lines)


def words_list(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def lower_first(label: str) -> str:
    """'Debt exposure to China' -> 'debt exposure to China'; acronyms ('DPA gap') stay."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]
