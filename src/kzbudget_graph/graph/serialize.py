"""RDF files in and out: Turtle, N-Triples, JSON-LD, TriG and N-Quads.

Turtle, N-Triples and JSON-LD hold the union of the named graphs; TriG and
N-Quads keep one named graph per source document.

The build writes with pyoxigraph (:func:`serialize_document`): each
document's triples, in the mapper's order, straight to bytes that are
appended to the output file, so a build streams and two builds are
byte-identical. rdflib writes only JSON-LD (:mod:`.jsonld`) and the
files the other commands read and rewrite (:func:`serialize`).
"""

from __future__ import annotations

import contextlib
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef

from ..errors import KzbudgetError
from ..output import write_atomic
from ..terminal import safe
from .identifiers import Identifiers
from .jsonld import read_jsonld, to_jsonld
from .rdf import DocumentTriples, prefixes, to_rdflib

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
# the formats pyoxigraph writes; documents written one by one concatenate
# into one valid file (each Turtle/TriG part repeats its @prefix lines)
OX_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
}


def serialize_document(
    document: DocumentTriples, fmt: str, prefixes: dict[str, str], ntriples: bytes | None = None
) -> bytes:
    """One document's graph in ``fmt`` (a key of :data:`OX_FORMATS`), by pyoxigraph.

    N-Quads are the document's N-Triples (``ntriples``, when the caller has
    them) with the graph name put before each line's final `` .``: pyoxigraph
    writes one triple per line, every line ending in `` .\n`` and no newline
    inside a term, so this is its own N-Quads byte for byte, 6× faster than
    making a quad object per triple. TriG is written from those N-Quads."""
    if fmt not in OX_FORMATS:
        raise KzbudgetError(f"pyoxigraph does not write {fmt!r}")
    if fmt == "nq" and ntriples is not None:
        return nquads_from_ntriples(ntriples, document.name.value)
    if fmt == "trig":
        # pyoxigraph reads the document's N-Quads and writes them as TriG: the
        # same quads, with no quad object made in Python per triple (2× faster)
        nquads = nquads_from_ntriples(
            document.ntriples() if ntriples is None else ntriples, document.name.value
        )
        quads = ox.parse(nquads, format=ox.RdfFormat.N_QUADS)
        return ox.serialize(quads, format=OX_FORMATS[fmt], prefixes=prefixes)
    if fmt in QUADS:
        return ox.serialize(document.quads(), format=OX_FORMATS[fmt], prefixes=prefixes)
    return ox.serialize(document.triples, format=OX_FORMATS[fmt], prefixes=prefixes)


def nquads_from_ntriples(ntriples: bytes, graph: str) -> bytes:
    """N-Triples as pyoxigraph writes them (each line ending in `` .\n``, no line
    feed inside a term), as N-Quads of graph ``graph``: its name put before each
    line's final `` .`` — pyoxigraph's own N-Quads byte for byte (tested)."""
    return ntriples.replace(b" .\n", b" <" + graph.encode("utf-8") + b"> .\n")


def add_to_dataset(dataset: Dataset, name: str, ntriples: bytes) -> None:
    """Add one document's N-Triples to an rdflib dataset, for the JSON-LD writer."""
    graph = dataset.graph(name)
    to_rdflib(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES), graph)


def union(dataset: Dataset) -> Graph:
    """All triples of all named graphs, as one graph (prefixes kept)."""
    graph = Graph()
    for prefix, ns in dataset.namespaces():
        graph.bind(prefix, ns, override=True)
    for g in dataset.graphs():
        graph += g
    return graph


def serialize(dataset: Dataset, fmt: str) -> str:
    """An rdflib dataset in ``fmt``: JSON-LD by rdflib, the others by pyoxigraph
    (rdflib's Turtle writes an integral ``xsd:decimal`` bare, which reads back as
    an integer)."""
    if fmt not in FORMATS:
        raise KzbudgetError(f"unknown graph format {fmt!r} (use one of {', '.join(FORMATS)})")
    if fmt == "jsonld":
        return to_jsonld(union(dataset))  # compact, with the published context
    default = dataset.default_graph.identifier
    quads = [
        ox.Quad(
            _ox_term(s),
            _ox_term(p),
            _ox_term(o),
            ox.DefaultGraph() if g is None or g == default else _ox_term(g),
        )
        for s, p, o, g in dataset.quads((None, None, None, None))
    ]
    quads.sort(key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
    names = dict(dataset.namespaces())
    used = {k: str(v) for k, v in prefixes(Identifiers()).items() if names.get(k) == URIRef(v)}
    if fmt in QUADS:
        return ox.serialize(quads, format=OX_FORMATS[fmt], prefixes=used).decode("utf-8")
    triples = list(dict.fromkeys(q.triple for q in quads))
    return ox.serialize(triples, format=OX_FORMATS[fmt], prefixes=used).decode("utf-8")


def _ox_term(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    # a graph given by its Graph object
    return _ox_term(term.identifier)


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


OX_READ = {**OX_FORMATS, "jsonld": ox.RdfFormat.JSON_LD}


STDIN = "-"


@contextlib.contextmanager
def graph_input(path: str | Path) -> Iterator[Path]:
    """The graph file to read: ``path`` itself, or for ``-`` standard input
    kept in a temporary file (removed afterwards) named for its format.

    Standard input has no suffix to tell the format by: JSON-LD starts with
    ``{`` or ``[``; anything else is TriG (which reads Turtle and N-Triples
    too) unless it parses only as N-Quads.
    """
    if str(path) != STDIN:
        yield Path(path)
        return
    with tempfile.TemporaryDirectory(prefix="kzbudget-stdin.") as folder:
        spool = Path(folder) / "stdin"
        with spool.open("wb") as fh:
            shutil.copyfileobj(sys.stdin.buffer, fh)  # to disk: never whole in memory
        stdin = spool.rename(spool.with_suffix(_sniffed_suffix(spool)))
        try:
            yield stdin
        except KzbudgetError as exc:  # name what the user gave, not the temporary file
            message = str(exc).replace(safe(stdin), "<stdin>").replace(str(stdin), "<stdin>")
            raise KzbudgetError(message) from None


def _sniffed_suffix(path: Path) -> str:
    with path.open("rb") as fh:
        start = fh.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    if start[:1] in (b"{", b"["):
        return ".jsonld"
    for suffix, fmt in ((".trig", ox.RdfFormat.TRIG), (".nq", ox.RdfFormat.N_QUADS)):
        try:
            for _quad in ox.parse(path=str(path), format=fmt):  # streamed
                pass
        except (SyntaxError, ValueError):
            continue
        return suffix
    return ".trig"  # neither: the TriG parser's message will say where


def _check_regular(path: Path) -> None:
    """A graph file must exist and be a regular file: a FIFO or a device would
    block or never end."""
    if not path.exists():
        raise KzbudgetError(f"{safe(path)}: no such graph file")
    if not path.is_file():
        raise KzbudgetError(f"{safe(path)}: not a regular file (a directory, FIFO or device)")


def check_graph_file(path: str | Path) -> ox.RdfFormat:
    """The pyoxigraph format of a graph file that exists (and, for JSON-LD, names
    no remote context), for reading it streamed."""
    path = Path(path)
    fmt = format_of(path)
    _check_regular(path)
    if fmt == "jsonld":
        read_jsonld(path)  # refuses any remote context but the project's own
    return OX_READ[fmt]


def read_graph(path: str | Path) -> Dataset:
    """Read a graph file; triples formats land in the default graph."""
    path = Path(path)
    fmt = format_of(path)
    _check_regular(path)
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
