"""Within-group ranks, group summaries, peers, strengths and weaknesses (issue 20).

On the COINr ASEM example (examples/coinr-asem: 51 countries in two groups, Europe and
Asia, whose group column also drives its group_mean imputation). Expected values come
from pandas (groupby ranks and aggregates), scipy's cdist and hand calculations, never
from riskscore's own outputs.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from scipy.spatial.distance import cdist

import riskscore
from riskscore.analyses.groups import standings
from riskscore.analyses.peers import all_peers, strengths_and_weaknesses
from riskscore.cli.main import cli

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "coinr-asem"
ARGS = ["--config", str(EXAMPLE / "model.toml"), "--data", str(EXAMPLE / "asem-input.csv")]


@pytest.fixture(scope="module")
def asem():
    result = riskscore.assess(EXAMPLE / "model.toml", data=EXAMPLE / "asem-input.csv")
    table = pd.read_csv(EXAMPLE / "asem-input.csv").set_index("entity")
    frame = pd.DataFrame({"score": result.scores,
                          "group": table.loc[list(result.entities), "Group_EurAsia"].to_numpy()},
                         index=list(result.entities))
    for dim in result.model.dimensions:
        frame[dim] = [result.node_score(e, dim) for e in range(len(result.entities))]
    return result, frame


def run(args: list[str]) -> str:
    out = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert out.exit_code == 0, out.output
    return out.output


def test_standings_by_hand():
    got = standings(np.array([50.0, 70.0, 50.0, np.nan, 10.0]))
    assert [s.rank for s in got] == [2, 1, 2, None, 4]
    # the share of the other three scored entities below: 1/3, 3/3, 1/3, -, 0/3
    assert [s.percentile for s in got] == [pytest.approx(1 / 3), 1.0, pytest.approx(1 / 3),
                                          None, 0.0]
    assert got[0].of == 4


def test_within_group_ranks_match_pandas(asem):
    result, frame = asem
    doc = json.loads(run(["score", *ARGS, "--format", "json"]))
    expected_rank = frame.groupby("group")["score"].rank(method="min", ascending=False)
    sizes = frame.groupby("group")["score"].transform("count")
    below = frame.groupby("group")["score"].rank(method="min", ascending=True) - 1
    for row in doc["results"]:
        name = row["entity"]
        within = row["group_ranks"]["Group_EurAsia"]
        assert within["group"] == frame.loc[name, "group"]
        assert within["rank"] == int(expected_rank[name])
        assert within["of"] == int(sizes[name])
        assert within["percentile"] == pytest.approx(below[name] / (sizes[name] - 1))
        overall_below = (frame["score"] < frame.loc[name, "score"]).sum()
        assert row["percentile"] == pytest.approx(overall_below / (len(frame) - 1))
    assert {g for g in frame["group"]} == {"Europe", "Asia"}


def test_group_summaries_match_pandas(asem):
    result, frame = asem
    doc = json.loads(run(["groups", *ARGS, "--format", "json"]))
    rows = {r["group"]: r for r in doc["summaries"]["Group_EurAsia"]}
    stats = frame.groupby("group").agg(["mean", "median", "min", "max", "count"])
    for group in ("Europe", "Asia"):
        assert rows[group]["entities"] == int(stats.loc[group, ("score", "count")])
        for item, column in (("Index", "score"), *((d, d) for d in result.model.dimensions)):
            for stat in ("mean", "median", "min", "max"):
                assert rows[group][f"{item} {stat}"] == pytest.approx(
                    stats.loc[group, (column, stat)]), (group, item, stat)
    # the table: one line per group and item, the means as pandas computes them
    text = run(["groups", *ARGS, "--by", "Group_EurAsia"])
    europe_index = next(line for line in text.splitlines() if line.startswith("Europe  Index"))
    assert f"{stats.loc['Europe', ('score', 'mean')]:.1f}" in europe_index.split()


def test_the_score_table_shows_the_rank_within_the_group(asem):
    result, frame = asem
    lines = run(["score", *ARGS, "--format", "csv"]).splitlines()
    header = lines[0].split(",")
    assert header[:2] == ["rank", "rank in Group_EurAsia"]
    by_name = {cells[header.index("country")]: cells for cells in
               (line.split(",") for line in lines[1:])}
    rank = frame.groupby("group")["score"].rank(method="min", ascending=False)
    size = frame.groupby("group")["score"].transform("count")
    for name in frame.index:
        assert by_name[name][1] == f"{int(rank[name])}/{int(size[name])}"


def test_groups_refuses_an_unknown_column_and_a_model_without_groups(tmp_path):
    out = CliRunner().invoke(cli, ["groups", *ARGS, "--by", "region"])
    assert out.exit_code != 0 and "--by: is 'region'" in out.output
    assert "Group_EurAsia" in out.output
    model = tmp_path / "m.toml"
    model.write_text("[index]\n[indicators.x]\ngoalposts = [0, 1]\n")
    data = tmp_path / "d.csv"
    data.write_text("entity,x\nA,0.1\nB,0.2\n")
    out = CliRunner().invoke(cli, ["groups", "--config", str(model), "--data", str(data)])
    assert out.exit_code != 0 and "declares no group column" in out.output


def test_peers_are_the_nearest_on_the_normalised_indicators(asem):
    result, _ = asem
    values = result.slots[:, :len(result.hierarchy.indicator_ids)] * result.model.scale
    means = np.nanmean(values, axis=0)
    filled = np.where(np.isnan(values), means, values)
    distances = cdist(filled, filled)
    peers = all_peers(result, 3)
    for e, name in enumerate(result.entities):
        order = [int(j) for j in np.argsort(distances[e], kind="stable") if j != e][:3]
        got = peers[name]
        assert [p["entity"] for p in got] == [result.entities[j] for j in order], name
        assert [p["distance"] for p in got] == pytest.approx([distances[e, j] for j in order])


def test_strengths_and_weaknesses_are_the_extreme_indicator_ranks(asem):
    result, _ = asem
    observed = pd.DataFrame(np.where(result.imputed, np.nan, result.normalised),
                            index=list(result.entities), columns=list(result.hierarchy.indicator_ids))
    ranks = observed.rank(method="min", ascending=False)    # 1 = the riskiest
    counts = observed.count()
    e = result.index("AUT")
    strengths, weaknesses = strengths_and_weaknesses(result, e)
    position = ((ranks.loc["AUT"] - 1) / (counts - 1)).dropna()
    riskiest = position.sort_values(kind="stable").index[:3].tolist()
    assert [w["indicator"] for w in weaknesses] == riskiest
    for row in weaknesses + strengths:
        assert row["rank"] == int(ranks.loc["AUT", row["indicator"]])
        assert row["of"] == int(counts[row["indicator"]])
    least = position[~position.index.isin(riskiest)].sort_values(ascending=False, kind="stable")
    assert [s["indicator"] for s in strengths] == least.index[:3].tolist()


def test_explain_gives_standing_peers_strengths_and_weaknesses(asem):
    result, frame = asem
    detail = json.loads(run(["explain", "AUT", *ARGS, "--format", "json"]))
    assert [p["entity"] for p in detail["peers"]] == \
        [p["entity"] for p in all_peers(result, 3)["AUT"]]
    assert "Euclidean" in detail["peer_distance"]
    rank = frame.groupby("group")["score"].rank(method="min", ascending=False)
    assert detail["group_ranks"]["Group_EurAsia"]["rank"] == int(rank["AUT"])
    text = " ".join(run(["explain", "AUT", *ARGS]).split())
    assert f"rank {int(rank['AUT'])} of 30 in Group_EurAsia Europe" in text
    assert "nearest peers: " + detail["peers"][0]["entity"] in text
    labels = {row["indicator"]: row["label"] for row in detail["rows"]}   # named, not by id
    assert "weaknesses (highest risk ranks): " + labels[detail["weaknesses"][0]["indicator"]] \
        in text


def test_the_report_country_section_gives_group_rank_and_peers(asem, tmp_path):
    from markdown_it import MarkdownIt

    result, frame = asem
    out = tmp_path / "report.md"
    run(["report", *ARGS, "--samples", "0", "-o", str(out)])
    tokens = MarkdownIt().enable("table").parse(out.read_text(encoding="utf-8"))
    inline = [(i, t) for i, t in enumerate(tokens) if t.type == "inline"]
    texts = ["".join(c.content for c in t.children if c.type in ("text", "code_inline"))
             for _, t in inline]   # as rendered: escapes resolved
    heading = next(k for k, (i, t) in enumerate(inline)   # the country section's heading
                   if tokens[i - 1].tag == "h3" and texts[k] == "AUT")
    section = " ".join(texts[heading:heading + 4])
    rank = frame.groupby("group")["score"].rank(method="min", ascending=False)
    assert f"Rank {int(rank['AUT'])} of 30 in Group_EurAsia Europe." in section
    first_peer = all_peers(result, 3)["AUT"][0]
    assert f"Nearest peers on the normalised indicators: {first_peer['entity']}" in section
    # the Groups section: results by group, and the groups rolled up (equal weights: the
    # mean of the units' scores), as pandas computes them
    groups_at = texts.index("Groups")
    assert texts[groups_at + 1] == "By Group_EurAsia"
    means = frame.groupby("group")["score"].mean()
    cells = texts[groups_at:texts.index("Countries")]
    europe = cells.index("Europe")            # group, item, entities, scored, mean, ...
    assert cells[europe + 1:europe + 5] == ["Sustainable Connectivity", "30", "30",
                                            f"{means['Europe']:.1f}"]
    rolled = [i for i, t in enumerate(cells) if t == "Asia"][-1]   # rank, group, units, score
    assert cells[rolled - 1:rolled + 3] == ["2", "Asia", "21", f"{means['Asia']:.1f}"]
    assert any(t.startswith("Rolled up (the larger unit's score is the weighted mean") for t in
               texts[groups_at:groups_at + 80])


def test_the_page_data_carries_the_within_group_ranks(asem):
    from riskscore.outputs.explore.data import page_data

    result, frame = asem
    data = page_data(result, {})
    rank = frame.groupby("group")["score"].rank(method="min", ascending=False)
    for name in frame.index:
        assert data["group_ranks"][name]["Group_EurAsia"]["rank"] == int(rank[name])
        assert data["group_ranks"][name]["Group_EurAsia"]["group"] == frame.loc[name, "group"]
