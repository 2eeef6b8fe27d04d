"""tests/ATTACK.md names a test for every reproducer of the attack review: each named
test must exist, so that the table cannot point at a renamed or deleted test."""

from __future__ import annotations

import ast
import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
TABLE = TESTS / "ATTACK.md"


def _named() -> list[tuple[str, str]]:
    """(file, test) for every `file::test` and every following `::test` in a cell."""
    pairs = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        current = None
        for match in re.finditer(r"`(?:([\w/]+\.py))?::(test_\w+)", line):
            current = match.group(1) or current
            assert current, line
            pairs.append((current, match.group(2)))
    return pairs


def _tests_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}


def test_every_test_named_in_the_attack_table_exists():
    named = _named()
    assert len(named) > 60
    missing = []
    for file, test in named:
        path = TESTS / file
        if not path.is_file() or test not in _tests_in(path):
            missing.append(f"{file}::{test}")
    assert missing == []
