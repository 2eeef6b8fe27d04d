"""Small Markdown helpers for the report: numbers, anchors and GitHub tables.

The escapers (``text``, ``cell``, ``code``, ``code_cell``, ``link``, ``image``) are
``riskscore.outputs.escape``'s, under the short names the report's modules use: free text
(quotes, judgements, source titles) renders verbatim, a ``*`` or ``_`` never turns into
emphasis, a ``$`` never starts GitHub's inline maths, a ``|`` never splits a table cell,
a newline never starts a new block, a backtick never leaves a code span.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

from riskscore.outputs.escape import link_target
from riskscore.outputs.escape import md_cell as cell
from riskscore.outputs.escape import md_code as code
from riskscore.outputs.escape import md_code_cell as code_cell
from riskscore.outputs.escape import md_image as image
from riskscore.outputs.escape import md_link as link
from riskscore.outputs.escape import md_text as text

__all__ = ["anchor", "cell", "code", "code_cell", "image", "link", "link_target", "lower_first",
           "num", "table", "text", "words_list"]

_SLUG_DROP = re.compile(r"[^\w\- ]", re.UNICODE)


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
    """A GitHub table of pre-formatted, pre-escaped string cells; ``right`` columns align right.

    ``columns`` are the row keys and the headers, also pre-escaped (``cell``) by the caller
    where they hold user text (an entity name, a dimension label): never escaped twice."""
    from tabulate import tabulate

    body = [[row.get(c, "—") for c in columns] for row in rows]
    align = tuple("right" if c in right else "left" for c in columns)
    lines = tabulate(body, headers=list(columns), tablefmt="github",
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


_PROPER_ADJECTIVE = re.compile(r"[A-Z][a-z]+(?:ese|ian|ish|[a-z]{3}an)\b")


def lower_first(label: str) -> str:
    """A label as it reads mid-sentence: 'Debt exposure to China' -> 'debt exposure to China'.

    Acronyms ('DPA gap') stay, and so does a leading proper adjective ('Chinese vendor
    share', 'Russian loans', 'European data rules'): a nationality keeps its capital.
    """
    if len(label) > 1 and label[1].isupper():
        return label
    if _PROPER_ADJECTIVE.match(label):
        return label
    return label[:1].lower() + label[1:]
