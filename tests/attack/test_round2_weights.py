"""Attack review, round 2 (issue 18), F7, the command line's half: ``--weight`` against the
table of cases the explore page is held to (tests/weight_syntax_cases.py; the page's half
is tests/explore/test_weight_syntax.py)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from weight_syntax_cases import ACCEPTED, REFUSED, message

from riskscore.cli.main import cli


def _args(items: list[str]) -> list[str]:
    # "debt=0,4" is one --weight each side of the page's comma: split as the page splits
    return [f"--weight={part}" for item in items for part in item.split(",")]


@pytest.mark.parametrize("items,shares", ACCEPTED, ids=[repr(i) for i, _ in ACCEPTED])
def test_accepted_weights(project, items, shares):
    result = CliRunner().invoke(cli, ["--project", str(project), "list", "weights",
                                      "--format", "json", *_args(items)])
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in json.loads(result.output)}
    for node, share in shares.items():
        assert rows[node]["share of parent"] == pytest.approx(share)


@pytest.mark.parametrize("items,template", REFUSED, ids=[repr(i) for i, _ in REFUSED])
def test_refused_weights(project, items, template):
    result = CliRunner().invoke(cli, ["--project", str(project), "score", *_args(items)])
    assert result.exit_code == 1, result.output
    assert message(template, "cli") in result.output.replace("\n", " ").replace("Error: ", "")
