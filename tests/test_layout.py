"""The package's layout is its architecture: dependencies between layers run one way.

Each sub-package of ``riskscore`` is a layer. A module may import from its own layer
and the layers below it, never from a layer above (``riskscore/__init__.py``, the
lazy library facade, and ``__main__`` are exempt). Imports inside functions count too:
a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "riskscore"
LAYERS = ["_version", "errors", "support", "model", "inputs", "engine", "analyses", "outputs", "api", "cli"]


def _layer(module: str) -> int:
    """The layer index of a dotted module name inside riskscore ('riskscore' itself is 0)."""
    parts = module.split(".")
    if len(parts) == 1:
        return LAYERS.index("cli")  # the facade `riskscore` itself reaches every layer
    return LAYERS.index(parts[1])


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found += [(node.lineno, name) for name in names
                  if name == "riskscore" or name.startswith("riskscore.")]
    return found


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py")
                  if p.relative_to(PACKAGE).as_posix() not in ("__init__.py", "__main__.py"))


def test_every_module_lives_in_a_layer():
    top_level = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert top_level == ["__init__.py", "__main__.py", "_version.py", "api.py", "errors.py"]
    packages = sorted(p.name for p in PACKAGE.iterdir()
                      if p.is_dir() and (p / "__init__.py").is_file())
    assert packages == sorted(set(LAYERS[2:]) - {"api"})


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_imports_run_downwards(path):
    own = _layer("riskscore." + path.relative_to(PACKAGE).with_suffix("").as_posix()
                 .replace("/", "."))
    upward = [f"line {line}: {name} ({LAYERS[_layer(name)]})"
              for line, name in _imports(path) if _layer(name) > own]
    assert not upward, f"{path.name} ({LAYERS[own]}) imports from a layer above: {upward}"


def test_the_check_catches_an_upward_import(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("def f():\n    from riskscore.cli.main import main\n", encoding="utf-8")
    assert _imports(module) == [(2, "riskscore.cli.main")]
    assert _layer("riskscore.cli.main") > _layer("riskscore.engine.aggregate")
