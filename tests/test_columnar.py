"""The column-wise reader of clean CSV tables against the row-by-row reader (the oracle)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import riskscore
from riskscore.engine.pipeline import LazyObservations
from riskscore.inputs import columnar
from riskscore.inputs.columnar import ColumnTable, _numbers, read_clean_csv
from riskscore.inputs.datatable import load_table
from riskscore.model.loader import load_model
from riskscore.support.checks import parse_number

ROOT = Path(__file__).resolve().parent.parent

MODEL = """
[index]
id = "index"
scale = 100

[columns]
label = "name"
groups = ["region"]
keep = ["population"]
ignore = ["comment"]

[indicators.a]
goalposts = [0, 100]
weight = 2

[indicators.b]
goalposts = [0, 10]
domain = [0, 10]

[indicators.c]
goalposts = [1, 1000]
transform = "log10"
"""


def write(tmp_path: Path, rows: list[str]) -> tuple[Path, Path]:
    model = tmp_path / "model.toml"
    model.write_text(MODEL, encoding="utf-8")
    data = tmp_path / "data.csv"
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return model, data


CLEAN = ["entity,name,region,a,b,c,population,comment",
         "A,Alpha,north,1.,0.5,10,1200,x",
         "",
         "B,,south,.5,,1E3,,",
         "C,Gamma,,+7,-0,5e-1,n/a,y",
         ",,,",
         "D,Delta,north,,10,2.5e+2,3,z"]


def test_clean_table_reads_as_the_row_by_row_reader(tmp_path):
    model_path, data = write(tmp_path, CLEAN)
    model = load_model(model_path)
    table = read_clean_csv(data, model, min_bytes=0)
    assert isinstance(table, ColumnTable)
    rows = load_table(data, model)
    assert list(table.entities) == rows.entities == ["A", "B", "C", "D"]
    assert table.labels == rows.labels and table.groups == rows.groups
    assert table.extras == rows.extras and table.kept == rows.kept
    for obs in rows.observations:                     # every cell, evidence included
        assert table[(obs.entity, obs.indicator)] == (obs,)
    assert len(table) == len(rows.observations) == 12
    # the lines of the file, blank ones skipped: A on 2, B on 4, C on 5, D on 7
    assert table[("D", "a")][0].missing_reason == "empty cell in data.csv line 7"
    assert table[("B", "c")][0].value == 1000.0


@pytest.mark.parametrize("cell", [" 1", "1 ", "inf", "NaN", "1_000", "١٢", "0x10", "1e999",
                                  '"5"', "-1"])
def test_anything_unusual_goes_to_the_row_by_row_reader(tmp_path, cell):
    # a space, a word, a quote, an overflow, a value outside b's domain [0, 10]
    model_path, data = write(tmp_path, [*CLEAN[:2], f"B,Beta,south,1,{cell},3,,"])
    assert read_clean_csv(data, load_model(model_path), min_bytes=0) is None


@pytest.mark.parametrize("rows", [
    ["entity,name,region,a,b,c,population,comment", "A,,,1,2,3,,", "a,,,1,2,3,,"],  # twice
    ["entity,name,region,a,b,c,population,comment", "A,,,1,2,3,"],                  # short
    ["entity,name,region,a,b,c,population,comment", "A,,,1,2,0,,"],    # log10 of 0
    ["entity,date,name,region,a,b,c,population,comment", "A,2020,,,1,2,3,,"],        # panel
    ["entity,name,region,a,b,c,population,comment,extra", "A,,,1,2,3,,,"],   # undeclared
    ["entity,name,region,a,b,c,population,comment", " ,,,1,2,3,,"],             # no id
])
def test_tables_with_problems_go_to_the_row_by_row_reader(tmp_path, rows):
    model_path, data = write(tmp_path, rows)
    assert read_clean_csv(data, load_model(model_path), min_bytes=0) is None


def test_small_files_and_workbooks_are_left_to_the_row_by_row_reader(tmp_path):
    model_path, data = write(tmp_path, CLEAN)
    assert read_clean_csv(data, load_model(model_path)) is None        # under 1 MB
    assert read_clean_csv(data, load_model(model_path), sheet="x", min_bytes=0) is None


TOKEN = st.text(alphabet="0123456789+-.eE", max_size=8)


@settings(max_examples=500, deadline=None)
@given(st.lists(TOKEN, min_size=1, max_size=4))
def test_numbers_are_read_as_parse_number_reads_them(tokens):
    """A cell made of digits, signs, points and exponents is read by pandas exactly when
    the one number syntax accepts it, as the same float."""
    def reference(token):
        if token == "":
            return np.nan
        try:
            return parse_number(token)
        except ValueError:
            return None
    expected = [reference(t) for t in tokens]
    got = _numbers([",".join(tokens)], len(tokens))
    if any(e is None for e in expected):
        assert got is None
    else:
        assert got is not None
        np.testing.assert_array_equal(got[0], np.array(expected, dtype=float))


@pytest.mark.parametrize("example, data", [("coinr-asem", "asem-input.csv"),
                                           ("hdi", "inputs-2021.csv"),
                                           ("gdi", "inputs-2021.csv")])
def test_examples_score_the_same_read_either_way(monkeypatch, example, data):
    folder = ROOT / "examples" / example
    by_rows = riskscore.assess(folder / "model.toml", data=folder / data)
    monkeypatch.setattr(columnar, "MIN_BYTES", 0)
    monkeypatch.setattr(read_clean_csv, "__defaults__", (None, 0))
    by_columns = riskscore.assess(folder / "model.toml", data=folder / data)
    assert isinstance(by_columns.inputs.table, ColumnTable)
    assert isinstance(by_columns.observations, LazyObservations)
    assert not isinstance(by_rows.inputs.table, ColumnTable)
    assert by_columns.to_dict() == by_rows.to_dict()
    for key, obs in by_rows.observations.items():
        assert by_columns.observations[key] == obs
    for field in ("raw", "slots", "allocation", "scores", "ranks"):
        np.testing.assert_array_equal(getattr(by_columns, field), getattr(by_rows, field))
    assert [repr(dataclasses.astuple(s)) for s in by_columns.steps] == \
        [repr(dataclasses.astuple(s)) for s in by_rows.steps]      # NaN == NaN as text


def test_goalpost_clips_found_by_column_are_the_cells_clips(tmp_path, monkeypatch):
    from riskscore.analyses.audit.ranges import goalpost_clips
    from riskscore.engine.pipeline import collect_observations
    from riskscore.inputs.loading import load_table_inputs

    model_path, data = write(tmp_path, [*CLEAN, "E,,,150,,2000,,", "F,,,-3,4,0.9,,"])
    model = load_model(model_path)
    monkeypatch.setattr(read_clean_csv, "__defaults__", (None, 0))
    lazy = collect_observations(model, load_table_inputs(model, data), "all", None)
    assert isinstance(lazy, LazyObservations)
    by_column = goalpost_clips(model, lazy)
    by_cell = goalpost_clips(model, dict(lazy.items()))
    # by hand: C's c is 0.5 (< 1), E's a 150 (> 100) and c 2000 (> 1000), F's a -3 and c 0.9
    assert [(c.entity, c.indicator, c.value, c.side) for c in by_column] == [
        ("C", "c", 0.5, "lower"), ("E", "a", 150.0, "upper"), ("E", "c", 2000.0, "upper"),
        ("F", "a", -3.0, "lower"), ("F", "c", 0.9, "lower")]
    assert by_column == by_cell
