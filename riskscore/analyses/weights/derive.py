"""``riskscore weights METHOD``: the validating wrappers around the kernels.

Each takes an ``Assessment`` (for the children's normalised values, or just their
names) and a node, checks that the method can run, calls the kernel of its family
and returns a ``Derivation``: the weights, diagnostics, a sentence of derivation and
the source (the judgements file, or the data, each with its SHA-256).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from riskscore.errors import ConfigError, DataError, did_you_mean

EXPERT_METHODS = ("budget", "ahp")
DATA_METHODS = ("equal", "pca", "entropy", "critic", "optimised")
METHODS = (*EXPERT_METHODS, *DATA_METHODS, "bod")


@dataclass(frozen=True)
class Derivation:
    method: str
    node: str
    children: tuple[str, ...]
    weights: dict[str, float]
    diagnostics: dict[str, Any]
    derivation: str
    source: dict[str, Any]
    entities: list[dict[str, Any]] | None = None      # bod: per entity
    date: dt.date = field(default_factory=dt.date.today)

    def to_frame(self) -> Any:
        """The derived weights as a pandas DataFrame: one row per child (the index), its
        ``weight``; for ``bod``, one row per entity with its own best-case weights."""
        import pandas as pd

        if self.entities is not None:
            return pd.DataFrame(self.entities)
        return pd.DataFrame({"weight": [self.weights[c] for c in self.children]},
                            index=pd.Index(list(self.children), name="child"))

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract: method, node, weights, diagnostics (+ entities for bod)."""
        out: dict[str, Any] = {"method": self.method, "node": self.node,
                               "weights": dict(self.weights), "diagnostics": self.diagnostics,
                               "derivation": self.derivation, "source": self.source}
        if self.entities is not None:
            out["entities"] = self.entities
        return out


class MethodCannotRun(DataError):
    """The data (or the node) does not allow this method; the message says why."""


def check_node(model, node: str | None) -> str:
    """The node whose children are weighted: ``node`` (a node of the model), else the index."""
    if node is None:
        return model.root
    if node not in model.nodes:
        known = list(model.nodes)
        raise ConfigError("--node", node, "is not a node of the model"
                          + (" (it is an indicator: indicators have no children)"
                             if node in model.indicators else did_you_mean(node, known)),
                          "one of " + ", ".join(known))
    return node


def child_values(result, node: str) -> tuple[np.ndarray, list[str], int]:
    """The children's values (0-1, as aggregated) on entities with every child present,
    those entities, and how many were left out for a missing child."""
    children = result.model.children[node]
    slots = [result.hierarchy.slot(c) for c in children]
    values = result.slots[:, slots]
    complete = ~np.isnan(values).any(axis=1)
    entities = [e for e, ok in zip(result.entities, complete, strict=True) if ok]
    return values[complete], entities, int((~complete).sum())


def data_source(result, used: np.ndarray) -> dict[str, Any]:
    """The data a data-driven set comes from: the inputs' path and hash, and the hash of
    the exact matrix used (so a changed value shows)."""
    digest = hashlib.sha256(np.ascontiguousarray(used, dtype="<f8").tobytes()).hexdigest()
    return {"data": result.inputs.source.path, "sha256": result.inputs.source.sha256,
            "values_sha256": digest}


def _needs(ok: bool, method: str, node: str, why: str, expected: str) -> None:
    if not ok:
        raise MethodCannotRun(f"weights {method}", f"node {node!r}", why, expected)


def _check_data(method: str, node: str, x: np.ndarray, children: tuple[str, ...],
                minimum: int, varying: bool) -> None:
    _needs(len(children) >= 2, method, node, f"has {len(children)} child", "at least two "
           "children to weigh")
    _needs(x.shape[0] >= minimum, method, node, f"has {x.shape[0]} entities with every child "
           "present", f"at least {minimum} for {method}")
    if varying:
        flat = [c for c, v in zip(children, np.ptp(x, axis=0), strict=True) if v <= 1e-12]
        _needs(not flat, method, node, "has a constant child (" + ", ".join(flat) + f" is the "
               f"same for all {x.shape[0]} entities), which {method} cannot use"
               + (" (standardising divides by its spread)" if method == "pca" else
                  " (a constant has no correlation with anything)"),
               "children that vary across entities, or another method (equal, entropy)")


def _shares(children: tuple[str, ...], w: np.ndarray) -> dict[str, float]:
    return {c: float(v) for c, v in zip(children, w, strict=True)}


def derive(method: str, result, node: str | None = None, *, judgements: Path | None = None,
           combine: str = "mean", accept_inconsistent: str | None = None,
           target: dict[str, float] | None = None,
           bounds: dict[str, tuple[float, float]] | None = None) -> Derivation:
    """Derive weights for the children of ``node`` (default the index) by ``method``.

    Raises ConfigError for a bad option, JudgementErrors for a bad judgement file and
    MethodCannotRun (a DataError) when the data do not allow the method.
    """
    if method not in METHODS:
        raise ConfigError("weights", method, "is not a weighting method", "one of "
                          + ", ".join(METHODS))
    model = result.model
    node = check_node(model, node)
    children = tuple(model.children[node])
    if method in EXPERT_METHODS:
        if judgements is None:
            raise ConfigError("weights " + method, "--judgements", "is missing",
                              "the experts' " + ("pairwise judgements" if method == "ahp" else
                                                 "point allocations") + " (a .csv file)")
        if method == "ahp":
            return _ahp(node, children, Path(judgements), accept_inconsistent)
        return _budget(node, children, Path(judgements), combine)
    x, entities, left_out = child_values(result, node)
    note = {"entities_used": x.shape[0], "entities_left_out": left_out}
    if method == "equal":
        _needs(len(children) >= 1, method, node, "has no children", "children")
        w = np.full(len(children), 1.0 / len(children))
        return Derivation(method, node, children, _shares(children, w), {"children": len(children)},
                          f"equal weights: 1/{len(children)} for each child of {node}",
                          data_source(result, x))
    if method == "bod":
        return _bod(result, node, children, x, entities, note, bounds or {})
    if method == "pca":
        return _pca(result, node, children, x, note)
    if method in ("entropy", "critic"):
        return _information(result, method, node, children, x, note)
    return _optimised(result, node, children, x, note, target)


def _ahp(node: str, children: tuple[str, ...], path: Path,
         accept: str | None) -> Derivation:
    from riskscore.analyses.weights.ahp import (
        CONSISTENCY_LIMIT,
        RANDOM_INDEX,
        consistency_ratio,
        geometric_mean_judgements,
        principal_eigenvector,
    )
    from riskscore.analyses.weights.judgements import read_ahp

    _needs(len(children) <= max(RANDOM_INDEX), "ahp", node, f"has {len(children)} children",
           f"at most {max(RANDOM_INDEX)} (Saaty's random index is published up to 15)")
    read = read_ahp(path, children)
    per_expert = {}
    for expert, matrix in zip(read.experts, read.values, strict=True):
        _, lam = principal_eigenvector(matrix)
        per_expert[expert] = consistency_ratio(lam, len(children))
    combined = geometric_mean_judgements(read.values)
    w, lam = principal_eigenvector(combined)
    cr = consistency_ratio(lam, len(children))
    over = {e: r for e, r in per_expert.items() if r > CONSISTENCY_LIMIT}
    if cr > CONSISTENCY_LIMIT:
        over["combined (geometric mean)"] = cr
    if over and not accept:
        raise MethodCannotRun(path, ", ".join(f"expert {e!r}" if "combined" not in e else e
                                              for e in over),
                              "has a consistency ratio of " + ", ".join(f"{r:.3f}" for r in
                                                                      over.values())
                              + f", above Saaty's limit of {CONSISTENCY_LIMIT}",
                              "revised judgements, or --accept-inconsistent REASON")
    diagnostics = {"consistency_ratio": cr, "lambda_max": lam,
                   "random_index": RANDOM_INDEX[len(children)], "experts": len(read.experts),
                   "consistency_ratio_by_expert": per_expert,
                   "accepted_inconsistent": accept if over else None}
    text = (f"AHP: principal eigenvector of {len(read.experts)} expert(s)' pairwise judgements"
            + (" combined by the geometric mean" if len(read.experts) > 1 else "")
            + f"; λmax {lam:.3f}, consistency ratio {cr:.3f}"
            + (f" (above {CONSISTENCY_LIMIT}, accepted: {accept})" if over else ""))
    return Derivation("ahp", node, children, _shares(children, w), diagnostics, text,
                      _file_source(path))


def _budget(node: str, children: tuple[str, ...], path: Path, combine: str) -> Derivation:
    from riskscore.analyses.weights.budget import COMBINATIONS, budget_weights
    from riskscore.analyses.weights.judgements import read_budget

    if combine not in COMBINATIONS:
        raise ConfigError("weights budget", "--combine", f"is {combine!r}", "mean or median")
    read = read_budget(path, children)
    w, spread = budget_weights(read.values, combine)
    diagnostics = {"experts": len(read.experts), "combine": combine,
                   "spread": {c: {k: float(v[i]) for k, v in spread.items()}
                              for i, c in enumerate(children)}}
    text = (f"budget allocation: {len(read.experts)} expert(s)' points scaled to shares, "
            f"combined by the {combine}")
    return Derivation("budget", node, children, _shares(children, w), diagnostics, text,
                      _file_source(path))


def _file_source(path: Path) -> dict[str, Any]:
    return {"file": str(path), "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}


def _pca(result, node, children, x, note) -> Derivation:
    from riskscore.analyses.weights.pca import factor_weights

    _check_data("pca", node, x, children, max(3, len(children) + 1), varying=True)
    fit = factor_weights(x)
    diagnostics = {**note, "eigenvalues": [float(v) for v in fit.eigenvalues],
                   "factors_kept": fit.kept, "variance_explained": fit.explained,
                   "loadings": {c: [float(v) for v in fit.loadings[i]]
                                for i, c in enumerate(children)},
                   "factor_of": {c: int(fit.factor_of[i]) + 1 for i, c in enumerate(children)}}
    text = (f"factor analysis (OECD/JRC Handbook): {fit.kept} factor(s) kept explaining "
            f"{fit.explained:.0%} of the variance, varimax-rotated, squared loadings scaled; "
            f"{x.shape[0]} entities" + _left_out(note))
    return Derivation("pca", node, children, _shares(children, fit.weights), diagnostics, text,
                      data_source(result, x))


def _information(result, method, node, children, x, note) -> Derivation:
    from riskscore.analyses.weights.information import critic_weights, entropy_weights

    _check_data(method, node, x, children, 3 if method == "critic" else 2,
                varying=method == "critic")
    if method == "entropy":
        _needs(bool((x >= 0).all()), method, node, "has negative normalised values (an "
               "unbounded normalisation such as zscore)", "values >= 0 (shares of a column)")
        _needs(bool((x.sum(axis=0) > 0).all()), method, node, "has a child that is 0 for "
               "every entity", "each child positive somewhere")
        _needs(bool(np.ptp(x, axis=0).max() > 1e-12), method, node, "has children that are "
               "all constant, so every entropy is 1", "a child that varies")
        w, entropy = entropy_weights(x)
        diagnostics = {**note, "entropy": _shares(children, entropy)}
        text = "entropy: w ∝ 1 - e_j, e_j the Shannon entropy of child j's shares"
    else:
        w, sigma, r = critic_weights(x)
        diagnostics = {**note, "sd": _shares(children, sigma),
                       "correlations": {c: _shares(children, r[i]) for i, c in enumerate(children)}}
        text = "CRITIC: w ∝ σ_j Σ_k (1 - r_jk) on min-max scaled children"
    return Derivation(method, node, children, _shares(children, w), diagnostics,
                      text + f"; {x.shape[0]} entities" + _left_out(note),
                      data_source(result, x))


def _optimised(result, node, children, x, note, target) -> Derivation:
    from riskscore.analyses.weights.optimised import optimised_weights

    aggregation = result.model.nodes[node].aggregation
    _needs(aggregation in ("arithmetic", "geometric"), "optimised", node,
           f"aggregates by {aggregation!r}", "a weighted arithmetic or geometric mean")
    _check_data("optimised", node, x, children, 3, varying=True)
    t = None
    if target:
        for c in target:
            if c not in children:
                raise ConfigError("--target", c, f"is not a child of {node}",
                                  "one of " + ", ".join(children))
        t = np.array([target.get(c, 0.0) for c in children])
        if t.sum() <= 0:
            raise ConfigError("--target", ",".join(target), "sums to 0", "positive shares")
    fit = optimised_weights(x, t, geometric=aggregation == "geometric")
    diagnostics = {**note, "target": _shares(children, (t / t.sum()) if t is not None else
                                             np.full(len(children), 1 / len(children))),
                   "correlations": _shares(children, fit.correlations),
                   "correlations_equal_weights": _shares(children, fit.start_correlations),
                   "objective": fit.objective, "converged": fit.converged,
                   "largest_gap": float(np.max(np.abs(
                       fit.correlations / fit.correlations.sum()
                       - (t / t.sum() if t is not None else 1 / len(children)))))}
    text = ("optimised (as COINr): weights whose children's correlations with the node "
            "come closest to the target shares" + ("" if target else " (equal)")
            + f"; {x.shape[0]} entities" + _left_out(note))
    return Derivation("optimised", node, children, _shares(children, fit.weights), diagnostics,
                      text, data_source(result, x))


def _bod(result, node, children, x, entities, note, bounds) -> Derivation:
    from riskscore.analyses.weights.bod import benefit_of_the_doubt

    for c in bounds:
        if c not in children:
            raise ConfigError("--bound", c, f"is not a child of {node}",
                              "one of " + ", ".join(children))
    _check_data("bod", node, x, children, 2, varying=False)
    _needs(bool((x >= 0).all()), "bod", node, "has negative normalised values",
           "values >= 0")
    _needs(bool((x.sum(axis=1) > 0).all()), "bod", node, "has an entity whose children are "
           "all 0", "every entity positive on some child")
    lower = np.array([bounds.get(c, (0.0, 1.0))[0] for c in children]) if bounds else None
    upper = np.array([bounds.get(c, (0.0, 1.0))[1] for c in children]) if bounds else None
    if lower is not None and upper is not None and (lower.sum() > 1 + 1e-9
                                                    or upper.sum() < 1 - 1e-9):
        raise ConfigError("--bound", ",".join(bounds), "leaves no weights: lower bounds sum "
                          f"to {lower.sum():g}, upper bounds to {upper.sum():g}",
                          "lower bounds summing to at most 1 and upper to at least 1")
    try:
        scores, shares = benefit_of_the_doubt(x, lower, upper)
    except ValueError as exc:
        raise MethodCannotRun("weights bod", f"node {node!r}", f"has no feasible weights ({exc})",
                              "wider --bound limits") from None
    rows = [{"entity": e, "score": float(s), "weights": _shares(children, w)}
            for e, s, w in zip(entities, scores, shares, strict=True)]
    mean = shares.mean(axis=0)
    diagnostics = {**note, "bounds": {c: list(b) for c, b in bounds.items()},
                   "weights_are": "the mean of the entities' most favourable shares; benefit "
                                  "of the doubt is a diagnostic, not a weight set"}
    text = ("benefit of the doubt: each entity's weights maximising its own score subject to "
            "no entity scoring above 1 under them" + (" within the bounds" if bounds else "")
            + f"; {x.shape[0]} entities" + _left_out(note))
    return Derivation("bod", node, children, _shares(children, mean / mean.sum()), diagnostics,
                      text, data_source(result, x), entities=rows)


def _left_out(note: dict) -> str:
    n = note["entities_left_out"]
    return f" ({n} left out for a missing child)" if n else ""


def effective_weights(result) -> list[dict[str, Any]]:
    """Per node and child: the nominal weight beside the effective importance.

    ``importance`` is the first-order effect S_j of the child on the node over the
    scored entities (``riskscore.analyses.weights.effective``); ``share`` is S_j over
    the node's Σ S, comparable with the nominal weight (which sums to 1 too); ``far``
    flags a share far from the weight. Nodes with fewer than 3 complete entities or
    one child are left out.
    """
    from riskscore.analyses.weights.effective import effective_importance, is_far

    model, rows = result.model, []
    for node in model.nodes:
        children = model.children[node]
        if len(children) < 2:
            continue
        x, _, left_out = child_values(result, node)
        y = result.slots[:, result.hierarchy.slot(node)]
        complete = ~np.isnan(result.slots[:, [result.hierarchy.slot(c) for c in children]]
                             ).any(axis=1)
        y = y[complete]
        if x.shape[0] < 3 or np.isnan(y).any() or np.ptp(y) == 0:
            continue
        s, estimator = effective_importance(x, y)
        total = np.nansum(s)
        for child, value in zip(children, s, strict=True):
            nominal = model.normalised_weight(child)
            share = float(value / total) if total > 0 and np.isfinite(value) else float("nan")
            rows.append({"node": node, "child": child, "nominal": nominal,
                         "importance": float(value), "share": share,
                         "far": is_far(nominal, share), "estimator": estimator,
                         "entities": int(x.shape[0]), "left_out": left_out})
    return rows


def importance_sentence(row: dict[str, Any]) -> str:
    """'nominal 25%, explains 61% of the variance of risk (62% of the explained)'."""
    if not np.isfinite(row["importance"]):
        return f"nominal {row['nominal']:.0%}, importance not estimable (constant)"
    return (f"nominal {row['nominal']:.0%}, explains {row['importance']:.0%} of the variance "
            f"of {row['node']} ({row['share']:.0%} of what its children explain)")
