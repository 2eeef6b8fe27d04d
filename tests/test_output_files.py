"""--output: what may be written over, modes, missing folders, signals and concurrent writers.

Reproducers of the attack review (defect 1, L14, S06 and the output tracebacks of
defect 6), through the real command line.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import time

import pytest
from click.testing import CliRunner
from hardening_support import hidden_files, read_only, start_cli

from riskscore.cli.main import cli
from riskscore.errors import OutputError
from riskscore.support.fileio import output_lock, write_atomic


def _score(tiny, *extra):
    model, data = tiny
    return CliRunner().invoke(cli, ["score", "--config", str(model), "--data", str(data),
                                    "--format", "json", *map(str, extra)])


def _is_score_json(path) -> bool:
    return json.loads(path.read_text(encoding="utf-8"))["results"] is not None


def test_a_fifo_is_refused_and_never_replaced(tiny, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = _score(tiny, "-o", fifo)
    assert result.exit_code == 1
    assert f"{fifo}: exists and is a FIFO (named pipe)" in result.output
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_socket_is_refused(tiny, tmp_path):
    path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    try:
        result = _score(tiny, "-o", path)
        assert result.exit_code == 1 and "exists and is a socket" in result.output
        assert stat.S_ISSOCK(os.lstat(path).st_mode)
    finally:
        server.close()


def test_a_directory_is_refused(tiny, tmp_path):
    result = _score(tiny, "-o", tmp_path)
    assert result.exit_code == 2 and "is a directory" in result.output
    with pytest.raises(OutputError, match="exists and is a directory"):
        write_atomic(tmp_path, "x")


def test_a_device_is_refused(tiny, tmp_path):
    if os.geteuid() == 0:   # a twin of /dev/null, as in the review (only root may make one)
        device = tmp_path / "nulldev"
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    else:
        device = "/dev/null"
    result = _score(tiny, "-o", device)
    assert result.exit_code == 1 and "exists and is a character device" in result.output
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_a_symlink_is_written_through_to_its_target(tiny, tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old\n")
    link = tmp_path / "link.json"
    link.symlink_to("real.json")
    result = _score(tiny, "-o", link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == "real.json"
    assert _is_score_json(real)


def test_a_dangling_symlink_creates_its_target(tiny, tmp_path):
    link = tmp_path / "link.json"
    link.symlink_to("made.json")
    assert _score(tiny, "-o", link).exit_code == 0
    assert link.is_symlink() and _is_score_json(tmp_path / "made.json")


@pytest.mark.parametrize(("umask", "expected"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_new_files_follow_the_umask(tiny, tmp_path, umask, expected):
    out = tmp_path / "s.json"
    previous = os.umask(umask)
    try:
        assert _score(tiny, "-o", out).exit_code == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE(out.stat().st_mode) == expected


def test_a_replaced_file_keeps_its_mode(tiny, tmp_path):
    out = tmp_path / "s.json"
    out.write_text("x\n")
    out.chmod(0o664)
    previous = os.umask(0o077)
    try:
        assert _score(tiny, "-o", out).exit_code == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE(out.stat().st_mode) == 0o664 and _is_score_json(out)


def test_a_missing_folder_is_created(tiny, tmp_path):
    result = _score(tiny, "-o", tmp_path / "nowhere" / "deeper" / "s.json")
    assert result.exit_code == 0, result.output
    assert _is_score_json(tmp_path / "nowhere" / "deeper" / "s.json")


def test_tracebacks_of_the_review_are_messages(tiny, tmp_path):
    """Output parent is a file; a read-only folder (score, explain, sensitivity). Each is
    one message and exit 1; an exception other than click's exit would be a traceback."""
    model, data = tiny
    afile = tmp_path / "afile"
    afile.write_text("")
    result = _score(tiny, "-o", afile / "s.json")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit | None)
    assert f"{afile}: is not a folder" in result.output
    ro = tmp_path / "ro"
    ro.mkdir()
    with read_only(ro):
        for command in (["score"], ["explain", "Alpha"],
                        ["sensitivity", "--samples", "20", "--seed", "1"]):
            result = CliRunner().invoke(cli, [*command, "--config", str(model), "--data",
                                              str(data), "-o", str(ro / "out.txt")])
            assert result.exit_code == 1, (command, result.output)
            assert isinstance(result.exception, SystemExit | None), (command, result.exception)
            assert f"{ro / 'out.txt'}: cannot be written" in result.output
        assert list(ro.iterdir()) == []


def test_sigterm_while_writing_leaves_no_temporary_file(tiny, tmp_path):
    """S06: the write is slowed down in the child; SIGTERM arrives during it."""
    model, data = tiny
    marker = tmp_path / "writing"
    out = tmp_path / "s.json"
    patch = (
        "import time, riskscore.support.fileio as f\n"
        "real = f.os.fsync\n"
        f"def slow(fd):\n    open({str(marker)!r}, 'w').close(); time.sleep(30); real(fd)\n"
        "f.os.fsync = slow\n")
    proc = start_cli("score", "--config", model, "--data", data, "-o", out, patch=patch)
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists(), proc.communicate()
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 128 + signal.SIGTERM
    assert "Traceback" not in stderr
    assert not out.exists() and hidden_files(tmp_path) == []


def test_concurrent_writers_to_one_folder_are_serialised(tiny, tmp_path):
    model, data = tiny
    out = tmp_path / "s.json"
    waiting = tmp_path.parent / f"{tmp_path.name}-waiting"   # outside the locked folder
    # The child marks the moment it finds the lock taken (its first wait), so no fixed sleep.
    patch = ("import riskscore.support.fileio as f\n"
             "_sleep = f.time.sleep\n"
             f"def wait(s):\n    open({str(waiting)!r}, 'w').close(); _sleep(s)\n"
             "f.time.sleep = wait\n")
    with output_lock(tmp_path):
        proc = start_cli("score", "--config", model, "--data", data, "--format", "json",
                         "-o", out, patch=patch)
        deadline = time.monotonic() + 120
        while not waiting.exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the child never waited for the lock"
            time.sleep(0.02)
        assert proc.poll() is None and not out.exists()   # it waits, it has not written
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stderr
    assert _is_score_json(out) and hidden_files(tmp_path) == []


def test_a_writer_that_waits_too_long_gives_up_with_a_message(tmp_path):
    with (output_lock(tmp_path), pytest.raises(OutputError, match="another riskscore run"),
          output_lock(tmp_path, timeout=0.2)):
        pass


def test_a_temporary_file_left_by_sigkill_is_removed_by_the_next_run(tiny, tmp_path):
    """SIGKILL cannot be caught: the temporary file stays, and the next run writing the
    same output deletes it (under the folder's lock) and says so."""
    model, data = tiny
    marker = tmp_path / "writing"
    out = tmp_path / "s.json"
    patch = (
        "import time, riskscore.support.fileio as f\n"
        f"def slow(fd):\n    open({str(marker)!r}, 'w').close(); time.sleep(600)\n"
        "f.os.fsync = slow\n")
    proc = start_cli("score", "--config", model, "--data", data, "-o", out, patch=patch)
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.kill()
    proc.communicate(timeout=30)
    assert [name.startswith(".s.json.") for name in hidden_files(tmp_path)] == [True]
    unrelated = tmp_path / ".other.json.0123abcd.tmp"
    unrelated.write_text("not ours")
    result = _score(tiny, "-o", out)
    assert result.exit_code == 0, result.output
    assert "deleted 1 temporary file(s) left by an earlier run" in result.stderr
    assert _is_score_json(out) and hidden_files(tmp_path) == [unrelated.name]
