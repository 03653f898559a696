"""Step 5 — RDF: the extracted model as triples (ontology/kzbudget.ttl).

One :class:`rdflib.Graph` per source document, a named graph named after the
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

from decimal import Decimal

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
from .link import CODE_BASIS, Linker, _similar, adilet_urls
from .namespaces import DCAT, ELI, LANGUAGE, OA, QB, SDMX_ATTR, SDMX_DIM, SDMX_MEASURE, SPDX

__all__ = [
    "ADMINISTRATOR_MATCH",
    "bind_prefixes",
    "build_dataset",
    "decimal_literal",
    "document_graph",
    "document_key",
    "graph_name",
    "run_graph",
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


class _Mapper:
    """Maps one :class:`Document` into one graph."""

    def __init__(
        self,
        doc: Document,
        ids: Identifiers,
        graph: Graph | None = None,
        linker: Linker | None = None,
    ) -> None:
        self.doc = doc
        self.ids = ids
        self.linker = linker
        self.text = doc.text
        self.g = graph if graph is not None else Graph()
        bind_prefixes(self.g, ids)
        self.lang = doc.source.language
        consolidated = doc.resolution.consolidated_on
        # selectors are per document identity, so a corrected file keeps their IRIs
        self.tag = self.lang + (f"-{consolidated.isoformat()}" if consolidated else "")
        self.source = ids.source(doc.source.sha256)
        self.name = document_key(doc, ids, linker)
        self._orgs: dict[str, URIRef] = {}
        self._titled: set[URIRef] = set()
        self._annex: str | None = None
        self._admin_name: str | None = None
        self._admin: URIRef | None = None

    # -- helpers ---------------------------------------------------------------

    def add(self, s: URIRef, p: URIRef, o) -> None:
        self.g.add((s, p, o))

    def text_literal(self, value: str) -> Literal:
        return Literal(value, lang=self.lang)

    def _passage(self, where: URIRef, span: Span) -> None:
        """``where`` is the stretch ``span`` of the source: position + exact words."""
        self.add(where, RDF.type, OA.SpecificResource)
        self.add(where, OA.hasSource, self.source)
        position = URIRef(f"{where}-position")
        self.add(where, OA.hasSelector, position)
        self.add(position, RDF.type, OA.TextPositionSelector)
        self.add(position, OA.start, Literal(span.start, datatype=XSD.integer))
        self.add(position, OA.end, Literal(span.end, datatype=XSD.integer))
        quote = URIRef(f"{where}-quote")
        self.add(where, OA.hasSelector, quote)
        self.add(quote, RDF.type, OA.TextQuoteSelector)
        self.add(quote, OA.exact, Literal(self.text[span.start : span.end]))

    def derived(self, node: URIRef, span: Span) -> None:
        """The record ``node`` comes from ``span`` of the source."""
        where = URIRef(f"{node}#{self.tag}")
        self.add(node, PROV.wasDerivedFrom, where)
        self._passage(where, span)

    def evidence(self, node: URIRef, spans: Spans, anchor: str = "") -> None:
        """Each field of ``node`` that has a span gets its own source passage.

        A node named in several places (an administrator in every passport) has
        its passages under the record that names it: ``anchor`` = ``passport.administrator``.
        """
        where_base = f"{node}#{self.tag}"
        if anchor:
            record, _, part = anchor.partition(".")
            where_base = f"{record}#{self.tag}.{part}"
        for name, span in sorted(spans.items()):
            where = URIRef(f"{where_base}.{name}")
            self.add(node, KZB.evidence, where)
            self.add(where, KZB.field, Literal(name))
            self._passage(where, span)

    def organization(self, name: str, passport: URIRef, row: int, index: int) -> URIRef:
        """An executor: the administrator itself, or an organisation keyed by where
        the passport first names it (the same row and place in the kk and ru text)."""
        if self._admin is not None and _similar(name, self._admin_name or "") >= (
            ADMINISTRATOR_MATCH
        ):
            return self._admin
        key = " ".join(name.lower().split()).rstrip(".")
        if key in self._orgs:
            return self._orgs[key]
        node = self.ids.organization(passport, row, index)
        self._orgs[key] = node
        self.add(node, RDF.type, ORG.Organization)
        self.add(node, SKOS.prefLabel, self.text_literal(name))
        return node

    # -- the document ----------------------------------------------------------

    def map(self) -> Graph:
        resolution = self.resolution()
        self.source_document(resolution)
        for passport in self.doc.passports:
            self.passport(passport, resolution)
        self.dataset()
        return self.g

    def source_document(self, resolution: URIRef | None) -> None:
        """The file: the manifestation of the resolution's expression, and what the
        graph was derived from (name, size and SHA-256 say which version)."""
        s = self.doc.source
        node = self.source
        self.add(node, RDF.type, KZB.SourceDocument)
        self.add(node, RDF.type, PROV.Entity)
        self.add(node, RDF.type, ELI.Format)
        self.add(node, DCTERMS.title, Literal(s.name))
        self.add(node, DCTERMS.language, LANGUAGE[LANGUAGE_CODES.get(s.language, "MUL")])
        self.add(node, DCAT.byteSize, Literal(s.byte_size, datatype=XSD.integer))
        self.add(node, ELI["format"], TEXT_PLAIN)
        checksum = URIRef(f"{node}#sha256")
        self.add(node, DCAT.checksum, checksum)
        self.add(checksum, RDF.type, SPDX.Checksum)
        self.add(checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256)
        self.add(checksum, SPDX.checksumValue, Literal(s.sha256, datatype=XSD.hexBinary))
        if resolution is not None:
            expression = self.expression(resolution)
            self.add(expression, ELI.is_embodied_by, node)
            self.add(node, ELI.embodies, expression)
        graph = self.name
        self.add(graph, RDF.type, KZB.DocumentGraph)
        self.add(graph, PROV.wasDerivedFrom, node)
        self.add(graph, DCTERMS.language, LANGUAGE[LANGUAGE_CODES.get(s.language, "MUL")])
        if self.doc.resolution.consolidated_on:
            self.add(
                graph,
                ELI.version_date,
                Literal(self.doc.resolution.consolidated_on, datatype=XSD.date),
            )

    def expression(self, act: URIRef, title: str = "") -> URIRef:
        """The act in this document's language; its first printed title."""
        expression = URIRef(f"{act}/{self.lang}")
        self.add(act, ELI.is_realized_by, expression)
        self.add(expression, RDF.type, ELI.LegalExpression)
        self.add(expression, ELI.realizes, act)
        self.add(expression, ELI.language, LANGUAGE[LANGUAGE_CODES.get(self.lang, "MUL")])
        if title and expression not in self._titled:
            # one title per language: later citations may word it differently
            self._titled.add(expression)
            self.add(expression, ELI.title, self.text_literal(title))
            self.add(act, RDFS.label, self.text_literal(title))
        return expression

    def resolution(self) -> URIRef | None:
        r = self.doc.resolution
        if not (r.act_type and (r.date or r.number)):
            return None
        node = self.act_node(r.act_type, r.issuer, r.date, r.number, r.title or "", role=True)
        if r.in_force_from:
            self.add(
                node, ELI.first_date_entry_in_force, Literal(r.in_force_from, datatype=XSD.date)
            )
        self.evidence(node, r.spans)
        return node

    def act_node(self, act_type, issuer, date, number, title: str, *, role: bool = False) -> URIRef:
        """One act; ``role``: it approves or amends passports (a kzb:Resolution)."""
        code = basis = None
        if self.linker is not None:
            code, basis = self.linker.resolve(act_type, date, number, title)
        node = self.ids.act(act_type, date, number, title, code)
        self.add(node, RDF.type, ELI.LegalResource)
        if role and act_type == "resolution":
            self.add(node, RDF.type, KZB.Resolution)
        if act_type:
            self.add(node, ELI.type_document, ACT_TYPE[act_type])
        if date:
            self.add(node, ELI.date_document, Literal(date, datatype=XSD.date))
        if number:
            self.add(node, ELI.number, Literal(number))
        if issuer:
            self.add(node, ELI.passed_by, self.ids.issuer(issuer))
        self.add(node, ELI.jurisdiction, KAZAKHSTAN)
        if code:
            self.add(node, ELI.id_local, Literal(code))
            self.add(node, KZB.adiletCode, Literal(code))
            self.add(node, KZB.adiletCodeBasis, CODE_BASIS[basis])
            for page in adilet_urls(code):
                self.add(node, RDFS.seeAlso, page)
        if title:
            expression = self.expression(node, title)
            if code and self.lang in ADILET_PAGE:
                self.add(expression, FOAF.page, adilet_urls(code)[ADILET_PAGE[self.lang]])
        return node

    # -- one passport ----------------------------------------------------------

    def passport(self, p: Passport, resolution: URIRef | None) -> None:
        self._annex = p.annex
        admin_code = p.administrator.code if p.administrator else "000"
        program_code = p.program.code if p.program else f"annex-{p.annex}"
        node = self.ids.passport(p.year, admin_code, program_code)
        self.add(node, RDF.type, KZB.Passport)
        self.add(node, KZB.annexNumber, Literal(p.annex))
        self.add(node, PROV.wasDerivedFrom, self.source)
        if p.year:
            self.add(node, KZB.fiscalYear, Literal(p.year, datatype=XSD.integer))
        if resolution is not None:
            self.add(node, ELI.is_part_of, resolution)
            self.add(resolution, ELI.has_part, node)
            self.add(node, ELI.is_annex_of, resolution)
            self.add(resolution, ELI.has_annex, node)
        self.evidence(node, {k: v for k, v in p.spans.items() if not k.startswith("results.")})
        expression = self.expression(node)
        self.add(expression, PROV.wasDerivedFrom, self.source)

        admin = None
        self._admin = self._admin_name = None
        if p.administrator:
            admin = self.ids.administrator(p.administrator.code)
            self._admin, self._admin_name = admin, p.administrator.name
            self.add(admin, RDF.type, KZB.BudgetAdministrator)
            self.add(admin, RDF.type, ORG.Organization)
            self.add(admin, SKOS.notation, Literal(p.administrator.code))
            self.add(admin, SKOS.prefLabel, self.text_literal(p.administrator.name))
            self.evidence(admin, p.administrator.spans, f"{node}.administrator")

        program = None
        if p.program:
            program = self.ids.program(p.year, admin_code, p.program.code)
            self.add(node, KZB.budgetProgram, program)
            self.add(program, RDF.type, KZB.BudgetProgram)
            self.add(program, SKOS.notation, Literal(p.program.code))
            self.add(program, SKOS.prefLabel, self.text_literal(p.program.name))
            if p.year:
                self.add(program, KZB.fiscalYear, Literal(p.year, datatype=XSD.integer))
            if admin is not None:
                self.add(program, KZB.administeredBy, admin)
            self.evidence(program, p.program.spans, f"{node}.program")
            self.add(expression, ELI.title, self.text_literal(p.program.name))
            self.add(node, RDFS.label, self.text_literal(f"{p.annex}: {p.program.name}"))

        for key, value in (
            (KZB.fundingSource, p.funding_source),
            (KZB.goal, p.goal),
            (KZB.tasks, p.tasks),
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
            self.add(node, KZB.amendment, item)
            self.add(item, RDF.type, KZB.Amendment)
            self.add(item, KZB.amendedItem, Literal(am.target))
            by = am.by
            act = self.act_node(by.act_type, by.issuer, by.date, by.number, "", role=True)
            self.add(item, KZB.amendingAct, act)
            self.add(act, ELI.amends, node)
            self.add(act, ELI.changes, node)
            self.add(node, ELI.amended_by, act)
            self.add(node, ELI.changed_by, act)
            if by.date:
                self.add(item, DCTERMS.date, Literal(by.date, datatype=XSD.date))
                latest = max(latest, by.date) if latest else by.date
            self.derived(item, am.span)
        if latest:
            self.add(expression, ELI.version_date, Literal(latest, datatype=XSD.date))

    def dataset(self) -> None:
        """The cost cube's dataset and structure, in the data that uses them."""
        if (None, QB.dataSet, None) not in self.g:
            return
        ds, dsd = self.ids.dataset(), self.ids.structure()
        self.add(ds, RDF.type, QB.DataSet)
        self.add(ds, QB.structure, dsd)
        self.add(dsd, RDF.type, QB.DataStructureDefinition)
        components = [
            ("dimension", KZB.refAdministrator, 1),
            ("dimension", KZB.refProgram, 2),
            ("dimension", SDMX_DIM.refPeriod, 3),
            ("measure", SDMX_MEASURE.obsValue, None),
            ("attribute", SDMX_ATTR.currency, None),
            ("attribute", SDMX_ATTR.unitMult, None),
        ]
        for kind, prop, order in components:
            spec = URIRef(f"{dsd}#{prop.split('#')[-1]}")
            self.add(dsd, QB.component, spec)
            self.add(spec, RDF.type, QB.ComponentSpecification)
            self.add(spec, QB[kind], prop)
            if order:
                self.add(spec, QB.order, Literal(order, datatype=XSD.integer))
            if kind == "attribute":
                self.add(spec, QB.componentRequired, Literal(True))

    def cost(self, passport: URIRef, p: Passport, admin, program: URIRef) -> None:
        assert p.cost is not None and p.program is not None
        obs = self.ids.observation(
            p.year, p.administrator.code if p.administrator else "000", p.program.code
        )
        self.add(passport, KZB.cost, obs)
        self.add(obs, RDF.type, QB.Observation)
        self.add(obs, QB.dataSet, self.ids.dataset())
        if admin is not None:
            self.add(obs, KZB.refAdministrator, admin)
        self.add(obs, KZB.refProgram, program)
        if p.year:
            self.add(obs, SDMX_DIM.refPeriod, Literal(str(p.year), datatype=XSD.gYear))
        self.add(obs, SDMX_MEASURE.obsValue, decimal_literal(p.cost.thousand_kzt))
        self.add(obs, SDMX_ATTR.currency, KZT)
        self.add(KZT, RDF.type, SKOS.Concept)  # an entry of the EU currency authority table
        self.add(obs, SDMX_ATTR.unitMult, Literal(THOUSANDS, datatype=XSD.integer))
        if p.cost.in_words:
            self.add(obs, KZB.costInWords, self.text_literal(p.cost.in_words))
        if p.cost.words_value_kzt is not None:
            self.add(
                obs, KZB.costInWordsValue, Literal(p.cost.words_value_kzt, datatype=XSD.integer)
            )
        self.derived(obs, p.cost.span)
        self.evidence(obs, p.cost.spans)

    def legal_reference(self, passport: URIRef, i: int, act: LegalAct) -> None:
        """A citation: what was printed, where, and the act it resolves to."""
        ref = URIRef(f"{passport}/legal-basis/{i}")
        self.add(passport, KZB.legalReference, ref)
        self.add(ref, RDF.type, KZB.LegalReference)
        target = self.act_node(act.act_type, act.issuer, act.date, act.number, act.title)
        if (
            not act.number
            and self.linker is not None
            and (target, KZB.adiletCode, None) not in self.g
        ):
            self.doc.warnings.append(
                Warning(
                    f"act {act.title!r} is cited without a number and matches no known act; "
                    "it keeps its own identity, with no adilet code",
                    self._annex,
                    "legal_basis",
                )
            )
        self.add(ref, KZB.refersTo, target)
        if act.title:
            self.add(ref, RDFS.label, self.text_literal(act.title))
        if act.date:
            self.add(ref, KZB.citedDate, Literal(act.date, datatype=XSD.date))
        if act.number:
            self.add(ref, KZB.citedNumber, Literal(act.number))
        self.add(passport, ELI.based_on, target)
        if act.issuer_text:
            self.add(ref, KZB.issuerText, self.text_literal(act.issuer_text))
            if act.printed_issuer:
                self.add(ref, KZB.printedIssuer, self.ids.issuer(act.printed_issuer))
        self.derived(ref, act.span)
        self.evidence(ref, act.spans)

    def plan_row(self, passport: URIRef, row, program: URIRef | None) -> None:
        node = URIRef(f"{passport}/plan/{row.row}")
        self.add(passport, KZB.actionPlanRow, node)
        self.add(node, RDF.type, KZB.ActionPlanRow)
        self.add(node, KZB.rowNumber, Literal(row.row, datatype=XSD.integer))
        if program is not None:
            item = program
            if row.subprogram_code:
                item = self.ids.subprogram(program, row.subprogram_code)
                self.add(item, RDF.type, KZB.SubProgram)
                self.add(item, SKOS.notation, Literal(row.subprogram_code))
                self.add(item, DCTERMS.isPartOf, program)
                if row.name:
                    self.add(item, SKOS.prefLabel, self.text_literal(row.name))
            self.add(node, KZB.planItem, item)
        if row.activities:
            self.add(node, KZB.activities, self.text_literal(row.activities))
        if row.period:
            self.add(node, KZB.period, self.text_literal(row.period))
        for index, name in enumerate(row.executors, start=1):
            self.add(
                node, KZB.responsibleExecutor, self.organization(name, passport, row.row, index)
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
            self.add(passport, KZB.expectedResult, node)
            self.add(node, RDF.type, KZB.ExpectedResult)
            self.add(node, KZB.resultKind, RESULT_KIND[kind])
            self.add(node, RDF.value, self.text_literal(text))
            span = p.spans.get(f"results.{kind}")
            if span is not None:
                self.derived(node, span)
        for i, ind in enumerate(p.indicators, start=1):
            node = URIRef(f"{passport}/indicator/{i}")
            self.add(node, RDF.type, KZB.Indicator)
            self.add(node, KZB.resultKind, RESULT_KIND[ind.kind])
            if ind.kind in by_kind:
                self.add(by_kind[ind.kind], KZB.hasIndicator, node)
            self.add(node, KZB.targetValue, decimal_literal(ind.value))
            self.add(node, KZB.unit, UNIT[ind.unit])
            self.add(node, KZB.comparator, COMPARATORS[ind.comparator])
            self.add(node, RDFS.label, self.text_literal(ind.text))
            self.derived(node, ind.span)


def decimal_literal(value: int | float | Decimal) -> Literal:
    """An xsd:decimal in the form Turtle writes back (``42.0``), so formats round-trip."""
    text = format(Decimal(str(value)).normalize(), "f")
    return Literal(text if "." in text else text + ".0", datatype=XSD.decimal)


def document_graph(
    doc: Document, ids: Identifiers | None = None, linker: Linker | None = None
) -> Graph:
    """The triples of one source document (its named graph)."""
    return _Mapper(doc, ids or Identifiers(), linker=linker).map()


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
        _Mapper(doc, ids, ds.graph(graph_name(doc, ids, linker)), linker).map()
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
