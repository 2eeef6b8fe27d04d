"""Shared fixtures: tiny models and data written to real files in tmp_path."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "seeds" / "000_fecfd22379664373.txt"

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


@pytest.fixture
def tiny(tmp_path: Path):
    """A tiny model and a CSV table: returns (model_path, csv_path)."""
    model = write(tmp_path / "model.toml", TINY_MODEL)
    data = write(tmp_path / "data.csv", """
        entity,x,y,z
        Alpha,5,20,1
        Beta,10,100,0
        Gamma,,50,0.5
        """)
    return model, data


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the shipped config, seeds and profiles in tmp_path (safe to edit)."""
    for part in ("config", "seeds"):
        shutil.copytree(ROOT / part, tmp_path / part)
    return tmp_path
