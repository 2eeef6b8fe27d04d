"""Attack review, round 2 (issue 18), F10 (U04/U05): no numpy or scipy warning from
``audit`` reaches the user; a degenerate statistic is a finding.

Run in a child process with every warning shown (``PYTHONWARNINGS=always``), over tables
whose statistics degenerate: nearly identical values (scipy's moments lose precision),
indicators that cancel out (Cronbach's alpha divides by a zero variance), constant columns,
one entity, every value missing but one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from support import write

ROWS = range(11)
TABLES = {
    # x and y of node a move exactly against each other: their normalised sum is constant
    "cancelling": ["entity,x,y,z", *(f"E{k},{k},{k * 10},0.{k % 10}" for k in ROWS)],
    # x nearly identical: differs in the 16th digit
    "nearly-identical": ["entity,x,y,z", *(f"E{k},5,{k * 7},0.{k % 10}" for k in ROWS),
                         "E99,5.000000000000001,3,0.3"],
    "constant": ["entity,x,y,z", *(f"E{k},5,50,0.5" for k in ROWS)],
    "one-entity": ["entity,x,y,z", "A,1,2,0"],
    "mostly-missing": ["entity,x,y,z", *(f"E{k},,," for k in ROWS), "Z,1,2,1"],
}


def _audit(tiny, tmp_path, rows: list[str]) -> subprocess.CompletedProcess:
    model, _ = tiny
    data = write(tmp_path / "d.csv", "\n".join(rows) + "\n")
    env = {**os.environ, "PYTHONWARNINGS": "always"}
    return subprocess.run([sys.executable, "-m", "riskscore", "audit", "--config", str(model),
                           "--data", str(data), "--format", "json"],
                          capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.parametrize("name", sorted(TABLES))
def test_no_numeric_warning_reaches_the_user(tiny, tmp_path, name):
    proc = _audit(tiny, tmp_path, TABLES[name])
    assert "Warning" not in proc.stderr, proc.stderr
    assert proc.returncode == 0, proc.stderr
    json.loads(proc.stdout)


def test_cancelling_indicators_are_a_finding_naming_them(tiny, tmp_path):
    proc = _audit(tiny, tmp_path, TABLES["cancelling"])
    findings = json.loads(proc.stdout)["findings"]
    alpha = [f for f in findings if f["code"] == "cronbach-alpha"]
    assert len(alpha) == 1 and "cancel out" in alpha[0]["message"]
    assert alpha[0]["indicator"] == "x, y" and "-inf" not in alpha[0]["message"]


def test_a_warning_a_check_raises_becomes_a_degenerate_statistic_finding(tiny):
    """Any other numeric warning of a check (one that no input above triggers today) is
    caught the same way: turned into a note, never printed."""
    import warnings

    import riskscore
    from riskscore.analyses import audit as audit_package
    from riskscore.analyses.audit import audit_assessment, evidence

    model, data = tiny
    result = riskscore.assess(model, data=data)
    original = evidence.check

    def noisy(assessment):
        import numpy as np

        np.float64(1.0) / np.float64(0.0)      # a real numpy RuntimeWarning
        return original(assessment)

    evidence.check = noisy
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")     # any warning escaping would raise here
            found = audit_assessment(result)
    finally:
        evidence.check = original
    codes = [f.code for f in found.findings]
    assert codes.count("degenerate-statistic") == 1
    assert audit_package.CODES["degenerate-statistic"][0] == "note"
