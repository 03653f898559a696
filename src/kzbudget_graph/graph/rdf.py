"""Step 5 — RDF: the extracted model as triples (ontology/kzbudget.ttl).

One :class:`rdflib.Graph` per source document (a named graph in the
dataset, named by the source's IRI). Shared things — legal acts, issuers,
organisations, administrators — get the same IRI in every document, so the
union of the graphs has one node per act however many passports cite it.

Provenance is kept lean: each passport ``prov:wasDerivedFrom`` its source
document; each legal reference, action-plan row, indicator, amendment and
cost ``prov:wasDerivedFrom`` an ``oa:SpecificResource`` of the source with a
``oa:TextPositionSelector`` (character offsets) and a ``oa:TextQuoteSelector``
(the exact original text).
"""

from __future__ import annotations

from decimal import Decimal

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, SKOS

from ..model import Document, LegalAct, Passport, Span, Warning
from .identifiers import (
    ACT_TYPE,
    COMPARATORS,
    KZB,
    RESULT_KIND,
    UNIT,
    Identifiers,
)
from .link import CODE_BASIS, Linker, adilet_urls
from .namespaces import DCAT, ELI, LANGUAGE, OA, QB, SDMX_ATTR, SDMX_DIM, SDMX_MEASURE, SPDX

LANGUAGE_CODES = {"kk": "KAZ", "ru": "RUS", "en": "ENG"}
KAZAKHSTAN = URIRef("http://publications.europa.eu/resource/authority/country/KAZ")

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
        self.source = ids.source(doc.source.sha256)
        self._named_orgs: dict[str, URIRef] = {}
        self._annex: str | None = None

    # -- helpers ---------------------------------------------------------------

    def add(self, s: URIRef, p: URIRef, o) -> None:
        self.g.add((s, p, o))

    def text_literal(self, value: str) -> Literal:
        return Literal(value, lang=self.lang)

    def derived(self, node: URIRef, span: Span) -> None:
        """``node`` comes from ``span`` of the source: a selector and the exact words."""
        # The same passport may be read from several files (kk, ru, clean, converted):
        # its passages are per source, so the source is part of their IRIs.
        tag = self.doc.source.sha256[:12]
        where = URIRef(f"{node}#source-{tag}")
        self.add(node, PROV.wasDerivedFrom, where)
        self.add(where, RDF.type, OA.SpecificResource)
        self.add(where, OA.hasSource, self.source)
        position = URIRef(f"{node}#position-{tag}")
        self.add(where, OA.hasSelector, position)
        self.add(position, RDF.type, OA.TextPositionSelector)
        self.add(position, OA.start, Literal(span.start, datatype=XSD.nonNegativeInteger))
        self.add(position, OA.end, Literal(span.end, datatype=XSD.nonNegativeInteger))
        quote = URIRef(f"{node}#quote-{tag}")
        self.add(where, OA.hasSelector, quote)
        self.add(quote, RDF.type, OA.TextQuoteSelector)
        self.add(quote, OA.exact, Literal(self.text[span.start : span.end]))

    def organization(self, name: str) -> URIRef:
        """An organisation by name; an administrator's own name reuses its node."""
        key = " ".join(name.lower().split()).rstrip(".")
        if key in self._named_orgs:
            return self._named_orgs[key]
        node = self.ids.organization(name)
        self._named_orgs[key] = node
        self.add(node, RDF.type, ORG.Organization)
        self.add(node, SKOS.prefLabel, self.text_literal(name))
        return node

    # -- the document ----------------------------------------------------------

    def map(self) -> Graph:
        self.source_document()
        resolution = self.resolution()
        for passport in self.doc.passports:
            self.passport(passport, resolution)
        return self.g

    def source_document(self) -> None:
        s = self.doc.source
        node = self.source
        self.add(node, RDF.type, KZB.SourceDocument)
        self.add(node, RDF.type, PROV.Entity)
        self.add(node, DCTERMS.title, Literal(s.name))
        self.add(node, DCTERMS.language, LANGUAGE[LANGUAGE_CODES.get(s.language, "MUL")])
        self.add(node, DCAT.byteSize, Literal(s.byte_size, datatype=XSD.nonNegativeInteger))
        self.add(node, DCTERMS["format"], Literal("text/plain"))
        checksum = URIRef(f"{node}#sha256")
        self.add(node, DCAT.checksum, checksum)
        self.add(checksum, RDF.type, SPDX.Checksum)
        self.add(checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256)
        self.add(checksum, SPDX.checksumValue, Literal(s.sha256, datatype=XSD.hexBinary))

    def resolution(self) -> URIRef | None:
        r = self.doc.resolution
        if not (r.act_type and (r.date or r.number)):
            return None
        node = self.act_node(r.act_type, r.issuer, r.date, r.number, r.title or "")
        if r.in_force_from:
            self.add(
                node, ELI.first_date_entry_in_force, Literal(r.in_force_from, datatype=XSD.date)
            )
        return node

    def act_node(self, act_type, issuer, date, number, title: str) -> URIRef:
        node = self.ids.act(act_type, date, number, title)
        self.add(node, RDF.type, ELI.LegalResource)
        if act_type == "resolution":
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
        if self.linker is not None:
            code, basis = self.linker.resolve(act_type, date, number, title)
            if code:
                self.add(node, KZB.adiletCode, Literal(code))
                self.add(node, KZB.adiletCodeBasis, CODE_BASIS[basis])
                for page in adilet_urls(code):
                    self.add(node, RDFS.seeAlso, page)
        if title:
            expression = URIRef(f"{node}/{self.lang}")
            self.add(node, ELI.is_realized_by, expression)
            self.add(expression, RDF.type, ELI.LegalExpression)
            self.add(expression, ELI.realizes, node)
            self.add(expression, ELI.title, self.text_literal(title))
            self.add(expression, ELI.language, LANGUAGE[LANGUAGE_CODES.get(self.lang, "MUL")])
            self.add(node, RDFS.label, self.text_literal(title))
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

        admin = None
        if p.administrator:
            admin = self.ids.administrator(p.administrator.code)
            self.add(admin, RDF.type, KZB.BudgetAdministrator)
            self.add(admin, RDF.type, ORG.Organization)
            self.add(admin, SKOS.notation, Literal(p.administrator.code))
            self.add(admin, SKOS.prefLabel, self.text_literal(p.administrator.name))
            key = " ".join(p.administrator.name.lower().split())
            self._named_orgs.setdefault(key, admin)

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
            expression = URIRef(f"{node}/{self.lang}")
            self.add(node, ELI.is_realized_by, expression)
            self.add(expression, RDF.type, ELI.LegalExpression)
            self.add(expression, ELI.realizes, node)
            self.add(expression, ELI.title, self.text_literal(p.program.name))
            self.add(expression, ELI.language, LANGUAGE[LANGUAGE_CODES.get(self.lang, "MUL")])
            self.add(expression, PROV.wasDerivedFrom, self.source)
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
        for i, am in enumerate(p.amendments, start=1):
            item = URIRef(f"{node}/amendment/{i}")
            self.add(node, KZB.amendment, item)
            self.add(item, RDF.type, KZB.Amendment)
            self.add(item, KZB.amendedItem, Literal(am.target))
            by = am.by
            act = self.act_node(by.act_type, by.issuer, by.date, by.number, "")
            self.add(item, KZB.amendingAct, act)
            self.add(act, ELI.amends, node)
            self.add(node, ELI.amended_by, act)
            self.derived(item, am.span)

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
        self.add(obs, SDMX_ATTR.unitMeasure, UNIT.thousand_kzt)
        if p.cost.in_words:
            self.add(obs, KZB.costInWords, self.text_literal(p.cost.in_words))
        if p.cost.words_value_kzt is not None:
            self.add(
                obs, KZB.costInWordsValue, Literal(p.cost.words_value_kzt, datatype=XSD.integer)
            )
        self.derived(obs, p.cost.span)

    def legal_reference(self, passport: URIRef, i: int, act: LegalAct) -> None:
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
        self.add(passport, ELI.based_on, target)
        if act.issuer_text:
            self.add(ref, KZB.issuerText, self.text_literal(act.issuer_text))
            if act.printed_issuer:
                self.add(ref, KZB.printedIssuer, self.ids.issuer(act.printed_issuer))
        self.derived(ref, act.span)

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
        for name in row.executors:
            self.add(node, KZB.responsibleExecutor, self.organization(name))
        self.derived(node, row.span)

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


def graph_name(doc: Document, ids: Identifiers | None = None) -> URIRef:
    """The name of a document's named graph: its source IRI."""
    return (ids or Identifiers()).source(doc.source.sha256)


def build_dataset(
    docs: list[Document], ids: Identifiers | None = None, linker: Linker | None = None
) -> Dataset:
    """A dataset with one named graph per source document (named by its source IRI).

    With a :class:`Linker`, acts carry their adilet codes and pages.
    """
    ids = ids or Identifiers()
    ds = Dataset()
    bind_prefixes(ds, ids)
    for doc in docs:
        _Mapper(doc, ids, ds.graph(graph_name(doc, ids)), linker).map()
    return ds
