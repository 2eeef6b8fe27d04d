"""Wall time of the command line, as ratios against `python -c "import pandas"` in the same run.

Targets (issues 2, 13 and 19), each against `import pandas` timed in this run on this
machine, repetitions interleaved (pandas, score, explain, ..., pandas, score, ...),
median and min-max spread printed:

* `riskscore score` on the shipped data: within 1.5x;
* every command on a synthetic 200 x 40 index (three levels, 5% missing), tipping
  points included: within 2x, except `audit` 3x, `report --samples 0` 4x,
  `sensitivity` with the shipped settings (4,000 draws, Sobol with 1,024 base
  samples, tipping points) 5x and `report` with them 8x (these two not in --quick).

The numbers of issue 19's 80,000-entity targets: ``bench_scale.py``.

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
            "evidence 200x40": ([py, "-m", "riskscore", "evidence", *synth], 2.0),
            "validate 200x40": ([py, "-m", "riskscore", "validate", *synth], 2.0),
            "list weights 200x40": ([py, "-m", "riskscore", "list", "weights", *synth], 2.0),
            "compare --to-weight 200x40": ([py, "-m", "riskscore", "compare", *synth,
                                            "--to-weight", "n0_0_0=0.3"], 2.0),
            "score --format xlsx 200x40": ([py, "-m", "riskscore", "score", *synth, "--format",
                                            "xlsx", "-o", str(tmp / "s.xlsx")], 2.0),
            "explore --samples 0 200x40": ([py, "-m", "riskscore", "explore", *synth,
                                            "--samples", "0", "-o", str(tmp / "e.html")], 2.0),
            "audit 200x40": ([py, "-m", "riskscore", "audit", *synth], 3.0),
            "report --samples 0 200x40": ([py, "-m", "riskscore", "report", *synth,
                                           "--samples", "0", "-o", str(tmp / "r.md")], 4.0),
        }
        if not args.quick:
            cases["sensitivity 200x40 (shipped settings)"] = (
                [py, "-m", "riskscore", "sensitivity", *synth, "--settings",
                 str(tmp / "sensitivity.toml"), "--format", "json"], 5.0)
            cases["report 200x40 (shipped settings)"] = (
                [py, "-m", "riskscore", "report", *synth, "--settings",
                 str(tmp / "sensitivity.toml"), "-o", str(tmp / "r2.md")], 8.0)
        for command, _ in cases.values():           # warm-up (file caches, .pyc)
            run(command, ROOT)
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.repeats):              # interleaved
            for name, (command, _) in cases.items():
                times[name].append(run(command, ROOT))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    base = times["import pandas (baseline)"]
    import os

    import numpy  # noqa: F401
    from threadpoolctl import threadpool_info

    blas = ", ".join(f"{i['internal_api']} {i['num_threads']} threads" for i in threadpool_info())
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} CPUs; "
          f"{blas or 'no BLAS'}")
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
