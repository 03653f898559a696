"""RDF files in and out: Turtle, N-Triples, JSON-LD and TriG (named graphs).

Turtle, N-Triples and JSON-LD hold the union of the named graphs; TriG keeps
one named graph per source document.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph

from ..errors import KzbudgetError
from ..output import write_atomic
from ..terminal import safe
from .jsonld import read_jsonld, to_jsonld

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
    if fmt == "jsonld":
        return to_jsonld(union(dataset))  # compact, with the published context
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
    # JSON-LD: the project's context resolved locally, any other remote one refused
    text = read_jsonld(path) if fmt == "jsonld" else None
    ds = Dataset()
    try:
        if text is not None:
            ds.default_context.parse(data=text, format=FORMATS[fmt])
        elif fmt in QUADS:
            ds.parse(path, format=FORMATS[fmt])
        else:
            ds.default_context.parse(path, format=FORMATS[fmt])
    except Exception as exc:  # rdflib raises many parser error types
        message = " ".join(safe(exc).split())[:300]
        raise KzbudgetError(f"{safe(path)}: cannot parse as {FORMATS[fmt]} ({message})") from None
    return ds
