"""Wall time of the command line, as ratios against `python -c "import pandas"` in the same run.

Targets (issues 2 and 13), each against `import pandas` timed in this run on this
machine, repetitions interleaved (pandas, score, explain, ..., pandas, score, ...),
median and min-max spread printed:

* `riskscore score` on the shipped data: within 1.5x;
* `riskscore score` and `explain` on a synthetic 200 x 40 index (three levels, 5%
  missing), tipping points included: within 2x;
* `riskscore sensitivity` on 200 x 40 with the shipped settings (4,000 draws,
  Sobol with 1,024 base samples, tipping points): within 10x (not in --quick).

Not a test: run it by hand or in CI for the record.

    python benchmarks/bench_cli.py [--repeats 7] [--quick]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import write_synthetic  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def run(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="CI: no 200 x 40 sensitivity")
    args = parser.parse_args()
    py = sys.executable
    tmp = Path(tempfile.mkdtemp())
    try:
        write_synthetic(tmp, 200, 40, 3)
        shutil.copy(ROOT / "config" / "sensitivity.toml", tmp / "sensitivity.toml")
        synth = ["--config", str(tmp / "model.toml"), "--data", str(tmp / "data.csv")]
        shipped = ["--config", str(ROOT / "config" / "model.toml"),
                   "--profiles", str(ROOT / "seeds" / "profiles")]
        cases = {
            "import pandas (baseline)": ([py, "-c", "import pandas"], None),
            "python -c pass": ([py, "-c", "pass"], None),
            "riskscore --help": ([py, "-m", "riskscore", "--help"], None),
            "score (shipped)": ([py, "-m", "riskscore", "score", *shipped], 1.5),
            "score 200x40": ([py, "-m", "riskscore", "score", *synth], 2.0),
            "score 200x40 --format json": ([py, "-m", "riskscore", "score", *synth, "--format",
                                            "json"], 2.0),
            "explain E00007 200x40": ([py, "-m", "riskscore", "explain", "E00007", *synth], 2.0),
        }
        if not args.quick:
            cases["sensitivity 200x40 (shipped settings)"] = (
                [py, "-m", "riskscore", "sensitivity", *synth, "--settings",
                 str(tmp / "sensitivity.toml"), "--format", "json"], 10.0)
        for command, _ in cases.values():           # warm-up (file caches, .pyc)
            run(command, ROOT)
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.repeats):              # interleaved
            for name, (command, _) in cases.items():
                times[name].append(run(command, ROOT))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    base = times["import pandas (baseline)"]
    print(f"{args.repeats} interleaved repetitions; median [min-max]; ratio = the command's time "
          "over import pandas in the same repetition")
    print(f"{'command':<40} {'median s':>9} {'spread s':>15} {'x pandas':>9} {'spread':>13} goal")
    for name, values in times.items():
        ratios = [v / b for v, b in zip(values, base, strict=True)]
        goal = cases[name][1]
        verdict = "" if goal is None else (
            f"<= {goal:g}x " + ("meets" if statistics.median(ratios) <= goal else "MISSES"))
        print(f"{name:<40} {statistics.median(values):>9.3f} "
              f"{min(values):>7.3f}-{max(values):<7.3f} {statistics.median(ratios):>9.2f} "
              f"{min(ratios):>6.2f}-{max(ratios):<6.2f} {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
