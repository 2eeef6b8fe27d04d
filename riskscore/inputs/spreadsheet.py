"""Reading a data table from an Excel workbook (``.xlsx``): one sheet, as rows of cells.

The workbook is read twice with openpyxl: once for the formulas (to tell an
uncomputed formula from an empty cell) and once for the cached values that a
spreadsheet program stored when it last saved the file. A formula with no cached
value (a file written by a program that does not compute, e.g. openpyxl itself)
and a merged cell inside the table are errors naming the file, sheet and cell:
both would otherwise turn into silently missing values.

Cells come back as ``None`` (empty), ``str``, ``float`` or ``datetime.date``;
checking that they are the numbers (or, in a panel's date columns, the dates) the
model needs is the data table's job (``riskscore.inputs.datatable``).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

from riskscore.errors import DataError

SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class Sheet:
    """The non-empty rows of one worksheet: ``rows[k] = (row number, cells)``."""

    path: Path
    name: str
    rows: list[tuple[int, list[object]]]

    def where(self, row: int, column: int) -> str:
        """The cell's address for messages, e.g. ``sheet 'Data', cell C3``."""
        from openpyxl.utils import get_column_letter

        return f"sheet {self.name!r}, cell {get_column_letter(column + 1)}{row}"


def is_workbook(path: Path) -> bool:
    return Path(path).suffix.lower() in SUFFIXES


def read_sheet(path: Path, sheet: str | None = None) -> Sheet:
    """The rows of ``sheet`` (default: the first) of the workbook at ``path``.

    Raises DataError for a missing or unreadable file, an unknown sheet, a merged
    range that touches the table, a formula without a computed value, or a cell
    holding a date, a boolean or an error value where text or a number belongs.
    """
    import zipfile

    from openpyxl import load_workbook

    from riskscore.support.fileio import MAX_TABLE_BYTES, check_input_file

    path = Path(path)
    check_input_file(path, DataError, ".xlsx", limit=MAX_TABLE_BYTES)
    try:
        formulas = load_workbook(path, data_only=False)
        values = load_workbook(path, data_only=True)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise DataError(path, None, f"cannot be read as a workbook ({exc})",
                        "an Excel .xlsx file saved by a spreadsheet program") from None
    names = formulas.sheetnames
    if sheet is None:
        name = names[0]
    else:
        matches = [n for n in names if n.casefold() == sheet.casefold()]
        if not matches:
            raise DataError(path, f"--sheet {sheet}", "is not a sheet of this workbook",
                            "one of " + ", ".join(repr(n) for n in names))
        name = matches[0]
    if formulas[name].__class__.__name__ != "Worksheet":
        raise DataError(path, f"sheet {name!r}", "is a chart sheet", "a worksheet of cells")
    return _rows(path, name, formulas[name], values[name])


def _rows(path: Path, name: str, formula_sheet, value_sheet) -> Sheet:
    sheet = Sheet(path, name, [])
    merged = sorted(formula_sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col))
    if merged:
        first = merged[0]
        kind = "header" if first.min_row == _first_used_row(value_sheet) else "table"
        raise DataError(path, f"sheet {name!r}, cells {first.coord}",
                        f"are merged (a merged {kind} range)",
                        "one value per cell: unmerge the cells and give every column its own "
                        "header")
    for row_cells, value_cells in zip(formula_sheet.iter_rows(), value_sheet.iter_rows(),
                                      strict=True):
        cells: list[object] = []
        for formula_cell, value_cell in zip(row_cells, value_cells, strict=True):
            cells.append(_cell_value(sheet, formula_cell, value_cell))
        while cells and cells[-1] is None:
            cells.pop()
        if cells:
            sheet.rows.append((row_cells[0].row, cells))
    return sheet


def _first_used_row(worksheet) -> int | None:
    for row in worksheet.iter_rows():
        if any(c.value is not None for c in row):
            return row[0].row
    return None


def _cell_value(sheet: Sheet, formula_cell, value_cell) -> object:
    value = value_cell.value
    where = sheet.where(formula_cell.row, formula_cell.column - 1)
    if formula_cell.data_type == "f" and value is None:
        raise DataError(sheet.path, where, f"holds the formula {formula_cell.value!s} with no "
                        "computed value saved", "a value: open the file in a spreadsheet "
                        "program and save it (or paste the values) so the result is stored")
    if value is None:
        return None
    if isinstance(value, bool):
        raise DataError(sheet.path, where, f"is the boolean {value}", "a number or text")
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else value
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()  # a date cell (the table decides where a date belongs)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, dt.datetime | dt.time | dt.timedelta):
        raise DataError(sheet.path, where, f"is a time ({value})",
                        "a number, text, or a date without a time of day")
    text = str(value)
    if value_cell.data_type == "e":
        raise DataError(sheet.path, where, f"holds the error value {text}",
                        "a number, or an empty cell when missing")
    return text
