"""Golden outputs: `score`, `explain` and `sensitivity --format json` against captured files.

The expected files under ``tests/fixtures/golden/expected`` were captured from the program
itself (before the performance work of issue 13), so they guard *refactorings*: they prove
faster or reorganised code gives the same results, not that those results are right (the
other tests check correctness against hand-computed and published values).

Two promises, tested separately:

* **Across library versions, numbers to a stated tolerance.** Golden files are compared as
  parsed JSON: every key, every string, every boolean and null exactly; every number to
  ``REL_TOL`` relative (``ABS_TOL`` absolute near zero). numpy, scipy and pandas releases
  change the last bits of sums and BLAS kernels (e.g. ``-0.01665576525891363`` against
  ``-0.016655765258913602`` under numpy 2.4 / scipy 1.17 / pandas 3.1), which is no change
  of result; a changed rank, label or structure still fails.
* **Within one environment, the same bytes.** Each case is run twice, in two child
  processes with different hash seeds, and the outputs must be byte-identical.

The inputs are frozen copies under ``tests/fixtures/golden`` (the shipped model, registry,
article and profiles as of the capture, and a small synthetic model with a geometric pillar,
a log transform and missing cells), so revising the live ``config/`` or ``seeds/`` does not
disturb this test.

If an output change is intended (a new JSON field, a deliberate change of the scoring),
regenerate with ``python tests/test_golden.py`` and say why in the commit.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from riskscore.cli.main import cli

GOLDEN = Path(__file__).resolve().parent / "fixtures" / "golden"
SYNTH = ["--config", "config/model.toml", "--data", "data.csv"]
SHIPPED = ["--config", "config/model.toml", "--profiles", "seeds/profiles"]
CASES = {
    "shipped-score.json": ("shipped", ["score", *SHIPPED, "--format", "json"]),
    "shipped-explain.json": ("shipped", ["explain", "Tajikistan", *SHIPPED, "--format", "json"]),
    "shipped-sensitivity.json": ("shipped", ["sensitivity", *SHIPPED, "--format", "json",
                                             "--settings", "config/sensitivity.toml"]),
    "synthetic-score.json": ("synthetic", ["score", *SYNTH, "--format", "json"]),
    "synthetic-explain.json": ("synthetic", ["explain", "E05", *SYNTH, "--format", "json"]),
    "synthetic-sensitivity.json": ("synthetic", ["sensitivity", *SYNTH, "--format", "json",
                                                 "--settings", "config/sensitivity.toml"]),
}


def run_case(folder: Path, args: list[str]) -> bytes:
    """Run the CLI in ``folder`` (relative paths, so the JSON's paths are stable)."""
    old = Path.cwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


# A number may differ from the captured one by this much (relative; absolute near zero).
REL_TOL = 1e-9
ABS_TOL = 1e-12


def assert_same_result(got, expected, where: str = "$") -> None:
    """``got`` equals ``expected`` structurally and textually, numbers within tolerance."""
    if isinstance(expected, bool) or expected is None or isinstance(expected, str):
        assert got == expected, f"{where}: {got!r} != {expected!r}"
    elif isinstance(expected, int | float):
        assert isinstance(got, int | float) and not isinstance(got, bool), f"{where}: {got!r}"
        assert math.isclose(got, expected, rel_tol=REL_TOL, abs_tol=ABS_TOL), \
            f"{where}: {got!r} differs from {expected!r} by more than {REL_TOL:g} relative"
    elif isinstance(expected, list):
        assert isinstance(got, list) and len(got) == len(expected), f"{where}: length"
        for k, (a, b) in enumerate(zip(got, expected, strict=True)):
            assert_same_result(a, b, f"{where}[{k}]")
    else:
        assert isinstance(got, dict), f"{where}: {got!r}"
        assert list(got) == list(expected), f"{where}: keys {list(got)} != {list(expected)}"
        for key in expected:
            assert_same_result(got[key], expected[key], f"{where}.{key}")


@pytest.mark.parametrize("name", sorted(CASES))
def test_output_matches_the_captured_one_to_tolerance(name, tmp_path):
    source, args = CASES[name]
    folder = tmp_path / source
    shutil.copytree(GOLDEN / source, folder)
    expected = json.loads((GOLDEN / "expected" / name).read_bytes())
    assert_same_result(json.loads(run_case(folder, args)), expected)


def test_the_tolerance_check_can_fail():
    assert_same_result({"a": [1.0, "x"]}, {"a": [1.0 + 1e-12, "x"]})
    for got in ({"a": [1.001, "x"]}, {"a": [1.0, "y"]}, {"b": [1.0, "x"]}, {"a": [1.0]},
                {"a": [True, "x"]}):
        with pytest.raises(AssertionError):
            assert_same_result(got, {"a": [1.0, "x"]})


def _run_child(folder: Path, args: list[str], hash_seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run([sys.executable, "-m", "riskscore", *args], cwd=folder, env=env,
                          capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


@pytest.mark.parametrize("name", ["shipped-score.json", "synthetic-explain.json",
                                  "synthetic-sensitivity.json"])
def test_two_runs_in_one_environment_give_the_same_bytes(name, tmp_path):
    source, args = CASES[name]
    folder = tmp_path / source
    shutil.copytree(GOLDEN / source, folder)
    first = _run_child(folder, args, "1")
    second = _run_child(folder, args, "2024")
    assert first and first == second


def regenerate() -> None:
    import tempfile

    out = GOLDEN / "expected"
    out.mkdir(exist_ok=True)
    for name, (source, args) in CASES.items():
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / source
            shutil.copytree(GOLDEN / source, folder)
            (out / name).write_bytes(run_case(folder, args))
            print("wrote", out / name)


if __name__ == "__main__":
    sys.exit(regenerate())
