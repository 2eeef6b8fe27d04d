"""Strict reading of TOML files: a typo must never silently change a score.

``read_toml`` parses a file and reports malformed TOML with its line; ``Section``
wraps one table so that each key is taken with its expected type, and whatever
is left over at the end is an unknown key, reported with its full key path.
"""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, NoReturn, overload

from riskscore.errors import RiskscoreError
from riskscore.support.fileio import read_text
from riskscore.support.problems import Collector, Reported


def read_toml(path: Path, error: type[RiskscoreError]) -> dict[str, Any]:
    """Parse ``path`` as TOML; a missing, empty or malformed file raises ``error``."""
    path = Path(path)
    text = read_text(path, error, "TOML")
    if not text.strip():
        raise error(path, None, "file is empty", "a TOML document")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(path, None, f"malformed TOML ({exc})", "valid TOML") from None
    except RecursionError:   # tomllib parses nested arrays and inline tables recursively
        raise error(path, None, "nests arrays or inline tables too deeply to be read",
                    "TOML nested at most a few hundred levels") from None


_TYPE_NAMES = {str: "a string", bool: "true or false", dict: "a table", list: "a list"}


class Section:
    """One TOML table being read, with its file and key path for messages."""

    def __init__(self, data: Any, path: Path, key: str, error: type[RiskscoreError],
                 collector: Collector | None = None):
        if not isinstance(data, dict):
            raise error(path, key or None, f"is {describe(data)}", "a table")
        self.data = dict(data)
        self.path = path
        self.key = key
        self.error = error
        self.collector = collector   # set: done() reports every unknown key, not just the first
        self._taken: set[str] = set()

    def _child(self, data: Any, key: str) -> Section:
        return Section(data, self.path, key, self.error, self.collector)

    def keypath(self, name: str) -> str:
        return f"{self.key}.{name}" if self.key else name

    def fail(self, name: str | None, problem: str, expected: str | None = None) -> NoReturn:
        raise self.error(self.path, self.keypath(name) if name else (self.key or None),
                         problem, expected)

    def has(self, name: str) -> bool:
        return name in self.data

    def raw(self, name: str, default: Any = None) -> Any:
        self._taken.add(name)
        return self.data.get(name, default)

    @overload
    def text(self, name: str, default: str, *, required: bool = ...,
             choices: tuple[str, ...] | None = ...) -> str: ...

    @overload
    def text(self, name: str, default: None = ..., *, required: Literal[True],
             choices: tuple[str, ...] | None = ...) -> str: ...

    @overload
    def text(self, name: str, default: str | None = ..., *, required: bool = ...,
             choices: tuple[str, ...] | None = ...) -> str | None: ...

    def text(self, name: str, default: str | None = None, *, required: bool = False,
             choices: tuple[str, ...] | None = None) -> str | None:
        value = self.raw(name, default)
        if value is None:
            if required:
                self.fail(name, "is missing", "a string")
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(name, f"is {describe(value)}", "a non-empty string")
        if choices is not None and value not in choices:
            self.fail(name, f"is {value!r}", "one of " + ", ".join(repr(c) for c in choices))
        return value

    @overload
    def number(self, name: str, default: float, *, required: bool = ...,
               minimum: float | None = ..., maximum: float | None = ...) -> float: ...

    @overload
    def number(self, name: str, default: None = ..., *, required: Literal[True],
               minimum: float | None = ..., maximum: float | None = ...) -> float: ...

    @overload
    def number(self, name: str, default: float | None = ..., *, required: bool = ...,
               minimum: float | None = ..., maximum: float | None = ...) -> float | None: ...

    def number(self, name: str, default: float | None = None, *, required: bool = False,
               minimum: float | None = None, maximum: float | None = None) -> float | None:
        value = self.raw(name, default)
        if value is None:
            if required:
                self.fail(name, "is missing", "a number")
            return None
        return self.check_number(name, value, minimum, maximum)

    def check_number(self, name: str, value: Any, minimum: float | None = None,
                     maximum: float | None = None) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(name, f"is {describe(value)}", "a number")
        value = float(value)
        if not math.isfinite(value):
            self.fail(name, f"is {value}", "a finite number")
        if minimum is not None and value < minimum:
            self.fail(name, f"is {value:g}", f"a number >= {minimum:g}")
        if maximum is not None and value > maximum:
            self.fail(name, f"is {value:g}", f"a number <= {maximum:g}")
        return value

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.raw(name, default)
        if not isinstance(value, bool):
            self.fail(name, f"is {describe(value)}", "true or false")
        return value

    @overload
    def date(self, name: str, default: None = ..., *, required: Literal[True]) -> dt.date: ...

    @overload
    def date(self, name: str, default: dt.date | None = ..., *,
             required: bool = ...) -> dt.date | None: ...

    def date(self, name: str, default: dt.date | None = None, *,
             required: bool = False) -> dt.date | None:
        value = self.raw(name, default)
        if value is None:
            if required:
                self.fail(name, "is missing", "a date such as 2019-11-19")
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        self.fail(name, f"is {describe(value)}", "a TOML date such as 2019-11-19 (no quotes)")
        return None  # unreachable

    def text_list(self, name: str, default: list[str] | None = None) -> list[str]:
        value = self.raw(name, default if default is not None else [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(name, f"is {describe(value)}", "a list of strings")
        return list(value)

    @overload
    def section(self, name: str, *, required: Literal[True]) -> Section: ...

    @overload
    def section(self, name: str, *, required: bool = ...) -> Section | None: ...

    def section(self, name: str, *, required: bool = False) -> Section | None:
        value = self.raw(name)
        if value is None:
            if required:
                self.fail(name, "is missing", "a table")
            return None
        return self._child(value, self.keypath(name))

    def sections(self, name: str) -> Iterator[tuple[str, Section]]:
        """The sub-tables of table ``name``, in file order.

        With a collector, an entry that is not a table is recorded (or raised) and skipped.
        """
        outer = self.section(name)
        if outer is None:
            return
        for key in list(outer.data):
            if self.collector is None:
                yield key, outer.section(key, required=True)
                continue
            with self.collector.attempt():  # collecting: a non-table entry is recorded, skipped
                section = outer.section(key, required=True)
                yield key, section

    def table_list(self, name: str) -> list[Section]:
        """A key holding one table or an array of tables, as a list of sections."""
        value = self.raw(name)
        if value is None:
            return []
        items = value if isinstance(value, list) else [value]
        return [self._child(item, f"{self.keypath(name)}[{i}]") for i, item in enumerate(items)]

    def done(self) -> None:
        """Reject keys that were never taken: they are typos or unsupported settings."""
        unknown = [k for k in self.data if k not in self._taken]
        expected = "one of " + ", ".join(sorted(self._taken)) if self._taken else None
        if unknown and self.collector is not None and not self.collector.raising:
            for key in unknown:
                self.collector.error(self.error(self.path, self.keypath(key),
                                                "is not a known key", expected))
            raise Reported
        if unknown:
            self.fail(unknown[0], "is not a known key", expected)


def describe(value: Any) -> str:
    """A short phrase for an unexpected value in an error message."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return f"{value!r}"
