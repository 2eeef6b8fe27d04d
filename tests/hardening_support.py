"""Helpers for the hardening tests: the real command line in a child process, and
folders that refuse writes whether or not the tests run as root."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

# Runs the command line the way the console script does (``riskscore.cli.main.main``),
# after an optional snippet of Python (a monkeypatch) given in RISKSCORE_TEST_PATCH.
CHILD = """
import os, sys
exec(os.environ.get("RISKSCORE_TEST_PATCH", ""))
from riskscore.cli.main import main
sys.argv = ["riskscore", *sys.argv[1:]]
main()
"""


def child_command(*args: str) -> list[str]:
    return [sys.executable, "-c", CHILD, *map(str, args)]


def run_cli(*args: str, patch: str = "", cwd: Path | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``riskscore ARGS`` in a child process; real stdout, stderr and exit code."""
    env = {**os.environ, "RISKSCORE_TEST_PATCH": patch}
    return subprocess.run(child_command(*args), capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=timeout)


def start_cli(*args: str, patch: str = "", cwd: Path | None = None) -> subprocess.Popen:
    env = {**os.environ, "RISKSCORE_TEST_PATCH": patch}
    return subprocess.Popen(child_command(*args), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=cwd, env=env)


def assert_clean_error(proc, *fragments: str, code: int = 1) -> None:
    """One readable message naming the culprit, the exit code, and no traceback."""
    stderr = proc.stderr
    assert proc.returncode == code, (proc.returncode, stderr)
    assert "Traceback" not in stderr, stderr
    for fragment in fragments:
        assert fragment in stderr, (fragment, stderr)


@contextlib.contextmanager
def read_only(folder: Path):
    """Make ``folder`` refuse new files: chmod for a normal user; as root (who ignores
    modes) the immutable attribute."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(folder)], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        mode = folder.stat().st_mode
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(mode)


def hidden_files(folder: Path) -> list[str]:
    """Temporary or backup files a run may have left: any dot file below ``folder``."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob(".*"))
