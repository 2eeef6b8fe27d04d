"""Summarise ``mutmut results --all true`` per module: killed, survived, score.

Usage: python tools/mutation_summary.py RESULTS_FILE [MODULE ...]

The mutation score is killed / (killed + survived + no tests + timeout) over the
mutants checked, i.e. a mutant counts against the suite unless a test fails on it;
"not checked" (an interrupted run) is shown apart and left out of the score. Surviving mutants are
listed by name so that tests/MUTANTS.md can give each a reason.
"""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict

LINE = re.compile(r"^\s*(riskscore\.([\w.]+?)\.x\S+): (.+)$")  # module: engine.aggregate


def main(argv: list[str]) -> int:
    path, modules = argv[0], argv[1:]
    counts: dict[str, Counter] = defaultdict(Counter)
    survivors: list[str] = []
    with open(path, encoding="utf-8") as results:
        lines = results.read().splitlines()
    for line in lines:
        match = LINE.match(line)
        if not match:
            continue
        name, module, status = match.groups()
        if modules and module not in modules:
            continue
        status = status.strip()
        counts[module][status] += 1
        if status not in ("killed", "not checked"):
            survivors.append(f"{name}: {status}")
    total = Counter()
    print(f"{'module':<18}{'mutants':>9}{'checked':>9}{'killed':>8}{'survived':>10}{'other':>7}"
          f"{'score':>9}")
    for module in sorted(counts):
        row = counts[module]
        total.update(row)
        print(_row(module, row))
    print(_row("total", total))
    if survivors:
        print("\nNot killed:")
        print("\n".join(survivors))
    return 0


def _row(name: str, row: Counter) -> str:
    n = sum(row.values())
    checked = n - row["not checked"]
    killed, survived = row["killed"], row["survived"]
    other = checked - killed - survived
    score = 100.0 * killed / checked if checked else float("nan")
    return f"{name:<18}{n:>9}{checked:>9}{killed:>8}{survived:>10}{other:>7}{score:>8.1f}%"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
