"""`riskscore list weights` on a terminal: the hierarchy stays readable at any width.

A three-level model with long ids, shares worked out by hand:
  alpha_dimension_with_long_name  weight 3 of 4  -> share 0.75, effective 0.75
    alpha_sub_pillar_with_a_long_name  1 of 2   -> 0.5,  effective 0.375
      deep_indicator_with_a_very_long_id  1 of 4 -> 0.25, effective 0.09375 (0.094)
      x2                                  3 of 4 -> 0.75, effective 0.28125 (0.281)
    alpha_other                        1 of 2   -> 0.5,  effective 0.375
      y                                 1 of 1  -> 1,    effective 0.375
  beta                            1 of 4         -> 0.25, effective 0.25
    z                              1 of 1        -> 1,    effective 0.25
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from riskscore.cli.main import cli

MODEL = """\
[index]
id = "root"

[nodes.alpha_dimension_with_long_name]
weight = 3
label = "Alpha: a dimension whose label is long enough to need wrapping on a narrow terminal"

[nodes.alpha_sub_pillar_with_a_long_name]
parent = "alpha_dimension_with_long_name"

[nodes.alpha_other]
parent = "alpha_dimension_with_long_name"

[nodes.beta]
weight = 1

[indicators.deep_indicator_with_a_very_long_id]
parent = "alpha_sub_pillar_with_a_long_name"
goalposts = [0, 1]
label = "Deep"

[indicators.x2]
parent = "alpha_sub_pillar_with_a_long_name"
goalposts = [0, 1]
weight = 3

[indicators.y]
parent = "alpha_other"
goalposts = [0, 1]

[indicators.z]
parent = "beta"
goalposts = [0, 1]
"""

# id, depth, kind, configured, share of parent, effective (three decimals)
EXPECTED = [
    ("alpha_dimension_with_long_name", 1, "node", "3", "0.750", "0.750"),
    ("alpha_sub_pillar_with_a_long_name", 2, "node", "1", "0.500", "0.375"),
    ("deep_indicator_with_a_very_long_id", 3, "indicator", "1", "0.250", "0.094"),
    ("x2", 3, "indicator", "3", "0.750", "0.281"),
    ("alpha_other", 2, "node", "1", "0.500", "0.375"),
    ("y", 3, "indicator", "1", "1.000", "0.375"),
    ("beta", 1, "node", "1", "0.250", "0.250"),
    ("z", 2, "indicator", "1", "1.000", "0.250"),
]


def _list_weights(tmp_path, monkeypatch, width):
    (tmp_path / "model.toml").write_text(MODEL, encoding="utf-8")
    (tmp_path / "data.csv").write_text(
        "entity,deep_indicator_with_a_very_long_id,x2,y,z\nA,0.5,0.5,0.5,0.5\n",
        encoding="utf-8")
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.delenv("NO_COLOR", raising=False)
    result = CliRunner().invoke(cli, ["list", "weights", "--config", str(tmp_path / "model.toml"),
                                      "--data", str(tmp_path / "data.csv")])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


@pytest.mark.parametrize("width", [80, 100])
def test_the_tree_is_a_table_indented_two_spaces_a_level(tmp_path, monkeypatch, width):
    lines = _list_weights(tmp_path, monkeypatch, width)
    assert all(len(line) <= width for line in lines)
    rule = next(i for i, line in enumerate(lines) if set(line) == {"-", " "})
    header = sorted(word for line in lines[:rule] for word in line.split())
    assert header == sorted(["id", "kind", "configured", "share", "of", "parent", "effective"])
    items = [line for line in lines if line.split() and line.split()[0]
             in {e[0] for e in EXPECTED}]
    assert len(items) == len(EXPECTED)
    for line, (item, depth, kind, configured, share, effective) in zip(items, EXPECTED,
                                                                       strict=True):
        indent = len(line) - len(line.lstrip(" "))
        assert indent == 2 * (depth - 1), line
        assert line.split() == [item, kind, configured, share, effective], line


@pytest.mark.parametrize("width", [80, 100])
def test_a_label_sits_under_its_item_deeper_than_the_item(tmp_path, monkeypatch, width):
    lines = _list_weights(tmp_path, monkeypatch, width)
    deep = next(i for i, line in enumerate(lines)
                if line.lstrip().startswith("deep_indicator_with_a_very_long_id "))
    assert lines[deep + 1] == " " * 8 + "label: Deep"      # depth 3: 4 spaces + 4
    alpha = next(i for i, line in enumerate(lines)
                 if line.startswith("alpha_dimension_with_long_name "))
    label = []
    for line in lines[alpha + 1:]:
        if not line.startswith("    "):
            break
        label.append(line)
    assert label[0].startswith("    label: Alpha: a dimension")
    assert all(line.startswith("      ") for line in label[1:])   # wrapped lines hang deeper
    assert " ".join(line.strip() for line in label) == (
        "label: Alpha: a dimension whose label is long enough to need wrapping on a narrow "
        "terminal")


def test_too_narrow_for_a_table_each_item_is_one_indented_line(tmp_path, monkeypatch):
    lines = _list_weights(tmp_path, monkeypatch, 60)
    assert all(len(line) <= 60 for line in lines)
    starts = [line for line in lines if line.lstrip().split(" (")[0] in {e[0] for e in EXPECTED}
              and " (" in line]
    assert len(starts) == len(EXPECTED)
    for line, (item, depth, kind, _c, _s, _e) in zip(starts, EXPECTED, strict=True):
        assert line.startswith(" " * 2 * (depth - 1) + f"{item} ({kind}):"), line
    text = " ".join(line.strip() for line in lines)
    assert ("deep_indicator_with_a_very_long_id (indicator): configured 1, share of parent "
            "0.250, effective 0.094") in text


def test_machine_formats_keep_plain_ids_and_the_parent(tmp_path, monkeypatch):
    (tmp_path / "model.toml").write_text(MODEL, encoding="utf-8")
    (tmp_path / "data.csv").write_text("entity,deep_indicator_with_a_very_long_id,x2,y,z\n"
                                       "A,0.5,0.5,0.5,0.5\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["list", "weights", "--config", str(tmp_path / "model.toml"),
                                      "--data", str(tmp_path / "data.csv"), "--format", "csv"])
    assert result.exit_code == 0, result.output
    header, *rows = result.output.splitlines()
    assert header.split(",")[:3] == ["id", "kind", "parent"]
    assert rows[2].split(",")[:3] == ["deep_indicator_with_a_very_long_id", "indicator",
                                      "alpha_sub_pillar_with_a_long_name"]
