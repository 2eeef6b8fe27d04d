"""Country profiles: one TOML file per entity, every value with its evidence.

``load_profiles`` reads a directory of ``*.toml`` profiles, checks each against
the model (known indicators, derived ones left to the registry), checks every
article quote against the article text, and returns ``Profile`` objects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from riskscore.errors import DataError, EvidenceError
from riskscore.inputs.documents import Documents
from riskscore.inputs.registry import Registry
from riskscore.model.evidence import Article, Evidence, Observation
from riskscore.model.types import ROLES, Indicator, Model
from riskscore.support.checks import (
    ID_EXPECTED,
    entity_key,
    entity_name,
    id_problem,
    transform_expected,
    transform_problem,
)
from riskscore.support.problems import Collector, Reported, collector_or_raise
from riskscore.support.tomlio import Section, read_toml

if TYPE_CHECKING:
    from typing import Any


@dataclass(frozen=True)
class SupplierMention:
    supplier: str
    role: str
    project: str | None
    as_of: dt.date | None
    evidence: tuple[Evidence, ...]
    published: dt.date | None = None   # known from its first dated source


@dataclass(frozen=True)
class Profile:
    """One entity's evidence. ``series`` holds every observation of each indicator
    (several when dated observations are given); ``values`` the latest of each."""

    path: Path
    entity: str
    iso3: str | None
    as_of: dt.date | None
    values: dict[str, Observation]
    suppliers: tuple[SupplierMention, ...]
    series: dict[str, tuple[Observation, ...]] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)   # index.groups column -> group

    def observations(self, indicator: str) -> tuple[Observation, ...]:
        if indicator in self.series:
            return self.series[indicator]
        return (self.values[indicator],) if indicator in self.values else ()


def profile_files(directory: Path, collector: Collector | None = None) -> list[Path]:
    """The ``*.toml`` files in ``directory``, sorted.

    With a collector, other files that look like profiles (not hidden, not
    README or Markdown) are reported as warnings: they are ignored for their extension.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise DataError(directory, None, "profiles directory not found",
                        "a directory of <country>.toml profiles")
    files = sorted(p for p in directory.glob("*.toml") if p.is_file())
    if collector is not None:
        for other in sorted(directory.iterdir()):
            if (other.suffix != ".toml" and other.is_file() and not other.name.startswith(".")
                    and other.suffix.lower() != ".md" and other.stem.upper() != "README"):
                collector.warn(other, None, "is ignored: only files ending in .toml are profiles",
                               f"rename it to {other.stem.split('.')[0]}.toml if it is a profile, "
                               "or move it out of the profiles directory", code="ignored-file")
    if not files:
        raise DataError(directory, None, "holds no *.toml profiles", "at least one profile")
    return files


def load_profiles(directory: Path, model: Model, article: Article | Documents,
                  registry: Registry | None, collector: Collector | None = None) -> list[Profile]:
    """Read every profile in ``directory``; entities must be unique across files.

    ``article`` is the project's ``Documents`` (or, for a single-article project,
    its ``Article``, dated by the model's evidence_date).

    With a collecting ``collector`` every error of every file is recorded (a bad
    value, supplier or evidence item is left out, a file that cannot be parsed is
    skipped) and the profiles that could be read are returned.
    """
    collect = collector_or_raise(collector)
    documents = (article if isinstance(article, Documents)
                 else Documents.single(article, model.evidence_date))
    profiles: list[Profile] = []
    seen: dict[str, tuple[Path, str]] = {}
    for path in profile_files(directory, collector):
        with collect.attempt():
            profile = load_profile(path, model, documents, registry, collect)
            key = entity_key(profile.entity)
            if key in seen:
                other, name = seen[key]
                same = "" if name == profile.entity else f" as {name!r}"
                raise DataError(path, "entity", f"repeats {profile.entity!r}, already in "
                                f"{other.name}{same} (names are compared ignoring case, "
                                "spaces and compatibility forms such as ligatures)",
                                "one profile per entity")
            seen[key] = (path, profile.entity)
            profiles.append(profile)
    return profiles


def load_profile(path: Path, model: Model, documents: Documents,
                 registry: Registry | None, collector: Collector | None = None, *,
                 raw: dict[str, Any] | None = None) -> Profile:
    """One profile file (or, given ``raw``, the same structure as Python data; ``path``
    then only names it in messages)."""
    collect = collector_or_raise(collector)
    top = Section(read_toml(path, DataError) if raw is None else raw, path, "", DataError,
                  collect)
    entity = path.stem
    with collect.attempt():
        entity = entity_name(top.text("entity", required=True))
    iso3 = default_as_of = None
    with collect.attempt():
        iso3 = top.text("iso3")
        if iso3 is not None and (problem := id_problem(iso3)):
            iso3 = None
            top.fail("iso3", f"{problem} ({top.data['iso3']!r})", ID_EXPECTED)
    with collect.attempt():
        default_as_of = top.date("as_of")
    suppliers = []
    for item in top.table_list("suppliers"):
        with collect.attempt():
            suppliers.append(_read_supplier(item, documents, registry, default_as_of, entity,
                                            collect))
    series: dict[str, tuple[Observation, ...]] = {}
    for key, sec in top.sections("values"):
        with collect.attempt():
            indicator = model.indicators.get(key) or model.denominators.get(key)
            if indicator is None and key in model.invalid_ids:
                continue  # the model's own error about it is reported already
            if indicator is None:
                sec.fail(None, "is not an indicator of the model "
                         f"({model.path.name})", "one of " + ", ".join(model.indicators))
            if indicator.derive:
                sec.fail(None, f"is derived ({indicator.derive}) from [[suppliers]] and the "
                         "registry", "no [values] entry for a derived indicator")
            series[key] = _read_series(sec, entity, indicator, documents, default_as_of, collect)
    groups: dict[str, str] = {}
    with collect.attempt():
        groups = _read_groups(top, model)
    with collect.attempt():
        top.done()
    latest = {key: max(obs, key=lambda o: (o.as_of or dt.date.min, o.published or dt.date.min))
              for key, obs in series.items()}
    return Profile(path, entity, iso3, default_as_of, latest, tuple(suppliers), series, groups)


def _read_groups(top: Section, model: Model) -> dict[str, str]:
    """``groups = { column = "group" }``: the entity's group per ``index.groups`` column."""
    sec = top.section("groups")
    if sec is None:
        return {}
    out = {}
    for column in list(sec.data):
        if column not in model.group_columns:
            sec.fail(column, "is not a group column of the model",
                     "one of index.groups: " + (", ".join(model.group_columns) or "(none)"))
        out[column] = sec.text(column, required=True)
    sec.done()
    return out


def _read_series(sec: Section, entity: str, indicator: Indicator, documents: Documents,
                 default_as_of: dt.date | None, collect: Collector) -> tuple[Observation, ...]:
    """One value (the plain form) or several dated ``[[...observations]]``."""
    if not sec.has("observations"):
        return (_read_value(sec, entity, indicator, documents, default_as_of, collect),)
    items = sec.table_list("observations")
    if not items:
        sec.fail("observations", "is empty", "at least one [[...observations]] table")
    others = [k for k in sec.data if k != "observations"]
    if others:
        sec.fail(others[0], "is given beside observations",
                 "each observation's value, dates and evidence inside its own table")
    out = []
    seen: dict[tuple, str] = {}
    for item in items:
        if not item.has("as_of"):
            item.fail("as_of", "is missing", "the date the observation describes (reference date)")
        obs = _read_value(item, entity, indicator, documents, default_as_of, collect)
        key = (obs.as_of, obs.published)
        if key in seen:
            item.fail("as_of", f"repeats reference date {obs.as_of} and publication date "
                      f"{obs.published} of {seen[key]}",
                      "distinct dates (a revision is published later)")
        seen[key] = item.key
        out.append(obs)
    return tuple(out)


def _read_evidence_items(sec: Section, documents: Documents, context: str,
                         collect: Collector) -> tuple[Evidence, ...]:
    """Every evidence item of ``sec``; errors in several items are all recorded."""
    items, failed = [], False
    for item in sec.table_list("evidence"):
        with collect.attempt():
            failed = True
            items.append(_read_evidence(item, documents, context))
            failed = False
    if failed:
        raise Reported  # the enclosing value or supplier is left out; its errors are recorded
    return tuple(items)


def _read_value(sec: Section, entity: str, indicator: Indicator, documents: Documents,
                default_as_of: dt.date | None, collect: Collector) -> Observation:
    """One ``[values.ID]`` table: a value (with evidence), ``missing``, or ``absent``.

    A value outside the indicator's domain is recorded with the code ``out-of-domain``
    and, when collecting, kept, so that ``audit`` can say what it would do.
    """
    missing = sec.text("missing")
    absent = sec.text("absent")
    evidence = _read_evidence_items(sec, documents, f"{entity}, {indicator.id}", collect)
    as_of = sec.date("as_of", default_as_of)
    published = sec.date("published") or publication_date(evidence, documents)
    judgement = sec.text("judgement")
    if missing is not None and absent is not None:
        sec.fail("absent", "is given together with missing",
                 "missing (unknown) or absent (documented not to exist), not both")
    if missing is not None or absent is not None:
        given = "missing" if missing is not None else "absent"
        for forbidden in ("value", "lower", "upper"):
            if sec.has(forbidden):
                sec.fail(forbidden, f"is given together with {given}", f"either value or {given}")
    if missing is not None:
        sec.done()
        return Observation(entity, indicator.id, None, as_of=as_of, judgement=judgement,
                           evidence=evidence, missing_reason=missing, published=published)
    if absent is not None:
        if not evidence:
            sec.fail("evidence", "is missing", "evidence that documents the absence "
                     "(a search of named sources that found nothing, or a source saying so)")
        if indicator.no_risk_value is None:
            sec.fail("absent", f"is given, but {indicator.id} has neither goalposts nor an "
                     "absent_value to say what an absence counts as",
                     f"absent_value = <the no-risk value> in [indicators.{indicator.id}]")
        sec.done()
        return Observation(entity, indicator.id, indicator.no_risk_value, as_of=as_of,
                           judgement=judgement, evidence=evidence, absent=absent,
                           published=published)
    if not sec.has("value"):
        sec.fail("value", "is missing", 'a number, missing = "reason" when no evidence supports '
                 'one, or absent = "reason" when the evidence shows there is none')
    value = sec.number("value", required=True)
    lower = sec.number("lower")
    upper = sec.number("upper")
    if lower is not None and value < lower:
        sec.fail("value", f"is {value:g}, below lower {lower:g}", "lower <= value <= upper")
    if upper is not None and value > upper:
        sec.fail("value", f"is {value:g}, above upper {upper:g}", "lower <= value <= upper")
    transform = indicator.transform
    for name, number in (("value", value), ("lower", lower), ("upper", upper)):
        if number is not None and (problem := transform_problem(number, transform)):
            sec.fail(name, problem, transform_expected(transform))
    if indicator.domain is not None:
        for name, number in (("value", value), ("lower", lower), ("upper", upper)):
            if number is not None and (problem := indicator.domain.problem(number)):
                collect.error(DataError(sec.path, sec.keypath(name), problem,
                                        indicator.domain.describe()
                                        + (f" in {indicator.unit}" if indicator.unit else "")),
                              code="out-of-domain", entity=entity, indicator=indicator.id)
    if not evidence:
        sec.fail("evidence", "is missing", "at least one evidence item backing the value")
    sec.done()
    return Observation(entity, indicator.id, value, lower, upper, as_of, judgement, evidence,
                       published=published)


def publication_date(evidence: tuple[Evidence, ...], documents: Documents) -> dt.date | None:
    """When a value became known: the latest date of its evidence (all of it is needed
    to state the value as given); an article quote takes its document's date.
    None when no evidence item is dated."""
    dates = [d for d in (evidence_date(e, documents) for e in evidence) if d is not None]
    return max(dates) if dates else None


def evidence_date(item: Evidence, documents: Documents) -> dt.date | None:
    if item.date is not None:
        return item.date
    if item.kind == "article" and documents.default is not None:
        return documents.items[documents.default].date
    return None


def _read_evidence(sec: Section, documents: Documents, context: str) -> Evidence:
    kind = sec.text("kind", required=True, choices=("article", "external"))
    quote = sec.text("quote")
    if kind == "article":
        if quote is None:
            sec.fail("quote", "is missing", "a verbatim quote from the article")
        doc_id = sec.text("document")
        document = documents.resolve(doc_id, sec.path, sec.key)
        if not document.article.contains(quote):
            raise EvidenceError(sec.path, f"{sec.key}.quote",
                                f"is not in the {'document' if doc_id else 'article'} "
                                f"{document.article.path.name} ({context}): {quote[:80]!r}",
                                "a verbatim quote (only whitespace and curly quotes may differ)")
        evidence = Evidence("article", quote=quote, note=sec.text("note"), document=doc_id,
                            date=document.date if doc_id else None)
    else:
        evidence = Evidence("external", quote=quote, source=sec.text("source", required=True),
                            url=sec.text("url", required=True), date=sec.date("date", required=True),
                            note=sec.text("note"), retrospective=sec.text("retrospective"))
    sec.done()
    return evidence


def _read_supplier(sec: Section, documents: Documents, registry: Registry | None,
                   default_as_of: dt.date | None, entity: str,
                   collect: Collector) -> SupplierMention:
    supplier = sec.text("id", required=True)
    if registry is not None and registry.get(supplier) is None:
        sec.fail("id", f"is {supplier!r}, not in the registry {registry.path.name}",
                 "one of " + ", ".join(sorted(registry.suppliers)))
    mention = SupplierMention(
        supplier=supplier,
        role=sec.text("role", required=True, choices=ROLES),
        project=sec.text("project"),
        as_of=sec.date("as_of", default_as_of),
        evidence=_read_evidence_items(sec, documents, f"{entity}, supplier {supplier}", collect),
    )
    mention = replace(mention, published=sec.date("published") or min(
        [d for d in (evidence_date(e, documents) for e in mention.evidence) if d is not None],
        default=None))
    if not mention.evidence:
        sec.fail("evidence", "is missing", "evidence that the supplier is involved")
    sec.done()
    return mention
