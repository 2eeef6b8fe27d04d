"""COINr's way in: its iData and iMeta tables (the ASEM example as COINr publishes them,
bluefoxr/COINr data/ASEM_iData.rda and ASEM_iMeta.rda, read with the rdata package into
examples/coinr-asem/ASEM_iData.csv and ASEM_iMeta.csv).

COINr's default build is computed here independently with pandas (min-max to 0-100 in
each indicator's direction, weighted means ignoring NA up the tree); COINr's recorded
ASEM method (denominate, group-mean imputation, winsorising) is held to the aggregates
COINr publishes (asem-published-aggregates.csv).
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import riskscore
from riskscore.cli.main import cli
from riskscore.errors import DataError

ASEM = Path(__file__).resolve().parent.parent / "examples" / "coinr-asem"
IDATA, IMETA = ASEM / "ASEM_iData.csv", ASEM / "ASEM_iMeta.csv"


def coinr_default_build() -> pd.DataFrame:
    """COINr's default build of ASEM, by pandas alone: every aggregate of every unit."""
    data = pd.read_csv(IDATA).set_index("uCode")
    meta = pd.read_csv(IMETA)
    indicators = meta[meta.Type == "Indicator"]
    values = {}
    for _, row in indicators.iterrows():
        x = data[row.iCode].astype(float) * row.Direction
        values[row.iCode] = (x - x.min()) / (x.max() - x.min()) * 100
    scores = pd.DataFrame(values)
    aggregates = meta[meta.Type == "Aggregate"].sort_values("Level")
    for _, agg in aggregates.iterrows():
        kids = meta[meta.Parent == agg.iCode]
        block = scores[kids.iCode.tolist()]
        weights = np.where(block.notna(), kids.Weight.to_numpy(), 0.0)
        scores[agg.iCode] = (block.fillna(0) * weights).sum(axis=1) / weights.sum(axis=1)
    return scores


def test_the_default_build_gives_coinr_s_results():
    index = riskscore.from_coinr(IDATA, IMETA)
    result = riskscore.assess(index.model, data=index.to_frame())
    expected = coinr_default_build()
    assert len(result) == 51
    for e, unit in enumerate(result.entities):
        assert float(result.scores[e]) == pytest.approx(expected.loc[unit, "Index"], abs=1e-9)
        for node in ("Conn", "Sust", "Physical", "P2P", "SusEcFin"):
            assert result.node_score(e, node) == pytest.approx(expected.loc[unit, node],
                                                               abs=1e-9)
    assert result.label("AUT") == "Austria"
    assert result.group_of("AUT", "EurAsia_group") == "Europe"


def test_coinr_s_steps_as_settings_give_the_published_aggregates():
    index = riskscore.from_coinr(IDATA, IMETA, denominate=True)
    model = index.model
    model["index"]["treatment"] = "winsorise"       # COINr's Treat(): skew/kurtosis rule
    for indicator in model["indicators"].values():   # Impute(): mean of the unit's group
        indicator.update(imputation="group_mean", group="EurAsia_group")
    result = riskscore.assess(model, data=index.to_frame())
    with (ASEM / "asem-published-aggregates.csv").open(encoding="utf-8") as f:
        published = {r["UnitCode"]: r for r in csv.DictReader(f)}
    for e, unit in enumerate(result.entities):
        for code, value in published[unit].items():
            if code in ("UnitCode", "UnitName"):
                continue
            ours = float(result.scores[e]) if code == "Index" else result.node_score(e, code)
            assert ours == pytest.approx(float(value), abs=1e-6), (unit, code)


def test_init_from_coinr_makes_a_project_and_the_export_is_coinr_s_table(tmp_path):
    made = CliRunner().invoke(cli, ["init", "--from-coinr", str(IDATA), str(IMETA),
                                    str(tmp_path / "asem")])
    assert made.exit_code == 0, made.output
    assert sorted(p.name for p in (tmp_path / "asem").iterdir()) == [
        "data.csv", "model.toml", "riskscore.toml"]
    exported = subprocess.run([sys.executable, "-m", "riskscore", "score", "--format", "coinr"],
                              cwd=tmp_path / "asem", capture_output=True, text=True, timeout=300)
    assert exported.returncode == 0, exported.stderr
    table = pd.read_csv(pd.io.common.StringIO(exported.stdout)).set_index("uCode")
    meta = pd.read_csv(IMETA)
    assert list(table.columns[:2]) == ["uName", "LPI"]
    assert table.columns[-1] == "Index" and table.loc["AUT", "uName"] == "Austria"
    assert list(table.index) == pd.read_csv(IDATA).uCode.tolist()   # COINr's row order
    assert set(table.columns[1:]) == set(meta[meta.Type.isin(["Indicator", "Aggregate"])].iCode)
    expected = coinr_default_build()
    for column in ("LPI", "TBTs", "Physical", "Conn", "Index"):
        assert table[column].to_numpy() == pytest.approx(expected.loc[table.index, column]
                                                         .to_numpy(), abs=1e-9, nan_ok=True)


def _tables(tmp_path, data_rows=None, meta_rows=None):
    data = tmp_path / "iData.csv"
    meta = tmp_path / "iMeta.csv"
    data.write_text("\n".join(data_rows or ["uCode,uName,x,y", "A,Aa,1,2", "B,Bb,3,4"]) + "\n")
    meta.write_text("\n".join(meta_rows or [
        "iCode,iName,Type,Level,Parent,Direction,Weight",
        "x,X,Indicator,1,Index,1,1", "y,Y,Indicator,1,Index,-1,1",
        "Index,The index,Aggregate,2,,1,1"]) + "\n")
    return data, meta


def test_a_tiny_default_build_by_hand(tmp_path):
    index = riskscore.from_coinr(*_tables(tmp_path))
    result = riskscore.assess(index.model, data=index.to_frame())
    # x: A 0, B 100; y (direction -1): A 100, B 0 -> both 50
    assert result.scores.tolist() == [50.0, 50.0]


@pytest.mark.parametrize("data_rows, meta_rows, message", [
    (None, ["iCode,Type,Parent", "x,Indicator,Index", "y,Indicatr,Index", "Index,Aggregate,"],
     "iMeta.csv: row 3, column Type: is 'Indicatr'; expected one of Indicator, Aggregate, "
     "Group, Denominator, Other"),
    (None, ["iCode,Type,Parent", "x,Indicator,Index", "y,Indicator,Pillar", "Index,Aggregate,"],
     "iMeta.csv: row 3, column Parent: is 'Pillar', which is not an Aggregate of iMeta; "
     "expected one of Index"),
    (None, ["iCode,Type,Parent", "x,Indicator,P", "y,Indicator,Q", "P,Aggregate,Q",
            "Q,Aggregate,P", "Index,Aggregate,"],
     "iMeta.csv: row 5, column Parent: forms a cycle (P -> Q -> P); expected a tree: each "
     "aggregate below exactly one index"),
    (["uCode,x", "A,1"], ["iCode,Type,Parent", "x,Indicator,Index", "y,Indicator,Index",
                          "Index,Aggregate,"],
     "iData.csv: header: has no column 'y', which iMeta.csv row 3 (column iCode) declares as "
     "Indicator; expected a column of iData for each iMeta entry that is not an Aggregate"),
    (["uCode,x,y", "A,1,2", "B,3,4", "A,5,6"], None,
     "iData.csv: row 4, column uCode: repeats 'A' (first in row 2); expected each uCode once"),
])
def test_tables_not_in_coinr_s_shape_name_file_row_and_column(tmp_path, data_rows, meta_rows,
                                                             message):
    data, meta = _tables(tmp_path, data_rows, meta_rows)
    with pytest.raises(DataError) as excinfo:
        riskscore.from_coinr(data, meta)
    assert str(excinfo.value) == f"{tmp_path}/{message}"
    ran = CliRunner().invoke(cli, ["init", "--from-coinr", str(data), str(meta),
                                   str(tmp_path / "project")])
    assert ran.exit_code == 1 and message in ran.output
    assert not (tmp_path / "project").exists()   # nothing half-written
