"""Every command on a plain install (no extras), on an index of 120 entities.

Run by ``.ci/run`` with the interpreter of a venv that holds ``pip install .`` and nothing
else::

    .venv-plain/bin/python checks/plain_install.py

It writes a synthetic index (``benchmarks/synthetic.py``: 120 entities x 20 indicators, 5%
of cells missing) as a project laid out as an analyst's table (an ``iso3`` id, a ``name``, a
``region`` group, a ``population`` and a text ``note`` kept, declared in ``[columns]``), plus a
second edition for ``compare``, and a copy of the
shipped example (``riskscore init``) for the commands that need evidence profiles and an
article (``extract``, ``evidence``, ``trend``). Each command runs as a child process; it
fails if it ends in ``internal error`` or a traceback, or exits with an unexpected code. A
command of the CLI with no case here also fails, so a new command cannot skip this check.
Prints a line per case and ``N passed, M failed``; exits 1 on any failure.
"""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENTITIES = 120
BIN = Path(sys.executable).parent
RISKSCORE = str(BIN / "riskscore")

# (name, project, arguments, allowed exit codes). "syn" is the synthetic project, "ex" the
# shipped example made by `init`; "{tmp}" is the scratch folder.
CASES: list[tuple[str, str, list[str], tuple[int, ...]]] = [
    ("score", "syn", ["score"], (0,)),
    ("score json", "syn", ["score", "--format", "json"], (0,)),
    ("score csv", "syn", ["score", "--format", "csv"], (0,)),
    ("score markdown", "syn", ["score", "--format", "markdown"], (0,)),
    ("score xlsx", "syn", ["score", "--format", "xlsx", "-o", "{tmp}/score.xlsx"], (0,)),
    ("explain", "syn", ["explain", "EAH"], (0,)),
    ("evidence", "syn", ["evidence"], (0,)),
    ("evidence (profiles)", "ex", ["evidence"], (0,)),
    ("list countries", "syn", ["list", "countries"], (0,)),
    ("list indicators", "syn", ["list", "indicators"], (0,)),
    ("list weights", "syn", ["list", "weights"], (0,)),
    ("validate", "syn", ["validate"], (0,)),
    ("audit", "syn", ["audit"], (0,)),
    ("audit json", "syn", ["audit", "--format", "json"], (0,)),
    ("sensitivity", "syn", ["sensitivity", "--samples", "64", "--seed", "1"], (0,)),
    ("sensitivity xlsx", "syn", ["sensitivity", "--samples", "64", "--format", "xlsx",
                                 "-o", "{tmp}/sens.xlsx"], (0,)),
    ("report", "syn", ["report", "--samples", "64", "-o", "{tmp}/report/r.md"], (0,)),
    ("explore", "syn", ["explore", "--samples", "64", "-o", "{tmp}/page.html"], (0,)),
    ("compare", "syn", ["compare", "--to-data", "data2.csv"], (0,)),
    ("trend", "ex", ["trend", "--from", "2016", "--to", "2020"], (0,)),
    ("trend (table)", "syn", ["trend", "--from", "2018", "--to", "2020"], (0,)),
    ("extract", "ex", ["extract", "seeds/000_fecfd22379664373.txt"], (0,)),
    ("init", "syn", ["init", "{tmp}/fresh"], (0,)),
    ("init --blank", "syn", ["init", "--blank", "{tmp}/blank"], (0,)),
    ("score (blank project)", "blank", ["score"], (0,)),
    ("report (shipped)", "ex", ["report", "-o", "{tmp}/shipped/r.md"], (0,)),
    ("groups", "syn", ["groups"], (0,)),
    ("groups json", "syn", ["groups", "--by", "region", "--format", "json"], (0,)),
    ("rollup", "syn", ["rollup", "--by", "region", "--weight-column", "population"], (0,)),
    ("rollup scores json", "syn", ["rollup", "--by", "region", "--rule", "scores",
                                   "--format", "json"], (0,)),
    ("weights pca", "syn", ["weights", "pca"], (0,)),
    ("weights critic json", "syn", ["weights", "critic", "--format", "json"], (0,)),
    ("weights bod", "syn", ["weights", "bod"], (0,)),
    ("weights optimised", "syn", ["weights", "optimised"], (0,)),
]


def make_projects(tmp: Path) -> dict[str, Path]:
    synthetic = runpy.run_path(str(ROOT / "benchmarks" / "synthetic.py"))
    syn = tmp / "syn"
    synthetic["main"]([str(syn), "--entities", str(ENTITIES), "--indicators", "20"])
    (syn / "riskscore.toml").write_text(
        'name = "synthetic plain-install check"\nmodel = "model.toml"\ndata = "data.csv"\n'
        '[columns]\nid = "iso3"\nlabel = "name"\ngroups = ["region"]\n'
        'keep = ["population", "note"]\n', encoding="utf-8")
    rows = (syn / "data.csv").read_text(encoding="utf-8").splitlines()
    lines = ["iso3,name,region,population,note," + rows[0].split(",", 1)[1]]
    for k, row in enumerate(rows[1:]):
        code = "E" + "".join(chr(65 + (k // 26**i) % 26) for i in (1, 0))
        lines.append(f"{code},Entity {k:03d},Region {k % 6},{1000 + 37 * k},"
                     f"note {k}," + row.split(",", 1)[1])
    (syn / "data.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # A second edition: every tenth entity's first indicator raised by 7 (capped at 100).
    edited = [lines[0]]
    for k, line in enumerate(lines[1:]):
        cells = line.split(",")
        if k % 10 == 0 and cells[5]:  # the first indicator, after iso3,name,region,population,note
            cells[5] = f"{min(100.0, float(cells[5]) + 7):.3f}"
        edited.append(",".join(cells))
    (syn / "data2.csv").write_text("\n".join(edited) + "\n", encoding="utf-8")
    ex = tmp / "ex"
    subprocess.run([RISKSCORE, "init", str(ex)], check=True, capture_output=True)
    return {"syn": syn, "ex": ex, "blank": tmp / "blank"}


def main() -> int:
    from riskscore.cli.main import cli

    covered = {args[0] for _, _, args, _ in CASES}
    failures = [f"command '{name}' has no case in checks/plain_install.py"
                for name in sorted(set(cli.commands) - covered)]
    passed = 0
    env = {**os.environ, "COLUMNS": "100", "RISKSCORE_DEBUG": ""}
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(scratch)
        projects = make_projects(tmp)
        for name, project, args, codes in CASES:
            argv = [RISKSCORE, *(a.replace("{tmp}", scratch) for a in args)]
            done = subprocess.run(argv, cwd=projects[project], env=env, capture_output=True,
                                  text=True, stdin=subprocess.DEVNULL, check=False)
            said = done.stdout + done.stderr
            problem = None
            if "internal error" in said or "Traceback" in said:
                problem = said.strip().splitlines()[-1]
            elif done.returncode not in codes:
                problem = f"exit {done.returncode}: {done.stderr.strip()[-300:]}"
            if problem:
                failures.append(f"{name}: {problem}")
                print(f"FAIL  {name}: {problem}")
            else:
                passed += 1
                print(f"ok    {name}")
    for failure in failures:
        if failure.startswith("command "):
            print(f"FAIL  {failure}")
    print(f"plain-install: {passed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
