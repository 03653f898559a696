"""Worker processes for ``--jobs``: at most one per core, interrupts left to the parent.

More processes than cores only adds start-up time and memory to CPU-bound
work (a ``--jobs`` of thousands started thousands of interpreters), and a
worker that took Ctrl-C itself would print its own traceback while the
parent is already cleaning up.
"""

from __future__ import annotations

import os
import signal
from concurrent.futures import ProcessPoolExecutor

__all__ = ["worker_count", "worker_pool"]


def worker_count(jobs: int, tasks: int | None = None) -> int:
    """The processes worth starting for ``jobs`` asked and ``tasks`` to do."""
    count = min(jobs, os.cpu_count() or 1)
    return max(1, min(count, tasks) if tasks is not None else count)


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """A pool whose workers ignore SIGINT (the parent ends them)."""
    return ProcessPoolExecutor(max_workers=workers, initializer=_ignore_interrupts)


def _ignore_interrupts() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
