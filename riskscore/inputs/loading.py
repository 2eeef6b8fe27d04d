"""The entities and raw values to score: from profiles, or from a wide CSV table.

``InputSet`` records where everything came from (paths and sha256) for the
reproducibility block of the JSON and the report.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from riskscore.errors import ConfigError
from riskscore.inputs.datatable import load_table
from riskscore.inputs.documents import Documents, load_documents
from riskscore.inputs.profiles import Profile, load_profiles, profile_files
from riskscore.inputs.registry import Registry, load_registry
from riskscore.model.definition import Model
from riskscore.model.evidence import Article, Observation
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
    table: dict[tuple[str, str], tuple[Observation, ...]] | None = None  # dated when a panel
    article: Article | None = None
    registry: Registry | None = None
    documents: Documents | None = None
    groups: dict[tuple[str, str], str] = field(default_factory=dict)   # (entity, column) -> text
    labels: dict[str, str] = field(default_factory=dict)   # entity -> a table's label cell
    extras: dict[tuple[str, str], float | str] = field(default_factory=dict)  # kept cells
    kept: tuple[str, ...] = ()                              # a table's kept columns

    def group(self, entity: str, column: str) -> str | None:
        """The entity's group in ``column`` (a table's group column or a profile's groups)."""
        return self.groups.get((entity, column))

    def label(self, entity: str) -> str:
        """The entity's display label: its label cell, else the entity id itself."""
        return self.labels.get(entity) or entity

    def extra(self, entity: str, column: str) -> float | str | None:
        """A kept column's cell for the entity (a number if it reads as one), or None."""
        return self.extras.get((entity, column))

    def reference_block(self) -> dict:
        block = {self.kind: {**self.source.to_dict(),
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


def load_table_inputs(model: Model, data_path: Path, sheet: str | None = None,
                      collector: Collector | None = None) -> InputSet:
    """A data table read by the roles of ``model.columns``; ``collector`` as for profiles."""
    loaded = load_table(Path(data_path), model, sheet, collector)
    ref = FileRef.of(Path(data_path))
    table: dict[tuple[str, str], tuple[Observation, ...]] = {}
    for o in loaded.observations:
        table[(o.entity, o.indicator)] = (*table.get((o.entity, o.indicator), ()), o)
    return InputSet("data", ref, (ref,), tuple(loaded.entities), table=table,
                    groups=loaded.groups, labels=loaded.labels, extras=loaded.extras,
                    kept=loaded.kept)
