"""Indicator hints: declared rules that say which indicators a sentence may bear on.

The rules live in ``config/hints.toml``, never in code. A rule fires when one of
its keywords or patterns occurs in the sentence and, if it says so, the
sentence also has a figure in one of its units and/or names a supplier.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from riskscore.errors import ConfigError
from riskscore.inputs.extract.figures import CURRENCIES
from riskscore.support.tomlio import Section, read_toml

# The pseudo-unit that matches any currency figure.
MONEY = "money"


@dataclass(frozen=True)
class HintRule:
    """The rule for one indicator."""

    indicator: str
    keywords: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]
    figure_units: tuple[str, ...] = ()
    needs_supplier: bool = False
    _matchers: tuple[re.Pattern[str], ...] = field(default=(), init=False, repr=False,
                                                   compare=False)

    def fires(self, sentence: str, figure_units: Iterable[str] = (),
              has_supplier: bool = False) -> bool:
        """Whether this rule points at ``sentence`` (given its figures' units)."""
        if self.needs_supplier and not has_supplier:
            return False
        if self.figure_units and not any(_unit_matches(unit, self.figure_units)
                                         for unit in figure_units):
            return False
        return any(p.search(sentence) for p in self._matchers)

    def __post_init__(self) -> None:
        matchers = tuple(keyword_pattern(k) for k in self.keywords) + self.patterns
        object.__setattr__(self, "_matchers", matchers)


@dataclass(frozen=True)
class Hints:
    path: Path | None
    rules: tuple[HintRule, ...]

    def indicators_for(self, sentence: str, figure_units: Iterable[str] = (),
                       has_supplier: bool = False) -> list[str]:
        """The indicator ids whose rules fire on ``sentence``, in file order."""
        units = tuple(figure_units)
        return [rule.indicator for rule in self.rules
                if rule.fires(sentence, units, has_supplier)]


def keyword_pattern(keyword: str) -> re.Pattern[str]:
    """A case-insensitive whole-word pattern; a trailing ``*`` allows any ending."""
    prefix = keyword.endswith("*")
    body = re.escape(keyword.rstrip("*")).replace(r"\ ", r"\s+")
    tail = r"\w*" if prefix else r"(?!\w)"
    return re.compile(rf"(?<!\w){body}{tail}", re.IGNORECASE)


def load_hints(path: Path, indicators: Sequence[str] | None = None) -> Hints:
    """Read and validate a hints file.

    ``indicators``, when given, are the model's indicator ids; a rule for any
    other id is an error. Raises ``ConfigError`` naming the file and key for
    malformed TOML, unknown keys, wrong types, empty rules or bad regexes.
    """
    path = Path(path)
    top = Section(read_toml(path, ConfigError), path, "", ConfigError)
    rules = []
    for key, sec in top.sections("indicators"):
        if indicators is not None and key not in indicators:
            sec.fail(None, "is not an indicator of the model", "one of " + ", ".join(indicators))
        keywords = tuple(sec.text_list("keywords"))
        for keyword in keywords:
            if not keyword.rstrip("*").strip():
                sec.fail("keywords", f"contains {keyword!r}", "non-empty keywords")
        patterns = []
        for source in sec.text_list("patterns"):
            try:
                patterns.append(re.compile(source, re.IGNORECASE))
            except re.error as exc:
                sec.fail("patterns", f"contains {source!r}, not a valid regular expression "
                         f"({exc})", "a Python regular expression")
        if not keywords and not patterns:
            sec.fail(None, "has neither keywords nor patterns", "at least one of them")
        needs_supplier = sec.raw("needs_supplier", False)
        if not isinstance(needs_supplier, bool):
            sec.fail("needs_supplier", f"is {needs_supplier!r}", "true or false")
        rules.append(HintRule(key, keywords, tuple(patterns),
                              tuple(sec.text_list("figure_units")), needs_supplier))
        sec.done()
    top.done()
    if not rules:
        top.fail(None, "declares no [indicators.*] rules", "at least one rule")
    return Hints(path, tuple(rules))


def _unit_matches(unit: str, wanted: tuple[str, ...]) -> bool:
    if unit in wanted:
        return True
    return MONEY in wanted and unit in CURRENCIES
