"""Step 5 — RDF: the extracted model as triples (ontology/kzbudget.ttl).

One graph of N-Triples per source document, written by the mapper term by
term (pyoxigraph checks each IRI and writes each literal it may escape;
rdflib only at the edge:
JSON-LD and the pyshacl engine), a named graph named after the
document's *identity* — the act it contains, its language (and consolidation
date) — not after the file's bytes, so a corrected file replaces its graph.
The file itself is the ``eli:Format`` manifestation of the resolution's
expression in that language; its SHA-256, name and size are the graph's
version metadata (``<graph> prov:wasDerivedFrom <file>``).

Shared things get the same IRI in every document and language
(:mod:`.identifiers`): an act is keyed by its adilet code when known, a
passport is one work with a kk and a ru expression, and an organisation is
keyed by where the passport first names it, so the union of the kk and the ru
graph has one node each, with a label per language.

Every value the reader gives a span has an ``oa:SpecificResource`` of the
source with a ``oa:TextPositionSelector`` and a ``oa:TextQuoteSelector``
holding the source's own words at that span: whole records through
``prov:wasDerivedFrom``, single fields through ``kzb:evidence`` +
``kzb:field``. Nothing here depends on the clock or the store, so two builds
of one file are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Iterator
from decimal import Decimal

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, SKOS

from ..model import Document, LegalAct, Passport, Span, Spans, Warning
from .identifiers import (
    ACT_TYPE,
    COMPARATORS,
    KZB,
    RESULT_KIND,
    UNIT,
    Identifiers,
)
from .link import CODE_BASIS, Linker, adilet_urls, similar_at_least
from .namespaces import DCAT, ELI, LANGUAGE, OA, QB, SDMX_ATTR, SDMX_DIM, SDMX_MEASURE, SPDX

__all__ = [
    "ADMINISTRATOR_MATCH",
    "DocumentTriples",
    "bind_prefixes",
    "build_dataset",
    "document_graph",
    "document_key",
    "document_triples",
    "graph_name",
    "prefixes",
    "run_graph",
    "to_rdflib",
]

LANGUAGE_CODES = {"kk": "KAZ", "ru": "RUS", "en": "ENG"}
ADILET_PAGE = {"kk": 0, "ru": 1}  # which of adilet_urls() is the page in that language
KAZAKHSTAN = URIRef("http://publications.europa.eu/resource/authority/country/KAZ")
KZT = URIRef("http://publications.europa.eu/resource/authority/currency/KZT")
TEXT_PLAIN = URIRef("http://www.iana.org/assignments/media-types/text/plain")
THOUSANDS = 3  # passports state costs in thousand tenge: unitMult 3
# An executor named like the passport's administrator is the administrator
# ("агенттігі" / "жөніндегі агенттігі"); an unrelated organisation scores < 0.7.
ADMINISTRATOR_MATCH = 0.9

PREFIXES = {
    "kzb": KZB,
    "eli": ELI,
    "org": ORG,
    "prov": PROV,
    "oa": OA,
    "qb": QB,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "dcat": DCAT,
    "spdx": SPDX,
    "sdmx-dimension": SDMX_DIM,
    "sdmx-measure": SDMX_MEASURE,
    "sdmx-attribute": SDMX_ATTR,
    "acttype": ACT_TYPE,
    "kind": RESULT_KIND,
    "unit": UNIT,
}


def bind_prefixes(graph: Graph, ids: Identifiers) -> None:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    graph.bind("kzid", Namespace(ids.base + "id/"))


def prefixes(ids: Identifiers) -> dict[str, str]:
    """The prefixes pyoxigraph's writers use (those of :func:`bind_prefixes`)."""
    # no kzid: every identifier's local part holds "/", which Turtle would
    # have to escape (kzid:act\/…); full IRIs read better
    out = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    out["rdf"], out["rdfs"], out["xsd"] = str(RDF), str(RDFS), str(XSD)
    return out


# -- N-Triples terms: the mapper writes each term's N-Triples form itself --------
#
# A term is its N-Triples text (``<iri>``, ``"words"@kk``, ``"5"^^<…#integer>``),
# what pyoxigraph's ``str(term)`` gives: a graph's N-Triples are joined strings,
# with no term object to make, hash and write per triple (4 µs a triple before).
# pyoxigraph still checks every IRI (once per document) and writes every literal
# that holds a character it may escape.

_XSD = str(XSD)
_INTEGER = f"^^<{_XSD}integer>"
_STRING = _XSD + "string"


def _literal(value: str) -> str:
    """A plain (``xsd:string``) literal.

    pyoxigraph escapes controls, ``"``, ``\\``, U+FFFE and U+FFFF (and refuses
    surrogates), none of them printable: a printable value without a quote or
    a backslash it writes as it is, between quotes (tested for every code
    point); any other goes to pyoxigraph (a newline: 4 % of the values).
    """
    if value.isprintable() and '"' not in value and "\\" not in value:
        return f'"{value}"'
    return str(ox.Literal(value))


def _typed(value: str, datatype: str) -> str:
    """A literal of the XSD datatype ``datatype`` (its local name): the quoted
    value as :func:`_literal` writes it, then the datatype."""
    return f"{_literal(value)}^^<{_XSD}{datatype}>"


@functools.cache
def _language(language: str | None) -> str:
    """``@kk``: the tag as pyoxigraph writes it (checked and lower-cased by it)."""
    return str(ox.Literal("", language=language))[2:]


def _integer(value: int) -> str:
    return f'"{int(value)}"{_INTEGER}'


def _date(value: dt.date | str) -> str:
    return _typed(value.isoformat() if isinstance(value, dt.date) else str(value), "date")


_TRUE = _typed("true", "boolean")


def document_key(doc: Document, ids: Identifiers, linker: Linker | None = None) -> URIRef:
    """The name of a document's graph: the act it contains + language (+ date).

    A text whose resolution cannot be identified (no type, or neither date nor
    number) falls back to its file's checksum.
    """
    r = doc.resolution
    lang = doc.source.language
    if not (r.act_type and (r.date or r.number)):
        return URIRef(f"{ids.base}graph/source/{doc.source.sha256}")
    code = linker.resolve(r.act_type, r.date, r.number, r.title or "")[0] if linker else None
    path = ids.act_path(r.act_type, r.date, r.number, r.title or "", code)
    return ids.document_graph(path, lang, r.consolidated_on)


class _Vocabulary:
    """A namespace whose terms are N-Triples IRIs (``<…>``), each checked once.

    rdflib's ``Namespace`` makes (and validates) a new ``URIRef`` on every
    attribute access: a third of the mapping time before this cache.
    """

    def __init__(self, namespace: str) -> None:
        self._namespace = str(namespace)
        self._terms: dict[str, str] = {}

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        term = self[name]
        setattr(self, name, term)  # the next access is a plain attribute
        return term

    def __getitem__(self, name: str) -> str:
        term = self._terms.get(name)
        if term is None:
            term = self._terms[name] = str(ox.NamedNode(self._namespace + name))
        return term


class _V:
    """The vocabularies of the mapper, as N-Triples IRIs."""

    RDF, RDFS, KZB, OA, PROV = (_Vocabulary(ns) for ns in (RDF, RDFS, KZB, OA, PROV))
    ELI, DCTERMS, SKOS, ORG, QB = (_Vocabulary(ns) for ns in (ELI, DCTERMS, SKOS, ORG, QB))
    DCAT, SPDX, FOAF = (_Vocabulary(ns) for ns in (DCAT, SPDX, FOAF))
    SDMX_DIM, SDMX_MEASURE, SDMX_ATTR = (
        _Vocabulary(ns) for ns in (SDMX_DIM, SDMX_MEASURE, SDMX_ATTR)
    )


# the constant predicate-object pairs of a source passage
_A_SPECIFIC_RESOURCE = f"{_V.RDF.type} {_V.OA.SpecificResource}"
_A_POSITION_SELECTOR = f"{_V.RDF.type} {_V.OA.TextPositionSelector}"
_A_QUOTE_SELECTOR = f"{_V.RDF.type} {_V.OA.TextQuoteSelector}"
_HAS_SELECTOR, _START, _END, _EXACT = _V.OA.hasSelector, _V.OA.start, _V.OA.end, _V.OA.exact
_FIELD = _V.KZB.field


@functools.cache
def _term(namespace: Namespace, name: str) -> str:
    """The N-Triples form of a term of a namespace (a kind, a unit), made once."""
    return str(ox.NamedNode(namespace[name]))


class _Mapper:
    """Maps one :class:`Document` into the N-Triples of one graph."""

    def __init__(
        self,
        doc: Document,
        ids: Identifiers,
        linker: Linker | None = None,
    ) -> None:
        self.doc = doc
        self.ids = ids
        self.linker = linker
        self.text = doc.text
        # subject -> its "predicate object" pairs: ordered sets, the insertion
        # order is the output order (reproducible), a triple is there once;
        # or a passage's lines, written out (:meth:`_passage`)
        self.groups: dict[str, dict[str, None] | bytes] = {}
        self._written = 0  # how many lines they hold
        self._iris: dict[str, str] = {}  # IRI -> its checked N-Triples form
        self._coded: set[str] = set()  # acts given an adilet code
        self._has_cube = False
        self.lang = doc.source.language
        consolidated = doc.resolution.consolidated_on
        # selectors are per document identity, so a corrected file keeps their IRIs
        self.tag = self.lang + (f"-{consolidated.isoformat()}" if consolidated else "")
        self.source = ids.source(doc.source.sha256)
        self._has_source = f"{_V.OA.hasSource} {self.iri(self.source)}"
        self.name = document_key(doc, ids, linker)
        self._orgs: dict[str, URIRef] = {}
        self._titled: set[URIRef] = set()
        self._annex: str | None = None
        self._admin_name: str | None = None
        self._admin: URIRef | None = None

    # -- helpers ---------------------------------------------------------------

    def iri(self, value: str) -> str:
        """The N-Triples form of an IRI, checked by pyoxigraph once per document.

        Keyed by the object given: a node passed again (the same ``URIRef``) is
        found by identity, without rdflib's ``__eq__``."""
        term = self._iris.get(value)
        if term is None:
            term = self._iris[value] = str(ox.NamedNode(value))
        return term

    def add(self, s: str, p: str, o: str) -> None:
        """Add a triple: ``s`` an IRI; ``p`` and ``o`` N-Triples terms."""
        s = self._iris.get(s) or self.iri(s)
        group = self.groups.get(s)
        if group is None:
            self.groups[s] = {f"{p} {o}": None}
        else:
            if group.__class__ is bytes:
                group = self._unpack(s)
            group[f"{p} {o}"] = None

    def link(self, s: str, p: str, o: str) -> None:
        """Add a triple whose object is an IRI too."""
        self.add(s, p, self._iris.get(o) or self.iri(o))

    def text_literal(self, value: str) -> str:
        return _literal(value) + _language(self.lang)

    def _passage(self, where: str, term: str, span: Span, field: str | None = None) -> None:
        """``where`` (N-Triples form ``term``) is the stretch ``span`` of the source:
        position + exact words; ``field``: the field it is the evidence of.

        Two thirds of a graph's triples are these, and their three nodes are
        nearly always new: then their lines are written here, at once, under
        ``where`` (the selectors hold ``b""``), as they would come out of the
        sets of pairs (:meth:`_unpack` turns them back into sets if a triple
        of them comes again). ``where`` is checked and ends in a fragment:
        with ``-position`` or ``-quote`` added it is an IRI still.
        """
        position = f"<{where}-position>"
        quote = f"<{where}-quote>"
        words = _literal(self.text[span.start : span.end])
        groups = self.groups
        if term not in groups and position not in groups and quote not in groups:
            evidence = f"{term} {_FIELD} {_literal(field)} .\n" if field is not None else ""
            # the source's words encoded apart: the IRIs stay ASCII (a copy)
            groups[term] = (
                f"{evidence}{term} {_A_SPECIFIC_RESOURCE} .\n{term} {self._has_source} .\n"
                f"{term} {_HAS_SELECTOR} {position} .\n{term} {_HAS_SELECTOR} {quote} .\n"
                f"{position} {_A_POSITION_SELECTOR} .\n"
                f'{position} {_START} "{int(span.start)}"{_INTEGER} .\n'
                f'{position} {_END} "{int(span.end)}"{_INTEGER} .\n'
                f"{quote} {_A_QUOTE_SELECTOR} .\n{quote} {_EXACT} "
            ).encode() + (words + " .\n").encode("utf-8")
            groups[position] = groups[quote] = b""
            self._written += 9 if field is None else 10
            return
        own = [_A_SPECIFIC_RESOURCE, self._has_source, f"{_HAS_SELECTOR} {position}"]
        if field is not None:
            own.insert(0, f"{_FIELD} {_literal(field)}")
        own.append(f"{_HAS_SELECTOR} {quote}")
        located = [
            _A_POSITION_SELECTOR,
            f'{_START} "{int(span.start)}"{_INTEGER}',
            f'{_END} "{int(span.end)}"{_INTEGER}',
        ]
        for subject, pairs in ((term, own), (position, located), (quote, [_A_QUOTE_SELECTOR])):
            group = groups.get(subject)
            if group is None:
                groups[subject] = dict.fromkeys(pairs)
            else:  # a record derived twice: its triples once
                if group.__class__ is bytes:
                    group = self._unpack(subject)
                group.update(dict.fromkeys(pairs))
        groups[quote][f"{_EXACT} {words}"] = None

    def _unpack(self, subject: str) -> dict[str, None]:
        """The set of pairs of a node of a passage :meth:`_passage` wrote out
        (and those of the passage's two other nodes), made again from its lines."""
        groups = self.groups
        term = subject
        if not groups[subject]:  # a selector: the lines are under its passage
            term = "<" + subject[1:].rsplit("-", 1)[0] + ">"
        lines = groups[term].decode("utf-8").split("\n")[:-1]  # no line feed in a term
        pairs: dict[str, dict[str, None]] = {}
        for line in lines:
            node, _, pair = line.partition(" ")
            pairs.setdefault(node, {})[pair[:-2]] = None
        groups.update(pairs)  # each node keeps its place
        self._written -= len(lines)
        return groups[subject]

    def derived(self, node: str, span: Span) -> None:
        """The record ``node`` comes from ``span`` of the source."""
        where = f"{node}#{self.tag}"
        term = str(ox.NamedNode(where))
        self.add(node, _V.PROV.wasDerivedFrom, term)
        self._passage(where, term, span)

    def evidence(self, node: str, spans: Spans, anchor: str = "") -> None:
        """Each field of ``node`` that has a span gets its own source passage.

        A node named in several places (an administrator in every passport) has
        its passages under the record that names it: ``anchor`` = ``passport.administrator``.
        """
        where_base = f"{node}#{self.tag}"
        if anchor:
            record, _, part = anchor.rpartition(".")
            where_base = f"{record}#{self.tag}.{part}"
        for name, span in sorted(spans.items()):
            where = f"{where_base}.{name}"
            term = str(ox.NamedNode(where))
            self.add(node, _V.KZB.evidence, term)
            self._passage(where, term, span, name)

    def organization(self, name: str, passport: URIRef, row: int, index: int) -> URIRef:
        """An executor: the administrator itself, or an organisation keyed by where
        the passport first names it (the same row and place in the kk and ru text)."""
        if self._admin is not None and similar_at_least(
            name, self._admin_name or "", ADMINISTRATOR_MATCH
        ):
            return self._admin
        key = " ".join(name.lower().split()).rstrip(".")
        if key in self._orgs:
            return self._orgs[key]
        node = self.ids.organization(passport, row, index)
        self._orgs[key] = node
        self.add(node, _V.RDF.type, _V.ORG.Organization)
        self.add(node, _V.SKOS.prefLabel, self.text_literal(name))
        return node

    # -- the document ----------------------------------------------------------

    def map(self) -> DocumentTriples:
        resolution = self.resolution()
        self.source_document(resolution)
        for passport in self.doc.passports:
            self.passport(passport, resolution)
        self.dataset()
        return self.written()

    def written(self) -> DocumentTriples:
        """The triples added so far, as the document's graph."""
        name = ox.NamedNode(str(self.name))
        count = self._written
        chunks = []
        for subject, pairs in self.groups.items():
            if pairs.__class__ is bytes:  # a passage's lines (:meth:`_passage`)
                chunks.append(pairs)
                continue
            count += len(pairs)
            head = subject + " "
            # encoded subject by subject: most are ASCII (a copy), and none is
            # widened by a Cyrillic literal elsewhere in the graph (2× faster)
            chunks.append((head + (" .\n" + head).join(pairs) + " .\n").encode("utf-8"))
        return DocumentTriples.from_ntriples(name, b"".join(chunks), count)

    def source_document(self, resolution: URIRef | None) -> None:
        """The file: the manifestation of the resolution's expression, and what the
        graph was derived from (name, size and SHA-256 say which version)."""
        s = self.doc.source
        node = self.source
        self.add(node, _V.RDF.type, _V.KZB.SourceDocument)
        self.add(node, _V.RDF.type, _V.PROV.Entity)
        self.add(node, _V.RDF.type, _V.ELI.Format)
        self.add(node, _V.DCTERMS.title, _literal(s.name))
        self.add(node, _V.DCTERMS.language, _term(LANGUAGE, LANGUAGE_CODES.get(s.language, "MUL")))
        self.add(node, _V.DCAT.byteSize, _integer(s.byte_size))
        self.link(node, _V.ELI["format"], TEXT_PLAIN)
        checksum = URIRef(f"{node}#sha256")
        self.link(node, _V.DCAT.checksum, checksum)
        self.add(checksum, _V.RDF.type, _V.SPDX.Checksum)
        self.add(checksum, _V.SPDX.algorithm, _V.SPDX.checksumAlgorithm_sha256)
        self.add(checksum, _V.SPDX.checksumValue, _typed(s.sha256, "hexBinary"))
        if resolution is not None:
            expression = self.expression(resolution)
            self.link(expression, _V.ELI.is_embodied_by, node)
            self.link(node, _V.ELI.embodies, expression)
        graph = self.name
        self.add(graph, _V.RDF.type, _V.KZB.DocumentGraph)
        self.link(graph, _V.PROV.wasDerivedFrom, node)
        self.add(graph, _V.DCTERMS.language, _term(LANGUAGE, LANGUAGE_CODES.get(s.language, "MUL")))
        if self.doc.resolution.consolidated_on:
            self.add(
                graph,
                _V.ELI.version_date,
                _date(self.doc.resolution.consolidated_on),
            )

    def expression(self, act: URIRef, title: str = "") -> URIRef:
        """The act in this document's language; its first printed title."""
        expression = URIRef(f"{act}/{self.lang}")
        self.link(act, _V.ELI.is_realized_by, expression)
        self.add(expression, _V.RDF.type, _V.ELI.LegalExpression)
        self.link(expression, _V.ELI.realizes, act)
        self.add(expression, _V.ELI.language, _term(LANGUAGE, LANGUAGE_CODES.get(self.lang, "MUL")))
        if title and expression not in self._titled:
            # one title per language: later citations may word it differently
            self._titled.add(expression)
            self.add(expression, _V.ELI.title, self.text_literal(title))
            self.add(act, _V.RDFS.label, self.text_literal(title))
        return expression

    def resolution(self) -> URIRef | None:
        r = self.doc.resolution
        if not (r.act_type and (r.date or r.number)):
            return None
        node = self.act_node(r.act_type, r.issuer, r.date, r.number, r.title or "", role=True)
        if r.in_force_from:
            self.add(node, _V.ELI.first_date_entry_in_force, _date(r.in_force_from))
        self.evidence(node, r.spans)
        # The preamble's own basis (the Budget Code): cited in the case the
        # preamble governs ("Бюджет кодексіне сәйкес"), so the printed words stay
        # on the citation and do not become the act's title.
        for i, act in enumerate(r.legal_basis, start=1):
            self.legal_reference(node, i, act, titled=False)
        return node

    def act_node(
        self, act_type, issuer, date, number, title: str, *, role: bool = False, titled: bool = True
    ) -> URIRef:
        """One act; ``role``: it approves or amends passports (a kzb:Resolution);
        ``titled``: ``title`` is the act's title as such (not an inflected form)."""
        code = basis = None
        if self.linker is not None:
            code, basis = self.linker.resolve(act_type, date, number, title)
        node = self.ids.act(act_type, date, number, title, code)
        self.add(node, _V.RDF.type, _V.ELI.LegalResource)
        if role and act_type == "resolution":
            self.add(node, _V.RDF.type, _V.KZB.Resolution)
        if act_type:
            self.add(node, _V.ELI.type_document, _term(ACT_TYPE, act_type))
        if date:
            self.add(node, _V.ELI.date_document, _date(date))
        if number:
            self.add(node, _V.ELI.number, _literal(number))
        if issuer:
            self.link(node, _V.ELI.passed_by, self.ids.issuer(issuer))
        self.link(node, _V.ELI.jurisdiction, KAZAKHSTAN)
        if code:
            self._coded.add(self.iri(node))
            self.add(node, _V.ELI.id_local, _literal(code))
            self.add(node, _V.KZB.adiletCode, _literal(code))
            self.add(node, _V.KZB.adiletCodeBasis, _term(CODE_BASIS, basis))
            for page in adilet_urls(code):
                self.link(node, _V.RDFS.seeAlso, page)
        if title and titled:
            expression = self.expression(node, title)
            if code and self.lang in ADILET_PAGE:
                self.link(expression, _V.FOAF.page, adilet_urls(code)[ADILET_PAGE[self.lang]])
        return node

    # -- one passport ----------------------------------------------------------

    def passport(self, p: Passport, resolution: URIRef | None) -> None:
        # a file may mix languages: an annex's words are tagged with its own
        document_language, self.lang = self.lang, p.language
        try:
            self._passport(p, resolution)
        finally:
            self.lang = document_language

    def _passport(self, p: Passport, resolution: URIRef | None) -> None:
        self._annex = p.annex
        admin_code = p.administrator.code if p.administrator else "000"
        program_code = p.program.code if p.program else f"annex-{p.annex}"
        node = self.ids.passport(p.year, admin_code, program_code)
        self.add(node, _V.RDF.type, _V.KZB.Passport)
        self.add(node, _V.KZB.annexNumber, _literal(p.annex))
        self.link(node, _V.PROV.wasDerivedFrom, self.source)
        if p.year:
            self.add(node, _V.KZB.fiscalYear, _integer(p.year))
        if resolution is not None:
            self.link(node, _V.ELI.is_part_of, resolution)
            self.link(resolution, _V.ELI.has_part, node)
            self.link(node, _V.ELI.is_annex_of, resolution)
            self.link(resolution, _V.ELI.has_annex, node)
        self.evidence(node, {k: v for k, v in p.spans.items() if not k.startswith("results.")})
        expression = self.expression(node)
        self.link(expression, _V.PROV.wasDerivedFrom, self.source)

        admin = None
        self._admin = self._admin_name = None
        if p.administrator:
            admin = self.ids.administrator(p.administrator.code)
            self._admin, self._admin_name = admin, p.administrator.name
            self.add(admin, _V.RDF.type, _V.KZB.BudgetAdministrator)
            self.add(admin, _V.RDF.type, _V.ORG.Organization)
            self.add(admin, _V.SKOS.notation, _literal(p.administrator.code))
            self.add(admin, _V.SKOS.prefLabel, self.text_literal(p.administrator.name))
            self.evidence(admin, p.administrator.spans, f"{node}.administrator")

        program = None
        if p.program:
            program = self.ids.program(p.year, admin_code, p.program.code)
            self.link(node, _V.KZB.budgetProgram, program)
            self.add(program, _V.RDF.type, _V.KZB.BudgetProgram)
            self.add(program, _V.SKOS.notation, _literal(p.program.code))
            self.add(program, _V.SKOS.prefLabel, self.text_literal(p.program.name))
            if p.year:
                self.add(program, _V.KZB.fiscalYear, _integer(p.year))
            if admin is not None:
                self.link(program, _V.KZB.administeredBy, admin)
            self.evidence(program, p.program.spans, f"{node}.program")
            self.add(expression, _V.ELI.title, self.text_literal(p.program.name))
            self.add(node, _V.RDFS.label, self.text_literal(f"{p.annex}: {p.program.name}"))

        for key, value in (
            (_V.KZB.fundingSource, p.funding_source),
            (_V.KZB.goal, p.goal),
            (_V.KZB.tasks, p.tasks),
        ):
            if value:
                self.add(node, key, self.text_literal(value))

        if p.cost and p.cost.thousand_kzt is not None and program is not None:
            self.cost(node, p, admin, program)
        for i, act in enumerate(p.legal_basis, start=1):
            self.legal_reference(node, i, act)
        for row in p.plan:
            self.plan_row(node, row, program)
        self.results(node, p)
        self.amendments(node, expression, p)

    def amendments(self, node: URIRef, expression: URIRef, p: Passport) -> None:
        """Which resolution changed the passport (or an item of it), and when; the
        text is consolidated as of the latest such date (``eli:version_date``)."""
        latest = None
        for i, am in enumerate(p.amendments, start=1):
            item = URIRef(f"{node}/amendment/{i}")
            self.link(node, _V.KZB.amendment, item)
            self.add(item, _V.RDF.type, _V.KZB.Amendment)
            self.add(item, _V.KZB.amendedItem, _literal(am.target))
            by = am.by
            act = self.act_node(by.act_type, by.issuer, by.date, by.number, "", role=True)
            self.link(item, _V.KZB.amendingAct, act)
            self.link(act, _V.ELI.amends, node)
            self.link(act, _V.ELI.changes, node)
            self.link(node, _V.ELI.amended_by, act)
            self.link(node, _V.ELI.changed_by, act)
            if by.date:
                self.add(item, _V.DCTERMS.date, _date(by.date))
                latest = max(latest, by.date) if latest else by.date
            self.derived(item, am.span)
        if latest:
            self.add(expression, _V.ELI.version_date, _date(latest))

    def dataset(self) -> None:
        """The cost cube's dataset and structure, in the data that uses them."""
        if not self._has_cube:
            return
        ds, dsd = self.ids.dataset(), self.ids.structure()
        self.add(ds, _V.RDF.type, _V.QB.DataSet)
        self.link(ds, _V.QB.structure, dsd)
        self.add(dsd, _V.RDF.type, _V.QB.DataStructureDefinition)
        components = [
            ("dimension", _V.KZB.refAdministrator, 1),
            ("dimension", _V.KZB.refProgram, 2),
            ("dimension", _V.SDMX_DIM.refPeriod, 3),
            ("measure", _V.SDMX_MEASURE.obsValue, None),
            ("attribute", _V.SDMX_ATTR.currency, None),
            ("attribute", _V.SDMX_ATTR.unitMult, None),
        ]
        for kind, prop, order in components:
            spec = URIRef(f"{dsd}#{prop[1:-1].split('#')[-1]}")
            self.link(dsd, _V.QB.component, spec)
            self.add(spec, _V.RDF.type, _V.QB.ComponentSpecification)
            self.add(spec, _V.QB[kind], prop)
            if order:
                self.add(spec, _V.QB.order, _integer(order))
            if kind == "attribute":
                self.add(spec, _V.QB.componentRequired, _TRUE)

    def cost(self, passport: URIRef, p: Passport, admin, program: URIRef) -> None:
        assert p.cost is not None and p.program is not None
        obs = self.ids.observation(
            p.year, p.administrator.code if p.administrator else "000", p.program.code
        )
        self.link(passport, _V.KZB.cost, obs)
        self.add(obs, _V.RDF.type, _V.QB.Observation)
        self.link(obs, _V.QB.dataSet, self.ids.dataset())
        self._has_cube = True
        if admin is not None:
            self.link(obs, _V.KZB.refAdministrator, admin)
        self.link(obs, _V.KZB.refProgram, program)
        if p.year:
            self.add(obs, _V.SDMX_DIM.refPeriod, _typed(str(p.year), "gYear"))
        self.add(obs, _V.SDMX_MEASURE.obsValue, _decimal(p.cost.thousand_kzt))
        self.link(obs, _V.SDMX_ATTR.currency, KZT)
        self.add(KZT, _V.RDF.type, _V.SKOS.Concept)  # an entry of the EU currency authority table
        self.add(obs, _V.SDMX_ATTR.unitMult, _integer(THOUSANDS))
        if p.cost.in_words:
            self.add(obs, _V.KZB.costInWords, self.text_literal(p.cost.in_words))
        if p.cost.words_value_kzt is not None:
            self.add(obs, _V.KZB.costInWordsValue, _integer(p.cost.words_value_kzt))
        self.derived(obs, p.cost.span)
        self.evidence(obs, p.cost.spans)

    def legal_reference(
        self, passport: URIRef, i: int, act: LegalAct, *, titled: bool = True
    ) -> None:
        """A citation by a passport (or by the resolution's preamble): what was
        printed, where, and the act it resolves to."""
        ref = URIRef(f"{passport}/legal-basis/{i}")
        self.link(passport, _V.KZB.legalReference, ref)
        self.add(ref, _V.RDF.type, _V.KZB.LegalReference)
        target = self.act_node(
            act.act_type, act.issuer, act.date, act.number, act.title, titled=titled
        )
        if not act.number and self.linker is not None and self.iri(target) not in self._coded:
            self.doc.warnings.append(
                Warning(
                    f"act {act.title!r} is cited without a number and matches no known act; "
                    "it keeps its own identity, with no adilet code",
                    self._annex,
                    "legal_basis",
                )
            )
        self.link(ref, _V.KZB.refersTo, target)
        if act.title:
            self.add(ref, _V.RDFS.label, self.text_literal(act.title))
        if act.date:
            self.add(ref, _V.KZB.citedDate, _date(act.date))
        if act.number:
            self.add(ref, _V.KZB.citedNumber, _literal(act.number))
        self.link(passport, _V.ELI.based_on, target)
        if act.issuer_text:
            self.add(ref, _V.KZB.issuerText, self.text_literal(act.issuer_text))
            if act.printed_issuer:
                self.link(ref, _V.KZB.printedIssuer, self.ids.issuer(act.printed_issuer))
        self.derived(ref, act.span)
        self.evidence(ref, act.spans)

    def plan_row(self, passport: URIRef, row, program: URIRef | None) -> None:
        node = URIRef(f"{passport}/plan/{row.row}")
        self.link(passport, _V.KZB.actionPlanRow, node)
        self.add(node, _V.RDF.type, _V.KZB.ActionPlanRow)
        self.add(node, _V.KZB.rowNumber, _integer(row.row))
        if program is not None:
            item = program
            if row.subprogram_code:
                item = self.ids.subprogram(program, row.subprogram_code)
                self.add(item, _V.RDF.type, _V.KZB.SubProgram)
                self.add(item, _V.SKOS.notation, _literal(row.subprogram_code))
                self.link(item, _V.DCTERMS.isPartOf, program)
                if row.name:
                    self.add(item, _V.SKOS.prefLabel, self.text_literal(row.name))
            self.link(node, _V.KZB.planItem, item)
        if row.activities:
            self.add(node, _V.KZB.activities, self.text_literal(row.activities))
        if row.period:
            self.add(node, _V.KZB.period, self.text_literal(row.period))
        for index, name in enumerate(row.executors, start=1):
            self.link(
                node, _V.KZB.responsibleExecutor, self.organization(name, passport, row.row, index)
            )
        self.derived(node, row.span)
        self.evidence(node, row.spans)

    def results(self, passport: URIRef, p: Passport) -> None:
        by_kind: dict[str, URIRef] = {}
        for kind, text in p.results.items():
            if not text:
                continue
            node = URIRef(f"{passport}/result/{kind}")
            by_kind[kind] = node
            self.link(passport, _V.KZB.expectedResult, node)
            self.add(node, _V.RDF.type, _V.KZB.ExpectedResult)
            self.add(node, _V.KZB.resultKind, _term(RESULT_KIND, kind))
            self.add(node, _V.RDF.value, self.text_literal(text))
            span = p.spans.get(f"results.{kind}")
            if span is not None:
                self.derived(node, span)
        for i, ind in enumerate(p.indicators, start=1):
            node = URIRef(f"{passport}/indicator/{i}")
            self.add(node, _V.RDF.type, _V.KZB.Indicator)
            self.add(node, _V.KZB.resultKind, _term(RESULT_KIND, ind.kind))
            if ind.kind in by_kind:
                self.link(by_kind[ind.kind], _V.KZB.hasIndicator, node)
            self.add(node, _V.KZB.targetValue, _decimal(ind.value))
            self.add(node, _V.KZB.unit, _term(UNIT, ind.unit))
            self.link(node, _V.KZB.comparator, COMPARATORS[ind.comparator])
            self.add(node, _V.RDFS.label, self.text_literal(ind.text))
            self.derived(node, ind.span)


def _decimal(value: int | float | Decimal) -> str:
    """An xsd:decimal in its canonical form (``42``, ``1.5``), the form Oxigraph
    stores, so the file, the validated graph and the store hold the same term."""
    return _typed(format(Decimal(str(value)).normalize(), "f"), "decimal")


class DocumentTriples:
    """One document's graph: its name and its triples, grouped by subject in the
    order the mapper made them (byte-reproducible).

    The build needs the graph as N-Triples (validated, stored, and the lines of
    N-Quads): the mapper writes them itself (:meth:`from_ntriples`), pyoxigraph's
    bytes exactly. Triple objects (:attr:`triples`) are made only when asked for
    (Turtle, TriG, rdflib), by pyoxigraph's parser from those N-Triples.
    """

    __slots__ = ("_count", "_ntriples", "_triples", "name")

    def __init__(self, name: ox.NamedNode, terms: Iterable[tuple | ox.Triple]) -> None:
        """A graph of given terms (``(s, p, o)`` or triples)."""
        self.name = name
        self._triples: list[ox.Triple] | None = [
            t if isinstance(t, ox.Triple) else ox.Triple(*t) for t in terms
        ]
        self._count = len(self._triples)
        self._ntriples: bytes | None = None

    @classmethod
    def from_ntriples(cls, name: ox.NamedNode, ntriples: bytes, count: int) -> DocumentTriples:
        """A graph of ``count`` triples written as ``ntriples`` (one a line, as
        pyoxigraph writes them)."""
        self = cls.__new__(cls)
        self.name = name
        self._triples = None
        self._count = count
        self._ntriples = ntriples
        return self

    def __len__(self) -> int:
        return self._count

    @property
    def triples(self) -> list[ox.Triple]:
        if self._triples is None:
            parsed = ox.parse(self.ntriples(), format=ox.RdfFormat.N_TRIPLES)
            self._triples = [quad.triple for quad in parsed]
        return self._triples

    def ntriples(self) -> bytes:
        """The graph as N-Triples, byte for byte what pyoxigraph writes."""
        if self._ntriples is None:
            # the ``str`` of an IRI, a blank node or a literal is its N-Triples
            # form (tested, awkward literals included)
            text = "".join(f"{s} {p} {o} .\n" for s, p, o in self.triples)
            self._ntriples = text.encode("utf-8")
        return self._ntriples

    def quads(self) -> Iterator[ox.Quad]:
        name = self.name
        return (ox.Quad(t.subject, t.predicate, t.object, name) for t in self.triples)


def _rdflib_term(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _STRING:  # rdflib writes a plain literal without one
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unexpected term {term!r}")  # the mapper makes no blank nodes


def to_rdflib(triples: Iterable[ox.Triple], graph: Graph | None = None) -> Graph:
    """The triples as an rdflib graph (for JSON-LD and the pyshacl engine only)."""
    graph = graph if graph is not None else Graph()
    for t in triples:
        graph.add((_rdflib_term(t.subject), _rdflib_term(t.predicate), _rdflib_term(t.object)))
    return graph


def document_triples(
    doc: Document, ids: Identifiers | None = None, linker: Linker | None = None
) -> DocumentTriples:
    """The named graph of one source document, as pyoxigraph triples (the hot path)."""
    return _Mapper(doc, ids or Identifiers(), linker=linker).map()


def document_graph(
    doc: Document, ids: Identifiers | None = None, linker: Linker | None = None
) -> Graph:
    """The triples of one source document (its named graph), as an rdflib graph."""
    ids = ids or Identifiers()
    graph = Graph()
    bind_prefixes(graph, ids)
    return to_rdflib(document_triples(doc, ids, linker).triples, graph)


def graph_name(
    doc: Document, ids: Identifiers | None = None, linker: Linker | None = None
) -> URIRef:
    """The name of a document's named graph: the act it contains + its language
    (+ consolidation date), so every version of one document has one name."""
    return document_key(doc, ids or Identifiers(), linker)


def build_dataset(
    docs: list[Document], ids: Identifiers | None = None, linker: Linker | None = None
) -> Dataset:
    """A dataset with one named graph per document identity.

    With a :class:`Linker`, acts carry their adilet codes and pages.
    """
    ids = ids or Identifiers()
    ds = Dataset()
    bind_prefixes(ds, ids)
    for doc in docs:
        mapped = document_triples(doc, ids, linker)
        to_rdflib(mapped.triples, ds.graph(URIRef(mapped.name.value)))
    return ds


def run_graph(
    ids: Identifiers,
    loaded: list[tuple[str, str]],
    replaced: dict[str, list[str]],
    *,
    tool_version: str,
    acts_sha256: list[str],
    started: str | None = None,
) -> Graph:
    """The build run as a ``prov:Activity``, kept out of the document graphs.

    ``loaded``: (graph name, source file IRI) per document; ``replaced``: graph
    name → the source file IRIs of the versions the load replaced (the activity
    ``prov:invalidated`` them). ``started`` is an ISO time, if the caller wants one.
    """
    g = Graph()
    bind_prefixes(g, ids)
    run = URIRef(f"{ids.run_graph()}#activity")
    g.add((run, RDF.type, PROV.Activity))
    g.add((run, RDFS.label, Literal(f"kzbudget build {tool_version}")))
    agent = URIRef(f"{ids.run_graph()}#software")
    g.add((agent, RDF.type, PROV.SoftwareAgent))
    g.add((agent, RDFS.label, Literal(f"kzbudget-graph {tool_version}")))
    g.add((run, PROV.wasAssociatedWith, agent))
    if started:
        g.add((run, PROV.startedAtTime, Literal(started, datatype=XSD.dateTime)))
    for i, sha in enumerate(acts_sha256, start=1):
        table = URIRef(f"{ids.run_graph()}#acts-table-{i}")
        g.add((run, PROV.used, table))
        g.add((table, RDF.type, PROV.Entity))
        g.add((table, SPDX.checksumValue, Literal(sha, datatype=XSD.hexBinary)))
    for name, source in loaded:
        g.add((run, PROV.used, URIRef(source)))
        g.add((run, PROV.generated, URIRef(name)))
        g.add((URIRef(name), PROV.wasGeneratedBy, run))
        for old in replaced.get(name, []):
            if old != source:
                g.add((run, PROV.invalidated, URIRef(old)))
                g.add((URIRef(source), PROV.wasRevisionOf, URIRef(old)))
    return g
