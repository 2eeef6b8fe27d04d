"""The what-if page (``riskscore explore``): one self-contained HTML file.

The page embeds what does not depend on the weights — the hierarchy with its
configured weights, aggregation rules and minimum coverages, and every
country's normalised indicator values after the missing-data policy — and
re-aggregates in the browser with a small JavaScript port of
``riskscore.engine.aggregate`` (``page.js``), so moving a weight slider gives exactly
what ``riskscore score --weight NODE=W`` gives. Evidence, rank intervals and
tipping points come from the library and are shown as they are.

::

    from riskscore.outputs.explore import build_page
    html = build_page(riskscore.assess("config/model.toml"), sensitivity=None)

Modules: ``data`` (the page's JSON from an ``Assessment``), ``html`` (the
template, its escaping and the inlined script and style).
"""

from __future__ import annotations

from riskscore.outputs.explore.data import page_data
from riskscore.outputs.explore.html import render_page


def build_page(base, initial_weights: dict[str, float] | None = None, sensitivity=None) -> str:
    """The page for ``base`` (an ``Assessment`` scored with the model's configured weights).

    ``initial_weights`` are what-if overrides (``NODE -> share of parent``, as
    ``--weight`` takes them) the page opens with and its reset button returns to;
    ``sensitivity`` (a ``SensitivityResult`` for those weights) adds rank intervals
    and tipping points.
    """
    return render_page(page_data(base, initial_weights or {}, sensitivity))


__all__ = ["build_page", "page_data", "render_page"]
