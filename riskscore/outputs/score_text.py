"""The text of ``riskscore score`` on a terminal: the ranked table fitted to its width,
and the notes under it.

The command line parses and calls the engine; the layout is here, with the other renderers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from riskscore.engine.assessment import Assessment


def score_table(result: Assessment, rows: list[dict[str, Any]],
                wide: bool) -> tuple[str, list[str]]:
    """The ranked table fitted to the terminal, and the notes under it.

    Rank, country, score, dimensions, coverage (and class) as columns; the drivers and
    the nearest tipping point as short lines beneath each row, or as columns with --wide.
    Dimension labels head the columns when they fit, else the node ids with a legend.
    """
    from riskscore.outputs.render import fit_table, table_layout, terminal_width

    scale = f"0-{result.model.scale:g}"
    rows = [{**r, "coverage": r["coverage"].replace(" of weight)", ")")} for r in rows]
    labels = {result.model.label(d) if d in result.model.nodes else d: d
              for d in result.model.dimensions}
    below = ["main drivers", "nearest weight tipping point"]
    headers = {"main drivers": "drivers", "nearest weight tipping point": "holds until"}
    columns = [c for c in rows[0]] if rows else []
    notes = []
    fixed = [c for c in columns if c not in below]
    width = terminal_width()
    if table_layout(rows, fixed if not wide else columns, width=width) is None:
        headers.update({label: node for label, node in labels.items()})
        notes.append("dimensions: " + "; ".join(f"{node} = {label}"
                                                for label, node in labels.items()))
    text = fit_table(rows, columns, headers=headers, below=below, wide=wide, below_min=60,
                     width=width)
    notes += [f"scores {scale}, higher = more risk; coverage: indicators observed (share of "
              "the model's weight). 'riskscore explain COUNTRY' shows why.",
              "holds until: the smallest change of one weight (its siblings rescaled) that "
              "swaps the country with a neighbour (try it with --weight NODE=W); 'riskscore "
              "sensitivity' gives rank intervals over all weights and modelling choices."]
    from riskscore.analyses.sensitivity.tipping import tipping_unavailable

    if unavailable := tipping_unavailable(result):
        notes[-1] = unavailable + "."
    return text, notes
