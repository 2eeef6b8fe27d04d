"""Writing an Excel workbook (``--format xlsx``): sheets of rows, safe and byte-stable.

Every string that enters a cell passes ``cell_text``: characters XML cannot hold
are dropped and long text is cut to Excel's cell limit. Text is always stored as
text, never as a formula; text that a spreadsheet would read as a formula when
edited (starting with ``= + - @``, a tab or a carriage return) also gets Excel's
"quote prefix", so it stays text after editing. A column may carry links: only
``http``/``https`` URLs and DOIs become hyperlinks, anything else stays plain text.

The bytes are deterministic: the document properties carry a fixed date and
every zip entry a fixed timestamp, so the same inputs give the same file.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from riskscore.outputs import escape

FIXED_DATE = dt.datetime(2000, 1, 1)
ZIP_DATE = (2000, 1, 1, 0, 0, 0)
MAX_CELL = 32_767          # Excel's limit on the characters in one cell
MAX_LINK = 2_079           # Excel's limit on a hyperlink's length
MAX_WIDTH = 60
FORMULA_STARTS = escape.FORMULA_STARTS
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class SheetData:
    """One worksheet: a title, its columns in order, and rows (dicts keyed by column).

    ``formats`` maps a column to an Excel number format (e.g. "0.0", "0%");
    ``links`` names the columns whose text is a link target (URL or DOI);
    ``wrap`` names long-text columns that wrap instead of widening.
    """

    title: str
    columns: Sequence[str]
    rows: Sequence[Mapping[str, Any]]
    formats: Mapping[str, str] = field(default_factory=dict)
    links: Sequence[str] = ()
    wrap: Sequence[str] = ()


def cell_text(text: str) -> str:
    """``text`` as a cell can hold it: no XML-illegal characters, at most 32,767 characters."""
    text = _ILLEGAL.sub("", text)
    return text if len(text) <= MAX_CELL else text[:MAX_CELL - 1] + "…"


def link_target(text: str | None) -> str | None:
    """The hyperlink for ``text`` if it is an http(s) URL or a DOI, else None.

    The allowed schemes are the published outputs' one rule
    (``riskscore.outputs.escape.link_target``); a workbook is stricter on top of it: a URL
    that would need percent-encoding (a space, a quote, a bracket, a control character)
    stays plain text, since the reader sees and clicks the target as written.

    >>> link_target("doi:10.1000/xyz")
    'https://doi.org/10.1000/xyz'
    >>> link_target("javascript:alert(1)") is None
    True
    """
    if not text:
        return None
    text = text.strip()
    if any(c.isspace() or ord(c) < 32 or c in '"<>\\^`{|}' for c in text):
        return None
    target = escape.link_target(text)
    return target if target is not None and len(target) <= MAX_LINK else None


def workbook_bytes(sheets: Sequence[SheetData]) -> bytes:
    """The .xlsx file holding ``sheets`` in order (header row bold and frozen)."""
    from copy import copy

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    book.remove(book.active)
    book.properties.creator = "riskscore"
    book.properties.created = FIXED_DATE
    book.properties.modified = FIXED_DATE
    bold = Font(bold=True)
    for sheet in sheets:
        ws = book.create_sheet(_sheet_title(sheet.title))
        columns = list(sheet.columns)
        widths = [len(c) for c in columns]
        for col, name in enumerate(columns, start=1):
            cell = ws.cell(row=1, column=col)
            _set(cell, name)
            cell.font = bold
        # a cell styled like an earlier one takes a copy of its style ids: openpyxl would
        # otherwise hash the style objects again for each of 200,000 cells (same bytes)
        styled: dict[tuple, Any] = {}
        for r, row in enumerate(sheet.rows, start=2):
            for col, name in enumerate(columns, start=1):
                value = row.get(name)
                cell = ws.cell(row=r, column=col)
                shown = _set(cell, value)
                number_format = sheet.formats.get(name) \
                    if isinstance(cell.value, int | float) else None
                target = link_target(value) \
                    if name in sheet.links and isinstance(value, str) else None
                align = "wrap" if name in sheet.wrap else "top" if isinstance(value, str) else ""
                key = (number_format, target is not None, align, cell.quotePrefix)
                if target is not None:
                    cell.hyperlink = target
                if key in styled:
                    cell._style = copy(styled[key])
                else:
                    if number_format is not None:
                        cell.number_format = number_format
                    if target is not None:
                        cell.style = "Hyperlink"
                    if align == "wrap":
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
                    elif align == "top":
                        cell.alignment = Alignment(vertical="top")
                    styled[key] = copy(cell._style)
                widths[col - 1] = max(widths[col - 1], min(len(shown), MAX_WIDTH))
        from openpyxl.utils import get_column_letter

        for col, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(col)].width = min(width, MAX_WIDTH) + 2
        ws.freeze_panes = "A2"
        if columns:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(sheet.rows) + 1)}"
    buffer = io.BytesIO()
    book.save(buffer)
    return _stable_zip(buffer.getvalue())


def _set(cell, value: Any) -> str:
    """Put ``value`` in ``cell`` (numbers as numbers, text as text); return its shown text."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        cell.value = None
        return ""
    if isinstance(value, bool):
        value = "yes" if value else "no"
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        value = value.item()
    if isinstance(value, int | float):
        cell.value = value
        return f"{value:.4g}"
    if isinstance(value, dt.date):
        value = value.isoformat()
    text = cell_text(str(value))
    cell.value = text
    cell.data_type = "s"  # never a formula, whatever the text starts with
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return max(text.split("\n"), key=len) if text else ""


def _sheet_title(title: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Sheet"


def _stable_zip(data: bytes) -> bytes:
    """Rewrite the zip with fixed timestamps and a fixed modification date."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                                 rb"\g<1>2000-01-01T00:00:00Z\g<2>", content)
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, content)
    return out.getvalue()
