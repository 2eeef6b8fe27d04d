"""Projects: `riskscore init`, finding riskscore.toml by walking up, --project, `list`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from riskscore.cli.main import cli
from riskscore.inputs.project import PROJECT_FILE, example_root, find_project_file, load_project
from support import EXAMPLE, ROOT, write


def invoke(*args, ok=True):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    if ok:
        assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def blank(tmp_path, monkeypatch) -> Path:
    invoke("init", "--blank", "--profiles", tmp_path / "mine")
    monkeypatch.chdir(tmp_path / "mine")
    return tmp_path / "mine"


def test_init_copies_the_shipped_example_with_its_own_readme(tmp_path):
    result = invoke("init", tmp_path / "ca")
    assert "created" in result.output
    source = example_root()
    for rel in ("riskscore.toml", "config/model.toml", "config/suppliers.toml",
                "config/sensitivity.toml", "config/gazetteer.toml", "config/hints.toml",
                "seeds/000_fecfd22379664373.txt", "seeds/profiles/kyrgyzstan.toml"):
        assert (tmp_path / "ca" / rel).read_bytes() == (source / rel).read_bytes(), rel
    readme = (tmp_path / "ca" / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# A riskscore project") and "riskscore score" in readme


def test_the_example_comes_from_the_repository_root_in_a_checkout():
    # One set of files: an editable install reads the root (a wheel gets a build-time copy,
    # checked by checks/test_packaging.py).
    assert example_root() == ROOT
    assert load_project(ROOT / PROJECT_FILE).paths["model"] == ROOT / "config" / "model.toml"


def test_init_never_overwrites(tmp_path):
    invoke("init", "--blank", tmp_path / "p")
    again = invoke("init", tmp_path / "p", ok=False)
    assert again.exit_code == 1
    assert f"{tmp_path / 'p' / PROJECT_FILE}: already exists" in again.output
    write(tmp_path / "q" / "config" / "model.toml", "# mine\n")
    clash = invoke("init", tmp_path / "q", ok=False)
    assert clash.exit_code == 1 and "model.toml: already exists" in clash.output
    assert (tmp_path / "q" / "config" / "model.toml").read_text() == "# mine\n"
    assert not (tmp_path / "q" / PROJECT_FILE).exists()  # nothing half-made


def test_blank_project_scores_its_worked_example(blank):
    # example_share: goalposts 0-100, one indicator under one node, so score = value.
    # Exampleland 60 -> 60.0; Otherland 25 -> 25.0.
    results = json.loads(invoke("score", "--format", "json").output)["results"]
    assert [(r["entity"], r["rank"], r["score"]) for r in results] == [
        ("Exampleland", 1, pytest.approx(60.0)), ("Otherland", 2, pytest.approx(25.0))]
    # the blank project's one profile with an article quote: one quote in seeds/article.txt
    assert "ok: seeds/article.txt (article): 1 quote found verbatim" in invoke("validate").output
    listed = json.loads(invoke("list", "indicators", "--format", "json").output)
    assert [r["id"] for r in listed] == ["example_share"]


def test_commands_find_the_project_from_a_folder_below(blank, monkeypatch):
    monkeypatch.chdir(blank / "seeds" / "profiles")
    assert find_project_file() == blank / PROJECT_FILE
    rows = json.loads(invoke("list", "countries", "--format", "json").output)
    assert [(r["entity"], r["iso3"]) for r in rows] == [("Exampleland", "EXL"),
                                                         ("Otherland", "OTL")]
    assert invoke("explain", "otherland").output.startswith("Otherland: score 25.0")


def test_project_option_from_anywhere(blank, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    csv = invoke("score", "--project", blank, "--format", "csv").output
    assert csv.splitlines()[1].split(",")[:2] == ["1", "Exampleland"]
    # The project file itself is accepted too; and --project beats the folder's own project.
    monkeypatch.chdir(EXAMPLE)
    csv = invoke("score", "--project", blank / PROJECT_FILE, "--format", "csv").output
    assert "Exampleland" in csv and "Tajikistan" not in csv
    missing = invoke("score", "--project", elsewhere, ok=False)
    assert missing.exit_code == 1
    assert f"{elsewhere}: has no riskscore.toml" in missing.output


def test_outside_a_project_the_error_says_how_to_start_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for command in (["score"], ["explain", "X"], ["evidence"], ["validate"],
                    ["list", "countries"], ["sensitivity"], ["report"]):
        result = invoke(*command, ok=False)
        assert result.exit_code == 1, command
        assert result.output.startswith(f"Error: {tmp_path}: is not inside a riskscore project")
        assert "riskscore init DIR" in result.output and "--project DIR" in result.output
        assert "Traceback" not in result.output


def test_explicit_model_and_data_need_no_project(tiny, tmp_path, monkeypatch):
    model, data = tiny
    monkeypatch.chdir(tmp_path)
    assert "Alpha" in invoke("score", "--config", model, "--data", data).output


def test_project_file_is_read_strictly(tmp_path, monkeypatch):
    write(tmp_path / PROJECT_FILE, 'modle = "m.toml"\n')
    monkeypatch.chdir(tmp_path)
    result = invoke("score", ok=False)
    assert result.exit_code == 1
    assert "riskscore.toml: modle: is not a known key; expected one of" in result.output


def test_project_paths_are_relative_to_the_project_file(tmp_path, monkeypatch):
    # A project whose files live elsewhere; a project file may name any layout.
    invoke("init", "--blank", "--profiles", tmp_path / "files")
    write(tmp_path / "p" / PROJECT_FILE, """
        model = "../files/config/model.toml"
        profiles = "../files/seeds/profiles"
        article = "../files/seeds/article.txt"
        """)
    monkeypatch.chdir(tmp_path / "p")
    payload = json.loads(invoke("score", "--format", "json").output)
    assert payload["inputs"]["config"]["path"] == os.path.join("..", "files", "config",
                                                                "model.toml")


def test_list_weights_in_effect_with_a_what_if(monkeypatch):
    monkeypatch.chdir(EXAMPLE)
    rows = {r["id"]: r for r in json.loads(invoke("list", "weights", "--format", "json").output)}
    # Frozen example: four dimensions of 25 each; vendor's indicators weigh 2, 1, 1.
    assert rows["vendor"]["share of parent"] == pytest.approx(0.25)
    assert rows["vendor_telecom_share"]["share of parent"] == pytest.approx(0.5)
    assert rows["vendor_telecom_share"]["effective"] == pytest.approx(0.125)
    moved = {r["id"]: r for r in json.loads(invoke("list", "weights", "--weight", "debt=0.4",
                                                   "--format", "json").output)}
    # debt takes 0.4; the other three share 0.6 equally.
    assert moved["debt"]["share of parent"] == pytest.approx(0.4)
    assert moved["vendor"]["share of parent"] == pytest.approx(0.2)
    assert moved["vendor_telecom_share"]["effective"] == pytest.approx(0.1)
    table = invoke("list", "WEIGHTS", "--weight", "debt=0.4").output
    assert "what-if weights: debt=0.4" in table


def test_list_countries_and_indicators_of_the_example(monkeypatch):
    monkeypatch.chdir(EXAMPLE)
    rows = json.loads(invoke("list", "countries", "--format", "json").output)
    assert [r["iso3"] for r in rows] == ["KAZ", "KGZ", "TJK", "UZB"]
    indicators = json.loads(invoke("list", "indicators", "--format", "json").output)
    deal = next(r for r in indicators if r["id"] == "prc_deal_value")
    assert deal["goalposts"] == "1–1000 (log10)" and deal["dimension"] == "vendor"


@pytest.mark.parametrize("where", [".", "seeds/profiles"])
def test_every_command_after_init_from_the_root_and_below(tmp_path, monkeypatch, where):
    project = tmp_path / "ca"
    invoke("init", project)
    monkeypatch.chdir(project / where)
    entities = [r["entity"] for r in json.loads(invoke("list", "countries", "--format",
                                                       "json").output)]
    assert len(entities) >= 2
    scored = json.loads(invoke("score", "--format", "json").output)
    assert sorted(r["entity"] for r in scored["results"]) == sorted(entities)
    assert invoke("explain", entities[0]).output.startswith(f"{entities[0]}: score")
    evidence = json.loads(invoke("evidence", entities[0], "--format", "json").output)
    assert {e["entity"] for e in evidence} == {entities[0]}
    assert "ok:" in invoke("validate").output
    for kind in ("indicators", "weights"):
        assert invoke("list", kind).output
    quick = ROOT / "tests" / "fixtures" / "quick-sensitivity.toml"
    sens = json.loads(invoke("sensitivity", "--settings", quick, "--format", "json").output)
    assert sens["samples"] == 40
    extracted = json.loads(invoke("extract", project / "seeds" / "000_fecfd22379664373.txt",
                                  "--format", "json").output)
    assert extracted["candidates"]
    invoke("report", "--samples", "0")
    assert (project / "reports" / "risk-report.md").is_file()  # the project's report path
    assert json.loads(invoke("audit", "--format", "json").output)
    compared = json.loads(invoke("compare", "--to-as-of", "2021-01-01", "--format",
                                 "json").output)
    assert compared
    trend = invoke("trend", "--from", "2018", "--to", "2019", "--format", "csv").output
    assert trend.splitlines()[0].startswith("date")
    invoke("explore", "--samples", "0", "-o", project / "explore.html")
    assert (project / "explore.html").read_text(encoding="utf-8").startswith("<!")


def test_a_real_subprocess_from_a_folder_below_the_repository_root():
    # The repository root is itself a project: the README's `riskscore score` works there
    # and below it.
    proc = subprocess.run([sys.executable, "-m", "riskscore", "list", "countries", "--format",
                           "csv"], cwd=ROOT / "seeds" / "profiles", capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == "entity,iso3,file"


def test_init_blank_makes_a_data_table_project(tmp_path, monkeypatch):
    invoke("init", "--blank", tmp_path / "t")
    monkeypatch.chdir(tmp_path / "t")
    project = load_project(tmp_path / "t" / PROJECT_FILE)
    assert project.paths["data"] == tmp_path / "t" / "data" / "table.csv"
    assert not (tmp_path / "t" / "seeds").exists()
    readme = (tmp_path / "t" / "README.md").read_text(encoding="utf-8")
    assert "composite index from a table" in readme and "Central Asia" not in readme
    assert "0 error(s), 0 warning(s)" in invoke("validate").output
    results = json.loads(invoke("score", "--format", "json").output)["results"]
    by_id = {r["entity"]: r for r in results}
    # By hand from data/table.csv under min-max: Northland's spending (410) is the
    # highest, so 0 on a lower-is-riskier indicator; its incidents per 100,000 people,
    # 130 / 5.2e6 * 1e5 = 2.5, lie between Westland's 51 / 2.3e6 * 1e5 and Southland's
    # 64 / 870,000 * 1e5; its law is "yes" = 0. Exposure = mean(incidents, law).
    low, high = 51 / 2.3e6 * 1e5, 64 / 870000 * 1e5
    incidents = (2.5 - low) / (high - low)
    assert by_id["NRL"]["score"] == pytest.approx((0 + (incidents + 0) / 2) / 2 * 100)
    assert by_id["STL"]["rank"] == 1 and by_id["STL"]["score"] == pytest.approx(100)
    assert by_id["NRL"]["label"] == "Northland" and by_id["NRL"]["groups"] == {"region": "North"}
    assert by_id["WSL"]["kept"] == {"population": 2300000.0}
    assert invoke("explain", "Northland").output.startswith("Northland (NRL): score")


def test_init_blank_profiles_keeps_the_evidence_layout(tmp_path):
    invoke("init", "--blank", "--profiles", tmp_path / "p")
    assert (tmp_path / "p" / "seeds" / "profiles" / "exampleland.toml").is_file()
    assert load_project(tmp_path / "p" / PROJECT_FILE).paths["data"] is None
    refused = invoke("init", "--profiles", tmp_path / "q", ok=False)
    assert refused.exit_code == 2 and "--profiles only with --blank" in refused.output
    assert not (tmp_path / "q").exists()


def test_top_level_help_describes_the_general_engine():
    text = invoke("--help").output
    assert "composite indices" in text and "data table" in text
    assert "Chinese" not in text and "riskscore init --blank" in text
