"""``riskscore validate``: every error in every file in one run, then the warnings.

Errors are what ``score`` would refuse; the loaders record them in a collecting
``Collector`` instead of stopping at the first, and the inputs are then scored
once so that nothing ``score`` rejects passes here. Warnings are what ``score``
accepts but a reader should not: placeholders left in a profile (``…``, TODO),
values beyond their goalposts, evidence addresses that are not web addresses,
files in the profiles directory ignored for their extension.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from riskscore.errors import RiskscoreError
from riskscore.support.problems import Collector, Problem

PLACEHOLDER = re.compile(r"…|\.\.\.|\b(?:TODO|TBD|FIXME|XXX)\b|^\s*REVIEW\b")


#: The kinds of file ``validate`` reads, in the order it reports them.
FILE_KINDS = ("model", "data", "profile", "article", "document", "registry")


@dataclass(frozen=True)
class CheckedFile:
    """One file ``validate`` read: its kind (one of ``FILE_KINDS``), path and what it holds
    ('' when it could not be read)."""

    kind: str
    path: str
    detail: str = ""

    def to_dict(self) -> dict:
        return {"kind": self.kind, "path": self.path, "detail": self.detail}


@dataclass(frozen=True)
class Validation:
    errors: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    checked: tuple[str, ...]      # what was read, one line each (only shown when valid)
    files: tuple[CheckedFile, ...] = ()   # every file read, in FILE_KINDS order

    @property
    def ok(self) -> bool:
        return not self.errors

    def rows(self) -> list[dict]:
        return [{"level": p.level, "code": p.code, "file": p.source, "key": p.key,
                 "message": p.message} for p in (*self.errors, *self.warnings)]


def validate(config: Path | str, *, profiles: Path | str | None = None,
             data: Path | str | None = None, sheet: str | None = None,
             article: Path | str | None = None, weights: dict[str, float] | None = None,
             as_of: dt.date | None = None, known_at: dt.date | None = None,
             columns=None) -> Validation:
    """Check the model, registry, profiles (or table) and article quotes without stopping.

    Returns every error and warning found; ``Validation.ok`` is true when there is no error.
    """
    from riskscore.engine.pipeline import collect_observations, load_inputs, resolve_as_of, score
    from riskscore.model.loader import load_model
    from riskscore.model.weights import apply_weight_overrides

    collector = Collector()
    checked: list[str] = []
    try:
        model = load_model(Path(config), collector, columns=columns)
    except RiskscoreError as err:
        collector.error(err)
        return Validation(tuple(collector.errors), tuple(collector.warnings), (),
                          (CheckedFile("model", str(config)),))
    checked.append(f"{config}: {len(model.indicators)} indicators under {len(model.nodes) - 1} nodes")
    with collector.attempt():
        model = apply_weight_overrides(model, weights or {})
    inputs = None
    with collector.attempt():
        inputs = load_inputs(model, profiles=profiles, data=data, sheet=sheet, article=article,
                             collector=collector)
    if inputs is None:
        return Validation(tuple(collector.errors), tuple(collector.warnings), tuple(checked),
                          checked_files(config, model, None))
    if inputs.kind == "profiles":
        for path in sorted(Path(inputs.source.path).glob("*.toml")):
            _placeholders(path, collector)
            _urls(path, collector)
        quotes = sum(1 for p in inputs.profiles for o in p.values.values()
                     for ev in o.evidence if ev.kind == "article")
        quotes += sum(1 for p in inputs.profiles for s in p.suppliers
                      for ev in s.evidence if ev.kind == "article")
        checked.append(f"{inputs.source.path}: {len(inputs.profiles)} profiles "
                       f"({', '.join(inputs.entities)}); {quotes} article quotes found verbatim "
                       f"in {inputs.article.path.name if inputs.article else 'no article'}")
        if inputs.registry is not None:
            checked.append(f"{inputs.registry.path}: {len(inputs.registry.suppliers)} suppliers")
    else:
        checked.append(f"{inputs.source.path}: {len(inputs.entities)} entities")
    observations = None
    if inputs.kind == "profiles" and model.registry_path is not None and inputs.registry is None:
        # The registry could not be read (an error already): derived values cannot be counted.
        return Validation(tuple(collector.errors), tuple(collector.warnings), tuple(checked))
    with collector.attempt():
        observations = collect_observations(model, inputs, "all",
                                            resolve_as_of(model, inputs, as_of), known_at)
    if observations is not None:
        _clipped(model, inputs, observations, collector)
    if not collector.errors:
        with collector.attempt():  # anything score would refuse is refused here too
            score(model, inputs, as_of=as_of, known_at=known_at)
    return Validation(tuple(collector.errors), tuple(collector.warnings), tuple(checked),
                      checked_files(config, model, inputs))


def checked_files(config: Path | str, model, inputs) -> tuple[CheckedFile, ...]:
    """Every file read for ``model`` and ``inputs`` (None when they could not be loaded):
    the model, the data table or each profile, the article and each document, the registry."""
    nodes = len(model.nodes) - 1       # the root is not counted
    count = len(model.indicators)
    files = [CheckedFile("model", str(config), f"{count} indicator{'s' if count != 1 else ''}"
                         + (f" under {nodes} node{'s' if nodes != 1 else ''}" if nodes else ""))]
    if inputs is None:
        if model.registry_path is not None:
            files.append(CheckedFile("registry", str(model.registry_path)))
        return tuple(files)
    if inputs.kind == "data":
        files.append(CheckedFile("data", str(inputs.source.path),
                                 f"{len(inputs.entities)} entities"))
        return tuple(files)
    entity_of = {str(p.path): p.entity for p in inputs.profiles}
    files += [CheckedFile("profile", str(f.path), entity_of.get(str(f.path), ""))
              for f in inputs.files]
    documents = inputs.documents
    if documents is not None:
        quotes: dict[str, int] = {}
        for profile in inputs.profiles:
            evidence = [ev for ind in sorted({*profile.values, *profile.series})
                        for o in profile.observations(ind) for ev in o.evidence]
            evidence += [ev for s in profile.suppliers for ev in s.evidence]
            for ev in evidence:
                if ev.kind == "article":
                    doc = ev.document or documents.default
                    quotes[doc] = quotes.get(doc, 0) + 1
        for doc_id, doc in sorted(documents.items.items(),
                                  key=lambda item: (item[0] != documents.default, item[0])):
            count = quotes.get(doc_id, 0)
            files.append(CheckedFile("article" if doc_id == documents.default else "document",
                                     str(doc.article.path),
                                     f"{count} quote{'s' if count != 1 else ''} found verbatim"))
    if inputs.registry is not None:
        files.append(CheckedFile("registry", str(inputs.registry.path),
                                 f"{len(inputs.registry.suppliers)} suppliers"))
    return tuple(files)


def _clipped(model, inputs, observations, collector: Collector) -> None:
    from riskscore.analyses.audit.ranges import goalpost_clips

    impossible = {(p.entity, p.indicator) for p in collector.errors if p.code == "out-of-domain"}
    for clip in goalpost_clips(model, observations):
        if (clip.entity, clip.indicator) in impossible:
            continue  # an error already; clipping is the least of it
        ind = model.indicators[clip.indicator]
        obs = observations[(clip.entity, clip.indicator)]
        source = inputs.source.path
        for profile in inputs.profiles:
            if profile.entity == clip.entity:
                source = str(profile.path)
        collector.warn(source, f"values.{clip.indicator}" if not obs.derivation else None,
                       clip.sentence(ind.unit),
                       "check the value and its unit; if the goalposts cap it by design, accept "
                       f"it in the model ([[audit.accept]] code = \"clipped\", indicator = "
                       f"\"{clip.indicator}\")", code="clipped", entity=clip.entity,
                       indicator=clip.indicator)


def _placeholders(path: Path, collector: Collector) -> None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return  # the loader has reported it
    for key, text in _strings(data, ""):
        if PLACEHOLDER.search(text):
            collector.warn(path, key, f"looks like a placeholder: {text[:60]!r}",
                           "replace it with the real text, or delete the key", code="placeholder")


# Evidence addresses a reader can follow: the report links only these (see the escaper).
WEB_ADDRESS = re.compile(r"(?i)(?:https?://[^\s/\\]|doi:\s*10\.)")


def _urls(path: Path, collector: Collector) -> None:
    """Warn about an evidence ``url`` that is not an http(s) or doi: address (a
    ``javascript:`` link or ``x><script>`` is shown as text, never linked, but is no source)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return  # the loader has reported it
    for key, text in _strings(data, ""):
        if key.rsplit(".", 1)[-1] == "url" and not WEB_ADDRESS.match(text.strip()):
            collector.warn(path, key, f"is {text[:80]!r}, not a web address",
                           "an http:// or https:// address, or doi:10.…; the report shows "
                           "anything else as text, not as a link", code="url")


def _strings(value: Any, key: str) -> Iterator[tuple[str, str]]:
    """Every string in a TOML document with its key path, except verbatim quotes."""
    if isinstance(value, dict):
        for name, item in value.items():
            if name != "quote":
                yield from _strings(item, f"{key}.{name}" if key else name)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{key}[{i}]")
    elif isinstance(value, str):
        yield key, value
