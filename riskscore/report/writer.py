"""Write a report and its figures atomically: all of it, or nothing.

Everything is first written to a staging directory beside the output (same
filesystem, so renames are atomic). Then each file already in place is moved
aside into the staging directory and the new one renamed in, the Markdown last;
if any rename fails, the files moved so far are put back. Either way the staging
directory is removed, so a failing run leaves the previous report and figures
as they were and no temporary files behind.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath


def write_report_files(markdown: str, figures: Mapping[str, bytes], output_path: Path) -> list[Path]:
    """Write ``markdown`` to ``output_path`` and each figure at its path relative to it.

    ``figures`` maps POSIX paths relative to the report's directory (e.g.
    ``figures/risk-report-heatmap.svg``) to file contents. Creates the output
    directory if missing. Returns the paths written, the report last.
    Raises ValueError for a figure path outside the report's directory, OSError
    when writing fails (after restoring the previous files).
    """
    output_path = Path(output_path)
    target_dir = output_path.parent
    target_dir.mkdir(parents=True, exist_ok=True)
    files = {_safe_relative(name): data for name, data in figures.items()}
    files[Path(output_path.name)] = markdown.encode("utf-8")
    staging = Path(tempfile.mkdtemp(prefix=f".{output_path.name}.", suffix=".tmp", dir=target_dir))
    try:
        for rel, data in files.items():
            (staging / "new" / rel).parent.mkdir(parents=True, exist_ok=True)
            (staging / "new" / rel).write_bytes(data)
        return _swap_in(staging, target_dir, list(files))
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap_in(staging: Path, target_dir: Path, relatives: list[Path]) -> list[Path]:
    """Move each staged file into place (the last one last); undo everything on failure."""
    done: list[tuple[Path, Path | None]] = []   # (target, its previous version moved aside)
    try:
        for rel in relatives:
            target = target_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            backup = None
            if target.exists():
                backup = staging / "old" / rel
                backup.parent.mkdir(parents=True, exist_ok=True)
                os.replace(target, backup)
            done.append((target, backup))
            os.replace(staging / "new" / rel, target)
    except BaseException:
        for target, backup in reversed(done):
            if backup is not None and backup.exists():
                os.replace(backup, target)
            elif backup is None:
                target.unlink(missing_ok=True)
        raise
    return [target for target, _ in done]


def _safe_relative(name: str) -> Path:
    """A figure path must stay below the report's directory."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"figure path {name!r} must be relative and inside the report directory")
    return Path(*path.parts)
