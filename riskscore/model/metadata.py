"""A model described as a table: one row per indicator and node (a metadata frame).

The columns are the model file's keys: ``id`` (required), ``parent`` (empty on the
index's own row), ``kind`` (``index``, ``node`` or ``indicator``; inferred when absent:
the row without a parent is the index, a row some other row names as its parent is a
node, the rest are indicators), ``lower`` and ``upper`` (an indicator's goalposts), and
any other key of ``[index]``, ``[nodes.ID]`` or ``[indicators.ID]`` (``weight``,
``direction``, ``label``, ``unit``, ``aggregation``, ``normalisation`` ...). An empty
cell is a key not given. ``mapping_from_metadata`` turns the rows into the mapping
``riskscore.model.loader.model_from_mapping`` reads, so every rule and message of
the model file applies.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from riskscore.errors import ConfigError

KINDS = ("index", "node", "indicator")
GOALPOST_COLUMNS = ("lower", "upper")


def metadata_rows(frame: Any) -> list[dict[str, Any]]:
    """The rows of a DataFrame (or any iterable of mappings) as dicts, empty cells dropped."""
    records: Iterable[Mapping[str, Any]]
    if hasattr(frame, "to_dict") and hasattr(frame, "columns"):
        index_name = getattr(frame.index, "name", None)
        if index_name == "id" and "id" not in frame.columns:
            frame = frame.reset_index()
        records = frame.to_dict(orient="records")
    else:
        records = frame
    return [{str(k): v for k, v in row.items() if not _empty(v)} for row in records]


def mapping_from_metadata(frame: Any, *, name: str = "model",
                          settings: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The model mapping of a metadata table (see the module docstring).

    ``settings`` adds index-wide keys (``normalisation``, ``missing`` ...) to the index's
    row. Raises ConfigError naming ``name``, the row (1 = the first data row) and the
    column for a missing id, a repeated id, an unknown kind, no index row or two.
    """
    rows = metadata_rows(frame)
    parents = {str(r["parent"]) for r in rows if "parent" in r}
    seen: dict[str, int] = {}
    index: dict[str, Any] | None = None
    nodes: dict[str, dict[str, Any]] = {}
    indicators: dict[str, dict[str, Any]] = {}
    for number, row in enumerate(rows, start=1):
        where = f"row {number}"
        if "id" not in row:
            raise ConfigError(name, f"{where}, column id", "is empty", "the id of the row's "
                              "indicator or node")
        key = str(row.pop("id"))
        if key in seen:
            raise ConfigError(name, f"{where}, column id", f"repeats {key!r} (first in row "
                              f"{seen[key]})", "each id once")
        seen[key] = number
        kind = str(row.pop("kind", "index" if "parent" not in row else
                           "node" if key in parents else "indicator")).strip().lower()
        if kind not in KINDS:
            raise ConfigError(name, f"{where}, column kind", f"is {kind!r}",
                              "one of " + ", ".join(KINDS))
        if any(c in row for c in GOALPOST_COLUMNS):
            if kind != "indicator":
                raise ConfigError(name, f"{where}, column lower", f"is set on the {kind} "
                                  f"{key!r}", "goalposts (lower, upper) on indicators only")
            row["goalposts"] = [row.pop(c, None) for c in GOALPOST_COLUMNS]
        if kind == "index":
            if index is not None:
                raise ConfigError(name, f"{where}, column parent", f"is empty for {key!r} as "
                                  f"for {index['id']!r}", "one row without a parent: the index")
            row.pop("parent", None)
            index = {"id": key, **row}
        elif kind == "node":
            nodes[key] = row
        else:
            indicators[key] = row
    if index is None:
        raise ConfigError(name, "column parent", "is set on every row",
                          "one row without a parent: the index, the root of the hierarchy")
    for node in (*nodes.values(), *indicators.values()):
        node.setdefault("parent", index["id"])
    mapping: dict[str, Any] = {"index": {**index, **dict(settings or {})}}
    if nodes:
        mapping["nodes"] = nodes
    mapping["indicators"] = indicators
    return mapping


def _empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    try:
        return bool(value != value)   # pandas NA, numpy NaN
    except (TypeError, ValueError):
        return False
