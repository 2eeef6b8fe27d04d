"""Weight tipping points: the share at which two countries adjacent in the ranking swap.

For a weight ``item`` (a node or indicator with siblings) set to share ``w`` of
its parent, siblings rescaled to ``1 - w`` in their configured proportions (the
``--weight NODE=W`` rule of ``apply_weight_overrides``), every entity's score is
a function ``s_e(w)``.

Exact case (every node from the parent up to the index is arithmetic): the
parent's score is a re-weighted mean over the entity's available children,
``N_e(w) / D_e(w)`` with ``N_e``, ``D_e`` linear in ``w`` and
``D_e(w) = w * a_item + (1 - w) * sum_j r_j a_j`` (``a`` = 1 if available, ``r_j``
the siblings' configured proportions). Arithmetic ancestors add constants and
scale, so ``s_e(w) = alpha_e + beta_e N_e(w) / D_e(w)`` and
``(s_a(w) - s_b(w)) D_a(w) D_b(w)`` is a polynomial of degree <= 2 in ``w``. It
is fitted exactly through three evaluations of the real engine and its roots
solved in closed form. Otherwise (a geometric node on the path) the difference
is evaluated on a grid and each sign change refined with ``scipy.optimize.brentq``.

Every root is checked by re-scoring just either side of it; only swaps inside
[0, 1] are kept, the nearest one in each direction from the configured share.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from riskscore.aggregate import Hierarchy, aggregate
from riskscore.assessment import Assessment
from riskscore.weights import apply_weight_overrides

CHECK_STEP = 1e-7     # re-score this far either side of a root to confirm the swap
EXACT_POINTS = (0.2, 0.5, 0.8)


@dataclass(frozen=True)
class TippingPoint:
    """``overtaker`` passes ``overtaken`` when ``node``'s share moves from ``weight_from`` to ``weight_to``.

    ``method`` is "exact" (closed form) or "numeric" (brentq). Shares are of
    the parent ``parent``; siblings keep their proportions.
    """

    node: str
    parent: str
    weight_from: float
    weight_to: float
    overtaker: str
    overtaken: str
    method: str

    @property
    def distance(self) -> float:
        return self.weight_to - self.weight_from

    def to_dict(self) -> dict:
        return {"node": self.node, "parent": self.parent, "weight_from": self.weight_from,
                "weight_to": self.weight_to, "distance": self.distance,
                "entities": [self.overtaker, self.overtaken], "method": self.method}

    def short(self, entity: str, label: str | None = None) -> str:
        """From ``entity``'s side, e.g. 'debt 0.25→0.11 swaps it with Uzbekistan'."""
        other = self.overtaken if entity == self.overtaker else self.overtaker
        start, end = _pair(self.weight_from, self.weight_to)
        return f"{label or self.node} {start}→{end} swaps it with {other}"

    def sentence(self, label: str | None = None) -> str:
        """E.g. 'Kyrgyzstan overtakes Tajikistan if the debt weight rises from 0.25 to 0.34'."""
        verb = "rises" if self.weight_to > self.weight_from else "falls"
        start, end = _pair(self.weight_from, self.weight_to)
        return (f"{self.overtaker} overtakes {self.overtaken} if the {label or self.node} weight "
                f"{verb} from {start} to {end} (share of {self.parent})")


class ShareScorer:
    """Scores all entities for many shares of one item at once (the real aggregate())."""

    def __init__(self, assessment: Assessment, item: str):
        self.assessment = assessment
        self.model = assessment.model
        self.item = item
        self.parent = self.model.parent(item)
        self.hierarchy = assessment.hierarchy
        self.values = assessment.slots[:, : len(self.hierarchy.indicator_ids)]
        self.node_index = self.hierarchy.node_ids.index(self.parent)

    def weights_at(self, share: float) -> np.ndarray:
        model = apply_weight_overrides(self.model, {self.item: float(share)})
        return Hierarchy.from_model(model).weights[self.node_index]

    def scores(self, shares: np.ndarray) -> np.ndarray:
        """``(len(shares), E)`` index scores in scale units."""
        shares = np.atleast_1d(np.asarray(shares, dtype=float))
        weights = list(self.hierarchy.weights)
        weights[self.node_index] = np.array([self.weights_at(s) for s in shares])
        values = np.broadcast_to(self.values, (len(shares),) + self.values.shape)
        slots, _ = aggregate(self.hierarchy, values, tuple(weights))
        return slots[..., -1] * self.model.scale

    def denominators(self, shares: np.ndarray) -> np.ndarray:
        """``(len(shares), E)``: the parent's available weight D_e(w) (1 where the parent is missing)."""
        kids = self.hierarchy.children[self.node_index]
        available = ~np.isnan(self.assessment.slots[:, kids])
        weights = np.array([self.weights_at(s) for s in np.atleast_1d(shares)])
        d = weights @ available.T.astype(float)
        return np.where(available.any(axis=1), d, 1.0)

    def exact(self) -> bool:
        """True if the parent and every node above it aggregate arithmetically."""
        path = self.model.path_to_root(self.parent)
        return not any(self.hierarchy.geometric[self.hierarchy.node_ids.index(n)] for n in path)


def weight_items(assessment: Assessment) -> list[str]:
    """Nodes and indicators (model order) whose parent has other children with weight."""
    model = assessment.model
    out = []
    for item in (*list(model.nodes)[1:], *model.indicators):
        parent = model.parent(item)
        siblings = [s for s in model.children[parent] if s != item]
        if siblings and sum(model.weight(s) for s in siblings) > 0:
            out.append(item)
    return out


def adjacent_pairs(assessment: Assessment) -> list[tuple[int, int]]:
    """Entity positions ``(upper, lower)`` next to each other in the nominal ranking, ties left out."""
    order = [e for e in assessment.order() if not np.isnan(assessment.scores[e])]
    return [(a, b) for a, b in zip(order, order[1:], strict=False)
            if assessment.ranks[a] < assessment.ranks[b]]


def find_tipping_points(assessment: Assessment, *, grid: int = 401,
                        items: list[str] | None = None) -> list[TippingPoint]:
    """Every weight's swaps of adjacent pairs, nearest first in each direction.

    Sorted by absolute distance from the configured share, then node and entities.
    """
    pairs = adjacent_pairs(assessment)
    points: list[TippingPoint] = []
    if not pairs:
        return points
    for item in items if items is not None else weight_items(assessment):
        scorer = ShareScorer(assessment, item)
        current = assessment.model.normalised_weight(item)
        if scorer.exact():
            roots = _exact_roots(scorer, pairs)
            method = "exact"
        else:
            roots = _numeric_roots(scorer, pairs, grid)
            method = "numeric"
        for (a, b), candidates in zip(pairs, roots, strict=True):
            for root in _nearest_each_side(_confirmed(scorer, a, b, candidates), current):
                points.append(TippingPoint(item, scorer.parent, current, root,
                                           assessment.entities[b], assessment.entities[a], method))
    points.sort(key=lambda p: (abs(p.distance), p.node, p.overtaker, p.overtaken))
    return points


def nearest_by_entity(assessment: Assessment,
                      points: list[TippingPoint] | None = None) -> dict[str, TippingPoint | None]:
    """Each entity's nearest tipping point: the smallest change of one weight that swaps it
    with a neighbour in the ranking (None if no single weight in [0, 1] does)."""
    points = find_tipping_points(assessment) if points is None else points
    nearest: dict[str, TippingPoint | None] = dict.fromkeys(assessment.entities)
    for point in points:  # sorted nearest first
        for entity in (point.overtaker, point.overtaken):
            if nearest[entity] is None:
                nearest[entity] = point
    return nearest


def _exact_roots(scorer: ShareScorer, pairs: list[tuple[int, int]]) -> list[list[float]]:
    w = np.array(EXACT_POINTS)
    scores = scorer.scores(w)              # (3, E)
    den = scorer.denominators(w)           # (3, E)
    out = []
    for a, b in pairs:
        g = (scores[:, a] - scores[:, b]) * den[:, a] * den[:, b]
        if np.isnan(g).any():
            out.append([])
            continue
        coeffs = np.polyfit(w, g, 2)      # exact interpolation through three points
        out.append(_real_roots(coeffs))
    return out


def _real_roots(coeffs: np.ndarray) -> list[float]:
    """Real roots in [0, 1] of c2 w^2 + c1 w + c0 (degenerate cases handled)."""
    c2, c1, c0 = coeffs
    scale = max(abs(c2), abs(c1), abs(c0), 1e-300)
    if abs(c2) <= 1e-12 * scale:
        if abs(c1) <= 1e-12 * scale:
            return []
        roots = [-c0 / c1]
    else:
        disc = c1 * c1 - 4 * c2 * c0
        if disc < 0:
            return []
        q = -0.5 * (c1 + np.copysign(np.sqrt(disc), c1))   # stable quadratic formula
        roots = [q / c2] + ([c0 / q] if q != 0 else [])
    return [float(r) for r in roots if -1e-12 <= r <= 1 + 1e-12]


def _numeric_roots(scorer: ShareScorer, pairs: list[tuple[int, int]], grid: int) -> list[list[float]]:
    from scipy.optimize import brentq

    w = np.linspace(0.0, 1.0, grid)
    scores = scorer.scores(w)
    out = []
    for a, b in pairs:
        d = scores[:, a] - scores[:, b]
        roots = []
        for k in range(grid - 1):
            lo, hi = d[k], d[k + 1]
            if np.isnan(lo) or np.isnan(hi):
                continue
            if lo == 0.0:
                roots.append(float(w[k]))
            elif lo * hi < 0:
                roots.append(brentq(lambda x, a=a, b=b: _difference(scorer, x, a, b),
                                    w[k], w[k + 1], xtol=1e-12))
        out.append(roots)
    return out


def _difference(scorer: ShareScorer, share: float, a: int, b: int) -> float:
    s = scorer.scores(np.array([share]))[0]
    return float(s[a] - s[b])


def _confirmed(scorer: ShareScorer, a: int, b: int, roots: list[float]) -> list[float]:
    """Roots where the order of ``a`` and ``b`` really changes (re-scored either side)."""
    out = []
    for root in sorted(set(roots)):
        lo, hi = max(root - CHECK_STEP, 0.0), min(root + CHECK_STEP, 1.0)
        s = scorer.scores(np.array([lo, hi]))
        d = s[:, a] - s[:, b]
        if not np.isnan(d).any() and d[0] * d[1] < 0:
            out.append(min(max(root, 0.0), 1.0))
    return out


def _nearest_each_side(roots: list[float], current: float) -> list[float]:
    above = [r for r in roots if r > current + 1e-12]
    below = [r for r in roots if r < current - 1e-12]
    return ([max(below)] if below else []) + ([min(above)] if above else [])


def _pair(start: float, end: float) -> tuple[str, str]:
    """Format two shares with the fewest decimals (2 to 6) that tell them apart."""
    for decimals in range(2, 7):
        a, b = f"{start:.{decimals}f}", f"{end:.{decimals}f}"
        if a != b:
            return a, b
    return f"{start:.6f}", f"{end:.6f}"
