"""Start-up speed of the command line, as a ratio against `python -c "import pandas"`.

Target (issue 2): `riskscore score` on the shipped data within 1.5x the wall time
of importing pandas, both measured in this run on this machine. Not a test: run
it by hand or in CI for the record.

    python benchmarks/bench_cli.py [--repeats 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 1.5


def wall_time(command: list[str], repeats: int) -> float:
    """Median wall time of ``command`` over ``repeats`` runs (after one warm-up)."""
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    py = sys.executable
    cases = {
        "baseline: python -c 'import pandas'": [py, "-c", "import pandas"],
        "python -c pass (interpreter only)": [py, "-c", "pass"],
        "riskscore --help": [py, "-m", "riskscore", "--help"],
        "riskscore score": [py, "-m", "riskscore", "score"],
        "riskscore score --format json": [py, "-m", "riskscore", "score", "--format", "json"],
        "riskscore explain Tajikistan": [py, "-m", "riskscore", "explain", "Tajikistan"],
    }
    results = {name: wall_time(cmd, args.repeats) for name, cmd in cases.items()}
    baseline = results["baseline: python -c 'import pandas'"]
    print(f"{'command':<40} {'median s':>9} {'x pandas import':>16}")
    for name, seconds in results.items():
        print(f"{name:<40} {seconds:>9.3f} {seconds / baseline:>16.2f}")
    ratio = results["riskscore score"] / baseline
    verdict = "meets" if ratio <= TARGET else "MISSES"
    print(f"\nriskscore score / import pandas = {ratio:.2f} ({verdict} the {TARGET}x target)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
