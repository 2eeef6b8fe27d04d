"""Attack review, round 2 (issue 18), F1 for the model file: a documented key changed takes
effect (some output of score, list weights, explain or the report changes) or is refused.

Each case edits the tiny model (tests/support.py) by one key. This covers the keys of
the config reference that apply to a plain goalposts model; keys with their own test files
(operators, preparation, domains, classes, weight sets, columns) are held there.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from riskscore.cli.main import cli
from support import TINY_MODEL, write

DATA = "entity,x,y,z\nAlpha,5,20,1\nBeta,10,100,0\nGamma,,50,0.5\nDelta,2,,0.2\n"

# (case id, text replaced in TINY_MODEL, replacement)
CASES = [
    ("index.id", 'id = "risk"', 'id = "total"'),
    ("index.label", 'id = "risk"', 'id = "risk"\nlabel = "A renamed index"'),
    ("index.scale", "scale = 100", "scale = 10"),
    ("index.aggregation", 'id = "risk"', 'id = "risk"\naggregation = "geometric"'),
    ("index.missing", 'id = "risk"', 'id = "risk"\nmissing = "worst_case"'),
    ("index.min_coverage", 'id = "risk"', 'id = "risk"\nmin_coverage = 0.9'),
    ("index.normalisation", 'id = "risk"', 'id = "risk"\nnormalisation = "minmax"'),
    ("index.normalised_range", 'id = "risk"', 'id = "risk"\nnormalised_range = [1, 10]'),
    ("index.imputation", 'id = "risk"', 'id = "risk"\nimputation = "mean"'),
    ("index.geometric_floor", 'id = "risk"',
     'id = "risk"\naggregation = "geometric"\ngeometric_floor = 0.3'),
    ("index.rationale", 'id = "risk"', 'id = "risk"\nrationale = "Because of reasons."'),
    ("nodes.weight", "[nodes.a]\nweight = 3", "[nodes.a]\nweight = 1"),
    ("nodes.label", "[nodes.a]\n", '[nodes.a]\nlabel = "Alpha dimension"\n'),
    ("nodes.aggregation", "[nodes.a]\n", '[nodes.a]\naggregation = "geometric"\n'),
    ("nodes.min_coverage", "[nodes.a]\n", "[nodes.a]\nmin_coverage = 0.9\n"),
    ("nodes.parent", "[nodes.b]\nweight = 1", '[nodes.b]\nweight = 1\nparent = "a"'),
    ("indicators.goalposts", "goalposts = [0, 10]", "goalposts = [0, 20]"),
    ("indicators.weight", "[indicators.x]\nparent = \"a\"\ngoalposts = [0, 10]\nweight = 1",
     "[indicators.x]\nparent = \"a\"\ngoalposts = [0, 10]\nweight = 3"),
    ("indicators.direction", "goalposts = [0, 10]",
     'goalposts = [0, 10]\ndirection = "lower_is_riskier"'),
    ("indicators.transform", "goalposts = [0, 10]", 'goalposts = [1, 10]\ntransform = "log"'),
    ("indicators.label", "goalposts = [0, 10]", 'goalposts = [0, 10]\nlabel = "Ex"'),
    ("indicators.short", "goalposts = [0, 10]", 'goalposts = [0, 10]\nshort = "ex-short"'),
    ("indicators.unit", "goalposts = [0, 10]", 'goalposts = [0, 10]\nunit = "widgets"'),
    ("indicators.parent", '[indicators.y]\nparent = "a"', '[indicators.y]\nparent = "b"'),
    ("indicators.max_age", "goalposts = [0, 10]", 'goalposts = [0, 10]\nmax_age = "3y"'),
    ("indicators.normalisation", "goalposts = [0, 10]",
     'goalposts = [0, 10]\nnormalisation = "rank"'),
    ("indicators.imputation", "goalposts = [0, 10]", 'goalposts = [0, 10]\nimputation = "mean"'),
    ("indicators.rationale", "goalposts = [0, 10]",
     'goalposts = [0, 10]\nrationale = "Why x."'),
]

COMMANDS = [["score", "--format", "json"], ["list", "weights", "--format", "json"],
            ["list", "indicators", "--format", "json"], ["explain", "Gamma", "--format", "json"],
            ["audit", "--format", "json"], ["validate", "--format", "json"]]


def _observe(tmp_path, model_text: str, name: str) -> list[str]:
    folder = tmp_path / name
    model = write(folder / "model.toml", model_text)
    data = write(folder / "data.csv", DATA)
    outputs = []
    for command in COMMANDS:
        result = CliRunner().invoke(cli, [*command, "--config", str(model), "--data",
                                          str(data)])
        outputs.append(f"{result.exit_code}\n" + result.output.replace(str(folder), "<dir>"))
    return outputs


@pytest.mark.parametrize("key,old,new", CASES, ids=[c[0] for c in CASES])
def test_each_model_key_takes_effect(tmp_path, key, old, new):
    assert old in TINY_MODEL, key
    changed = TINY_MODEL.replace(old, new, 1)
    before = _observe(tmp_path, TINY_MODEL, "before")
    after = _observe(tmp_path, changed, "after")
    assert before != after, key
