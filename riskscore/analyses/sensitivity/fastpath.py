"""The fast kernel behind ``Engine.scores``: a node's indicator children as one
matrix product of per-draw coefficients with fixed basis rows.

See ``FastLayout`` for the construction and why it is exact; the tests hold it to
the engine's reference ``aggregate()`` to 1e-9 on every path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from riskscore.analyses.sensitivity.sampling import Assumptions
from riskscore.analyses.sensitivity.settings import MISSING_CHOICES, NORMALISATION_CHOICES
from riskscore.engine.normalise import goalpost_normalise, transform_columns

if TYPE_CHECKING:
    from riskscore.analyses.sensitivity.montecarlo import Engine


# row kinds of the fast layout's basis (see FastLayout)
_VG, _VM, _LG, _LM, _MISS, _XC, _ON, _LMU = range(8)


@dataclass
class _Node:
    rows: slice                  # this node's rows of the basis (its indicator children)
    den_rows: slice              # its rows of the availability basis
    risky: np.ndarray            # entities with a child that can be unavailable
    node_kids: list              # (child position, child node)
    min_coverage: float
    cells: slice                 # its evidence cells (positions in FastLayout.cell_q)
    cell_entities: np.ndarray    # the entity of each of those cells


class FastLayout:
    """Precomputed matrices behind ``Engine.scores``.

    A node's indicator children enter its weighted sum as one product
    ``coef (S, R) @ basis (R, E)``: the basis rows are fixed, the coefficients are
    per draw and carry the draw's weight share (``w_c / sum(w)``), whether the
    node is arithmetic (value rows) or geometric (log rows), and the draw's
    normalisation and missing policy (zero on the rows that do not apply):

    * a column without evidence range: its goalposts values, min-max values and
      their logs at the observed cells (4 rows), plus a row on its missing cells
      whose coefficient is the policy's fill, or its log (0 if unavailable);
    * a column with evidence ranges: the same at the observed cells that are not
      sampled, except that a min-max value is ``a(s) * (x - c) + b(s)`` (``x`` the
      transformed raw value, ``c`` the column's base minimum, ``a, b`` from the
      draw's min and span: rows ``x - c`` and 1) and its log is the base row while
      the draw leaves the column's min and max where they were (bit-identical
      values); for the (draw, column) pairs of geometric min-max draws that move
      them, the logs are computed element-wise. Each sampled cell's value (or
      log), times its weight, is scatter-added onto its entity after the product
      (no basis row per cell, so memory stays linear in entities); the missing
      row's fill is the mean recomputed per draw.

    Availability does not depend on the draw's evidence (a sampled cell is
    observed), so re-weighting and ``min_coverage`` only matter for the entities
    with a child that can be unavailable ("risky"); only those columns divide by
    the available weight. A node score is kept as the weighted mean (arithmetic
    draws) or weighted mean log (geometric draws); it is exponentiated or logged
    only for the draws where its parent's aggregation differs from its own.
    """

    # Set by ``build`` (the layout is made there, not by ``__init__``).
    floor: float
    base_cells: np.ndarray
    basis: np.ndarray
    bounds_cells: np.ndarray
    cell_col: np.ndarray
    cell_ind: np.ndarray
    cell_q: np.ndarray
    col_parent: np.ndarray
    cols: np.ndarray
    count: np.ndarray
    den_basis: np.ndarray
    den_miss: tuple[np.ndarray, np.ndarray]
    den_obs: tuple[np.ndarray, np.ndarray]
    fill_avail: np.ndarray
    fill_log: np.ndarray
    fill_value: np.ndarray
    gp: int
    has_parent: np.ndarray
    hi0: np.ndarray
    hi_ns: np.ndarray
    higher_cells: np.ndarray
    higher_cols: np.ndarray
    lo0: np.ndarray
    lo_ns: np.ndarray
    mean_i: int
    n_den: int
    n_ind: int
    n_pol: int
    ons_col: np.ndarray
    order: np.ndarray
    parent: np.ndarray
    starts: np.ndarray
    sum_g_ns: np.ndarray
    sum_xc_ns: np.ndarray
    x_col: np.ndarray
    nodes: list[_Node]
    kinds: list[tuple[int, np.ndarray, np.ndarray]]
    transform_groups: list[tuple[str, np.ndarray]]

    @classmethod
    def build(cls, engine: Engine) -> FastLayout | None:
        """The layout for ``engine``, or None when its data needs the general path."""
        h = engine.hierarchy
        floor = float(h.floor)
        n_ind = len(h.indicator_ids)
        n_ent = engine.raw.shape[0]
        n_pol = len(MISSING_CHOICES)
        gp_i, mm_i = NORMALISATION_CHOICES.index("goalposts"), NORMALISATION_CHOICES.index("minmax")
        rw_i = MISSING_CHOICES.index("reweight")
        flat = engine.variants.reshape((-1,) + engine.raw.shape)
        normed = engine.variants[:, rw_i]
        obs = ~np.isnan(normed[gp_i])
        x = engine.transformed
        rows, inds = engine.cell_rows, engine.columns[engine.cell_cols]
        if not (floor > 0 and np.array_equal(obs, ~np.isnan(normed[mm_i]))
                and np.isfinite(np.where(obs, x, 0.0)).all() and np.isfinite(engine.bounds).all()
                and obs[rows, inds].all()):
            return None
        parent = np.full(n_ind, -1)
        for n, kids in enumerate(h.children):
            for k in kids[kids < n_ind]:
                if parent[k] >= 0:
                    return None
                parent[k] = n
        # fills per (variant, indicator): the value every missing cell gets, and its log
        missing = ~obs
        fill_value = np.zeros((len(flat), n_ind))
        fill_avail = np.zeros((len(flat), n_ind))
        for k in np.flatnonzero(missing.any(axis=0)):
            e = np.flatnonzero(missing[:, k])[0]
            value = flat[:, e, k]
            fill_avail[:, k] = ~np.isnan(value)
            fill_value[:, k] = np.where(np.isnan(value), 0.0, value)
        for v in range(len(flat)):
            if not np.array_equal(~np.isnan(flat[v]), obs | (missing & (fill_avail[v] > 0))):
                return None
        with np.errstate(divide="ignore"):
            fill_log = np.where(fill_avail > 0, np.log(np.maximum(fill_value, floor)), 0.0)

        self = cls()
        self.floor, self.n_ind, self.n_pol, self.gp = floor, n_ind, n_pol, gp_i
        self.parent = np.maximum(parent, 0)
        self.has_parent = (parent >= 0).astype(float)
        self.fill_value, self.fill_log, self.fill_avail = fill_value, fill_log, fill_avail
        self.mean_i = MISSING_CHOICES.index("mean")
        # evidence columns (J) and cells (Q), cells sorted by column for reduceat
        cols = engine.columns
        self.cols = cols
        col_pos = {int(k): j for j, k in enumerate(cols)}
        sampled = np.zeros(obs.shape, dtype=bool)
        sampled[rows, inds] = True
        ons = obs & ~sampled
        xo = np.where(obs, x, 0.0)
        if len(cols):
            self.lo0 = np.where(obs, x, np.inf).min(axis=0)[cols]
            self.hi0 = np.where(obs, x, -np.inf).max(axis=0)[cols]
            self.lo_ns = np.where(ons, x, np.inf).min(axis=0)[cols]
            self.hi_ns = np.where(ons, x, -np.inf).max(axis=0)[cols]
            centred = np.where(ons, xo - np.where(obs, x, np.inf).min(axis=0), 0.0)
            self.count = obs.sum(axis=0)[cols].astype(float)
            self.sum_g_ns = np.where(ons, engine.goalpost_values, 0.0).sum(axis=0)[cols]
            self.sum_xc_ns = centred.sum(axis=0)[cols]
            self.order = np.argsort(engine.cell_cols, kind="stable")
            self.starts = np.searchsorted(engine.cell_cols[self.order], np.arange(len(cols)))
            self.cell_col = engine.cell_cols
            self.cell_ind = inds
            self.higher_cols = engine.higher[cols]
            self.higher_cells = engine.higher[inds]
            self.bounds_cells = engine.bounds[:, inds]
            self.transform_groups = [
                (name, np.flatnonzero([engine.transforms[k] == name for k in inds]))
                for name in sorted({engine.transforms[k] for k in inds if engine.transforms[k]})]
            self.base_cells = engine.raw[rows, inds]
            self.x_col = xo[:, cols].T.copy()       # (J, E), 0 where missing
            self.ons_col = ons[:, cols].T.copy()
            self.col_parent = parent[cols]
        logs_gp, logs_mm = flat[gp_i * n_pol + rw_i], flat[mm_i * n_pol + rw_i]
        with np.errstate(divide="ignore", invalid="ignore"):
            log_gp = np.where(obs, np.log(np.maximum(np.where(obs, logs_gp, 1.0), floor)), 0.0)
            log_mm = np.where(obs, np.log(np.maximum(np.where(obs, logs_mm, 1.0), floor)), 0.0)
            log_g = np.log(np.maximum(engine.goalpost_values, floor))
        basis: list[np.ndarray] = []
        kind: list[int] = []
        index: list[int] = []
        cell_q: list[int] = []
        den_kind: list[int] = []
        den_index: list[int] = []
        den_basis: list[np.ndarray] = []
        self.nodes = []
        cells_of = {j: np.flatnonzero(engine.cell_cols == j) for j in range(len(cols))}
        for n, kids in enumerate(h.children):
            start, den_start = len(basis), len(den_kind)
            den_rows = []
            node_cells: list[int] = []
            for k in kids[kids < n_ind]:
                k = int(k)
                j = col_pos.get(k)
                if j is None:
                    for t, row in ((_VG, np.where(obs[:, k], normed[gp_i][:, k], 0.0)),
                                   (_VM, np.where(obs[:, k], normed[mm_i][:, k], 0.0)),
                                   (_LG, log_gp[:, k]), (_LM, log_mm[:, k])):
                        basis.append(row)
                        kind.append(t)
                        index.append(k)
                else:
                    for t, row, i in ((_VG, np.where(ons[:, k], engine.goalpost_values[:, k], 0.0), k),
                                      (_XC, centred[:, k], j),
                                      (_ON, ons[:, k].astype(float), j),
                                      (_LG, np.where(ons[:, k], log_g[:, k], 0.0), k),
                                      (_LMU, np.where(ons[:, k], log_mm[:, k], 0.0), j)):
                        basis.append(row)
                        kind.append(t)
                        index.append(i)
                    node_cells.extend(int(q) for q in cells_of[j])
                den_rows.append(obs[:, k].astype(float))
                den_kind.append(0)
                den_index.append(k)
                if missing[:, k].any():
                    basis.append(missing[:, k].astype(float))
                    kind.append(_MISS)
                    index.append(k)
                    den_rows.append(missing[:, k].astype(float))
                    den_kind.append(1)
                    den_index.append(k)
            ind_kids = kids[kids < n_ind]
            risky = np.flatnonzero(missing[:, ind_kids].any(axis=1)) if len(ind_kids) else \
                np.zeros(0, dtype=int)
            den_basis.extend(den_rows)
            node_kids = [(c, int(k) - n_ind) for c, k in enumerate(kids) if k >= n_ind]
            first_cell = len(cell_q)
            cell_q.extend(node_cells)
            self.nodes.append(_Node(slice(start, len(basis)), slice(den_start, len(den_kind)),
                                    risky, node_kids,
                                    float(h.min_coverage[n]), slice(first_cell, len(cell_q)),
                                    rows[node_cells] if node_cells else np.zeros(0, dtype=int)))
        self.basis = np.array(basis).reshape(len(basis), n_ent)
        kinds, indices = np.array(kind, dtype=int), np.array(index, dtype=int)
        self.kinds = [(t, np.flatnonzero(kinds == t), indices[kinds == t]) for t in range(8)]
        self.kinds = [entry for entry in self.kinds if len(entry[1])]
        self.cell_q = np.array(cell_q, dtype=int)
        den_kinds = np.array(den_kind, dtype=int)
        den_indices = np.array(den_index, dtype=int)
        self.den_obs = (np.flatnonzero(den_kinds == 0), den_indices[den_kinds == 0])
        self.den_miss = (np.flatnonzero(den_kinds == 1), den_indices[den_kinds == 1])
        self.n_den = len(den_kinds)
        self.den_basis = np.array(den_basis).reshape(len(den_basis), n_ent)
        return self

    def _evidence(self, a: Assumptions, is_gp: np.ndarray,
                  tables: dict[str, Any]) -> tuple[Any, ...] | None:
        """Per-draw evidence quantities; fills the column tables and the mean fills."""
        size = a.size
        if a.evidence.shape[1]:
            xs = np.array(a.evidence, dtype=float)
        else:
            xs = np.broadcast_to(self.base_cells, (size, len(self.base_cells))).copy()
        for name, idx in self.transform_groups:
            xs[:, idx] = transform_columns(xs[:, idx], [name] * len(idx))
        if not np.isfinite(xs).all():
            return None
        g = goalpost_normalise(xs, self.bounds_cells[0], self.bounds_cells[1], self.higher_cells)
        by_col = xs[:, self.order]
        lo = np.minimum(self.lo_ns, np.minimum.reduceat(by_col, self.starts, axis=1))
        hi = np.maximum(self.hi_ns, np.maximum.reduceat(by_col, self.starts, axis=1))
        span = hi - lo
        constant = ~(span > 0)
        safe = np.where(constant, 1.0, span)
        cc = self.cell_col
        with np.errstate(all="ignore"):
            unit = np.where(constant[:, cc], 0.5, (xs - lo[:, cc]) / safe[:, cc])
        mm_cells = np.where(self.higher_cells, unit, 1.0 - unit)
        cell_value = np.where(is_gp[:, None], g, mm_cells)
        cell_log = np.log(np.maximum(cell_value, self.floor))
        inv = np.where(constant, 0.0, 1.0 / safe)
        slope = np.where(self.higher_cols, inv, -inv)
        offset = (self.lo0 - lo) * inv
        intercept = np.where(constant, 0.5, np.where(self.higher_cols, offset, 1.0 - offset))
        unchanged = (lo == self.lo0) & (hi == self.hi0)
        # mean imputation: the column means of the draw's normalised values
        g_mean = (self.sum_g_ns + np.add.reduceat(g[:, self.order], self.starts, axis=1)) / self.count
        xc = by_col - self.lo0[self.cell_col[self.order]]
        x_mean = (self.sum_xc_ns + np.add.reduceat(xc, self.starts, axis=1)) / self.count
        mean = np.where(is_gp[:, None], g_mean, slope * x_mean + intercept)
        is_mean = (a.missing == self.mean_i)[:, None]
        fv, fl = tables["fill_value"], tables["fill_log"]
        fv[:, self.cols] = np.where(is_mean, mean, fv[:, self.cols])
        fl[:, self.cols] = np.where(is_mean, np.log(np.maximum(mean, self.floor)), fl[:, self.cols])
        return cell_value, cell_log, slope, intercept, unchanged, lo, safe, constant

    def scores(self, engine: Engine, a: Assumptions) -> np.ndarray | None:
        """Index scores ``(S, E)`` (as ``Engine.scores``), or None to use the general path."""
        h = engine.hierarchy
        size, floor = a.size, self.floor
        geo = np.asarray(a.geometric, dtype=bool)
        shares = []
        for n, kids in enumerate(h.children):
            w = np.broadcast_to(np.asarray(a.weights[n], dtype=float), (size, len(kids)))
            total = w.sum(axis=1)
            if not (np.isfinite(w).all() and (total > 0).all()):
                return None
            shares.append(w / total[:, None])
        weight = np.zeros((size, self.n_ind))
        for n, kids in enumerate(h.children):
            mask = kids < self.n_ind
            weight[:, kids[mask]] = shares[n][:, mask]
        g_par = geo[:, self.parent].astype(float) * self.has_parent
        w_geo = weight * g_par
        w_ari = weight - w_geo
        is_gp = a.normalisation == self.gp
        gp = is_gp.astype(float)[:, None]
        variant = a.normalisation * self.n_pol + a.missing
        tables = {"fill_value": self.fill_value[variant], "fill_log": self.fill_log[variant]}
        if len(self.cols):
            ev = self._evidence(a, is_gp, tables)
            if ev is None:
                return None
            cell_value, cell_log, slope, intercept, unchanged, lo, safe, constant = ev
            mm_col = (1.0 - gp)
            wa_col, wg_col = w_ari[:, self.cols], w_geo[:, self.cols]
            col_tables = {_XC: wa_col * mm_col * slope, _ON: wa_col * mm_col * intercept,
                          _LMU: wg_col * mm_col * unchanged}
        ind_tables = {_VG: w_ari * gp, _VM: w_ari - w_ari * gp, _LG: w_geo * gp,
                      _LM: w_geo - w_geo * gp,
                      _MISS: w_ari * tables["fill_value"] + w_geo * tables["fill_log"]}
        coef = np.empty((size, len(self.basis)))
        for t, pos, idx in self.kinds:
            table = ind_tables[t] if t in ind_tables else col_tables[t]
            coef[:, pos] = table[:, idx]
        cell_terms: Any = None   # (draws, cells) when any cell is sampled
        if len(self.cell_q):
            k = self.cell_ind[self.cell_q]
            q = self.cell_q
            cell_terms = w_ari[:, k] * cell_value[:, q] + w_geo[:, k] * cell_log[:, q]
        den_coef = np.empty((size, self.n_den))
        den_coef[:, self.den_obs[0]] = weight[:, self.den_obs[1]]
        avail = self.fill_avail[variant]
        den_coef[:, self.den_miss[0]] = (weight * avail)[:, self.den_miss[1]]
        # (draw, column) pairs whose min-max logs move: element-wise
        dense: dict[int, list] = {}
        if len(self.cols):
            need = (~is_gp)[:, None] & (wg_col > 0) & ~unchanged
            for j in np.flatnonzero(need.any(axis=0)):
                s = np.flatnonzero(need[:, j])
                with np.errstate(all="ignore"):
                    unit = (self.x_col[j] - lo[s, j, None]) / safe[s, j, None]
                unit = np.where(constant[s, j, None], 0.5, unit)
                value = unit if self.higher_cols[j] else 1.0 - unit
                logs = np.where(self.ons_col[j], np.log(np.maximum(value, floor)), 0.0)
                dense.setdefault(int(self.col_parent[j]), []).append((s, wg_col[s, j, None] * logs))
        results: list[Any] = []   # a node's values, None once its parent read them
        nan_cols: list[np.ndarray] = []
        with np.errstate(invalid="ignore", divide="ignore"):
            for n, node in enumerate(self.nodes):
                geo_n = geo[:, n]
                if node.rows.stop > node.rows.start:
                    total = coef[:, node.rows] @ self.basis[node.rows]
                else:
                    total = np.zeros((size, self.basis.shape[1]))
                if node.cells.stop > node.cells.start:
                    # each sampled cell's term lands on its entity (a sparse scatter-add)
                    np.add.at(total, (slice(None), node.cell_entities),  # type: ignore[arg-type]
                              cell_terms[:, node.cells])
                for s, add in dense.get(n, ()):
                    total[s] += add
                risky = node.risky
                kid_nan = [nan_cols[m] for _, m in node.node_kids if len(nan_cols[m])]
                if kid_nan:
                    risky = np.union1d(risky, np.concatenate(kid_nan))
                own = total[:, risky] if len(risky) else None
                kid_values = []
                for c, m in node.node_kids:
                    u = results[m]
                    results[m] = None   # consumed by its only parent: free it
                    geo_m = geo[:, m]
                    up = np.flatnonzero(geo_m & ~geo_n)
                    if len(up):
                        u[up] = np.exp(u[up])
                    down = np.flatnonzero(~geo_m & geo_n)
                    if len(down):
                        u[down] = np.log(np.maximum(u[down], floor))
                    w = shares[n][:, c, None]
                    if len(risky):
                        kid_values.append((w, u[:, risky]))
                    total += np.multiply(w, u, out=u)   # u is not read again: no temporary
                if len(risky):
                    if node.den_rows.stop > node.den_rows.start:
                        den = den_coef[:, node.den_rows] @ self.den_basis[node.den_rows][:, risky]
                    else:
                        den = np.zeros((size, len(risky)))
                    num = own
                    for w, u in kid_values:
                        ok = ~np.isnan(u)
                        den = den + np.where(ok, w, 0.0)
                        num = num + np.where(ok, w * u, 0.0)
                    ok = (den > 0) & (den >= node.min_coverage - 1e-12)
                    total[:, risky] = np.where(ok, num / den, np.nan)
                    nan_cols.append(risky[~ok.all(axis=0)])
                else:
                    nan_cols.append(np.zeros(0, dtype=int))
                results.append(total)
        root = results[-1]
        up = np.flatnonzero(geo[:, -1])
        if len(up):
            root[up] = np.exp(root[up])
        return root * engine.scale
