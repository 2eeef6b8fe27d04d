"""Collecting problems instead of stopping at the first: what ``validate`` and ``audit`` need.

Loaders (model, registry, profiles, tables) take an optional ``Collector``. Without
one, or with a raising collector, the first error raises exactly as before: that is
what ``score`` wants. With a collecting one, each self-contained item (a profile
file, a ``[values.ID]`` table, an evidence item, a supplier, a table cell) is read
inside ``collector.attempt()``: its error is recorded, the item is skipped, and
reading goes on, so one run names every error in every file::

    collector = Collector()
    model = load_model(path, collector)
    for problem in collector.errors: print(problem.message)
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from riskscore.errors import InputErrors, RiskscoreError


class Reported(Exception):
    """An item's errors were recorded already; skip the item without recording more."""


@dataclass(frozen=True)
class Problem:
    """One error or warning found while reading inputs."""

    level: str                        # "error" or "warning"
    code: str                         # e.g. "invalid", "placeholder", "ignored-file"
    source: str                       # the file (or "command line")
    key: str | None                   # key path, row or column
    problem: str
    fix: str | None = None            # what to do about it ("expected ..." for errors)
    entity: str | None = None
    indicator: str | None = None

    @property
    def message(self) -> str:
        where = self.source if not self.key else f"{self.source}: {self.key}"
        text = f"{where}: {self.problem}"
        if self.fix:
            text += f"; {self.fix}" if self.level == "warning" else f"; expected {self.fix}"
        return text

    @classmethod
    def from_error(cls, err: RiskscoreError, code: str = "invalid", entity: str | None = None,
                   indicator: str | None = None) -> Problem:
        return cls("error", code, err.source, err.key, err.problem, err.expected, entity,
                   indicator)


@dataclass
class Collector:
    """Where loaders report problems. ``raising=True`` re-raises the first error."""

    raising: bool = False
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    raised: list[RiskscoreError] = field(default_factory=list)   # the errors themselves

    def error(self, err: RiskscoreError, code: str = "invalid", entity: str | None = None,
              indicator: str | None = None) -> None:
        """Record ``err`` (or raise it when raising)."""
        if self.raising:
            raise err
        self.errors.append(Problem.from_error(err, code, entity, indicator))
        self.raised.append(err)

    def warn(self, source: object, key: str | None, problem: str, fix: str | None = None, *,
             code: str, entity: str | None = None, indicator: str | None = None) -> None:
        self.warnings.append(Problem("warning", code, str(source), key, problem, fix, entity,
                                     indicator))

    @contextlib.contextmanager
    def attempt(self) -> Iterator[None]:
        """Run one self-contained item; record its error and skip it instead of stopping."""
        try:
            yield
        except Reported:
            if self.raising:
                raise
        except RiskscoreError as err:
            if self.raising:
                raise
            self.errors.append(Problem.from_error(err))
            self.raised.append(err)

    def raise_errors(self) -> None:
        """Raise what was recorded: the one error itself, or ``InputErrors`` naming them all."""
        # an error that only follows from others (``consequential``) is said by them
        primary = [e for e in self.raised if not getattr(e, "consequential", False)]
        errors = primary or self.raised
        if len(errors) == 1:
            raise errors[0]
        if errors:
            raise InputErrors(errors)



def collector_or_raise(collector: Collector | None) -> Collector:
    """The collector a loader uses: the given one, else one that raises at once."""
    return collector if collector is not None else Collector(raising=True)
