"""A wide table: one row per entity, one column per indicator, other columns by role.

This is how a published index is reproduced, and how an analyst's own table is
scored as it comes: the entity id column (``entity`` unless ``[columns] id`` names
another), one column per indicator id, and any other column given a role in the
model's ``[columns]`` (label, groups, keep, ignore; see ``riskscore.model.columns``).
An undeclared column is an error that lists every such column and says how to
declare them. An indicator cell that is empty is missing; anything else must be a
finite number, or one of the indicator's ``codes`` (``{ yes = 1, no = 0 }``).

A *panel* adds a ``date`` column (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; a year
or month means its last day): one row per entity and date, each cell an
observation with that reference date, chosen by ``--as-of`` like any dated
observation (``riskscore.model.timeline``); an empty cell records nothing on that date,
so the latest earlier value carries forward (subject to ``max_age``). An optional
``published`` column gives the date each row became known (for ``--known-at``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from riskscore.errors import DataError
from riskscore.inputs.memory import MemoryTable
from riskscore.model.evidence import Evidence, Observation
from riskscore.model.timeline import parse_period
from riskscore.model.types import Model
from riskscore.support.checks import (
    ID_EXPECTED,
    NUMBER_SYNTAX,
    entity_key,
    entity_name,
    id_problem,
    parse_number,
    transform_expected,
    transform_problem,
)
from riskscore.support.fileio import MAX_TABLE_BYTES, read_text
from riskscore.support.problems import Collector, collector_or_raise

DATE_COLUMNS = ("date", "published")


@dataclass
class Table:
    """What a data table holds, by column role (``riskscore.model.columns``)."""

    entities: list[str]                                   # ids, in file order
    observations: list[Observation]                       # indicators and denominators
    groups: dict[tuple[str, str], str] = field(default_factory=dict)   # (entity, column)
    labels: dict[str, str] = field(default_factory=dict)               # entity -> label
    extras: dict[tuple[str, str], float | str] = field(default_factory=dict)   # kept cells
    kept: tuple[str, ...] = ()                            # the kept columns present


def load_table(path: Path | MemoryTable, model: Model,
               sheet: str | None = None,
               collector: Collector | None = None) -> Table:
    """Read ``path`` (CSV, or an .xlsx workbook's ``sheet``, default the first) by the
    roles of ``model.columns``: the entity ids in file order, one observation per
    indicator or denominator cell, and the label, group and kept cells of each entity.

    With a collecting ``collector``, every bad row and cell is recorded: a bad row is
    left out, a bad cell counts as missing, a value outside its domain is kept; an
    undeclared column is recorded and read past, an absent indicator column leaves
    that indicator missing.
    """
    collect = collector_or_raise(collector)
    path = path if isinstance(path, MemoryTable) else Path(path)
    columns = model.columns
    id_column = columns.id
    rows, where, ragged, note = _read_rows(path, sheet)
    if note:
        collect.warn(path, "sheet", note.split(": ", 1)[1], code="hidden-sheet")
    if not rows:
        raise DataError(path, None, "file is empty",
                        f"a header row: {id_column},<indicator ids>")
    header_number, header_cells = rows[0]
    header = [_text(cell) for cell in header_cells]
    skipped = _check_header(path, header, model, collect)
    table = Table([], [], kept=tuple(c for c in columns.keep if c in header))
    panel = "date" in header
    seen: dict[tuple, int] = {}
    spelling: dict[str, tuple[str, int]] = {}   # entity key -> first spelling and its row
    entity_col = header.index(id_column)
    for number, row in rows[1:]:
        with collect.attempt():
            if len(row) > len(header) or (not ragged and len(row) != len(header)):
                # "row N" of a sheet, "line N" of a CSV file: the word its cells use
                raise DataError(path, f"{'row' if ragged else 'line'} {number}",
                                f"has {len(row)} cells",
                                f"{len(header)} cells, as in the header")
            row = [*row, *[None] * (len(header) - len(row))]
            entity = entity_name(_text(row[entity_col]))
            if not entity:
                raise DataError(path, where(number, entity_col, id_column), "is empty",
                                "an entity id")
            if problem := id_problem(entity):   # the id column names the rows
                raise DataError(path, where(number, entity_col, id_column),
                                f"{problem} ({entity!r})", ID_EXPECTED)
            date, published = (_date_cell(path, where, number, header, row, c)
                               for c in DATE_COLUMNS)
            if date is not None and published is not None and published < date:
                collect.warn(path, where(number, header.index("published"), "published"),
                             f"is {published}, before the date the row describes ({date})",
                             "check both dates: a row is normally published on or after the "
                             "date it describes", code="published-before-date", entity=entity)
            key = entity_key(entity)
            if key in spelling and spelling[key][0] != entity:
                first, line = spelling[key]
                raise DataError(path, where(number, entity_col, id_column),
                                f"is {entity!r}, the entity {first!r} (first at "
                                f"{where(line, entity_col, id_column)}) spelt differently",
                                "one spelling per entity (ids are compared ignoring case, "
                                "repeated spaces and compatibility forms such as ligatures)")
            if (key, date) in seen:
                raise DataError(path, where(number, entity_col, id_column),
                                f"repeats {entity!r}" + (f" for date {date}" if date else "")
                                + f" (first at {where(seen[(key, date)], entity_col, id_column)})",
                                "one row per entity and date" if panel else "each entity once")
            seen[(key, date)] = number
            if key not in spelling:
                spelling[key] = (entity, number)
                table.entities.append(entity)
            for col, (column, cell) in enumerate(zip(header, row, strict=True)):
                if column in skipped or column in DATE_COLUMNS or column in model.invalid_ids:
                    continue
                role = columns.role(column)
                if role in ("id", "ignore"):
                    continue
                if role == "label":
                    if _text(cell):
                        table.labels[entity] = _text(cell)
                    continue
                if role == "groups":
                    if _text(cell):
                        table.groups[(entity, column)] = _text(cell)
                    continue
                if role == "keep":
                    if (kept := _kept(cell)) is not None:
                        table.extras[(entity, column)] = kept
                    if column not in model.denominators:
                        continue
                item = model.indicators.get(column) or model.denominators[column]
                if panel and _text(cell) == "" and item.code("") is None:
                    continue  # nothing observed on this date: an earlier value carries forward
                obs = _cell(path, where(number, col, column), entity, column, cell, model, collect)
                table.observations.append(replace(obs, as_of=date, published=published) if panel
                                          else obs)
    if not table.entities:
        error = DataError(path, None, "has no valid row" if collect.errors else
                          "has a header but no rows", "one row per entity")
        error.consequential = bool(collect.errors)  # type: ignore[attr-defined]  # follows from rows
        raise error
    return table


def _kept(cell: object) -> float | str | None:
    """A kept cell as a number if it reads as one, else its text; None when empty."""
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, int | float) and math.isfinite(cell):
        return float(cell)
    text = _text(cell)
    if not text:
        return None
    try:
        value = parse_number(text)
    except ValueError:
        return text
    return value if math.isfinite(value) else text


def _read_rows(path: Path | MemoryTable, sheet: str | None,
               ) -> tuple[list[tuple[int, list[Any]]], Callable[[int, int, str], str], bool,
                          str | None]:
    """The non-empty rows as (row number, cells), a function naming a cell for messages,
    and whether rows may be shorter than the header."""
    from riskscore.inputs.spreadsheet import is_workbook

    if isinstance(path, MemoryTable):   # a DataFrame (riskscore.assess(data=frame))
        return path.rows, path.where, True, None
    if is_workbook(path):
        from riskscore.inputs.spreadsheet import read_sheet

        table = read_sheet(path, sheet)
        # A workbook row ends at its last non-empty cell: shorter rows are padded.
        return table.rows, lambda number, col, column: (f"{table.where(number, col)} "
                                                        f"(column {column})"), True, table.note()
    if sheet is not None:
        raise DataError(path, "--sheet", f"is given ({sheet!r}) for a CSV file",
                        "--sheet only with an .xlsx workbook")
    text = read_text(path, DataError, "CSV", encoding="utf-8-sig", limit=MAX_TABLE_BYTES)
    return _csv_rows(path, text), _csv_where, False, None


def _csv_rows(path: Path, text: str) -> list[tuple[int, list[str]]]:
    """The non-blank records of a CSV text with the physical line each starts on.

    The csv module reads the text itself, so a quoted field keeps its line breaks;
    a field over ``csv.field_size_limit()`` characters is an error naming its line.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[Any]]] = []
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return rows
        except csv.Error as exc:
            raise DataError(path, f"line {start}", f"cannot be read as CSV ({exc})",
                            "CSV fields of at most "
                            f"{csv.field_size_limit():,} characters, quotes closed") from None
        if any(cell.strip() for cell in row):
            rows.append((start, row))


def _csv_where(number: int, col: int, column: str) -> str:
    return f"line {number}, column {column}"


def _text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float):
        return f"{cell:g}"
    return str(cell).strip()


def _check_header(path: Path | MemoryTable, header: list[str], model: Model,
                  collect: Collector) -> set[str]:
    """Check the header against the model's indicators and column roles; return the
    columns to read past (undeclared ones, recorded when collecting).

    A missing id column, a repeated column or a 'published' without 'date' is fatal;
    undeclared columns are one error listing them all, and so are absent ones.
    """
    columns = model.columns
    if columns.id not in header:
        raise DataError(path, "header", f"has no {columns.id!r} column (the entity ids)",
                        f"a column {columns.id!r}, or [columns] id = \"<the id column>\" in "
                        f"{model.path.name} naming the column that holds the ids; the header "
                        "holds " + ", ".join(repr(c) for c in header if c))
    if "published" in header and "date" not in header:
        raise DataError(path, "header", "has a 'published' column but no 'date' column",
                        f"a panel: {columns.id},date[,published],<indicator ids>")
    seen: set[str] = set()
    for number, column in enumerate(header, start=1):
        if not column:
            raise DataError(path, f"header, column {number}", "has no name",
                            "a name for every column (or delete the empty column)")
        if column in seen:
            raise DataError(path, f"column {column!r}", "appears twice", "each column once")
        seen.add(column)
    known = {*model.indicators, *model.denominators, *columns.named, *DATE_COLUMNS,
             *model.invalid_ids}   # an indicator left out for its error is said once
    undeclared = [c for c in header if c not in known]
    if undeclared:
        listed = ", ".join(repr(c) for c in undeclared)
        quoted = ", ".join(f'"{c}"' for c in undeclared)
        collect.error(DataError(
            path, "header", f"has {len(undeclared)} column{'s' if len(undeclared) > 1 else ''} "
            f"the model does not declare: {listed}",
            f"each column an indicator of {model.path.name} or given a role in its "
            f"[columns] table: keep = [{quoted}] carries them to the outputs, "
            f"ignore = [{quoted}] reads past them (also: id, label, groups)"))
    # (a denominator or group the model itself refuses is said there, not again here)
    needed = {i.denominator for i in model.indicators.values()
              if i.denominator and i.denominator in model.denominators}
    needed |= {i.group for i in model.indicators.values() if i.group in columns.groups}
    wanted = [*model.indicators, *sorted(needed),
              *(c for c in columns.named if c not in columns.ignore and c not in needed)]
    absent = [c for c in dict.fromkeys(wanted) if c not in seen]
    if absent:
        collect.error(DataError(
            path, "header", "has no column for " + ", ".join(absent),
            "one column per indicator of the model (leave cells empty when missing) and per "
            f"column named in [columns] of {model.path.name}"))
    return set(undeclared)


def _date_cell(path: Path | MemoryTable, where, number: int, header: list[str], row: list,
               column: str) -> dt.date | None:
    if column not in header:
        return None
    col = header.index(column)
    cell = row[col]
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    text = _text(cell)
    if not text:
        if column == "published":
            return None
        raise DataError(path, where(number, col, column), "is empty",
                        "a date: YYYY, YYYY-MM or YYYY-MM-DD")
    try:
        return parse_period(text)
    except ValueError as exc:
        raise DataError(path, where(number, col, column), f"is {text!r}",
                        f"a date: YYYY, YYYY-MM or YYYY-MM-DD, a year or month meaning its "
                        f"last day ({exc})") from None


def _cell(path: Path | MemoryTable, where: str, entity: str, column: str, cell: object, model: Model,
          collect: Collector) -> Observation:
    """The cell's observation; a bad cell is recorded and counts as missing when collecting."""
    try:
        obs = _observation(path, where, entity, column, cell, model)
    except DataError as err:
        collect.error(err)
        return Observation(entity, column, None, missing_reason=f"invalid cell in {path.name} "
                           f"{where}")
    item = model.indicators.get(column) or model.denominators[column]
    domain = item.domain
    if obs.value is not None and domain is not None and (problem := domain.problem(obs.value)):
        collect.error(DataError(path, where, problem,
                                domain.describe() + (f" in {item.unit}" if item.unit else "")),
                      code="out-of-domain", entity=entity, indicator=column)
    return obs


def _observation(path: Path | MemoryTable, where: str, entity: str, column: str, cell: object,
                 model: Model) -> Observation:
    evidence = (Evidence("data", source=path.name, note=where),)
    item = model.indicators.get(column) or model.denominators[column]
    if item.codes:
        return _coded(path, where, entity, item, cell, evidence)
    text = cell.strip() if isinstance(cell, str) else cell
    if text is None or text == "":
        return Observation(entity, column, None, evidence=evidence,
                           missing_reason=f"empty cell in {path.name} {where.split(', column')[0]}")
    if isinstance(text, dt.date):
        raise DataError(path, where, f"is the date {text.isoformat()}",
                        "a number (format the column as numbers, not dates), or an empty cell "
                        "when missing")
    if isinstance(text, float):
        value = text
    else:
        try:
            value = parse_number(str(text))
        except ValueError:
            if _is_non_finite(str(text)):
                raise DataError(path, where, f"is {text!r}",
                                "a finite number, or an empty cell when missing") from None
            raise DataError(path, where, f"is the text {text!r}",
                            f"{NUMBER_SYNTAX}, or an empty cell when missing") from None
    if not math.isfinite(value):
        raise DataError(path, where, f"is {text!r}",
                        "a finite number, or an empty cell when missing")
    transform = (model.indicators.get(column) or model.denominators[column]).transform
    if problem := transform_problem(value, transform):
        raise DataError(path, where, problem, transform_expected(transform))
    return Observation(entity, column, value, evidence=evidence)


def _coded(path: Path | MemoryTable, where: str, entity: str, item, cell: object,
           evidence: tuple[Evidence, ...]) -> Observation:
    """A cell of a coded column: the number its text stands for (``codes`` in the model)."""
    text = _text(cell)
    value = item.code(text)
    if value is not None:
        return Observation(entity, item.id, value, evidence=evidence)
    if text == "":
        return Observation(entity, item.id, None, evidence=evidence,
                           missing_reason=f"empty cell in {path.name} {where.split(', column')[0]}")
    listed = ", ".join(repr(code) for code, _ in item.codes)
    raise DataError(path, where, f"is {text!r}, not one of the codes of {item.id}",
                    f"one of {listed} (codes in the model; compared ignoring case)"
                    + ("" if item.code("") is not None else ", or an empty cell when missing"))


def _is_non_finite(text: str) -> bool:
    try:
        return not math.isfinite(float(text))
    except ValueError:
        return False
