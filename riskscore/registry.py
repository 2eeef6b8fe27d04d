"""The dated supplier registry: who a supplier is, and which US listings applied when.

A listing counts on a date when ``start <= date`` and (no ``end`` or ``date < end``).
Instruments and their severities are declared in the registry file, not in code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from riskscore.errors import DataError
from riskscore.problems import Collector, Reported, collector_or_raise
from riskscore.tomlio import Section, read_toml


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

    def in_force(self, on: dt.date) -> bool:
        return self.start <= on and (self.end is None or on < self.end)


@dataclass(frozen=True)
class Supplier:
    id: str
    name: str
    aliases: tuple[str, ...]
    country: str
    listings: tuple[Listing, ...]

    def listings_in_force(self, on: dt.date) -> tuple[Listing, ...]:
        return tuple(listing for listing in self.listings if listing.in_force(on))


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
    listing = Listing(instruments[inst_id], start, end, item.text("source", required=True),
                      item.text("url"), item.text("note"))
    item.done()
    return listing

