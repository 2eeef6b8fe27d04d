"""A plain wide table of numbers: ``entity`` plus one column per indicator id.

This is how a published index is reproduced: its raw indicator table goes in,
its config describes the goalposts, transforms and aggregation. An empty cell is
missing; anything else must be a finite number.

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
from dataclasses import replace
from pathlib import Path

from riskscore.errors import DataError
from riskscore.model.definition import Model
from riskscore.model.evidence import Evidence, Observation
from riskscore.model.timeline import parse_period
from riskscore.support.checks import (
    NUMBER_SYNTAX,
    entity_key,
    parse_number,
    transform_expected,
    transform_problem,
)
from riskscore.support.fileio import MAX_TABLE_BYTES, read_text
from riskscore.support.problems import Collector, collector_or_raise

DATE_COLUMNS = ("date", "published")


def load_table(path: Path, model: Model,
               sheet: str | None = None,
               collector: Collector | None = None,
               ) -> tuple[list[str], list[Observation], dict[tuple[str, str], str]]:
    """Read ``path`` (CSV, or an .xlsx workbook's ``sheet``, default the first); return the
    entities in file order, one observation per cell (indicators and denominators), and
    the text of the group columns the model names (``index.groups``).

    With a collecting ``collector``, every bad row and cell is recorded: a bad row is
    left out, a bad cell counts as missing, a value outside its domain is kept.
    """
    collect = collector_or_raise(collector)
    path = Path(path)
    rows, where, ragged = _read_rows(path, sheet)
    if not rows:
        raise DataError(path, None, "file is empty", "a header row: entity,<indicator ids>")
    header_number, header_cells = rows[0]
    header = [_text(cell) for cell in header_cells]
    _check_header(path, header, model)
    entities: list[str] = []
    observations: list[Observation] = []
    groups: dict[tuple[str, str], str] = {}
    panel = "date" in header
    seen: dict[tuple, int] = {}
    spelling: dict[str, tuple[str, int]] = {}   # entity key -> first spelling and its row
    for number, row in rows[1:]:
        with collect.attempt():
            if len(row) > len(header) or (not ragged and len(row) != len(header)):
                raise DataError(path, f"row {number}", f"has {len(row)} cells",
                                f"{len(header)} cells, as in the header")
            row = [*row, *[None] * (len(header) - len(row))]
            entity_col = header.index("entity")
            entity = _text(row[entity_col])
            if not entity:
                raise DataError(path, where(number, entity_col, "entity"), "is empty",
                                "an entity name")
            date, published = (_date_cell(path, where, number, header, row, c)
                               for c in DATE_COLUMNS)
            key = entity_key(entity)
            if key in spelling and spelling[key][0] != entity:
                first, line = spelling[key]
                raise DataError(path, where(number, entity_col, "entity"),
                                f"is {entity!r}, the entity {first!r} (first at "
                                f"{where(line, entity_col, 'entity')}) spelt differently",
                                "one spelling per entity (names are compared ignoring case "
                                "and repeated spaces)")
            if (key, date) in seen:
                raise DataError(path, where(number, entity_col, "entity"),
                                f"repeats {entity!r}" + (f" for date {date}" if date else "")
                                + f" (first at {where(seen[(key, date)], entity_col, 'entity')})",
                                "one row per entity and date" if panel else "each entity once")
            seen[(key, date)] = number
            if key not in spelling:
                spelling[key] = (entity, number)
                entities.append(entity)
            for col, (column, cell) in enumerate(zip(header, row, strict=True)):
                if column == "entity" or column in DATE_COLUMNS:
                    continue
                if column in model.group_columns:
                    if _text(cell):
                        groups[(entity, column)] = _text(cell)
                    continue
                if panel and _text(cell) == "":
                    continue  # nothing observed on this date: an earlier value carries forward
                obs = _cell(path, where(number, col, column), entity, column, cell, model, collect)
                observations.append(replace(obs, as_of=date, published=published) if panel
                                    else obs)
    if not entities:
        raise DataError(path, None, "has no valid row" if collect.errors else
                        "has a header but no rows", "one row per entity")
    return entities, observations, groups


def _read_rows(path: Path, sheet: str | None):
    """The non-empty rows as (row number, cells), a function naming a cell for messages,
    and whether rows may be shorter than the header."""
    from riskscore.inputs.spreadsheet import is_workbook

    if is_workbook(path):
        from riskscore.inputs.spreadsheet import read_sheet

        table = read_sheet(path, sheet)
        # A workbook row ends at its last non-empty cell: shorter rows are padded.
        return table.rows, lambda number, col, column: (f"{table.where(number, col)} "
                                                        f"(column {column})"), True
    if sheet is not None:
        raise DataError(path, "--sheet", f"is given ({sheet!r}) for a CSV file",
                        "--sheet only with an .xlsx workbook")
    text = read_text(path, DataError, "CSV", encoding="utf-8-sig", limit=MAX_TABLE_BYTES)
    return _csv_rows(path, text), _csv_where, False


def _csv_rows(path: Path, text: str) -> list[tuple[int, list[str]]]:
    """The non-blank records of a CSV text with the physical line each starts on.

    The csv module reads the text itself, so a quoted field keeps its line breaks;
    a field over ``csv.field_size_limit()`` characters is an error naming its line.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
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


def _check_header(path: Path, header: list[str], model: Model) -> None:
    if "entity" not in header:
        raise DataError(path, "header", "has no 'entity' column", "entity,<indicator ids>")
    if "published" in header and "date" not in header:
        raise DataError(path, "header", "has a 'published' column but no 'date' column",
                        "a panel: entity,date[,published],<indicator ids>")
    seen: set[str] = set()
    for column in header:
        if column in seen:
            raise DataError(path, f"column {column!r}", "appears twice", "each column once")
        seen.add(column)
        known = (*model.indicators, *model.denominators, *model.group_columns)
        if column != "entity" and column not in DATE_COLUMNS and column not in known:
            raise DataError(path, f"column {column!r}", "is not an indicator of the model "
                            f"({model.path.name})", "one of " + ", ".join(known))
    needed = {i.denominator for i in model.indicators.values() if i.denominator}
    needed |= {i.group for i in model.indicators.values() if i.group}
    absent = [i for i in (*model.indicators, *sorted(needed)) if i not in seen]
    if absent:
        raise DataError(path, "header", "has no column for " + ", ".join(absent),
                        "one column per indicator of the model (leave cells empty when missing)")


def _date_cell(path: Path, where, number: int, header: list[str], row: list,
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


def _cell(path: Path, where: str, entity: str, column: str, cell: object, model: Model,
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


def _observation(path: Path, where: str, entity: str, column: str, cell: object,
                 model: Model) -> Observation:
    evidence = (Evidence("data", source=path.name, note=where),)
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


def _is_non_finite(text: str) -> bool:
    try:
        return not math.isfinite(float(text))
    except ValueError:
        return False
