"""Time: which of an indicator's dated observations counts on a given date.

Every observation may carry two dates: its *reference date* (``as_of``, the
moment it describes) and its *publication date* (``published``, when it became
known). Scoring "as of D, known at K" takes, per entity and indicator, the
observation with the latest reference date on or before D among those published
on or before K; of two observations with the same reference date the later
publication wins (a revision). An optional ``max_age`` makes an observation older
than that at D missing. Undated observations (no reference date) hold at any
date, below every dated one.

Partial dates name the end of their period: ``2019`` is 2019-12-31 and ``2019-06``
is 2019-06-30, so a yearly figure counts from the end of its year.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from riskscore.model.evidence import Observation

_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
_AGE = re.compile(r"^\s*(\d+)\s*([ymd])\s*$")
_AGE_WORDS = {"y": "year", "m": "month", "d": "day"}
STEPS = ("year", "quarter", "month")


def parse_period(text: str) -> dt.date:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as a date: a year or a month means its last day.

    Raises ``ValueError`` with a readable message for anything else.
    """
    match = _PERIOD.match(text.strip())
    if not match or (match.group(3) and not match.group(2)):
        raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year_text, month_text, day_text = match.groups()
    year = int(year_text)
    month = int(month_text) if month_text else None
    day = int(day_text) if day_text else None
    try:
        if month is None:
            return dt.date(year, 12, 31)
        if day is None:
            return dt.date(year, month, calendar.monthrange(year, month)[1])
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"{text!r} is not a valid calendar date") from None


@dataclass(frozen=True)
class MaxAge:
    """How old an observation may be: a number of years, months or days."""

    amount: int
    unit: str  # "y", "m" or "d"

    @classmethod
    def parse(cls, value: object) -> MaxAge:
        """An integer (days) or a string such as ``"3y"``, ``"18m"``, ``"90d"``."""
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return cls(value, "d")
        match = _AGE.match(value) if isinstance(value, str) else None
        if not match:
            raise ValueError(f"{value!r} is not an age such as \"3y\", \"18m\", \"90d\" or a "
                             "number of days")
        return cls(int(match.group(1)), match.group(2))

    def oldest(self, on: dt.date) -> dt.date:
        """The oldest reference date still young enough on ``on``."""
        if self.unit == "d":
            return on - dt.timedelta(days=self.amount)
        months = self.amount * (12 if self.unit == "y" else 1)
        return add_months(on, -months)

    def __str__(self) -> str:
        word = _AGE_WORDS[self.unit]
        return f"{self.amount} {word}{'' if self.amount == 1 else 's'}"


LONG_GAP = MaxAge(2, "y")   # the audit flags values counted across a longer gap


def add_months(date: dt.date, months: int) -> dt.date:
    """``date`` moved by whole months, the day clipped to the month's length."""
    index = date.year * 12 + date.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(date.day, calendar.monthrange(year, month)[1]))


def choose(candidates: Sequence[Observation], entity: str, indicator: str, *,
           as_of: dt.date | None, known_at: dt.date | None = None,
           max_age: MaxAge | None = None) -> Observation:
    """The observation that counts on ``as_of`` given what was known on ``known_at``.

    Returns one of ``candidates`` with ``selection`` saying why it was chosen, or a
    missing observation whose ``missing_reason`` says why none qualifies.
    """
    if not candidates:
        return Observation(entity, indicator, None, missing_reason="no observation")
    known = [o for o in candidates if known_at is None or _known(o, known_at)]
    unknown = len(candidates) - len(known)
    if not known:
        return Observation(entity, indicator, None, as_of=None, missing_reason=(
            f"none of its {len(candidates)} observation(s) was published on or before "
            f"the known-at date {known_at}" + _unpublished_note(candidates)))
    eligible = [o for o in known if as_of is None or o.as_of is None or o.as_of <= as_of]
    later = [o for o in known if o not in eligible]
    if not eligible:
        first = min(o.as_of for o in later if o.as_of is not None)
        return Observation(entity, indicator, None, missing_reason=(
            f"no observation describes a date on or before {as_of} (the earliest describes "
            f"{first})"))
    chosen = max(eligible, key=_order)
    notes = []
    if len(candidates) > 1:
        notes.append(f"latest of {len(eligible)} observation(s) dated on or before {as_of}")
    if later:
        notes.append(f"{len(later)} later observation(s) ignored (from "
                     f"{min(o.as_of for o in later if o.as_of is not None)})")
    if unknown:
        notes.append(f"{unknown} observation(s) published after the known-at date "
                     f"{known_at} left out")
    if max_age is not None and chosen.as_of is not None and as_of is not None \
            and chosen.as_of < max_age.oldest(as_of):
        return Observation(entity, indicator, None, as_of=chosen.as_of,
                           published=chosen.published, missing_reason=(
                               f"the latest observation describes {chosen.as_of}, older than "
                               f"max_age {max_age} on {as_of}"
                               + (f" (was {_value_text(chosen)})" if not chosen.is_missing else "")))
    if chosen.as_of is None and len(candidates) > 1:
        notes.append("undated")
    if not notes:
        return chosen
    return replace(chosen, selection="; ".join(notes))


def _known(obs: Observation, known_at: dt.date) -> bool:
    return obs.published is not None and obs.published <= known_at


def _order(obs: Observation) -> tuple[Any, ...]:
    return (obs.as_of or dt.date.min, obs.published or dt.date.min)


def _unpublished_note(candidates: Sequence[Observation]) -> str:
    undated = sum(1 for o in candidates if o.published is None)
    if not undated:
        return ""
    return f"; {undated} without a publication date (give 'published' or dated evidence)"


def _value_text(obs: Observation) -> str:
    return f"{obs.value:g}"


def gap_days(obs: Observation, as_of: dt.date | None) -> int | None:
    """Days between an observation's reference date and the date it is scored at."""
    if obs.is_missing or obs.as_of is None or as_of is None:
        return None
    return (as_of - obs.as_of).days


def date_range(start: dt.date, end: dt.date, every: str = "year") -> list[dt.date]:
    """Dates from ``start`` to ``end`` inclusive, one per ``every`` (year, quarter, month).

    Each date is the end of its period: ``date_range(2016-12-31, 2018-12-31)`` gives
    the last days of 2016, 2017, 2018. ``start`` itself is always included.
    """
    if every not in STEPS:
        raise ValueError(f"every is {every!r}; expected one of {', '.join(STEPS)}")
    if end < start:
        raise ValueError(f"the end {end} is before the start {start}")
    step = {"year": 12, "quarter": 3, "month": 1}[every]
    month_end = start == _month_end(start)
    out: list[dt.date] = []
    k = 0
    while True:
        try:
            current = add_months(start, step * k)
        except ValueError:   # past 9999-12-31, the last date there is: so past ``end`` too
            return out
        current = _month_end(current) if month_end else current
        if current > end:
            return out
        out.append(current)
        k += 1


def count_dates(start: dt.date, end: dt.date, every: str = "year") -> int:
    """How many dates ``date_range(start, end, every)`` gives, without making them."""
    if end < start:
        return 0
    step = {"year": 12, "quarter": 3, "month": 1}[every]
    months = (end.year - start.year) * 12 + end.month - start.month
    last = months // step          # the last date's index, unless its day falls after ``end``
    current = add_months(start, step * last)
    if start == _month_end(start):
        current = _month_end(current)
    return last + (1 if current <= end else 0)


def _month_end(date: dt.date) -> dt.date:
    return date.replace(day=calendar.monthrange(date.year, date.month)[1])
