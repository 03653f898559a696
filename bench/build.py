"""Build (extract → RDF) and SHACL-validate synthetic corpora of growing size.

    python bench/build.py [N ...]      (default: 100 1000 10000 passports)

Each size runs in a fresh process so its peak memory (ru_maxrss) is its own.
Validation is per source document (each named graph with the ontology), as
``kzbudget build`` does it; the corpus-wide figure for one big graph is
printed for the smaller sizes for comparison.
"""

from __future__ import annotations

import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))


def one(passports: int) -> dict:
    from kzbudget_graph.graph.rdf import build_dataset
    from kzbudget_graph.graph.serialize import union
    from kzbudget_graph.graph.validate import (
        load_ontology,
        load_shapes,
        validate_documents,
        validate_graph,
    )
    from synthetic import synthetic_documents

    docs = synthetic_documents(passports)
    started = time.perf_counter()
    dataset = build_dataset(docs)
    built = time.perf_counter() - started
    triples = sum(len(g) for g in dataset.graphs())
    shapes, ontology = load_shapes(), load_ontology()
    started = time.perf_counter()
    report = validate_documents(dataset, shapes, ontology)
    validated = time.perf_counter() - started
    whole = None
    if passports <= 1000:
        started = time.perf_counter()
        validate_graph(union(dataset), shapes, ontology)
        whole = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "passports": sum(len(d.passports) for d in docs),
        "documents": len(docs),
        "triples": triples,
        "map_s": round(built, 2),
        "validate_s": round(validated, 2),
        "validate_whole_graph_s": None if whole is None else round(whole, 2),
        "violations": len(report.violations),
        "peak_mb": round(peak_mb),
    }


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--one":
        print(json.dumps(one(int(sys.argv[2]))))
        return
    sizes = [int(a) for a in sys.argv[1:]] or [100, 1000, 10000]
    print(f"machine: {platform.machine()}, CPython {platform.python_version()}")
    header = ("passports", "triples", "map s", "validate s", "whole-graph s", "peak MB")
    print("{:>9} {:>9} {:>7} {:>10} {:>13} {:>8}".format(*header))
    for n in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(n)], capture_output=True, text=True, check=True
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        whole = "-" if r["validate_whole_graph_s"] is None else f"{r['validate_whole_graph_s']:.2f}"
        print(
            f"{r['passports']:>9} {r['triples']:>9} {r['map_s']:>7.2f} {r['validate_s']:>10.2f} "
            f"{whole:>13} {r['peak_mb']:>8}"
        )
        if r["violations"]:
            print(f"  ! {r['violations']} violations")


if __name__ == "__main__":
    main()
