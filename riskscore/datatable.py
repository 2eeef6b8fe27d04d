"""A plain wide table of numbers: ``entity`` plus one column per indicator id.

This is how a published index is reproduced: its raw indicator table goes in,
its config describes the goalposts, transforms and aggregation. An empty cell is
missing; anything else must be a finite number.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

from riskscore.errors import DataError
from riskscore.evidence import Evidence, Observation
from riskscore.fileio import read_text
from riskscore.model import Model


def load_table(path: Path, model: Model) -> tuple[list[str], list[Observation]]:
    """Read ``path``; return the entities in file order and one observation per cell."""
    path = Path(path)
    text = read_text(path, DataError, "CSV", encoding="utf-8-sig")
    rows = [row for row in csv.reader(text.splitlines()) if any(cell.strip() for cell in row)]
    if not rows:
        raise DataError(path, None, "file is empty", "a header row: entity,<indicator ids>")
    header = [cell.strip() for cell in rows[0]]
    _check_header(path, header, model)
    entities: list[str] = []
    observations: list[Observation] = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise DataError(path, f"row {number}", f"has {len(row)} cells",
                            f"{len(header)} cells, as in the header")
        entity = row[header.index("entity")].strip()
        if not entity:
            raise DataError(path, f"row {number}, column entity", "is empty", "an entity name")
        if entity in entities:
            raise DataError(path, f"row {number}, column entity", f"repeats {entity!r}",
                            "each entity once")
        entities.append(entity)
        for column, cell in zip(header, row, strict=True):
            if column == "entity":
                continue
            observations.append(_observation(path, number, entity, column, cell.strip(), model))
    if not entities:
        raise DataError(path, None, "has a header but no rows", "one row per entity")
    return entities, observations


def _check_header(path: Path, header: list[str], model: Model) -> None:
    if "entity" not in header:
        raise DataError(path, "header", "has no 'entity' column", "entity,<indicator ids>")
    seen: set[str] = set()
    for column in header:
        if column in seen:
            raise DataError(path, f"column {column!r}", "appears twice", "each column once")
        seen.add(column)
        if column != "entity" and column not in model.indicators:
            raise DataError(path, f"column {column!r}", "is not an indicator of the model "
                            f"({model.path.name})", "one of " + ", ".join(model.indicators))
    absent = [i for i in model.indicators if i not in seen]
    if absent:
        raise DataError(path, "header", "has no column for " + ", ".join(absent),
                        "one column per indicator of the model (leave cells empty when missing)")


def _observation(path: Path, number: int, entity: str, column: str, cell: str,
                 model: Model) -> Observation:
    evidence = (Evidence("data", source=path.name, note=f"row {number}, column {column}"),)
    if cell == "":
        return Observation(entity, column, None, evidence=evidence,
                           missing_reason=f"empty cell in {path.name} row {number}")
    try:
        value = float(cell)
    except ValueError:
        raise DataError(path, f"row {number}, column {column}", f"is the text {cell!r}",
                        "a number, or an empty cell when missing") from None
    if not math.isfinite(value):
        raise DataError(path, f"row {number}, column {column}", f"is {cell!r}",
                        "a finite number, or an empty cell when missing")
    indicator = model.indicators[column]
    transform = indicator.transform
    if transform in ("log", "log10") and value <= 0:
        raise DataError(path, f"row {number}, column {column}",
                        f"is {value:g} under a {transform} transform", "a positive number")
    if indicator.domain is not None and (problem := indicator.domain.problem(value)):
        raise DataError(path, f"row {number}, column {column}", problem,
                        indicator.domain.describe()
                        + (f" in {indicator.unit}" if indicator.unit else ""))
    return Observation(entity, column, value, evidence=evidence)
