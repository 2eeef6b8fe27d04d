"""The text of ``riskscore validate``: the files it checked, one line per file or per
folder of profiles or documents.

The command line parses and calls ``riskscore.analyses.validation``; the layout is here,
with the other renderers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from riskscore.analyses.validation import CheckedFile


#: Beyond this many profiles (or documents) in a folder, validate names the first ones only.
CHECKED_NAMES = 8


def checked_lines(files: Sequence[CheckedFile], verbose: bool = False) -> list[str]:
    """The files validate read: one line per file with ``verbose``; otherwise one per
    single file and one per folder of profiles or documents (a count and their names)."""
    from pathlib import Path

    from riskscore.analyses.validation import FILE_KINDS

    def one(f: CheckedFile) -> str:
        return f"{f.path} ({f.kind})" + (f": {f.detail}" if f.detail else "")

    if verbose:
        return [one(f) for f in files]
    lines: list[str] = []
    for kind in FILE_KINDS:
        group = [f for f in files if f.kind == kind]
        if len(group) == 1 or (group and kind not in ("profile", "document")):
            lines.extend(one(f) for f in group)
        elif group:
            folders = sorted({str(Path(f.path).parent) for f in group})
            where = f"{folders[0]}/" if len(folders) == 1 else ", ".join(f"{d}/" for d in folders)
            names = [(f.detail if kind == "profile" and f.detail else Path(f.path).name)
                     + (f" ({f.detail})" if kind == "document" and f.detail else "")
                     for f in group]
            shown = ", ".join(names[:CHECKED_NAMES])
            if len(names) > CHECKED_NAMES:
                shown += f" and {len(names) - CHECKED_NAMES} more (-v names each file)"
            lines.append(f"{len(group)} {kind}s in {where}: {shown}")
    return lines
