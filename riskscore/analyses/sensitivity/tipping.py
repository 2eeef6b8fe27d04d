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

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np

from riskscore.engine.aggregate import aggregate_node
from riskscore.engine.assessment import Assessment

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
    """Scores all entities for many shares of one item at once.

    Only the item's parent and the nodes above it change with the share, so those
    are re-scored (the same ``aggregate_node`` rule ``aggregate`` applies) from the
    assessment's own slots; the new sibling weights follow ``apply_weight_overrides``
    in closed form (``w`` for the item, ``(1 - w) * r_j / sum(r)`` for sibling ``j``),
    so no model is rebuilt per share. Results equal re-scoring through
    ``apply_weight_overrides`` -> ``Hierarchy.from_model`` -> ``aggregate`` bit for bit.
    """

    def __init__(self, assessment: Assessment, item: str):
        self.assessment = assessment
        self.model = assessment.model
        self.item = item
        parent = self.model.parent(item)
        if parent is None:
            raise ValueError(f"{item!r} is the index: it has no siblings to trade weight with")
        self.parent: str = parent
        self.hierarchy = assessment.hierarchy
        self.node_index = self.hierarchy.node_ids.index(self.parent)
        self.raw, positions, whole, total = _siblings(self.model, self.parent)
        self.position = positions[item]
        # the sum in apply_weight_overrides' order, so each sibling weight is bit-identical;
        # whole-number weights sum exactly in any order, so then one subtraction is the same
        self.rest_total = (total - float(self.raw[self.position]) if whole else
                           sum(w for k, w in enumerate(self.raw.tolist())
                               if k != self.position))
        n_ind = len(self.hierarchy.indicator_ids)
        node_ids = self.hierarchy.node_ids
        self.path = [node_ids.index(n) for n in self.model.path_to_root(self.parent)]
        self.slots = assessment.slots
        self.n_ind = n_ind

    def weights_at(self, share: float) -> np.ndarray:
        """The parent's normalised child weights when the item has ``share``."""
        return self.weights_for(np.array([share], dtype=float))[0]

    def weights_for(self, shares: np.ndarray) -> np.ndarray:
        """``(S, C)``: the parent's normalised child weights for each share."""
        shares = np.asarray(shares, dtype=float)
        remainder = np.maximum(0.0, 1.0 - shares)
        raw = (remainder[:, None] * self.raw[None, :]) / self.rest_total
        raw[:, self.position] = shares
        if raw.shape[1] < 8:   # numpy sums fewer than 8 terms in order either way
            return raw / raw.sum(axis=1, keepdims=True)
        return np.array([row / row.sum() for row in raw]).reshape(raw.shape)

    def scores(self, shares: np.ndarray, entities: np.ndarray | None = None) -> np.ndarray:
        """``(len(shares), E)`` index scores in scale units.

        ``entities`` ``(len(shares), m)``, when given, scores only those entities
        for each share (``(len(shares), m)``; each entity's score is the same either way).
        """
        shares = np.atleast_1d(np.asarray(shares, dtype=float))
        h, n_ind = self.hierarchy, self.n_ind
        base = self.slots[None] if entities is None else self.slots[np.asarray(entities)]
        size, n_ent = len(shares), base.shape[1]
        below, value = None, None
        for n in self.path:
            if n == self.node_index and self.wide():
                value = self._wide_parent(shares, entities)[0]
                below = n
                continue
            kids = h.children[n]
            child = np.empty((size, n_ent, len(kids)))
            child[...] = base[..., kids]
            if below is not None:
                child[..., list(kids).index(n_ind + below)] = value
            weights = self.weights_for(shares) if n == self.node_index else h.weights[n]
            value, _ = aggregate_node(h, n, child, weights, h.geometric[n])
            below = n
        return np.asarray(value) * self.model.scale

    def wide(self) -> bool:
        """True when the parent is a weighted mean of more than ``WIDE`` children: then its
        score for each share comes from per-entity sums made once per parent (closed form,
        O(entities) per share) instead of re-aggregating every child (O(children))."""
        known = self.__dict__.get("_wide")
        if known is None or known[0] != WIDE:
            rule = self.hierarchy.rule(self.node_index)
            known = (WIDE, len(self.raw) > WIDE and rule.op in ("arithmetic", "geometric")
                     and not rule.post_step
                     and bool(_parent_sums(self.assessment, self.node_index, self.raw)[5]))
            self._wide = known
        return known[1]

    def _wide_parent(self, shares: np.ndarray,
                     entities: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """The parent's score and available weight ``(len(shares), E or m)`` for each share.

        The weighted mean over available children with the item at share ``w`` and sibling
        ``j`` at ``(1 - w) r_j / R`` is ``N(w) / D(w)`` with ``N(w) = w a_i v_i + (1 - w) / R
        (sum_j r_j a_j v_j - r_i a_i v_i)`` and ``D`` the same with ``v = 1`` (``v`` the child
        value, or its log above the floor for a geometric parent); coverage is ``D`` over the
        row's weight total. Equal to ``aggregate_node`` up to rounding (~1e-15).
        """
        h, n = self.hierarchy, self.node_index
        avail, vals, t_a, t_v, others, _, total = _parent_sums(self.assessment, n, self.raw)
        p, r_i, rest = self.position, float(self.raw[self.position]), self.rest_total
        a_i, v_i = avail[:, p].astype(float), vals[:, p]
        # siblings' part; exactly zero when no other available child has weight
        none = (others - ((avail[:, p]) & (r_i > 0))) == 0
        s_a = np.where(none, 0.0, t_a - r_i * a_i)
        s_v = np.where(none, 0.0, t_v - r_i * a_i * v_i)
        w = shares[:, None]
        if entities is None:
            cols = (a_i[None], v_i[None], s_a[None], s_v[None])
        else:
            cols = (a_i[entities], v_i[entities], s_a[entities], s_v[entities])
        a, v, sa, sv = cols
        rest_w = np.maximum(0.0, 1.0 - w) / rest
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            den = w * a + rest_w * sa
            score = (w * a * v + rest_w * sv) / den
            if h.geometric[n]:
                score = np.exp(score)
            row = w + rest_w * (total - r_i)
            cover = den / row
            ok = (den > 0) & (cover >= h.min_coverage[n] - 1e-12)
        return np.where(ok, score, np.nan), cover

    def denominators(self, shares: np.ndarray) -> np.ndarray:
        """``(len(shares), E)``: the parent's available weight D_e(w) (1 where the parent is missing)."""
        kids = self.hierarchy.children[self.node_index]
        if self.wide():
            avail = _parent_sums(self.assessment, self.node_index, self.raw)[0]
            cover = self._wide_parent(np.atleast_1d(np.asarray(shares, dtype=float)), None)[1]
            return np.where(avail.any(axis=1), cover, 1.0)
        available = ~np.isnan(self.assessment.slots[:, kids])
        weights = self.weights_for(np.atleast_1d(np.asarray(shares, dtype=float)))
        d = weights @ available.T.astype(float)
        return np.where(available.any(axis=1), d, 1.0)

    def exact(self) -> bool:
        """True if the parent and every node above it aggregate arithmetically."""
        return all(self.hierarchy.rule(n).op == "arithmetic" and not self.hierarchy.rule(n).post_step
                   for n in self.path)


WEIGHTLESS = ("max", "min", "invert", "ratio")
WIDE = 64   # a parent with more children than this is scored in closed form (ShareScorer.wide)


def _parent_sums(assessment: Assessment, n: int, raw: np.ndarray) -> tuple[np.ndarray, ...]:
    """Node ``n``'s children's availability ``(E, C)`` and values ``(E, C)`` (logs above the
    floor for a geometric node), the per-entity sums of raw weight over available children
    and of raw weight times value, and the count of available children with weight; made
    once per node and assessment (every child of a wide node is a weight item)."""
    cache: dict | None = assessment.__dict__.get("_parent_sums")
    if cache is None:
        cache = {}
        object.__setattr__(assessment, "_parent_sums", cache)
    if n not in cache:
        h = assessment.hierarchy
        child = assessment.slots[:, h.children[n]]
        avail = ~np.isnan(child)
        filled = np.where(avail, child, 0.0)
        if h.geometric[n]:
            floor = h.floor if h.rule(n).zeros == "floor" else 0.0
            with np.errstate(divide="ignore"):
                filled = np.where(avail, np.log(np.maximum(filled, floor)), 0.0)
        weighted = np.where(avail, raw[None, :], 0.0)
        cache[n] = (avail, filled, weighted.sum(axis=1), (weighted * filled).sum(axis=1),
                    (avail & (raw[None, :] > 0)).sum(axis=1), bool(np.isfinite(filled).all()),
                    float(raw.sum()))
    return cache[n]


def _siblings(model, parent: str) -> tuple[np.ndarray, dict[str, int], bool, float]:
    """``parent``'s children's raw weights (model order), each child's position, whether
    every weight is a whole number (so sums are exact in any order) and their total; made
    once per parent and model (a wide node has thousands of children, each a weight item)."""
    cache: dict | None = model.__dict__.get("_sibling_arrays")
    if cache is None:
        cache = {}
        object.__setattr__(model, "_sibling_arrays", cache)
    if parent not in cache:
        children = model.children[parent]
        raw = np.array([model.weight(c) for c in children], dtype=float)
        whole = bool(np.all(raw == np.floor(raw))) and float(raw.sum()) < 2.0 ** 52
        cache[parent] = (raw, {c: k for k, c in enumerate(children)}, whole,
                         sum(raw.tolist()))
    return cache[parent]


def weight_items(assessment: Assessment) -> list[str]:
    """Nodes and indicators (model order) whose parent has other children with weight.

    Children of nodes whose operator ignores weights (max, min, invert, ratio) are
    left out: no weight of theirs can move a rank.
    """
    model = assessment.model
    out = []
    for item in (*list(model.nodes)[1:], *model.indicators):
        parent = model.parent(item)
        if parent is None or model.nodes[parent].aggregation in WEIGHTLESS:
            continue
        # weights are >= 0: the other siblings' sum is positive iff one of them is
        raw, positions, _, _ = _siblings(model, parent)
        positive = int(np.count_nonzero(raw > 0)) - (1 if raw[positions[item]] > 0 else 0)
        if len(raw) > 1 and positive > 0:
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

    Sorted by absolute distance from the configured share, then node and entities. None
    for a model with a node rescaled across entities or rounded (``tipping_unavailable``).
    """
    pairs = adjacent_pairs(assessment)
    points: list[TippingPoint] = []
    if not pairs or tipping_unavailable(assessment):
        return points
    for found in _each_item(assessment, pairs, grid, items):
        for p, root in zip(found.pair.tolist(), found.root.tolist(), strict=True):
            a, b = pairs[p]
            points.append(TippingPoint(found.item, found.parent, found.current, root,
                                       assessment.entities[b], assessment.entities[a],
                                       found.method))
    points.sort(key=lambda p: (abs(p.distance), p.node, p.overtaker, p.overtaken))
    return points


def tipping_unavailable(assessment: Assessment) -> str | None:
    """Why single-weight tipping points are not searched for, if they are not.

    A node rescaled across the entities makes each score depend on every other entity's,
    and rounding makes scores steps: the one-entity, continuous search does not apply.
    """
    if any(rule.post_step for rule in assessment.hierarchy.rules):
        return ("weight tipping points are not computed for a model with nodes rescaled "
                "across entities or rounded; 'riskscore sensitivity' varies the weights")
    return None


def nearest_by_entity(assessment: Assessment, points: list[TippingPoint] | None = None,
                      only: Collection[str] | None = None) -> dict[str, TippingPoint | None]:
    """Each entity's nearest tipping point: the smallest change of one weight that swaps it
    with a neighbour in the ranking (None if no single weight in [0, 1] does).

    Without ``points``, the same choice as from ``find_tipping_points``' sorted list, made
    with arrays one weight at a time, so 80,000 entities never hold millions of points;
    ``only`` (entity names) limits the work and the answer to those entities (their
    nearest points are the same: only the swaps with their neighbours count).
    """
    if points is None and tipping_unavailable(assessment):
        return dict.fromkeys(assessment.entities if only is None else only)
    if only is not None and points is None:
        return _nearest_by_arrays(assessment, set(only))
    if points is not None:
        nearest: dict[str, TippingPoint | None] = dict.fromkeys(assessment.entities)
        for point in points:  # sorted nearest first
            for entity in (point.overtaker, point.overtaken):
                if nearest[entity] is None:
                    nearest[entity] = point
        return nearest
    return _nearest_by_arrays(assessment)


@dataclass(frozen=True)
class _ItemRoots:
    """One weight's confirmed swaps: ``pair`` indices and ``root`` shares, each pair's
    nearest below the configured share before its nearest above, pairs in order."""

    item: str
    parent: str
    current: float
    method: str
    pair: np.ndarray
    root: np.ndarray


def _each_item(assessment: Assessment, pairs: list[tuple[int, int]], grid: int,
               items: list[str] | None = None):
    """``_ItemRoots`` for each weight item in turn (model order)."""
    pair_array = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    for item in items if items is not None else weight_items(assessment):
        scorer = ShareScorer(assessment, item)
        current = assessment.model.normalised_weight(item)
        if scorer.exact():
            pair, root = _exact_roots(scorer, pair_array)
            method = "exact"
        else:
            found = _numeric_roots(scorer, pairs, grid)
            pair = np.array([p for p, r in enumerate(found) for _ in sorted(set(r))],
                            dtype=np.int64)
            root = np.array([x for r in found for x in sorted(set(r))], dtype=float)
            method = "numeric"
        pair, root = _confirmed(scorer, pair_array, pair, root)
        pair, root = _nearest_each_side(pair, root, current)
        yield _ItemRoots(item, scorer.parent, current, method, pair, root)


def _nearest_by_arrays(assessment: Assessment,
                       only: set[str] | None = None) -> dict[str, TippingPoint | None]:
    """``nearest_by_entity`` without the full list: per entity, the smallest key
    (distance, node, overtaker, overtaken) over every weight, earlier points winning ties."""
    entities = assessment.entities
    pairs = adjacent_pairs(assessment)
    if only is not None:
        wanted = {e for e, name in enumerate(entities) if name in only}
        pairs = [(a, b) for a, b in pairs if a in wanted or b in wanted]
        answer = _nearest_by_arrays_of(assessment, pairs)
        return {name: answer[name] for name in entities if name in only}
    return _nearest_by_arrays_of(assessment, pairs)


def _nearest_by_arrays_of(assessment: Assessment,
                          pairs: list[tuple[int, int]]) -> dict[str, TippingPoint | None]:
    entities = assessment.entities
    nearest: dict[str, TippingPoint | None] = dict.fromkeys(entities)
    if not pairs:
        return nearest
    names = sorted(range(len(entities)), key=lambda e: entities[e])
    name_rank = np.empty(len(entities), dtype=np.int64)
    name_rank[names] = np.arange(len(entities))
    pair_array = np.array(pairs, dtype=np.int64)
    items = weight_items(assessment)
    item_rank = {item: r for r, item in enumerate(sorted(items))}
    n = len(entities)
    best = np.full((4, n), np.inf)         # distance, node, overtaker, overtaken ranks
    chosen: list[_ItemRoots] = []
    which = np.full(n, -1, dtype=np.int64)   # index into chosen
    at = np.zeros(n, dtype=np.int64)         # the point within it
    for found in _each_item(assessment, pairs, 401, items):
        if not found.pair.size:
            continue
        upper, lower = pair_array[found.pair].T     # overtaken, overtaker
        distance = np.abs(found.root - found.current)
        keys = np.stack([distance, np.full(distance.shape, item_rank[found.item], dtype=float),
                         name_rank[lower].astype(float), name_rank[upper].astype(float)])
        order = np.lexsort((np.arange(distance.size), *keys[::-1]))
        # each entity's first point in that order, as overtaker or as overtaken
        ent = np.concatenate([lower[order], upper[order]])
        rank = np.concatenate([np.arange(order.size)] * 2)
        first = np.full(n, np.iinfo(np.int64).max)
        np.minimum.at(first, ent, rank)
        hit = np.flatnonzero(first < np.iinfo(np.int64).max)
        point = order[first[hit]]
        better = _less(keys[:, point], best[:, hit])
        if better.any():
            chosen.append(found)
            update = hit[better]
            best[:, update] = keys[:, point[better]]
            which[update] = len(chosen) - 1
            at[update] = point[better]
    for e in np.flatnonzero(which >= 0).tolist():
        found = chosen[which[e]]
        k = int(at[e])
        a, b = pairs[int(found.pair[k])]
        nearest[entities[e]] = TippingPoint(found.item, found.parent, found.current,
                                            float(found.root[k]), entities[b], entities[a],
                                            found.method)
    return nearest


def _less(new: np.ndarray, old: np.ndarray) -> np.ndarray:
    """Column-wise lexicographic ``new < old`` of two ``(K, n)`` key arrays."""
    out = np.zeros(new.shape[1], dtype=bool)
    tied = np.ones(new.shape[1], dtype=bool)
    for k in range(new.shape[0]):
        out |= tied & (new[k] < old[k])
        tied &= new[k] == old[k]
    return out


def _exact_roots(scorer: ShareScorer, pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Candidate roots in [0, 1] of every pair's difference polynomial: ``(pair, root)``
    arrays, by pair then root, each root once per pair."""
    w = np.array(EXACT_POINTS)
    scores = scorer.scores(w)              # (3, E)
    den = scorer.denominators(w)           # (3, E)
    a, b = pairs.T
    g = (scores[:, a] - scores[:, b]) * den[:, a] * den[:, b]     # (3, pairs)
    fit = ~np.isnan(g).any(axis=0)
    coeffs = np.zeros((3, len(pairs)))
    if fit.any():
        # exact interpolation through three points; numpy fits the columns together,
        # each column exactly as a one-column fit would
        coeffs[:, fit] = np.polyfit(w, g[:, fit], 2)
    roots = _real_roots(coeffs)                       # (2, pairs), NaN = none
    roots[:, ~fit] = np.nan
    low, high = np.fmin(roots[0], roots[1]), np.fmax(roots[0], roots[1])
    second = ~np.isnan(high) & (high != low)
    pair = np.concatenate([np.flatnonzero(~np.isnan(low)), np.flatnonzero(second)])
    root = np.concatenate([low[~np.isnan(low)], high[second]])
    order = np.lexsort((root, pair))
    return pair[order], root[order]


def _real_roots(coeffs: np.ndarray) -> np.ndarray:
    """``(2, P)``: the real roots in [0, 1] of c2 w^2 + c1 w + c0 for each column (NaN
    where there is none; degenerate cases handled), computed as one scalar at a time would."""
    c2, c1, c0 = coeffs
    with np.errstate(all="ignore"):
        scale = np.maximum(np.maximum(np.maximum(np.abs(c2), np.abs(c1)), np.abs(c0)), 1e-300)
        linear = np.abs(c2) <= 1e-12 * scale
        none = linear & (np.abs(c1) <= 1e-12 * scale)
        disc = c1 * c1 - 4 * c2 * c0
        q = -0.5 * (c1 + np.copysign(np.sqrt(disc), c1))   # stable quadratic formula
        first = np.where(linear, -c0 / c1, q / c2)
        second = np.where(linear | (q == 0), np.nan, c0 / q)
        first = np.where(none | (~linear & (disc < 0)), np.nan, first)
        second = np.where(~linear & (disc < 0), np.nan, second)
        roots = np.stack([first, second])
        inside = (roots >= -1e-12) & (roots <= 1 + 1e-12)
    return np.where(inside, roots, np.nan)


def _numeric_roots(scorer: ShareScorer, pairs: list[tuple[int, int]], grid: int) -> list[list[float]]:
    from scipy.optimize import brentq

    w = np.linspace(0.0, 1.0, grid)
    scores = scorer.scores(w)
    a_idx, b_idx = np.array(pairs).T
    d = scores[:, a_idx] - scores[:, b_idx]            # (grid, pairs)
    lo, hi = d[:-1], d[1:]
    with np.errstate(invalid="ignore"):
        hit = ~np.isnan(lo) & ~np.isnan(hi) & ((lo == 0.0) | (lo * hi < 0))
    out: list[list[float]] = [[] for _ in pairs]
    for p, k in zip(*np.nonzero(hit.T), strict=True):   # by pair, then grid cell
        a, b = pairs[p]
        if lo[k, p] == 0.0:
            out[p].append(float(w[k]))
        else:
            out[p].append(brentq(lambda x, a=a, b=b: _difference(scorer, x, a, b),
                                 w[k], w[k + 1], xtol=1e-12))
    return out


def _difference(scorer: ShareScorer, share: float, a: int, b: int) -> float:
    s = scorer.scores(np.array([share]), np.array([[a, b]]))[0]
    return float(s[0] - s[1])


def _confirmed(scorer: ShareScorer, pairs: np.ndarray, pair: np.ndarray,
               root: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The candidate roots where the pair's order really changes (re-scored either side,
    all in one batch), clipped to [0, 1]."""
    if not root.size:
        return pair, root
    sides = np.concatenate([np.maximum(root - CHECK_STEP, 0.0),
                            np.minimum(root + CHECK_STEP, 1.0)])
    which = pairs[pair]
    d = np.diff(scorer.scores(sides, np.concatenate([which, which]))[:, ::-1], axis=1)[:, 0]
    lo_d, hi_d = d[:root.size], d[root.size:]      # score of a minus score of b, either side
    with np.errstate(invalid="ignore"):
        kept = ~np.isnan(lo_d) & ~np.isnan(hi_d) & (lo_d * hi_d < 0)
    return pair[kept], np.minimum(np.maximum(root[kept], 0.0), 1.0)


def _nearest_each_side(pair: np.ndarray, root: np.ndarray,
                       current: float) -> tuple[np.ndarray, np.ndarray]:
    """Per pair, its largest root below ``current`` then its smallest above (pairs in
    order; ``root`` sorted within each pair)."""
    below = root < current - 1e-12
    above = root > current + 1e-12
    last_below = below.copy()
    last_below[:-1] &= ~(below[1:] & (pair[1:] == pair[:-1]))
    first_above = above.copy()
    first_above[1:] &= ~(above[:-1] & (pair[1:] == pair[:-1]))
    pick = last_below | first_above
    return pair[pick], root[pick]


def _pair(start: float, end: float) -> tuple[str, str]:
    """Format two shares with the fewest decimals (2 to 6) that tell them apart."""
    for decimals in range(2, 7):
        a, b = f"{start:.{decimals}f}", f"{end:.{decimals}f}"
        if a != b:
            return a, b
    return f"{start:.6f}", f"{end:.6f}"
