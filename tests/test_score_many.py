"""`score` on many entities on a terminal says at once how to get a file (issue 19)."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from riskscore.cli.main import cli

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from synthetic import write_synthetic  # noqa: E402

HINT = "1,200 entities: their table takes a while"


def test_on_a_terminal_the_hint_comes_first(tmp_path):
    model, data = write_synthetic(tmp_path, entities=1200, indicators=4, depth=1)
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "riskscore", "score", "--config",
                                str(model), "--data", str(data), "--format", "csv"],
                               stdin=subprocess.DEVNULL, stdout=follower, stderr=follower,
                               cwd=tmp_path)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:          # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    process.wait(timeout=120)
    os.close(leader)
    text = seen.decode("utf-8", "replace")
    assert process.returncode == 0
    assert text.index(HINT) < text.index("rank,")       # before the table
    assert "-o FILE" in text


def test_in_a_pipe_there_is_no_hint(tmp_path):
    model, data = write_synthetic(tmp_path, entities=1200, indicators=4, depth=1)
    out = CliRunner().invoke(cli, ["score", "--config", str(model), "--data", str(data),
                                   "--format", "csv"])
    assert out.exit_code == 0, out.output
    assert HINT not in out.output and out.output.startswith("rank,")
