"""Raw values made ready for normalisation: denomination, imputation, outlier treatment.

The order is COINr's (and the JRC/OECD Handbook's): each indicator is divided by
its denominator, its gaps are imputed, then its outliers are treated; only then
is it normalised. Each step that changes a cell is recorded as a ``Step``, so
``explain`` and ``audit`` can show what was done to every value, and an imputed
value is always shown as imputed, never as observed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from riskscore.engine.prepare.denominate import denominate
from riskscore.engine.prepare.impute import impute
from riskscore.engine.prepare.treat import treat

if TYPE_CHECKING:
    from riskscore.model.types import Model


@dataclass(frozen=True)
class Step:
    """One change to one cell: ``kind`` is denominated, imputed, winsorised or log-treated."""

    entity: str
    indicator: str
    kind: str
    before: float | None
    after: float
    note: str

    def to_dict(self) -> dict[str, Any]:
        return {"step": self.kind, "before": self.before, "after": self.after, "note": self.note}


@dataclass(frozen=True)
class Prepared:
    values: np.ndarray              # (E, I) after every step; NaN = still missing
    imputed: np.ndarray             # (E, I) bool: filled by imputation
    steps: tuple[Step, ...]


def prepare(model: Model, indicator_ids: tuple[str, ...], entities: tuple[str, ...],
            raw: np.ndarray, denominators: dict[str, np.ndarray],
            groups: Callable[[str, str], str | None]) -> Prepared:
    """Apply the model's denomination, imputation and treatment to ``raw`` ``(E, I)``.

    ``denominators`` maps each denominator id to its ``(E,)`` values (NaN = missing);
    ``groups(entity, column)`` gives an entity's group for group imputation.
    """
    steps: list[Step] = []
    values = np.array(raw, dtype=float, copy=True)
    imputed = np.zeros(values.shape, dtype=bool)
    for col, ind_id in enumerate(indicator_ids):
        ind = model.indicators[ind_id]
        if ind.denominator is not None:
            values[:, col], notes = denominate(values[:, col], denominators[ind.denominator],
                                               ind.per, ind.denominator)
            steps += _steps(entities, ind_id, "denominated", raw[:, col], values[:, col], notes)
        method = model.imputation_of(ind_id)
        if method != "none":
            labels = [groups(e, ind.group) if ind.group else None for e in entities]
            before = values[:, col].copy()
            values[:, col], notes = impute(before, method, labels, ind.higher_is_riskier)
            filled = np.isnan(before) & ~np.isnan(values[:, col])
            imputed[:, col] = filled
            steps += _steps(entities, ind_id, "imputed", before, values[:, col], notes)
        if model.treatment_of(ind_id) == "winsorise":
            before = values[:, col].copy()
            values[:, col], kind, notes = treat(before, model.treatment_rule)
            steps += _steps(entities, ind_id, kind, before, values[:, col], notes)
    return Prepared(values, imputed, tuple(steps))


def _steps(entities: tuple[str, ...], ind_id: str, kind: str, before: np.ndarray,
           after: np.ndarray, notes: list[str | None]) -> list[Step]:
    out = []
    for e, entity in enumerate(entities):
        note = notes[e]
        if note is None:
            continue
        was = None if np.isnan(before[e]) else float(before[e])
        out.append(Step(entity, ind_id, kind, was, float(after[e]), note))
    return out
