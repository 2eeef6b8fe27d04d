"""The double coding in config/ matches the shipped profiles, and its reported kappa is the data's.

Reads the shipped example (config/, seeds/), like the other checks: after re-coding a value,
update config/coding-2026-12.csv and the kappa in config/CODING-2026-12.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import tomllib
from pathlib import Path

from sklearn.metrics import cohen_kappa_score

from riskscore.analyses.agreement import cohen_kappa

ROOT = Path(__file__).resolve().parent.parent
ROWS = list(csv.DictReader((ROOT / "config" / "coding-2026-12.csv").open(encoding="utf-8")))
CODED = {"surveillance_lockin", "localisation_gap", "biometric_storage_opacity",
         "dpa_independence_gap", "debt_distress_rating"}


def profile_codes() -> dict[tuple[str, str, str], float]:
    """Every coded value of the shipped profiles, keyed by (entity, indicator, as_of)."""
    out = {}
    for path in sorted((ROOT / "seeds" / "profiles").glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for indicator, entry in data.get("values", {}).items():
            if indicator not in CODED:
                continue
            for obs in entry.get("observations", [entry]):
                if "value" in obs:
                    as_of = obs.get("as_of", data["as_of"])
                    out[(data["entity"], indicator, as_of.isoformat())] = obs["value"]
    return out


def test_every_code_is_double_coded_and_coder_a_resolved_is_the_profile():
    codes = profile_codes()
    listed = {(r["entity"], r["indicator"], r["as_of"]): r for r in ROWS}
    assert set(listed) == set(codes), "coding-2026-12.csv and the profiles list different codes"
    for key, value in codes.items():
        assert float(listed[key]["resolved"]) == value, key
        dt.date.fromisoformat(key[2])


def test_reported_kappa_is_the_data_s():
    a = [r["coder_a"] for r in ROWS]
    b = [r["coder_b"] for r in ROWS]
    ours = cohen_kappa(a, b)
    assert abs(ours - cohen_kappa_score(a, b)) < 1e-12
    text = (ROOT / "config" / "CODING-2026-12.md").read_text(encoding="utf-8")
    reported = float(re.search(r"κ = (\d\.\d+)", text).group(1))
    assert reported == round(ours, 3)
    agree = sum(x == y for x, y in zip(a, b, strict=True))
    assert f"{agree} of {len(ROWS)} codes agree" in text
