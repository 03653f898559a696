"""Extraction throughput: passports per second over each bundled corpus repeated N times.

    python bench/extract.py [N]      (default N = 1000)

Reads each corpus (Kazakh converted, Russian clean, Russian converted) once,
then runs repair → segment → extract on it N times (7 passports each) and
prints the figures, in one process and on every core. The one-process line
also gives the process's CPU time per passport (``time.process_time``): on a
shared machine the wall clock counts the other processes' turns, the CPU time
mostly does not. Then the cost per passport of one resolution whose annexes are
repeated 1, 8 and 64 times in one file (it must not grow with the file: issue
#14), and the time to assign the columns of one action-plan cell split into 8,
12 and 16 blocks (issue #10: the column assignment is a dynamic programme, not
a search over every combination, so it must stay in milliseconds).
"""

from __future__ import annotations

import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from kzbudget_graph.reader import lexicon  # noqa: E402
from kzbudget_graph.reader.extract import (  # noqa: E402
    extract_source,
    extract_sources,
    source_parts,
)
from kzbudget_graph.reader.read import decode_source, read_source  # noqa: E402

CORPORA = [
    ROOT / "corpus" / "decree-2006-1220-annexes-423-429.kk.txt",
    ROOT / "corpus" / "decree-2006-1220-annexes-423-429.ru.clean.txt",
    ROOT / "corpus" / "decree-2006-1220-annexes-423-429.ru.damaged.txt",
]


def throughput(path: Path, repeat: int) -> None:
    source = read_source(path)
    first = extract_source(source)  # also warms up the regex caches
    print(f"{path.name} ({first.source.language}, {len(source.text)} chars) x {repeat}")
    # two texts in turn (one with a blank line more): the letter-spacing join
    # keeps its last result, which a file read once never reuses
    other = decode_source((source.text + "\n").encode(), name=path.name)
    sources = [(source, other)[k % 2] for k in range(repeat)]
    for jobs in (1, os.cpu_count() or 1):
        started, cpu = time.perf_counter(), time.process_time()
        docs = extract_sources(sources, jobs=jobs)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        passports = sum(len(d.passports) for d in docs)
        own = f"; CPU {cpu / passports * 1000:.2f} ms/passport" if jobs == 1 else ""
        print(
            f"  jobs={jobs}: {passports} passports in {elapsed:.2f} s = "
            f"{passports / elapsed:.0f} passports/s "
            f"({elapsed / repeat * 1000:.2f} ms/document{own})"
        )


def one_big_file(path: Path, copies: int) -> float:
    """CPU milliseconds per passport of one resolution whose annexes are printed
    ``copies`` times (one file, one resolution, 7 × ``copies`` passports)."""
    text = read_source(path).text
    heading = min(m.start() for p in lexicon.ANNEX_HEADINGS if (m := p.search(text)))
    start = text.rfind("\n\n", 0, heading) + 1 or heading  # with the lines attaching it
    big = decode_source((text[:start] + text[start:] * copies).encode(), name=path.name)
    cpu = time.process_time()
    docs = [extract_source(part) for part in source_parts(big)]  # as extract_documents reads it
    return (time.process_time() - cpu) / sum(len(d.passports) for d in docs) * 1000


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
    for path in CORPORA:
        per = [f"x{k}: {one_big_file(path, k):.2f}" for k in (1, 8, 64)]
        print(f"{path.name}, annexes repeated in one file, CPU ms/passport: {', '.join(per)}")
    for blocks in (8, 12, 16):
        print(f"table cell split into {blocks} blocks: {split_cell(blocks):.2f} ms")


if __name__ == "__main__":
    main()
