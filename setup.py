"""Build step: ship the example project (riskscore.toml, config/, seeds/) inside the wheel.

The example's files live once, at the repository root (which is itself a project).
A wheel gets a copy at ``riskscore/_example`` made here at build time; an editable
install reads the repository root directly (see ``riskscore.inputs.project.example_root``).
Everything else is declared in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

EXAMPLE = ("riskscore.toml", "config", "seeds")


class BuildWithExample(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # the source tree is the example
        root = Path(__file__).resolve().parent
        target = Path(self.build_lib) / "riskscore" / "_example"
        shutil.rmtree(target, ignore_errors=True)
        for part in EXAMPLE:
            source = root / part
            if source.is_dir():
                shutil.copytree(source, target / part,
                                ignore=shutil.ignore_patterns("__pycache__", ".*"))
            else:
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target / part)


setup(cmdclass={"build_py": BuildWithExample})
