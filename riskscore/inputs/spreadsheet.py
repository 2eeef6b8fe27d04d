"""Reading a data table from an Excel workbook (``.xlsx``): one sheet, as rows of cells.

The workbook is read twice with openpyxl: once for the formulas (to tell an
uncomputed formula from an empty cell) and once for the cached values that a
spreadsheet program stored when it last saved the file. A formula with no cached
value (a file written by a program that does not compute, e.g. openpyxl itself)
and a merged cell inside the table are errors naming the file, sheet and cell:
both would otherwise turn into silently missing values.

Without ``--sheet`` the first *visible* sheet is read (a hidden sheet often holds
superseded numbers); the hidden sheets skipped are named in ``Sheet.skipped``, and
``--sheet`` may still name a hidden sheet. A part of the file that declares a DTD
(``<!DOCTYPE``: entity expansion, external entities) is refused before any XML is
parsed: spreadsheet programs never write one. A numeric cell holding ``NaN`` or ``inf``
is an error naming its sheet and cell.

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
    skipped: tuple[str, ...] = ()    # hidden sheets before the one read (without --sheet)

    def note(self) -> str | None:
        """What was read, when hidden sheets were skipped to find it; else None."""
        if not self.skipped:
            return None
        names = ", ".join(repr(n) for n in self.skipped)
        return (f"{self.path}: read sheet {self.name!r}, the first visible one; skipped the "
                f"hidden sheet{'s' if len(self.skipped) > 1 else ''} {names} (name one "
                "with --sheet to read it)")

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
    from xml.etree.ElementTree import ParseError

    from openpyxl import load_workbook

    from riskscore.support.fileio import MAX_TABLE_BYTES, check_input_file

    path = Path(path)
    check_input_file(path, DataError, ".xlsx", limit=MAX_TABLE_BYTES)
    _refuse_dtd(path)
    try:
        formulas = load_workbook(path, data_only=False)
        values = load_workbook(path, data_only=True)
    except (OSError, KeyError, ValueError, TypeError, ParseError, zipfile.BadZipFile) as exc:
        _refuse_non_finite(path)
        raise DataError(path, None, f"cannot be read as a workbook ({_first_line(exc)})",
                        "an Excel .xlsx file saved by a spreadsheet program") from None
    names = formulas.sheetnames
    skipped: tuple[str, ...] = ()
    if sheet is None:
        visible = [n for n in names if formulas[n].sheet_state == "visible"]
        if not visible:
            raise DataError(path, None, "has no visible sheet (every sheet is hidden)",
                            "a workbook with a visible sheet, or --sheet NAME for a hidden one")
        name = visible[0]
        skipped = tuple(names[:names.index(name)])
    else:
        matches = [n for n in names if n.casefold() == sheet.casefold()]
        if not matches:
            raise DataError(path, f"--sheet {sheet}", "is not a sheet of this workbook",
                            "one of " + ", ".join(repr(n) for n in names))
        name = matches[0]
    if formulas[name].__class__.__name__ != "Worksheet":
        raise DataError(path, f"sheet {name!r}", "is a chart sheet", "a worksheet of cells")
    read = _rows(path, name, formulas[name], values[name])
    return Sheet(read.path, read.name, read.rows, skipped)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


# A DTD begins "<!DOCTYPE" before the root element; looked for in the first bytes of every
# part, in UTF-8 and both UTF-16 byte orders.
_DTD_MARKS = tuple(mark.encode(codec) for mark in ("<!DOCTYPE", "<!doctype", "<!ENTITY")
                   for codec in ("utf-8", "utf-16-le", "utf-16-be"))
_HEAD = 65_536


def _refuse_dtd(path: Path) -> None:
    """A DataError naming the first part of the workbook that declares a DTD."""
    import zipfile

    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise DataError(path, None, f"cannot be read as a workbook ({exc})",
                        "an Excel .xlsx file saved by a spreadsheet program") from None
    with archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            try:
                with archive.open(info) as part:
                    head = part.read(_HEAD)
            except (OSError, zipfile.BadZipFile, NotImplementedError, RuntimeError) as exc:
                raise DataError(path, f"part {info.filename}", f"cannot be read ({exc})",
                                "an Excel .xlsx file saved by a spreadsheet program") from None
            if any(mark in head for mark in _DTD_MARKS):
                raise DataError(path, f"part {info.filename}",
                                "declares a DTD (<!DOCTYPE or <!ENTITY), which can expand "
                                "entities or read other files; riskscore reads no DTD",
                                "an .xlsx saved by a spreadsheet program (they never write "
                                "one)")


def _refuse_non_finite(path: Path) -> None:
    """A DataError naming the sheet and cell of a numeric cell holding NaN or inf, if any
    (openpyxl cannot load such a workbook and names only the file)."""
    import re
    import zipfile
    from xml.etree import ElementTree

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    try:
        with zipfile.ZipFile(path) as archive:
            book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
            targets = {r.get("Id"): r.get("Target", "") for r in rels}
            for entry in book.iter(f"{main}sheet"):
                target = targets.get(entry.get(f"{rel}id"), "").lstrip("/")
                part = target if target.startswith("xl/") else f"xl/{target}"
                if part not in archive.namelist():
                    continue
                for cell in ElementTree.fromstring(archive.read(part)).iter(f"{main}c"):
                    value = cell.find(f"{main}v")
                    if (cell.get("t", "n") == "n" and value is not None and value.text
                            and re.fullmatch(r"\s*[+-]?(nan|inf(inity)?)\s*", value.text,
                                             re.IGNORECASE)):
                        raise DataError(path, f"sheet {entry.get('name')!r}, cell "
                                        f"{cell.get('r')}", f"is {value.text.strip()}",
                                        "a finite number, or an empty cell when missing")
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, ElementTree.ParseError):
        return


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
