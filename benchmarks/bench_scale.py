"""Issue 19 at the users' largest scale: 80,000 entities x 40 indicators (census tracts).

Not a test: run it by hand for the record (it takes many minutes).

1. ``riskscore score --format json -o FILE`` against ``floor.py`` (the same job written
   directly in numpy and pandas), interleaved (floor, score, floor, score ...): wall time
   and peak memory of each process (its own maximum resident set, from ``os.wait4``),
   medians and the ratio pair by pair. Targets: <= 2x the floor in both.
2. Every other command once, wall time and peak memory. Targets: <= 60 s and <= 2 GiB.

    python benchmarks/bench_scale.py [--entities 80000] [--repeats 3] [--only score]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import write_synthetic  # noqa: E402

HERE = Path(__file__).resolve().parent
GIB = 1024 ** 3


def measure(command: list[str], cwd: Path, timeout: float) -> tuple[float, int, int]:
    """Wall seconds, peak resident bytes and exit status of one run (killed at ``timeout``)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            process.kill()
            pid, status, usage = os.wait4(process.pid, 0)
            return float("inf"), usage.ru_maxrss * 1024, -9
        time.sleep(0.05)
    process.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - start, usage.ru_maxrss * 1024, process.returncode


def threads() -> str:
    import numpy  # noqa: F401  (loads BLAS)
    from threadpoolctl import threadpool_info

    blas = [f"{i['internal_api']} {i['num_threads']} threads" for i in threadpool_info()]
    return f"{os.cpu_count()} CPUs; {', '.join(blas) or 'no BLAS loaded'}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=80_000)
    parser.add_argument("--indicators", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=600.0, help="per run, seconds")
    parser.add_argument("--only", choices=["score", "others"], default=None)
    args = parser.parse_args(argv)
    py = sys.executable
    tmp = Path(tempfile.mkdtemp())
    try:
        model, data = write_synthetic(tmp, args.entities, args.indicators, 3)
        print(f"{args.entities:,} entities x {args.indicators} indicators "
              f"({data.stat().st_size / 1e6:.0f} MB CSV); {threads()}; "
              f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
        synth = ["--config", str(model), "--data", str(data)]
        rs = [py, "-m", "riskscore"]
        if args.only in (None, "score"):
            floor = [py, str(HERE / "floor.py"), str(model), str(data)]
            score = [*rs, "score", *synth, "--format", "json", "-o", str(tmp / "out.json")]
            measure([py, "-c", "import riskscore, pandas"], tmp, args.timeout)   # warm caches
            runs: dict[str, list[tuple[float, int, int]]] = {"floor": [], "score": []}
            for _ in range(args.repeats):                  # interleaved
                runs["floor"].append(measure(floor, tmp, args.timeout))
                runs["score"].append(measure(score, tmp, args.timeout))
            print(f"\nscore --format json vs the numpy/pandas floor, {args.repeats} interleaved "
                  "runs; median [min-max]")
            for name, values in runs.items():
                wall = [v[0] for v in values]
                rss = [v[1] / 2 ** 20 for v in values]
                print(f"  {name:<6} wall {statistics.median(wall):7.1f} s "
                      f"[{min(wall):.1f}-{max(wall):.1f}]   peak memory "
                      f"{statistics.median(rss):6.0f} MiB [{min(rss):.0f}-{max(rss):.0f}]")
            wall_ratio = [s[0] / f[0] for s, f in zip(runs["score"], runs["floor"], strict=True)]
            rss_ratio = [s[1] / f[1] for s, f in zip(runs["score"], runs["floor"], strict=True)]
            for what, ratio in (("wall time", wall_ratio), ("peak memory", rss_ratio)):
                verdict = "meets" if statistics.median(ratio) <= 2 else "MISSES"
                print(f"  score / floor, {what:<11} {statistics.median(ratio):5.2f} "
                      f"[{min(ratio):.2f}-{max(ratio):.2f}]   goal <= 2: {verdict}")
        if args.only in (None, "others"):
            first = "E00007"
            others = {
                "explain": [*rs, "explain", first, *synth, "--format", "json"],
                "evidence (one entity)": [*rs, "evidence", first, *synth],
                "evidence (all, csv)": [*rs, "evidence", *synth, "--format", "csv", "-o",
                                        str(tmp / "evidence.csv")],
                "validate": [*rs, "validate", *synth],
                "audit": [*rs, "audit", *synth, "--format", "json"],
                "report --samples 0": [*rs, "report", *synth, "--samples", "0", "-o",
                                       str(tmp / "report.md")],
                "score --format xlsx": [*rs, "score", *synth, "--format", "xlsx", "-o",
                                        str(tmp / "scores.xlsx")],
                "explore --samples 0": [*rs, "explore", *synth, "--samples", "0", "-o",
                                        str(tmp / "explore.html")],
                "sensitivity --samples 200": [*rs, "sensitivity", *synth, "--samples", "200",
                                              "--format", "json"],
                "compare --to-weight": [*rs, "compare", *synth, "--to-weight", "n0_0_0=0.3"],
                "list weights": [*rs, "list", "weights", *synth],
            }
            print(f"\nevery other command once (goal <= 60 s and <= 2 GiB; killed at "
                  f"{args.timeout:.0f} s)")
            for name, command in others.items():
                wall, rss, status = measure(command, tmp, args.timeout)
                ok = wall <= 60 and rss <= 2 * GIB and status == 0
                shown = f"{wall:7.1f} s" if wall != float("inf") else "  killed"
                print(f"  {name:<26} {shown}   peak {rss / 2 ** 20:6.0f} MiB   exit {status}   "
                      + ("meets" if ok else "MISSES"), flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
