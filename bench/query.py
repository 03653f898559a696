"""Median latency of every canned query on the embedded store, and of the web page.

    python bench/query.py [PASSPORTS ...]     (default: 1000 10000 passports)
    python bench/query.py --store PATH        (a store `kzbudget build` made)

The corpus graph is copied by rewriting its N-Quads: each copy gets its own
fiscal year and administrator code (so its passports, programmes and costs are
distinct nodes, and its own approving resolution) while the cited legal acts
stay shared, as in real data; N passports
are N / 7 copies. They are bulk-loaded into an on-disk pyoxigraph store with
the ontology, then the totals graph is computed as every load computes it
(``store/summary.py``; its time is printed). Each query runs 5 times
in-process, with its default parameters (required ones set to a value of the
first copy); the median is printed. At the smallest N, ``kzbudget serve``
runs on loopback over the same store and each query's page
(``/queries/NAME``, HTML) is fetched 5 times: the median response time.

With ``--store PATH`` (e.g. the store of ``kzbudget build`` over
``bench/corpus.py``'s texts, where acts, programme codes and administrators
are shared as in real data), each query runs at its defaults and then once
with each filter a user sets, the values read from the store: its most
common programme and administrator codes, its last year, its most cited act,
the Russian names; and a page deep into the answer (``offset=2000``): cold,
and from the cursor of the page before it, as a Next link asks for it.
"""

from __future__ import annotations

import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import pyoxigraph as ox  # noqa: E402

from kzbudget_graph.graph.rdf import build_dataset  # noqa: E402
from kzbudget_graph.reader.extract import extract_file  # noqa: E402
from kzbudget_graph.store.paging import run_paged  # noqa: E402
from kzbudget_graph.store.queries import bindings, load_queries  # noqa: E402
from kzbudget_graph.store.summary import SUMMARY_GRAPH, summary_ntriples  # noqa: E402

CORPUS = ROOT / "corpus" / "decree-2006-1220-annexes-423-429.kk.txt"
PER_COPY = 7  # passports in the corpus document
RUNS = 5
# required parameters, set to nodes of the first copy (year 1000, administrator 100)
REQUIRED = {
    "node": "https://w3id.org/kzbudget/id/passport/1000/100/001/legal-basis/1",
    "act": "",  # the first act cited in the store, set by load()
    "program": "001",
    "date": "1000-06-01",
    "keyword": "қызмет",
}


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
            # its own resolution: one approving act shared by every copy would be
            # stated in thousands of graphs, which no real act is
            .replace("P060001220_", f"P9{i:08d}_")
        )


def timed(run) -> tuple[float, int]:
    samples, rows = [], 0
    for _ in range(RUNS):
        started = time.perf_counter()
        rows = run()
        samples.append(time.perf_counter() - started)
        if samples[-1] > 10:  # a slow query: one sample is enough
            break
    return statistics.median(samples), rows


def given(query) -> dict[str, str]:
    return {p.name: REQUIRED[p.name] for p in query.params if p.required}


def load(tmp: str, base: str, passports: int) -> ox.Store:
    from kzbudget_graph.graph.validate import load_ontology

    store = ox.Store(tmp)
    n = (passports + PER_COPY - 1) // PER_COPY
    started = time.perf_counter()
    batch: list[str] = []
    for k, text in enumerate(copies(base, n), start=1):
        batch.append(text)
        if k % 200 == 0 or k == n:
            store.bulk_load("".join(batch).encode(), format=ox.RdfFormat.N_QUADS)
            batch = []
    ontology = load_ontology().serialize(format="nt", encoding="utf-8")
    store.bulk_load(ontology, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(
        "https://w3id.org/kzbudget/ontology"))  # fmt: skip
    store.optimize()
    first = (
        "SELECT ?act WHERE { GRAPH ?g { ?p <http://data.europa.eu/eli/ontology#based_on> ?act } }"
    )
    REQUIRED["act"] = next(iter(store.query(first + " LIMIT 1")))["act"].value
    print(f"\n{n * PER_COPY} passports: {len(store)} quads, bulk load "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    started = time.perf_counter()

    def select(text):
        from kzbudget_graph.store.store import EmbeddedStore

        wrapper = EmbeddedStore.__new__(EmbeddedStore)
        wrapper.store = store
        return wrapper.query(text)

    totals, _count = summary_ntriples(select, oxigraph_order=True)
    store.bulk_load(totals, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(SUMMARY_GRAPH))
    print(f"totals graph (store/summary.py) computed in {time.perf_counter() - started:.1f} s")
    return store


def bench_embedded(store: ox.Store, queries) -> None:
    """Each query as ``kzbudget query`` runs it: a page by windows of ranked nodes
    where the query allows it (store/paging.py), else the whole query."""
    from kzbudget_graph.store.store import EmbeddedStore

    wrapper = EmbeddedStore.__new__(EmbeddedStore)
    wrapper.store = store
    print(f"{'query':<24} {'rows':>6} {'median ms':>10}")
    for name, q in queries.items():
        bound = bindings(q, given(q))
        seconds, rows = timed(
            lambda q=q, bound=bound: len(
                run_paged(wrapper.query, q, bound, oxigraph_order=True).rows
            )
        )
        flag = "" if seconds < 0.05 else "  (over 50 ms)"
        print(f"{name:<24} {rows:>6} {seconds * 1000:>10.1f}{flag}")


def bench_web(path: str, queries) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-m", "kzbudget_graph", "serve", "--port", str(port), "--store", path]
    server = subprocess.Popen(cmd, env=env, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/", timeout=5).read()
                break
            except OSError:
                time.sleep(0.1)
        print(f"web page (kzbudget serve, loopback) {'query':<24} {'median ms':>10}")
        for name, q in queries.items():
            url = f"{base}/queries/{name}?{urllib.parse.urlencode(given(q))}"
            seconds, _ = timed(lambda url=url: len(urllib.request.urlopen(url, timeout=60).read()))
            print(f"{'':<35} {name:<24} {seconds * 1000:>10.1f}")
    finally:
        server.terminate()
        server.wait(timeout=30)


def filters(store: ox.Store) -> dict[str, str]:
    """Values a user would filter this store by, read from it (the summary graph)."""
    g, s = f"<{SUMMARY_GRAPH}>", "https://w3id.org/kzbudget/summary#"

    def first(text: str, var: str) -> str:
        rows = list(store.query(text))
        return rows[0][var].value if rows else ""

    def most(fact: str) -> str:
        return first(
            f"SELECT ?v (COUNT(*) AS ?n) WHERE {{ GRAPH {g} {{ ?p <{s}{fact}> ?v }} }} "
            "GROUP BY ?v ORDER BY DESC(?n) ?v LIMIT 1",
            "v",
        )

    year = first(
        f"SELECT (MAX(?y) AS ?last) WHERE {{ GRAPH {g} {{ ?p <{s}year> ?y ; "
        f"<{s}passportRank> ?r }} }}",
        "last",
    )
    act = first(
        "SELECT ?act (COUNT(DISTINCT ?p) AS ?n) WHERE { GRAPH ?g { "
        "?p <http://data.europa.eu/eli/ontology#based_on> ?act } } "
        "GROUP BY ?act ORDER BY DESC(?n) ?act LIMIT 1",
        "act",
    )
    code = first(f"SELECT ?c WHERE {{ GRAPH {g} {{ <{act}> <{s}adiletCode> ?c }} }}", "c")
    node = first(f"SELECT ?p WHERE {{ GRAPH {g} {{ ?p <{s}passportRank> 0 }} }} LIMIT 1", "p")
    return {
        "program": most("programCode"),
        "administrator": most("administratorCode"),
        "year": year,
        "act": code or act,
        "date": f"{year}-06-01",
        "node": node,
        "keyword": REQUIRED["keyword"],
        "kind": "final",
        "issue": "derived-code",
        "lang": "ru",
        "offset": "2000",
    }


def bench_store(path: str, queries) -> None:
    """Each query at its defaults, then with each filter it takes, on a store
    built elsewhere (read-only)."""
    from kzbudget_graph.store.store import EmbeddedStore

    store = ox.Store.read_only(path)
    values = filters(store)
    print(f"{path}: {len(store)} quads; filter values {values}")
    wrapper = EmbeddedStore.__new__(EmbeddedStore)
    wrapper.store = store
    print(f"{'query':<24} {'parameters':<36} {'rows':>5} {'median ms':>10}")
    over = over_cursor = 0
    for name, q in queries.items():
        required = {p.name: values[p.name] for p in q.params if p.required}
        optional = [p.name for p in q.params if not p.required and p.name in values]
        for extra in [None, *optional]:
            asked = {**required, **({extra: values[extra]} if extra else {})}
            bound = bindings(q, asked)
            seconds, rows = timed(
                lambda q=q, bound=bound: len(
                    run_paged(wrapper.query, q, bound, oxigraph_order=True).rows
                )
            )
            shown = " ".join(f"{k}={v}" for k, v in asked.items() if k not in ("node", "act"))
            shown += " act=…" if "act" in asked else ""
            flag = "" if seconds < 0.05 else "  (over 50 ms)"
            over += seconds >= 0.05 and extra != "offset"
            print(f"{name:<24} {shown[:36]:<36} {rows:>5} {seconds * 1000:>10.1f}{flag}")
            if extra == "offset":  # the same page, from the cursor of the page before it
                page_size = int(bound["limit"].value)
                before = {**asked, "offset": str(int(values["offset"]) - page_size)}
                before = bindings(q, before)
                cursor = run_paged(wrapper.query, q, before, oxigraph_order=True).after
                if cursor is None:
                    continue
                seconds, rows = timed(
                    lambda q=q, bound=bound, c=cursor: len(
                        run_paged(wrapper.query, q, bound, after=c, oxigraph_order=True).rows
                    )
                )
                flag = "" if seconds < 0.05 else "  (over 50 ms)"
                over_cursor += seconds >= 0.05
                shown = (shown + " after=…")[:36]
                print(f"{name:<24} {shown:<36} {rows:>5} {seconds * 1000:>10.1f}{flag}")
    print(
        f"{over} first pages over 50 ms; "
        f"{over_cursor} pages at offset 2000 from a cursor over 50 ms"
    )


def main() -> None:
    if sys.argv[1:2] == ["--store"] and len(sys.argv) == 3:
        bench_store(sys.argv[2], load_queries())
        return
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 10000]
    base = build_dataset([extract_file(CORPUS)]).serialize(format="nquads")
    queries = load_queries()
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            store = load(tmp, base, n)
            bench_embedded(store, queries)
            if n == min(sizes):
                store.flush()
                del store
                bench_web(tmp, queries)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
