"""Attack review, round 2 (issue 18), F5: look-alike entity names.

A name is held in Unicode NFC, so ``Café`` typed precomposed (U+00E9) and decomposed
(``e`` + U+0301) is one entity, found by either spelling; two names that still collide once
case and compatibility forms are folded (NFKC: ``ﬁ`` and ``fi``, full-width ``Ａ``) are an
error naming both rows. Tested for data tables (CSV, both readers, and xlsx), profiles and
look-ups.
"""

from __future__ import annotations

import json
import shutil
import unicodedata

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from riskscore.cli.main import cli
from support import EXAMPLE, write

NFC = "Caf\u00e9"
NFD = "Cafe\u0301"
assert NFC != NFD and unicodedata.normalize("NFC", NFD) == NFC


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def _table(tmp_path, rows: list[tuple[str, str]], kind: str):
    lines = [("entity", "x,y,z"), *rows]
    if kind == "csv":
        return write(tmp_path / "d.csv", "".join(f"{a},{b}\n" for a, b in lines))
    if kind == "big-csv":   # over the column reader's 1 MB threshold: the fast path reads it
        filler = "".join(f"Filler {i},1,2,0\n" for i in range(60_000))
        return write(tmp_path / "d.csv", "".join(f"{a},{b}\n" for a, b in lines) + filler)
    book = Workbook()
    sheet = book.active
    for a, b in lines:
        sheet.append([a, *(float(v) if v else None for v in b.split(","))] if a != "entity"
                     else [a, *b.split(",")])
    book.save(tmp_path / "d.xlsx")
    return tmp_path / "d.xlsx"


@pytest.mark.parametrize("kind", ["csv", "big-csv", "xlsx"])
def test_one_name_in_two_normal_forms_is_one_entity(tiny, tmp_path, kind):
    model, _ = tiny
    data = _table(tmp_path, [(NFC, "1,2,0"), (NFD, "3,4,1")], kind)
    result = invoke("score", "--config", model, "--data", data)
    assert result.exit_code == 1
    first = "cell A2" if kind == "xlsx" else "line 2"     # both rows named
    assert f"repeats {NFC!r}" in result.output and f"(first at {first}" in result.output.replace(
        "sheet 'Sheet', ", "")


@pytest.mark.parametrize("kind", ["csv", "big-csv", "xlsx"])
@pytest.mark.parametrize("first,second", [("\ufb01nland", "finland"), ("\uff21lpha", "alpha"),
                                          ("ALPHA", "alpha")])
def test_names_colliding_after_case_and_nfkc_folding_name_both_rows(tiny, tmp_path, kind,
                                                                     first, second):
    model, _ = tiny
    data = _table(tmp_path, [(first, "1,2,0"), (second, "3,4,1")], kind)
    result = invoke("score", "--config", model, "--data", data)
    assert result.exit_code == 1, result.output
    assert f"is {second!r}, the entity {first!r}" in result.output
    rows = ("cell A3", "cell A2") if kind == "xlsx" else ("line 3", "line 2")
    assert all(row in result.output for row in rows) and "spelt differently" in result.output


def test_a_panel_may_spell_one_entity_in_both_forms(tiny, tmp_path):
    model, _ = tiny
    data = write(tmp_path / "p.csv", f"entity,date,x,y,z\n{NFC},2017,1,2,0\n{NFD},2018,5,20,1\n")
    result = invoke("score", "--config", model, "--data", data, "--format", "json")
    assert result.exit_code == 0, result.output
    entities = [r["entity"] for r in json.loads(result.output)["results"]]
    assert entities == [NFC]
    # as of 2018 the NFD row counts: (3 * (0.5 + 0.8) / 2 + 1) / 4 * 100 = 73.75
    assert json.loads(result.output)["results"][0]["score"] == pytest.approx(73.75)


@pytest.mark.parametrize("typed", [NFC, NFD, NFD.upper()])
def test_explain_finds_the_entity_by_either_form(tiny, tmp_path, typed):
    model, _ = tiny
    data = write(tmp_path / "d.csv", f"entity,x,y,z\n{NFD},1,2,0\nBeta,3,4,1\n")
    result = invoke("explain", typed, "--config", model, "--data", data, "--format", "json")
    assert result.exit_code == 0, result.output
    assert NFC in result.output or json.loads(result.output)


def test_two_profiles_of_one_name_in_two_forms_are_refused_naming_both_files(project):
    profiles = project / "seeds" / "profiles"
    for name, spelling in (("kazakhstan.toml", NFC), ("tajikistan.toml", NFD)):
        path = profiles / name
        text = path.read_text(encoding="utf-8")
        entity = "Kazakhstan" if name.startswith("kaz") else "Tajikistan"
        path.write_text(text.replace(f'entity = "{entity}"', f'entity = "{spelling}"'),
                        encoding="utf-8")
    result = invoke("--project", project, "validate")
    assert result.exit_code == 1
    assert "tajikistan.toml: entity: repeats" in result.output
    assert "already in kazakhstan.toml" in result.output
    assert shutil  # (the project fixture copies the example: EXAMPLE unchanged)
    assert EXAMPLE.is_dir()
