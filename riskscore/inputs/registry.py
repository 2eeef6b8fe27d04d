"""The dated supplier registry: who a supplier is, and which US listings applied when.

A listing counts on a date when ``start <= date`` and (no ``end`` or ``date < end``).
Instruments and their severities are declared in the registry file, not in code.

Scoring with what was known on a date (``known_at``) also needs to know when a
listing was announced: ``published`` (and ``end_published`` for its removal).
Where the registry gives none, the announcement is taken to be the start (or end)
date itself — right for Federal Register rules effective on publication, and
stated as an assumption in the listing's ``published_assumed`` flag.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from riskscore.errors import DataError
from riskscore.support.problems import Collector, Reported, collector_or_raise
from riskscore.support.tomlio import Section, read_toml


@dataclass(frozen=True)
class Instrument:
    id: str
    label: str
    severity: float


@dataclass(frozen=True)
class Listing:
    instrument: Instrument
    start: dt.date
    end: dt.date | None
    source: str
    url: str | None
    note: str | None
    published: dt.date | None = None       # announcement date; None = the start date
    end_published: dt.date | None = None   # when the end was announced; None = the end date

    @property
    def published_assumed(self) -> bool:
        return self.published is None

    @property
    def announced(self) -> dt.date:
        return self.published or self.start

    def in_force(self, on: dt.date, known_at: dt.date | None = None) -> bool:
        """In force on ``on`` as known on ``known_at`` (default: as known today)."""
        if known_at is not None and self.announced > known_at:
            return False
        if self.start > on:
            return False
        if self.end is None or on < self.end:
            return True
        # ended by ``on``, unless the end was not yet announced at ``known_at``
        return known_at is not None and (self.end_published or self.end) > known_at


@dataclass(frozen=True)
class Supplier:
    id: str
    name: str
    aliases: tuple[str, ...]
    country: str
    listings: tuple[Listing, ...]

    def listings_in_force(self, on: dt.date, known_at: dt.date | None = None) -> tuple[Listing, ...]:
        return tuple(listing for listing in self.listings if listing.in_force(on, known_at))


@dataclass(frozen=True)
class Registry:
    path: Path
    instruments: dict[str, Instrument]
    suppliers: dict[str, Supplier]

    def get(self, supplier_id: str) -> Supplier | None:
        return self.suppliers.get(supplier_id)


def load_registry(path: Path, collector: Collector | None = None) -> Registry:
    """Read and validate a supplier registry TOML file.

    With a collecting ``collector``, a bad instrument, supplier or listing is
    recorded and left out, and the rest is read.
    """
    collect = collector_or_raise(collector)
    path = Path(path)
    top = Section(read_toml(path, DataError), path, "", DataError, collect)
    instruments: dict[str, Instrument] = {}
    for key, sec in top.sections("instruments"):
        with collect.attempt():
            instruments[key] = Instrument(
                id=key,
                label=sec.text("label", required=True),
                severity=sec.number("severity", required=True, minimum=0),
            )
            sec.done()
    suppliers: dict[str, Supplier] = {}
    for key, sec in top.sections("suppliers"):
        with collect.attempt():
            listings = []
            failed = False
            for item in sec.table_list("listings"):
                with collect.attempt():
                    failed = True
                    listings.append(_read_listing(item, instruments))
                    failed = False
            supplier = Supplier(
                id=key,
                name=sec.text("name", required=True),
                aliases=tuple(sec.text_list("aliases")),
                country=sec.text("country", required=True),
                listings=tuple(listings),
            )
            sec.done()
            if failed:
                raise Reported
            suppliers[key] = supplier
    with collect.attempt():
        top.done()
    if not suppliers:
        top.fail(None, "declares no [suppliers.*] tables" if not collect.errors else
                 "has no valid [suppliers.*] table", "at least one supplier")
    return Registry(path, instruments, suppliers)


def _read_listing(item: Section, instruments: dict[str, Instrument]) -> Listing:
    inst_id = item.text("instrument", required=True)
    if inst_id not in instruments:
        item.fail("instrument", f"is {inst_id!r}, which is not declared under [instruments]",
                  "one of " + ", ".join(sorted(instruments)))
    start = item.date("start", required=True)
    end = item.date("end")
    if end is not None and end <= start:
        item.fail("end", f"is {end}, not after start {start}", "a date after start")
    published = item.date("published")
    end_published = item.date("end_published")
    if end_published is not None and end is None:
        item.fail("end_published", "is given without end", "an end date first")
    listing = Listing(instruments[inst_id], start, end, item.text("source", required=True),
                      item.text("url"), item.text("note"), published, end_published)
    item.done()
    return listing

