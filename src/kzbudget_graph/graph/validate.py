"""Step 6a — validate: SHACL shapes (``shapes/``) over a graph, with readable findings.

The ontology is mixed into the data graph while validating (it holds the
concept schemes and the usual issuer of each act type that the SHACL-SPARQL
rules read), and SHACL-SPARQL is enabled.

Two engines give the same findings (a test compares them shape by shape on
the corpus and on every defect of the shape tests):

* ``shacl-rust`` (default): the PyPI package ``shacl-rust``, a SHACL Core +
  SHACL-SPARQL validator written in Rust that passes the W3C test suite; it
  validates a 1,000-passport graph some 60× faster than pyshacl
  (``bench/validators.py``);
* ``pyshacl``: the reference engine, with the SHACL-SPARQL rules evaluated
  once per rule over the whole graph rather than per focus node.

Each :class:`Finding` names the severity, the focus node with its label, the
path, the message and — where the focus node has one — the span of source
text it was read from, so a reviewer can go straight to the words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import RDF, RDFS, XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, SH, SKOS
from rdflib.term import Node

from ..errors import KzbudgetError
from ..resources import ontology_file, project_dir
from .identifiers import DEFAULT_BASE, KZB
from .namespaces import OA

_SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(slots=True)
class Finding:
    severity: str  # Violation | Warning | Info
    focus: str
    label: str | None
    path: str | None
    message: str
    shape: str  # the node shape the broken rule belongs to
    span: tuple[int, int] | None
    quote: str | None
    # the reader already reported this fact (same passage) as an extraction
    # warning: a report shows it once
    repeats: bool = False

    @property
    def key(self) -> tuple[str, str, str | None, str]:
        """The same finding reported by several documents has the same key."""
        return (self.shape, self.focus, self.path, self.message)


@dataclass(slots=True)
class Report:
    findings: list[Finding]

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Warning"]

    @property
    def conforms(self) -> bool:
        return not self.violations


def load_shapes(shapes_dir: str | Path | None = None) -> Graph:
    """All ``*.ttl`` files of a shapes directory, as one graph."""
    directory = Path(shapes_dir) if shapes_dir else project_dir("shapes")
    files = sorted(directory.glob("*.ttl"))
    if not files:
        raise KzbudgetError(f"{directory}: no SHACL shapes (*.ttl) found")
    shapes = Graph()
    for f in files:
        try:
            shapes.parse(f, format="turtle")
        except Exception as exc:  # rdflib raises many parser error types
            raise KzbudgetError(f"{f}: cannot parse the shapes ({exc})") from exc
    return shapes


def load_ontology(base: str = DEFAULT_BASE) -> Graph:
    """The ontology, its instances (the issuers under ``id/organization/``)
    named under ``base`` — the base the data was built with (``--base``), so
    an act's issuer is the ontology's organisation whatever the base."""
    text = ontology_file().read_text(encoding="utf-8")
    if base != DEFAULT_BASE:
        text = text.replace(f"<{DEFAULT_BASE}id/", f"<{base}id/")
    g = Graph()
    g.parse(data=text, format="turtle")
    return g


ENGINES = ("shacl-rust", "pyshacl")


def validate_ntriples(
    data: bytes,
    shapes: Graph | None = None,
    ontology: Graph | None = None,
    *,
    engine: str = "shacl-rust",
) -> Report:
    """Validate one graph given as N-Triples — the bytes the build writes and
    loads, so what is validated is exactly what is stored. The findings'
    labels and passages are read from those bytes as pyoxigraph or rdflib
    writes them (see :class:`_Lookup`).

    With shacl-rust no rdflib graph is made: the engine parses the text, and
    the few nodes a finding names are looked up in the N-Triples themselves.
    """
    shapes = shapes if shapes is not None else load_shapes()
    ontology = ontology if ontology is not None else load_ontology()
    if engine == "shacl-rust":
        return _validate_rust(data, shapes, ontology)
    if engine not in ENGINES:
        raise KzbudgetError(f"unknown SHACL engine {engine!r} (one of {', '.join(ENGINES)})")
    # one parse of data + ontology: no per-document copy of either
    combined = Graph()
    combined.parse(data=data.decode("utf-8") + _once(_ontology_nt, ontology), format="nt")
    return _validate_pyshacl(combined, combined, shapes)


def validate_graph(
    data: Graph,
    shapes: Graph | None = None,
    ontology: Graph | None = None,
    *,
    engine: str = "shacl-rust",
    engine_sparql: bool = True,
) -> Report:
    """Validate ``data``; the report lists every finding, warnings included.

    ``engine`` is ``shacl-rust`` (fast, default) or ``pyshacl`` (the
    reference). With pyshacl, ``engine_sparql=False`` leaves SHACL-SPARQL to
    pyshacl too (slower, same findings).
    """
    shapes = shapes if shapes is not None else load_shapes()
    ontology = ontology if ontology is not None else load_ontology()
    if engine not in ENGINES:
        raise KzbudgetError(f"unknown SHACL engine {engine!r} (one of {', '.join(ENGINES)})")
    if engine == "shacl-rust":
        return _validate_rust(data.serialize(format="nt", encoding="utf-8"), shapes, ontology)
    # The rules read the ontology's concept schemes and issuers, so validate
    # the data together with it (pyshacl mixes ont_graph in only when inferring).
    combined = Graph()
    combined += data
    combined += ontology
    return _validate_pyshacl(combined, data, shapes, engine_sparql)


def _validate_pyshacl(
    combined: Graph, data: Graph, shapes: Graph, engine_sparql: bool = True
) -> Report:
    """pyshacl over ``combined`` (data + ontology); ``data`` names the findings."""
    if not engine_sparql:
        _conforms, results, _text = shacl_validate(
            combined, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
        )
        return Report(_sort(_findings(results, data, shapes)))
    core, constraints = _once(_split_sparql, shapes)
    _conforms, results, _text = shacl_validate(
        combined, shacl_graph=core, inference="none", advanced=True, allow_warnings=True
    )
    findings = _findings(results, data, shapes)
    for constraint in constraints:
        findings.extend(constraint.run(combined, data))
    return Report(_sort(findings))


@dataclass(slots=True)
class _SparqlConstraint:
    """A SHACL-SPARQL constraint, run once over the whole graph.

    pyshacl parses a constraint's query again for every focus node, which
    made it 70 % of validation time. Binding ``$this`` through the shape's
    target class instead gives the same results (tested) with one query.
    """

    shape: Node
    target: Node
    query: str
    message: str
    severity: str

    def run(self, combined: Graph, data: Graph) -> list[Finding]:
        out = []
        # a node typed with the target class and a subclass of it matches the
        # type pattern twice; pyshacl sees it once as a focus node
        seen = set()
        for row in combined.query(self.query):
            if tuple(row) in seen:
                continue
            seen.add(tuple(row))
            values = row.asdict()
            focus = values.get("this")
            message = _fill(self.message, values)
            span, quote = _source_of(data, focus)
            out.append(
                Finding(
                    self.severity,
                    str(focus),
                    _label(data, focus),
                    None,
                    message,
                    str(self.shape),
                    span,
                    quote,
                )
            )
        return out


def _fill(template: str, values: dict) -> str:
    """Substitute ``{?var}`` in a SHACL message, as pyshacl does."""
    return re.sub(r"\{[?$](\w+)\}", lambda m: str(values.get(m.group(1), "")), template)


def _english(messages: list) -> str | None:
    """One message of several languages: English if given, else the first by language tag.

    pyshacl returns them in no fixed order; the report must not change between runs.
    """
    if not messages:
        return None
    return sorted(messages, key=lambda m: (getattr(m, "language", None) != "en", str(m)))[0]


_OTHER_TARGETS = (SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


def _fast_path_fits(shapes: Graph, shape: Node, constraint: Node) -> bool:
    """Whether the one-query evaluation gives exactly pyshacl's findings.

    It binds ``$this`` through ``sh:targetClass`` only and fills one message,
    so a shape with other targets, a deactivated shape or constraint, or
    messages in several languages is left to pyshacl.
    """
    if any(shapes.objects(shape, target) for target in _OTHER_TARGETS):
        return False
    if not any(shapes.objects(shape, SH.targetClass)):
        return False
    for node in (shape, constraint):
        if shapes.value(node, SH.deactivated) == Literal(True):
            return False
    return len(list(shapes.objects(constraint, SH.message))) <= 1


_T = TypeVar("_T")
_READ_ONCE: dict[tuple[Callable, int], tuple[Graph, object]] = {}


def _once(read: Callable[[Graph], _T], graph: Graph) -> _T:
    """``read(graph)``, once per process for one graph object (the shapes and
    the ontology are the same objects for every document). Keyed by the
    object's identity, with the object kept, so its id is not another's."""
    key = (read, id(graph))
    cached = _READ_ONCE.get(key)
    if cached is None or cached[0] is not graph:
        cached = _READ_ONCE[key] = (graph, read(graph))
    return cached[1]  # type: ignore[return-value]


def _split_sparql(shapes: Graph) -> tuple[Graph, list[_SparqlConstraint]]:
    """The shapes without their sh:sparql constraints, and those constraints."""
    core = Graph()
    core += shapes
    constraints = []
    for shape, constraint in shapes.subject_objects(SH.sparql):
        if not _fast_path_fits(shapes, shape, constraint):
            continue  # pyshacl evaluates it, with the full semantics
        core.remove((shape, SH.sparql, constraint))
        prefixes = "".join(
            f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n"
            for decl in shapes.objects(constraint, SH.prefixes)
            for d in shapes.objects(decl, SH.declare)
        )
        select = str(shapes.value(constraint, SH.select)).replace("$this", "?this")
        for target in shapes.objects(shape, SH.targetClass):
            bound = re.sub(
                r"(?i)WHERE\s*\{",
                f"WHERE {{ ?this a/<{RDFS.subClassOf}>* <{target}> .",
                select,
                count=1,
            )
            severity = _SEVERITY.get(shapes.value(shape, SH.severity), "Violation")
            message = str(shapes.value(constraint, SH.message) or "")
            constraints.append(
                _SparqlConstraint(shape, target, prefixes + bound, message, severity)
            )
    return core, constraints


# --- the shacl-rust engine -------------------------------------------------------

_NT_TERM = re.compile(r'"((?:[^"\\]|\\.)*)"(?:\^\^<[^>]*>|@[A-Za-z0-9-]+)?|<([^<>\s]*)>')


def _prepared_shapes(shapes: Graph) -> tuple[str, dict[str, Node]]:
    """The shapes as Turtle for shacl-rust (read :func:`_once`).

    Blank property shapes get an IRI first: a finding names its source shape,
    and a blank node's label would not survive the trip.
    """
    named = Graph()
    named += shapes
    owners: dict[str, Node] = {}
    for k, (node_shape, prop) in enumerate(sorted(shapes.subject_objects(SH.property))):
        owners[str(prop)] = node_shape
        if isinstance(prop, BNode):
            iri = URIRef(f"urn:kzbudget:shape:{k}")
            for p, o in shapes.predicate_objects(prop):
                named.remove((prop, p, o))
                named.add((iri, p, o))
            named.remove((node_shape, SH.property, prop))
            named.add((node_shape, SH.property, iri))
            owners[str(iri)] = node_shape
    return named.serialize(format="turtle"), owners


def _ontology_nt(ontology: Graph) -> str:
    return ontology.serialize(format="nt")


def _validate_rust(data: bytes, shapes: Graph, ontology: Graph) -> Report:
    import shacl_rust  # a compiled extension: imported when first needed

    shapes_text, owners = _once(_prepared_shapes, shapes)
    # the engine takes one text; the ontology's N-Triples were written once
    data_text = data.decode("utf-8") + _once(_ontology_nt, ontology)
    try:
        # the interned index: the same findings (the differential test runs this
        # engine), validation 4-5x faster on a document graph
        report = shacl_rust.validate(
            data_text, shapes_text, data_format="nt", experimental_index=True
        )
    except ValueError as exc:
        raise KzbudgetError(f"SHACL validation failed: {' '.join(str(exc).split())}") from None
    del data_text
    if not report["results"]:
        return Report([])
    templates = _once(_message_templates, shapes)
    data = _Lookup(data)
    found = []
    for r in report["results"]:
        focus = _term(r["focusNode"])
        shape = _term(r["sourceShape"])
        owner = owners.get(shape, shape)
        severity = r["severity"].strip("<>").rsplit("#", 1)[-1]
        node = URIRef(focus) if not focus.startswith("_:") else None
        span, quote = _source_of(data, node)
        path = _term(r["resultPath"]) if r.get("resultPath") else None
        found.append(
            Finding(
                severity=severity,
                focus=focus,
                label=_label(data, node),
                path=shapes.namespace_manager.normalizeUri(URIRef(path)) if path else None,
                message=_message(r["messages"], templates.get(shape, ())),
                shape=str(owner),
                span=span,
                quote=quote,
            )
        )
    return Report(_sort(found))


class _Lookup:
    """Labels and source spans of the nodes findings name, read from the data's
    N-Triples as pyoxigraph and rdflib write them (one triple per line, terms
    apart by one space, `` .`` and a line feed at its end, IRIs unescaped).

    A finding names a handful of nodes; scanning the bytes for their lines
    (about 0.15 ms a scan of a document) costs a fraction of loading every
    triple into a store for them (some 14 ms a document).
    """

    def __init__(self, ntriples: bytes) -> None:
        self.data = ntriples
        self._described: dict[str, list[ox.Quad]] = {}

    def _lines(self, needle: bytes, *, first: bool) -> list[ox.Quad]:
        """The triples of the lines that start (``first``) or end with ``needle``."""
        data, starts = self.data, []
        at = data.find(needle)
        while at >= 0:
            after = at + len(needle)
            if first and (at == 0 or data[at - 1] == 0x0A):
                starts.append(at)
            elif not first and data[after : after + 1] in (b"\n", b""):
                starts.append(data.rfind(b"\n", 0, at) + 1)
            at = data.find(needle, after)
        lines = []
        for start in starts:
            end = data.find(b"\n", start)
            lines.append(data[start : end if end >= 0 else len(data)])
        return list(ox.parse(b"\n".join(lines), format=ox.RdfFormat.N_TRIPLES)) if lines else []

    def _about(self, node: str) -> list[ox.Quad]:
        triples = self._described.get(node)
        if triples is None:
            lines = self._lines(b"<" + node.encode("utf-8") + b"> ", first=True)
            triples = self._described[node] = [t for t in lines if t.subject.value == node]
        return triples

    def objects(self, node: Node | None, predicate: URIRef) -> list[Node]:
        if not isinstance(node, URIRef):
            return []
        iri = str(predicate)  # a URIRef never equals a plain str
        found = (t.object for t in self._about(str(node)) if t.predicate.value == iri)
        return sorted((_from_ox(o) for o in found), key=str)

    def value(self, node: Node | None, predicate: URIRef) -> Node | None:
        values = self.objects(node, predicate)
        return values[0] if values else None

    def subjects(self, predicate: URIRef, node: Node | None) -> list[Node]:
        if not isinstance(node, URIRef):
            return []
        iri, target = str(predicate), ox.NamedNode(str(node))
        found = (
            t.subject
            for t in self._lines(f" <{iri}> <{node}> .".encode(), first=False)
            if t.predicate.value == iri and t.object == target
        )
        return sorted((_from_ox(s) for s in found), key=str)


def _from_ox(term) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _term(nt: str) -> str:
    """An N-Triples term as shacl-rust writes it → the plain IRI, literal or blank label."""
    m = _NT_TERM.fullmatch(nt)
    if not m:
        return nt
    return m.group(2) if m.group(2) is not None else m.group(1)


def _message_templates(shapes: Graph) -> dict[str, tuple[str, ...]]:
    """Per source shape, its English (or untagged) ``sh:message`` templates
    (read :func:`_once`: 6 ms a document otherwise)."""
    out: dict[str, list[str]] = {}
    for holder, message in shapes.subject_objects(SH.message):
        if isinstance(message, Literal) and message.language not in (None, "en"):
            continue
        owners = [holder, *shapes.subjects(SH.sparql, holder)]
        for owner in owners:
            out.setdefault(str(owner), []).append(str(message))
    for k, (_node_shape, prop) in enumerate(sorted(shapes.subject_objects(SH.property))):
        if isinstance(prop, BNode) and str(prop) in out:
            out[f"urn:kzbudget:shape:{k}"] = out[str(prop)]
    return {k: tuple(v) for k, v in out.items()}


def _plain(m: re.Match[str]) -> str:
    return m.group(1) if m.group(1) is not None else m.group(2)


def _message(messages: list[str], templates: tuple[str, ...]) -> str:
    """The shape's English message (its ``{?var}`` filled in), else the engine's."""
    for template in templates:
        pattern = re.compile(
            "".join(
                ".*?" if re.fullmatch(r"\{[?$]\w+\}", part) else re.escape(part)
                for part in re.split(r"(\{[?$]\w+\})", template)
            ),
            re.S,
        )
        for message in messages:
            if pattern.fullmatch(message):
                return _NT_TERM.sub(
                    lambda m: m.group(1) if m.group(1) is not None else m.group(2), message
                )
    return messages[0] if messages else ""


def validate_documents(
    dataset: Dataset, shapes: Graph | None = None, ontology: Graph | None = None
) -> Report:
    """Validate each named graph (one source document) on its own, and merge the reports.

    Every document graph describes the shared nodes it uses (acts, issuers,
    organisations) in full, so per-document validation checks the same rules
    while its cost grows linearly with the number of documents.
    """
    shapes = shapes if shapes is not None else load_shapes()
    ontology = ontology if ontology is not None else load_ontology()
    findings: list[Finding] = []
    seen: set[tuple] = set()
    for graph in dataset.graphs():
        if not len(graph):
            continue
        for f in validate_graph(graph, shapes, ontology).findings:
            if f.key not in seen:
                seen.add(f.key)
                findings.append(f)
    return Report(findings)


def _findings(results: Graph, data: Graph, shapes: Graph) -> list[Finding]:
    owners = _owning_shapes(shapes)
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        source_shape = results.value(result, SH.sourceShape)
        path = results.value(result, SH.resultPath)
        message = _english(list(results.objects(result, SH.resultMessage)))
        severity = _SEVERITY.get(results.value(result, SH.resultSeverity), "Violation")
        span, quote = _source_of(data, focus)
        found.append(
            Finding(
                severity=severity,
                focus=str(focus),
                label=_label(data, focus),
                path=_path_text(shapes, path),  # named as the shacl-rust findings are
                message=str(message) if message else "",
                shape=str(owners.get(source_shape, source_shape)),
                span=span,
                quote=quote,
            )
        )
    return found


def _sort(found: list[Finding]) -> list[Finding]:
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    return sorted(found, key=lambda f: (order[f.severity], f.shape, f.focus, f.message))


def _owning_shapes(shapes: Graph) -> dict[Node, Node]:
    """Property shape → the node shape that uses it."""
    owners: dict[Node, Node] = {}
    for node_shape, prop in shapes.subject_objects(SH.property):
        owners[prop] = node_shape
    return owners


def _label(data: Graph | _Lookup, node: Node | None) -> str | None:
    if node is None:
        return None
    for p in (SKOS.prefLabel, RDFS.label, SKOS.notation):
        value = data.value(node, p)
        if value is not None:
            return str(value)
    return None


def _path_text(graph: Graph, path: Node | None) -> str | None:
    if path is None:
        return None
    if isinstance(path, URIRef):
        return graph.namespace_manager.normalizeUri(path)
    return "(complex path)"


def _source_of(
    data: Graph | _Lookup, node: Node | None
) -> tuple[tuple[int, int] | None, str | None]:
    """The text span a node was read from (its own, or its passport's selector;
    for an act, which has no passage of its own, its first citation's)."""
    if node is None:
        return None, None
    if not any(True for _ in data.objects(node, PROV.wasDerivedFrom)):
        for citation in sorted(data.subjects(KZB.refersTo, node), key=str):
            span, quote = _source_of(data, citation)
            if span is not None:
                return span, quote
        return None, None
    for where in data.objects(node, PROV.wasDerivedFrom):
        for selector in data.objects(where, OA.hasSelector):
            start, end = data.value(selector, OA.start), data.value(selector, OA.end)
            if isinstance(start, Literal) and isinstance(end, Literal):
                quote = None
                for sel in data.objects(where, OA.hasSelector):
                    if (exact := data.value(sel, OA.exact)) is not None:
                        quote = str(exact)
                return (int(start), int(end)), quote
    return None, None
