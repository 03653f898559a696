"""A load into a store that already holds many passports (issue #14).

    python bench/incremental.py STORE FILE ...

Copies STORE (a directory; it is not changed) beside itself, builds the FILEs
into the copy with ``kzbudget build FILE ... --store COPY --no-validate`` in a
child process, and prints the child's wall and CPU seconds and peak memory,
then how many lines of the summary graph the load removed and added (the
summary is recomputed over the whole store after every load, and rewritten by
the triples that changed: :meth:`.EmbeddedStore.rewrite_graph`). The copy is
removed at the end.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from kzbudget_graph.store.summary import SUMMARY_GRAPH  # noqa: E402


def summary_lines(store: Path) -> set[bytes]:
    """The summary graph's N-Triples lines, read without taking the store's lock."""
    graph = ox.NamedNode(SUMMARY_GRAPH)
    data = ox.Store.read_only(str(store)).dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
    return set(data.splitlines())


def main(store: Path, files: list[str]) -> None:
    with tempfile.TemporaryDirectory(dir=store.parent, prefix=store.name + ".copy.") as tmp:
        copy = Path(tmp) / "store"
        shutil.copytree(store, copy)
        before = summary_lines(copy)
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        command = [sys.executable, "-m", "kzbudget_graph", "build", *files]
        command += ["--store", str(copy), "--no-validate", "-q"]
        started = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - started
        if done.returncode != 0:
            sys.exit(f"build failed ({done.returncode}): {done.stderr.strip()}")
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        after = summary_lines(copy)
    print(f"{len(files)} file(s) into a copy of {store}")
    print(
        f"  build: {wall:.1f} s wall, {usage.ru_utime + usage.ru_stime:.1f} s CPU, "
        f"peak {usage.ru_maxrss / 1024:.0f} MB"
    )
    print(
        f"  summary graph: {len(before):,} -> {len(after):,} triples; "
        f"{len(before - after):,} removed, {len(after - before):,} added"
    )


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), sys.argv[2:])
