"""Shared fixtures for the extraction tests: the shipped config files and the seed."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskscore.inputs.extract import load_gazetteer, load_hints
from riskscore.inputs.registry import load_registry

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "tests" / "fixtures" / "example"
CONFIG = EXAMPLE / "config"
SEED = EXAMPLE / "seeds" / "000_fecfd22379664373.txt"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def gazetteer():
    return load_gazetteer(CONFIG / "gazetteer.toml")


@pytest.fixture(scope="session")
def registry():
    return load_registry(CONFIG / "suppliers.toml")


@pytest.fixture(scope="session")
def hints():
    return load_hints(CONFIG / "hints.toml")


@pytest.fixture(scope="session")
def seed_text():
    return SEED.read_text(encoding="utf-8")
