"""Step 6a — validate: SHACL shapes (``shapes/``) over a graph, with readable findings.

The ontology is mixed into the data graph while validating (it holds the
concept schemes and the usual issuer of each act type that the SHACL-SPARQL
rules read), and SHACL-SPARQL is enabled.

Each :class:`Finding` names the severity, the focus node with its label, the
path, the message and — where the focus node has one — the span of source
text it was read from, so a reviewer can go straight to the words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import RDF, RDFS, Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, SH, SKOS
from rdflib.term import Node

from ..errors import KzbudgetError
from ..resources import ontology_file, project_dir
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


def load_ontology() -> Graph:
    g = Graph()
    g.parse(ontology_file(), format="turtle")
    return g


def validate_graph(
    data: Graph,
    shapes: Graph | None = None,
    ontology: Graph | None = None,
    *,
    engine_sparql: bool = True,
) -> Report:
    """Validate ``data``; the report lists every finding, warnings included.

    ``engine_sparql=False`` leaves SHACL-SPARQL to pyshacl too (slower, same
    findings).
    """
    shapes = shapes if shapes is not None else load_shapes()
    ontology = ontology if ontology is not None else load_ontology()
    # The rules read the ontology's concept schemes and issuers, so validate
    # the data together with it (pyshacl mixes ont_graph in only when inferring).
    combined = Graph()
    combined += data
    combined += ontology
    if not engine_sparql:
        _conforms, results, _text = shacl_validate(
            combined, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
        )
        return Report(_sort(_findings(results, data, shapes)))
    core, constraints = _split_sparql(shapes)
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
                path=_path_text(results, path),
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


def _label(data: Graph, node: Node | None) -> str | None:
    if node is None:
        return None
    for p in (SKOS.prefLabel, RDFS.label, SKOS.notation):
        value = data.value(node, p)
        if value is not None:
            return str(value)
    return None


def _path_text(results: Graph, path: Node | None) -> str | None:
    if path is None:
        return None
    if isinstance(path, URIRef):
        return results.namespace_manager.normalizeUri(path)
    return "(complex path)"


def _source_of(data: Graph, node: Node | None) -> tuple[tuple[int, int] | None, str | None]:
    """The text span a node was read from (its own, or its passport's selector)."""
    if node is None:
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
