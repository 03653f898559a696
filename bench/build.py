"""Build steps after extraction, at scale: map, validate, write, load (issue #14).

    python bench/build.py [N ...] [--no-remote] [--no-store]   (default: 1000 10000)

Each size runs in a fresh process, so its peak memory (ru_maxrss) is its own.
The documents are bench/synthetic.py's distinct passports (7 per document),
made one at a time; per document, as ``kzbudget build`` does it:

* map: the model → pyoxigraph triples (graph/rdf.py);
* nt: the triples → N-Triples, the bytes that are validated and stored;
* validate: shacl-rust on those bytes (ontology and shapes prepared once);
* write: TriG (pyoxigraph), appended to the output file;
* store: each graph into an on-disk embedded store (one transaction each);

then the remote load: the N-Quads of the same graphs streamed by
``kzbudget load``'s code into a real Oxigraph server on loopback, and, for
comparison, the server's own bulk loader (``oxigraph load``) on the same file;
and, where Virtuoso is installed, the same file into fresh Virtuoso servers
through its Graph Store endpoint and with ``--bulk`` (its own loader).
Wall seconds and CPU seconds of this process are given for each step; the
remote figures add the server's CPU (a child process).
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

STEPS = ("extract", "map", "nt", "validate", "write", "store")


class Clock:
    """Wall and CPU seconds per step."""

    def __init__(self) -> None:
        self.wall = dict.fromkeys(STEPS, 0.0)
        self.cpu = dict.fromkeys(STEPS, 0.0)
        self._step = ""

    def start(self, step: str) -> None:
        self._step, self._wall, self._cpu = step, time.perf_counter(), time.process_time()

    def stop(self) -> None:
        self.wall[self._step] += time.perf_counter() - self._wall
        self.cpu[self._step] += time.process_time() - self._cpu


def one(passports: int, remote: bool, embedded: bool = True) -> dict:

    from kzbudget_graph.graph.identifiers import Identifiers
    from kzbudget_graph.graph.link import Linker, load_known_acts
    from kzbudget_graph.graph.rdf import document_triples, prefixes
    from kzbudget_graph.graph.serialize import serialize_document
    from kzbudget_graph.graph.validate import load_ontology, load_shapes, validate_ntriples
    from kzbudget_graph.store.store import EmbeddedStore
    from synthetic import iter_synthetic_documents

    ids, linker = Identifiers(), Linker(load_known_acts(None))
    shapes, ontology = load_shapes(), load_ontology()
    pre = prefixes(ids)
    clock = Clock()
    out: dict = {"passports": 0, "documents": 0, "triples": 0, "violations": 0}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        trig, nq = open(tmp / "graph.trig", "wb"), open(tmp / "graph.nq", "wb")  # noqa: SIM115
        started = time.perf_counter()
        with EmbeddedStore(tmp / "store") as store:
            documents = iter_synthetic_documents(passports)
            while True:
                clock.start("extract")  # copying + varying the model: not the reader
                doc = next(documents, None)
                clock.stop()
                if doc is None:
                    break
                clock.start("map")
                mapped = document_triples(doc, ids, linker)
                clock.stop()
                clock.start("nt")
                data = mapped.ntriples()
                clock.stop()
                clock.start("validate")
                report = validate_ntriples(data, shapes, ontology)
                clock.stop()
                clock.start("write")
                trig.write(serialize_document(mapped, "trig", pre))
                nq.write(serialize_document(mapped, "nq", pre))  # for the remote load
                clock.stop()
                if embedded:
                    clock.start("store")
                    store.replace_graph_data(mapped.name.value, data)
                    clock.stop()
                out["passports"] += len(doc.passports)
                out["documents"] += 1
                out["triples"] += len(mapped)
                out["violations"] += len(report.violations)
        out["total_s"] = round(time.perf_counter() - started, 2)
        trig.close()
        nq.close()
        out["wall_s"] = {k: round(v, 2) for k, v in clock.wall.items()}
        out["cpu_s"] = {k: round(v, 2) for k, v in clock.cpu.items()}
        out["store_triples_per_s"] = round(out["triples"] / max(clock.wall["store"], 1e-9))
        out["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        if remote:
            out.update(remote_load(tmp / "graph.nq", tmp, out["triples"]))
    return out


def remote_load(nq: Path, tmp: Path, triples: int) -> dict:
    """``kzbudget load``'s two paths into fresh Oxigraph servers (PUT per graph, and
    ``--bulk``), then the server's own offline loader (``oxigraph load``)."""
    import pyoxigraph as ox

    from kzbudget_graph.store.store import RemoteEndpoint, bulk_load, plan_load, stream_load

    from servers import oxigraph_binary, start_oxigraph

    out = {}
    started = time.perf_counter()
    plan = plan_load(nq, ox.RdfFormat.N_QUADS)
    out["remote_plan_s"] = round(time.perf_counter() - started, 2)
    for label in ("remote", "remote_bulk"):
        server = start_oxigraph(tmp / label)
        try:
            target = RemoteEndpoint(server.store_url)
            before = resource.getrusage(resource.RUSAGE_SELF)
            started = time.perf_counter()
            if label == "remote":
                sent = stream_load(target, nq, ox.RdfFormat.N_QUADS, plan)
            else:
                sent = bulk_load(target, nq, ox.RdfFormat.N_QUADS, plan, set())
            wall = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_SELF)
        finally:
            server.stop()
        assert sent == triples
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        out[f"{label}_s"] = round(wall, 2)
        out[f"{label}_triples_per_s"] = round(triples / wall)
        out[f"{label}_client_cpu_s"] = round(cpu, 2)
        # the servers are children: their CPU so far, cumulated
        out[f"{label}_servers_cpu_s"] = round(children.ru_utime + children.ru_stime, 2)
    out.update(virtuoso_load(nq, tmp, plan, triples))
    out["remote_peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    started = time.perf_counter()
    subprocess.run(
        [oxigraph_binary(), "load", "--location", str(tmp / "bulk"), "--file", str(nq)],
        check=True,
        capture_output=True,
    )
    out["bulk_s"] = round(time.perf_counter() - started, 2)
    out["bulk_triples_per_s"] = round(triples / out["bulk_s"])
    return out


def virtuoso_load(nq: Path, tmp: Path, plan, triples: int) -> dict:
    """``kzbudget load``'s two paths into fresh Virtuoso servers (chunks through
    the Graph Store endpoint, and ``--bulk``: Virtuoso's own loader reads the
    file, linked into the server's directory), if Virtuoso is installed."""
    import pyoxigraph as ox

    from kzbudget_graph.store.store import RemoteEndpoint, stream_load, virtuoso_bulk_load

    from servers import start_virtuoso, virtuoso_missing

    if virtuoso_missing():
        return {}
    os.environ.update({"KZBUDGET_ENDPOINT_USER": "dba", "KZBUDGET_ENDPOINT_PASSWORD": "dba"})
    out = {}
    for label in ("virtuoso", "virtuoso_bulk"):
        server = start_virtuoso(tmp / label)
        try:
            target = RemoteEndpoint(server.store_url, timeout=600)
            started = time.perf_counter()
            if label == "virtuoso":
                sent = stream_load(target, nq, ox.RdfFormat.N_QUADS, plan)
            else:
                linked = server.location / nq.name
                os.link(nq, linked)
                sql = RemoteEndpoint(server.base + "/sparql-auth", timeout=600)
                sent = virtuoso_bulk_load(sql, linked, plan, set())
            wall = time.perf_counter() - started
        finally:
            server.stop()
        assert sent == triples
        out[f"{label}_s"] = round(wall, 2)
        out[f"{label}_triples_per_s"] = round(triples / wall)
    return out


def main() -> None:
    args = sys.argv[1:]
    remote, embedded = "--no-remote" not in args, "--no-store" not in args
    flags = [a for a in args if a.startswith("--no-")]
    args = [a for a in args if a not in flags]
    if args and args[0] == "--one":
        print(json.dumps(one(int(args[1]), remote, embedded)))
        return
    sizes = [int(a) for a in args] or [1000, 10000]
    python = platform.python_version()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, CPython {python}")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for n in sizes:
        proc = subprocess.run(
            [sys.executable, __file__, "--one", str(n), *flags],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        print(
            f"\nN={r['passports']} ({r['documents']} documents, {r['triples']} triples, "
            f"{r['violations']} violations): {r['total_s']} s, peak {r['peak_mb']} MB"
        )
        for step in STEPS:
            print(f"  {step:<9} {r['wall_s'][step]:>7.2f} s wall {r['cpu_s'][step]:>7.2f} s CPU")
        if r["wall_s"]["store"]:
            print(f"  store     {r['store_triples_per_s']:,} triples/s")
        if "remote_s" in r:
            print(f"  checking  {r['remote_plan_s']} s (the load's first pass over the file)")
            for label, name in (("remote", "PUT/graph"), ("remote_bulk", "--bulk")):
                print(
                    f"  {name:<9} {r[label + '_s']} s, {r[label + '_triples_per_s']:,} triples/s, "
                    f"client CPU {r[label + '_client_cpu_s']} s, "
                    f"servers' CPU so far {r[label + '_servers_cpu_s']} s"
                )
            for label, how in (("virtuoso", "Graph Store"), ("virtuoso_bulk", "--bulk")):
                if label + "_s" in r:
                    rate = f"{r[label + '_triples_per_s']:,}"
                    print(f"  virtuoso  {r[label + '_s']} s, {rate} triples/s ({how})")
            print(f"  client    peak {r['remote_peak_mb']} MB")
            rate = f"{r['bulk_triples_per_s']:,}"
            print(f"  offline   oxigraph load: {r['bulk_s']} s, {rate} triples/s")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
