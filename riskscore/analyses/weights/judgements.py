"""Reading experts' judgement and allocation files (CSV), every problem named at once.

AHP judgements, one square block per expert (``a/b`` fractions allowed)::

    expert,child,debt,governance,exposure
    alice,debt,1,3,1/5
    alice,governance,1/3,1,1/7
    alice,exposure,5,7,1

Budget allocations, one row per expert (any budget; each row is scaled to shares)::

    expert,debt,governance,exposure
    alice,40,30,30

A problem names the file, the expert and the cell (row child, column child); all of
a file's problems are reported in one error.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from riskscore.errors import DataError
from riskscore.support.checks import parse_number
from riskscore.support.fileio import read_text

# a_ij x a_ji may miss 1 by this much (judgements typed as 0.33 for 1/3)
RECIPROCAL_TOLERANCE = 0.02


class JudgementErrors(DataError):
    """Every problem found in one judgement or allocation file (one per line)."""

    def __init__(self, problems: list[DataError]):
        self.problems = problems
        first = problems[0]
        super().__init__(first.source, first.key, first.problem, first.expected)

    @property
    def message(self) -> str:
        return "\n".join(DataError.message.fget(p) for p in self.problems)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Judgements:
    path: Path
    experts: tuple[str, ...]
    children: tuple[str, ...]
    values: np.ndarray       # AHP: (E, n, n) matrices; budget: (E, n) points


def _rows(path: Path, kind: str) -> list[list[str]]:
    if path.suffix.lower() != ".csv":
        raise DataError(path, None, f"has the extension {path.suffix or '(none)'!r}",
                        f"a .csv {kind} file")
    text = read_text(path, DataError, kind).lstrip("\ufeff")
    rows = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
    rows = [row for row in rows if any(row)]
    if not rows:
        raise DataError(path, None, "is empty", f"a header row and the {kind}")
    return rows


def _number(text: str) -> float:
    """A judgement: a number or a fraction ``a/b``."""
    top, sep, bottom = text.partition("/")
    if sep:
        denominator = parse_number(bottom)
        if denominator == 0:
            raise ValueError(f"{text!r} divides by zero")
        return parse_number(top) / denominator
    return parse_number(text)


def _check_header(path: Path, header: list[str], lead: list[str], children: tuple[str, ...],
                  problems: list[DataError]) -> list[str]:
    """The child columns of ``header`` after the ``lead`` columns; unknown/missing named."""
    if [h.casefold() for h in header[:len(lead)]] != lead:
        raise DataError(path, "header", f"starts {', '.join(header[:len(lead)])!r}",
                        "the columns " + ", ".join(lead) + ", then one column per child")
    columns = header[len(lead):]
    for c in columns:
        if c not in children:
            problems.append(DataError(path, f"column {c!r}", "names an unknown child",
                                      "one of " + ", ".join(children)))
    for c in children:
        if c not in columns:
            problems.append(DataError(path, "header", f"misses the child {c!r}",
                                      "one column per child: " + ", ".join(children)))
    seen = set()
    for c in columns:
        if c in seen:
            problems.append(DataError(path, f"column {c!r}", "is repeated", "each child once"))
        seen.add(c)
    return columns


def read_ahp(path: Path, children: tuple[str, ...]) -> Judgements:
    """Every expert's pairwise matrix over ``children`` (in that order).

    Raises JudgementErrors naming each problem: unknown or missing children (columns or
    rows), a block that is not square, entries that are not positive numbers, a
    diagonal other than 1, or a_ij x a_ji != 1.
    """
    path = Path(path)
    rows = _rows(path, "AHP judgement")
    problems: list[DataError] = []
    columns = _check_header(path, rows[0], ["expert", "child"], children, problems)
    blocks: dict[str, dict[str, tuple[int, list[str]]]] = {}
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(columns) + 2:
            problems.append(DataError(path, f"line {line}", f"has {len(row)} cells",
                                      f"{len(columns) + 2}: expert, child and one per column"))
            continue
        expert, child = row[0], row[1]
        if not expert:
            problems.append(DataError(path, f"line {line}", "has no expert", "a name"))
            continue
        if child not in children:
            problems.append(DataError(path, f"expert {expert!r}, row {child!r}",
                                      "names an unknown child", "one of " + ", ".join(children)))
            continue
        block = blocks.setdefault(expert, {})
        if child in block:
            problems.append(DataError(path, f"expert {expert!r}, row {child!r}",
                                      f"is repeated (lines {block[child][0]} and {line})",
                                      "one row per child"))
            continue
        block[child] = (line, row[2:])
    if not blocks and not problems:
        problems.append(DataError(path, None, "has no judgements", "one block per expert"))
    matrices = []
    known = [c for c in columns if c in children]
    for expert, block in blocks.items():
        missing = [c for c in children if c not in block]
        if missing:
            problems.append(DataError(path, f"expert {expert!r}",
                                      f"has {len(block)} rows for {len(children)} columns: the "
                                      "matrix is not square (no row for " + ", ".join(missing) + ")",
                                      "one row per child"))
        a = np.full((len(children), len(children)), np.nan)
        for child, (_line, cells) in block.items():
            i = children.index(child)
            for column, text in zip(columns, cells, strict=True):
                if column not in known:
                    continue
                j = children.index(column)
                where = f"expert {expert!r}, cell ({child}, {column})"
                try:
                    value = _number(text)
                except ValueError:
                    problems.append(DataError(path, where, f"is {text!r}",
                                              "a positive number or fraction such as 3 or 1/3"))
                    continue
                if not value > 0:
                    problems.append(DataError(path, where, f"is {text}",
                                              "a positive judgement (1 = equal, 3 = moderately "
                                              "more important, ..., 9 = extremely)"))
                    continue
                if i == j and abs(value - 1) > 1e-9:
                    problems.append(DataError(path, where, f"is {text} on the diagonal",
                                              "1 (a child is as important as itself)"))
                    continue
                a[i, j] = value
        for i in range(len(children)):
            for j in range(i + 1, len(children)):
                if np.isnan(a[i, j]) or np.isnan(a[j, i]):
                    continue
                if abs(a[i, j] * a[j, i] - 1) > RECIPROCAL_TOLERANCE:
                    problems.append(DataError(
                        path, f"expert {expert!r}, cell ({children[j]}, {children[i]})",
                        f"is {a[j, i]:.4g} but cell ({children[i]}, {children[j]}) is "
                        f"{a[i, j]:.4g}: not reciprocal",
                        f"1/{a[i, j]:.4g} = {1 / a[i, j]:.4g}"))
        if not missing:
            matrices.append(a)
    if problems:
        raise JudgementErrors(problems)
    return Judgements(path, tuple(blocks), children, np.array(matrices))


def read_budget(path: Path, children: tuple[str, ...]) -> Judgements:
    """Every expert's points per child (``children`` order). Raises JudgementErrors naming
    unknown or missing children, repeated experts, cells that are not numbers >= 0, and
    experts who allocate nothing."""
    path = Path(path)
    rows = _rows(path, "budget allocation")
    problems: list[DataError] = []
    columns = _check_header(path, rows[0], ["expert"], children, problems)
    seen: dict[str, int] = {}
    points = []
    experts = []
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(columns) + 1:
            problems.append(DataError(path, f"line {line}", f"has {len(row)} cells",
                                      f"{len(columns) + 1}: the expert and one per child"))
            continue
        expert = row[0]
        if expert in seen:
            problems.append(DataError(path, f"expert {expert!r}",
                                      f"is repeated (lines {seen[expert]} and {line})",
                                      "one row per expert"))
            continue
        seen[expert] = line
        values = np.zeros(len(children))
        ok = True
        for column, text in zip(columns, row[1:], strict=True):
            if column not in children:
                continue
            where = f"expert {expert!r}, cell {column!r}"
            try:
                value = parse_number(text)
            except ValueError:
                problems.append(DataError(path, where, f"is {text!r}", "a number of points >= 0"))
                ok = False
                continue
            if value < 0:
                problems.append(DataError(path, where, f"is {text}", "a number of points >= 0"))
                ok = False
                continue
            values[children.index(column)] = value
        if ok and values.sum() <= 0:
            problems.append(DataError(path, f"expert {expert!r}", "allocates no points",
                                      "a positive total"))
            ok = False
        if ok:
            points.append(values)
            experts.append(expert)
    if not seen and not problems:
        problems.append(DataError(path, None, "has no allocations", "one row per expert"))
    if problems:
        raise JudgementErrors(problems)
    return Judgements(path, tuple(experts), children, np.array(points))
