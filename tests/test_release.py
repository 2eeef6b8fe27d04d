"""Release metadata: the licence pyproject declares is the LICENSE file's, the version lives
in one module, the changelog has a section for it, and each dependency is listed once."""

from __future__ import annotations

import re
import tomllib

from support import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_license_file_is_the_mit_licence_pyproject_declares():
    assert PYPROJECT["project"]["license"] == "MIT"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Permission is hereby granted, free of charge" in text


def test_version_is_read_from_its_own_module_and_has_a_changelog_section():
    import riskscore
    from riskscore._version import __version__

    assert "version" in PYPROJECT["project"]["dynamic"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "riskscore._version.__version__"}
    assert riskscore.__version__ == __version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"\n## [{__version__}] - " in changelog


def test_each_dependency_is_listed_once():
    names = [re.match(r"[A-Za-z0-9_.-]+", d).group(0).lower()
             for d in PYPROJECT["project"]["dependencies"]]
    assert len(names) == len(set(names)), names


def test_package_data_ships_py_typed():
    assert "py.typed" in PYPROJECT["tool"]["setuptools"]["package-data"]["riskscore"]
    assert (ROOT / "riskscore" / "py.typed").exists()
