"""Weighted aggregation up the hierarchy, and its exact additive decomposition.

The model is compiled once into a ``Hierarchy`` of integer "slots": slots
``0..I-1`` hold the normalised indicators, slot ``I + n`` holds node ``n``; nodes
are ordered children-first, so one pass up the list scores the whole tree.

Every array may carry leading batch axes (e.g. Monte Carlo samples): values are
``(..., E, I)``, a node's weights ``(C,)`` or ``(..., C)``, aggregation flags
``(N,)`` or ``(..., N)``. One call scores all samples; the only Python loop is
over the nodes of the tree.

Missing data (NaN) is re-weighted over the available children; a node whose
available children carry less than its ``min_coverage`` share of weight is
itself missing.

Decomposition (``decompose``): a node's score is shared among its children and
the shares multiplied down the tree, so indicator contributions sum exactly to
the score. Arithmetic nodes share by weighted term ``w_c * s_c / s``. Geometric
nodes share in log space relative to the floor: ``t_c = w_c * ln(s_c / floor)``,
share ``t_c / sum(t)``, which is exact because ``ln(s / floor) = sum(t)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from riskscore.model import Model

DECOMPOSITION = {
    "arithmetic": "weighted terms: child share = w_c * s_c / s (sums exactly to the score)",
    "geometric": "log-share relative to the geometric floor: child share = "
                 "w_c * ln(s_c / floor) / ln(s / floor) (sums exactly to the score)",
}


@dataclass(frozen=True)
class Hierarchy:
    indicator_ids: tuple[str, ...]
    node_ids: tuple[str, ...]           # children before parents; the root is last
    children: tuple[np.ndarray, ...]    # slot indices of each node's children
    weights: tuple[np.ndarray, ...]     # each node's normalised child weights
    geometric: np.ndarray               # (N,) bool
    min_coverage: np.ndarray            # (N,)
    floor: float

    @classmethod
    def from_model(cls, model: Model) -> Hierarchy:
        indicator_ids = tuple(model.indicators)
        order: list[str] = []

        def visit(node_id: str) -> None:
            for child in model.children[node_id]:
                if child in model.nodes:
                    visit(child)
            order.append(node_id)

        visit(model.root)
        slots = {iid: i for i, iid in enumerate(indicator_ids)}
        slots.update({nid: len(indicator_ids) + n for n, nid in enumerate(order)})
        children, weights = [], []
        for node_id in order:
            kids = model.children[node_id]
            raw = np.array([model.weight(k) for k in kids], dtype=float)
            children.append(np.array([slots[k] for k in kids], dtype=int))
            weights.append(raw / raw.sum())
        return cls(
            indicator_ids=indicator_ids,
            node_ids=tuple(order),
            children=tuple(children),
            weights=tuple(weights),
            geometric=np.array([model.nodes[n].aggregation == "geometric" for n in order]),
            min_coverage=np.array([model.nodes[n].min_coverage for n in order]),
            floor=model.geometric_floor,
        )

    @property
    def n_slots(self) -> int:
        return len(self.indicator_ids) + len(self.node_ids)

    def slot(self, item_id: str) -> int:
        if item_id in self.indicator_ids:
            return self.indicator_ids.index(item_id)
        return len(self.indicator_ids) + self.node_ids.index(item_id)


def aggregate(hierarchy: Hierarchy, values: np.ndarray,
              weights: tuple[np.ndarray, ...] | None = None,
              geometric: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Score every node for every entity.

    Parameters: ``values`` ``(..., E, I)`` normalised to [0, 1], NaN = missing;
    ``weights`` per node (default: the model's), need not be normalised;
    ``geometric`` per node (default: the model's).
    Returns ``(slots, coverage)``: ``slots`` is ``(..., E, I + N)`` with node scores
    in [0, 1] after the indicators, ``coverage`` ``(..., E, N)`` is the share of
    each node's weight on available children.
    """
    weights = hierarchy.weights if weights is None else weights
    geometric = hierarchy.geometric if geometric is None else np.asarray(geometric)
    n_ind = len(hierarchy.indicator_ids)
    slots = np.empty(values.shape[:-1] + (hierarchy.n_slots,), dtype=float)
    slots[..., :n_ind] = values
    coverage = np.empty(values.shape[:-1] + (len(hierarchy.node_ids),), dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        for n, kids in enumerate(hierarchy.children):
            child = slots[..., kids]
            available = ~np.isnan(child)
            w = np.asarray(weights[n], dtype=float)[..., None, :]
            w_avail = np.where(available, w, 0.0)
            w_sum = w_avail.sum(axis=-1)
            cover = w_sum / w.sum(axis=-1)
            filled = np.where(available, child, 0.0)
            geo = geometric[..., n]
            score = None
            if np.any(~geo):
                score = (w_avail * filled).sum(axis=-1) / w_sum
            if np.any(geo):
                logs = np.log(np.maximum(filled, hierarchy.floor))
                geo_score = np.exp((w_avail * logs).sum(axis=-1) / w_sum)
                score = geo_score if score is None else np.where(geo[..., None], geo_score, score)
            ok = (w_sum > 0) & (cover >= hierarchy.min_coverage[n] - 1e-12)
            slots[..., n_ind + n] = np.where(ok, score, np.nan)
            coverage[..., n] = cover
    return slots, coverage


def decompose(hierarchy: Hierarchy, slots: np.ndarray,
              weights: tuple[np.ndarray, ...] | None = None,
              geometric: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Share each root score among the slots, top-down.

    Returns ``(allocation, effective_weight)``, both ``(..., E, I + N)``:
    ``allocation[..., i]`` is slot ``i``'s part of the root score (same units as
    the scores; the indicator parts sum exactly to the root score), and
    ``effective_weight`` is the product of re-weighted shares from the root down.
    Missing slots get NaN.
    """
    weights = hierarchy.weights if weights is None else weights
    geometric = hierarchy.geometric if geometric is None else np.asarray(geometric)
    n_ind = len(hierarchy.indicator_ids)
    allocation = np.full(slots.shape, np.nan)
    effective = np.full(slots.shape, np.nan)
    root = hierarchy.n_slots - 1
    allocation[..., root] = slots[..., root]
    effective[..., root] = np.where(np.isnan(slots[..., root]), np.nan, 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        for n in range(len(hierarchy.node_ids) - 1, -1, -1):
            kids = hierarchy.children[n]
            parent_score = slots[..., n_ind + n][..., None]
            child = slots[..., kids]
            available = ~np.isnan(child)
            w = np.where(available, np.asarray(weights[n], dtype=float)[..., None, :], 0.0)
            w_norm = w / w.sum(axis=-1, keepdims=True)
            arithmetic_share = np.where(parent_score > 0, w_norm * child / parent_score, w_norm)
            share = arithmetic_share
            geo = geometric[..., n]
            if np.any(geo):
                terms = w_norm * np.log(np.maximum(np.where(available, child, 1.0),
                                                   hierarchy.floor) / hierarchy.floor)
                total = terms.sum(axis=-1, keepdims=True)
                geo_share = np.where(total > 0, terms / total, w_norm)
                share = np.where(geo[..., None, None], geo_share, arithmetic_share)
            share = np.where(available, share, np.nan)
            allocation[..., kids] = allocation[..., n_ind + n][..., None] * share
            effective[..., kids] = effective[..., n_ind + n][..., None] * np.where(
                available, w_norm, np.nan)
    return allocation, effective
