"""A table already in memory (a pandas DataFrame), read like a file by the table reader.

``MemoryTable`` stands where a path would: its ``name`` (the Python parameter it came
from, e.g. ``data``) is what messages name, and its rows are numbered as a reader sees
them (the header is row 1, the first data row 2, as in a spreadsheet).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class MemoryTable:
    name: str
    rows: list[tuple[int, list[Any]]]     # (row number, cells); the header first

    def __str__(self) -> str:
        return self.name

    def where(self, number: int, col: int, column: str) -> str:
        return f"row {number}, column {column}"

    @property
    def sha256(self) -> str:
        """The hash of the cells as JSON: the same frame gives the same hash."""
        text = json.dumps([cells for _, cells in self.rows], default=str).encode()
        return hashlib.sha256(text).hexdigest()


def frame_table(frame: Any, id_column: str, name: str = "data") -> MemoryTable:
    """The rows of ``frame``: the id from its ``id_column`` column, else from its index.

    Cells are plain Python values: numbers as floats, missing (NaN, None, pandas NA) as
    None, text as text.
    """
    if id_column not in frame.columns:
        frame = frame.reset_index()
        first = frame.columns[0]
        frame = frame.rename(columns={first: id_column})
    header = [str(c) for c in frame.columns]
    rows: list[tuple[int, list[Any]]] = [(1, header)]
    for number, values in enumerate(frame.itertuples(index=False, name=None), start=2):
        rows.append((number, [_cell(v) for v in values]))
    return MemoryTable(name, rows)


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return float(value)
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()          # numpy scalars
    if isinstance(value, int | float):
        return None if value != value else float(value)
    try:
        if value != value:            # pandas NA / NaT
            return None
    except (TypeError, ValueError):
        return None
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime()
    return value
