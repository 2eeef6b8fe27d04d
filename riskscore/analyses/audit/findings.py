"""What the audit finds: ``Finding`` objects, the model's accepted findings, the result.

Every finding says in plain words what is wrong (``message``) and how to fix it
(``fix``). ``CODES`` lists every code with its level, so the README, the tests and
``[[audit.accept]]`` checking read one table.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

LEVELS = ("error", "warning", "note")

# code -> (level, what it means)
CODES: dict[str, tuple[str, str]] = {
    "invalid": ("error", "an input that score refuses (bad key, type, quote, file)"),
    "out-of-domain": ("error", "a value outside what the indicator can possibly take"),
    "time-leakage": ("error", "a value describing a date after the as-of date"),
    "clipped": ("warning", "a value beyond a goalpost, counted as the goalpost"),
    "zero-variance": ("warning", "an indicator with the same value for every scored entity"),
    "duplicate-indicator": ("warning", "two indicators with identical values (one measured twice)"),
    "high-correlation": ("warning", "two indicators correlated at |r| >= 0.9"),
    "negative-correlation": ("warning", "an indicator correlated negatively with its dimension"),
    "skewed": ("warning", "|skew| > 2 and kurtosis > 3.5: a few values dominate"),
    "shared-evidence": ("warning", "one supplier, source or quote behind several indicators"),
    "later-source": ("warning", "a source published after the as-of date, not marked retrospective"),
    "long-gap": ("warning", "a value counted although it describes a date long before the as-of date"),
    "proxy": ("warning", "a value that is a proxy for what the indicator measures"),
    "dropped-node": ("warning", "a node left out for coverage below min_coverage"),
    "reweight-lowers": ("warning", "a gap where entering a low but non-zero risk lowers the score"),
    "placeholder": ("warning", "a placeholder such as '…' or TODO left in a profile"),
    "ignored-file": ("warning", "a file in the profiles directory ignored for its extension"),
    "hidden-sheet": ("warning", "hidden sheets of a workbook skipped to read the first visible one"),
    "published-before-date": ("warning", "a panel row published before the date it describes"),
    "unknown-accept": ("warning", "an [[audit.accept]] whose code is not an audit code"),
    "judgement": ("note", "a value that rests on a coding judgement"),
    "imputed": ("note", "a missing value filled by the model's imputation rule"),
    "treated": ("note", "an indicator whose outliers were winsorised or log-transformed"),
    "denominated": ("note", "an indicator divided by a denominator"),
    "single-source": ("note", "a value with one uncorroborated source"),
    "later-observation": ("note", "an observation describing a date after the as-of date, left out"),
    "retrospective-source": ("note", "a later source that says it describes the earlier state"),
    "coverage-cliff": ("note", "one more missing value would drop a node"),
    "score-interval": ("note", "the score if every missing value were at lowest / highest risk"),
    "degenerate-statistic": ("note", "a statistic the data leave undefined (a numeric warning, caught)"),
    "too-few-entities": ("note", "statistics the number of entities does not support"),
    "cronbach-alpha": ("note", "internal consistency of a dimension"),
    "pca": ("note", "principal components of a dimension"),
    "weight-importance-gap": ("note", "a child whose share of the variance its node's children "
                                      "explain is far from its nominal weight"),
    "no-domain": ("note", "an indicator without a declared domain"),
    "unused-accept": ("note", "an [[audit.accept]] that matches no finding"),
}


@dataclass(frozen=True)
class Finding:
    """One finding. ``indicators`` lists every indicator it concerns (``indicator`` joins them)."""

    level: str
    code: str
    entity: str | None
    indicators: tuple[str, ...]
    message: str
    fix: str
    accepted: bool = False
    reason: str | None = None

    @property
    def indicator(self) -> str | None:
        return ", ".join(self.indicators) if self.indicators else None

    def to_dict(self) -> dict:
        return {"level": self.level, "code": self.code, "entity": self.entity,
                "indicator": self.indicator, "message": self.message, "fix": self.fix,
                "accepted": self.accepted, "accepted_reason": self.reason}

    def sort_key(self) -> tuple:
        return (self.accepted, LEVELS.index(self.level), self.code, self.entity or "",
                self.indicator or "", self.message)


def finding(code: str, message: str, fix: str, *, entity: str | None = None,
            indicators: tuple[str, ...] | list[str] | str = (), level: str | None = None) -> Finding:
    """A finding with the level ``CODES`` gives ``code`` (unless ``level`` overrides it)."""
    if isinstance(indicators, str):
        indicators = (indicators,)
    return Finding(level or CODES[code][0], code, entity, tuple(indicators), message, fix)


def apply_accepts(findings: list[Finding], accepts) -> list[Finding]:
    """Mark findings the model accepts (``[[audit.accept]]``), and check the accepts themselves.

    An accept matches a finding with its code, and its indicator and entity when
    given. Errors cannot be accepted: they stay errors. An accept with an unknown
    code is a warning; one that matches nothing is a note.
    """
    out = []
    used = [False] * len(accepts)
    for item in findings:
        for n, accept in enumerate(accepts):
            if _matches(accept, item):
                used[n] = True
                if item.level != "error" and not item.accepted:
                    item = replace(item, accepted=True, reason=accept.reason)
        out.append(item)
    for accept, was_used in zip(accepts, used, strict=True):
        where = " ".join(f"{k} = {v!r}" for k, v in (("code", accept.code),
                                                     ("indicator", accept.indicator),
                                                     ("entity", accept.entity)) if v)
        if accept.code not in CODES:
            out.append(finding("unknown-accept", f"The model accepts [{where}], but "
                               f"{accept.code!r} is not an audit code.",
                               "use one of the codes listed in the README (riskscore audit), "
                               "e.g. " + ", ".join(sorted(c for c, (lvl, _) in CODES.items()
                                                          if lvl != "error")[:4]),
                               indicators=accept.indicator or ()))
        elif not was_used:
            out.append(finding("unused-accept", f"The model accepts [{where}], but the audit "
                               "finds nothing it matches.",
                               "delete the [[audit.accept]] entry if the finding is gone for good",
                               indicators=accept.indicator or ()))
    return out


def _matches(accept, item: Finding) -> bool:
    if accept.code != item.code:
        return False
    if accept.indicator is not None and accept.indicator not in item.indicators:
        return False
    return accept.entity is None or (item.entity is not None
                                     and accept.entity.casefold() == item.entity.casefold())


@dataclass(frozen=True)
class AuditResult:
    """Findings (sorted: unaccepted first, errors, warnings, notes), statistics per
    indicator, and each entity's missing-data score interval."""

    findings: tuple[Finding, ...]
    statistics: tuple[dict, ...] = ()
    intervals: tuple[dict, ...] = ()
    inputs: dict = field(default_factory=dict)
    effective_weights: tuple[dict, ...] = ()   # nominal weight vs effective importance

    def count(self, level: str, accepted: bool | None = None) -> int:
        return sum(1 for f in self.findings if f.level == level
                   and (accepted is None or f.accepted == accepted))

    @property
    def strict_failures(self) -> list[Finding]:
        """What fails ``--strict``: every error and every warning the model does not accept."""
        return [f for f in self.findings if f.level == "error"
                or (f.level == "warning" and not f.accepted)]

    def summary(self) -> dict:
        return {"errors": self.count("error"),
                "warnings": self.count("warning", accepted=False),
                "accepted_warnings": self.count("warning", accepted=True),
                "notes": self.count("note"),
                "passes_strict": not self.strict_failures}

    def to_dict(self) -> dict:
        """The JSON contract of ``riskscore audit --format json``."""
        return {"findings": [f.to_dict() for f in self.findings], "summary": self.summary(),
                "statistics": list(self.statistics), "missing_data": list(self.intervals),
                "effective_weights": list(self.effective_weights), "inputs": self.inputs}

    def to_frame(self) -> Any:
        """The findings as a pandas DataFrame, one row per finding (``to_dict``'s fields)."""
        import pandas as pd

        return pd.DataFrame([f.to_dict() for f in self.findings],
                            columns=list(self.findings[0].to_dict()) if self.findings else None)

    def rows(self) -> list[dict]:
        return [{**f.to_dict(), "indicator": f.indicator,
                 "level": f.level + (" (accepted)" if f.accepted else "")}
                for f in self.findings]
