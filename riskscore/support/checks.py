"""Rules every input obeys, whichever loader reads it (and ``validate`` with it).

- ``parse_number``: the one syntax of a number written as text (CSV cells,
  ``--weight NODE=W``): ASCII digits, an optional sign, decimal point and
  exponent. No ``1_000`` (Python's digit grouping), no ``١٢`` (other scripts'
  digits), no ``inf`` or ``nan``, no thousands separators; nothing is guessed.
  (TOML numbers are typed by TOML itself and checked for finiteness.)
- ``transform_problem``: the values a transform can take: ``log`` and ``log10``
  need x > 0, ``log1p`` x > -1. Checked for a value *and* its lower and upper
  bounds, and for goalposts.
- ``goalposts_problem``: goalposts must stay ordered and finite once transformed,
  and their span must not overflow (``[-1e308, 1e308]``).
- ``entity_name`` and ``entity_key``: an entity name is held in Unicode NFC; names are
  compared for duplicates and look-ups case-insensitively (``casefold``), with runs of
  white space folded to one space and compatibility forms folded (NFKC).
- ``id_problem``: an id (of a node, an indicator, an entity in a table, an ISO3 code)
  holds no control character and no bidi control: it is typed on command lines and
  matched, so it must read as what it is.

Each returns a problem (a phrase for a message) or None, so that a loader can
raise it and a validator can collect it.
"""

from __future__ import annotations

import math
import re

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
NUMBER_SYNTAX = "a number such as 12, -0.5 or 1.5e3 (digits 0-9, no grouping)"

# transform -> (the lower limit x must exceed, the phrase for messages)
TRANSFORM_DOMAINS = {
    "log": (0.0, "a positive number"),
    "log10": (0.0, "a positive number"),
    "log1p": (-1.0, "a number > -1"),
}


def parse_number(text: str) -> float:
    """``text`` (surrounding white space ignored) as a finite float in the one syntax.

    Raises ValueError with a short reason otherwise.

    >>> parse_number(" -1.5e3 ")
    -1500.0
    """
    stripped = text.strip()
    if not _NUMBER.fullmatch(stripped):
        raise ValueError(f"{stripped!r} is not {NUMBER_SYNTAX}")
    value = float(stripped)
    if not math.isfinite(value):
        raise ValueError(f"{stripped!r} is too large for a floating-point number")
    return value


def transform_problem(value: float, transform: str | None) -> str | None:
    """Why ``value`` cannot go through ``transform``, or None."""
    if transform is None or transform not in TRANSFORM_DOMAINS:
        return None
    limit, _ = TRANSFORM_DOMAINS[transform]
    if not value > limit:
        return f"is {value:g} under a {transform} transform"
    return None


def transform_expected(transform: str | None) -> str:
    """What ``transform`` accepts, for the 'expected' part of a message (any number
    without one)."""
    return TRANSFORM_DOMAINS[transform][1] if transform is not None else "a finite number"


def goalposts_problem(lower: float, upper: float, transform: str | None) -> str | None:
    """Why goalposts ``[lower, upper]`` cannot normalise under ``transform``, or None."""
    if not lower < upper:
        return f"is [{lower:g}, {upper:g}], not increasing"
    for name, bound in (("lower", lower), ("upper", upper)):
        if transform_problem(bound, transform):
            return f"has {name} {bound:g} with transform {transform!r}"
    if transform is not None:
        lower, upper = (_apply(transform, x) for x in (lower, upper))
    if not math.isfinite(upper - lower):
        return f"spans [{lower:g}, {upper:g}], too wide to compute with (upper - lower overflows)"
    if not upper - lower > 0:
        return f"becomes [{lower:g}, {upper:g}] under {transform}, no longer increasing"
    return None


def _apply(transform: str, value: float) -> float:
    return {"log": math.log, "log10": math.log10, "log1p": math.log1p}[transform](value)


_SPACE = re.compile(r"\s+")


def entity_name(text: str) -> str:
    """An entity name as riskscore holds it: Unicode NFC, so ``Café`` typed precomposed
    (U+00E9) and decomposed (e + U+0301) is one name, shown exactly as typed (the two are
    canonically equivalent: the same characters on screen)."""
    import unicodedata

    return text if text.isascii() else unicodedata.normalize("NFC", text)


def entity_key(name: str) -> str:
    """The form in which two entity names are the same entity, or collide: 'Czech  republic'
    and 'CZECH REPUBLIC' are one, and so are compatibility forms (NFKC: the ligature 'ﬁ'
    and 'fi', a full-width 'Ａ' and 'A'). Loaders refuse two names with one key that are
    not the same name (``entity_name``), naming both rows."""
    if name.isascii():
        return _SPACE.sub(" ", name).strip().casefold()
    import unicodedata

    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return _SPACE.sub(" ", folded).strip()


# C0 and C1 controls other than line breaks and tabs, DEL, and the bidi embeddings,
# overrides and isolates (U+202A-U+202E, U+2066-U+2069): never in an id, and shown escaped
# wherever a name holding them is printed (riskscore.outputs.escape). Line breaks and tabs
# are white space: an output shows them as a space.
HOSTILE_CHARACTERS = "\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069"
_ID_HOSTILE = re.compile(f"[{HOSTILE_CHARACTERS}]")
ID_EXPECTED = "an id without control characters or bidi controls (U+202A-U+202E, U+2066-U+2069)"


def id_problem(text: str) -> str | None:
    """Why ``text`` cannot be an id (it holds a control or bidi character), or None.

    >>> id_problem("debt\u202e")
    'holds the control character U+202E'
    """
    found = _ID_HOSTILE.search(text)
    if found is None:
        return None
    return f"holds the control character U+{ord(found.group()):04X}"
