"""What backs a value: evidence items, observations and the article they quote."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from riskscore.errors import DataError

_QUOTE_MARKS = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_SPACE = re.compile(r"\s+")


def normalise_quote(text: str) -> str:
    """Fold whitespace runs to one space and curly quotes to straight ones; nothing else."""
    return _SPACE.sub(" ", text.translate(_QUOTE_MARKS)).strip()


@dataclass(frozen=True)
class Article:
    path: Path
    text: str
    sha256: str

    @classmethod
    def load(cls, path: Path) -> Article:
        from riskscore.support.fileio import MAX_TEXT_BYTES, read_bytes

        path = Path(path)
        data = read_bytes(path, DataError, "article text", limit=MAX_TEXT_BYTES)
        text = data.decode("utf-8", errors="replace")
        return cls(path, text, hashlib.sha256(data).hexdigest())

    def contains(self, quote: str) -> bool:
        return normalise_quote(quote) in self._normalised

    @property
    def _normalised(self) -> str:
        cached = self.__dict__.get("_norm")
        if cached is None:
            cached = normalise_quote(self.text)
            object.__setattr__(self, "_norm", cached)
        return cached


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence: an article quote, an external source, or a data-table cell."""

    kind: str
    quote: str | None = None
    source: str | None = None
    url: str | None = None
    date: dt.date | None = None
    note: str | None = None
    document: str | None = None   # the source document an article quote is from
    retrospective: str | None = None   # a later source: why it describes the earlier state

    def cite(self) -> str:
        """A one-line citation for tables."""
        if self.kind == "article":
            if self.document:
                when = f", {self.date.isoformat()}" if self.date else ""
                return f"“{self.quote}” (document {self.document}{when})"
            return f"“{self.quote}” (article)"
        parts = [self.source or ""]
        if self.date:
            parts.append(self.date.isoformat())
        if self.url:
            parts.append(self.url)
        return ", ".join(p for p in parts if p)

    def to_dict(self) -> dict[str, Any]:
        out = {"kind": self.kind}
        for key in ("quote", "source", "url", "date", "note", "document", "retrospective"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out


@dataclass(frozen=True)
class Observation:
    """An entity's raw value for one indicator, or the reason it is missing."""

    entity: str
    indicator: str
    value: float | None
    lower: float | None = None
    upper: float | None = None
    as_of: dt.date | None = None
    judgement: str | None = None
    evidence: tuple[Evidence, ...] = ()
    missing_reason: str | None = None
    derivation: str | None = None
    absent: str | None = None                  # documented absence: the value is the no-risk value
    suppliers: tuple[str, ...] = ()             # registry ids a derived value counted
    published: dt.date | None = None   # when it became known (see riskscore.model.timeline)
    selection: str | None = None       # why this observation was chosen among several

    @property
    def is_missing(self) -> bool:
        return self.value is None

    @property
    def is_absent(self) -> bool:
        """Documented absent (a value, with evidence), as opposed to missing (unknown)."""
        return self.absent is not None

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.kind for e in self.evidence))

    @property
    def source_kind(self) -> str:
        """'article' if any evidence quotes the article, else the first kind, else 'missing'."""
        if self.is_missing:
            return "missing"
        kinds = self.kinds
        if "article" in kinds:
            return "article"
        return kinds[0] if kinds else "external"
