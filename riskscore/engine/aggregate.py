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

Operators (``Model`` node ``aggregation``): weighted arithmetic, geometric,
harmonic and power means; the complement geometric mean ``k - GM(k - x)``;
maximum and minimum of the children times per-child multipliers; ``invert``
(``1 - x``) and ``ratio`` (numerator / denominator). All work on the 0-1 scale.

Decomposition (``decompose``): a node's score is shared among its children and
the shares multiplied down the tree, so indicator contributions (plus the
constant parts of ``invert``/``ratio`` nodes) sum exactly to the score.
Arithmetic nodes share by weighted term ``w_c * s_c / s``. Geometric nodes share
in log space relative to the floor: ``t_c = w_c * ln(s_c / floor)``, share
``t_c / sum(t)``, which is exact because ``ln(s / floor) = sum(t)``. Every other
operator shares by Shapley values over its children (``riskscore.engine.shapley``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from riskscore.model.types import MEANS, Model

SHAPLEY_RULE = ("Shapley values over the children (each child's absence = 0 risk; for a ratio, "
                "= 1): child share = phi_c / s, and f(absent) stays with the node as a constant "
                "(sums exactly to the score)")
DECOMPOSITION = {
    "arithmetic": "weighted terms: child share = w_c * s_c / s (sums exactly to the score)",
    "geometric": "log-share relative to the geometric floor: child share = "
                 "w_c * ln(s_c / floor) / ln(s / floor) (sums exactly to the score)",
    **{op: SHAPLEY_RULE for op in ("harmonic", "power", "complement_geometric", "max", "min",
                                   "invert", "ratio")},
    "sum": "weighted terms of the sum: child share = w_c * s_c / sum(w * s) (sums exactly "
           "to the score)",
}
# A node whose aggregate is rescaled across entities or rounded shares its value among its
# children as it shares the aggregate before that step.
POST_STEP_RULE = ("a node rescaled across entities (rank, percentile, minmax) or rounded shares "
                  "its value among its children in the proportions in which they make up its "
                  "aggregate before that step (sums exactly to the score)")


@dataclass(frozen=True)
class NodeRule:
    """How one node combines its children: the operator and its parameters (0-1 scale)."""

    op: str
    power: float = 1.0
    complement: float = 1.0                   # k of the complement geometric mean
    multipliers: np.ndarray | None = None     # (C,) for max/min
    zeros: str = "floor"
    operands: tuple[int, int] = (0, 1)        # ratio: positions of numerator, denominator
    total: float = 1.0                        # sum: the children's configured weights' total
    rescale: str | None = None                # then: rank, percentile or minmax across entities
    ties: str = "average"                     # rescale's tie rule
    decimals: int | None = None               # then: rounded to this many decimals ...
    scale: float = 1.0                        # ... in scale units

    @property
    def post_step(self) -> bool:
        """True when the node's value is its aggregate rescaled or rounded."""
        return self.rescale is not None or self.decimals is not None

@dataclass(frozen=True)
class Hierarchy:
    indicator_ids: tuple[str, ...]
    node_ids: tuple[str, ...]           # children before parents; the root is last
    children: tuple[np.ndarray, ...]    # slot indices of each node's children
    weights: tuple[np.ndarray, ...]     # each node's normalised child weights
    geometric: np.ndarray               # (N,) bool
    min_coverage: np.ndarray            # (N,)
    floor: float
    rules: tuple[NodeRule, ...]         # per node, in node order

    def rule(self, n: int) -> NodeRule:
        return self.rules[n]

    @property
    def means_only(self) -> bool:
        """True when every node is a weighted arithmetic or geometric mean (the fast paths)."""
        return all(r.op in MEANS and not r.post_step for r in self.rules)

    @classmethod
    def from_model(cls, model: Model) -> Hierarchy:
        indicator_ids = tuple(model.indicators)
        order = _children_first(model)
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
            rules=tuple(_rule(model, n) for n in order),
        )

    @property
    def n_slots(self) -> int:
        return len(self.indicator_ids) + len(self.node_ids)

    def slot(self, item_id: str) -> int:
        return self._slots[item_id]

    @cached_property
    def _slots(self) -> dict[str, int]:
        """Each indicator's and node's slot, looked up in O(1) (10,000-indicator models)."""
        out = {n: len(self.indicator_ids) + k for k, n in enumerate(self.node_ids)}
        out.update({i: k for k, i in enumerate(self.indicator_ids)})   # indicators first
        return out


def _children_first(model: Model) -> list[str]:
    """Node ids in post-order (children before parents, the root last), without recursion."""
    order: list[str] = []
    stack: list[tuple[str, bool]] = [(model.root, False)]
    while stack:
        node_id, expanded = stack.pop()
        if expanded:
            order.append(node_id)
            continue
        stack.append((node_id, True))
        for child in reversed(model.children[node_id]):
            if child in model.nodes:
                stack.append((child, False))
    return order


def _rule(model: Model, node_id: str) -> NodeRule:
    node = model.nodes[node_id]
    kids = model.children[node_id]
    multipliers = None
    if node.multipliers:
        given = dict(node.multipliers)
        multipliers = np.array([given.get(k, 1.0) for k in kids], dtype=float)
    operands = (0, 1)
    if node.aggregation == "ratio":
        operands = (kids.index(node.numerator), kids.index(node.denominator))
    return NodeRule(op=node.aggregation, power=node.power or 1.0,
                    complement=(node.complement if node.complement is not None
                                else model.scale) / model.scale,
                    multipliers=multipliers, zeros=node.zeros, operands=operands,
                    total=float(sum(model.weight(k) for k in kids)),
                    rescale=node.rescale, ties=model.ties_of(node_id),
                    decimals=node.decimals, scale=model.scale)


def aggregate(hierarchy: Hierarchy, values: np.ndarray,
              weights: tuple[np.ndarray, ...] | None = None,
              geometric: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Score every node for every entity.

    Parameters: ``values`` ``(..., E, I)`` normalised to [0, 1], NaN = missing;
    ``weights`` per node (default: the model's), need not be normalised;
    ``geometric`` per node (default: the model's) switches a weighted mean between
    arithmetic and geometric (other operators keep their rule).
    Returns ``(slots, coverage)``: ``slots`` is ``(..., E, I + N)`` with node scores
    after the indicators, ``coverage`` ``(..., E, N)`` is the share of each node's
    weight on available children.
    """
    weights = hierarchy.weights if weights is None else weights
    geometric = hierarchy.geometric if geometric is None else np.asarray(geometric)
    n_ind = len(hierarchy.indicator_ids)
    slots = np.empty(values.shape[:-1] + (hierarchy.n_slots,), dtype=float)
    slots[..., :n_ind] = values
    coverage = np.empty(values.shape[:-1] + (len(hierarchy.node_ids),), dtype=float)
    for n, kids in enumerate(hierarchy.children):
        slots[..., n_ind + n], coverage[..., n] = aggregate_node(
            hierarchy, n, slots[..., kids], weights[n], geometric[..., n])
    return slots, coverage


def aggregate_node(hierarchy: Hierarchy, n: int, child: np.ndarray, weights: np.ndarray,
                   geo: np.ndarray | bool, finish: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Node ``n``'s score and coverage from its children's values ``(..., E, C)``.

    ``weights`` ``(C,)`` or ``(..., C)``; ``geo`` whether a weighted-mean node is
    geometric (scalar or ``(...)``). The one rule ``aggregate`` applies at every node;
    exposed so that an analysis changing one node's weights can re-score only the
    path above it (``riskscore.analyses.sensitivity.tipping``). A node with ``rescale``
    or ``round`` then re-expresses the aggregate across the entities (axis -1 of the
    result) and rounds it; ``finish=False`` returns the aggregate before those steps.
    """
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        available = ~np.isnan(child)
        w = np.asarray(weights, dtype=float)[..., None, :]
        w_avail = np.where(available, w, 0.0)
        w_sum = w_avail.sum(axis=-1)
        cover = w_sum / w.sum(axis=-1)
        rule = hierarchy.rule(n)
        if rule.op in MEANS:
            floor = hierarchy.floor if rule.zeros == "floor" else 0.0
            score = _weighted_means(child, available, w_avail, w_sum, np.asarray(geo), floor)
        elif rule.op == "sum":
            score = rule.total * (w_avail * np.where(available, child, 0.0)).sum(axis=-1) \
                / w.sum(axis=-1)
        else:
            score = node_value(rule, child, available, w_avail, w_sum, hierarchy.floor)
        ok = (w_sum > 0) & (cover >= hierarchy.min_coverage[n] - 1e-12)
        score = np.where(ok, score, np.nan)
        if finish and rule.post_step:
            score = finish_node(rule, score)
        return score, cover


def finish_node(rule: NodeRule, score: np.ndarray) -> np.ndarray:
    """The node's aggregate ``(..., E)`` rescaled across the entities, then rounded.

    ``rescale``: ``percentile`` and ``minmax`` give 0-1, ``rank`` the rank in scale units
    (1 = least risk), each with the node's tie rule; ``round = d``: ``d`` decimals in
    scale units, halves away from zero. Missing stays missing.
    """
    from riskscore.engine.normalise import minmax_normalise, percentile_normalise, rank_normalise

    if rule.rescale is not None:
        # equal to 9 decimals is tied (as ``competition_ranks``): a sum of rounded values
        # must not be ordered by floating-point noise (0.2727 + 2 * 0.7273 vs 0.4545 + ...)
        column = np.round(score, 9)[..., None]
        if rule.rescale == "percentile":
            score = percentile_normalise(column, np.array([True]), rule.ties)[..., 0]
        elif rule.rescale == "rank":
            score = rank_normalise(column, np.array([True]), rule.ties)[..., 0] / rule.scale
        else:
            score = minmax_normalise(column, np.array([True]))[..., 0]
    if rule.decimals is not None:
        score = round_half_away(score * rule.scale, rule.decimals) / rule.scale
    return score


def round_half_away(values: np.ndarray, decimals: int) -> np.ndarray:
    """Round to ``decimals`` places, halves away from zero (Excel's ROUND, not numpy's
    half-to-even); a value a few ulps below a half (0.285 * 100) still rounds up."""
    factor = 10.0 ** decimals
    with np.errstate(invalid="ignore"):
        scaled = np.round(np.asarray(values, dtype=float) * factor, 6)
        return np.sign(scaled) * np.floor(np.abs(scaled) + 0.5) / factor


def _weighted_means(child: np.ndarray, available: np.ndarray, w_avail: np.ndarray,
                    w_sum: np.ndarray, geo: np.ndarray, floor: float) -> np.ndarray:
    filled = np.where(available, child, 0.0)
    score: np.ndarray | None = None
    if np.any(~geo):
        score = (w_avail * filled).sum(axis=-1) / w_sum
    if np.any(geo):
        logs = np.where(available, np.log(np.maximum(filled, floor)), 0.0)
        geo_score = np.exp((w_avail * logs).sum(axis=-1) / w_sum)
        score = geo_score if score is None else np.where(geo[..., None], geo_score, score)
    return score if score is not None else np.full(np.shape(w_sum), np.nan)   # no draws


def node_value(rule: NodeRule, child: np.ndarray, available: np.ndarray, w_avail: np.ndarray,
               w_sum: np.ndarray, floor: float) -> np.ndarray:
    """One node's value from its children ``(..., E, C)`` under ``rule`` (NaN = missing).

    Weighted means re-weight over the available children (``w_avail``, summing to
    ``w_sum``); ``invert`` and ``ratio`` are missing when an operand is.
    """
    op = rule.op
    filled = np.where(available, child, 0.0)
    if op == "arithmetic":
        return np.asarray((w_avail * filled).sum(axis=-1) / w_sum)
    if op in ("geometric", "harmonic", "power"):
        x = _zero_rule(filled, available, rule.zeros, floor)
        if op == "geometric":
            with np.errstate(divide="ignore"):
                logs = np.where(w_avail > 0, np.log(x), 0.0)
            return np.asarray(np.exp((w_avail * logs).sum(axis=-1) / w_sum))
        p = -1.0 if op == "harmonic" else rule.power
        with np.errstate(divide="ignore"):
            terms = np.where(w_avail > 0, x ** p, 0.0)
        mean_p = (w_avail * terms).sum(axis=-1) / w_sum
        with np.errstate(divide="ignore"):
            return np.where(np.isinf(mean_p), 0.0, mean_p ** (1.0 / p))
    if op == "complement_geometric":
        k = rule.complement
        with np.errstate(divide="ignore"):
            logs = np.where(w_avail > 0, np.log(np.maximum(k - filled, 0.0)), 0.0)
        return np.asarray(k - np.exp((w_avail * logs).sum(axis=-1) / w_sum))
    if op in ("max", "min"):
        # a child weighing 0 is dropped, as in the means (``--weight CHILD=0`` removes it)
        counts = available & (w_avail > 0)
        m = rule.multipliers if rule.multipliers is not None else 1.0
        scaled = child * m
        pick = np.fmax if op == "max" else np.fmin
        out = pick.reduce(np.where(counts, scaled, np.nan), axis=-1)
        return np.where(counts.any(axis=-1), out, np.nan)
    if op == "invert":
        return 1.0 - child[..., 0]
    if op == "ratio":
        num, den = child[..., rule.operands[0]], child[..., rule.operands[1]]
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    raise ValueError(f"unknown aggregation {op!r}")  # the model refuses it first


def _zero_rule(x: np.ndarray, available: np.ndarray, zeros: str, floor: float) -> np.ndarray:
    """Values of a geometric/harmonic/power mean after the node's rule for zeros.

    ``floor`` raises values below the geometric floor to it (one zero does not erase
    the node); ``zero`` keeps them, so a zero child makes the mean 0; ``error`` is
    checked by the pipeline before aggregation (see ``zero_violations``).
    """
    if zeros == "floor":
        return np.where(available, np.maximum(x, floor), 1.0)
    return np.where(available, np.maximum(x, 0.0), 1.0)


def zero_violations(hierarchy: Hierarchy, slots: np.ndarray) -> list[tuple[int, str, int]]:
    """(entity, node id, child slot) where a node with ``zeros = "error"`` has a child <= 0."""
    found = []
    for n, kids in enumerate(hierarchy.children):
        if hierarchy.rule(n).zeros != "error":
            continue
        child = slots[..., kids]
        for e, c in np.argwhere(child <= 0):
            found.append((int(e), hierarchy.node_ids[n], int(kids[c])))
    return found


@dataclass(frozen=True)
class Decomposition:
    """``allocation``/``effective`` ``(..., E, I + N)`` and ``constant`` ``(..., E, N)``.

    ``allocation[..., i]`` is slot ``i``'s part of the root score (0-1 units); the
    indicator parts plus every node's ``constant`` part sum exactly to the root
    score. ``constant`` is non-zero only for Shapley nodes whose value with every
    child absent is not 0 (``invert``'s 1, a ratio's 1, a floored mean's floor).
    """

    allocation: np.ndarray
    effective: np.ndarray
    constant: np.ndarray


def decompose(hierarchy: Hierarchy, slots: np.ndarray,
              weights: tuple[np.ndarray, ...] | None = None,
              geometric: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Share each root score among the slots, top-down: ``(allocation, effective)``.

    See ``decompose_nodes`` for the constant parts of Shapley nodes.
    """
    parts = decompose_nodes(hierarchy, slots, weights, geometric)
    return parts.allocation, parts.effective


def decompose_nodes(hierarchy: Hierarchy, slots: np.ndarray,
                    weights: tuple[np.ndarray, ...] | None = None,
                    geometric: np.ndarray | None = None) -> Decomposition:
    """Share each root score among the slots, top-down.

    ``allocation[..., i]`` is slot ``i``'s part of the root score (same units as
    the scores), ``effective_weight`` the product of re-weighted shares from the
    root down. Missing slots get NaN.
    """
    weights = hierarchy.weights if weights is None else weights
    geometric = hierarchy.geometric if geometric is None else np.asarray(geometric)
    n_ind = len(hierarchy.indicator_ids)
    allocation = np.full(slots.shape, np.nan)
    effective = np.full(slots.shape, np.nan)
    constant = np.zeros(slots.shape[:-1] + (len(hierarchy.node_ids),))
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
            rule = hierarchy.rule(n)
            if rule.post_step:   # share the value as the aggregate before the step is shared
                parent_score = aggregate_node(hierarchy, n, child, weights[n],
                                              geometric[..., n], finish=False)[0][..., None]
            if rule.op == "sum":
                share = _term_shares(child, available, w_norm)
            elif rule.op in MEANS:
                share = _mean_shares(hierarchy, child, available, w_norm, parent_score,
                                     geometric[..., n])
            else:
                share, const = _shapley_shares(hierarchy, rule, child, w,
                                               parent_score)
                constant[..., n] = np.nan_to_num(allocation[..., n_ind + n] * const)
            share = np.where(available, share, np.nan)
            allocation[..., kids] = allocation[..., n_ind + n][..., None] * share
            effective[..., kids] = effective[..., n_ind + n][..., None] * np.where(
                available, w_norm, np.nan)
    return Decomposition(allocation, effective, constant)


def _term_shares(child: np.ndarray, available: np.ndarray, w_norm: np.ndarray) -> np.ndarray:
    """A sum's shares ``w_c * s_c / sum(w * s)``; all-zero terms share by weight."""
    terms = np.where(available, w_norm * child, 0.0)
    total = terms.sum(axis=-1, keepdims=True)
    return np.where(total > 0, terms / np.where(total > 0, total, 1.0), w_norm)


def _mean_shares(hierarchy: Hierarchy, child: np.ndarray, available: np.ndarray,
                 w_norm: np.ndarray, parent_score: np.ndarray, geo: np.ndarray) -> np.ndarray:
    arithmetic_share = np.where(parent_score > 0, w_norm * child / parent_score, w_norm)
    if not np.any(geo):
        return arithmetic_share
    terms = w_norm * np.log(np.maximum(np.where(available, child, 1.0),
                                       hierarchy.floor) / hierarchy.floor)
    total = terms.sum(axis=-1, keepdims=True)
    geo_share = np.where(total > 0, terms / total, w_norm)
    return np.where(geo[..., None, None], geo_share, arithmetic_share)


def _shapley_shares(hierarchy: Hierarchy, rule: NodeRule, child: np.ndarray, w: np.ndarray,
                    parent_score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Children's shares ``phi_c / s`` and the node's constant share ``f(absent) / s``."""
    from riskscore.engine.shapley import shapley_values

    w_sum = w.sum(axis=-1)

    def value_of(x: np.ndarray) -> np.ndarray:
        return node_value(rule, x, ~np.isnan(x), w, w_sum, hierarchy.floor)

    phi, const = shapley_values(value_of, child, 1.0 if rule.op == "ratio" else 0.0)
    scored = (parent_score != 0) & ~np.isnan(parent_score)
    safe = np.where(scored, parent_score, 1.0)
    share = np.where(scored, phi / safe, 0.0)
    return share, np.where(scored[..., 0], const / safe[..., 0], 0.0)
