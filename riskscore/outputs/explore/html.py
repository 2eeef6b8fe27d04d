"""Fill the page template: the style, the script and the data, all inline.

Escaping, one function per context (``riskscore.outputs.escape``): ``script_json`` for JSON
inside a ``<script>`` element (``<``, ``>`` and ``&`` as ``\\u`` escapes, so neither
``</script>`` nor ``<!--`` can occur), ``html_text`` for text and attribute
values. Everything the data holds is rendered by the script with DOM text
nodes, never as markup.
"""

from __future__ import annotations

import re
from importlib import resources

from riskscore.outputs.escape import html_text, script_json

__all__ = ["html_text", "render_page", "script_json"]


def _asset(name: str) -> str:
    return resources.files("riskscore.outputs.explore").joinpath(name).read_text(encoding="utf-8")


def render_page(data: dict) -> str:
    """The whole page as one string (deterministic: same data, same bytes)."""
    page = _asset("page.html")
    style, script = _asset("page.css"), _asset("page.js")
    for name, text in (("page.css", style), ("page.js", script)):
        if "</" in text or "<!--" in text:
            raise RuntimeError(f"{name}: must not contain '</' or '<!--' (it is inlined)")
    values = {
        "@TITLE@": html_text(data["title"]),
        "/*@STYLE@*/": style,
        "/*@SCRIPT@*/": script,
        # The state starts with the weights; the script adds the results once it has scored.
        "@STATE@": script_json({"weights": data["initial"], "results": []}),
        "@DATA@": script_json(data),
    }
    missing = [m for m in values if m not in page]
    if missing:
        raise RuntimeError("page.html: placeholders missing: " + ", ".join(missing))
    # One pass, so nothing substituted is ever searched for a placeholder again.
    pattern = re.compile("|".join(re.escape(m) for m in values))
    return pattern.sub(lambda match: values[match.group(0)], page)
