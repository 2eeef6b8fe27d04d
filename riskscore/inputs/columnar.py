"""A clean CSV data table read by column: one numpy array per indicator, no object per cell.

``read_clean_csv`` is the fast path of ``riskscore.inputs.datatable.load_table`` for the
common case at scale (80,000 census tracts): a CSV file, not a panel, every row as long
as the header, every entity id present and distinct, every indicator cell empty or a
plain number (``12``, ``-0.5``, ``1.5e3``) within its transform's and domain's limits.
It returns None for anything else, and the row-by-row reader then reads the file, with
its messages for every bad row and cell: so the fast path never has to phrase an error.

``ColumnTable`` is the table it returns. It answers ``table[(entity, indicator)]`` with
the same one-observation tuple the row-by-row reader would have stored (value, or the
reason it is missing, and the cell as evidence), built when asked: the scoring reads
the arrays, and only the entities an output shows are ever turned into observations.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from riskscore.errors import DataError
from riskscore.model.evidence import Evidence, Observation
from riskscore.model.types import Model
from riskscore.support.checks import TRANSFORM_DOMAINS, entity_key, entity_name, id_problem
from riskscore.support.problems import collector_or_raise

MIN_BYTES = 1_000_000   # smaller tables: the row-by-row reader is quick, and needs no pandas


@dataclass(frozen=True, eq=False)
class ColumnTable(Mapping):
    """A non-panel data table as arrays; a mapping ``(entity, indicator) -> (Observation,)``."""

    source: str                          # the file's name, as the evidence names it
    entities: tuple[str, ...]            # in file order
    lines: np.ndarray                    # (E,) the line each entity's row starts on
    values: dict[str, np.ndarray]  # type: ignore[assignment]  # id -> (E,) NaN = empty; shadows Mapping.values
    groups: dict[tuple[str, str], str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    extras: dict[tuple[str, str], float | str] = field(default_factory=dict)
    kept: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "_rows", {e: r for r, e in enumerate(self.entities)})

    def matrix(self, ids: tuple[str, ...] | list[str]) -> np.ndarray:
        """``(E, len(ids))`` raw values of those columns (NaN = empty)."""
        out = np.empty((len(self.entities), len(ids)))
        for c, column in enumerate(ids):
            out[:, c] = self.values[column]
        return out

    def __getitem__(self, key: tuple[str, str]) -> tuple[Observation, ...]:
        entity, column = key
        row = self._rows[entity]           # type: ignore[attr-defined]
        value = self.values[column][row]
        line = f"line {int(self.lines[row])}"
        evidence = (Evidence("data", source=self.source, note=f"{line}, column {column}"),)
        if np.isnan(value):
            return (Observation(entity, column, None, evidence=evidence,
                                missing_reason=f"empty cell in {self.source} {line}"),)
        return (Observation(entity, column, float(value), evidence=evidence),)

    def __contains__(self, key: object) -> bool:
        return (isinstance(key, tuple) and len(key) == 2 and key[0] in self._rows  # type: ignore[attr-defined]
                and key[1] in self.values)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return ((e, c) for e in self.entities for c in self.values)

    def __len__(self) -> int:
        return len(self.entities) * len(self.values)


def read_clean_csv(path: Path, model: Model, sheet: str | None = None,
                   min_bytes: int = MIN_BYTES) -> ColumnTable | None:
    """The table in the CSV file ``path`` if it is clean (see the module docstring) and at
    least ``min_bytes`` long, else None (a workbook, a ``sheet``, a small file, a quoted
    field, or anything else the row-by-row reader must judge)."""
    from riskscore.inputs.datatable import DATE_COLUMNS, _check_header, _kept
    from riskscore.inputs.spreadsheet import is_workbook
    from riskscore.support.fileio import MAX_TABLE_BYTES, read_text

    if sheet is not None or is_workbook(path):
        return None
    text = read_text(path, DataError, "CSV", encoding="utf-8-sig", limit=MAX_TABLE_BYTES)
    if len(text) < min_bytes or '"' in text:
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    # the csv module's records: no quotes, so one per line; blank ones (only commas
    # and white space) left out, each with the line it is on
    records = [(number, line) for number, line in enumerate(text.split("\n"), start=1)
               if line.replace(",", "").strip()]
    del text
    if len(records) < 2:
        return None
    header = [cell.strip() for cell in records[0][1].split(",")]
    try:
        if _check_header(path, header, model, collector_or_raise(None)):
            return None                   # undeclared columns
    except DataError:
        return None
    if any(c in header for c in DATE_COLUMNS):
        return None
    columns = model.columns
    numeric = [c for c, name in enumerate(header)
               if name in model.indicators or name in model.denominators]
    if any((model.indicators.get(header[c]) or model.denominators[header[c]]).codes
           for c in numeric):
        return None
    texts = {c: columns.role(name) for c, name in enumerate(header)
             if columns.role(name) in ("id", "label", "groups", "keep")}
    id_col = header.index(columns.id)
    width = len(header)
    entities: list[str] = []
    lines: list[int] = []
    numbers: list[str] = []
    text_cells: dict[int, list[str]] = {c: [] for c in texts}
    for number, line in records[1:]:
        cells = line.split(",")
        if len(cells) != width:
            return None
        entities.append(entity_name(cells[id_col].strip()))
        lines.append(number)
        numbers.append(",".join([cells[c] for c in numeric]))
        for c in texts:
            text_cells[c].append(cells[c])
    del records
    if not all(entities) or len({entity_key(e) for e in entities}) != len(entities):
        return None
    if id_problem("".join(entities)):      # an id with a control character: its message
        return None
    values = _numbers(numbers, len(numeric))
    del numbers
    if values is None:
        return None
    table = ColumnTable(path.name, tuple(entities), np.array(lines, dtype=np.int64), {},
                        kept=tuple(c for c in columns.keep if c in header))
    for c, role in texts.items():
        column = header[c]
        for entity, cell in zip(entities, text_cells[c], strict=True):
            if role == "label" and cell.strip():
                table.labels[entity] = cell.strip()
            elif role == "groups" and cell.strip():
                table.groups[(entity, column)] = cell.strip()
            elif role == "keep" and (kept := _kept(cell)) is not None:
                table.extras[(entity, column)] = kept
    for k, c in enumerate(numeric):
        item = model.indicators.get(header[c]) or model.denominators[header[c]]
        if not _possible(values[:, k], item):
            return None
        table.values[header[c]] = np.ascontiguousarray(values[:, k])
    return table


_NOT_NUMBER = str.maketrans("", "", "0123456789+-.eE,\n")


def _numbers(rows: list[str], width: int) -> np.ndarray | None:
    """``(len(rows), width)`` floats from comma-separated rows of plain numbers or empty
    cells (NaN), or None if any cell is anything else or not finite.

    Cells are checked to hold only digits, signs, points and exponents; pandas' C
    parser reads them and refuses any that is not a number (``1e``, ``1.2.3``, ``+-1``),
    and reads every number as Python's ``float`` does (tests/test_columnar.py)."""
    import io

    import pandas as pd

    text = "\n".join(rows) + "\n"      # one line per row, an empty last one included
    if text.translate(_NOT_NUMBER) or not width:
        return None
    try:
        frame = pd.read_csv(io.StringIO(text), header=None, names=range(width), dtype=float,
                            keep_default_na=False, na_values=[""], skip_blank_lines=False,
                            engine="c")
    except (ValueError, pd.errors.ParserError):
        return None
    values = frame.to_numpy(dtype=float)
    if values.shape != (len(rows), width) or np.isinf(values).any():
        return None
    return values


def _possible(values: np.ndarray, item) -> bool:
    """True if every observed value is inside the item's transform limit and domain."""
    observed = values[~np.isnan(values)]
    if item.transform in TRANSFORM_DOMAINS and not (observed > TRANSFORM_DOMAINS[item.transform][0]).all():
        return False
    domain = item.domain
    if domain is None:
        return True
    low = observed > domain.lower if domain.lower_open else observed >= domain.lower
    ok = low & (observed <= domain.upper)
    if domain.integer:
        ok &= observed == np.floor(observed)
    return bool(ok.all())
