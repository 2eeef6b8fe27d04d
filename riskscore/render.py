"""One place that turns rows into text: table, Markdown, CSV or JSON.

Every command speaks ``--format table|markdown|csv|json``. Tables and Markdown
go through tabulate; JSON keeps full float precision and sorted, stable keys so
that the same inputs give byte-identical output.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

FORMATS = ("table", "markdown", "csv", "json")


def render_rows(rows: Sequence[Mapping[str, Any]], fmt: str,
                columns: Sequence[str] | None = None, floatfmt: str | Mapping[str, str] = ".1f",
                wrap: Mapping[str, int] | None = None) -> str:
    """Render ``rows`` (dicts sharing keys) as ``fmt``; ``columns`` fixes the order.

    ``floatfmt`` is one format for all numbers, or a map from column to format
    (others ".1f"). ``wrap`` maps column names to a width at which the plain-text
    table wraps long cells (Markdown, CSV and JSON are never wrapped).
    """
    if fmt == "json":
        return to_json(list(rows))
    columns = list(columns) if columns is not None else (list(rows[0]) if rows else [])
    if fmt == "csv":
        return to_csv(rows, columns)
    from tabulate import tabulate

    body = [[_cell(row.get(c), fmt) for c in columns] for row in rows]
    tablefmt = "github" if fmt == "markdown" else "simple"
    if not isinstance(floatfmt, str):
        floatfmt = [floatfmt.get(c, ".1f") for c in columns]
    widths = None
    if wrap and fmt == "table":
        widths = [wrap.get(c) for c in columns]
    return tabulate(body, headers=columns, tablefmt=tablefmt, floatfmt=floatfmt,
                    disable_numparse=False, missingval="—", maxcolwidths=widths)


def to_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(row.get(c)) for c in columns])
    return buffer.getvalue()


def to_json(payload: Any) -> str:
    """Deterministic JSON: sorted keys, NaN/inf as null, dates as ISO strings."""
    return json.dumps(_jsonable(payload), indent=2, sort_keys=True, ensure_ascii=False,
                      allow_nan=False) + "\n"


def escape_cell(text: str) -> str:
    """Make text safe inside a Markdown table cell (pipes and line breaks)."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _cell(value: Any, fmt: str) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str) and fmt == "markdown":
        return escape_cell(value)
    return value


def _csv_cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    if isinstance(value, float):
        return repr(value)
    return value


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return _jsonable(value.item())
    return value
