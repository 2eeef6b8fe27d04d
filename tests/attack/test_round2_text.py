"""Attack review, round 2 (issue 18): hostile text in every text output.

Two classes, each tested across every command that prints the text, not only the
reproducer's one command:

- **CSV formula injection** (F3): every text cell of every ``--format csv`` output that a
  spreadsheet would read as a formula (``= + - @``, tab, carriage return) starts with
  OWASP's ``'``; numbers stay numbers.
- **Control characters** (F4): ESC/OSC sequences, other C0 and C1 controls and the bidi
  controls U+202A-U+202E, U+2066-U+2069 in names and evidence never reach the terminal,
  Markdown, CSV or JSON raw: they are shown escaped (``\\x1b``, ``\\u202e``); and an id
  holding one (a node, an indicator, a table's entity, an ISO3 code) is refused.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile_support import visible_text

from riskscore.cli.main import cli
from support import write

FORMULA_NAME = "=HYPERLINK(\"http://x\",\"y\")"
FORMULA_SOURCE = "@SUM(A1:A2)"
FORMULA_JUDGEMENT = "-2+3+cmd|' /C calc'!A0"
SPOOF_NAME = "Kyr\x1b]0;pwned\x07\x1b[2Jgyz\u202estan\u2066x\x85y\x9b"
# validate prints only problems (there are none) in Markdown and CSV; audit's CSV no names
SILENT = {("validate", "markdown"), ("validate", "csv"), ("audit", "csv")}
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

COMMANDS = [
    ["score"], ["explain", "KGZ"], ["evidence"], ["evidence", "KGZ"], ["audit"],
    ["compare", "--to-weight", "debt=0.6"], ["sensitivity", "--samples", "40"],
    ["trend", "--from", "2018", "--to", "2019"], ["list", "countries"], ["validate"],
]


def _toml(value: str) -> str:
    return json.dumps(value)   # a JSON string is a TOML basic string (\\u escapes included)


def _edit_profile(project: Path, entity: str, source: str | None = None,
                  judgement: str | None = None) -> None:
    profile = project / "seeds" / "profiles" / "kyrgyzstan.toml"
    text = profile.read_text(encoding="utf-8")
    text = text.replace('entity = "Kyrgyzstan"', f"entity = {_toml(entity)}")
    if source is not None:
        text, n = re.subn(r'^source = "[^"\n]*"', lambda _: f"source = {_toml(source)}", text, count=1,
                          flags=re.MULTILINE)
        assert n == 1
    if judgement is not None:
        text, n = re.subn(r'^judgement = "[^"\n]*"',
                          lambda _: f"judgement = {_toml(judgement)}", text,
                          count=1, flags=re.MULTILINE)
        assert n == 1
    profile.write_text(text, encoding="utf-8")


def run(project: Path, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, ["--project", str(project), *args])
    assert result.exit_code == code, result.output
    return result.output


# ---- CSV formula injection -----------------------------------------------------------


@pytest.fixture(scope="module")
def formula_project(tmp_path_factory) -> Path:
    import shutil

    from support import EXAMPLE

    root = tmp_path_factory.mktemp("formula")
    for part in ("config", "seeds"):
        shutil.copytree(EXAMPLE / part, root / part)
    shutil.copy(EXAMPLE / "riskscore.toml", root / "riskscore.toml")
    _edit_profile(root, FORMULA_NAME, FORMULA_SOURCE, FORMULA_JUDGEMENT)
    return root


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_no_csv_cell_of_any_command_starts_like_a_formula(formula_project, command):
    rows = _cells(run(formula_project, *command, "--format", "csv"))
    starts = ("=", "+", "-", "@", "\t", "\r")
    bad = [cell for row in rows for cell in row
           if cell.startswith(starts) and not re.fullmatch(r"[+-]?[0-9.]+(e[+-]?\d+)?", cell)]
    assert not bad, bad
    flat = [cell for row in rows for cell in row]
    if command[0] not in ("validate",):   # the hostile text is there, guarded
        guarded = ["'" + text for text in (FORMULA_NAME, FORMULA_SOURCE, FORMULA_JUDGEMENT)]
        assert any(cell.startswith(tuple(guarded)) for cell in flat), flat[:40]


def test_csv_numbers_are_not_guarded_and_text_is_by_hand(tiny, tmp_path):
    model, _ = tiny
    data = write(tmp_path / "d.csv", 'entity,x,y,z\n"\t=2+2",1,2,0\n"-2+3",5,20,1\n"@A",3,40,-0\n')
    result = CliRunner().invoke(cli, ["score", "--config", str(model), "--data", str(data),
                                      "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = {r["country"]: r for r in csv.DictReader(io.StringIO(result.output))}
    assert set(rows) == {"'=2+2", "'-2+3", "'@A"}   # (the table trims the cell's tab)
    # numbers are numbers: the score of "-2+3" (x 5/10, y (100-20)/100, z 1/1; weights
    # a 3/4 of (x, y) halves, b 1/4) = 100 * (0.75 * (0.5 + 0.8) / 2 + 0.25 * 1) = 73.75
    assert float(rows["'-2+3"]["score"]) == pytest.approx(73.75)


# ---- control characters ------------------------------------------------------------


@pytest.fixture(scope="module")
def spoof_project(tmp_path_factory) -> Path:
    import shutil

    from support import EXAMPLE

    root = tmp_path_factory.mktemp("spoof")
    for part in ("config", "seeds"):
        shutil.copytree(EXAMPLE / part, root / part)
    shutil.copy(EXAMPLE / "riskscore.toml", root / "riskscore.toml")
    _edit_profile(root, SPOOF_NAME, "Source \x1b[31mred\x1b[0m \u202eevil",
                  "judged \x1b]8;;http://x\x07link\x1b]8;;\x07")
    return root


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv"])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_no_control_or_bidi_character_reaches_a_text_output(spoof_project, command, fmt):
    out = run(spoof_project, *command, "--format", fmt)
    assert not RAW.findall(out), sorted(set(RAW.findall(out)))
    if (command[0], fmt) not in SILENT:   # outputs that print the hostile text at all
        shown = visible_text(out) if fmt == "markdown" else out   # as a renderer shows it
        escaped = ("\\x1b]0;pwned\\x07\\x1b[2Jgyz\\u202estan\\u2066x",  # the name
                   "\\x1b[31mred\\x1b[0m \\u202eevil",                    # a source
                   "\\x1b]8;;http://x\\x07link")                           # a judgement
        assert any(text in shown for text in escaped), out[:2000]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_json_carries_the_name_exactly_with_every_control_as_an_escape(spoof_project, command):
    out = run(spoof_project, *command, "--format", "json")
    assert not RAW.findall(out)
    if command[0] in ("score", "explain", "evidence", "list"):
        assert SPOOF_NAME in _strings(json.loads(out))   # parsed back: the name exactly


def _strings(value) -> set[str]:
    if isinstance(value, dict):
        return set().union(*(_strings(v) for v in value.values()), set())
    if isinstance(value, list):
        return set().union(*(_strings(v) for v in value), set())
    return {value} if isinstance(value, str) else set()


def test_an_error_message_naming_a_hostile_name_shows_it_escaped(spoof_project):
    result = CliRunner().invoke(cli, ["--project", str(spoof_project), "explain",
                                      "Kyr\x1b]0;x\x07"])
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\\x1b]0;x\\x07" in result.output


@pytest.mark.parametrize("where,text,culprit", [
    ("node", '[nodes."debt\\u202e"]', "nodes.debt\\u202e"),
    ("indicator", '[indicators."x\\u001b[2J"]', "indicators.x\\x1b[2J"),
    ("root", None, "index.id"),
])
def test_a_model_id_holding_a_control_character_is_refused(tiny, where, text, culprit):
    model, data = tiny
    source = model.read_text(encoding="utf-8")
    if where == "root":
        source = source.replace('id = "risk"', 'id = "ri\\u2067sk"')
    else:
        source += f"\n{text}\nparent = \"a\"\ngoalposts = [0, 1]\n" if where == "indicator" \
            else f"\n{text}\nweight = 1\n"
    model.write_text(source, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "--config", str(model), "--data", str(data)])
    assert result.exit_code == 1
    assert culprit in result.output and "control character U+" in result.output, result.output
    assert not RAW.findall(result.output)


def test_a_table_entity_and_an_iso3_code_holding_a_control_character_are_refused(
        tiny, project, tmp_path):
    model, _ = tiny
    data = write(tmp_path / "d.csv", "entity,x,y,z\nAl\u202eof,1,2,0\nBeta,3,4,1\n")
    result = CliRunner().invoke(cli, ["score", "--config", str(model), "--data", str(data)])
    assert result.exit_code == 1
    assert "line 2, column entity: holds the control character U+202E" in result.output
    profile = project / "seeds" / "profiles" / "kyrgyzstan.toml"
    profile.write_text(profile.read_text(encoding="utf-8").replace(
        'iso3 = "KGZ"', 'iso3 = "KG\\u001bZ"'), encoding="utf-8")
    result = CliRunner().invoke(cli, ["--project", str(project), "validate"])
    assert result.exit_code == 1
    assert "kyrgyzstan.toml: iso3: holds the control character U+001B" in result.output
