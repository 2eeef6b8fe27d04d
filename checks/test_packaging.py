"""A built wheel carries the shipped example: `riskscore init` works from a real install.

Slow (it builds a wheel), so CI runs it with the other checks rather than in the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_the_example_and_init_works(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w",
                    str(tmp_path / "dist"), str(ROOT)], check=True, timeout=600)
    wheel = next((tmp_path / "dist").glob("riskscore-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for part in ("riskscore.toml", "config/model.toml", "config/suppliers.toml",
                 "config/sensitivity.toml", "config/gazetteer.toml", "config/hints.toml",
                 "seeds/000_fecfd22379664373.txt", "seeds/profiles/tajikistan.toml"):
        assert f"riskscore/_example/{part}" in names, part
    assert "riskscore/py.typed" in names  # PEP 561: type checkers read the package's annotations
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("METADATA")))
    assert b"\nVersion: " + _release_version().encode() + b"\n" in metadata
    # Installed on its own (dependencies from this environment), far from the source tree.
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
                    str(target), str(wheel)], check=True, timeout=600)
    env = {**os.environ, "PYTHONPATH": str(target)}
    work = tmp_path / "work"
    work.mkdir()

    def riskscore(*args, cwd):
        return subprocess.run([sys.executable, "-m", "riskscore", *args], cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=300)

    where = subprocess.run([sys.executable, "-c", "import riskscore; print(riskscore.__file__)"],
                           cwd=work, env=env, capture_output=True, text=True, check=True)
    assert where.stdout.startswith(str(target)), where.stdout  # the wheel, not the checkout
    made = riskscore("init", "my-index", cwd=work)
    assert made.returncode == 0, made.stderr
    assert (work / "my-index" / "config" / "model.toml").read_bytes() == \
        (ROOT / "config" / "model.toml").read_bytes()
    scored = riskscore("score", "--format", "csv", cwd=work / "my-index" / "seeds")
    assert scored.returncode == 0, scored.stderr
    assert len(scored.stdout.splitlines()) == 1 + len(list((ROOT / "seeds" / "profiles")
                                                           .glob("*.toml")))
    imported = riskscore("init", "--blank", "blank", cwd=work)
    assert imported.returncode == 0, imported.stderr


def _release_version() -> str:
    """The version CHANGELOG.md's latest release heading names ('## [0.1.0] - ...')."""
    import re

    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    return re.search(r"^## \[(\d+\.\d+\.\d+)\]", text, re.M).group(1)
