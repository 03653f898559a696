"""Extraction throughput: passports per second over each bundled corpus repeated N times.

    python bench/extract.py [N]      (default N = 1000)

Reads each corpus (Kazakh converted, Russian clean, Russian converted) once,
then runs repair → segment → extract on it N times (7 passports each) and
prints the figures, in one process and on every core. Then the time to assign
the columns of one action-plan cell split into 8, 12 and 16 blocks (issue #10:
the column assignment is a dynamic programme, not a search over every
combination, so it must stay in milliseconds).
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

CORPORA = [
    ROOT / "corpus" / "decree-2006-1220-annexes-423-429.kk.txt",
    ROOT / "corpus" / "decree-2006-1220-annexes-423-429.ru.clean.txt",
    ROOT / "corpus" / "decree-2006-1220-annexes-423-429.ru.damaged.txt",
]


def throughput(path: Path, repeat: int) -> None:
    source = read_source(path)
    first = extract_source(source)  # also warms up the regex caches
    print(f"{path.name} ({first.source.language}, {len(source.text)} chars) x {repeat}")
    for jobs in (1, os.cpu_count() or 1):
        started = time.perf_counter()
        docs = extract_sources([source] * repeat, jobs=jobs)
        elapsed = time.perf_counter() - started
        passports = sum(len(d.passports) for d in docs)
        print(
            f"  jobs={jobs}: {passports} passports in {elapsed:.2f} s = "
            f"{passports / elapsed:.0f} passports/s ({elapsed / repeat * 1000:.2f} ms/document)"
        )


def split_cell(blocks: int, repeat: int = 20) -> float:
    """Milliseconds to read one table row whose activities cell is cut into ``blocks``."""
    from kzbudget_graph.reader.plan import parse_plan
    from kzbudget_graph.reader.repair import repair
    from kzbudget_graph.reader.values import Cutter

    cell = "\n\n".join(
        f"Мероприятие {k} по обеспечению\nдеятельности органа." for k in range(blocks)
    )
    text = (
        "6. План мероприятий по реализации бюджетной программы:\n1 2 3 4 5 6 7\n\n"
        f"1 001   Обеспечение\nдеятельности\n\n{cell}\n\nВ течение года\n\n"
        "Агентство\nРеспублики\nКазахстан\n"
    )
    repaired = repair(text, "ru")
    cut = Cutter(repaired, repaired.text)
    region = (repaired.text.index(":") + 1, len(repaired.text))
    started = time.perf_counter()
    for _ in range(repeat):
        rows, _warnings = parse_plan(cut, region, "1", "001", None, "ru")
    assert len(rows) == 1 and rows[0].period == "В течение года"
    return (time.perf_counter() - started) / repeat * 1000


def main() -> None:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}"
    )
    for path in CORPORA:
        throughput(path, repeat)
    for blocks in (8, 12, 16):
        print(f"table cell split into {blocks} blocks: {split_cell(blocks):.2f} ms")


if __name__ == "__main__":
    main()
