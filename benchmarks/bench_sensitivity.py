"""Benchmark of ``riskscore sensitivity``'s Monte Carlo engine (not a timed test).

Synthetic model: 200 entities x 40 indicators, three levels (index -> 5 pillars
-> 10 sub-pillars -> 40 indicators), 5% of cells missing, 2% of cells given an
evidence range; everything varies (Dirichlet weights at all 16 inner nodes,
aggregation per node, normalisation, missing policy, evidence).

Reports, in one run:

* engine throughput (draw + score + rank + streamed statistics) for 10,000 draws;
* the ratio to a per-sample loop calling the public ``riskscore.pipeline.score``
  once per draw (a few hundred draws timed, then extrapolated; the loop varies
  weights, aggregation, normalisation and missing policy, not evidence ranges);
* the ratio to a floor: a bare numpy weighted sum ``(S, I) @ (I, E)`` plus an
  argsort of the ``(S, E)`` scores, same chunks;
* peak traced memory (tracemalloc) and process max RSS for 1,000,000 draws.

    python benchmarks/bench_sensitivity.py            # full (about 1-2 minutes on 2 cores)
    python benchmarks/bench_sensitivity.py --quick    # CI smoke (a few seconds)
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

ENTITIES, PILLARS, SUBS, PER_SUB = 200, 5, 2, 4


def write_synthetic(folder: Path, seed: int = 0) -> tuple[Path, Path]:
    """Model TOML and wide CSV of the synthetic index; returns their paths."""
    rng = np.random.default_rng(seed)
    lines = ['[index]', 'id = "index"', 'scale = 100', 'min_coverage = 0.3', '']
    ids = []
    for p in range(PILLARS):
        lines += [f"[nodes.p{p}]", f"weight = {1 + p % 3}", ""]
        for s in range(SUBS):
            lines += [f"[nodes.p{p}s{s}]", f'parent = "p{p}"', f"weight = {1 + s}", ""]
    for p in range(PILLARS):
        for s in range(SUBS):
            for k in range(PER_SUB):
                iid = f"x{p}{s}{k}"
                ids.append(iid)
                lines += [f"[indicators.{iid}]", f'parent = "p{p}s{s}"', "goalposts = [0, 100]",
                          f"weight = {1 + k % 2}", ""]
    model = folder / "model.toml"
    model.write_text("\n".join(lines), encoding="utf-8")
    values = rng.uniform(0, 100, (ENTITIES, len(ids)))
    missing = rng.random(values.shape) < 0.05
    rows = ["entity," + ",".join(ids)]
    for e in range(ENTITIES):
        cells = ("" if missing[e, i] else f"{values[e, i]:.3f}" for i in range(len(ids)))
        rows.append(f"E{e:03d}," + ",".join(cells))
    data = folder / "data.csv"
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return model, data


def with_ranges(assessment, share: float = 0.02, seed: int = 1):
    """Give ``share`` of the observed cells an evidence range of +-10 around the value."""
    rng = np.random.default_rng(seed)
    obs = dict(assessment.observations)
    for (entity, indicator), o in assessment.observations.items():
        if o.value is not None and rng.random() < share:
            obs[(entity, indicator)] = dataclasses.replace(
                o, lower=max(0.0, o.value - 10), upper=min(100.0, o.value + 10))
    return dataclasses.replace(assessment, observations=obs)


def per_sample_loop(assessment, plan, inputs, draws: int, seed: int) -> float:
    """Seconds per draw when each draw builds a model and calls riskscore.pipeline.score."""
    from riskscore.pipeline import score
    from riskscore.sensitivity.settings import MISSING_CHOICES, NORMALISATION_CHOICES

    model, hierarchy = assessment.model, assessment.hierarchy
    batch = plan.draw(np.random.default_rng(seed), draws)
    start = time.perf_counter()
    for s in range(draws):
        weights = {}
        nodes = dict(model.nodes)
        for n, node_id in enumerate(hierarchy.node_ids):
            shares = np.broadcast_to(batch.weights[n], (draws, len(hierarchy.children[n])))[s]
            weights.update(zip(model.children[node_id], map(float, shares), strict=True))
            aggregation = "geometric" if batch.geometric[s, n] else "arithmetic"
            nodes[node_id] = dataclasses.replace(nodes[node_id], aggregation=aggregation)
        varied = dataclasses.replace(
            model.with_weights(weights, {}), nodes=nodes,
            normalisation=NORMALISATION_CHOICES[batch.normalisation[s]],
            missing=MISSING_CHOICES[batch.missing[s]])
        score(varied, inputs)
    return (time.perf_counter() - start) / draws


def floor_seconds(assessment, samples: int, chunk: int, seed: int) -> float:
    """A bare numpy weighted sum and argsort of the same shape, in the same chunks."""
    values = np.nan_to_num(assessment.slots[:, : len(assessment.hierarchy.indicator_ids)])
    rng = np.random.default_rng(seed)
    start = time.perf_counter()
    for done in range(0, samples, chunk):
        w = rng.random((min(chunk, samples - done), values.shape[1]))
        scores = w @ values.T
        np.argsort(-scores, axis=1)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="CI smoke: small counts")
    args = parser.parse_args(argv)
    speed_n, loop_n, memory_n = (1_000, 20, 20_000) if args.quick else (10_000, 300, 1_000_000)

    import riskscore
    from riskscore.model import load_model
    from riskscore.pipeline import load_inputs
    from riskscore.sensitivity.montecarlo import Engine, run_monte_carlo
    from riskscore.sensitivity.sampling import SamplingPlan
    from riskscore.sensitivity.settings import SensitivitySettings

    with tempfile.TemporaryDirectory() as tmp:
        model_path, data_path = write_synthetic(Path(tmp))
        assessment = with_ranges(riskscore.assess(model_path, data=data_path))
        inputs = load_inputs(load_model(model_path), data=data_path)
    settings = SensitivitySettings()
    plan = SamplingPlan.build(assessment, settings)
    engine = Engine(assessment, plan)
    chunk = settings.chunk
    run_monte_carlo(engine, assessment.ranks, samples=chunk, seed=0, chunk=chunk)  # warm-up

    start = time.perf_counter()
    run_monte_carlo(engine, assessment.ranks, samples=speed_n, seed=1, chunk=chunk)
    engine_s = time.perf_counter() - start
    loop_per_draw = per_sample_loop(assessment, plan, inputs, loop_n, seed=2)
    floor_s = floor_seconds(assessment, speed_n, chunk, seed=3)

    tracemalloc.start()
    start = time.perf_counter()
    run_monte_carlo(engine, assessment.ranks, samples=memory_n, seed=4, chunk=chunk)
    memory_s = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    from tabulate import tabulate

    n_ind = len(assessment.hierarchy.indicator_ids)
    rows = [
        ["model", f"{len(assessment.entities)} entities x {n_ind} indicators, "
                  f"{len(assessment.hierarchy.node_ids)} nodes, {len(plan.cells)} evidence ranges, "
                  f"{plan.dimensions} uncertain inputs in {len(plan.group_names)} groups"],
        [f"engine, {speed_n:,} draws", f"{engine_s:.2f} s = {speed_n / engine_s:,.0f} draws/s"],
        [f"per-sample pipeline.score loop ({loop_n} draws timed, extrapolated to {speed_n:,})",
         f"{loop_per_draw * 1e3:.1f} ms/draw -> {loop_per_draw * speed_n:.0f} s; "
         f"engine is {loop_per_draw * speed_n / engine_s:,.0f}x faster (goal >= 50x)"],
        [f"floor: numpy (S,I)@(I,E) + argsort, {speed_n:,} draws",
         f"{floor_s:.3f} s; engine / floor = {engine_s / floor_s:.1f}x (goal <= 5x)"],
        [f"{memory_n:,} draws, chunk {chunk}",
         f"{memory_s:.1f} s; peak traced memory {peak / 2**20:.1f} MiB (goal < 1024 MiB); "
         f"process max RSS {rss:.0f} MiB"],
    ]
    print(tabulate(rows, headers=["measure", "result"], tablefmt="simple"))
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}")


if __name__ == "__main__":
    main()
