"""Write a report and its figures atomically: the complete old report or the complete new one.

1. Checks first: the output folder exists, ``figures`` beside it is a folder (it is
   created if missing), and nothing to be replaced is a device, FIFO or folder.
2. A lock on the output folder (``fileio.output_lock``) serialises concurrent runs.
3. Every new file is written to a hidden temporary file beside its target
   (same folder, so each rename is atomic); new files follow the umask, replaced
   ones keep their mode.
4. The swap, with SIGINT and SIGTERM held back until it is over
   (``fileio.signals_deferred``). Each step is appended to a journal *before* it
   is done: the old file is hard-linked to a backup name, then the new file is
   renamed over it (so the path never goes missing); a stale figure of an
   earlier run (e.g. the rank-interval figure after ``--samples 0``) is moved to a
   backup name. The Markdown goes last. On any exception the journal is undone
   in reverse: every step checks what actually happened on disk, so the rollback
   is correct wherever the swap stopped. On success the backups are deleted.
5. Whatever happens, the temporary files are removed; backups are kept (and
   named in the error) only if the rollback itself failed.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from riskscore.errors import OutputError
from riskscore.support.fileio import (
    check_output,
    new_file_mode,
    output_lock,
    output_target,
    signals_as_exceptions,
    signals_deferred,
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
                plan = [*staged.items()] + [(targets[rel], None) for rel in stale]
                plan.append(plan.pop(len(staged) - 1))  # the Markdown last
                _swap(plan)
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


def _swap(plan: list[tuple[Path, Path | None]]) -> None:
    """Put each staged file in place (``None``: remove the target) as one unit."""
    journal: list[_Step] = []
    with signals_deferred():
        try:
            for target, new in plan:
                if new is None and not target.exists():
                    continue
                backup = _backup_name(target) if target.exists() else None
                journal.append(_Step(target, new, backup))   # recorded before it is done
                if backup is not None:
                    if new is None:
                        os.replace(target, backup)
                        continue
                    _keep_copy(target, backup)
                os.replace(new, target)
        except BaseException:
            _rollback(journal)
            raise
        for step in journal:
            if step.backup is not None:
                with contextlib.suppress(OSError):
                    step.backup.unlink(missing_ok=True)


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
