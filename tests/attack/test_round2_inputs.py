"""Attack review, round 2 (issue 18): inputs that were read silently or blamed on riskscore.

- **A hidden sheet read silently** (F9): without ``--sheet`` the first *visible* sheet is
  read and the hidden sheets skipped are named; ``--sheet`` may name a hidden sheet.
- **"internal error" for bad input** (F6): a DTD in any part of an xlsx (billion laughs,
  XXE) and a ``trend`` span that would pass year 9999 are messages naming the file and
  part, or the options; never "internal error".
- **Dates and cells** (F10): a panel row published before its date is a warning in
  ``validate`` and a finding in ``audit``; a NaN or inf in a numeric xlsx cell names the
  sheet and the cell; a CSV's shape and cell errors both say "line".
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hardening_support import assert_clean_error, run_cli
from openpyxl import Workbook

from riskscore.cli.main import cli
from support import write

ROWS = [["entity", "x", "y", "z"], ["Alpha", 5, 20, 1], ["Beta", 10, 100, 0]]
# TINY_MODEL by hand: risk = (3 * mean(x/10, 1 - y/100) + z) / 4 * 100
VISIBLE = {"Alpha": 73.75, "Beta": 37.5}
HIDDEN_ROWS = [["entity", "x", "y", "z"], ["Alpha", 0, 100, 0], ["Beta", 0, 100, 0]]


def invoke(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def _book(path: Path, sheets: list[tuple[str, list[list], str]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows, state in sheets:
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        sheet.sheet_state = state
    book.save(path)
    return path


def _scores(output: str) -> dict[str, float]:
    return {r["entity"]: r["score"] for r in json.loads(output)["results"]}


# ---- hidden sheets ----------------------------------------------------------------


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_the_first_visible_sheet_is_read_and_the_hidden_ones_named(tiny, tmp_path, state):
    model, _ = tiny
    book = _book(tmp_path / "d.xlsx", [("Old", HIDDEN_ROWS, state), ("Older", HIDDEN_ROWS, state),
                                       ("Data", ROWS, "visible")])
    result = CliRunner().invoke(cli, ["score", "--config", str(model), "--data", str(book),
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    assert _scores(result.stdout) == pytest.approx(VISIBLE)
    assert "read sheet 'Data', the first visible one; skipped the hidden sheets 'Old', " \
           "'Older'" in result.stderr
    found = invoke("validate", "--config", model, "--data", book, "--format", "json")
    codes = [p["code"] for p in json.loads(found.stdout)["problems"]]
    assert codes == ["hidden-sheet"]


def test_sheet_may_name_a_hidden_sheet(tiny, tmp_path):
    model, _ = tiny
    book = _book(tmp_path / "d.xlsx", [("Old", HIDDEN_ROWS, "hidden"), ("Data", ROWS, "visible")])
    result = CliRunner().invoke(cli, ["score", "--config", str(model), "--data", str(book),
                                      "--sheet", "old", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert _scores(result.stdout) == {"Alpha": 0.0, "Beta": 0.0}
    assert "hidden" not in result.stderr


def test_a_workbook_whose_every_sheet_is_hidden_is_a_message(tiny, tmp_path):
    model, _ = tiny
    book = _book(tmp_path / "d.xlsx", [("Data", ROWS, "visible")])
    _rewrite(book, "xl/workbook.xml", lambda x: x.replace(b'state="visible"', b'state="hidden"'))
    result = invoke("score", "--config", model, "--data", book)
    assert result.exit_code == 1
    assert "has no visible sheet" in result.output and "--sheet" in result.output


# ---- a DTD in any part of a workbook ----------------------------------------------

LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>')
XXE = b'<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _rewrite(path: Path, part: str, change) -> Path:
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    with zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info, change(data) if info.filename == part else data)
    return path


def _with_dtd(data: bytes, head: bytes) -> bytes:
    if data.startswith(b"<?xml"):
        data = data[data.index(b"?>") + 2:]
    return head + data


@pytest.mark.parametrize("head", [LAUGHS, XXE], ids=["billion-laughs", "xxe"])
@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml",
                                  "[Content_Types].xml", "xl/styles.xml", "docProps/core.xml"])
def test_a_dtd_in_any_part_is_a_message_naming_the_part(tiny, tmp_path, part, head):
    model, _ = tiny
    book = _book(tmp_path / "d.xlsx", [("Data", ROWS, "visible")])
    if head is LAUGHS and part.endswith("sheet1.xml"):
        _rewrite(book, part, lambda x: _with_dtd(x, head).replace(b"Alpha", b"&lol2;"))
    else:
        _rewrite(book, part, lambda x: _with_dtd(x, head))
    for command in ("score", "validate", "audit"):
        proc = run_cli(command, "--config", model, "--data", book)
        said = proc.stdout + proc.stderr     # validate prints its errors on stdout
        assert proc.returncode == 1 and "Traceback" not in said, said
        assert f"d.xlsx: part {part}: declares a DTD" in said, said
        assert "internal error" not in said and "lollol" not in said


# ---- NaN and inf in a numeric cell ---------------------------------------------------


@pytest.mark.parametrize("text", ["NaN", "inf", "-INF", "Infinity"])
def test_a_non_finite_number_cell_names_its_sheet_and_cell(tiny, tmp_path, text):
    model, _ = tiny
    book = _book(tmp_path / "d.xlsx", [("Intro", [["read me"]], "visible"),
                                       ("Data", ROWS, "visible")])
    _rewrite(book, "xl/worksheets/sheet2.xml",
             lambda x: x.replace(b'<c r="C3" t="n"><v>100</v>',
                                 b'<c r="C3" t="n"><v>' + text.encode() + b"</v>"))
    result = invoke("validate", "--config", model, "--data", book, "--sheet", "Data")
    assert result.exit_code == 1
    assert f"d.xlsx: sheet 'Data', cell C3: is {text}; expected a finite number" in result.output


# ---- far trend dates ---------------------------------------------------------------


@pytest.mark.parametrize("every", ["month", "quarter", "year"])
@pytest.mark.parametrize("span", [("0001", "9999"), ("9990-01", "9999-12-31")])
def test_a_trend_to_the_last_representable_date_is_never_an_internal_error(project, span, every):
    proc = run_cli("--project", project, "trend", "--from", span[0], "--to", span[1],
                   "--every", every, "--format", "csv")
    assert "internal error" not in proc.stderr and "Traceback" not in proc.stderr
    if proc.returncode:
        assert_clean_error(proc, f"--from {span[0]}", "at most 400", code=2)
    else:   # the dates that fit: one per period up to 9999-12-31
        years = 10 if span[0] == "9990-01" else 0
        assert proc.stdout.count("\n") - 1 == {"year": years, "quarter": 4 * years,
                                               "month": 12 * years}[every]


# ---- panel rows published before their date ----------------------------------------

PANEL = """\
entity,date,published,x,y,z
A,2016,2017-03,2,50,1
A,2018,2017-06,6,20,0
B,2017,,5,40,0.5
"""


def test_a_panel_row_published_before_its_date_warns_in_validate_and_audit(tmp_path, tiny):
    model, _ = tiny
    data = write(tmp_path / "panel.csv", PANEL)
    found = invoke("validate", "--config", model, "--data", data, "--format", "json")
    assert found.exit_code == 0, found.output
    problems = json.loads(found.stdout)["problems"]
    assert [(p["level"], p["code"], p["key"]) for p in problems] == [
        ("warning", "published-before-date", "line 3, column published")]
    assert "is 2017-06-30, before the date the row describes (2018-12-31)" in problems[0]["message"]
    audited = invoke("audit", "--config", model, "--data", data, "--format", "json")
    assert audited.exit_code == 0, audited.output
    codes = [f["code"] for f in json.loads(audited.stdout)["findings"]]
    assert codes.count("published-before-date") == 1


# ---- CSV errors say "line" ---------------------------------------------------------


@pytest.mark.parametrize("body,culprit", [
    ("entity,x,y,z\nAlpha,5,20,1\nBeta,1,2\n", "line 3: has 3 cells"),
    ("entity,x,y,z\nAlpha,5,20,1\nBeta,1,2,3,4\n", "line 3: has 5 cells"),
    ("entity,x,y,z\nAlpha,5,20,1\nBeta,1,two,3\n", "line 3, column y: is the text 'two'"),
])
def test_csv_shape_and_cell_errors_name_the_line(tiny, tmp_path, body, culprit):
    model, _ = tiny
    data = write(tmp_path / "d.csv", body)
    result = invoke("score", "--config", model, "--data", data)
    assert result.exit_code == 1
    assert f"d.csv: {culprit}" in result.output and "row" not in result.output
