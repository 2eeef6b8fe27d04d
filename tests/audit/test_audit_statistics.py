"""Statistics of the indicators, checked against hand computation (or numpy as a reference)."""

from __future__ import annotations

import math
import statistics as pystats

import numpy as np
import pytest
from audit_support import by_code

from riskscore.analyses.audit import audit
from support import write

MODEL = """
[index]
id = "risk"

[nodes.a]
[nodes.b]

[indicators.a1]
parent = "a"
goalposts = [0, 100]

[indicators.a2]
parent = "a"
goalposts = [0, 100]

[indicators.a3]
parent = "a"
goalposts = [0, 100]

[indicators.b1]
parent = "b"
goalposts = [0, 100]

[indicators.b2]
parent = "b"
goalposts = [0, 100]
"""

A1 = [1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 95]          # one outlier: skewed
A3 = [10, 20, 25, 30, 40, 45, 50, 60, 70, 75, 80, 90]
A2 = [6, 9, 14, 15, 21, 22, 26, 29, 36, 37, 41, 44]  # about A3 / 2: highly correlated
B2 = [50, 90, 0, 70, 20, 100, 40, 10, 95, 30, 80, 60]
B1 = [45, 41, 50, 43, 48, 40, 46, 49, 40, 47, 42, 44]  # about 50 - b2 / 10: falls as b rises


@pytest.fixture
def twelve(tmp_path):
    rows = ["entity,a1,a2,a3,b1,b2"] + [
        f"E{i:02d},{A1[i]},{A2[i]},{A3[i]},{B1[i]},{B2[i]}" for i in range(12)]
    config = write(tmp_path / "model.toml", MODEL)
    data = write(tmp_path / "data.csv", "\n".join(rows) + "\n")
    return audit(config, data=data)


def row(result, kind, ident):
    return next(r for r in result.statistics if r["kind"] == kind and r["id"] == ident)


def test_skew_and_kurtosis_by_hand(twelve):
    n = len(A1)
    mean = sum(A1) / n
    m2 = sum((x - mean) ** 2 for x in A1) / n
    m3 = sum((x - mean) ** 3 for x in A1) / n
    m4 = sum((x - mean) ** 4 for x in A1) / n
    g1, g2 = m3 / m2 ** 1.5, m4 / m2 ** 2 - 3
    skew = g1 * math.sqrt(n * (n - 1)) / (n - 2)                      # adjusted Fisher-Pearson
    kurt = ((n + 1) * g2 + 6) * (n - 1) / ((n - 2) * (n - 3))          # sample excess kurtosis
    stats = row(twelve, "indicator", "a1")
    assert stats["skew"] == pytest.approx(skew, rel=1e-12)
    assert stats["kurtosis"] == pytest.approx(kurt, rel=1e-12)
    assert skew > 2 and kurt > 3.5
    (found,) = by_code(twelve, "skewed")
    assert (found.level, found.indicators) == ("warning", ("a1",))
    assert f"skew {skew:.2f}, kurtosis {kurt:.2f} over 12 entities" in found.message


def test_coverage_distinct_and_clipped_share(twelve):
    stats = row(twelve, "indicator", "a1")
    assert (stats["observed"], stats["coverage"], stats["distinct"]) == (12, 1.0, 7)
    assert stats["clipped_share"] == 0.0


def test_high_and_negative_correlations(twelve):
    r_23 = float(np.corrcoef(A2, A3)[0, 1])
    assert r_23 >= 0.9
    # a2/a3 rise together; b1 falls as b2 rises (|r| counts: the same thing measured twice).
    pairs = {f.indicators: f for f in by_code(twelve, "high-correlation")}
    assert set(pairs) == {("a2", "a3"), ("b1", "b2")}
    high = pairs[("a2", "a3")]
    assert high.level == "warning"
    assert f"r = {float(np.corrcoef(B1, B2)[0, 1]):.2f}" in pairs[("b1", "b2")].message
    assert f"r = {r_23:.2f} over 12 entities" in high.message
    # b's score is the mean of b1 and b2 (normalised /100): b1 correlates negatively with it.
    b = [(x + y) / 200 for x, y in zip(B1, B2, strict=True)]
    r_b1 = float(np.corrcoef(B1, b)[0, 1])
    assert row(twelve, "indicator", "b1")["r_dimension"] == pytest.approx(r_b1, rel=1e-9)
    (neg,) = by_code(twelve, "negative-correlation")
    assert (neg.level, neg.indicators) == ("warning", ("b1",))
    index = [(sum(v) / 300 + (x + y) / 200) / 2 * 100
             for v, x, y in zip(zip(A1, A2, A3, strict=True), B1, B2, strict=True)]
    assert row(twelve, "indicator", "a3")["r_index"] == pytest.approx(
        float(np.corrcoef(A3, index)[0, 1]), rel=1e-9)


def test_cronbach_alpha_by_hand(twelve):
    columns = [[x / 100 for x in col] for col in (A1, A2, A3)]
    totals = [sum(vals) for vals in zip(*columns, strict=True)]
    k = 3
    alpha = k / (k - 1) * (1 - sum(pystats.variance(c) for c in columns) / pystats.variance(totals))
    assert row(twelve, "dimension", "a")["cronbach_alpha"] == pytest.approx(alpha, rel=1e-12)
    found = [f for f in by_code(twelve, "cronbach-alpha") if f.indicators == ("a1", "a2", "a3")]
    assert found and f"Cronbach's alpha of a is {alpha:.2f}" in found[0].message


def test_pca_first_component_against_the_correlation_eigenvalues(twelve):
    corr = np.corrcoef(np.array([A1, A2, A3], dtype=float))
    eigen = sorted(np.linalg.eigvalsh(corr), reverse=True)
    ratios = row(twelve, "dimension", "a")["pca_explained"]
    assert ratios == pytest.approx([e / 3 for e in eigen], rel=1e-9)
    (found,) = [f for f in by_code(twelve, "pca") if f.indicators == ("a1", "a2", "a3")]
    assert f"explains {eigen[0] / 3:.0%} of its variance" in found.message


def test_few_entities_compute_only_what_they_support(tmp_path):
    rows = ["entity,a1,a2,a3,b1,b2", "A,1,2,3,4,5", "B,5,4,3,2,1", "C,2,2,9,1,1", "D,8,1,1,1,9"]
    result = audit(write(tmp_path / "model.toml", MODEL),
                   data=write(tmp_path / "d.csv", "\n".join(rows) + "\n"))
    stats = row(result, "indicator", "a1")
    assert stats["skew"] is None and stats["r_dimension"] is None
    assert row(result, "dimension", "a")["cronbach_alpha"] is None
    assert "4 entities with every indicator of a" in row(result, "dimension", "a")["not_computed"]
    (note,) = by_code(result, "too-few-entities")
    assert note.level == "note"
    assert note.message.startswith("With 4 scored entities the audit does not compute")
    assert by_code(result, "high-correlation") == [] and by_code(result, "pca") == []
