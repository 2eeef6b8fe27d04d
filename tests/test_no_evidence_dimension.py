"""A dimension without any observed indicator prints "n/a" in the ranked table, not 0.0.

Under the best-case rule a gap counts as no risk, so an entity with no evidence at all in
a dimension would print 0.0 there, which reads as documented zero risk (the 2026-12 review
of the Central Asia index). A documented 0 still prints 0.0.
"""

from __future__ import annotations

import csv
import io
import re

from click.testing import CliRunner

from riskscore.cli.main import cli
from tests.support import TINY_MODEL, write


def _project(tmp_path):
    model = write(tmp_path / "model.toml",
                  TINY_MODEL.replace("scale = 100", 'scale = 100\nmissing = "best_case"'))
    data = write(tmp_path / "data.csv", """
        entity,x,y,z
        Alpha,5,20,1
        Beta,10,100,0
        Gamma,,50,
        """)
    return model, data


def _score(tmp_path, fmt: str) -> str:
    model, data = _project(tmp_path)
    result = CliRunner().invoke(cli, ["score", "--config", str(model), "--data", str(data),
                                      "--format", fmt])
    assert result.exit_code == 0, result.output
    return result.output


def _row(text: str, name: str) -> str:
    return next(ln for ln in text.splitlines()
                if re.match(rf"^\s*\|?\s*\d+\s*\|?\s*(\d+\s*\|\s*)?{name}\b", ln))


def test_csv_marks_the_dimension_without_evidence(tmp_path):
    rows = {r["country"]: r for r in csv.DictReader(io.StringIO(_score(tmp_path, "csv")))}
    # Gamma has no value under b (z missing): n/a. Beta's z = 0 is documented: b = 0.0.
    assert rows["Gamma"]["b"] == "n/a"
    assert float(rows["Beta"]["b"]) == 0.0
    assert float(rows["Alpha"]["b"]) == 100.0       # z = 1 at the upper goalpost 1
    # a is observed for Gamma through y alone (50 on 0-100, lower is riskier: 0.5), and the
    # best-case rule counts x as no risk: a = (0 + 0.5) / 2 = 25.0
    assert float(rows["Gamma"]["a"]) == 25.0


def test_table_and_markdown_show_n_a_right_aligned(tmp_path):
    for fmt in ("table", "markdown"):
        out = _score(tmp_path, fmt)
        gamma, beta = _row(out, "Gamma"), _row(out, "Beta")
        assert "n/a" in gamma, (fmt, gamma)
        assert "n/a" not in beta and "0.0" in beta
        if fmt == "table":  # n/a ends where the numbers of its column end
            ends = [[m.end() for m in re.finditer(r"\S+", ln)][4] for ln in (gamma, beta)]
            assert ends[0] == ends[1]  # the fifth field: column b


def test_report_summary_table_shows_n_a(tmp_path):
    model, data = _project(tmp_path)
    out = tmp_path / "report.md"
    result = CliRunner().invoke(cli, ["report", "--config", str(model), "--data", str(data),
                                      "--output", str(out), "--samples", "64"])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "n/a" in _row(text, "Gamma")
    assert "n/a" not in _row(text, "Beta")
