"""--data FILE.xlsx: a workbook sheet is read like the CSV, with errors naming file, sheet and cell."""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from riskscore.cli.main import cli

# TINY_MODEL by hand (see tests/support.py): a = mean(x/10, 1 - y/100), b = z, risk = (3a + b)/4.
# Alpha: a = (0.5 + 0.8)/2 = 0.65, b = 1   -> 73.75
# Beta:  a = (1.0 + 0.0)/2 = 0.5,  b = 0   -> 37.5
# Gamma: x missing, a = 1 - 0.5 = 0.5, b = 0.5 -> 50
EXPECTED = {"Alpha": 73.75, "Beta": 37.5, "Gamma": 50.0}
ROWS = [["entity", "x", "y", "z"], ["Alpha", 5, 20, 1], ["Beta", 10, "100", 0],
        ["Gamma", None, 50, 0.5]]


def workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    book.save(path)
    return path


def invoke(*args):
    return CliRunner().invoke(cli, list(args))


def scores(model: Path, data: Path, *extra) -> dict[str, float]:
    result = invoke("score", "--config", str(model), "--data", str(data), "--format", "json",
                    *extra)
    assert result.exit_code == 0, result.output
    return {r["entity"]: r["score"] for r in json.loads(result.output)["results"]}


def test_first_sheet_scores_as_computed_by_hand(tiny, tmp_path):
    model, _ = tiny
    book = workbook(tmp_path / "data.xlsx", {"Data": ROWS, "Other": [["entity"]]})
    assert scores(model, book) == pytest.approx(EXPECTED, abs=1e-12)


def test_sheet_option_picks_a_sheet_in_any_case(tiny, tmp_path):
    model, _ = tiny
    book = workbook(tmp_path / "data.xlsx", {"Notes": [["read me"]], "Scores 2024": ROWS})
    assert scores(model, book, "--sheet", "scores 2024") == pytest.approx(EXPECTED, abs=1e-12)


def test_unknown_sheet_names_the_sheets_there_are(tiny, tmp_path):
    model, _ = tiny
    book = workbook(tmp_path / "data.xlsx", {"Data": ROWS})
    result = invoke("score", "--config", str(model), "--data", str(book), "--sheet", "Dta")
    assert result.exit_code == 1
    assert f"{book}: --sheet Dta: is not a sheet of this workbook; expected one of 'Data'" \
        in result.output
    assert "Traceback" not in result.output


def test_sheet_with_a_csv_is_an_error(tiny):
    model, data = tiny
    result = invoke("score", "--config", str(model), "--data", str(data), "--sheet", "Data")
    assert result.exit_code == 1
    assert "--sheet: is given ('Data') for a CSV file" in result.output


def test_uncomputed_formula_names_file_sheet_and_cell(tiny, tmp_path):
    model, _ = tiny
    rows = [list(r) for r in ROWS]
    rows[2][2] = "=10*10"          # Beta's y, cell C3, written without a computed value
    book = workbook(tmp_path / "data.xlsx", {"Data": rows})
    result = invoke("score", "--config", str(model), "--data", str(book))
    assert result.exit_code == 1
    assert (f"{book}: sheet 'Data', cell C3: holds the formula =10*10 with no computed value "
            "saved; expected a value") in result.output


def test_computed_formula_reads_its_saved_value(tiny, tmp_path):
    model, _ = tiny
    rows = [list(r) for r in ROWS]
    rows[2][2] = "=10*10"
    book = workbook(tmp_path / "data.xlsx", {"Data": rows})
    # What a spreadsheet program does on saving: store the result beside the formula.
    with zipfile.ZipFile(book) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet, count = re.subn(r"<f>10\*10</f><v\s*/?>(</v>)?", "<f>10*10</f><v>100</v>", sheet)
    assert count == 1
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(book, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    assert scores(model, book) == pytest.approx(EXPECTED, abs=1e-12)


def test_merged_header_cells_are_an_error(tiny, tmp_path):
    model, _ = tiny
    book = Workbook()
    ws = book.active
    ws.title = "Data"
    for row in ROWS:
        ws.append(row)
    ws.merge_cells("B1:C1")
    book.save(tmp_path / "data.xlsx")
    result = invoke("score", "--config", str(model), "--data", str(tmp_path / "data.xlsx"))
    assert result.exit_code == 1
    assert "data.xlsx: sheet 'Data', cells B1:C1: are merged (a merged header range)" in result.output


@pytest.mark.parametrize(("value", "message"), [
    ("ten", "sheet 'Data', cell B2 (column x): is the text 'ten'; expected a number"),
    (True, "sheet 'Data', cell B2: is the boolean True; expected a number or text"),
    ("inf", "sheet 'Data', cell B2 (column x): is 'inf'; expected a finite number"),
    (dt.date(2024, 5, 1), "sheet 'Data', cell B2 (column x): is the date 2024-05-01; expected a "
                          "number"),
])
def test_bad_cells_are_named(tiny, tmp_path, value, message):
    model, _ = tiny
    rows = [list(r) for r in ROWS]
    rows[1][1] = value
    book = workbook(tmp_path / "data.xlsx", {"Data": rows})
    result = invoke("score", "--config", str(model), "--data", str(book))
    assert result.exit_code == 1
    assert message in result.output


def test_a_file_that_is_not_a_workbook_is_an_error(tiny, tmp_path):
    model, _ = tiny
    fake = tmp_path / "data.xlsx"
    fake.write_text("entity,x,y,z\n", encoding="utf-8")
    result = invoke("score", "--config", str(model), "--data", str(fake))
    assert result.exit_code == 1
    assert "cannot be read as a workbook" in result.output
    assert "Traceback" not in result.output


def test_a_panel_sheet_takes_date_cells_in_its_date_column(tiny, tmp_path):
    model, _ = tiny
    rows = [["entity", "date", "x", "y", "z"],
            ["Alpha", dt.date(2019, 12, 31), 1, 20, 1], ["Alpha", dt.date(2023, 12, 31), 5, 20, 1],
            ["Beta", "2023", 10, 100, 0], ["Gamma", dt.datetime(2023, 6, 30), None, 50, 0.5]]
    book = workbook(tmp_path / "panel.xlsx", {"Data": rows})
    # as of the end of 2023 every country's latest row counts: the hand-computed scores
    assert scores(model, book, "--as-of", "2023") == pytest.approx(EXPECTED, abs=1e-12)
    # as of 2020 only Alpha's 2019 row exists: a = (0.1 + 0.8)/2 = 0.45, b = 1 -> 58.75
    assert scores(model, book, "--as-of", "2020")["Alpha"] == pytest.approx(58.75, abs=1e-12)
