"""Results in COINr's shape: the table COINr keeps as a coin's ``Aggregated`` data set.

One row per unit in input order: ``uCode``, ``uName``, each indicator's normalised value
(0 to the model's scale, as COINr's min-max gives 0-100), then each aggregate from the
lowest level up, the index last. ``riskscore score --format coinr`` writes it as CSV,
so a COINr user can read it back with ``read.csv`` and compare with ``get_results``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from riskscore.engine.assessment import Assessment


def coinr_rows(result: Assessment) -> tuple[list[dict[str, Any]], list[str]]:
    """The rows and the column order of COINr's aggregated table for ``result``."""
    model = result.model
    nodes = sorted(result.hierarchy.node_ids, key=lambda n: (_height(result, n), n != model.root))
    nodes = [n for n in nodes if n != model.root] + [model.root]
    columns = ["uCode", "uName", *result.hierarchy.indicator_ids, *nodes]
    rows = []
    for e, entity in enumerate(result.entities):
        row: dict[str, Any] = {"uCode": entity, "uName": _label(result, entity)}
        for col, indicator in enumerate(result.hierarchy.indicator_ids):
            row[indicator] = _number(result.slots[e, col] * model.scale)
        for node in nodes:
            row[node] = _number(result.node_score(e, node))
        rows.append(row)
    return rows, columns


def coinr_csv(result: Assessment) -> str:
    from riskscore.outputs.render import render_rows

    rows, columns = coinr_rows(result)
    return render_rows(rows, "csv", columns)


def _height(result: Assessment, node: str) -> int:
    """A node's level counted from the indicators (COINr's Level - 1)."""
    children = result.model.children.get(node, ())
    return 1 + max((_height(result, c) for c in children if c in result.model.nodes),
                   default=0)


def _label(result: Assessment, entity: str) -> str:
    label = getattr(result, "label", None)
    return str(label(entity)) if callable(label) else entity


def _number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)
