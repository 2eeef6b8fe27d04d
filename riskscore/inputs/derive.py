"""Derived indicators: computed from a profile's named suppliers and the dated registry.

A derived value is only as old as its as-of date: a listing counts when it is in
force on that date (``Listing.in_force``). The derivation text says which listing
counted, so the explanation can show it.
"""

from __future__ import annotations

import datetime as dt

from riskscore.inputs.profiles import Profile, SupplierMention
from riskscore.inputs.registry import Registry
from riskscore.model.evidence import Evidence, Observation
from riskscore.model.types import Indicator


def derive_observation(indicator: Indicator, profile: Profile, registry: Registry,
                       as_of: dt.date, article_only: bool = False,
                       known_at: dt.date | None = None) -> Observation:
    """The value of a derived ``indicator`` for ``profile`` on ``as_of``.

    With ``known_at``, only supplier mentions and registry listings (and removals)
    announced on or before that date count.
    """
    mentions = [m for m in profile.suppliers
                if _counts(m, indicator, registry, as_of, article_only, known_at)]
    roles = "/".join(indicator.roles)
    if not mentions:
        scope = "article-quoted " if article_only else ""
        return Observation(profile.entity, indicator.id, None, as_of=as_of,
                           missing_reason=f"the profile names no {scope}supplier in the role "
                           f"{roles}{_country_scope(indicator)}")
    supplier_ids = list(dict.fromkeys(m.supplier for m in mentions))
    evidence = [e for m in mentions for e in m.evidence]
    listed: dict[str, list] = {}
    for sid in supplier_ids:
        in_force = registry.suppliers[sid].listings_in_force(as_of, known_at)
        if in_force:
            listed[sid] = list(in_force)
            evidence.extend(Evidence("external", source=li.source, url=li.url, date=li.start,
                                     note=f"{li.instrument.label}: {registry.suppliers[sid].name}")
                            for li in in_force)
    names = {sid: registry.suppliers[sid].aliases[0] if registry.suppliers[sid].aliases
             else registry.suppliers[sid].name for sid in supplier_ids}
    if indicator.derive == "supplier_count":
        value = float(len(supplier_ids))
        text = f"{len(supplier_ids)} supplier(s) named ({roles}): " + ", ".join(
            names[s] for s in supplier_ids)
    else:
        if listed:
            detail = "; ".join(
                f"{names[sid]}: " + ", ".join(
                    f"{li.instrument.label} since {li.start.isoformat()}" for li in items)
                for sid, items in listed.items())
        else:
            detail = "none of " + ", ".join(names[s] for s in supplier_ids) + " listed"
        if indicator.derive == "listed_supplier_count":
            value = float(len(listed))
            text = f"{len(listed)} of {len(supplier_ids)} named supplier(s) listed on {as_of}: "
        elif indicator.derive == "listing_severity_sum":
            # each listed supplier counts once, by the severity of its worst listing in force
            worst = {sid: max(li.instrument.severity for li in items) for sid, items in listed.items()}
            value = float(sum(worst.values()))
            text = (f"severity sum {value:g} over {len(listed)} of {len(supplier_ids)} named "
                    f"supplier(s) listed on {as_of} ("
                    + (" + ".join(f"{names[s]} {w:g}" for s, w in worst.items()) or "none")
                    + "): ")
        else:  # max_listing_severity
            value = max((li.instrument.severity for items in listed.values() for li in items),
                        default=0.0)
            text = f"worst listing in force on {as_of} has severity {value:g}: "
        text += detail
    if known_at is not None:
        assumed = sum(1 for items in listed.values() for li in items if li.published_assumed)
        text += f" (as known on {known_at}" + (
            f"; {assumed} listing(s) without an announcement date in the registry: their start "
            "date is taken as announced" if assumed and indicator.derive != "supplier_count"
            else "") + ")"
    used = [] if indicator.derive == "supplier_count" else [
        li.announced for items in listed.values() for li in items]
    published = max([d for d in [*(m.published for m in mentions), *used] if d is not None],
                    default=None)
    return Observation(profile.entity, indicator.id, value, as_of=as_of,
                       evidence=tuple(evidence), derivation=text, suppliers=tuple(supplier_ids),
                       published=published)


def _counts(mention: SupplierMention, indicator: Indicator, registry: Registry,
            as_of: dt.date, article_only: bool, known_at: dt.date | None = None) -> bool:
    if mention.role not in indicator.roles:
        return False
    if known_at is not None and (mention.published is None or mention.published > known_at):
        return False  # not yet documented on the known-at date
    if mention.as_of is not None and mention.as_of > as_of:
        return False  # the supplier's involvement is documented only after the as-of date
    if indicator.countries and registry.suppliers[mention.supplier].country not in indicator.countries:
        return False
    return not article_only or any(e.kind == "article" for e in mention.evidence)


def _country_scope(indicator: Indicator) -> str:
    return f" from {'/'.join(indicator.countries)}" if indicator.countries else ""
