"""COINr's two input tables, iData and iMeta, read into a riskscore model and data table.

COINr (the JRC's R package for composite indicators) describes an index in two tables:

- **iData**: one row per unit: ``uCode`` (the id), ``uName``, group columns, ``Time``,
  denominators and indicators, one column each;
- **iMeta**: one row per column of iData that is not ``uCode``/``uName``/``Time``, and
  one per aggregate: ``iCode``, ``iName``, ``Type`` (Indicator, Aggregate, Group,
  Denominator, Other), ``Level``, ``Parent``, ``Direction`` (1 or -1), ``Weight``,
  ``Denominator``, ``Unit``, ``Target``.

``read_coinr`` checks both and returns the model (a mapping with the model file's
structure) and the data table (rows). Scored as it comes, the model is COINr's default
build: min-max normalisation to 0-100 and arithmetic means, no denomination, imputation
or treatment, a missing value left out of its parent's mean (COINr's mean ignores NA).
COINr's optional steps map onto settings (``denominate=True`` writes the iMeta
denominators; see docs/tutorials/coming-from-coinr.md for imputation and treatment).

Every error names the file, the row and the column: an unknown Type, a Parent that is
not an aggregate of iMeta, a cycle, an iCode missing from iData, a repeated uCode.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from riskscore.errors import DataError
from riskscore.support.checks import parse_number
from riskscore.support.fileio import MAX_TABLE_BYTES, read_text

TYPES = ("Indicator", "Aggregate", "Group", "Denominator", "Other")
ID_COLUMNS = ("uCode", "uName", "Time")


@dataclass
class CoinrIndex:
    """What ``read_coinr`` read: the model mapping, the data table's header and rows,
    and the iMeta denominator of each indicator (applied only with ``denominate``)."""

    model: dict[str, Any]
    header: list[str]
    rows: list[list[Any]]
    denominators: dict[str, str] = field(default_factory=dict)

    def to_frame(self) -> Any:
        """The data table as a pandas DataFrame (column ``uCode`` holds the ids)."""
        import pandas as pd

        return pd.DataFrame(self.rows, columns=self.header)


@dataclass(frozen=True)
class _Table:
    name: str                          # how messages name it (the file, or the parameter)
    header: list[str]
    rows: list[tuple[int, dict[str, Any]]]   # (row number as a reader counts, cells)


def read_coinr(idata: Any, imeta: Any, *, denominate: bool = False) -> CoinrIndex:
    """Read COINr's iData and iMeta (each a CSV path or a pandas DataFrame).

    ``denominate`` divides each indicator by its iMeta ``Denominator`` (COINr's
    ``Denominate()``). Raises DataError naming the file (or parameter), row and column.
    """
    data = _table(idata, "idata")
    meta = _table(imeta, "imeta")
    for column in ("iCode", "Type"):
        if column not in meta.header:
            raise DataError(meta.name, "header", f"has no {column!r} column",
                            "COINr's iMeta columns: iCode, iName, Type, Level, Parent, "
                            "Direction, Weight, Denominator, Unit, Target")
    if "uCode" not in data.header:
        raise DataError(data.name, "header", "has no 'uCode' column",
                        "COINr's iData columns: uCode, uName, groups, Time, indicators")
    items = _items(meta)
    _check_columns(items, meta, data)
    root = _check_tree(items, meta)
    _check_units(data)
    return _build(items, meta, data, root, denominate)


def _table(source: Any, parameter: str) -> _Table:
    if hasattr(source, "columns") and hasattr(source, "to_dict"):
        header = [str(c) for c in source.columns]
        rows = [(number, {str(k): _cell(v) for k, v in record.items()})
                for number, record in enumerate(source.to_dict(orient="records"), start=2)]
        return _Table(parameter, header, rows)
    path = Path(source)
    text = read_text(path, DataError, "CSV", encoding="utf-8-sig", limit=MAX_TABLE_BYTES)
    reader = csv.reader(io.StringIO(text, newline=""))
    records = [(reader.line_num, row) for row in reader]
    records = [(n, r) for n, r in records if any(c.strip() for c in r)]
    if not records:
        raise DataError(path, None, "file is empty", "a header row and one row per entry")
    header = [c.strip() for c in records[0][1]]
    rows = []
    for number, row in records[1:]:
        if len(row) != len(header):
            raise DataError(path, f"row {number}", f"has {len(row)} cells",
                            f"{len(header)} cells, as in the header")
        rows.append((number, {h: _cell(c) for h, c in zip(header, row, strict=True)}))
    return _Table(str(path), header, rows)


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return _cell(value.item())
    try:
        if value != value:   # pandas NA
            return None
    except (TypeError, ValueError):
        return None
    return value


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _number(table: _Table, number: int, column: str, value: Any, default: float) -> float:
    if value is None:
        return default
    if isinstance(value, int | float):
        return float(value)
    try:
        return parse_number(str(value))
    except ValueError:
        raise DataError(table.name, f"row {number}, column {column}", f"is {value!r}",
                        "a number") from None


def _items(meta: _Table) -> dict[str, tuple[int, dict[str, Any]]]:
    items: dict[str, tuple[int, dict[str, Any]]] = {}
    for number, row in meta.rows:
        code = _text(row.get("iCode"))
        if not code:
            raise DataError(meta.name, f"row {number}, column iCode", "is empty",
                            "the code of the indicator, aggregate or other column")
        if code in items:
            raise DataError(meta.name, f"row {number}, column iCode",
                            f"repeats {code!r} (first in row {items[code][0]})",
                            "each iCode once")
        kind = _text(row.get("Type"))
        if kind not in TYPES:
            raise DataError(meta.name, f"row {number}, column Type", f"is {kind!r}",
                            "one of " + ", ".join(TYPES))
        items[code] = (number, row)
    return items


def _check_columns(items: dict[str, tuple[int, dict[str, Any]]], meta: _Table,
                   data: _Table) -> None:
    """Every iMeta entry but an aggregate is a column of iData, and the reverse."""
    present = set(data.header)
    for code, (number, row) in items.items():
        if row["Type"] != "Aggregate" and code not in present:
            raise DataError(data.name, "header", f"has no column {code!r}, which "
                            f"{Path(meta.name).name} row {number} (column iCode) declares as "
                            f"{row['Type']}", "a column of iData for each iMeta entry that "
                            "is not an Aggregate")
        if row["Type"] == "Aggregate" and code in present:
            raise DataError(data.name, f"column {code}", f"is the Aggregate {code!r} of "
                            f"{Path(meta.name).name} row {number}",
                            "aggregates computed, not given in iData")
    for column in data.header:
        if column not in ID_COLUMNS and column not in items:
            raise DataError(data.name, f"column {column}", f"is not an iCode of "
                            f"{Path(meta.name).name}", "one iMeta row per iData column "
                            "(Type Other for a column to carry along)")


def _check_tree(items: dict[str, tuple[int, dict[str, Any]]], meta: _Table) -> str:
    """Parents are aggregates, there is one root, and no cycle; returns the root."""
    aggregates = [c for c, (_, r) in items.items() if r["Type"] == "Aggregate"]
    roots = []
    for code, (number, row) in items.items():
        if row["Type"] not in ("Indicator", "Aggregate"):
            continue
        parent = _text(row.get("Parent"))
        if parent is None:
            if row["Type"] == "Indicator":
                raise DataError(meta.name, f"row {number}, column Parent", "is empty",
                                "the iCode of the aggregate the indicator belongs to")
            roots.append(code)
            continue
        if parent not in items or items[parent][1]["Type"] != "Aggregate":
            raise DataError(meta.name, f"row {number}, column Parent",
                            f"is {parent!r}, which is not an Aggregate of iMeta",
                            "one of " + (", ".join(aggregates) or "(no Aggregate rows)"))
    for code in items:   # walk up from each entry: a repeat is a cycle
        seen = [code]
        parent = _text(items[code][1].get("Parent"))
        while parent is not None and items[code][1]["Type"] in ("Indicator", "Aggregate"):
            if parent in seen:
                number = items[seen[-1]][0]
                raise DataError(meta.name, f"row {number}, column Parent",
                                "forms a cycle (" + " -> ".join(
                                    [*seen[seen.index(parent):], parent]) + ")",
                                "a tree: each aggregate below exactly one index")
            seen.append(parent)
            parent = _text(items[parent][1].get("Parent"))
    if len(roots) != 1:
        raise DataError(meta.name, "column Parent", f"is empty for {len(roots)} aggregates"
                        + (f" ({', '.join(roots)})" if roots else ""),
                        "exactly one Aggregate without a Parent: the index")
    return roots[0]


def _check_units(data: _Table) -> None:
    seen: dict[tuple[str, str | None], int] = {}
    for number, row in data.rows:
        code = _text(row.get("uCode"))
        if not code:
            raise DataError(data.name, f"row {number}, column uCode", "is empty", "a unit code")
        key = (code, _text(row.get("Time")))
        if key in seen:
            when = f" for Time {key[1]}" if key[1] is not None and _panel(data) else ""
            raise DataError(data.name, f"row {number}, column uCode",
                            f"repeats {code!r}{when} (first in row {seen[key]})",
                            "each uCode once" + (" per Time" if _panel(data) else ""))
        seen[key] = number


def _panel(data: _Table) -> bool:
    return "Time" in data.header and len({_text(r.get("Time")) for _, r in data.rows}) > 1


def _build(items: dict[str, tuple[int, dict[str, Any]]], meta: _Table, data: _Table,
           root: str, denominate: bool) -> CoinrIndex:
    by_type: dict[str, list[str]] = {t: [] for t in TYPES}
    for code, (_, row) in items.items():
        by_type[row["Type"]].append(code)
    root_row = items[root][1]
    index: dict[str, Any] = {"id": root, "label": _text(root_row.get("iName")) or root,
                             "scale": 100, "normalisation": "minmax"}
    nodes: dict[str, Any] = {}
    indicators: dict[str, Any] = {}
    denominators: dict[str, str] = {}
    for code in by_type["Aggregate"]:
        if code == root:
            continue
        number, row = items[code]
        nodes[code] = {"parent": _text(row["Parent"]), "label": _text(row.get("iName")) or code,
                       "weight": _number(meta, number, "Weight", row.get("Weight"), 1.0)}
    for code in by_type["Indicator"]:
        number, row = items[code]
        direction = _number(meta, number, "Direction", row.get("Direction"), 1.0)
        if direction not in (1.0, -1.0):
            raise DataError(meta.name, f"row {number}, column Direction",
                            f"is {row.get('Direction')!r}", "1 (higher is more) or -1")
        entry: dict[str, Any] = {
            "parent": _text(row["Parent"]), "label": _text(row.get("iName")) or code,
            "weight": _number(meta, number, "Weight", row.get("Weight"), 1.0),
            "direction": "higher_is_riskier" if direction > 0 else "lower_is_riskier"}
        if _text(row.get("Unit")):
            entry["unit"] = _text(row.get("Unit"))
        denominator = _text(row.get("Denominator"))
        if denominator is not None:
            if denominator not in by_type["Denominator"]:
                raise DataError(meta.name, f"row {number}, column Denominator",
                                f"is {denominator!r}, not a Denominator of iMeta",
                                "one of " + (", ".join(by_type["Denominator"]) or "(none)"))
            denominators[code] = denominator
            if denominate:
                entry["denominator"] = denominator
        indicators[code] = entry
    model: dict[str, Any] = {"index": index}
    columns: dict[str, Any] = {"id": "uCode"}
    if "uName" in data.header:
        columns["label"] = "uName"
    if by_type["Group"]:
        columns["groups"] = by_type["Group"]
    if by_type["Other"]:
        columns["keep"] = by_type["Other"]
    if "Time" in data.header and not _panel(data):
        columns["ignore"] = ["Time"]
    model["columns"] = columns
    if by_type["Denominator"]:
        model["denominators"] = {d: {"label": _text(items[d][1].get("iName")) or d}
                                 for d in by_type["Denominator"]}
    if nodes:
        model["nodes"] = nodes
    model["indicators"] = indicators
    header = ["date" if (h == "Time" and _panel(data)) else h for h in data.header]
    rows = [[row.get(h) for h in data.header] for _, row in data.rows]
    return CoinrIndex(model, header, rows, denominators)


# ---- a project made from COINr's tables (riskscore init --from-coinr) ----------------


def project_files(index: CoinrIndex, idata_name: str, imeta_name: str) -> dict[str, str]:
    """The files of a project holding ``index``: riskscore.toml, model.toml, data.csv."""
    return {"riskscore.toml": PROJECT_TOML, "model.toml": model_toml(index, idata_name,
                                                                    imeta_name),
            "data.csv": data_csv(index)}


PROJECT_TOML = """\
# A riskscore project made by `riskscore init --from-coinr` from COINr's iData and iMeta.
model = "model.toml"
data = "data.csv"
"""


def model_toml(index: CoinrIndex, idata_name: str, imeta_name: str) -> str:
    """The model as a commented TOML file (COINr's optional steps as comments to enable)."""
    model = index.model
    lines = [f"# Made from COINr's tables {idata_name} (iData) and {imeta_name} (iMeta).",
             "# As written it is COINr's default build: min-max to 0-100 and arithmetic",
             "# means, no denomination, imputation or treatment. COINr's other steps are",
             "# settings: Denominate() -> the commented `denominator` lines below;",
             "# Impute() -> imputation = \"mean\" | \"median\" | \"group_mean\" (+ group);",
             "# Treat() -> treatment = \"winsorise\" (see docs/tutorials/coming-from-coinr.md).",
             "", "[index]"]
    lines += [f"{k} = {_toml(v)}" for k, v in model["index"].items()]
    lines += ["", "[columns]"] + [f"{k} = {_toml(v)}" for k, v in model["columns"].items()]
    for table in ("denominators", "nodes", "indicators"):
        for key, entry in model.get(table, {}).items():
            lines += ["", f"[{table}.{_key(key)}]"]
            lines += [f"{k} = {_toml(v)}" for k, v in entry.items()]
            if table == "indicators" and key in index.denominators and "denominator" not in entry:
                lines.append(f"# denominator = {_toml(index.denominators[key])}   "
                             "# COINr's Denominate(): uncomment to divide by it")
    return "\n".join(lines) + "\n"


def data_csv(index: CoinrIndex) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(index.header)
    for row in index.rows:
        writer.writerow(["" if v is None else _text(v) if isinstance(v, float) and
                         v.is_integer() else v for v in row])
    return out.getvalue()


def _key(key: str) -> str:
    bare = key.replace("_", "").replace("-", "").isalnum() and key.isascii()
    return key if bare else _toml(key)


def _toml(value: Any) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(int(value)) if float(value).is_integer() else repr(float(value))
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)
