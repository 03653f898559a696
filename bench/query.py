"""Median latency of every canned query: embedded store vs an in-memory rdflib graph.

    python bench/query.py [COPIES ...]     (default: 1000 10000 copies of the corpus)

Copies of the corpus graph are made by rewriting its N-Quads: each copy gets
its own fiscal year and administrator code (so its passports, programmes and
costs are distinct nodes) while the legal acts stay shared, as in real data.
They are bulk-loaded into an on-disk pyoxigraph store; the same quads are
parsed into an rdflib Dataset when that fits in memory (up to 1,000 copies).
Each query runs 5 times (with default parameters); the median is printed.
"""

from __future__ import annotations

import multiprocessing
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import pyoxigraph as ox  # noqa: E402
from rdflib import Dataset  # noqa: E402

from kzbudget_graph.graph.rdf import build_dataset  # noqa: E402
from kzbudget_graph.reader.extract import extract_file  # noqa: E402
from kzbudget_graph.store.queries import bind, bindings, load_queries  # noqa: E402

CORPUS = ROOT / "corpus" / "decree-2006-1220-annexes-423-429.kk.txt"
RDFLIB_MAX_COPIES = 1000
RDFLIB_BUDGET_S = 120  # an rdflib query still running after this is stopped
RUNS = 5


def copies(base: str, n: int):
    """N-Quads text of copy i: year and administrator rewritten."""
    for i in range(n):
        year, admin = 1000 + i // 900, 100 + i % 900
        yield (
            base.replace("/2007/", f"/{year}/")
            .replace(
                '"2007"^^<http://www.w3.org/2001/XMLSchema#integer>',
                f'"{year}"^^<http://www.w3.org/2001/XMLSchema#integer>',
            )
            .replace("/608/", f"/{admin}/")
            .replace("administrator/608>", f"administrator/{admin}>")
            .replace('"608"', f'"{admin}"')
            .replace("/id/source/", f"/id/source/{i}-")
            .replace("/graph/act/", f"/graph/act/{i}-")
        )


def timed(run) -> tuple[float, int]:
    samples, rows = [], 0
    for _ in range(RUNS):
        started = time.perf_counter()
        rows = run()
        samples.append(time.perf_counter() - started)
        if samples[-1] > 30:  # a slow engine: one sample is enough
            break
    return statistics.median(samples), rows


def _rdflib_child(graph, text, queue) -> None:
    queue.put(timed(lambda: len(graph.query(text))))


def timed_rdflib(graph, text: str) -> tuple[float, int] | None:
    """Median of the runs in a forked child (it shares the parsed graph); None past the budget."""
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_rdflib_child, args=(graph, text, queue))
    child.start()
    child.join(RDFLIB_BUDGET_S)
    if child.is_alive():
        child.kill()
        child.join()
        return None
    return queue.get()


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 10000]
    base = build_dataset([extract_file(CORPUS)]).serialize(format="nquads")
    queries = load_queries()
    # fact-provenance asks about a node of the first copy (year 1000, administrator 100)
    node = {"node": "https://w3id.org/kzbudget/id/passport/1000/100/001/legal-basis/1"}
    texts = {
        name: bind(q, bindings(q, node if name == "fact-provenance" else {}))
        for name, q in queries.items()
    }
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            store = ox.Store(tmp)
            started = time.perf_counter()
            batch: list[str] = []
            for k, text in enumerate(copies(base, n), start=1):
                batch.append(text)
                if k % 200 == 0 or k == n:
                    store.bulk_load("".join(batch).encode(), format=ox.RdfFormat.N_QUADS)
                    batch = []
            store.optimize()
            load_s = time.perf_counter() - started
            print(f"\ncorpus x {n}: {len(store)} quads, embedded bulk load {load_s:.1f} s")
            graph = None
            if n <= RDFLIB_MAX_COPIES:
                started = time.perf_counter()
                graph = Dataset()
                graph.parse(data="".join(copies(base, n)), format="nquads")
                print(f"rdflib Dataset parse {time.perf_counter() - started:.1f} s")
            else:
                print(f"rdflib: not run above {RDFLIB_MAX_COPIES} copies (memory)")
            print(f"{'query':<24} {'rows':>7} {'oxigraph ms':>12} {'rdflib ms':>12}")
            for name, text in texts.items():
                ox_s, ox_rows = timed(
                    lambda text=text, store=store: sum(1 for _ in store.query(text))
                )
                rd = "-"
                if graph is not None:
                    measured = timed_rdflib(graph, text)
                    if measured is None:
                        rd = f"> {RDFLIB_BUDGET_S * 1000}"
                    else:
                        rd_s, rd_rows = measured
                        rd = f"{rd_s * 1000:.1f}" + (
                            "" if rd_rows == ox_rows else f" ({rd_rows} rows!)"
                        )
                print(f"{name:<24} {ox_rows:>7} {ox_s * 1000:>12.1f} {rd:>12}")
            graph = None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
