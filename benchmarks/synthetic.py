"""The synthetic indices the benchmarks use (any size, any depth), written to real files.

``write_synthetic(folder, entities, indicators, depth)`` writes ``model.toml`` and
``data.csv``: an index whose inner nodes split as evenly as possible down to
``depth`` levels above the indicators (depth 3 with 40 indicators: 5 pillars x 2
sub-pillars x 4 indicators), unequal weights, uniform values on goalposts [0, 100],
5% of cells missing.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

import numpy as np


def write_synthetic(folder: Path, entities: int = 200, indicators: int = 40, depth: int = 3,
                    seed: int = 0) -> tuple[Path, Path]:
    rng = np.random.default_rng(seed)
    lines = ["[index]", 'id = "index"', "scale = 100", "min_coverage = 0.3", ""]
    fan = [5, 2] + [2] * max(0, depth - 3)
    parents = ["index"]
    for level in range(depth - 1):
        children = []
        for p, parent in enumerate(parents):
            for c in range(fan[level] if level < len(fan) else 2):
                node = f"n{level}_{p}_{c}"
                lines += [f"[nodes.{node}]"] + ([f'parent = "{parent}"'] if parent != "index"
                                                 else []) + [f"weight = {1 + (p + c) % 3}", ""]
                children.append(node)
        parents = children
    ids = []
    for k in range(indicators):
        iid = f"x{k:03d}"
        ids.append(iid)
        parent = parents[k % len(parents)]
        lines += [f"[indicators.{iid}]"] + ([f'parent = "{parent}"'] if parent != "index" else []) \
            + ["goalposts = [0, 100]", f"weight = {1 + k % 2}", ""]
    model = folder / "model.toml"
    model.write_text("\n".join(lines), encoding="utf-8")
    values = rng.uniform(0, 100, (entities, indicators))
    missing = rng.random(values.shape) < 0.05
    rows = ["entity," + ",".join(ids)]
    for e in range(entities):
        cells = ("" if missing[e, i] else f"{values[e, i]:.3f}" for i in range(indicators))
        rows.append(f"E{e:05d}," + ",".join(cells))
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


def build_assessment(entities: int, indicators: int, depth: int):
    """The scored synthetic index with evidence ranges on 2% of its cells."""
    import riskscore

    with tempfile.TemporaryDirectory() as tmp:
        model, data = write_synthetic(Path(tmp), entities, indicators, depth)
        return with_ranges(riskscore.assess(model, data=data))


def main(argv: list[str] | None = None) -> int:
    """``python benchmarks/synthetic.py DIR``: write a synthetic index into DIR to try."""
    import argparse

    parser = argparse.ArgumentParser(
        description="Write a synthetic index (model.toml and data.csv) into DIR: an even "
                    "hierarchy, unequal weights, uniform values on goalposts [0, 100], 5% "
                    "of cells missing.",
        epilog="example: python benchmarks/synthetic.py /tmp/synth && riskscore score "
               "--config /tmp/synth/model.toml --data /tmp/synth/data.csv")
    parser.add_argument("directory", type=Path, metavar="DIR", help="folder to write into (made if missing)")
    parser.add_argument("--entities", type=int, default=200, help="rows (default 200)")
    parser.add_argument("--indicators", type=int, default=40, help="columns (default 40)")
    parser.add_argument("--depth", type=int, default=3,
                        help="levels of nodes above the indicators (default 3)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    if args.entities < 1 or args.indicators < 1 or args.depth < 1:
        parser.error("--entities, --indicators and --depth must be at least 1")
    args.directory.mkdir(parents=True, exist_ok=True)
    model, data = write_synthetic(args.directory, args.entities, args.indicators, args.depth,
                                  args.seed)
    print(f"wrote {model} and {data}\n"
          f"next: riskscore score --config {model} --data {data}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
