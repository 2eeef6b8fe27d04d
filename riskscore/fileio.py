"""Reading input files with readable errors, and atomic writes: a failing run never
leaves a half-written file behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from riskscore.errors import RiskscoreError


def read_text(path: Path, error: type[RiskscoreError], kind: str, encoding: str = "utf-8") -> str:
    """The text of ``path``; a missing or unreadable file raises ``error`` naming it."""
    try:
        return Path(path).read_text(encoding=encoding)
    except FileNotFoundError:
        raise error(path, None, "file not found", f"an existing {kind} file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(path, None, f"cannot be read ({exc})", f"a readable UTF-8 {kind} file") from None


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write ``content`` to a temporary file beside ``path``, then rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
