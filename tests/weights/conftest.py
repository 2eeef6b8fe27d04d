"""A small project on a data table: three indicators under the index, eight entities."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import write

MODEL = """
[index]
id = "risk"
label = "Risk"

[indicators.p]
goalposts = [0, 10]
weight = 2

[indicators.q]
goalposts = [0, 10]

[indicators.r]
goalposts = [0, 10]
"""

DATA = """
entity,p,q,r
Aland,1,2,9
Borduria,2,4,7
Carpania,3,5,8
Dorvia,4,3,2
Elbonia,5,8,4
Freedonia,6,7,1
Genovia,7,9,5
Hyrkania,,1,3
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path / "riskscore.toml", 'name = "t"\nmodel = "model.toml"\ndata = "data.csv"\n')
    write(tmp_path / "model.toml", MODEL)
    write(tmp_path / "data.csv", DATA)
    return tmp_path
