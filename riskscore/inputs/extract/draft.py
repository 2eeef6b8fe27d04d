"""Draft a country profile (TOML) from an extraction, for an analyst to review.

The draft decides nothing: every non-derived indicator of the model appears as
``missing = "REVIEW: ..."``, so the profile validates as "missing" until the
analyst picks a value. Candidate values are written as comments under it, and
the candidate sentences as verbatim article quotes. Derived indicators never
appear under ``[values]``; suppliers named in the country's candidate
sentences become ``[[suppliers]]`` entries instead.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

from riskscore.errors import ConfigError, DataError
from riskscore.inputs.extract.extraction import Candidate, Extraction
from riskscore.inputs.extract.figures import CURRENCIES, Figure
from riskscore.inputs.extract.gazetteer import Country, Gazetteer
from riskscore.support.tomlio import Section, read_toml

DEFAULT_ROLE = "surveillance"
_BOUND_NOTES = {"exact": "", "lower": "lower bound; ", "upper": "upper bound; ",
                "approx": "approximate; "}
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
            "\r": "\\r"}


def draft_indicators(model_path: Path) -> tuple[str, ...]:
    """The ids of the non-derived indicators of a model file, in file order.

    Reads only ``[indicators.*]`` and their ``derive`` key; full validation of
    the model belongs to ``riskscore.model.loader``.
    """
    model_path = Path(model_path)
    top = Section(read_toml(model_path, ConfigError), model_path, "", ConfigError)
    table = top.section("indicators", required=True)
    ids = tuple(key for key, value in table.data.items()
                if not (isinstance(value, dict) and "derive" in value))
    if not ids:
        table.fail(None, "declares no non-derived indicator", "at least one indicator")
    return ids


def draft_units(model_path: Path) -> dict[str, str]:
    """The ``unit`` of each non-derived indicator of a model file ("" when none is given)."""
    model_path = Path(model_path)
    top = Section(read_toml(model_path, ConfigError), model_path, "", ConfigError)
    table = top.section("indicators", required=True)
    return {key: str(value.get("unit", "")) for key, value in table.data.items()
            if isinstance(value, dict) and "derive" not in value}


_MONEY_UNIT = re.compile(r"^\s*(?:US\$|USD)\s*(thousand|million|billion|bn|m|k)?(?![a-z])",
                         re.IGNORECASE)
_SCALES = {"": 1.0, "k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9,
           "billion": 1e9}


def in_indicator_unit(figure: Figure, unit: str) -> tuple[float | None, str]:
    """``figure``'s value converted into the indicator's ``unit``, with a note on the unit.

    "$23 million" for an indicator in "US$ million" gives 23, never 23,000,000. A money
    figure in another currency, or one for an indicator that is not money, gives no value
    (None): the note says what to convert.
    """
    money = _MONEY_UNIT.match(unit or "")
    if money:
        if figure.unit != "USD":
            return None, f"in {figure.unit}, not US dollars: convert it to {unit} first"
        scale = _SCALES[(money.group(1) or "").lower()]
        return figure.value / scale, f"unit {unit}, from {_number(figure.value)} US$"
    if figure.unit in CURRENCIES and unit:
        return None, f"a sum of money ({figure.unit}), but the indicator is in {unit}"
    return figure.value, f"unit {figure.unit}"


def resolve_country(name: str, gazetteer: Gazetteer | None = None) -> Country:
    """The country meant by ``name``: a gazetteer form, a pycountry name, or an ISO code."""
    if gazetteer is not None:
        country = gazetteer.resolve(name)
        if country is not None:
            return country
    import pycountry

    try:
        found = pycountry.countries.lookup(name)
    except LookupError:
        source = gazetteer.path if gazetteer is not None and gazetteer.path else "pycountry"
        from riskscore.errors import did_you_mean

        names = [n for c in pycountry.countries for n in (c.name, getattr(c, "common_name", None))
                 if n]
        raise DataError(source, "country", f"{name!r} is not a known country"
                        + did_you_mean(name, names),
                        "a country name or ISO code such as 'Tajikistan' or 'TJK'") from None
    return Country(getattr(found, "common_name", None) or found.name, found.alpha_3)


def draft_profile(extraction: Extraction, country: str, *, as_of: dt.date,
                  indicators: Sequence[str], gazetteer: Gazetteer | None = None,
                  units: dict[str, str] | None = None,
                  document: str | None = None) -> str:
    """A TOML profile draft for ``country`` from the candidates that mention it.

    ``indicators`` are the non-derived indicator ids of the model (see
    ``draft_indicators``); each gets a ``[values.<id>]`` table. Candidate
    indicators outside that list (derived ones) are left to ``[[suppliers]]``.
    ``document`` (a project document's name, see ``riskscore.inputs.documents``) is written
    into every quote, so each is verified against that document and dated by it.
    Raises ``DataError`` if ``country`` is not a known country.
    """
    target = resolve_country(country, gazetteer)
    candidates = extraction.for_country(target.name)
    lines = [
        f"# Draft profile for {target.name}, drafted by `riskscore extract` from",
        f"# {_one_line(extraction.document)} (sha256 {extraction.sha256}).",
        "# Nothing here is a value yet. For each indicator, pick a value from the commented",
        "# candidates (or from other sources), set value (and lower/upper), delete the",
        "# missing line, and keep only the evidence that backs the value.",
        "",
        f"entity = {toml_string(target.name)}",
        f"iso3 = {toml_string(target.iso3)}",
        f"as_of = {as_of.isoformat()}",
    ]
    for supplier_id, quotes in _suppliers(candidates).items():
        lines += _supplier_block(supplier_id, quotes, as_of, document)
    for indicator in indicators:
        lines += _value_block(indicator, [c for c in candidates if indicator in c.indicators],
                              (units or {}).get(indicator, ""),
                              document)
    return "\n".join(lines) + "\n"


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string, with quotes, backslashes and controls escaped."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _suppliers(candidates: Sequence[Candidate]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for candidate in candidates:
        for supplier in candidate.suppliers:
            quotes = found.setdefault(supplier.id, [])
            if candidate.sentence not in quotes:
                quotes.append(candidate.sentence)
    return found


def _supplier_block(supplier_id: str, quotes: list[str], as_of: dt.date,
                    document: str | None = None) -> list[str]:
    named = f"document = {toml_string(document)}, " if document else ""
    items = [f"{{ kind = \"article\", {named}quote = {toml_string(q)} }}" for q in quotes]
    if len(items) == 1:
        evidence = [f"evidence = {items[0]}"]
    else:
        evidence = ["evidence = [", *(f"    {item}," for item in items), "]"]
    return ["", "[[suppliers]]", f"id = {toml_string(supplier_id)}",
            f"role = {toml_string(DEFAULT_ROLE)}   # REVIEW role: \"surveillance\" or \"telecom\"",
            'project = "REVIEW"', f"as_of = {as_of.isoformat()}", *evidence]


def _value_block(indicator: str, candidates: Sequence[Candidate], unit: str = "",
                 document: str | None = None) -> list[str]:
    lines = ["", f"[values.{indicator}]"]
    if not candidates:
        lines.append('missing = "REVIEW: no candidate found"')
        return lines
    count = len(candidates)
    noun = "sentence" if count == 1 else "sentences"
    lines.append(toml_key_value("missing", f"REVIEW: {count} candidate {noun}; choose a value "
                                "or give the reason it is missing"))
    seen: set[tuple[float, str, str]] = set()
    for candidate in candidates:
        for figure in candidate.figures:
            key = (figure.value, figure.unit, figure.bound)
            if key not in seen:
                seen.add(key)
                lines.append(_figure_comment(figure, unit))
    for candidate in candidates:
        lines += ["", f"[[values.{indicator}.evidence]]", 'kind = "article"',
                  *([toml_key_value("document", document)] if document else []),
                  toml_key_value("quote", candidate.sentence)]
        if not candidate.entities:
            lines.append("# REVIEW: the country is inferred from the previous sentence")
    return lines


def toml_key_value(key: str, text: str) -> str:
    return f"{key} = {toml_string(text)}"


def _figure_comment(figure: Figure, unit: str = "") -> str:
    value, unit_note = in_indicator_unit(figure, unit)
    note = f"{_BOUND_NOTES[figure.bound]}{_one_line(unit_note)}"
    if value is None:
        return f"# no value suggested: \"{_one_line(figure.text)}\" is {note}"
    return f"# value = {_number(value)}   # from \"{_one_line(figure.text)}\" ({note})"


def _number(value: float) -> str:
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
