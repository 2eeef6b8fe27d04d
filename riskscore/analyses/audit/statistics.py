"""Statistical coherence of the indicators (OECD/JRC Handbook, step 4), on the scored entities.

Per indicator: coverage, distinct values, zero variance, the share clipped at the
goalposts, skew and kurtosis, correlation with its dimension and the index; per
pair: identical columns (one thing entered twice) and high correlations; per
dimension: Cronbach's alpha and a principal component analysis.

Each statistic is computed only where the number of entities supports it
(``MIN_ENTITIES``), and the audit says so where it does not: four countries
support a zero-variance or duplicate check, not a correlation. pandas, scipy and
scikit-learn do the arithmetic; they are imported inside the functions.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from riskscore.analyses.audit.findings import Finding, finding

# The fewest entities (with values) each statistic needs before it means anything.
MIN_ENTITIES = {"distribution": 10, "correlation": 10, "alpha": 10, "pca": 10}
DUPLICATE_MIN = 3          # identical on at least this many entities = entered twice
HIGH_CORRELATION = 0.9     # |r| at or above this: the two measure the same thing
SKEW, KURTOSIS = 2.0, 3.5  # both exceeded: a few values dominate (the JRC/COINr rule)


def frames(result):
    """Raw and normalised values (entities with a score x indicators), NaN = missing."""
    import pandas as pd

    scored = [e for e in range(len(result.entities)) if not math.isnan(result.scores[e])]
    names = [result.entities[e] for e in scored]
    ids = list(result.hierarchy.indicator_ids)
    raw = pd.DataFrame(result.raw[scored], index=names, columns=ids)
    norm = pd.DataFrame(result.normalised[scored], index=names, columns=ids)
    return raw, norm, scored


def check(result) -> tuple[list[Finding], list[dict]]:
    """Findings and one statistics row per indicator and per dimension."""
    import pandas as pd

    raw, norm, scored = frames(result)
    n = len(scored)
    findings: list[Finding] = []
    rows: list[dict] = []
    model = result.model
    index_score = pd.Series(result.scores[scored], index=norm.index)
    for ind_id in norm.columns:
        dim = model.dimension_of(ind_id)
        dim_score = pd.Series(result.slots[scored, result.hierarchy.slot(dim)]
                              * model.scale, index=norm.index)
        row, found = _indicator(result, ind_id, raw[ind_id], norm[ind_id], dim, dim_score,
                                index_score, n)
        rows.append(row)
        findings += found
    findings += _pairs(raw, norm)
    members: dict[str, list[str]] = {}   # each indicator's dimension looked up once
    for ind_id in norm.columns:
        members.setdefault(model.dimension_of(ind_id), []).append(ind_id)
    for dim in model.dimensions:
        row, found = _dimension(result, dim, norm, members.get(dim, []))
        rows.append(row)
        findings += found
    if n < max(MIN_ENTITIES.values()):
        skipped = ", ".join(sorted({"skew and kurtosis" if k == "distribution" else
                                    "correlations" if k == "correlation" else
                                    "Cronbach's alpha" if k == "alpha" else "PCA"
                                    for k, m in MIN_ENTITIES.items() if n < m}))
        findings.append(finding(
            "too-few-entities",
            f"With {n} scored entities the audit does not compute {skipped}: they need at least "
            f"{min(MIN_ENTITIES.values())} entities, and fewer give no reliable estimate. "
            "Zero variance, duplicates, coverage and clipping are still checked.",
            "read these statistics as not available rather than passed; score more entities "
            "to test the statistical coherence of the dimensions"))
    return findings, rows


def _indicator(result, ind_id, raw, norm, dim, dim_score, index_score, n):
    from scipy import stats

    ind = result.model.indicators[ind_id]
    observed = norm.dropna()
    values = raw[observed.index]
    lower, upper = ind.goalposts
    row = {"kind": "indicator", "id": ind_id, "dimension": dim, "entities": n,
           "observed": len(observed), "coverage": len(observed) / n if n else None,
           "distinct": int(values.nunique()),
           "clipped_share": float(((values < lower) | (values > upper)).mean())
           if len(values) and (ind.normalisation or result.model.normalisation) == "goalposts"
           else None,
           "skew": None, "kurtosis": None, "r_dimension": None, "r_index": None}
    found = []
    if len(observed) >= 2 and observed.round(12).nunique() == 1:
        cols = [result.hierarchy.slot(ind_id)]
        points = [result.allocation[e, cols[0]] * result.model.scale
                  for e in range(len(result.entities)) if not math.isnan(result.scores[e])]
        points = [p for p in points if not math.isnan(p)]
        shown = ", ".join(f"{v:g}" for v in sorted(values.unique()))
        found.append(finding(
            "zero-variance",
            f"{ind_id} has the same normalised value ({observed.iloc[0]:.2f}; raw {shown}) for all "
            f"{len(observed)} scored entities that have it: it adds "
            + (f"{min(points):.1f}–{max(points):.1f}" if points and max(points) - min(points) > 0.05
               else f"{points[0]:.1f}" if points else "the same")
            + " points to each score and separates no one.",
            "drop the indicator or replace it with one that varies between entities (or give "
            "it weight 0); if it is kept for completeness, accept it in the model with the reason",
            indicators=ind_id))
    if len(observed) >= MIN_ENTITIES["distribution"] and _spread(values):
        row["skew"] = float(stats.skew(values, bias=False))
        row["kurtosis"] = float(stats.kurtosis(values, bias=False))
        if abs(row["skew"]) > SKEW and row["kurtosis"] > KURTOSIS:
            found.append(finding(
                "skewed",
                f"{ind_id} is highly skewed (skew {row['skew']:.2f}, kurtosis "
                f"{row['kurtosis']:.2f} over {len(observed)} entities): a few values dominate "
                "its normalised range.",
                "consider a log transform or goalposts that cap the outliers", indicators=ind_id))
    if len(observed) >= MIN_ENTITIES["correlation"] and observed.nunique() > 1:
        row["r_dimension"] = _corr(norm, dim_score)
        row["r_index"] = _corr(norm, index_score)
        if dim != ind_id and row["r_dimension"] is not None and row["r_dimension"] < 0:
            found.append(finding(
                "negative-correlation",
                f"{ind_id} correlates negatively with its dimension {dim} "
                f"(r = {row['r_dimension']:.2f}): it pulls against the other indicators.",
                "check its direction; if it measures something else, move it to another "
                "dimension", indicators=ind_id))
    return row, found


def _corr(a, b) -> float | None:
    value = a.corr(b)
    return None if value is None or math.isnan(value) else float(value)


def _pairs(raw, norm) -> list[Finding]:
    found = []
    ids = list(norm.columns)
    # arrays, not frames, in the loop over pairs (780 pairs for 40 indicators)
    norm_values, raw_values = norm.to_numpy(dtype=float), raw.to_numpy(dtype=float)
    seen = ~np.isnan(norm_values)
    # with fewer entities than a correlation needs, pandas would give NaN for every pair
    corr = (norm.corr(min_periods=MIN_ENTITIES["correlation"])
            if int(seen.any(axis=1).sum()) >= MIN_ENTITIES["correlation"] else None)
    for i, j in _candidate_pairs(norm_values, raw_values, seen, corr):
        a, b = ids[i], ids[j]
        both = seen[:, i] & seen[:, j]
        count = int(both.sum())
        first = norm_values[both, i]
        if count < 2 or np.unique(np.round(first, 12)).size < 2:
            continue
        same_norm = np.allclose(first, norm_values[both, j], atol=1e-9)
        same_raw = np.allclose(raw_values[both, i], raw_values[both, j], atol=1e-9)
        if count >= DUPLICATE_MIN and (same_norm or same_raw):
            what = "raw and normalised values" if same_raw and same_norm else (
                "raw values" if same_raw else "normalised values")
            found.append(finding(
                "duplicate-indicator",
                f"{a} and {b} have identical {what} for all {count} entities that have "
                "both: one measurement is probably entered twice, and counted twice.",
                "delete one of them (or merge them into one indicator); if they are "
                "distinct measures that happen to agree, accept it in the model with the reason",
                indicators=(a, b)))
            continue
        r = math.nan if corr is None else corr.loc[a, b]
        if not math.isnan(r) and abs(r) >= HIGH_CORRELATION:
            found.append(finding(
                "high-correlation",
                f"{a} and {b} correlate at r = {r:.2f} over {count} entities: they "
                "largely measure the same thing, which weights it twice.",
                "keep one, or combine them, or halve their weights; accept it in the model "
                "if both are needed", indicators=(a, b)))
    return found


def _candidate_pairs(norm_values: np.ndarray, raw_values: np.ndarray, seen: np.ndarray,
                     corr) -> list[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j`` in column order, that ``_pairs`` could report: close (as
    ``np.allclose``) on every entity both have, on at least ``DUPLICATE_MIN`` entities, in
    normalised or raw values, or correlated at ``HIGH_CORRELATION`` or more.

    Close pairs are first looked for in sorted order on the entity with most values (a
    window of the tolerance around each value; columns without a finite value there are
    paired with every column), then checked on every entity, so 10,000 indicators do not
    cost 50 million Python iterations."""
    n = norm_values.shape[1]
    if n < 2:
        return []
    found = [_close_pairs(values, seen) for values in (norm_values, raw_values)]
    if corr is not None:
        i, j = np.nonzero(np.abs(corr.to_numpy(dtype=float)) >= HIGH_CORRELATION)
        found.append((i, j))
    i = np.concatenate([f[0] for f in found]).astype(np.int64)
    j = np.concatenate([f[1] for f in found]).astype(np.int64)
    keep = i < j
    code = np.unique(i[keep] * n + j[keep])       # sorted by i, then j, as the loop was
    return list(zip((code // n).tolist(), (code % n).tolist(), strict=True))


def _close_pairs(values: np.ndarray, seen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of columns close on every entity both have, on ``DUPLICATE_MIN`` or more."""
    n_ent, n = values.shape
    if n_ent == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    ok = seen & np.isfinite(values)
    e0 = int(np.argmax(ok.sum(axis=1)))
    x = values[e0]
    idx = np.flatnonzero(ok[e0])
    order = idx[np.argsort(x[idx], kind="stable")]
    xs = x[order]
    # |a - b| <= 1e-9 + 1e-5 |b| implies |a - b| <= (1e-9 + 1e-5 |a|) / (1 - 1e-5)
    half = (1e-9 + 1e-5 * np.abs(xs)) / (1 - 1e-5) * (1 + 1e-9) + 1e-300
    lo = np.searchsorted(xs, xs - half, side="left")
    hi = np.searchsorted(xs, xs + half, side="right")
    counts = hi - lo
    rep = np.repeat(np.arange(xs.size), counts)
    within = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    a, b = order[rep], order[np.repeat(lo, counts) + within]
    rest = np.flatnonzero(~ok[e0])
    if rest.size:
        a = np.concatenate([a, np.repeat(rest, n)])
        b = np.concatenate([b, np.tile(np.arange(n), rest.size)])
    a, b = np.minimum(a, b), np.maximum(a, b)
    keep = a < b
    a, b = a[keep], b[keep]
    both = seen[:, a] & seen[:, b]
    with np.errstate(invalid="ignore"):
        xa, xb = values[:, a], values[:, b]
        near = (xa == xb) | (np.abs(xa - xb) <= 1e-9 + 1e-5 * np.abs(xb))
    hit = (both.sum(axis=0) >= DUPLICATE_MIN) & (near | ~both).all(axis=0)
    return a[hit], b[hit]


def _dimension(result, dim, norm, members: list[str]):
    k = len(members)
    found: list[Any] = []
    if k == 1:   # one indicator: counted with numpy, not a frame (10,000 such dimensions)
        n = int((~np.isnan(norm[members[0]].to_numpy(dtype=float))).sum())
        return {"kind": "dimension", "id": dim, "indicators": k, "complete_entities": n,
                "cronbach_alpha": None, "pca_explained": None,
                "not_computed": "one indicator: no internal consistency to measure"}, found
    complete = norm[members].dropna()
    n = len(complete)
    row = {"kind": "dimension", "id": dim, "indicators": k, "complete_entities": n,
           "cronbach_alpha": None, "pca_explained": None, "not_computed": None}
    varying = [c for c in members if complete[c].round(12).nunique() > 1] if n else []
    if k < 2:
        row["not_computed"] = "one indicator: no internal consistency to measure"
        return row, found
    if n < MIN_ENTITIES["alpha"] or len(varying) < 2:
        row["not_computed"] = (f"{n} entities with every indicator of {dim}; Cronbach's alpha and "
                               f"PCA need at least {MIN_ENTITIES['alpha']} and two varying "
                               "indicators")
        return row, found
    data = complete[varying]
    total = data.sum(axis=1)
    kk = len(varying)
    if not _spread(total):   # each indicator rises as another falls: the sum never moves
        row["not_computed"] = (f"the indicators of {dim} sum to the same value for every "
                               "entity: Cronbach's alpha is undefined")
        found.append(finding(
            "cronbach-alpha",
            f"the indicators of {dim} ({', '.join(varying)}) cancel out: their normalised values "
            f"sum to the same total for all {n} entities, so Cronbach's alpha is undefined "
            "(they measure one trait in opposite directions).",
            "check the directions of these indicators: one may be counted the wrong way round",
            indicators=tuple(varying)))
        return row, found
    alpha = kk / (kk - 1) * (1 - data.var(ddof=1).sum() / total.var(ddof=1))
    row["cronbach_alpha"] = float(alpha)
    found.append(finding(
        "cronbach-alpha",
        f"Cronbach's alpha of {dim} is {alpha:.2f} over {n} entities and {kk} indicators"
        + (": the indicators move together." if alpha >= 0.7 else
           ": the indicators do not move together (below 0.7). That is expected of a formative "
           "dimension whose indicators are complementary, not of one that measures a single trait."),
        "nothing, if the dimension is formative by design; otherwise review which indicators "
        "belong to it", indicators=tuple(varying)))
    if n > kk and n >= MIN_ENTITIES["pca"]:
        from sklearn.decomposition import PCA

        standard = (data - data.mean()) / data.std(ddof=0)
        pca = PCA().fit(standard.to_numpy())
        ratios = [float(x) for x in pca.explained_variance_ratio_]
        eigen = [float(x) for x in pca.explained_variance_]
        row["pca_explained"] = ratios
        above = sum(1 for e in eigen if e > 1)
        found.append(finding(
            "pca",
            f"The first principal component of {dim} explains {ratios[0]:.0%} of its variance "
            f"over {n} entities; {above} component(s) have an eigenvalue above 1"
            + (" (one latent dimension)." if above == 1 else
               " (the indicators describe more than one latent dimension)."),
            "nothing, if intended; several latent dimensions suggest splitting the dimension",
            indicators=tuple(varying)))
    return row, found


def _spread(values) -> bool:
    """Whether ``values`` differ by more than rounding: a spread above 1e-9 of their size
    (scipy's moments lose all precision on data nearly identical, and a variance that is
    only rounding noise gives no statistic, only a finding)."""
    import numpy as np

    array = np.asarray(values, dtype=float)
    array = array[~np.isnan(array)]
    if array.size < 2:
        return False
    return float(np.ptp(array)) > 1e-9 * max(float(np.abs(array).max()), 1e-300)
