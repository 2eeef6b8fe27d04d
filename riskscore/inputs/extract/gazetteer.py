"""Find the countries a sentence mentions: pycountry names plus a gazetteer file.

Every country of the world is known by its pycountry name, official name and
common name; ``config/gazetteer.toml`` adds cities, regions, other names and
demonyms. Matching is case-sensitive on word boundaries, longest name first, so
"Papua New Guinea" is one mention and "Kazakhtelecom" is none. Names declared
ambiguous ("Chad", "Georgia", "Jordan") count only after a cue word such as
"in" and before a word that is not capitalised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from riskscore.errors import ConfigError
from riskscore.support.tomlio import Section, read_toml


@dataclass(frozen=True)
class Country:
    """A country as reported: canonical name and ISO 3166-1 alpha-3 code."""

    name: str
    iso3: str


@dataclass(frozen=True)
class CountryMention:
    """One place in a text that points to a country."""

    country: Country
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Gazetteer:
    """Surface forms mapped to ISO alpha-3 codes, with the ambiguity rule."""

    path: Path | None
    forms: dict[str, str] = field(default_factory=dict, repr=False)
    ambiguous: frozenset[str] = frozenset()
    cue_words: frozenset[str] = frozenset()

    def country(self, iso3: str) -> Country:
        """The canonical ``Country`` for an alpha-3 code known to pycountry."""
        return _countries()[iso3]

    def resolve(self, name: str) -> Country | None:
        """A country named by ``name`` (a known form, or an ISO alpha-2/alpha-3 code)."""
        iso3 = self.forms.get(name)
        if iso3 is None:
            for form, code in self.forms.items():
                if form.casefold() == name.casefold():
                    iso3 = code
                    break
        if iso3 is None:
            iso3 = _code_to_iso3(name.upper())
        return self.country(iso3) if iso3 else None

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        alternatives = sorted(self.forms, key=lambda form: (-len(form), form))
        body = "|".join(re.escape(form) for form in alternatives)
        return re.compile(rf"(?<!\w)(?:{body})(?!\w)")


def load_gazetteer(path: Path) -> Gazetteer:
    """Read ``path`` and merge it with every pycountry name.

    Raises ``ConfigError`` for malformed TOML, unknown keys, or a code that is
    not an ISO 3166-1 alpha-3 code known to pycountry.
    """
    path = Path(path)
    top = Section(read_toml(path, ConfigError), path, "", ConfigError)
    forms = dict(_pycountry_forms())
    for table in ("places", "names"):
        section = top.section(table)
        if section is None:
            continue
        for name in list(section.data):
            code = section.text(name, required=True)
            if code not in _countries():
                section.fail(name, f"is {code!r}, not an ISO 3166-1 alpha-3 code",
                             "a code such as 'KGZ'")
            forms[name] = code
        section.done()
    ambiguous: frozenset[str] = frozenset()
    cue_words: frozenset[str] = frozenset()
    amb = top.section("ambiguous")
    if amb is not None:
        ambiguous = frozenset(amb.text_list("names"))
        cue_words = frozenset(word.casefold() for word in amb.text_list("cue_words"))
        for name in sorted(ambiguous):
            if name not in forms:
                amb.fail("names", f"contains {name!r}, which is no known country name",
                         "names that pycountry or this file maps to a country")
        amb.done()
    top.done()
    return Gazetteer(path, forms, ambiguous, cue_words)


def find_countries(text: str, gazetteer: Gazetteer) -> list[CountryMention]:
    """Every country mention in ``text``, in order; ambiguous names need a cue."""
    mentions = []
    for match in gazetteer.pattern.finditer(text):
        form = match.group()
        if form in gazetteer.ambiguous and not _cued(text, match, gazetteer.cue_words):
            continue
        country = gazetteer.country(gazetteer.forms[form])
        mentions.append(CountryMention(country, form, match.start(), match.end()))
    return mentions


_WORD_BEFORE = re.compile(r"(\w+)[ \t]+$")
_WORD_AFTER = re.compile(r"^\s+(\w)")


def _cued(text: str, match: re.Match[str], cue_words: frozenset[str]) -> bool:
    before = _WORD_BEFORE.search(text, 0, match.start())
    if before is None or before.group(1).casefold() not in cue_words:
        return False
    after = _WORD_AFTER.match(text[match.end():match.end() + 40])
    return after is None or not after.group(1).isupper()


@cache
def _countries() -> dict[str, Country]:
    import pycountry

    return {c.alpha_3: Country(getattr(c, "common_name", None) or c.name, c.alpha_3)
            for c in pycountry.countries}


def _pycountry_forms() -> dict[str, str]:
    import pycountry

    forms: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                forms[value] = c.alpha_3
    return forms


def _code_to_iso3(code: str) -> str | None:
    import pycountry

    country = pycountry.countries.get(alpha_3=code) or pycountry.countries.get(alpha_2=code)
    return country.alpha_3 if country else None
