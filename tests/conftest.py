"""Shared fixtures: tiny models and data written to real files in tmp_path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from support import EXAMPLE, TINY_MODEL, write

# No per-example deadline: on a busy two-core CI machine a slow example is not a failure.
settings.register_profile("riskscore", deadline=None)
settings.load_profile("riskscore")


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
    """A copy of the example project (project file, config, seeds) in tmp_path (safe to edit)."""
    for part in ("config", "seeds"):
        shutil.copytree(EXAMPLE / part, tmp_path / part)
    shutil.copy(EXAMPLE / "riskscore.toml", tmp_path / "riskscore.toml")
    return tmp_path
