"""Pages by windows against the whole query, on a store built elsewhere.

    python bench/pages.py [--shard K/N] --store PATH [QUERY]     (default: indicators)

For every combination of the query's filters — each name of a choice
(``kind``), each ``lang``, no programme code and two of the store's (its
most common, and the one whose passports have the most kinds of indicator)
— and offsets 0, 100 and 2000, the page ``run_paged`` answers (windows of
ranked nodes) is compared with the page of the whole query (one SELECT, no
windows, run once per combination to the deepest page, each page a slice
of it): the rows, in order, must be the same. Prints each case that differs
and the count; exits 1 if any does. ``--shard K/N`` takes every Nth
combination from the Kth (two processes on two cores).
"""

from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import pyoxigraph as ox  # noqa: E402

from kzbudget_graph.store.paging import run_paged  # noqa: E402
from kzbudget_graph.store.queries import LANGUAGES, bind, bindings, get_query  # noqa: E402
from kzbudget_graph.store.store import EmbeddedStore  # noqa: E402
from kzbudget_graph.store.summary import SUMMARY, SUMMARY_GRAPH  # noqa: E402

OFFSETS = ("0", "100", "2000")
PAGE = 100


def programs(store: ox.Store) -> list[str]:
    """The store's most common programme code, and the code whose passports'
    indicators are of the most kinds (where a rare kind has rows)."""
    g, s = f"<{SUMMARY_GRAPH}>", SUMMARY
    common = list(
        store.query(
            f"SELECT ?v (COUNT(*) AS ?n) WHERE {{ GRAPH {g} {{ ?p <{s}programCode> ?v }} }} "
            "GROUP BY ?v ORDER BY DESC(?n) ?v LIMIT 1"
        )
    )
    varied = list(
        store.query(
            f"SELECT ?v (COUNT(DISTINCT ?k) AS ?n) WHERE {{ GRAPH {g} {{ ?p <{s}programCode> ?v ; "
            f"<{s}indicatorKind> ?k }} }} GROUP BY ?v ORDER BY DESC(?n) ?v LIMIT 1"
        )
    )
    return list(dict.fromkeys(rows[0]["v"].value for rows in (common, varied) if rows))


def values(query, codes: list[str]) -> dict[str, list[str | None]]:
    """Each filter's values to try (None: not given)."""
    out: dict[str, list[str | None]] = {}
    for p in query.params:
        if p.name in ("limit", "offset") or p.required:
            continue
        if p.type == "lang":
            out[p.name] = list(LANGUAGES)  # not given: the default, all
        elif p.name == "program":
            out[p.name] = [None, *codes]
        elif p.choices:
            out[p.name] = [None, *p.choices]
    return out


def main() -> int:
    args = sys.argv[1:]
    shard, shards = 0, 1
    if args[:1] == ["--shard"] and len(args) > 1:  # K/N: every Nth combination from the Kth
        shard, shards = map(int, args[1].split("/"))
        args = args[2:]
    if len(args) not in (2, 3) or args[0] != "--store":
        print(__doc__, file=sys.stderr)
        return 2
    query = get_query(args[2] if len(args) == 3 else "indicators")
    store = EmbeddedStore.__new__(EmbeddedStore)
    store.store = ox.Store.read_only(args[1])
    tried = values(query, programs(store.store))
    print(f"{query.name}: {', '.join(f'{k}={v}' for k, v in tried.items())}; offsets {OFFSETS}")
    cases = differ = rows = 0
    started = time.perf_counter()
    deepest = max(map(int, OFFSETS)) + PAGE
    combos = list(itertools.product(*tried.values()))[shard::shards]
    for combo in combos:
        given = {k: v for k, v in zip(tried, combo, strict=True) if v is not None}
        # the whole query once, to the deepest page: its pages are slices of it
        whole = store.query(bind(query, bindings(query, {**given, "limit": str(deepest)})))
        for offset in OFFSETS:
            bound = bindings(query, {**given, "offset": offset, "limit": str(PAGE)})
            paged = run_paged(store.query, query, bound, oxigraph_order=True)
            expected = whole.rows[int(offset) : int(offset) + PAGE]
            cases += 1
            rows += len(expected)
            if paged.variables != whole.variables or paged.rows != expected:
                differ += 1
                print(f"DIFFERS {given} offset={offset}: {len(paged.rows)} vs {len(expected)}")
        print(f"  {given}: {len(whole.rows)} rows to offset {deepest}", flush=True)
    print(
        f"{cases} cases, {rows} rows of the whole query compared, {differ} differ "
        f"({time.perf_counter() - started:.0f} s)"
    )
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
