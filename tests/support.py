"""Helpers shared by the tests: paths, a tiny model, and writing real files."""

from __future__ import annotations

import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A frozen copy of the shipped example: tests never read the files a user may edit.
EXAMPLE = ROOT / "tests" / "fixtures" / "example"
ARTICLE = EXAMPLE / "seeds" / "000_fecfd22379664373.txt"

# Two dimensions, three indicators; weights chosen so hand computation is easy.
TINY_MODEL = """
[index]
id = "risk"
scale = 100

[nodes.a]
weight = 3

[nodes.b]
weight = 1

[indicators.x]
parent = "a"
goalposts = [0, 10]
weight = 1

[indicators.y]
parent = "a"
goalposts = [0, 100]
direction = "lower_is_riskier"
weight = 1

[indicators.z]
parent = "b"
goalposts = [0, 1]
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path
