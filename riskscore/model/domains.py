"""What values an indicator can possibly take: its domain.

Goalposts say where risk starts and ends; a domain says what is possible at all.
A share of 120%, a code of 7 on a 0-2 scale or a count of 2.5 is not a risky
value but a typo, so it is an error wherever it appears (profiles, tables), while
a value beyond a goalpost is merely clipped.

A model declares a domain per indicator, either by name or as a closed range::

    domain = "percent"            # 0-100
    domain = [0, 2]               # a code range
    integer = true                # with whole numbers only

Names: ``percent`` (0-100), ``share`` (0-1), ``count`` (whole numbers >= 0),
``binary`` (0 or 1), ``nonnegative`` (>= 0), ``positive`` (> 0), ``real`` (any
finite number).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# name -> (lower, upper, lower_open, integer)
NAMED_DOMAINS: dict[str, tuple[float, float, bool, bool]] = {
    "percent": (0.0, 100.0, False, False),
    "share": (0.0, 1.0, False, False),
    "count": (0.0, math.inf, False, True),
    "binary": (0.0, 1.0, False, True),
    "nonnegative": (0.0, math.inf, False, False),
    "positive": (0.0, math.inf, True, False),
    "real": (-math.inf, math.inf, False, False),
}


@dataclass(frozen=True)
class Domain:
    """The possible values of an indicator: ``lower <= x <= upper`` (``lower < x`` if open)."""

    name: str
    lower: float
    upper: float
    integer: bool = False
    lower_open: bool = False

    @classmethod
    def named(cls, name: str, integer: bool | None = None) -> Domain:
        lower, upper, lower_open, whole = NAMED_DOMAINS[name]
        return cls(name, lower, upper, whole if integer is None else integer, lower_open)

    @classmethod
    def between(cls, lower: float, upper: float, integer: bool = False) -> Domain:
        return cls(f"[{lower:g}, {upper:g}]", lower, upper, integer)

    def describe(self) -> str:
        """Plain words, e.g. 'a whole number from 0 to 2' or 'a number from 0 to 100'."""
        kind = "a whole number" if self.integer else "a number"
        if math.isinf(self.lower) and math.isinf(self.upper):
            return f"{kind}"
        if math.isinf(self.upper):
            return f"{kind} {'>' if self.lower_open else '>='} {self.lower:g}"
        return f"{kind} from {self.lower:g} to {self.upper:g}"

    def problem(self, value: float) -> str | None:
        """Why ``value`` is impossible in this domain, or None if it is possible."""
        too_low = value <= self.lower if self.lower_open else value < self.lower
        if too_low or value > self.upper:
            return f"is {value:g}, outside the indicator's domain ({self.name}: {self.describe()})"
        if self.integer and value != math.floor(value):
            return f"is {value:g}, not a whole number (domain {self.name}: {self.describe()})"
        return None
