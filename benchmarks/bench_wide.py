"""Issue 18 (F8, attack case C14/Z04): a wide model, 10,000 indicators x 3 entities.

Not a test: run it by hand for the record. Writes the model (the indicators under one
node, the widest sibling set, or under ``--nodes`` dimensions) and a 3-row table to a
temporary folder, then times ``riskscore score`` and ``riskscore audit`` in child processes
(wall time; target: each within 10 s).

    python benchmarks/bench_wide.py [--indicators 10000] [--nodes 1] [--only score]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = 10.0


def write_wide(folder: Path, indicators: int, nodes: int) -> tuple[Path, Path]:
    rng = random.Random(18)
    lines = ["[index]", 'id = "risk"']
    if nodes > 1:
        for d in range(nodes):
            lines += [f"[nodes.d{d}]", "weight = 1"]
    for i in range(indicators):
        lines += [f"[indicators.i{i}]", "goalposts = [0, 100]"]
        if nodes > 1:
            lines.append(f'parent = "d{i % nodes}"')
    model = folder / "wide.toml"
    model.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = folder / "wide.csv"
    with table.open("w", encoding="utf-8") as out:
        out.write("entity," + ",".join(f"i{i}" for i in range(indicators)) + "\n")
        for entity in ("Alpha", "Beta", "Gamma"):
            out.write(entity + "," + ",".join(str(rng.randint(0, 100))
                                              for _ in range(indicators)) + "\n")
    return model, table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--indicators", type=int, default=10_000)
    parser.add_argument("--nodes", type=int, default=1)
    parser.add_argument("--only", choices=["score", "audit"], default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        model, table = write_wide(Path(tmp), args.indicators, args.nodes)
        for command in ("score", "audit"):
            if args.only and command != args.only:
                continue
            start = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "riskscore", command, "--config",
                                   str(model), "--data", str(table), "--format", "json"],
                                  capture_output=True, text=True)
            took = time.perf_counter() - start
            verdict = "ok" if proc.returncode in (0, 1) and took <= TARGET else "SLOW/FAILED"
            print(f"{command:6} {args.indicators} indicators x 3 entities under {args.nodes} "
                  f"node(s): {took:6.1f} s (exit {proc.returncode}) {verdict}")
            if proc.returncode not in (0, 1):
                print(proc.stderr[-2000:])


if __name__ == "__main__":
    main()
