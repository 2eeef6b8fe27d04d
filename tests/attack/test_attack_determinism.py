"""Attack review, part B: same inputs and seed, same bytes, whatever the environment.

The review found the output byte-identical across locales, time zones, hash seeds,
BLAS thread counts and working folders, but the suite only compared two runs in one
process (review, weak test 14), which cannot see an environment dependence. Here two
child processes that differ in all of those run ``score``, ``sensitivity`` and
``report`` on the same absolute paths, and every output file is compared byte for byte.
(Profile file names and load order: tests/sensitivity/test_sens_order.py.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

CHILD = """
import hashlib, json, sys
from pathlib import Path
from click.testing import CliRunner
from riskscore.cli.main import cli
project, settings, out = map(Path, sys.argv[1:4])
inputs = ["--config", str(project / "config" / "model.toml"),
          "--profiles", str(project / "seeds" / "profiles")]
digests = {}
for name, args in [("score.json", ["score", "--format", "json"]),
                   ("score.csv", ["score", "--format", "csv"]),
                   ("explain.json", ["explain", "Kyrgyzstan", "--format", "json"]),
                   ("sensitivity.json", ["sensitivity", "--format", "json",
                                         "--settings", str(settings)])]:
    result = CliRunner().invoke(cli, [*args, *inputs])
    assert result.exit_code == 0, result.output
    digests[name] = hashlib.sha256(result.stdout_bytes).hexdigest()
result = CliRunner().invoke(cli, ["report", *inputs, "--settings", str(settings),
                                  "-o", str(out / "r.md")])
assert result.exit_code == 0, result.output
for path in sorted(out.rglob("*")):
    if path.is_file():
        digests[str(path.relative_to(out))] = hashlib.sha256(path.read_bytes()).hexdigest()
print(json.dumps(digests))
"""


def _run(project: Path, settings: Path, out: Path, cwd: Path, env: dict[str, str]) -> dict:
    proc = subprocess.run([sys.executable, "-c", CHILD, str(project), str(settings), str(out)],
                          capture_output=True, text=True, cwd=cwd, timeout=300,
                          env={**os.environ, **env})
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_outputs_are_byte_identical_across_environments_and_working_folders(project, tmp_path):
    settings = tmp_path / "fast.toml"
    settings.write_text("[run]\nsamples = 200\n[sobol]\nbase_samples = 32\nresamples = 20\n",
                        encoding="utf-8")
    first = _run(project, settings, tmp_path / "one", cwd=project,
                 env={"LC_ALL": "C", "TZ": "UTC", "PYTHONHASHSEED": "0",
                      "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"})
    elsewhere = tmp_path / "a folder with spaces and ü"
    elsewhere.mkdir()
    second = _run(project, settings, tmp_path / "two", cwd=elsewhere,
                  env={"LC_ALL": "C.UTF-8", "TZ": "Pacific/Kiritimati",
                       "PYTHONHASHSEED": "12345", "OMP_NUM_THREADS": "2",
                       "OPENBLAS_NUM_THREADS": "2"})
    assert {"score.json", "sensitivity.json", "r.md"} <= set(first)
    assert any(name.startswith("figures/") for name in first)
    assert second == first
