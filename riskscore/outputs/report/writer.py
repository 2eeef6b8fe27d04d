"""Write a report and its figures atomically: the complete old report or the complete new one.

1. Checks first: the output folder exists, ``figures`` beside it is a folder (it is
   created if missing), and nothing to be replaced is a device, FIFO or folder.
2. A lock on the output folder (``fileio.output_lock``) serialises concurrent runs.
3. Every new file is written to a hidden temporary file beside its target
   (same folder, so each rename is atomic); new files follow the umask, replaced
   ones keep their mode.
4. The swap, with SIGINT and SIGTERM held back until it is over
   (``fileio.signals_deferred``). Every step and its backup name are first written
   to a journal file beside the report (``.NAME.swap``, fsynced), and each step is
   appended to the in-memory journal *before* it is done: the old file is
   hard-linked to a backup name, then the new file is renamed over it (so the
   path never goes missing); a stale figure of an earlier run (e.g. the
   rank-interval figure after ``--samples 0``) is moved to a backup name. The
   Markdown goes last: its rename is the commit. On any exception the journal is
   undone in reverse: every step checks what actually happened on disk, so the
   rollback is correct wherever the swap stopped. On success the journal file
   and then the backups are deleted.
5. Whatever happens, the temporary files are removed; backups are kept (and
   named in the error) only if the rollback itself failed.
6. A run killed outright (SIGKILL, power loss) cannot clean up. The next run
   into the same report does it first, under the lock (``recover_interrupted``):
   with a journal file, a swap that had not reached the Markdown is rolled back
   (the complete old report) and one that had is finished (the complete new
   report); without one, the temporary and backup files of the report's own
   files are leftovers and are deleted. A note on stderr says what was done.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from riskscore.errors import OutputError
from riskscore.support.fileio import (
    check_output,
    leftover_files,
    new_file_mode,
    output_lock,
    output_target,
    signals_as_exceptions,
    signals_deferred,
    stderr_note,
    write_temp,
)


@dataclass
class _Step:
    target: Path            # the file in place
    new: Path | None        # its staged replacement (None: the target is removed)
    backup: Path | None     # where the previous version is kept (None: there was none)


def write_report_files(markdown: str, figures: Mapping[str, bytes], output_path: Path, *,
                       remove: Iterable[str] = (), create_folder: bool = True) -> list[Path]:
    """Write ``markdown`` to ``output_path`` and each figure at its path relative to it.

    ``figures`` maps POSIX paths relative to the report's folder (e.g.
    ``figures/risk-report-heatmap.svg``) to file contents; ``remove`` names files
    of an earlier run to delete if present (stale figures). The report's folder
    is created if missing (``create_folder``). Returns the paths written, the report last.
    Raises ValueError for a figure path outside the report's folder, OutputError
    for anything that cannot be written (after restoring the previous files).
    """
    output_path = Path(output_path)
    target_dir = output_path.parent
    files = {_safe_relative(name): data for name, data in figures.items()}
    stale = [rel for rel in map(_safe_relative, remove) if rel not in files]
    with signals_as_exceptions():
        if create_folder and not target_dir.exists():
            try:
                target_dir.mkdir(parents=True)
            except OSError as exc:
                raise OutputError(target_dir, None, f"cannot be created ({exc.strerror or exc})",
                                  "a writable place for the report's folder") from None
        check_output(output_path)
        with output_lock(target_dir):
            recover_interrupted(output_path, [*files, *stale])
            targets = _prepare(output_path, files, stale)
            staged: dict[Path, Path] = {}
            try:
                for rel, data in files.items():
                    target = targets[rel]
                    staged[target] = write_temp(target.parent, target.name, data,
                                                new_file_mode(target))
                markdown_target = output_target(output_path)
                staged[markdown_target] = write_temp(markdown_target.parent, markdown_target.name,
                                                     markdown.encode("utf-8"),
                                                     new_file_mode(markdown_target))
                plan: list[tuple[Path, Path | None]] = [
                    *staged.items(), *[(targets[rel], None) for rel in stale]]
                plan.append(plan.pop(len(staged) - 1))  # the Markdown last
                _swap(plan, _journal_path(output_path))
            except OSError as exc:
                raise OutputError(exc.filename or target_dir, None,
                                  f"cannot be written ({exc.strerror or exc})",
                                  "a writable folder for the report and its figures") from None
            finally:
                for tmp in staged.values():
                    tmp.unlink(missing_ok=True)
    return [*(targets[rel] for rel in files), output_path]


def _prepare(output_path: Path, files: Mapping[Path, bytes], stale: list[Path]) -> dict[Path, Path]:
    """Check every target (and create the figures folder); return rel -> target path."""
    target_dir = output_path.parent
    targets = {}
    for rel in [*files, *stale]:
        target = target_dir / rel
        for folder in [target_dir / f for f in reversed(rel.parents[:-1])]:
            if folder.exists() and not folder.is_dir():
                raise OutputError(folder, None, "exists and is not a folder",
                                  "a folder for the report's figures (move the file away)")
            if not folder.exists() and rel in files:
                try:
                    folder.mkdir()
                except OSError as exc:
                    raise OutputError(folder, None, f"cannot be created ({exc.strerror or exc})",
                                      "a writable report folder") from None
        if rel in files:
            check_output(target)
        targets[rel] = target
    return targets


def _swap(plan: list[tuple[Path, Path | None]], journal_file: Path) -> None:
    """Put each staged file in place (``None``: remove the target) as one unit."""
    steps = [_Step(target, new, _backup_name(target) if target.exists() else None)
             for target, new in plan if new is not None or target.exists()]
    journal: list[_Step] = []
    with signals_deferred():
        try:
            _write_journal(journal_file, steps)
            for step in steps:
                journal.append(step)   # recorded before it is done
                target, new, backup = step.target, step.new, step.backup
                if backup is not None:
                    if new is None:
                        os.replace(target, backup)
                        continue
                    _keep_copy(target, backup)
                assert new is not None   # a removal without a backup was not planned (_swap)
                os.replace(new, target)
        except BaseException:
            _rollback(journal)   # raises OutputError, keeping the journal file, if it fails
            journal_file.unlink(missing_ok=True)
            raise
        # Committed: the journal file goes first, so that backups without it are leftovers.
        with contextlib.suppress(OSError):
            journal_file.unlink(missing_ok=True)
        for step in journal:
            if step.backup is not None:
                with contextlib.suppress(OSError):
                    step.backup.unlink(missing_ok=True)


def _journal_path(output_path: Path) -> Path:
    return output_path.parent / f".{output_path.name}.swap"


def _write_journal(journal_file: Path, steps: list[_Step]) -> None:
    """Write the plan of a swap, fsynced, before its first rename. A journal cut short
    (killed while writing it) cannot be read back, which means no rename had happened."""
    text = json.dumps({"steps": [{"target": str(s.target),
                                  "new": None if s.new is None else str(s.new),
                                  "backup": None if s.backup is None else str(s.backup)}
                                 for s in steps]})
    fd = os.open(journal_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC
                 | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        view = memoryview(text.encode("utf-8"))
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)


def _read_journal(journal_file: Path) -> list[_Step] | None:
    try:
        steps = json.loads(journal_file.read_text(encoding="utf-8"))["steps"]
        return [_Step(Path(s["target"]), None if s["new"] is None else Path(s["new"]),
                      None if s["backup"] is None else Path(s["backup"])) for s in steps]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _committed(steps: list[_Step]) -> bool:
    """Whether the swap got past its last step, the Markdown's rename."""
    last = steps[-1]
    if last.backup is None:   # no previous Markdown: it is there once the new one is
        return last.target.exists() and (last.new is None or not last.new.exists())
    return (last.backup.exists() and last.target.exists()
            and not _same_file(last.backup, last.target))


def recover_interrupted(output_path: Path, relative: Iterable[Path] = ()) -> str | None:
    """Finish or undo a report swap that a killed run left behind; return what was done.

    Call it holding the folder's lock. ``relative`` names the report's figure files
    (relative to its folder) whose leftovers may be deleted. With a journal file the
    swap is rolled back (the old report) unless the Markdown had been replaced (then
    the new report is complete and only its backups go); then the temporary and
    backup files of the report's own files are deleted. Prints a note if anything
    was found.
    """
    output_path = Path(output_path)
    journal_file = _journal_path(output_path)
    markdown = output_target(output_path)
    done = None
    steps = _read_journal(journal_file) if journal_file.exists() else None
    if steps:
        if _committed(steps):
            for step in steps:
                if step.backup is not None:
                    step.backup.unlink(missing_ok=True)
            done = "it had finished; its backups were removed"
        else:
            _rollback(steps)
            done = "the previous report was restored"
    folders: dict[Path, set[str]] = {}
    for path in [markdown, journal_file, *(output_path.parent / rel for rel in relative)]:
        folders.setdefault(path.parent, set()).add(path.name)
    found = [path for folder, names in folders.items()
             for path in leftover_files(folder, names, ("tmp", "old"))]
    for leftover in found:
        leftover.unlink(missing_ok=True)
    if journal_file.exists():
        journal_file.unlink()
        done = done or "it had not begun to replace files"
    if done is None and not found:
        return None
    message = (f"note: {output_path}: an earlier run was interrupted while writing this "
               f"report; {done or 'it left temporary files'}"
               + (f" ({len(found)} leftover file(s) deleted)" if found else ""))
    stderr_note(message)
    return message


def _keep_copy(target: Path, backup: Path) -> None:
    """Keep the old file under ``backup`` while ``target`` still exists (a hard link),
    or, where links are not supported, move it there."""
    try:
        os.link(target, backup)
    except OSError:
        os.replace(target, backup)


def _rollback(journal: list[_Step]) -> None:
    """Undo the journal's steps in reverse, each from what is actually on disk."""
    kept = []
    with signals_deferred():
        for step in reversed(journal):
            try:
                if step.backup is not None:
                    if _same_file(step.backup, step.target):   # linked, not yet replaced
                        step.backup.unlink()
                    elif step.backup.exists():
                        os.replace(step.backup, step.target)
                elif step.new is not None and not step.new.exists():
                    step.target.unlink(missing_ok=True)   # the new file had been moved in
            except OSError:
                kept.append(step.backup)
    if kept:
        names = ", ".join(str(k) for k in kept if k is not None)
        raise OutputError(journal[0].target.parent, None, "the previous report could not be "
                          f"fully restored; its files are kept as {names}",
                          "a writable report folder")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _backup_name(target: Path) -> Path:
    return target.parent / f".{target.name}.{secrets.token_hex(4)}.old"


def _safe_relative(name: str) -> Path:
    """A figure path must stay below the report's folder."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"figure path {name!r} must be relative and inside the report directory")
    return Path(*path.parts)
