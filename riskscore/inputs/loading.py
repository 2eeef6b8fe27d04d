"""The entities and raw values to score: from profiles, or from a wide CSV table.

``InputSet`` records where everything came from (paths and sha256) for the
reproducibility block of the JSON and the report.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from riskscore.errors import ArgumentError, ConfigError
from riskscore.inputs.columnar import ColumnTable, read_clean_csv
from riskscore.inputs.datatable import load_table
from riskscore.inputs.documents import Documents, load_documents
from riskscore.inputs.memory import MemoryTable
from riskscore.inputs.profiles import Profile, load_profiles, profile_files
from riskscore.inputs.registry import Registry, load_registry
from riskscore.model.evidence import Article, Observation
from riskscore.model.types import Model
from riskscore.support.problems import Collector, collector_or_raise


@dataclass(frozen=True)
class FileRef:
    path: str
    sha256: str

    @classmethod
    def of(cls, path: Path) -> FileRef:
        return cls(str(path), hashlib.sha256(Path(path).read_bytes()).hexdigest())

    def to_dict(self) -> dict:
        return {"path": self.path, "sha256": self.sha256}


@dataclass(frozen=True)
class InputSet:
    kind: str                                   # "profiles" or "data"
    source: FileRef                             # the profiles directory (combined hash) or CSV
    files: tuple[FileRef, ...]
    entities: tuple[str, ...]
    profiles: tuple[Profile, ...] = ()
    table: Mapping[tuple[str, str], tuple[Observation, ...]] | None = None  # dated if a panel
    article: Article | None = None
    registry: Registry | None = None
    documents: Documents | None = None
    groups: dict[tuple[str, str], str] = field(default_factory=dict)   # (entity, column) -> text
    labels: dict[str, str] = field(default_factory=dict)   # entity -> a table's label cell
    extras: dict[tuple[str, str], float | str] = field(default_factory=dict)  # kept cells
    kept: tuple[str, ...] = ()                              # a table's kept columns
    notes: tuple[str, ...] = ()   # what reading them noticed (hidden sheets skipped, ...)

    def group(self, entity: str, column: str) -> str | None:
        """The entity's group in ``column`` (a table's group column or a profile's groups)."""
        return self.groups.get((entity, column))

    def label(self, entity: str) -> str:
        """The entity's display label: its label cell, else the entity id itself."""
        return self.labels.get(entity) or entity

    def extra(self, entity: str, column: str) -> float | str | None:
        """A kept column's cell for the entity (a number if it reads as one), or None."""
        return self.extras.get((entity, column))

    def reference_block(self) -> dict[str, Any]:
        block: dict[str, Any] = {self.kind: {**self.source.to_dict(),
                             "files": [f.to_dict() for f in self.files]}}
        if self.article is not None:
            block["article"] = {"path": str(self.article.path), "sha256": self.article.sha256}
        if self.registry is not None:
            block["registry"] = FileRef.of(self.registry.path).to_dict()
        if self.documents is not None and len(self.documents.items) > 1:
            block["documents"] = [d.to_dict() for _, d in sorted(self.documents.items.items())]
        return block

    @property
    def evidence_dates(self) -> list[dt.date]:
        """The profiles' as-of dates, or a panel's dates (the default as-of is the latest)."""
        if isinstance(self.table, ColumnTable):
            return []                      # read by column only when not a panel
        if self.table is not None:
            return [o.as_of for obs in self.table.values() for o in obs if o.as_of is not None]
        return [p.as_of for p in self.profiles if p.as_of is not None]

    def series(self, entity: str, indicator: str) -> tuple[Observation, ...]:
        """Every observation of a non-derived indicator for an entity (may be empty)."""
        if self.table is not None:
            return self.table.get((entity, indicator), ())
        profile = next(p for p in self.profiles if p.entity == entity)
        return profile.observations(indicator)


def load_profile_inputs(model: Model, profiles_dir: Path, article_path: Path | None = None,
                        collector: Collector | None = None) -> InputSet:
    """Profiles, their article and the registry. A collecting ``collector`` records every
    error (see ``riskscore.support.problems``); an unreadable registry is then recorded too."""
    collect = collector_or_raise(collector)
    profiles_dir = Path(profiles_dir)
    files = tuple(FileRef.of(p) for p in profile_files(profiles_dir, collector))
    documents = load_documents(profiles_dir.parent, article_path, model.evidence_date)
    registry = None
    if model.registry_path is not None:
        with collect.attempt():
            registry = load_registry(model.registry_path, collector)
    elif any(ind.derive for ind in model.indicators.values()):
        derived = next(i for i in model.indicators.values() if i.derive)
        raise ConfigError(model.path, "index.registry", "is missing",
                          f"the path of a supplier registry, since {derived.id} is derived")
    profiles = tuple(load_profiles(profiles_dir, model, documents, registry, collector))
    combined = hashlib.sha256("".join(f"{Path(f.path).name}:{f.sha256}\n"
                                      for f in files).encode()).hexdigest()
    groups = {(p.entity, column): text for p in profiles for column, text in p.groups.items()}
    return InputSet("profiles", FileRef(str(profiles_dir), combined), files,
                    tuple(p.entity for p in profiles), profiles=profiles,
                    article=documents.article, registry=registry, documents=documents,
                    groups=groups)


def load_profile_mappings(model: Model, profiles: Mapping[str, Any] | Sequence[Any],
                          article_path: Path | None = None,
                          collector: Collector | None = None) -> InputSet:
    """Profiles given as Python data: a mapping of names to mappings with a profile file's
    structure (``{"tajikistan": {"entity": "Tajikistan", "values": {...}}}``), or a list
    of ``Profile`` objects (as ``load_profile`` returns them). Article quotes are checked
    against ``article_path`` (none given: a quote is an error naming its document). The
    registry is the model's, as for files."""
    import json

    from riskscore.inputs.profiles import load_profile
    from riskscore.model.evidence import Article as ArticleText
    from riskscore.model.loader import _plain

    collect = collector_or_raise(collector)
    documents = (Documents.single(ArticleText.load(Path(article_path)), model.evidence_date)
                 if article_path is not None else Documents({}))
    registry = load_registry(model.registry_path, collector) \
        if model.registry_path is not None else None
    loaded: list[Profile] = []
    prints: list[str] = []
    if isinstance(profiles, Mapping):
        for name, raw in profiles.items():
            with collect.attempt():
                plain = _plain(raw, f"profiles[{name!r}]")
                if not isinstance(plain, dict):
                    raise ArgumentError(f"profiles[{name!r}]", f"is a {type(raw).__name__}",
                                        "a mapping with a profile file's structure")
                loaded.append(load_profile(Path(f"profiles[{name!r}]"), model, documents,
                                           registry, collect, raw=plain))
                prints.append(json.dumps([name, plain], sort_keys=True, default=str))
    else:
        for number, item in enumerate(profiles):
            if not isinstance(item, Profile):
                raise ArgumentError(f"profiles[{number}]", f"is a {type(item).__name__}",
                                    "a Profile, or give profiles as a mapping of names to "
                                    "profile mappings")
            loaded.append(item)
            prints.append(repr(item))
    seen: set[str] = set()
    for profile in loaded:
        if profile.entity.casefold() in seen:
            raise ArgumentError("profiles", f"holds {profile.entity!r} twice",
                                "one profile per entity")
        seen.add(profile.entity.casefold())
    source = FileRef("profiles", hashlib.sha256("\n".join(prints).encode()).hexdigest())
    groups = {(p.entity, column): text for p in loaded for column, text in p.groups.items()}
    return InputSet("profiles", source, (), tuple(p.entity for p in loaded),
                    profiles=tuple(loaded), article=documents.article, registry=registry,
                    documents=documents, groups=groups)


def load_table_inputs(model: Model, data_path: Path | MemoryTable, sheet: str | None = None,
                      collector: Collector | None = None) -> InputSet:
    """A data table read by the roles of ``model.columns`` from a file, or a DataFrame's
    rows (``MemoryTable``); ``collector`` as for profiles. What reading noticed without
    an error (hidden sheets skipped, ...) is kept in ``notes``.

    A clean CSV table is read by column (``riskscore.inputs.columnar``); any other the
    row-by-row reader reads, with its messages.
    """
    collect = collector_or_raise(collector)
    before = len(collect.warnings)
    if isinstance(data_path, MemoryTable):
        if sheet is not None:
            raise ArgumentError("sheet", f"is {sheet!r} with a DataFrame as data",
                                "sheet only with an .xlsx workbook's path")
        loaded = load_table(data_path, model, None, collect)
        ref = FileRef(data_path.name, data_path.sha256)
    else:
        clean = read_clean_csv(Path(data_path), model, sheet)
        if clean is not None:
            ref = FileRef.of(Path(data_path))
            return InputSet("data", ref, (ref,), clean.entities, table=clean,
                            groups=clean.groups, labels=clean.labels, extras=clean.extras,
                            kept=clean.kept)
        loaded = load_table(Path(data_path), model, sheet, collect)
        ref = FileRef.of(Path(data_path))
    notes = tuple(w.message for w in collect.warnings[before:])
    table: dict[tuple[str, str], tuple[Observation, ...]] = {}
    for o in loaded.observations:
        table[(o.entity, o.indicator)] = (*table.get((o.entity, o.indicator), ()), o)
    return InputSet("data", ref, (ref,), tuple(loaded.entities), table=table,
                    groups=loaded.groups, labels=loaded.labels, extras=loaded.extras,
                    kept=loaded.kept, notes=notes)
