"""Reading input files and writing outputs safely: the one place that touches the disk.

Reading (``read_bytes``, ``read_text``): only a regular file (after following
symlinks) no larger than a stated limit is read; a device such as /dev/zero, a
FIFO or a directory is refused before any byte is read, with a message naming it.

Writing (``write_atomic``, ``output_lock``, ``check_output``): the guarantees of
every ``--output`` (see README, "Writing files"):

- a path that exists and is not a regular file (device, FIFO, socket, directory)
  is refused; a symlink is written through to its target, atomically;
- a new file follows the umask, a replaced file keeps its mode;
- a missing output folder is created (with its missing parents), and removed again
  if the write then fails -- the one rule of every command's ``--output``;
- the content goes to a temporary file beside the target that is renamed over
  it, so a reader sees the old file or the new one, never a mix; the temporary
  file is removed on every exit, SIGINT and SIGTERM included
  (``signals_as_exceptions``);
- writers to one folder are serialised by an advisory lock on the folder
  (``output_lock``), so concurrent runs never crash or interleave;
- a run killed outright (SIGKILL) cannot clean up: the next run writing the same
  file deletes the temporary files left for it (``remove_leftovers``), with a note.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import secrets
import signal
import stat
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from riskscore.errors import OutputError, RiskscoreError

# Limits on what is read (stated in the README under "Limits").
MAX_TOML_BYTES = 10 * 2**20      # model, settings, profiles, registry, gazetteer, hints
MAX_TABLE_BYTES = 256 * 2**20    # a --data CSV
MAX_TEXT_BYTES = 64 * 2**20      # an article or a document given to extract
LOCK_TIMEOUT = 120.0             # seconds a writer waits for another run on the same folder


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_input_file(path: Path, error: type[RiskscoreError], kind: str,
                     limit: int = MAX_TOML_BYTES) -> None:
    """Raise ``error`` unless ``path`` is a regular file of at most ``limit`` bytes (for
    readers that open the file themselves, such as openpyxl)."""
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise error(path, None, "file not found", f"an existing {kind} file") from None
    except OSError as exc:
        raise error(path, None, f"cannot be read ({exc.strerror or exc})",
                    f"a readable {kind} file") from None
    if not stat.S_ISREG(info.st_mode):
        raise error(path, None, f"is {_kind_of(info.st_mode)}", f"a regular {kind} file")
    if info.st_size > limit:
        raise error(path, None, f"is {info.st_size:,} bytes",
                    f"a {kind} file of at most {limit:,} bytes")


def read_bytes(path: Path, error: type[RiskscoreError], kind: str,
               limit: int = MAX_TOML_BYTES) -> bytes:
    """The bytes of ``path``, a regular file of at most ``limit`` bytes.

    Raises ``error`` naming the path when it is missing, unreadable, not a
    regular file (checked on the open descriptor, before reading) or too large.
    """
    path = Path(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; no effect on regular files.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise error(path, None, "file not found", f"an existing {kind} file") from None
    except IsADirectoryError:
        raise error(path, None, "is a directory", f"a {kind} file") from None
    except OSError as exc:
        raise error(path, None, f"cannot be read ({exc.strerror or exc})",
                    f"a readable {kind} file") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise error(path, None, f"is {_kind_of(info.st_mode)}", f"a regular {kind} file")
        if info.st_size > limit:
            raise error(path, None, f"is {info.st_size:,} bytes",
                        f"a {kind} file of at most {limit:,} bytes")
        chunks, total = [], 0
        while chunk := os.read(fd, 1 << 20):
            total += len(chunk)
            if total > limit:  # grew while being read
                raise error(path, None, f"is over {limit:,} bytes",
                            f"a {kind} file of at most {limit:,} bytes")
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise error(path, None, f"cannot be read ({exc.strerror or exc})",
                    f"a readable {kind} file") from None
    finally:
        os.close(fd)


def read_text(path: Path, error: type[RiskscoreError], kind: str, encoding: str = "utf-8",
              limit: int = MAX_TOML_BYTES) -> str:
    """The text of ``path`` (see ``read_bytes``); invalid UTF-8 raises ``error`` naming it."""
    data = read_bytes(path, error, kind, limit)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise error(path, f"line {line}", f"is not valid UTF-8 ({exc.reason})",
                    f"a UTF-8 {kind} file") from None


# ---- writing ------------------------------------------------------------------------

def output_target(path: Path) -> Path:
    """Where writing to ``path`` really goes: a symlink (chain) is followed to its target."""
    path = Path(path)
    if path.is_symlink():
        return Path(os.path.realpath(path))
    return path


def check_output(path: Path) -> Path:
    """Check that ``path`` may be written; return the real target (symlinks followed).

    Raises OutputError when the parent folder is missing or not a folder, or when
    the path exists and is not a regular file.
    """
    target = output_target(path)
    parent = target.parent
    where = f"{path} -> {target}" if target != Path(path) else str(path)
    if not parent.exists():
        raise OutputError(parent, None, f"folder not found (for {where})",
                          "an existing folder for the output (create it first)")
    if not parent.is_dir():
        raise OutputError(parent, None, f"is not a folder (for {where})",
                          "an existing folder for the output")
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise OutputError(where, None, f"cannot be checked ({exc.strerror or exc})",
                          "a writable path") from None
    if not stat.S_ISREG(info.st_mode):
        raise OutputError(where, None, f"exists and is {_kind_of(info.st_mode)}",
                          "a regular file or a new file name (riskscore never writes over "
                          "anything else)")
    return target


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def new_file_mode(existing: Path | None = None) -> int:
    """The mode a written file gets: the existing file's, else 0666 less the umask."""
    if existing is not None:
        with contextlib.suppress(FileNotFoundError):
            return stat.S_IMODE(os.stat(existing).st_mode)
    return 0o666 & ~_umask()


def write_temp(directory: Path, name: str, data: bytes | Iterable[bytes], mode: int) -> Path:
    """Write ``data`` (bytes, or pieces of bytes written as they come) to a new hidden
    temporary file in ``directory``; return its path."""
    while True:
        tmp = Path(directory) / f".{name}.{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0),
                         0o600)
        except FileExistsError:
            continue
        break
    try:
        os.fchmod(fd, mode)
        for piece in (data,) if isinstance(data, bytes) else data:
            view = memoryview(piece)
            while view:
                view = view[os.write(fd, view):]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        raise
    os.close(fd)
    return tmp


def leftover_files(folder: Path, names, suffixes=("tmp",)) -> list[Path]:
    """Files in ``folder`` named like the temporary (``.NAME.XXXXXXXX.tmp``, see
    ``write_temp``) or other ``suffixes`` files made for one of ``names``."""
    names = sorted(set(names))
    if not names:
        return []
    stems = "|".join(map(re.escape, names))
    kinds = "|".join(map(re.escape, suffixes))
    pattern = re.compile(rf"\.(?:{stems})\.[0-9a-f]{{8}}\.(?:{kinds})")
    found = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if pattern.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                found.append(Path(entry.path))
    return sorted(found)


def remove_leftovers(target: Path) -> list[Path]:
    """Delete the temporary files an earlier, killed run left for ``target`` (call it
    holding the folder's lock, so that no live run's file is taken); note them on stderr."""
    found = leftover_files(target.parent, [target.name])
    for path in found:
        path.unlink(missing_ok=True)
    if found:
        stderr_note(f"note: {target}: deleted {len(found)} temporary file(s) left by an "
                    "earlier run that was killed while writing it")
    return found


def write_atomic(path: Path, content: str | bytes | Iterable[str]) -> Path:
    """Write ``content`` to ``path`` atomically (see the module docstring); return the target.

    ``content`` may be pieces of text, written as they are made (a large JSON need not
    be held whole in memory).

    Raises OutputError (a ``RiskscoreError``) for every problem a user can cause:
    a refused path, a missing or read-only folder, a full disk.
    """
    data = (content.encode("utf-8") if isinstance(content, str) else content
            if isinstance(content, bytes) else (piece.encode("utf-8") for piece in content))
    with signals_as_exceptions(), made_folders(path):
        target = check_output(path)
        with output_lock(target.parent):
            target = check_output(path)   # again: another run may have changed it meanwhile
            remove_leftovers(target)
            tmp = None
            try:
                tmp = write_temp(target.parent, target.name, data, new_file_mode(target))
                os.replace(tmp, target)
                tmp = None
            except OSError as exc:
                raise OutputError(path, None, f"cannot be written ({exc.strerror or exc})",
                                  "a writable file in a writable folder") from None
            finally:
                if tmp is not None:
                    tmp.unlink(missing_ok=True)
    return target


@contextlib.contextmanager
def made_folders(path: Path) -> Iterator[list[Path]]:
    """Create the missing folders above the output ``path`` (symlinks followed); if the
    block then fails, remove those folders again (innermost first, only while empty), so
    a failed run leaves nothing behind. Yields the folders created."""
    parent = output_target(path).parent
    missing = []
    folder = parent
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    created: list[Path] = []
    try:
        for folder in reversed(missing):
            try:
                folder.mkdir()
            except FileExistsError:
                continue
            except OSError as exc:
                raise OutputError(folder, None, f"cannot be created ({exc.strerror or exc})",
                                  "a place where the output's folder can be made") from None
            created.append(folder)
        yield created
    except BaseException:
        for folder in reversed(created):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise


@contextlib.contextmanager
def output_lock(directory: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold an exclusive advisory lock on ``directory`` (flock on the folder itself, so
    no lock file is left behind). Another riskscore run writing to the same folder
    waits; after ``timeout`` seconds (default ``LOCK_TIMEOUT``) it gives up with an
    OutputError."""
    timeout = LOCK_TIMEOUT if timeout is None else timeout
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
                     | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise OutputError(directory, None, f"cannot be opened ({exc.strerror or exc})",
                          "an existing, readable folder for the output") from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    break  # a filesystem without flock: go on unlocked
                if time.monotonic() > deadline:
                    raise OutputError(directory, None, "is being written by another riskscore "
                                      f"run (waited {timeout:g} s)",
                                      "one run at a time per output folder") from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)   # closing releases the lock


class Terminated(SystemExit):
    """Raised in the main thread when SIGTERM arrives, so that clean-up code runs."""


def _on_sigterm(signum, frame):  # pragma: no cover - exercised through subprocess tests
    raise Terminated(128 + signum)


def install_sigterm_handler() -> None:
    """Make SIGTERM a clean exit (``Terminated``, exit status 143) that runs every
    ``finally``, like Ctrl-C does; only from the main thread, and only over the default."""
    if threading.current_thread() is threading.main_thread() and \
            signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _on_sigterm)


@contextlib.contextmanager
def signals_as_exceptions() -> Iterator[None]:
    """Within the block, SIGTERM raises ``Terminated`` (SIGINT already raises
    KeyboardInterrupt), so temporary files are cleaned up; the previous handler
    is restored afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGTERM)
    if previous == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        yield
    finally:
        if previous == signal.SIG_DFL:
            signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back during the block; they arrive right after it.

    Used around the few renames that must not be split (a report swap and its
    rollback): a signal lands before them or after them, never between two.
    """
    if threading.current_thread() is not threading.main_thread() or \
            not hasattr(signal, "pthread_sigmask"):
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def stderr_note(message: str) -> None:
    """A one-line note on stderr (never in the output)."""
    print(message, file=sys.stderr)
