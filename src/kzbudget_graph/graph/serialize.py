"""RDF files in and out: Turtle, N-Triples, JSON-LD and TriG (named graphs).

Turtle, N-Triples and JSON-LD hold the union of the named graphs; TriG keeps
one named graph per source document.
"""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Dataset, Graph

from ..errors import KzbudgetError
from ..output import write_atomic
from ..terminal import safe

FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig", "nq": "nquads"}
SUFFIXES = {
    ".ttl": "ttl",
    ".nt": "nt",
    ".jsonld": "jsonld",
    ".json": "jsonld",
    ".trig": "trig",
    ".nq": "nq",
}
QUADS = {"trig", "nq"}


def union(dataset: Dataset) -> Graph:
    """All triples of all named graphs, as one graph (prefixes kept)."""
    graph = Graph()
    for prefix, ns in dataset.namespaces():
        graph.bind(prefix, ns, override=True)
    for g in dataset.graphs():
        graph += g
    return graph


def serialize(dataset: Dataset, fmt: str) -> str:
    if fmt not in FORMATS:
        raise KzbudgetError(f"unknown graph format {fmt!r} (use one of {', '.join(FORMATS)})")
    if fmt in QUADS:
        return dataset.serialize(format=FORMATS[fmt])
    return union(dataset).serialize(format=FORMATS[fmt])


def write_graph(dataset: Dataset, path: str | Path, fmt: str | None = None) -> None:
    """Serialise and write atomically; the format defaults to the file's suffix."""
    fmt = fmt or format_of(path)
    write_atomic(path, serialize(dataset, fmt))


def format_of(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise KzbudgetError(
            f"{path}: cannot tell the graph format from the suffix {suffix!r} "
            f"(use {', '.join(SUFFIXES)})"
        )
    return SUFFIXES[suffix]


def read_graph(path: str | Path) -> Dataset:
    """Read a graph file; triples formats land in the default graph."""
    path = Path(path)
    fmt = format_of(path)
    if not path.is_file():
        raise KzbudgetError(f"{path}: no such graph file")
    if fmt == "jsonld":
        _refuse_remote_contexts(path)
    ds = Dataset()
    try:
        if fmt in QUADS:
            ds.parse(path, format=FORMATS[fmt])
        else:
            ds.default_context.parse(path, format=FORMATS[fmt])
    except Exception as exc:  # rdflib raises many parser error types
        message = " ".join(safe(exc).split())[:300]
        raise KzbudgetError(f"{safe(path)}: cannot parse as {FORMATS[fmt]} ({message})") from None
    return ds


def _refuse_remote_contexts(path: Path) -> None:
    """Refuse a JSON-LD file whose ``@context`` or ``@import`` names a URL.

    rdflib would fetch it: a network request the user did not ask for (and a
    server that never answers would hang the command). Inline contexts are fine.
    """
    try:
        data = json.loads(path.read_bytes())
    except (ValueError, OSError) as exc:
        raise KzbudgetError(f"{safe(path)}: not JSON ({safe(exc)[:200]})") from None
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("@context", "@import"):
                    refs = value if isinstance(value, list) else [value]
                    if any(isinstance(r, str) for r in refs):
                        raise KzbudgetError(
                            f"{safe(path)}: the JSON-LD names a remote {key}; it is not fetched "
                            "(inline the context in the file)"
                        )
                stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
