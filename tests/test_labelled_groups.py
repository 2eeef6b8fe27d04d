"""A table with an id, a display label and a group column, through `score` and `rollup`.

Regression for two integration faults the plain-install check found on an analyst's table:
`score`'s within-group ranks were looked up by the row's label instead of the entity id
(an internal KeyError whenever a label was declared), and `rollup --rule values` rebuilt
a table without the declared label column (refused as "no column for name").

Expected values by hand from support.TINY_MODEL, root = (3 * mean(x/10, 1 - y/100) + z) / 4:
A (10, 0, 1) = 100; B (0, 100, 0) = 0; C (5, 50, 0.5) = 50; D (10, 50, 0) = 56.25.
"""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner

from riskscore.cli.main import cli
from support import TINY_MODEL, write

TABLE = """code,name,region,x,y,z
A,Alpha,North,10,0,1
B,Bravo,North,0,100,0
C,Charlie,South,5,50,0.5
D,Delta,South,10,50,0
"""
COLUMNS = '[columns]\nid = "code"\nlabel = "name"\ngroups = ["region"]\n'


def _run(tmp_path, *args):
    model = write(tmp_path / "model.toml", TINY_MODEL + COLUMNS)
    data = write(tmp_path / "table.csv", TABLE)
    result = CliRunner().invoke(cli, [*args, "--config", str(model), "--data", str(data)])
    assert result.exit_code == 0, result.output
    return result.output


def test_score_shows_labels_with_ranks_within_their_group(tmp_path):
    rows = list(csv.DictReader(io.StringIO(_run(tmp_path, "score", "--format", "csv"))))
    by_name = {row["country"]: row for row in rows}
    assert [row["country"] for row in rows] == ["Alpha", "Delta", "Charlie", "Bravo"]
    assert {name: row["rank in region"] for name, row in by_name.items()} == \
        {"Alpha": "1/2", "Bravo": "2/2", "Delta": "1/2", "Charlie": "2/2"}
    assert float(by_name["Delta"]["score"]) == 56.25
    table = _run(tmp_path, "score")
    assert "Alpha" in table and "rank in region" in table


def test_rollup_by_values_keeps_the_label_column(tmp_path):
    payload = json.loads(_run(tmp_path, "rollup", "--by", "region", "--format", "json"))
    rows = payload["rows"] if "rows" in payload else payload["results"]
    scores = {row["group"]: row["score"] for row in rows}
    # North: x 5, y 50, z 0.5 -> 50; South: x 7.5, y 50, z 0.25 -> (3 * 0.625 + 0.25) / 4
    assert scores["North"] == 50.0
    assert abs(scores["South"] - 53.125) < 1e-9


def test_explain_names_the_nearest_peers_by_their_labels(tmp_path):
    # Normalised (0-100) x, y (lower is riskier), z: A (100, 100, 100), B (0, 0, 0),
    # C (50, 50, 50), D (100, 50, 0). Euclidean distances from A: C sqrt(3 * 50^2) = 86.6,
    # D sqrt(50^2 + 100^2) = 111.8, B sqrt(3 * 100^2) = 173.2.
    for fmt in ("table", "markdown"):
        text = " ".join(_run(tmp_path, "explain", "A", "--format", fmt).split())
        line = text[text.index("nearest peers: "):]
        assert line.startswith("nearest peers: Charlie (distance 86.6, score 50, rank 3); "
                               "Delta (distance 112, score 56.2, rank 2); "
                               "Bravo (distance 173, score 0, rank 4)"), line[:200]
        assert "C (distance" not in text and "D (distance" not in text
