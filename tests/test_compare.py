"""riskscore compare and riskscore trend: hand-computed Shapley attributions and trends.

The tiny model (``support.TINY_MODEL``): a = mean(x / 10, 1 - y / 100) with weight w_a
(3/4), b = z with weight 1 - w_a; arithmetic: score = 100 * (w_a * a + (1 - w_a) * b);
geometric: score = 100 * a**w_a * b**(1 - w_a). Missing values are re-weighted.

Shapley over two groups P, Q (v = score with the groups switched to the other edition):
phi_P = ((v(P) - v()) + (v(PQ) - v(Q))) / 2, likewise phi_Q; phi_P + phi_Q = v(PQ) - v().
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from click.testing import CliRunner

from riskscore.cli.main import cli
from riskscore.engine.shapley import coalition_shapley
from support import TINY_MODEL, write

BASE = "entity,x,y,z\nA,2,50,0\nB,4,20,\n"
OTHER = "entity,x,y,z\nA,6,50,0\nB,4,20,1\n"


def run_json(*args) -> dict:
    result = CliRunner().invoke(cli, [*map(str, args), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def files(tmp_path):
    return (write(tmp_path / "model.toml", TINY_MODEL), write(tmp_path / "base.csv", BASE),
            write(tmp_path / "other.csv", OTHER))


def by_entity(payload) -> dict:
    return {r["entity"]: r for r in payload["results"]}


def shapley2(v0, vp, vq, vpq):
    return ((vp - v0) + (vpq - vq)) / 2, ((vq - v0) + (vpq - vp)) / 2


def test_arithmetic_attribution_with_interacting_changes(files):
    model, base, other = files
    payload = run_json("compare", "--config", model, "--data", base, "--to-data", other,
                       "--to-weight", "a=0.5")
    results = by_entity(payload)
    # A: x 2 -> 6 (data:x) and w_a .75 -> .5 (method:weights); z = 0.
    v0, vx, vw, vxw = 100 * .75 * .35, 100 * .75 * .55, 100 * .5 * .35, 100 * .5 * .55
    assert (v0, vx, vw, vxw) == pytest.approx((26.25, 41.25, 17.5, 27.5))
    phi_x, phi_w = shapley2(v0, vx, vw, vxw)                       # 12.5, -11.25
    a = results["A"]
    assert a["score_from"] == pytest.approx(26.25) and a["score_to"] == pytest.approx(27.5)
    assert a["change"] == pytest.approx(1.25)
    assert a["attribution"] == pytest.approx({"data:x": phi_x, "method:weights": phi_w})
    assert a["attribution"]["data:x"] == pytest.approx(12.5)
    assert math.fsum(a["attribution"].values()) == pytest.approx(a["change"], abs=1e-12)
    # B: z appears (coverage:z) and the weights change; with z missing b is re-weighted
    # away, so the weights matter only once z is there: v() = v(w) = 60, v(z) = 70,
    # v(zw) = 80, so phi_z = 15 and phi_w = 5.
    b = results["B"]
    assert b["change"] == pytest.approx(20.0)
    assert b["attribution"] == pytest.approx({"coverage:z": 15.0, "method:weights": 5.0})
    assert (b["rank_from"], b["rank_to"]) == (1, 1) and (a["rank_from"], a["rank_to"]) == (2, 2)
    assert payload["decomposition"].startswith("exact Shapley values over 3 groups")
    assert payload["from"]["data"]["path"].endswith("base.csv")
    assert payload["to"]["data"]["path"].endswith("other.csv")
    assert payload["to"]["weights"] == {"a": 0.5}


def test_geometric_attribution_with_interacting_changes(files, tmp_path):
    _, base, other = files
    geo = write(tmp_path / "geo.toml", TINY_MODEL.replace(
        'scale = 100', 'scale = 100\naggregation = "geometric"'))
    base_z = write(tmp_path / "bz.csv", "entity,x,y,z\nA,2,50,0.5\n")
    other_z = write(tmp_path / "oz.csv", "entity,x,y,z\nA,6,50,0.5\n")
    payload = run_json("compare", "--config", geo, "--data", base_z, "--to-data", other_z,
                       "--to-weight", "a=0.5")
    a = by_entity(payload)["A"]

    def v(a_score, w):
        return 100 * a_score ** w * 0.5 ** (1 - w)

    phi_x, phi_w = shapley2(v(.35, .75), v(.55, .75), v(.35, .5), v(.55, .5))
    assert a["change"] == pytest.approx(v(.55, .5) - v(.35, .75))
    assert a["attribution"] == pytest.approx({"data:x": phi_x, "method:weights": phi_w})
    # the interaction: x's effect differs by weight, so neither order alone is right
    assert v(.55, .75) - v(.35, .75) != pytest.approx(v(.55, .5) - v(.35, .5))


def test_method_changes_from_another_config(files, tmp_path):
    model, base, _ = files
    wider = write(tmp_path / "wider.toml", TINY_MODEL.replace("goalposts = [0, 10]",
                                                              "goalposts = [0, 20]"))
    a = by_entity(run_json("compare", "--config", model, "--data", base,
                           "--to-config", wider))["A"]
    # x/20 instead of x/10: a = (.1 + .5) / 2 = .3, score 22.5, change -3.75, all goalposts
    assert a["change"] == pytest.approx(-3.75)
    assert a["attribution"] == pytest.approx({"method:goalposts": -3.75})


def test_shapley_of_three_players_by_hand():
    # v over masks of players (0, 1, 2): additive 1, 2, 4 plus 6 when 0 and 1 are both in
    values = np.array([0, 1, 2, 9, 4, 5, 6, 13], dtype=float)
    # the pair bonus of 6 is shared equally between players 0 and 1
    assert coalition_shapley(values).tolist() == pytest.approx([4.0, 5.0, 4.0])
    assert coalition_shapley(values).sum() == pytest.approx(values[-1] - values[0])
    with pytest.raises(ValueError, match="2\\*\\*n rows"):
        coalition_shapley(np.zeros(6))


def test_editions_and_nodes_share_one_shapley_implementation():
    from riskscore.analyses import compare
    from riskscore.engine import shapley

    assert compare.coalition_shapley is shapley.coalition_shapley
    assert not hasattr(compare, "shapley")


def test_compare_words_name_the_sanctions_listing():
    from support import EXAMPLE  # the frozen copy: tests never read the editable example

    result = CliRunner().invoke(cli, ["compare", "--config", str(EXAMPLE / "config" / "model.toml"),
                                      "--profiles", str(EXAMPLE / "seeds" / "profiles"),
                                      "--as-of", "2019-11-19", "--to-as-of", "2021-01-01"])
    assert result.exit_code == 0, result.output
    risers = result.output.split("Risers:")[1].split("Fallers")[0]
    assert "Kyrgyzstan +" in risers and "CEIEC listed" in risers and "on 2020-11-30" in risers


def test_compare_refuses_a_different_hierarchy(files, tmp_path):
    model, base, _ = files
    # y moves from node a to node b: same indicators, another tree
    other_model = write(tmp_path / "other.toml", TINY_MODEL.replace(
        '[indicators.y]\nparent = "a"', '[indicators.y]\nparent = "b"'))
    result = CliRunner().invoke(cli, ["compare", "--config", str(model), "--data", str(base),
                                      "--to-config", str(other_model)])
    assert result.exit_code == 1
    assert "other.toml: indicators: has a different hierarchy" in result.output


# ---- trend ---------------------------------------------------------------------------

PANEL = """\
entity,date,x,y,z
A,2016,2,50,1
A,2017,,20,
A,2018-06,6,,0
B,2017-12-31,5,,0.5
"""


def test_trend_scores_each_date_from_a_panel(tmp_path):
    model = write(tmp_path / "model.toml", TINY_MODEL)
    data = write(tmp_path / "panel.csv", PANEL)
    figure = tmp_path / "trend.svg"
    payload = run_json("trend", "--config", model, "--data", data, "--from", "2016",
                       "--to", "2019", "--figure", figure)
    assert payload["dates"] == ["2016-12-31", "2017-12-31", "2018-12-31", "2019-12-31"]
    scores = {r["entity"]: r["scores"] for r in payload["results"]}
    # A 2016: 100*(.75*(.2+.5)/2+.25*1) = 51.25; 2017: y=20: 62.5; 2018 on: x=6, z=0: 52.5
    assert scores["A"] == pytest.approx([51.25, 62.5, 52.5, 52.5])
    # B has no row before 2017-12-31: not scored in 2016, then 100*(.75*.5+.25*.5) = 50
    assert scores["B"][0] is None and scores["B"][1:] == pytest.approx([50.0, 50.0, 50.0])
    assert payload["inputs"]["data"]["sha256"]
    first = figure.read_bytes()
    assert first.startswith(b"<?xml") and b"<svg" in first
    run_json("trend", "--config", model, "--data", data, "--from", "2016", "--to", "2019",
             "--figure", figure)
    assert figure.read_bytes() == first   # same inputs, same bytes
    table = CliRunner().invoke(cli, ["trend", "--config", str(model), "--data", str(data),
                                     "--from", "2016", "--to", "2017"])
    assert table.exit_code == 0, table.output
    assert "2016-12-31  51.2 (1)" in table.output or "2016-12-31  51.3 (1)" in table.output


def test_trend_usage_errors(tmp_path):
    model = write(tmp_path / "model.toml", TINY_MODEL)
    data = write(tmp_path / "panel.csv", PANEL)
    result = CliRunner().invoke(cli, ["trend", "--config", str(model), "--data", str(data),
                                      "--from", "2019", "--to", "2016"])
    assert result.exit_code == 2 and "--to 2016-12-31 is before --from 2019-12-31" in result.output
    result = CliRunner().invoke(cli, ["trend", "--config", str(model), "--data", str(data),
                                      "--from", "2016", "--to", "2017", "--as-of", "2017"])
    assert result.exit_code == 2 and "drop --as-of" in result.output


def test_report_compare_to_adds_what_changed_and_the_trend(tmp_path):
    from support import EXAMPLE  # the frozen copy: tests never read the editable example

    output = tmp_path / "r.md"
    result = CliRunner().invoke(cli, [
        "report", "--config", str(EXAMPLE / "config" / "model.toml"),
        "--profiles", str(EXAMPLE / "seeds" / "profiles"), "--samples", "0",
        "--as-of", "2021-01-01", "--compare-to-as-of", "2019-11-19", "--output", str(output)])
    assert result.exit_code == 0, result.output
    markdown = output.read_text(encoding="utf-8")
    section = markdown.split("## What changed since the previous edition")[1].split("\n## ")[0]
    risers = section.split("**Risers:**")[1].split("**Fallers:**")[0]
    # By hand, on the frozen example's model (sanctioned suppliers on goalposts 0-4 and the
    # worst listing's severity on 0-3, equal weights in the sanctions dimension, a quarter of
    # the index): CEIEC's OFAC listing (severity 3) takes Kyrgyzstan's listed suppliers from
    # 1 to 2 (+1/4) and its worst severity from 2 to 3 (+1/3), so the dimension rises by
    # (1/4 + 1/3) / 2 and the score by that * 0.25 * 100 = 7.2917 points (3.125 + 4.1667).
    by_hand = (1 / 4 + 1 / 3) / 2 * 0.25 * 100
    assert f"Kyrgyzstan +{by_hand:.1f}" in risers and "CEIEC listed" in risers
    # the attribution column sums to the change: sanctions indicators only
    row = next(line for line in section.splitlines() if line.startswith("| Kyrgyzstan"))
    parts = [float(p.split()[-1]) for p in row.split("|")[6].split(";")]
    assert sum(parts) == pytest.approx(by_hand, abs=0.02)
    assert sorted(parts) == pytest.approx([1 / 4 / 2 * 25, 1 / 3 / 2 * 25], abs=0.051)
    assert "![Line chart of each country's score over time" in section
    assert (tmp_path / "figures" / "r-trend.svg").is_file()


@pytest.mark.parametrize("width", [40, 80, 100])
def test_compare_from_and_to_values_start_in_the_same_column(files, width, monkeypatch):
    model, base, other = files
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.chdir(model.parent)
    model, base, other = (p.name for p in files)    # short paths: no word longer than a line
    # the 'to' edition (another table and a what-if weight) is 58 characters: wraps at 40
    result = CliRunner().invoke(cli, ["compare", "--config", model, "--data", base,
                                      "--to-data", other, "--to-weight", "a=0.5"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    head = lines[:lines.index("")]
    assert head[0].startswith("from: ") and head[0][6] != " "
    to = next(i for i, line in enumerate(head) if line.startswith("to:"))
    assert head[to].startswith("to:   ") and head[to][6] != " "   # "to:" + 3 spaces = "from: "
    for line in head[1:to] + head[to + 1:]:                       # wrapped lines hang there too
        assert line.startswith(" " * 6) and line[6] != " ", line
    assert all(len(line) <= width for line in head)
    assert len(head) == (2 if width >= 58 else 4)
    words = " ".join(line[6:] for line in head[to:])
    assert words == f"{model}, undated, weights a=0.5, inputs {other}"


def test_compare_markdown_keeps_each_block_apart(files):
    from markdown_it import MarkdownIt

    model, base, other = files
    result = CliRunner().invoke(cli, ["compare", "--config", str(model), "--data", str(base),
                                      "--to-data", str(other), "--format", "markdown"])
    assert result.exit_code == 0, result.output
    tokens = MarkdownIt("commonmark").enable("table").parse(result.output)
    # as shown (the Markdown source escapes the paths' underscores)
    inline = ["".join(c.content for c in t.children if c.type == "text")
              for t in tokens if t.type == "inline"]
    # from and to are two list items, not one run-together paragraph
    assert inline[0] == f"from: {model}, undated, inputs {base}"
    assert inline[1] == f"to: {model}, undated, inputs {other}"
    # A rises (x 2 -> 6) and B rises (z appears): both risers; fallers are their own paragraph
    assert inline[2] == "Risers:"
    assert inline[3].startswith("A +") and inline[4].startswith("B +")
    assert inline[5] == "Fallers: none"
    assert any(t.type == "table_open" for t in tokens)


def test_compare_table_signs_each_change(files):
    model, base, other = files
    result = CliRunner().invoke(cli, ["compare", "--config", str(model), "--data", str(base),
                                      "--to-data", str(other)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    # A: x 2 -> 6, z = 0, w_a = 3/4: a = mean(x / 10, 1 - y / 100) = mean(.2, .5) = .35 ->
    # mean(.6, .5) = .55, so the score goes 100 * .75 * .35 = 26.25 -> 100 * .75 * .55 = 41.25: a rise of 15.0
    row = next(line for line in result.output.splitlines() if line.startswith("A "))
    assert row.split()[1:4] == ["26.2", "41.2", "+15.0"]
