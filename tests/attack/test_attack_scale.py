"""Attack review, defect 7: large inputs in linear time.

The cost at n and at 4n is compared (CPU time, least of a few runs), never absolute
seconds: linear code gives a ratio near 4, the quadratic code the review found gave 16
and more. Sentence splitting, the core of ``extract``, has its own tests in
tests/extract/test_extract_sentences.py.
"""

from __future__ import annotations

import time

from click.testing import CliRunner

from riskscore.cli.main import cli
from support import ARTICLE, write

TWO = """
[index]
id = "risk"
[indicators.x]
goalposts = [0, 10]
[indicators.y]
goalposts = [0, 10]
"""


def _cpu_seconds(args, repeats=2) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        result = CliRunner().invoke(cli, args)
        best = min(best, time.process_time() - start)
        assert result.exit_code == 0, result.output
    return best


def _ratio(args_small, args_large) -> float:
    _cpu_seconds(args_small, repeats=1)   # warm up (imports, caches)
    return _cpu_seconds(args_large) / max(_cpu_seconds(args_small), 1e-3)


def _table(path, rows: int):
    lines = ["entity,x,y"] + [f"Entity number {i},{i % 10},{(7 * i) % 10}" for i in range(rows)]
    return write(path, "\n".join(lines) + "\n")


def test_validate_checks_duplicates_in_linear_time(tmp_path):
    """100,000 rows took 69-78 s: the duplicate check searched a list."""
    model = write(tmp_path / "m.toml", TWO)
    small, large = _table(tmp_path / "small.csv", 2_000), _table(tmp_path / "large.csv", 8_000)
    ratio = _ratio(["validate", "--config", str(model), "--data", str(small)],
                   ["validate", "--config", str(model), "--data", str(large)])
    assert ratio < 9, ratio


def test_extract_runs_in_linear_time(tmp_path):
    """A 1 MB document took about 200 s: every full stop rescanned the text from its start."""
    article = ARTICLE.read_text(encoding="utf-8")
    small = write(tmp_path / "small.txt", (article + "\n") * 3)
    large = write(tmp_path / "large.txt", (article + "\n") * 12)
    ratio = _ratio(["extract", str(small), "--format", "json"],
                   ["extract", str(large), "--format", "json"])
    assert ratio < 9, ratio
