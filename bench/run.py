"""End-to-end scale benchmark on synthetic corpora (bench/corpus.py).

    python bench/run.py [N ...] [--jobs J]     (default N: 100 1000 10000 50000)

For each N, in a fresh process so memory figures are its own:

* extract: passports per second (``extract_files``, J processes);
* build: extract + map + SHACL-validate + write N-Quads, seconds and peak
  memory (the largest of the main process and its workers);
* store: seconds to bulk-load that N-Quads file into an on-disk embedded store
  and compact it, then to compute its summary graph (totals and ranks), as
  ``kzbudget build --store`` does;
* queries: median latency (5 runs) of every canned query's first page on that
  store, as ``kzbudget query`` answers it (required parameters set to values
  read from the store, as ``bench/query.py --store`` does), and of a page at
  offset 2,000: cold, and from the cursor of the page before it.

A failed size prints its child's error output and stops.
"""

from __future__ import annotations

import json
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))


def peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def one(n: int, jobs: int) -> dict:
    import pyoxigraph as ox

    from corpus import write_corpus
    from kzbudget_graph.pipeline import Settings, build
    from kzbudget_graph.reader.extract import extract_files
    from kzbudget_graph.store.paging import run_paged
    from kzbudget_graph.store.queries import bindings, load_queries
    from kzbudget_graph.store.store import EmbeddedStore
    from kzbudget_graph.store.summary import refresh_summary
    from query import filters

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        started = time.perf_counter()
        files = write_corpus(n, tmp / "corpus")
        generate_s = time.perf_counter() - started

        started = time.perf_counter()
        passports = 0
        for k in range(0, len(files), 500):  # in slices: memory stays bounded
            passports += sum(len(d.passports) for d in extract_files(files[k : k + 500], jobs=jobs))
        extract_s = time.perf_counter() - started

        started = time.perf_counter()
        summary = build(
            files, output=tmp / "graph.nq", store=None, settings=Settings(fmt="nq"), jobs=jobs
        )
        build_s = time.perf_counter() - started
        build_peak = peak_mb()

        store = EmbeddedStore(tmp / "store")
        started = time.perf_counter()
        store.store.bulk_load(path=str(tmp / "graph.nq"), format=ox.RdfFormat.N_QUADS)
        store.store.optimize()
        load_s = time.perf_counter() - started
        started = time.perf_counter()
        refresh_summary(store)
        summary_s = time.perf_counter() - started

        def median_ms(run) -> float:
            samples = []
            for _ in range(5):
                t = time.perf_counter()
                run()
                samples.append(time.perf_counter() - t)
            return round(statistics.median(samples) * 1000, 1)

        values = filters(store.store)
        latencies, deep = {}, {}
        for name, q in load_queries().items():
            required = {p.name: values[p.name] for p in q.params if p.required}
            bound = bindings(q, required)
            latencies[name] = median_ms(
                lambda q=q, b=bound: run_paged(store.query, q, b, oxigraph_order=True)
            )
            if q.page_by is None or "offset" not in {p.name for p in q.params}:
                continue
            before = bindings(q, {**required, "offset": "1900"})
            after = run_paged(store.query, q, before, oxigraph_order=True).after
            at = bindings(q, {**required, "offset": "2000"})
            deep[name] = (
                median_ms(lambda q=q, b=at: run_paged(store.query, q, b, oxigraph_order=True)),
                median_ms(
                    lambda q=q, b=at, a=after: run_paged(
                        store.query, q, b, after=a, oxigraph_order=True
                    )
                )
                if after
                else None,
            )
        store.close()
        return {
            "passports": passports,
            "files": len(files),
            "triples": summary.triples,
            "violations": len(summary.violations),
            "generate_s": round(generate_s, 1),
            "extract_per_s": round(passports / extract_s),
            "build_s": round(build_s, 1),
            "build_peak_mb": round(build_peak),
            "store_load_s": round(load_s, 1),
            "summary_s": round(summary_s, 1),
            "query_ms": latencies,
            "deep_ms": deep,
        }


def main() -> None:
    args = sys.argv[1:]
    jobs = int(args[args.index("--jobs") + 1]) if "--jobs" in args else 2
    if "--jobs" in args:
        k = args.index("--jobs")
        args = args[:k] + args[k + 2 :]
    if args and args[0] == "--one":
        print(json.dumps(one(int(args[1]), jobs)))
        return
    sizes = [int(a) for a in args] or [100, 1000, 10000, 50000]
    print(f"machine: {platform.machine()}, CPython {platform.python_version()}, jobs={jobs}")
    for n in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(n), "--jobs", str(jobs)],
            capture_output=True,
            text=True,
        )
        if out.returncode != 0:
            sys.exit(f"N={n} failed:\n{out.stderr}")
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"\nN={r['passports']} ({r['files']} files, {r['triples']} triples, "
            f"{r['violations']} violations)"
        )
        print(f"  extract   {r['extract_per_s']} passports/s")
        peak = r["build_peak_mb"]
        print(f"  build     {r['build_s']} s (extract+map+validate+write), peak {peak} MB")
        print(f"  store     {r['store_load_s']} s bulk load and compaction")
        print(f"  summary   {r['summary_s']} s totals and ranks")
        for name, ms in r["query_ms"].items():
            print(f"  query     {name:<24} {ms:>9.1f} ms first page")
        for name, (cold, cursor) in r["deep_ms"].items():
            from_cursor = "no cursor" if cursor is None else f"{cursor:.1f} ms from the cursor"
            print(f"  offset 2000 {name:<22} {cold:>9.1f} ms cold, {from_cursor}")


if __name__ == "__main__":
    main()
