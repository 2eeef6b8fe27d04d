"""Benchmark of ``riskscore sensitivity``'s Monte Carlo engine (not a timed test).

Synthetic index (``synthetic.py``): by default 200 entities x 40 indicators, three
levels, 5% of cells missing, 2% of cells given an evidence range; everything varies
(Dirichlet weights at every inner node, aggregation, normalisation, missing policy,
evidence).

In one run, with interleaved repetitions (engine, floor, loop, engine, floor, loop
...) and the median and min-max spread of each:

* the engine: draw + score + rank + streamed statistics, per draw;
* a complete numpy floor doing the same job in its simplest form: Dirichlet shares
  per node, the effective indicator weights as their product down the tree, one
  ``(S, I) @ (I, E)`` product, competition ranks from the sort order, and rank
  counts (one bincount) -- under the machine's default BLAS threads; the ratio is
  printed in wall time (the goal) and in process CPU time (all threads);
* a fair loop baseline: the model compiled once, then one ``aggregate`` call and
  one ranking per draw (the engine's own reference path, ``scores_reference``);
* memory, measured separately in fresh processes (peak RSS, no tracemalloc):
  20,000 entities x 40 indicators x 4,000 draws, and 1,000,000 draws of 200 x 40;
* a scaling table: milliseconds per draw as entities (4 -> 20,000), indicators
  (10 -> 200) and depth (1 -> 5) grow, one at a time from 200 x 40 x 3.

    python benchmarks/bench_sensitivity.py            # full (several minutes on 2 busy cores)
    python benchmarks/bench_sensitivity.py --quick    # CI smoke (under a minute)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import build_assessment  # noqa: E402


def blas_threads() -> str:
    from threadpoolctl import threadpool_info

    info = [f"{i['internal_api']} {i['num_threads']} threads" for i in threadpool_info()
            if i["user_api"] == "blas"]
    return ", ".join(info) or "no BLAS loaded"


def engine_seconds(assessment, draws: int, seed: int, cpu: list | None = None) -> float:
    """Wall seconds of the Monte Carlo (model built outside the timing); appends its
    process CPU seconds (all threads) to ``cpu`` if given."""
    from riskscore.analyses.sensitivity.montecarlo import Engine, run_monte_carlo
    from riskscore.analyses.sensitivity.sampling import SamplingPlan
    from riskscore.analyses.sensitivity.settings import SensitivitySettings

    plan = SamplingPlan.build(assessment, SensitivitySettings())
    engine = Engine(assessment, plan)        # built once, outside the timing
    start, start_cpu = time.perf_counter(), time.process_time()
    run_monte_carlo(engine, assessment.ranks, samples=draws, seed=seed)
    if cpu is not None:
        cpu.append(time.process_time() - start_cpu)
    return time.perf_counter() - start


def floor_seconds(assessment, draws: int, seed: int, chunk: int = 512,
                  cpu: list | None = None) -> float:
    """The complete job in plain numpy (see the module docstring)."""
    h = assessment.hierarchy
    n_ind = len(h.indicator_ids)
    values = np.nan_to_num(assessment.slots[:, :n_ind])
    e = values.shape[0]
    rng = np.random.default_rng(seed)
    counts = np.zeros(e * (e + 1), dtype=np.int64)
    start, start_cpu = time.perf_counter(), time.process_time()
    for done in range(0, draws, chunk):
        s = min(chunk, draws - done)
        slot_weight = np.ones((s, h.n_slots))
        for n in range(len(h.node_ids) - 1, -1, -1):          # root first
            g = rng.standard_gamma(50.0 * h.weights[n], size=(s, len(h.children[n])))
            shares = g / g.sum(axis=1, keepdims=True)
            slot_weight[:, h.children[n]] = slot_weight[:, [n_ind + n]] * shares
        scores = slot_weight[:, :n_ind] @ values.T
        order = np.argsort(-scores, axis=1)
        ordered = np.take_along_axis(scores, order, axis=1)
        new = np.ones(ordered.shape, dtype=bool)
        new[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
        first = np.maximum.accumulate(np.where(new, np.arange(e), 0), axis=1) + 1
        ranks = np.empty_like(first)
        np.put_along_axis(ranks, order, first, axis=1)
        counts += np.bincount((np.arange(e) * (e + 1) + ranks).ravel(), minlength=counts.size)
    if cpu is not None:
        cpu.append(time.process_time() - start_cpu)
    return time.perf_counter() - start


def loop_seconds(assessment, draws: int, seed: int) -> float:
    """Model compiled once; per draw one aggregate() call (with re-normalised evidence
    columns) and one ranking."""
    from riskscore.analyses.sensitivity.montecarlo import Engine
    from riskscore.analyses.sensitivity.sampling import SamplingPlan
    from riskscore.analyses.sensitivity.settings import SensitivitySettings
    from riskscore.engine.ranking import competition_ranks

    plan = SamplingPlan.build(assessment, SensitivitySettings())
    engine = Engine(assessment, plan)
    batch = plan.draw(np.random.default_rng(seed), draws)
    singles = [_one(batch, s) for s in range(draws)]
    start = time.perf_counter()
    for a in singles:
        competition_ranks(engine.scores_reference(a))
    return time.perf_counter() - start


def _one(batch, s):
    from riskscore.analyses.sensitivity.sampling import Assumptions

    pick = slice(s, s + 1)
    weights = tuple(w if np.ndim(w) == 1 else w[pick] for w in batch.weights)
    return Assumptions(weights, batch.geometric[pick], batch.normalisation[pick],
                       batch.missing[pick], batch.evidence[pick])


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):.4g} [{min(values):.4g}-{max(values):.4g}]"


def memory_case(entities: int, indicators: int, draws: int) -> None:
    """Run in a fresh process: build, run the Monte Carlo, print peak RSS (MiB) as JSON."""
    assessment = build_assessment(entities, indicators, 3)
    start = time.perf_counter()
    engine_seconds(assessment, draws, seed=4)
    seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"entities": entities, "indicators": indicators, "draws": draws,
                      "peak_rss_mib": round(rss, 1), "seconds": round(seconds, 2)}))


def measure_memory(entities: int, indicators: int, draws: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--memory-case", str(entities),
                          str(indicators), str(draws)], check=True, capture_output=True,
                         text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="CI smoke: small counts")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--memory-case", nargs=3, type=int, metavar=("E", "I", "DRAWS"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_case:
        memory_case(*args.memory_case)
        return
    quick = args.quick
    repeats = args.repeats or (3 if quick else 7)
    draws, loop_draws = (1_000, 20) if quick else (4_000, 200)

    import riskscore  # noqa: F401  (numpy and BLAS loaded before the thread count is read)

    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, {os.cpu_count()} CPUs, "
          f"BLAS: {blas_threads()} by default (the engine uses one in its hot loops)")
    assessment = build_assessment(200, 40, 3)
    engine_seconds(assessment, 256, seed=0)          # warm-up
    times: dict[str, list[float]] = {"engine": [], "floor": [], "loop": []}
    cpu: dict[str, list[float]] = {"engine": [], "floor": []}
    for rep in range(repeats):                        # interleaved
        for name, run in (("engine", engine_seconds), ("floor", floor_seconds)):
            times[name].append(run(assessment, draws, seed=rep + 1, cpu=cpu[name]) / draws)
        times["loop"].append(loop_seconds(assessment, loop_draws, seed=rep + 1) / loop_draws)
    ratio_floor = [e / f for e, f in zip(times["engine"], times["floor"], strict=True)]
    ratio_cpu = [e / f for e, f in zip(cpu["engine"], cpu["floor"], strict=True)]
    ratio_loop = [lp / e for e, lp in zip(times["engine"], times["loop"], strict=True)]
    print(f"\n200 entities x 40 indicators, 3 levels; {draws:,} draws per repetition, "
          f"{repeats} interleaved repetitions; median [min-max]")
    print(f"  engine          ms/draw  {summary([t * 1e3 for t in times['engine']])}")
    print(f"  complete floor  ms/draw  {summary([t * 1e3 for t in times['floor']])}")
    print(f"  fair loop       ms/draw  {summary([t * 1e3 for t in times['loop']])} "
          f"({loop_draws} draws)")
    print(f"  engine / floor           {summary(ratio_floor)}   (goal <= 4)")
    print(f"  engine / floor, CPU time {summary(ratio_cpu)}   (process CPU, all threads)")
    print(f"  loop / engine            {summary(ratio_loop)}")

    print("\nmemory (fresh process each, peak RSS, no tracemalloc; timing not comparable)")
    cases = [(2_000, 40, 1_000), (200, 40, 20_000)] if quick else \
        [(20_000, 40, 4_000), (200, 40, 1_000_000)]
    for entities, indicators, n in cases:
        m = measure_memory(entities, indicators, n)
        print(f"  {entities:,} x {indicators} x {n:,} draws: peak RSS {m['peak_rss_mib']:,.0f} MiB "
              f"({m['seconds']:.1f} s)")

    print("\nscaling: ms per draw (median of 3), one axis at a time from 200 x 40 x depth 3")
    axes = [("entities", [4, 200, 2_000] if quick else [4, 200, 2_000, 20_000]),
            ("indicators", [10, 40, 200]), ("depth", [1, 3, 5])]
    for axis, values in axes:
        cells = []
        for v in values:
            e, i, d = (v, 40, 3) if axis == "entities" else (200, v, 3) if axis == "indicators" \
                else (200, 40, v)
            a = build_assessment(e, i, d)
            n = max(20, min(draws, 400_000 // e))
            engine_seconds(a, min(n, 64), seed=0)
            t = statistics.median(engine_seconds(a, n, seed=k) / n for k in range(3))
            cells.append(f"{v:,}: {t * 1e3:.3g}")
        print(f"  {axis:<10}  " + "   ".join(cells))


if __name__ == "__main__":
    main()
