"""Evidence checks: one fact counted several times, time leakage, judgements, proxies, lone sources.

- **Shared evidence.** A supplier, a source (URL) or a quote behind several indicators of
  one entity is one fact counted several times. The finding lists the indicators and
  the share of the entity's score that rests on them.
- **Time.** A value counted although it describes a date after the as-of date is an
  error (time leakage; the engine's dated selection should prevent it). Observations
  describing later dates, which the engine leaves out on the as-of date, are a note.
  A value counted although it describes a date more than two years before the as-of
  date (``long-gap``) is a warning: the world may have moved since.
  A source published after the as-of date may still describe the earlier state (a
  retrospective figure); it says so with ``retrospective = "…"`` on the evidence
  item, else it is a warning.
- **Judgements, proxies, single sources.** A value with a ``judgement`` rests on a coding
  call (a note); one whose judgement calls it a proxy measures something else (a
  warning); one with a single evidence item is uncorroborated (a note).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict

from riskscore.analyses.audit.findings import Finding, finding
from riskscore.inputs.extract.suppliers import find_suppliers
from riskscore.model.evidence import normalise_quote

_PROXY = re.compile(r"\bprox(?:y|ies)\b", re.IGNORECASE)


def check(result) -> list[Finding]:
    findings: list[Finding] = []
    for e, entity in enumerate(result.entities):
        findings += _shared(result, e, entity)
        for ind_id in result.hierarchy.indicator_ids:
            obs = result.observations[(entity, ind_id)]
            findings += _dates(result, entity, ind_id, obs)
            findings += _later(result, entity, ind_id, obs)
            findings += _gap(result, entity, ind_id, obs)
            if obs.is_missing or obs.derivation:
                continue
            findings += _coding(entity, ind_id, obs)
    return findings


def _facts(result, entity: str, ind_id: str, obs) -> set[tuple[str, str]]:
    """The facts behind one value: ("supplier", id), ("source", url), ("quote", text)."""
    facts: set[tuple[str, str]] = set()
    facts.update(("supplier", s) for s in obs.suppliers)
    registry = result.inputs.registry
    texts = [obs.judgement or ""]
    for item in obs.evidence:
        if item.kind == "data":
            continue
        if item.url:
            facts.add(("source", _url_key(item.url)))
        if item.quote:
            facts.add(("quote", normalise_quote(item.quote)))
            texts.append(item.quote)
    if registry is not None and not obs.derivation:
        text = " ".join(texts)
        # a negated mention ("no Huawei equipment") is not a supplier behind the value
        facts.update(("supplier", m.id) for m in find_suppliers(text, registry, ignore_case=True)
                     if not m.negated)
    return facts


def _url_key(url: str) -> str:
    key = re.sub(r"^[a-z]+://(www\.)?", "", url.strip().lower())
    return key.split("#")[0].rstrip("/").replace(":443/", "/")


def _shared(result, e: int, entity: str) -> list[Finding]:
    behind: dict[tuple[str, str], set[str]] = defaultdict(set)
    for ind_id in result.hierarchy.indicator_ids:
        obs = result.observations[(entity, ind_id)]
        if obs.is_missing:
            continue
        for fact in _facts(result, entity, ind_id, obs):
            behind[fact].add(ind_id)
    groups: dict[frozenset[str], list[tuple[str, str]]] = defaultdict(list)
    for fact, inds in behind.items():
        if len(inds) >= 2:
            groups[frozenset(inds)].append(fact)
    order = {i: n for n, i in enumerate(result.hierarchy.indicator_ids)}
    found = []
    for shared, facts in groups.items():
        if any(shared < other for other in groups):
            continue  # the same facts behind a larger set of indicators are reported there
        ids = sorted(shared, key=lambda i: order[i])
        points = [result.allocation[e, result.hierarchy.slot(i)] * result.model.scale for i in ids]
        counted = sum(p for p in points if not math.isnan(p))
        score = result.scores[e]
        share = (f"; together they carry {counted:.1f} points, {counted / score:.0%} of its "
                 f"score {score:.1f}") if score and not math.isnan(score) else ""
        found.append(finding(
            "shared-evidence",
            f"{_describe(result, facts)} {'stands' if len(facts) == 1 else 'stand'} behind "
            f"{len(ids)} of {entity}'s indicators "
            f"({', '.join(ids)}): one fact counted {len(ids)} times{share}.",
            "count the fact in one indicator and find independent evidence for the others (or "
            "mark them missing); if the indicators measure different things that one source "
            "happens to report, accept it in the model with the reason",
            entity=entity, indicators=tuple(ids)))
    return found


def _describe(result, facts) -> str:
    registry = result.inputs.registry
    parts = []
    suppliers = sorted(f[1] for f in facts if f[0] == "supplier")
    if suppliers:
        names = [registry.suppliers[s].name if registry and s in registry.suppliers else s
                 for s in suppliers]
        parts.append(("the supplier " if len(names) == 1 else "the suppliers ") + ", ".join(names))
    quotes = sorted(f[1] for f in facts if f[0] == "quote")
    if quotes:
        shown = quotes[0] if len(quotes[0]) <= 70 else quotes[0][:67] + "…"
        parts.append(f"the quote “{shown}”" + (f" (and {len(quotes) - 1} more)"
                                               if len(quotes) > 1 else ""))
    sources = sorted(f[1] for f in facts if f[0] == "source")
    if sources:
        parts.append(f"the source {sources[0]}" + (f" (and {len(sources) - 1} more)"
                                                   if len(sources) > 1 else ""))
    text = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    return text[0].upper() + text[1:]


def _dates(result, entity: str, ind_id: str, obs) -> list[Finding]:
    as_of = result.as_of
    if as_of is None or obs.is_missing:
        return []
    found = []
    if obs.as_of is not None and obs.as_of > as_of and not obs.derivation:
        found.append(finding(
            "time-leakage",
            f"{entity}'s {ind_id} ({obs.value:g}) describes {obs.as_of.isoformat()}, after the "
            f"as-of date {as_of.isoformat()}: the index would use what was not yet known.",
            f"use a value describing a date on or before {as_of.isoformat()} (a later source "
            "may report it: mark that evidence retrospective), or mark it missing",
            entity=entity, indicators=ind_id))
    for item in obs.evidence:
        if item.date is None or item.date <= as_of or item.kind == "data":
            continue
        if item.retrospective:
            found.append(finding(
                "retrospective-source",
                f"{entity}'s {ind_id} cites {item.source} ({item.date.isoformat()}), published "
                f"after {as_of.isoformat()}; it says it describes the earlier state: "
                f"{item.retrospective}",
                "nothing, if a contemporary source cannot be found",
                entity=entity, indicators=ind_id))
        else:
            found.append(finding(
                "later-source",
                f"{entity}'s {ind_id} cites {item.source} ({item.date.isoformat()}), published "
                f"after the as-of date {as_of.isoformat()}, without saying that it describes "
                "the state on that date.",
                "cite a source from on or before the as-of date, or add retrospective = \"…\" to "
                "the evidence item saying why the later source describes the earlier state",
                entity=entity, indicators=ind_id))
    return found


def _later(result, entity: str, ind_id: str, obs) -> list[Finding]:
    """Observations describing dates after the as-of date, which do not count on it."""
    as_of = result.as_of
    if as_of is None or result.model.indicators[ind_id].derive:
        return []
    later = [o for o in result.inputs.series(entity, ind_id)
             if not o.is_missing and o.as_of is not None and o.as_of > as_of]
    if not later:
        return []
    first = min(o.as_of for o in later)
    counted = ("so it is missing on that date" if obs.is_missing else
               f"the value counted ({obs.value:g}) describes "
               + (obs.as_of.isoformat() if obs.as_of else "no date"))
    return [finding(
        "later-observation",
        f"{entity}'s {ind_id} has {len(later)} observation(s) describing dates after the as-of "
        f"date {as_of.isoformat()} (from {first.isoformat()}); they do not count on it, "
        f"{counted}.",
        "nothing, if the index is meant for the as-of date; otherwise find a value describing "
        "a date on or before it (a later source may report an earlier figure)",
        entity=entity, indicators=ind_id)]


def _gap(result, entity: str, ind_id: str, obs) -> list[Finding]:
    """A value counted across a long gap: it describes a date more than ``LONG_GAP``
    (two years) before the as-of date. The world may have moved since."""
    from riskscore.model.timeline import LONG_GAP, gap_days

    days = gap_days(obs, result.as_of)
    if days is None or obs.derivation or obs.as_of >= LONG_GAP.oldest(result.as_of):
        return []
    return [finding(
        "long-gap",
        f"{entity}'s {ind_id} ({obs.value:g}) describes {obs.as_of.isoformat()}, "
        f"{days / 365.25:.1f} years before the as-of date {result.as_of.isoformat()}"
        + (f" ({obs.selection})" if obs.selection else "") + ".",
        "find a newer observation (add it under [[values.ID.observations]]), or set max_age "
        "on the indicator to make values this old missing, or accept the finding with a reason",
        entity=entity, indicators=ind_id)]


def _coding(entity: str, ind_id: str, obs) -> list[Finding]:
    found = []
    if obs.judgement and _PROXY.search(obs.judgement):
        found.append(finding(
            "proxy",
            f"{entity}'s {ind_id} ({obs.value:g}) is a proxy, by its own judgement: "
            f"{_short(obs.judgement)}",
            "find a direct measure, or give the proxy a range (lower/upper) that shows its "
            "uncertainty and accept it in the model with the reason", entity=entity,
            indicators=ind_id))
    elif obs.judgement:
        found.append(finding(
            "judgement",
            f"{entity}'s {ind_id} ({obs.value:g}) rests on a coding judgement: "
            f"{_short(obs.judgement)}",
            "nothing, if the judgement follows the coding rules; a second coder would test it",
            entity=entity, indicators=ind_id))
    if len([i for i in obs.evidence if i.kind != "data"]) == 1:
        found.append(finding(
            "single-source",
            f"{entity}'s {ind_id} ({obs.value:g}) rests on one source, not corroborated.",
            "add an independent second source, or give the value a range",
            entity=entity, indicators=ind_id))
    return found


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"
