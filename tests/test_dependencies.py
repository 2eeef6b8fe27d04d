"""Every library the package imports is a runtime dependency (a plain install runs every command).

Parses every module of ``riskscore`` (imports inside functions included: a lazy import is
still needed when that function runs) and checks each top-level module that is neither the
standard library nor riskscore against ``[project] dependencies`` in pyproject.toml. The
class of defect this designs out: scikit-learn was a test dependency while ``audit`` and
``report`` imported it for indices of ten or more entities.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Import names whose distribution is named otherwise on PyPI.
DISTRIBUTION = {"sklearn": "scikit-learn", "yaml": "pyyaml", "PIL": "pillow"}


def imported_top_level_modules() -> dict[str, str]:
    """{module: 'path:line' of its first import} for every non-relative import in riskscore."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "riskscore").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                found.setdefault(top, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def declared_dependencies() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {re.split(r"[<>=!~\[; ]", spec, maxsplit=1)[0].strip().lower()
            for spec in project["dependencies"]}


def test_every_third_party_import_is_a_runtime_dependency():
    declared = declared_dependencies()
    missing = [f"{module} (first imported at {where})"
               for module, where in sorted(imported_top_level_modules().items())
               if module not in sys.stdlib_module_names and module != "riskscore"
               and DISTRIBUTION.get(module, module).lower() not in declared]
    assert not missing, "imported but not in [project] dependencies: " + "; ".join(missing)


def test_the_check_sees_lazy_imports_and_the_learning_library():
    modules = imported_top_level_modules()
    assert "sklearn" in modules and "matplotlib" in modules  # both imported inside functions
    assert "scikit-learn" in declared_dependencies()


def test_no_dependency_is_declared_twice():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = [re.split(r"[<>=!~\[; ]", spec, maxsplit=1)[0].strip().lower()
             for spec in project["dependencies"]]
    assert len(names) == len(set(names)), names
