"""Extraction throughput: passports per second over the corpus repeated N times.

    python bench/extract.py [N]      (default N = 1000)

Reads the bundled corpus once, then runs repair → segment → extract on it N
times (7 passports each) and prints the figures. Target (issue #2): at least
500 passports/s on the project's 2-core machine.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from kzbudget_graph.reader.extract import extract_source, extract_sources  # noqa: E402
from kzbudget_graph.reader.read import read_source  # noqa: E402

CORPUS = ROOT / "corpus" / "decree-2006-1220-annexes-423-429.kk.txt"


def main() -> None:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    source = read_source(CORPUS)
    extract_source(source)  # warm up regex caches
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}"
    )
    print(f"corpus: {CORPUS.name} ({len(source.text)} chars, 7 passports) x {repeat}")
    for jobs in (1, os.cpu_count() or 1):
        started = time.perf_counter()
        docs = extract_sources([source] * repeat, jobs=jobs)
        elapsed = time.perf_counter() - started
        passports = sum(len(d.passports) for d in docs)
        print(
            f"jobs={jobs}: {passports} passports in {elapsed:.2f} s = "
            f"{passports / elapsed:.0f} passports/s ({elapsed / repeat * 1000:.2f} ms/document)"
        )
    print("target: >= 500 passports/s")


if __name__ == "__main__":
    main()
