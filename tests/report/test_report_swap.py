"""The report swap under interruption, concurrency and hostile folders (attack review
defects 2, 6 and 9): the complete old report or the complete new one, never a mix,
no temporary file left, one readable message instead of a traceback."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hardening_support import hidden_files, read_only, start_cli
from report_support import make_mini, mini_args

from riskscore.cli.report import report
from riskscore.outputs.report.writer import recover_interrupted, write_report_files


def _snapshot(directory: Path) -> dict[str, str]:
    return {str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def _run(args) -> None:
    result = CliRunner().invoke(report, [str(a) for a in args])
    assert result.exit_code == 0, result.output


OLD = {"figures/r-contributions.svg": b"<svg>old bars</svg>",
       "figures/r-heatmap.svg": b"<svg>old heat</svg>",
       "figures/r-rank-intervals.svg": b"<svg>old ranks</svg>"}
NEW = {"figures/r-contributions.svg": b"<svg>new bars</svg>",
       "figures/r-heatmap.svg": b"<svg>new heat</svg>"}


def _old_report(out: Path) -> dict[str, str]:
    write_report_files("# old\n", OLD, out / "r.md")
    return _snapshot(out)


def _count_swap_calls(tmp_path) -> int:
    """How many renames and links a swap of OLD by NEW makes (counted, not assumed)."""
    out = tmp_path / "count"
    _old_report(out)
    calls = []
    real_replace, real_link = os.replace, os.link
    os.replace = lambda *a: (calls.append(a), real_replace(*a))[1]
    os.link = lambda *a: (calls.append(a), real_link(*a))[1]
    try:
        write_report_files("# new\n", NEW, out / "r.md",
                           remove=["figures/r-rank-intervals.svg"])
    finally:
        os.replace, os.link = real_replace, real_link
    return len(calls)


def test_the_swap_replaces_everything_and_removes_stale_figures(tmp_path):
    out = tmp_path / "out"
    _old_report(out)
    write_report_files("# new\n", NEW, out / "r.md", remove=["figures/r-rank-intervals.svg"])
    assert (out / "r.md").read_text() == "# new\n"
    assert sorted(p.name for p in (out / "figures").iterdir()) == ["r-contributions.svg",
                                                                   "r-heatmap.svg"]
    assert hidden_files(out) == []


# 2 figures linked aside and replaced, 1 stale figure moved aside, the Markdown linked
# aside and replaced: 7 calls. Counted too, so that a change of the swap shows up here.
@pytest.mark.parametrize("stop_after", range(1, 8))
def test_keyboard_interrupt_right_after_any_rename_keeps_the_old_report(tmp_path, monkeypatch,
                                                                        stop_after):
    assert _count_swap_calls(tmp_path) == 7
    out = tmp_path / "out"
    before = _old_report(out)
    calls = []
    real_replace, real_link = os.replace, os.link

    def interrupted(real):
        def call(*args):
            real(*args)
            calls.append(args)
            if len(calls) == stop_after:
                raise KeyboardInterrupt   # what SIGINT does if it lands right after this call
        return call

    monkeypatch.setattr(os, "replace", interrupted(real_replace))
    monkeypatch.setattr(os, "link", interrupted(real_link))
    with pytest.raises(KeyboardInterrupt):
        write_report_files("# new\n", NEW, out / "r.md", remove=["figures/r-rank-intervals.svg"])
    monkeypatch.undo()
    assert _snapshot(out) == before
    assert hidden_files(out) == []


def test_the_reviewers_reproducer_loses_nothing(tmp_path, monkeypatch, reports):
    """Defect 2 as the review wrote it: a KeyboardInterrupt after the heat map is moved."""
    out = tmp_path / "out"
    _old_copy(reports, out)
    before = _snapshot(out)
    real = os.replace
    interrupted = []

    def replace(src, dst):
        real(src, dst)
        if str(dst).endswith("r-heatmap.svg") and not interrupted:
            interrupted.append(dst)   # one signal, right after the new heat map moved in
            raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        write_report_files("# new\n", {"figures/r-heatmap.svg": b"<svg/>"}, out / "r.md")
    monkeypatch.undo()
    assert _snapshot(out) == before and hidden_files(out) == []


def test_a_run_without_samples_removes_the_earlier_rank_interval_figure(tmp_path):
    mini = make_mini(tmp_path)
    out = tmp_path / "out"
    _run([*mini_args(mini), "--samples", "20", "-o", out / "r.md"])
    assert (out / "figures" / "r-rank-intervals.svg").is_file()
    _run([*mini_args(mini), "--samples", "0", "-o", out / "r.md"])
    assert sorted(p.name for p in (out / "figures").iterdir()) == ["r-contributions.svg",
                                                                   "r-heatmap.svg"]
    other = out / "figures" / "other-heatmap.svg"   # another report's figure stays
    other.write_text("<svg/>")
    _run([*mini_args(mini), "--samples", "0", "-o", out / "r.md"])
    assert other.is_file()


# A child whose every rename takes 0.25 s; it marks the first one, so that the test can
# send its signal in the middle of the swap.
SLOW_RENAMES = """
import os, time
_real = os.replace
def _slow(src, dst):
    open({marker!r}, "a").close()
    time.sleep(0.25)
    _real(src, dst)
os.replace = _slow
"""


def _wait_for(path: Path, proc, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the child never reached the swap"
        time.sleep(0.02)


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The mini project and two complete reports of it, made once for the module: the
    'old' one and a 'new' one with other weights (so that every file differs)."""
    base = tmp_path_factory.mktemp("reports")
    mini = make_mini(base)
    args = [*mini_args(mini), "--samples", "0"]
    _run([*args, "-o", base / "old" / "r.md"])
    _run([*args, "--weight", "debt=0.7", "-o", base / "new" / "r.md"])
    old, new = _snapshot(base / "old"), _snapshot(base / "new")
    assert old.keys() == new.keys() and all(old[k] != new[k] for k in old)
    return {"args": args, "old": old, "new": new, "old_dir": base / "old"}


def _old_copy(reports, out: Path) -> None:
    shutil.copytree(reports["old_dir"], out)
    assert _snapshot(out) == reports["old"]


def _assert_message(result, fragment: str) -> None:
    """One readable message, exit 1, and no exception but click's own exit: no traceback."""
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    assert fragment in result.output, result.output


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_real_signal_mid_swap_leaves_a_complete_report(tmp_path, reports, signum):
    out = tmp_path / "out"
    _old_copy(reports, out)
    marker = tmp_path / "swapping"
    proc = start_cli("report", *reports["args"], "--weight", "debt=0.7", "-o", out / "r.md",
                     patch=SLOW_RENAMES.format(marker=str(marker)))
    _wait_for(marker, proc)
    time.sleep(0.1)   # inside the first slowed rename
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=120)
    assert "Traceback" not in stderr, stderr
    assert _snapshot(out) in (reports["old"], reports["new"])
    assert hidden_files(out) == []


def test_two_concurrent_report_runs_end_with_one_complete_report(tmp_path, reports):
    out = tmp_path / "out"
    out.mkdir()
    procs = [start_cli("report", *reports["args"], *weights, "-o", out / "r.md",
                       patch=SLOW_RENAMES.format(marker=str(tmp_path / f"m{k}")))
             for k, weights in enumerate([[], ["--weight", "debt=0.7"]])]
    for proc in procs:
        _, stderr = proc.communicate(timeout=180)
        assert proc.returncode == 0 and "Traceback" not in stderr, stderr
    assert _snapshot(out) in (reports["old"], reports["new"])
    assert hidden_files(out) == []


def test_a_file_named_figures_is_a_message(tmp_path, reports):
    (tmp_path / "rep").mkdir()
    (tmp_path / "rep" / "figures").write_text("not a folder")
    result = CliRunner().invoke(report, [*map(str, reports["args"]),
                                         "-o", str(tmp_path / "rep" / "r.md")])
    _assert_message(result, f"{tmp_path / 'rep' / 'figures'}: exists and is not a folder")
    assert sorted(p.name for p in (tmp_path / "rep").iterdir()) == ["figures"]


def test_read_only_figures_or_report_folder_is_a_message(tmp_path, reports):
    out = tmp_path / "out"
    _old_copy(reports, out)
    for folder in (out / "figures", out):
        with read_only(folder):
            result = CliRunner().invoke(report, [*map(str, reports["args"]), "--seed", "3",
                                                 "--title", "changed", "-o", str(out / "r.md")])
        _assert_message(result, "cannot be written")
        assert _snapshot(out) == reports["old"] and hidden_files(out) == []


# ---- a run killed outright (SIGKILL) mid-swap: the next run recovers --------------------

# A child that swaps NEW in for OLD and stops for good (until killed) right before one
# chosen rename or unlink, after writing a marker: the test's SIGKILL lands exactly there.
# It calls the writer directly, so that it starts in a fraction of a second.
HELD_SWAP = """
import os, re, sys, time
from pathlib import Path
_calls = {{"replace": os.replace, "unlink": os.unlink}}
def _held(kind):
    real = _calls[kind]
    def call(path, *rest):
        name = os.path.basename(os.fspath(rest[0] if kind == "replace" else path))
        if kind == {kind!r} and re.fullmatch({name!r}, name):
            open({marker!r}, "w").close()
            time.sleep(600)
        return real(path, *rest)
    return call
os.replace = _held("replace")
os.unlink = _held("unlink")
from riskscore.outputs.report.writer import write_report_files
write_report_files("# new\\n", {new!r}, Path({out!r}) / "r.md",
                   remove=["figures/r-rank-intervals.svg"])
"""


def _kill_mid_swap(tmp_path, out, kind, name) -> None:
    marker = tmp_path / "held"
    script = HELD_SWAP.format(kind=kind, name=name, marker=str(marker), new=NEW, out=str(out))
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(marker, proc, seconds=60)
    finally:
        proc.kill()
        proc.communicate(timeout=30)


def _new_report(tmp_path) -> dict[str, str]:
    out = tmp_path / "reference"
    _old_report(out)
    write_report_files("# new\n", NEW, out / "r.md", remove=["figures/r-rank-intervals.svg"])
    return _snapshot(out)


@pytest.mark.parametrize(("kind", "name", "killed", "recovered"), [
    ("replace", r"r-.*\.svg", "old", "old"),      # the first figure about to be replaced
    ("replace", r"r\.md", "mixed", "old"),        # figures replaced, stale one moved, not r.md
    ("unlink", r"\.r\.md\.swap", "new", "new"),   # r.md replaced, the journal still there
    ("unlink", r".*\.old", "new", "new"),         # the journal gone, the backups not yet
])
def test_sigkill_mid_swap_is_recovered_by_the_next_run(tmp_path, kind, name, killed, recovered):
    out = tmp_path / "out"
    reports = {"old": _old_report(out), "new": _new_report(tmp_path)}
    _kill_mid_swap(tmp_path, out, kind, name)
    assert hidden_files(out) != []   # the killed run left its journal, backups or temps
    visible = {name: digest for name, digest in _snapshot(out).items()
               if not any(part.startswith(".") for part in Path(name).parts)}
    assert visible == reports[killed] if killed != "mixed" else visible not in reports.values()
    note = recover_interrupted(out / "r.md", [Path(rel) for rel in OLD])
    assert note is not None and "interrupted" in note
    assert _snapshot(out) == reports[recovered]
    assert hidden_files(out) == []


def test_the_next_report_run_says_it_recovered_and_leaves_nothing_behind(tmp_path):
    mini = make_mini(tmp_path)
    out = tmp_path / "out"
    _old_report(out)
    _kill_mid_swap(tmp_path, out, "replace", r"r\.md")
    result = CliRunner().invoke(report, [*mini_args(mini), "--samples", "0", "--title", "Again",
                                         "-o", str(out / "r.md")])
    assert result.exit_code == 0, result.output
    assert "an earlier run was interrupted while writing this report" in result.stderr
    assert "the previous report was restored" in result.stderr
    assert (out / "r.md").read_text(encoding="utf-8").startswith("# Again")
    assert sorted(p.name for p in (out / "figures").iterdir()) == ["r-contributions.svg",
                                                                   "r-heatmap.svg"]
    assert hidden_files(out) == []


def test_leftovers_of_other_files_in_the_folder_are_not_touched(tmp_path):
    out = tmp_path / "out"
    _old_report(out)
    foreign = [out / ".notes.txt.0123abcd.tmp", out / "figures" / ".x-heatmap.svg.0123abcd.old"]
    for path in foreign:
        path.write_text("someone else's")
    mine = out / "figures" / ".r-heatmap.svg.89abcdef.tmp"
    mine.write_text("half a figure")
    write_report_files("# new\n", NEW, out / "r.md")
    assert all(path.exists() for path in foreign) and not mine.exists()
