"""Writing output files atomically: a temporary file beside the target, then rename.

A reader of the target sees either the old file or the complete new one, never
a half-written file, even if the process is killed mid-write (SIGTERM and
SIGINT remove the temporary file; see :func:`terminate_cleanly`).

``-`` means standard output. A target that exists and is not a regular file
(a directory, a FIFO, a device such as ``/dev/stdout``) is refused rather than
replaced: renaming over it would destroy it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .errors import KzbudgetError

__all__ = [
    "STDOUT",
    "check_target",
    "publish",
    "stop_if_signalled",
    "temporary_beside",
    "terminate_cleanly",
    "write_atomic",
    "write_atomic_chunks",
]

STDOUT = "-"


def _umask_mode() -> int:
    """The mode a new file gets from the umask (mkstemp always gives 0600)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def check_target(path: str | Path) -> Path | None:
    """The output path, checked before any work; ``None`` for standard output."""
    if str(path) == STDOUT:
        return None
    if not str(path):
        raise KzbudgetError("the output path is empty")
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise KzbudgetError(f"{path}: cannot write ({exc.strerror or exc})") from exc
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise KzbudgetError(f"{path}: is a directory; give a file name")
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise KzbudgetError(
            f"{path}: is not a regular file (a FIFO or device); use -o - for standard output"
        )
    name_max = _name_max(path.parent)
    if len(os.fsencode(path.name)) + 16 > name_max:  # room for the temporary name
        raise KzbudgetError(f"{path}: the file name is too long ({len(path.name)} characters)")
    return path


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder if str(folder) else ".", "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255


def temporary_beside(path: Path, prefix: str = ".kzbudget-out."):
    """A temporary file in the target's folder (so the final rename is atomic)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise KzbudgetError(f"{path}: cannot write ({exc.strerror or exc})") from exc
    return os.fdopen(fd, "wb"), tmp


def publish(tmp: str, path: Path) -> None:
    """Give ``tmp`` the umask's mode and rename it over ``path``."""
    try:
        os.chmod(tmp, _umask_mode())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise KzbudgetError(f"{path}: cannot write ({exc.strerror or exc})") from exc


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Replace ``path`` with ``data`` in one step (temp file + ``os.replace``)."""
    write_atomic_chunks(path, [data])


def write_atomic_chunks(path: str | Path, chunks: Iterable[str | bytes]) -> None:
    """Like :func:`write_atomic` for output made piece by piece.

    Each chunk is written as it comes, so the whole output is never in memory;
    the target is replaced only after the last one (an error in between leaves
    it as it was). Standard output gets them the same way: kept in an
    anonymous temporary file and copied out after the last one, so a failure
    half-way leaves nothing on it (a pipe's reader never sees half a JSON).
    """
    target = check_target(path)
    raw = (chunk.encode("utf-8") if isinstance(chunk, str) else chunk for chunk in chunks)
    if target is None:
        with tempfile.TemporaryFile(prefix=".kzbudget-out.") as spool:
            spool.writelines(raw)
            spool.seek(0)
            shutil.copyfileobj(spool, sys.stdout.buffer)
        sys.stdout.flush()
        return
    fh, tmp = temporary_beside(target, prefix=f".{target.name[:64]}.")
    try:
        with fh:
            fh.writelines(raw)
            fh.flush()
            os.fsync(fh.fileno())
        publish(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise KzbudgetError(f"{target}: cannot write ({exc.strerror or exc})") from exc
        raise


# signals received: kept, because a native extension that checks for signals
# while it runs (and drops the exception it gets) would otherwise swallow Ctrl-C
_received: list[int] = []


def terminate_cleanly() -> None:
    """Turn SIGTERM into ``SystemExit`` so ``finally`` blocks remove temporary files.

    SIGINT raises ``KeyboardInterrupt`` as by default; without this, SIGTERM
    would end the process at once and leave ``.kzbudget-out.*.tmp`` files
    behind. Both are remembered for :func:`stop_if_signalled`.
    """

    def _exit(signum: int, _frame: object) -> None:
        _received.append(signum)
        raise SystemExit(128 + signum)

    def _interrupt(signum: int, _frame: object) -> None:
        _received.append(signum)
        raise KeyboardInterrupt

    with contextlib.suppress(ValueError):  # only possible in the main thread
        signal.signal(signal.SIGTERM, _exit)
        signal.signal(signal.SIGINT, _interrupt)


def stop_if_signalled() -> None:
    """Raise again a SIGINT or SIGTERM whose exception got lost on the way (a
    long step calls this between documents, and before it publishes)."""
    if _received:
        signum = _received[0]
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        raise SystemExit(128 + signum)
