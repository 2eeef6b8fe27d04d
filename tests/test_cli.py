"""The command line on the shipped data, through CliRunner and a real subprocess."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from riskscore.cli.main import cli
from riskscore.model.evidence import Article
from support import ARTICLE, EXAMPLE

COUNTRIES = {"Kazakhstan", "Kyrgyzstan", "Tajikistan", "Uzbekistan"}


@pytest.fixture(autouse=True)
def at_project_root(monkeypatch):
    monkeypatch.chdir(EXAMPLE)


def run(*args):
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def score_json(*args) -> dict:
    return json.loads(run("score", "--format", "json", *args))


def test_score_table_lists_every_country_in_rank_order(monkeypatch):
    lines = run("score").splitlines()
    body = [line for line in lines[2:] if line.strip() and line.split()[0].isdigit()]
    assert [line.split()[1] for line in body] and {line.split()[1] for line in body} == COUNTRIES
    ranks = [int(line.split()[0]) for line in body]
    assert ranks == sorted(ranks)
    rule = next(i for i, line in enumerate(lines) if line.startswith("----"))
    header = " ".join(lines[:rule])
    assert "coverage" in header and "score" in header and "drivers" not in header
    assert sum(line.startswith("      drivers: ") for line in lines) == len(COUNTRIES)
    monkeypatch.setenv("COLUMNS", "250")
    wide = run("score", "--wide").splitlines()
    assert "drivers" in " ".join(wide[:next(i for i, ln in enumerate(wide) if ln.startswith("--"))])


def test_json_contract():
    payload = score_json()
    assert set(payload) >= {"inputs", "model", "results"}
    inputs = payload["inputs"]
    for key in ("config", "profiles", "article"):
        assert len(inputs[key]["sha256"]) == 64
    model = payload["model"]
    assert model["root"] == "risk"
    nodes = {n["id"]: n for n in model["nodes"]}
    for parent in {n["parent"] for n in model["nodes"] if n["parent"]}:
        shares = [n["weight"] for n in model["nodes"] if n["parent"] == parent]
        assert sum(shares) == pytest.approx(1.0)
    results = payload["results"]
    assert {r["entity"] for r in results} == COUNTRIES
    for r in results:
        # Contributions decompose the score exactly.
        parts = [v for v in r["contributions"].values() if v is not None]
        assert sum(parts) == pytest.approx(r["score"], abs=1e-9)
        assert set(r["nodes"]) == set(nodes) - set(r["contributions"])
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)
    assert [r["rank"] for r in results] == [1, 2, 3, 4]


def test_output_is_byte_identical_across_runs():
    for fmt in ("json", "csv", "table", "markdown"):
        assert run("score", "--format", fmt) == run("score", "--format", fmt)


def test_csv_has_full_precision_numbers():
    rows = list(csv.DictReader(io.StringIO(run("score", "--format", "csv"))))
    assert {r["country"] for r in rows} == COUNTRIES
    by_name = {r["entity"]: r["score"] for r in score_json()["results"]}
    for row in rows:
        assert float(row["score"]) == by_name[row["country"]]


def test_what_if_weight_moves_ranks():
    base = {r["entity"]: r["rank"] for r in score_json()["results"]}
    dims = {r["entity"]: r["nodes"]["sanctions"] for r in score_json()["results"]}
    top_on_sanctions = max(dims, key=dims.get)
    assert base[top_on_sanctions] != 1  # otherwise this test shows nothing
    moved = score_json("--weight", "sanctions=0.95")
    assert moved["results"][0]["entity"] == top_on_sanctions
    assert moved["model"]["weight_overrides"] == {"sanctions": 0.95}
    nodes = {n["id"]: n["weight"] for n in moved["model"]["nodes"]}
    # The three siblings keep their equal proportions and share the remaining 0.05.
    assert nodes["debt"] == pytest.approx(0.05 / 3)
    assert "what-if weights: sanctions=0.95" in run("score", "--weight", "sanctions=0.95")


def test_article_only_sources_leave_external_values_missing():
    full = score_json()
    article = score_json("--sources", "article")
    assert article["inputs"]["sources"] == "article"
    missing_full = sum(len(r["missing"]) for r in full["results"])
    missing_article = sum(len(r["missing"]) for r in article["results"])
    assert missing_article > missing_full
    reasons = [m["reason"] for r in article["results"] for m in r["missing"]]
    assert any("external sources only" in reason for reason in reasons)


def test_explain_traces_every_value_to_its_evidence():
    payload = json.loads(run("explain", "tajikistan", "--format", "json"))
    assert payload["entity"] == "Tajikistan"
    rows = {r["indicator"]: r for r in payload["rows"]}
    share = rows["vendor_telecom_share"]
    assert "over 90 percent" in share["evidence"] and share["value"].startswith("90")
    counted = [r["contribution"] for r in payload["rows"] if r["contribution"] is not None]
    assert sum(counted) == pytest.approx(payload["score"])
    assert sum(r["share of score"] or 0 for r in payload["rows"]) == pytest.approx(1.0)
    table = run("explain", "Tajikistan")
    assert table.startswith("Tajikistan: score") and "(effective 0.125)" in table
    # It also says how far the rank holds: the same nearest swap as `score`.
    nearest = {r["entity"]: r["nearest_tipping_point"] for r in score_json()["results"]}
    assert payload["nearest_tipping_point"] == nearest["Tajikistan"]
    assert "rank holds until" in table


def test_explain_unknown_country_is_a_clear_error():
    result = CliRunner().invoke(cli, ["explain", "Atlantis"])
    assert result.exit_code == 1
    assert "Atlantis: is not an entity" in result.output and "Kazakhstan" in result.output


def test_evidence_items_quote_the_article_verbatim():
    items = json.loads(run("evidence", "--format", "json"))
    article = Article.load(ARTICLE)
    quotes = [i["quote"] for i in items if i["kind"] == "article"]
    assert quotes and all(article.contains(q) for q in quotes)
    for item in items:
        assert set(item) >= {"entity", "indicator", "value", "kind", "as_of"}
        if item["kind"] == "external":
            assert item["source"] and item["url"].startswith("http")
    only = json.loads(run("evidence", "Kyrgyzstan", "--format", "json"))
    assert {i["entity"] for i in only} == {"Kyrgyzstan"}


def test_validate_passes_on_shipped_data_and_fails_on_a_bad_quote(project, monkeypatch):
    checked = " ".join(run("validate").split())
    assert "(article):" in checked and "quotes found verbatim" in checked
    profile = project / "seeds" / "profiles" / "tajikistan.toml"
    profile.write_text(profile.read_text().replace("over 90 percent", "over 99 percent"))
    monkeypatch.chdir(project)
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 1
    assert "tajikistan.toml" in result.output and "is not in the article" in result.output
    assert "(Tajikistan, " in result.output  # names the country and the indicator or supplier


def test_output_file_is_written_atomically(tmp_path):
    target = tmp_path / "scores.json"
    run("score", "--format", "json", "--output", str(target))
    before = target.read_bytes()
    assert json.loads(before)["results"]
    result = CliRunner().invoke(cli, ["score", "--format", "json", "--output", str(target),
                                      "--weight", "nosuch=1"])
    assert result.exit_code == 1
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["scores.json"]  # no temp files left


def test_every_command_and_option_has_help():
    for name in cli.list_commands(None):
        command = cli.get_command(None, name)
        assert command.help and command.help.strip(), name
        for param in command.params:
            if param.param_type_name == "option":
                assert param.help, f"{name} {param.opts}"
        assert CliRunner().invoke(cli, [name, "--help"]).exit_code == 0


def test_installed_command_in_a_real_subprocess():
    exe = shutil.which("riskscore")
    commands = [[exe, "score", "--format", "json"]] if exe else []
    commands.append([sys.executable, "-m", "riskscore", "score", "--format", "json"])
    outputs = []
    for command in commands:
        proc = subprocess.run(command, cwd=EXAMPLE, capture_output=True, text=True, timeout=120,
                              env={**os.environ, "COLUMNS": "80"})
        assert proc.returncode == 0, proc.stderr
        outputs.append(proc.stdout)
    assert json.loads(outputs[0])["results"][0]["rank"] == 1
    assert len(set(outputs)) == 1


def test_subprocess_error_has_no_traceback(tmp_path):
    bad = tmp_path / "model.toml"
    bad.write_text("[index]\nscale = -7\n")
    proc = subprocess.run([sys.executable, "-m", "riskscore", "score", "--config", str(bad)],
                          cwd=EXAMPLE, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    # two independent errors, both said in one run, one per line
    assert proc.stderr.strip().splitlines() == [
        "Error: 2 errors in the inputs, one per line:",
        f"{bad}: index.scale: is -7; expected a positive number: 100 (0-100), 10 (0-10) or 1",
        f"{bad}: indicators: declares no indicators; expected at least one [indicators.ID]"]


def test_as_of_dates_the_sanctions_listings():
    """CEIEC (Kyrgyzstan) was designated by OFAC on 2020-11-30, a year after the article."""
    def sanctions(*args):
        rows = json.loads(run("explain", "Kyrgyzstan", "--format", "json", *args))["rows"]
        return {r["indicator"]: r for r in rows}

    nov_2019 = sanctions()
    assert nov_2019["sanctioned_suppliers"]["value"] == "1"
    assert "none of" not in nov_2019["sanctioned_suppliers"]["evidence"]
    jan_2021 = sanctions("--as-of", "2021-01-01")
    assert jan_2021["sanctioned_suppliers"]["value"] == "2"
    assert jan_2021["sanction_severity"]["value"] == "3"  # OFAC SDN blocking sanctions
    assert "CEIEC: US Treasury OFAC" in jan_2021["sanction_severity"]["evidence"]
    later = score_json("--as-of", "2021-01-01")["inputs"]["as_of"]
    assert later == "2021-01-01"


def test_every_rank_says_how_far_it_holds_and_the_swap_reproduces():
    results = score_json()["results"]
    points = {r["entity"]: r["nearest_tipping_point"] for r in results}
    assert set(points) == COUNTRIES and all(points.values())
    table = run("score")
    assert "      holds until: " in table
    point = points["Kyrgyzstan"]
    a, b = point["entities"]  # a overtakes b when the weight passes weight_to
    order_before = [r["entity"] for r in results]
    assert order_before.index(a) > order_before.index(b)
    step = 0.01 if point["weight_to"] > point["weight_from"] else -0.01
    for share, a_above in ((point["weight_to"] - step, False), (point["weight_to"] + step, True)):
        moved = [r["entity"] for r in score_json("--weight", f"{point['node']}={share}")["results"]]
        assert (moved.index(a) < moved.index(b)) is a_above, share
    assert f"{point['node']} {point['weight_from']:.2f}→{point['weight_to']:.2f}" in table
