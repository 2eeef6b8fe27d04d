"""Projects: a folder holding an index's files, found like git or ruff find theirs.

A project is a folder with a ``riskscore.toml`` that names the files the index is
made of (paths relative to the project file)::

    model = "config/model.toml"
    profiles = "seeds/profiles"
    article = "seeds/000_fecfd22379664373.txt"
    sensitivity = "config/sensitivity.toml"
    gazetteer = "config/gazetteer.toml"
    hints = "config/hints.toml"
    report = "reports/risk-report.md"

    [columns]              # optional: the data table's column roles (replaces the model's)
    id = "iso3"
    label = "name"

``find_project`` walks up from a folder to the nearest project file;
``init_project`` creates a project from the shipped example (or a blank skeleton).
The shipped example is the Central Asia index: in a source checkout it is the
repository itself (the root is a project), in an installed wheel a copy made at
build time (``riskscore/_example``, see ``setup.py``), so there is one set of files.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from riskscore.errors import ConfigError
from riskscore.model.columns import read_columns
from riskscore.support.tomlio import Section, read_toml

PROJECT_FILE = "riskscore.toml"

# key -> (default path relative to the project file, what it is)
PROJECT_KEYS: dict[str, tuple[str | None, str]] = {
    "model": ("config/model.toml", "the model (hierarchy, goalposts, weights)"),
    "profiles": ("seeds/profiles", "the directory of country profiles"),
    "data": (None, "a wide table to score instead of profiles"),
    "article": (None, "the document that article quotes are checked against"),
    "sensitivity": ("config/sensitivity.toml", "what the robustness analysis varies"),
    "gazetteer": ("config/gazetteer.toml", "places and aliases for riskscore extract"),
    "hints": ("config/hints.toml", "indicator hints for riskscore extract"),
    "registry": ("config/suppliers.toml", "the supplier registry riskscore extract matches"),
    "report": ("reports/risk-report.md", "where riskscore report writes"),
}

# The files of the example that `init` copies, relative to the example's root.
EXAMPLE_FILES = ("riskscore.toml", "config", "seeds")


class NoProjectError(ConfigError):
    """The current folder is not inside a project (and no --project was given)."""


@dataclass(frozen=True)
class Project:
    """A project file and the paths it names, resolved against its folder."""

    path: Path            # the riskscore.toml
    name: str
    paths: dict[str, Path | None]
    columns: dict | None = None   # the [columns] table, if any (riskscore.model.columns)
    given: frozenset[str] = frozenset()   # the keys the file sets (the rest are defaults)
    written: dict[str, str] = field(default_factory=dict)   # key -> the path as written

    def columns_section(self) -> Section | None:
        """The project's ``[columns]`` for ``load_model(columns=...)``, or None."""
        if self.columns is None:
            return None
        return Section(self.columns, self.path, "columns", ConfigError)

    @classmethod
    def find(cls, start: Path | str | None = None) -> Project:
        """The project ``start`` (default: the current folder) belongs to: the nearest
        ``riskscore.toml`` there or above. Raises NoProjectError saying how to start one."""
        return find_project(Path(start) if start is not None else None)

    @classmethod
    def open(cls, directory: Path | str) -> Project:
        """The project in ``directory`` (its ``riskscore.toml`` may be named instead)."""
        return open_project(Path(directory))

    @property
    def root(self) -> Path:
        return self.path.parent

    def get(self, key: str) -> Path | None:
        """The path the project names for ``key`` (relative to the current folder if below it)."""
        value = self.paths.get(key)
        return None if value is None else display_path(value)

    def output(self, key: str) -> Path | None:
        """The path the project names for the output ``key`` (``report``), which must stay
        inside the project's folder: a cloned project must not choose where a plain command
        writes (``../escaped/r.md``, ``~/.bashrc``). Symbolic links are followed before the
        check. Raises ConfigError naming the key otherwise (``--output`` may go anywhere).
        """
        value = self.paths.get(key)
        if value is None:
            return None
        root = Path(self.path).absolute().parent.resolve()
        target = Path(value).absolute().resolve()
        if target != root and root not in target.parents:
            raise ConfigError(self.path, key, f"is {self.written.get(key, str(value))!r}, which "
                              f"leaves the project folder ({target})",
                              "a path inside the project's folder (a file named by a project "
                              "file is written only there; give --output to write elsewhere)")
        return display_path(value)



def display_path(path: Path) -> Path:
    """``path`` relative to the current folder (as a user would type it), else absolute."""
    try:
        return Path(os.path.relpath(path))
    except ValueError:  # another drive (Windows)
        return Path(path)


def load_project(path: Path) -> Project:
    """Read a project file strictly: unknown keys are errors naming the key."""
    path = Path(path).absolute()
    top = Section(read_toml(path, ConfigError), path, "", ConfigError)
    name = top.text("name", path.parent.name)
    paths: dict[str, Path | None] = {}
    written: dict[str, str] = {}
    for key, (default, _what) in PROJECT_KEYS.items():
        given = top.text(key, default)
        paths[key] = None if given is None else (path.parent / given)
        if given is not None:
            written[key] = given
    columns = top.section("columns")
    if columns is not None:
        read_columns(columns)          # its errors now, naming riskscore.toml
    top.done()
    return Project(display_path(path), name, paths,
                   dict(columns.data) if columns is not None else None,
                   frozenset(k for k in ("name", *PROJECT_KEYS) if top.has(k)), written)


def find_project_file(start: Path | None = None) -> Path | None:
    """The nearest ``riskscore.toml`` in ``start`` (default: the current folder) or above it."""
    here = Path(start or Path.cwd()).absolute()
    for folder in (here, *here.parents):
        candidate = folder / PROJECT_FILE
        if candidate.is_file():
            return candidate
    return None


def find_project(start: Path | None = None) -> Project:
    """The project the current folder belongs to; a readable error if there is none."""
    found = find_project_file(start)
    if found is None:
        here = Path(start or Path.cwd()).absolute()
        raise NoProjectError(here, None,
                          f"is not inside a riskscore project (no {PROJECT_FILE} here or in "
                          "any folder above)",
                          "a project: create one with 'riskscore init DIR' (the Central Asia "
                          "example) or 'riskscore init --blank DIR', then cd into it; or pass "
                          "--project DIR (or --config and --profiles)")
    return load_project(found)


def open_project(directory: Path) -> Project:
    """The project in ``directory`` (for ``--project DIR``); the file itself is accepted too."""
    directory = Path(directory)
    candidate = directory if directory.name == PROJECT_FILE else directory / PROJECT_FILE
    if not candidate.is_file():
        raise ConfigError(directory, None, f"has no {PROJECT_FILE}",
                          "a project folder (create one with 'riskscore init DIR')")
    return load_project(candidate)


# ---- the shipped example ------------------------------------------------------------


def example_root() -> Path:
    """The folder holding the shipped example (``riskscore.toml``, ``config/``, ``seeds/``).

    In an installed wheel this is ``riskscore/_example`` (copied at build time); in a
    source checkout (editable install) it is the repository root itself.
    """
    package = Path(__file__).resolve().parent.parent  # riskscore/, the package root
    for candidate in (package / "_example", package.parent):
        if (candidate / PROJECT_FILE).is_file() and (candidate / "config" / "model.toml").is_file():
            return candidate
    raise ConfigError(package, None, "holds no shipped example",
                      "riskscore/_example from the wheel, or a source checkout; reinstall "
                      "riskscore, or use 'riskscore init --blank'")


def init_project(directory: Path, *, blank: bool = False, profiles: bool = False,
                 coinr: tuple[Path, Path] | None = None) -> list[Path]:
    """Create a project in ``directory`` (made if missing; must not already hold one).

    The shipped example is copied whole; ``blank`` writes a data-table skeleton (a
    model with [columns] roles and a small table) instead, or with ``profiles`` the
    evidence-profile skeleton (one worked indicator, two profiles, an article);
    ``coinr`` (iData, iMeta) a project made from COINr's two tables (every table
    error is raised before anything is written). Returns the files written. Raises
    ConfigError if the folder already holds a project or files that would be overwritten.
    """
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise ConfigError(directory, None, "is a file", "a new or empty folder for the project")
    if (directory / PROJECT_FILE).exists():
        raise ConfigError(directory / PROJECT_FILE, None, "already exists",
                          "a folder without a project (riskscore init never overwrites)")
    files: dict[str, Path | str]
    if coinr is not None:
        from riskscore.inputs.coinr import project_files, read_coinr

        idata, imeta = coinr
        files = dict(project_files(read_coinr(idata, imeta), Path(idata).name,
                                   Path(imeta).name))
    else:
        files = _blank_files(profiles) if blank else _example_files()
    clashes = [rel for rel in files if (directory / rel).exists()]
    if clashes:
        raise ConfigError(directory / clashes[0], None, "already exists",
                          "a new or empty folder (riskscore init never overwrites files)")
    written = []
    for rel, content in files.items():
        target = directory / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copyfile(content, target)
        else:
            target.write_text(content, encoding="utf-8")
        written.append(target)
    return written


def _example_files() -> dict[str, Path | str]:
    root = example_root()
    files: dict[str, Path | str] = {}
    for part in EXAMPLE_FILES:
        source = root / part
        if source.is_file():
            files[part] = source
            continue
        for path in sorted(source.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                files[path.relative_to(root).as_posix()] = path
    files["README.md"] = EXAMPLE_README
    return files


def _blank_files(profiles: bool = False) -> dict[str, Path | str]:
    from riskscore.inputs import skeleton

    return dict(skeleton.FILES if profiles else skeleton.DATA_FILES)


EXAMPLE_README = """\
# A riskscore project

This folder is a riskscore project: `riskscore.toml` names its files, and every `riskscore`
command run here or in a folder below finds them (or pass `--project DIR` from anywhere).

It starts as the shipped example, "Digital Silk Road surveillance risk" in Central Asia:

| file | what |
|---|---|
| `riskscore.toml` | the project file: paths to everything below |
| `config/model.toml` | the model: dimensions, indicators, goalposts and weights |
| `config/suppliers.toml` | the dated supplier registry (sanctions and listings) |
| `config/sensitivity.toml` | what `riskscore sensitivity` and the report's robustness section vary |
| `config/gazetteer.toml`, `config/hints.toml` | places and indicator hints for `riskscore extract` |
| `seeds/profiles/*.toml` | one profile per country: values with their evidence |
| `seeds/*.txt` | the article that quotes are checked against |

Try:

```bash
riskscore list countries        # what the project holds
riskscore score                 # the ranked table
riskscore explain TJK           # why Tajikistan scores what it does
riskscore score --weight debt=0.4   # a what-if weight
riskscore validate              # after editing any file
```

These files are yours to edit: change a weight in `config/model.toml`, add a profile,
then run `riskscore validate` and `riskscore score`.
"""
