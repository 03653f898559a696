"""SHACL engines side by side on the project's own shapes and a synthetic graph.

    python bench/validators.py [N] [--defects]     (default: 1000 passports)

The graph is ``N`` synthetic passports (bench/synthetic.py) mapped to RDF,
merged with the ontology (the shapes rely on its class hierarchy), written
once as N-Triples; the shapes are every file of ``shapes/``. Each engine runs
in a fresh process on the same two files, so its peak memory (ru_maxrss) is
its own. ``--defects`` injects two defects first: a passport without its fiscal
year (a core constraint) and cost words that differ from the digits (caught
only by a SHACL-SPARQL rule), so agreement is checked on a non-empty report too.

Engines whose package is not installed are reported as such; the candidates
are in the ``bench`` extra of pyproject.toml.
"""

from __future__ import annotations

import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

ENGINES = ("pyshacl", "shacl_rust", "pyshacl_turbo")
SH = "http://www.w3.org/ns/shacl#"


def make_inputs(passports: int, defects: bool, folder: Path) -> tuple[Path, Path, int]:
    """Write data.nt (graph + ontology) and shapes.ttl into ``folder``."""
    from rdflib import Graph, Literal, URIRef

    from kzbudget_graph.graph.rdf import build_dataset
    from kzbudget_graph.graph.serialize import union
    from kzbudget_graph.graph.validate import load_ontology, load_shapes
    from synthetic import synthetic_documents

    data = union(build_dataset(synthetic_documents(passports)))
    if defects:
        kzb = "https://w3id.org/kzbudget/ontology#"
        words = URIRef(kzb + "costInWordsValue")
        obs = next(iter(data.subjects(words, None)))
        data.set((obs, words, Literal(1)))  # caught only by a SHACL-SPARQL rule
        year = URIRef(kzb + "fiscalYear")
        passport = next(iter(data.subjects(year, None)))
        data.remove((passport, year, None))  # a core sh:minCount
    merged = Graph()
    for triple in data:
        merged.add(triple)
    for triple in load_ontology():
        merged.add(triple)
    data_file, shapes_file = folder / "data.nt", folder / "shapes.ttl"
    merged.serialize(data_file, format="nt", encoding="utf-8")
    load_shapes().serialize(shapes_file, format="turtle")
    return data_file, shapes_file, len(merged)


def run_engine(engine: str, data: Path, shapes: Path) -> dict:
    """Validate with one engine; findings counted per (shape, component)."""
    started = time.perf_counter()
    counts: Counter[str] = Counter()
    if engine == "pyshacl":
        from pyshacl import validate
        from rdflib import Graph, Namespace

        sh = Namespace(SH)
        g, s = Graph().parse(data), Graph().parse(shapes)
        _, report, _ = validate(g, shacl_graph=s, advanced=True, allow_warnings=True)
        for result in report.subjects(sh.sourceShape, None):
            shape = report.value(result, sh.sourceShape)
            key = shape.n3() if not shape.n3().startswith("_:") else "_:"
            counts[f"{key} {report.value(result, sh.sourceConstraintComponent).n3()}"] += 1
    elif engine == "shacl_rust":
        import shacl_rust

        report = shacl_rust.validate_file(str(data), str(shapes))
        for r in report["results"]:
            key = r["sourceShape"] if not r["sourceShape"].startswith("_:") else "_:"
            counts[f"{key} {r['sourceConstraintComponent']}"] += 1
    elif engine == "pyshacl_turbo":
        import pyshacl_turbo
        from rdflib import Graph, Namespace

        sh = Namespace(SH)
        _, report, _ = pyshacl_turbo.validate(
            str(data), shacl_graph=str(shapes), advanced=True, allow_warnings=True
        )
        if not isinstance(report, Graph):
            report = Graph().parse(data=report, format="turtle")
        for result in report.subjects(sh.sourceShape, None):
            shape = report.value(result, sh.sourceShape)
            key = shape.n3() if not shape.n3().startswith("_:") else "_:"
            counts[f"{key} {report.value(result, sh.sourceConstraintComponent).n3()}"] += 1
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": round(seconds, 2), "peak_mb": round(peak), "counts": dict(counts)}


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if sys.argv[1:2] == ["--engine"]:
        print(json.dumps(run_engine(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))))
        return
    passports = int(args[0]) if args else 1000
    defects = "--defects" in sys.argv
    with tempfile.TemporaryDirectory() as tmp:
        data, shapes, triples = make_inputs(passports, defects, Path(tmp))
        print(f"machine: {platform.machine()}, CPython {platform.python_version()}")
        print(f"{passports} passports, {triples} triples (data + ontology), defects={defects}")
        print(f"{'engine':<15} {'seconds':>8} {'peak MB':>8} {'findings':>9}  agrees with pyshacl")
        reference = None
        for engine in ENGINES:
            proc = subprocess.run(
                [sys.executable, __file__, "--engine", engine, str(data), str(shapes)],
                capture_output=True,
                text=True,
            )
            if proc.returncode:
                last = (proc.stderr.strip().splitlines() or ["?"])[-1][:70]
                print(f"{engine:<15} {'-':>8} {'-':>8} {'-':>9}  failed: {last}")
                continue
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            total = sum(r["counts"].values())
            if reference is None:
                reference = r["counts"]
            agrees = "reference" if engine == "pyshacl" else str(r["counts"] == reference).lower()
            print(f"{engine:<15} {r['seconds']:>8.2f} {r['peak_mb']:>8} {total:>9}  {agrees}")
            if engine != "pyshacl" and r["counts"] != reference:
                for key in sorted(set(r["counts"]) | set(reference)):
                    a, b = reference.get(key, 0), r["counts"].get(key, 0)
                    if a != b:
                        print(f"    {key}: pyshacl {a}, {engine} {b}")


if __name__ == "__main__":
    main()
