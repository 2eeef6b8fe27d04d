"""tools/check_releases.py on a committed slice of the HDR 2021/22 time series (2019).

The script re-runs the HDI and GDI models on other years of the HDR time series; here it
reads a three-country slice of the 2019 columns (tests/fixtures/releases) through its
``--source`` option. The expected values are the published ones (HDR 2021/22 time series,
2019: HDI Kyrgyzstan 0.698, Norway 0.961, Tajikistan 0.676; GDI 0.966, 0.99, 0.908), not
riskscore's output. A slice with one input changed must be reported as not reproduced.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SLICE = ROOT / "tests" / "fixtures" / "releases" / "HDR21-22_time_series_2019_slice.csv"

PUBLISHED_HDI_2019 = {"KGZ": 0.698, "NOR": 0.961, "TJK": 0.676}
PUBLISHED_GDI_2019 = {"KGZ": 0.966, "NOR": 0.99, "TJK": 0.908}


def run(slice_path: Path) -> tuple[int, dict]:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "check_releases.py"), "--check", "hdi/2019",
         "--check", "gdi/2019", "--source", f"hdr-2021-22={slice_path}", "--format", "json",
         "--mirror", str(slice_path.parent / "no-mirror-here")],
        capture_output=True, text=True, check=False, cwd=ROOT)
    return done.returncode, {c["name"]: c for c in json.loads(done.stdout)["checks"]}


def test_hdi_and_gdi_2019_from_a_slice_of_the_time_series(tmp_path):
    code, checks = run(SLICE)
    assert code == 0
    assert list(checks) == ["gdi/2019", "hdi/2019"]
    hdi = checks["hdi/2019"]
    assert {c["unit"]: c["published"] for c in hdi["comparisons"]} == PUBLISHED_HDI_2019
    assert all(c["ok"] and abs(c["ours"] - c["published"]) <= 0.0005 for c in hdi["comparisons"])
    assert hdi["summary"]["reproduced"] == hdi["summary"]["compared"] == 3
    gdi = checks["gdi/2019"]
    assert {c["unit"]: c["published"] for c in gdi["comparisons"]
            if c["measure"] == "gdi"} == PUBLISHED_GDI_2019
    assert gdi["summary"]["reproduced"] == gdi["summary"]["compared"] == 9   # GDI, HDI_f, HDI_m

    # Tajikistan's life expectancy 70.8674 -> 60.0: its HDI can no longer be reproduced,
    # and the script says so (exit 1, the unit named, no known reason)
    lines = SLICE.read_text(encoding="utf-8").splitlines()
    tampered = tmp_path / SLICE.name
    tampered.write_text("\n".join(line.replace(",70.8674,", ",60.0,") for line in lines) + "\n",
                        encoding="utf-8")
    code, checks = run(tampered)
    assert code == 1
    failed = [c for c in checks["hdi/2019"]["comparisons"] if not c["ok"]]
    assert [(c["unit"], c["published"], c["reason"]) for c in failed] == [("TJK", 0.676, None)]
    assert checks["hdi/2019"]["summary"]["unexplained"] == 1
    assert checks["gdi/2019"]["summary"]["reproduced"] == 9     # the GDI uses le_f / le_m
