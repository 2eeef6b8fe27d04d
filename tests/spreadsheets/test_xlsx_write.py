"""--format xlsx: a workbook that reads back (pandas) with the same numbers, safely written."""

from __future__ import annotations

import zipfile

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from riskscore.cli.main import cli
from riskscore.outputs.xlsx import SheetData, link_target, workbook_bytes
from support import EXAMPLE

EXPECTED = {"Alpha": 73.75, "Beta": 37.5, "Gamma": 50.0}   # by hand: see test_xlsx_read.py


def invoke(*args):
    return CliRunner().invoke(cli, list(args))


def write(tmp_path, model, data, *args, name="out.xlsx"):
    out = tmp_path / name
    result = invoke(*args, "--config", str(model), "--data", str(data), "--format", "xlsx",
                    "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


def test_score_workbook_reads_back_with_the_hand_computed_scores(tiny, tmp_path):
    model, data = tiny
    out = write(tmp_path, model, data, "score")
    sheets = pd.read_excel(out, sheet_name=None)
    assert list(sheets) == ["Ranking", "Contributions", "Evidence", "Model", "About"]
    ranking = sheets["Ranking"]
    assert list(ranking["entity"]) == ["Alpha", "Gamma", "Beta"]
    assert list(ranking["rank"]) == [1, 2, 3]
    assert dict(zip(ranking["entity"], ranking["score"], strict=True)) == pytest.approx(EXPECTED)
    # Gamma's a: only y observed, 1 - 50/100 = 0.5 on 0-100 is 50.
    assert ranking.set_index("entity").loc["Gamma", "a"] == pytest.approx(50.0)
    contributions = sheets["Contributions"]
    assert contributions["contribution"].dtype.kind == "f"
    sums = contributions.groupby("entity")["contribution"].sum()
    assert dict(sums) == pytest.approx(EXPECTED)
    model_sheet = sheets["Model"].set_index("id")
    assert model_sheet.loc["a", "weight"] == pytest.approx(0.75)
    assert model_sheet.loc["y", "goalpost upper"] == 100
    assert model_sheet.loc["y", "direction"] == "lower_is_riskier"


def test_weights_and_explain_and_evidence_workbooks(tiny, tmp_path):
    model, data = tiny
    out = write(tmp_path, model, data, "score", "--weight", "b=0.5")
    ranking = pd.read_excel(out, sheet_name="Ranking").set_index("entity")
    # b = 0.5: Alpha (0.65 + 1)/2 = 82.5, Beta (0.5 + 0)/2 = 25
    assert ranking.loc["Alpha", "score"] == pytest.approx(82.5)
    assert ranking.loc["Beta", "score"] == pytest.approx(25.0)
    out = write(tmp_path, model, data, "explain", "beta", name="beta.xlsx")
    contributions = pd.read_excel(out, sheet_name="Contributions")
    assert set(contributions["entity"]) == {"Beta"}
    assert list(contributions["indicator"]) == ["x", "y", "z"]
    out = write(tmp_path, model, data, "evidence", name="evidence.xlsx")
    evidence = pd.read_excel(out, sheet_name="Evidence")
    assert (evidence["kind"] == "missing").sum() == 1   # Gamma's x


def test_header_frozen_widths_set_numbers_as_numbers(tiny, tmp_path):
    model, data = tiny
    book = load_workbook(write(tmp_path, model, data, "score"))
    for ws in book.worksheets:
        assert ws.freeze_panes == "A2"
        assert all(ws.column_dimensions[c].width >= 6 for c in "AB")
    ranking = book["Ranking"]
    assert ranking["C1"].value == "score"
    assert isinstance(ranking["C2"].value, float) and ranking["C2"].number_format == "0.0"


def test_same_inputs_same_bytes(tiny, tmp_path):
    model, data = tiny
    first = write(tmp_path, model, data, "score", name="a.xlsx").read_bytes()
    second = write(tmp_path, model, data, "score", name="b.xlsx").read_bytes()
    assert first == second


def test_xlsx_needs_an_output_file(tiny):
    model, data = tiny
    result = invoke("score", "--config", str(model), "--data", str(data), "--format", "xlsx")
    assert result.exit_code == 2
    assert "--format xlsx writes a binary workbook; give --output FILE.xlsx" in result.output


def test_shipped_profiles_evidence_links_and_sensitivity_intervals(tmp_path, monkeypatch):
    monkeypatch.chdir(EXAMPLE)
    out = tmp_path / "sens.xlsx"
    result = invoke("sensitivity", "--samples", "40", "--seed", "3", "--format", "xlsx",
                    "-o", str(out))
    assert result.exit_code == 0, result.output
    sheets = pd.read_excel(out, sheet_name=None)
    assert list(sheets)[:1] == ["Ranking"]
    intervals = sheets["Rank intervals"]
    assert len(intervals) == 4
    assert (intervals["rank_p05"] <= intervals["rank_p95"]).all()
    assert len(sheets["Tipping points"]) > 0
    book = load_workbook(out)
    ws = book["Evidence"]
    header = [c.value for c in ws[1]]
    url_col, quote_col = header.index("url") + 1, header.index("quote") + 1
    links = [ws.cell(r, url_col) for r in range(2, ws.max_row + 1) if ws.cell(r, url_col).value]
    assert links and all(c.hyperlink is not None and c.hyperlink.target == c.value for c in links)
    assert any(ws.cell(r, quote_col).value for r in range(2, ws.max_row + 1))


HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+SUM(A1:A9)", "-2+3", "@cmd",
           "<script>alert(1)</script>", "tab\there", "bell\x07gone", "\tleading tab"]


def test_hostile_text_is_stored_as_text_never_as_a_formula(tmp_path):
    rows = [{"text": t, "url": u} for t, u in zip(HOSTILE, [
        "javascript:alert(1)", "https://example.org/a?b=1&c=<2>", "doi:10.1000/182",
        "https://example.org/ok", "file:///etc/passwd", "http://", "ftp://example.org/x",
        "https://doi.org/10.1000/182"], strict=True)]
    path = tmp_path / "h.xlsx"
    path.write_bytes(workbook_bytes([SheetData("T", ["text", "url"], rows, links=["url"])]))
    with zipfile.ZipFile(path) as z:
        sheet_xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    ws = load_workbook(path)["T"]
    got = [ws.cell(r, 1).value for r in range(2, len(HOSTILE) + 2)]
    assert got == [t.replace("\x07", "") for t in HOSTILE]
    assert all(ws.cell(r, 1).data_type == "s" for r in range(2, len(HOSTILE) + 2))
    assert [ws.cell(r, 1).quotePrefix for r in range(2, 6)] == [True, True, True, True]
    targets = [ws.cell(r, 2).hyperlink.target if ws.cell(r, 2).hyperlink else None
               for r in range(2, len(HOSTILE) + 2)]
    assert targets == [None, None, "https://doi.org/10.1000/182", "https://example.org/ok",
                       None, None, None, "https://doi.org/10.1000/182"]


@pytest.mark.parametrize(("text", "target"), [
    ("https://a.example/x", "https://a.example/x"), ("HTTP://A.example", "HTTP://A.example"),
    ("doi:10.1234/abc.d", "https://doi.org/10.1234/abc.d"), ("10.1234/abc", "https://doi.org/10.1234/abc"),
    ("javascript:alert(1)", None), ("data:text/html,x", None), ("mailto:a@b", None),
    ("https://a.example/\"onmouseover", None), ("", None), (None, None),
])
def test_link_targets(text, target):
    assert link_target(text) == target
