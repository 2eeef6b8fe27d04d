"""The terminal: piped output is laid out for the terminal the user is at, and --help
summaries are never cut.

Width: standard output's terminal, else standard error's or standard input's (the
case of ``riskscore score | head``), else ``COLUMNS``, else 100. The tests give the
real program a pseudo-terminal of a known size (``pty`` + ``TIOCSWINSZ``) on one
stream and pipes on the others.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios

import pytest
from click.testing import CliRunner

from riskscore.cli.main import cli
from support import EXAMPLE

SCORE = [sys.executable, "-m", "riskscore", "score"]


def widths(*, stderr_cols: int | None = None, stdin_cols: int | None = None,
           columns: str | None = None) -> list[int]:
    """The line widths of ``riskscore score`` (the example) with stdout piped."""
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    if columns is not None:
        env["COLUMNS"] = columns
    opened = []

    def terminal(cols: int) -> int:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, cols, 0, 0))
        opened.extend([master, slave])
        return slave

    try:
        proc = subprocess.run(
            SCORE, cwd=EXAMPLE, env=env, stdout=subprocess.PIPE, timeout=300,
            stderr=terminal(stderr_cols) if stderr_cols else subprocess.PIPE,
            stdin=terminal(stdin_cols) if stdin_cols else subprocess.DEVNULL)
    finally:
        for fd in opened:
            os.close(fd)
    assert proc.returncode == 0
    text = proc.stdout.decode("utf-8")
    assert "\x1b[" not in text            # a pipe gets no colour codes
    return [len(line) for line in text.splitlines()]


@pytest.mark.parametrize("cols", [64, 80])
def test_piped_output_fits_the_terminal_on_stderr(cols):
    found = widths(stderr_cols=cols, columns="140")   # the terminal beats COLUMNS
    assert max(found) <= cols
    assert max(found) > cols - 12                      # laid out for it, not narrower


def test_piped_output_fits_the_terminal_on_stdin():
    found = widths(stdin_cols=72)
    assert 60 < max(found) <= 72


def test_without_a_terminal_columns_then_100():
    with_columns = widths(columns="90")
    assert 80 < max(with_columns) <= 90
    default = widths()
    assert 90 < max(default) <= 100


def _summary(command) -> str:
    """The first sentence of a command's help, as a person reads it (independent of click's
    own shortening): up to the first '.' that ends a word, or the whole first paragraph."""
    first = (command.help or "").strip().split("\n\n")[0]
    words = " ".join(first.split())
    match = re.search(r"^(.*?\.)(\s|$)", words)
    return match.group(1) if match else words


@pytest.mark.parametrize("width", ["60", "80", "100"])
def test_help_summaries_are_never_cut(width, monkeypatch):
    monkeypatch.setenv("COLUMNS", width)
    text = CliRunner().invoke(cli, ["--help"]).output
    commands = text.split("Commands:\n", 1)[1]
    assert "..." not in commands and "…" not in commands
    flowing = " ".join(commands.split())
    ctx = cli.make_context("riskscore", [], resilient_parsing=True)
    names = cli.list_commands(ctx)
    assert len(names) >= 14
    for name in names:
        summary = _summary(cli.get_command(ctx, name))
        assert f"{name} {summary}" in flowing, name
    for line in commands.splitlines():
        assert len(line) <= max(int(width), 80), line


def test_no_command_help_is_cut():
    ctx = cli.make_context("riskscore", [], resilient_parsing=True)
    for name in cli.list_commands(ctx):
        text = CliRunner().invoke(cli, [name, "--help"]).output
        body = [line for line in text.splitlines() if not line.startswith("Usage:")]
        assert not any(line.rstrip().endswith(("...", "…")) for line in body), name
