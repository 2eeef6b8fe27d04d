"""`riskscore extract` through click's CliRunner."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from riskscore.cli.extract import extract, figure_short
from riskscore.inputs.extract.figures import Figure

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "tests" / "fixtures" / "example"
CONFIG = EXAMPLE / "config"
SEED = EXAMPLE / "seeds" / "000_fecfd22379664373.txt"


def invoke(*args):
    return CliRunner().invoke(extract, [str(a) for a in args])


def test_json_output_shape():
    result = invoke(SEED, "--format", "json", "--gazetteer", CONFIG / "gazetteer.toml",
                    "--registry", CONFIG / "suppliers.toml", "--hints", CONFIG / "hints.toml")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"document", "sha256", "candidates"}
    assert len(data["sha256"]) == 64
    tajik = next(c for c in data["candidates"] if "over 90 percent" in c["sentence"])
    assert tajik["entities"] == ["Tajikistan"]
    assert tajik["figures"][0]["bound"] == "lower"


def test_defaults_come_from_the_project(monkeypatch):
    monkeypatch.chdir(EXAMPLE)
    result = invoke(SEED)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("26 candidate sentences; @offset · countries")
    # A card per candidate: "@offset · countries · suppliers · figures → indicators", then
    # the whole sentence, never cut.
    head = next(line for line in lines if ">=90%" in line)
    offset = SEED.read_text(encoding="utf-8").index("In Tajikistan, Huawei")
    assert head.startswith(f"@{offset} · Tajikistan · huawei · >=90%")
    sentence = lines[lines.index(head) + 1:lines.index(head) + 3]
    assert " ".join(s.strip() for s in sentence).startswith(
        "In Tajikistan, Huawei accounts for over 90 percent")


@pytest.mark.parametrize("figure, short", [
    (Figure("over 90 percent", 90.0, "%", "lower", 0, 15), ">=90%"),
    (Figure("about $4.3 million", 4.3e6, "USD", "approx", 0, 18), "~USD 4.3m"),
    (Figure("$1 billion", 1e9, "USD", "exact", 0, 10), "USD 1bn"),
    (Figure("over 4,000 cameras", 4000.0, "cameras", "lower", 0, 18), ">=4,000 cameras"),
    (Figure("nearly 70 percent", 70.0, "%", "upper", 0, 17), "<=70%"),
])
def test_figure_short_forms(figure, short):
    assert figure_short(figure) == short


def test_draft_to_an_output_file(tmp_path, monkeypatch):
    monkeypatch.chdir(EXAMPLE)
    out = tmp_path / "tajikistan.toml"
    result = invoke(SEED, "--draft", "Tajikistan", "--as-of", "2019-11-19", "--output", out)
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {out}\n"  # on stderr: the draft itself went to the file
    draft = tomllib.loads(out.read_text(encoding="utf-8"))
    assert draft["iso3"] == "TJK"
    assert "sanction_severity" not in draft["values"]
    assert [p.name for p in tmp_path.iterdir()] == ["tajikistan.toml"]  # no temp file left


def test_draft_needs_as_of(monkeypatch):
    monkeypatch.chdir(EXAMPLE)
    result = invoke(SEED, "--draft", "Tajikistan")
    assert result.exit_code == 2
    assert "--as-of is required with --draft" in result.output


def test_missing_document_is_a_usage_error(tmp_path):
    result = invoke(tmp_path / "nope.txt")
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_malformed_hints_exit_1_naming_file_and_key(tmp_path, monkeypatch):
    monkeypatch.chdir(EXAMPLE)
    hints = tmp_path / "hints.toml"
    hints.write_text('[indicators.vendor_telecom_share]\nkeywords = ["5G"]\nkeyowrds = []\n',
                     encoding="utf-8")
    result = invoke(SEED, "--hints", hints)
    assert result.exit_code == 1
    assert result.output == (f"Error: {hints}: indicators.vendor_telecom_share.keyowrds: "
                             "is not a known key; expected one of figure_units, keywords, "
                             "needs_supplier, patterns\n")


def test_outside_a_project_the_error_says_how_to_start_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke(SEED)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {tmp_path}: is not inside a riskscore project")
    assert "riskscore init DIR" in result.output


def test_missing_project_file_exit_1(tmp_path, monkeypatch):
    (tmp_path / "riskscore.toml").write_text('gazetteer = "places.toml"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke(SEED)
    assert result.exit_code == 1
    assert result.output == ("Error: places.toml: file not found; "
                             "expected an existing TOML file\n")


def test_unknown_draft_country_exit_1(monkeypatch):
    monkeypatch.chdir(EXAMPLE)
    result = invoke(SEED, "--draft", "Narnia", "--as-of", "2019-11-19")
    assert result.exit_code == 1
    assert "'Narnia' is not a known country" in result.output
    assert "Traceback" not in result.output


def test_every_option_has_help():
    assert extract.help
    for param in extract.params:
        if isinstance(param, click.Option):
            assert param.help, param.name
